package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestInterruptListensOnlyWhenAsked: commands that never look at their
// context leave Ctrl+C alone; a check run (which derives contexts from it)
// listens; release works either way.
func TestInterruptListensOnlyWhenAsked(t *testing.T) {
	rw := testutil.Testdata(t, "certs", "realworld")
	for _, tc := range []struct {
		args   []string
		listen bool
	}{
		{[]string{"cert", "verify", filepath.Join(rw, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"), "--root", rw, "--ca", rw}, false},
		{[]string{"cert", "show", filepath.Join(rw, "guc-root-gost2012-mincifry-2022.pem")}, false},
		{[]string{"version"}, false},
		{[]string{"check", "--snapshot", workstation(t, "windows10-healthy.json"), "--offline"}, true},
	} {
		a, out, _ := newTestApp(t)
		ctx := newInterruptContext()
		a.RunContext(ctx, tc.args)
		if ctx.listening() != tc.listen {
			t.Errorf("%s: listening = %v, want %v", strings.Join(tc.args[:2], " "), ctx.listening(), tc.listen)
		}
		if out.Len() == 0 {
			t.Errorf("%s: no output", strings.Join(tc.args[:2], " "))
		}
		ctx.release()
	}
}

// TestInterruptContextDerived: a context derived from it is cancelled with
// it, and after release nothing starts listening.
func TestInterruptContextDerived(t *testing.T) {
	c := newInterruptContext()
	if c.listening() {
		t.Fatal("listening before use")
	}
	child, cancel := context.WithCancel(c)
	defer cancel()
	if !c.listening() {
		t.Fatal("a derived context did not start listening")
	}
	if c.Err() != nil || child.Err() != nil {
		t.Fatal("cancelled before any signal")
	}
	c.stop() // what Ctrl+C's handler does to the signal context
	<-child.Done()
	if child.Err() != context.Canceled {
		t.Errorf("child.Err() = %v", child.Err())
	}
	c.release()
	idle := newInterruptContext()
	idle.release()
	if idle.listening() {
		t.Error("released context started listening")
	}
}
