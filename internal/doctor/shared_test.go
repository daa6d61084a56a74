package doctor

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

func TestSharedBuildsOnce(t *testing.T) {
	var s Shared
	calls := 0
	build := func() (any, bool) { calls++; return calls, true }
	for i := 0; i < 3; i++ {
		v, err := s.Once(context.Background(), "k", build)
		if err != nil || v.(int) != 1 {
			t.Fatalf("Once #%d = %v, %v; want 1, nil", i, v, err)
		}
	}
	if v, _ := s.Once(context.Background(), "other", build); v.(int) != 2 {
		t.Errorf("another key shares the value: got %v, want 2", v)
	}
	if calls != 2 {
		t.Errorf("build ran %d times, want 2", calls)
	}
}

func TestSharedNilBuildsEveryTime(t *testing.T) {
	var s *Shared
	calls := 0
	for i := 0; i < 2; i++ {
		if _, err := s.Once(context.Background(), "k", func() (any, bool) { calls++; return nil, true }); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 2 {
		t.Errorf("nil Shared: build ran %d times, want 2", calls)
	}
}

func TestSharedDoesNotKeepAbandonedOrPanickedBuilds(t *testing.T) {
	var s Shared
	v, _ := s.Once(context.Background(), "k", func() (any, bool) { return "cut short", false })
	if v != "cut short" {
		t.Fatalf("the builder's own value is not returned to it: %v", v)
	}
	func() {
		defer func() { _ = recover() }()
		_, _ = s.Once(context.Background(), "k", func() (any, bool) { panic("boom") })
	}()
	v, _ = s.Once(context.Background(), "k", func() (any, bool) { return "full", true })
	if v != "full" {
		t.Errorf("a value that was not kept (or a panic) is reused: %v", v)
	}
}

func TestSharedWaiterHonoursItsContext(t *testing.T) {
	var s Shared
	release := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_, _ = s.Once(context.Background(), "k", func() (any, bool) {
			close(started)
			<-release
			return "late", true
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Once(ctx, "k", func() (any, bool) { return "second", true }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting on a hung build: err = %v, want the deadline", err)
	}
	close(release)
	// The first build finishes and is kept for later callers.
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, err := s.Once(context.Background(), "k", func() (any, bool) { return "rebuilt", true })
		if err != nil {
			t.Fatal(err)
		}
		if v == "late" || time.Now().After(deadline) {
			if v != "late" {
				t.Errorf("got %v, want the first build's value", v)
			}
			break
		}
	}
}

func TestSharedConcurrentCallersShareOneBuild(t *testing.T) {
	var s Shared
	var mu sync.Mutex
	calls := 0
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = s.Once(context.Background(), "k", func() (any, bool) {
				mu.Lock()
				calls++
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				return 1, true
			})
		}()
	}
	wg.Wait()
	if calls != 1 {
		t.Errorf("build ran %d times for 8 concurrent callers, want 1", calls)
	}
}

// Every run has its own Shared, reachable from the Pass and from the ctx
// the check gets; a second run does not see the first run's values.
func TestRunnerGivesEachRunItsOwnShared(t *testing.T) {
	var seen []*Shared
	builds := 0
	c := &Check{ID: "a", Run: func(ctx context.Context, p *Pass) error {
		if p.Shared() == nil || SharedFrom(ctx) != p.Shared() {
			t.Errorf("pass.Shared() = %p, SharedFrom(ctx) = %p: want the same non-nil value", p.Shared(), SharedFrom(ctx))
		}
		seen = append(seen, p.Shared())
		_, _ = p.Shared().Once(ctx, "k", func() (any, bool) { builds++; return nil, true })
		return nil
	}}
	d := &Check{ID: "b", Run: c.Run}
	r := &Runner{Host: host.NewSnapshotHost(&host.Snapshot{SnapshotVersion: host.SnapshotVersion, Facts: host.Facts{OS: "linux"}})}
	r.Run(context.Background(), []*Check{c, d})
	r.Run(context.Background(), []*Check{c})
	if len(seen) != 3 || seen[0] != seen[1] || seen[0] == seen[2] {
		t.Errorf("Shared per check = %p: want checks of one run to share one, runs to differ", seen)
	}
	if builds != 2 {
		t.Errorf("built %d times over two runs, want 2", builds)
	}
}
