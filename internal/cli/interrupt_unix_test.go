//go:build !windows

package cli

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// TestInterruptSignal: a real SIGINT cancels the context (and a context
// derived from it) once something listens.
func TestInterruptSignal(t *testing.T) {
	c := newInterruptContext()
	defer c.release()
	child, cancel := context.WithTimeout(c, time.Minute)
	defer cancel()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	if c.Err() != context.Canceled {
		t.Errorf("Err() = %v", c.Err())
	}
}
