package doctor

import (
	"context"
	"sync"
)

// Shared holds what the checks of one run compute once and share: the
// certificate stores read and parsed (checks/internal/certs keeps them
// here), and anything else several checks would otherwise redo. Every
// Runner.Run makes a new one, so nothing outlives the run: a fix that
// changes the machine and a second run see fresh answers.
//
// Values put in Shared are read by several checks, possibly at the same
// time (an abandoned check may still run): they must not be changed after
// they are stored. The zero value is ready to use; a nil *Shared caches
// nothing (every Once builds).
type Shared struct {
	mu sync.Mutex
	m  map[any]*sharedEntry
}

type sharedEntry struct {
	done chan struct{} // closed when v is set or the build is abandoned
	v    any
	ok   bool
}

// Once returns the value stored under key, calling build to make it when
// there is none yet; concurrent callers with the same key wait for the
// first build instead of building twice. When build says keep == false (it
// was cut short, e.g. by a cancelled ctx), its value is returned to this
// caller only and the next caller builds again. A caller waiting for
// another's build stops waiting when its own ctx ends and returns ctx.Err().
// Keys must be comparable (a panic otherwise, as with any map key); use an
// unexported key type per package to avoid collisions.
func (s *Shared) Once(ctx context.Context, key any, build func() (v any, keep bool)) (any, error) {
	if s == nil {
		v, _ := build()
		return v, nil
	}
	for {
		s.mu.Lock()
		if s.m == nil {
			s.m = map[any]*sharedEntry{}
		}
		e, found := s.m[key]
		if !found {
			e = &sharedEntry{done: make(chan struct{})}
			s.m[key] = e
		}
		s.mu.Unlock()
		if !found {
			return s.build(key, e, build), nil
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.ok {
			return e.v, nil
		}
		// The builder gave up (or panicked): try again ourselves.
	}
}

func (s *Shared) build(key any, e *sharedEntry, build func() (any, bool)) (v any) {
	keep := false
	defer func() {
		if keep {
			e.v, e.ok = v, true
		} else {
			s.mu.Lock()
			if s.m[key] == e {
				delete(s.m, key)
			}
			s.mu.Unlock()
		}
		close(e.done)
	}()
	v, keep = build()
	return v
}

type sharedCtxKey struct{}

// WithShared returns a context carrying s, so that helpers that get only
// a context and a Host (certs.Load and friends) find the run's Shared.
// Runner.Run does this for every check.
func WithShared(ctx context.Context, s *Shared) context.Context {
	return context.WithValue(ctx, sharedCtxKey{}, s)
}

// SharedFrom returns the Shared carried by ctx, or nil outside a run.
func SharedFrom(ctx context.Context) *Shared {
	s, _ := ctx.Value(sharedCtxKey{}).(*Shared)
	return s
}

// Shared returns the run's shared values (nil for a Pass made outside a
// Runner, which then caches nothing).
func (p *Pass) Shared() *Shared { return p.shared }
