package cli

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"time"
)

// interruptContext is cancelled by Ctrl+C (os.Interrupt), as
// signal.NotifyContext's context is, but it starts listening only when
// something asks it (Done, Err, Value — and so any context derived from
// it). Commands that never look at their context (cert show, cert verify,
// version, list…) do not pay for the signal handler's goroutines and
// threads (about half a millisecond of a 15 ms run), and Ctrl+C ends them
// at once instead of being held until they finish.
type interruptContext struct {
	once sync.Once
	ctx  context.Context
	stop context.CancelFunc
}

func newInterruptContext() *interruptContext { return &interruptContext{} }

func (c *interruptContext) listen() {
	c.once.Do(func() { c.ctx, c.stop = signal.NotifyContext(context.Background(), os.Interrupt) })
}

// Deadline: none.
func (c *interruptContext) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done is closed by Ctrl+C.
func (c *interruptContext) Done() <-chan struct{} { c.listen(); return c.ctx.Done() }

// Err is context.Canceled after Ctrl+C.
func (c *interruptContext) Err() error { c.listen(); return c.ctx.Err() }

// Value is that of the signal context (contexts derived from this one find
// its cancellation through it, without a goroutine of their own).
func (c *interruptContext) Value(key any) any { c.listen(); return c.ctx.Value(key) }

// release stops listening (restoring Ctrl+C's default) and keeps it from
// starting later.
func (c *interruptContext) release() {
	c.once.Do(func() {})
	if c.stop != nil {
		c.stop()
	}
}

// listening reports whether the signal handler was installed (tests).
func (c *interruptContext) listening() bool { return c.stop != nil }
