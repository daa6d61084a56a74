//go:build !windows

package cli

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// collect -o replaces only a regular file; anything else is refused
// before the checks run, and left as it was.
func TestCollectOutputRules(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	stdoutLink := filepath.Join(dir, "stdout.json")
	if err := os.Symlink("/dev/stdout", stdoutLink); err != nil {
		t.Fatal(err)
	}
	// A character device of our own (a copy of /dev/null's numbers) rather
	// than /dev/null itself, which a regression would replace.
	dev := filepath.Join(dir, "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o600, 1<<8|3); err != nil {
		dev = ""
	}
	cases := []struct {
		name, out string
		want      []string
	}{
		{"FIFO", fifo, []string{fifo, "named pipe", "-o -"}},
		{"symbolic link to a file", link, []string{link, "symbolic link", victim}},
		{"symbolic link to /dev/stdout", stdoutLink, []string{"symbolic link", "/dev/stdout"}},
		{"directory", dir, []string{dir, "a directory"}},
		{"missing directory", filepath.Join(dir, "no", "such", "s.json"), []string{"no such file"}},
	}
	if dev != "" {
		cases = append(cases, struct {
			name, out string
			want      []string
		}{"character device", dev, []string{dev, "character device"}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, out, errb := newTestApp(t)
			opened := false
			a.NewLive = func(o host.LiveOptions) (host.Host, error) {
				opened = true
				return nil, errors.New("must not be reached")
			}
			wantOneLine(t, run(t, a, out, errb, "collect", "-o", c.out), c.want...)
			if opened {
				t.Error("the checks ran before the output was checked")
			}
		})
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
		t.Errorf("link target changed: %q %v", b, err)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("FIFO replaced: %v %v", fi, err)
	}
	if fi, err := os.Lstat(dev); dev != "" && (err != nil || fi.Mode()&os.ModeCharDevice == 0) {
		t.Errorf("character device replaced: %v %v", fi, err)
	}
}
