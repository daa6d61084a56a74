//go:build !windows

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test when f has not returned after a few seconds (a
// FIFO read that blocks would otherwise hang the test binary until its
// -timeout).
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("blocked for 5 s")
		return nil
	}
}

func TestReadFileRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	err := within(t, func() error { _, err := ReadFile(p, 1<<20); return err })
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), p) {
		t.Errorf("fifo: %v", err)
	}
	err = within(t, func() error {
		f, err := Open(p)
		if f != nil {
			f.Close()
		}
		return err
	})
	if !errors.Is(err, ErrNotRegular) {
		t.Errorf("Open fifo: %v", err)
	}
}

func TestOpenNonblockingDoesNotHangOnFIFO(t *testing.T) {
	// The second line of defence: a FIFO that appears between Stat and
	// open is opened without blocking and refused on its descriptor.
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	err := within(t, func() error {
		f, err := openNonblocking(p)
		if err != nil {
			return err
		}
		return f.Close()
	})
	if err != nil {
		t.Errorf("open fifo without a writer: %v", err)
	}
}

func TestReadFileRefusesDevices(t *testing.T) {
	for _, dev := range []string{"/dev/zero", "/dev/null", "/dev/urandom"} {
		if _, err := os.Stat(dev); err != nil {
			continue
		}
		err := within(t, func() error { _, err := ReadFile(dev, 1<<20); return err })
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
			t.Errorf("%s: %v", dev, err)
		}
	}
}
