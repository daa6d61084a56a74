//go:build !windows

package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}

// Special files named on the command line are refused at once: a FIFO
// would block forever, /dev/zero never ends.
func TestSpecialFilesAreRefused(t *testing.T) {
	cleanEnv(t)
	healthy := workstation(t, "windows10-healthy.json")
	fifo := mkfifo(t)
	// A 5 GB certificate "file" (sparse: no disk space) is refused by its
	// size, not read into memory.
	huge := filepath.Join(t.TempDir(), "huge.cer")
	if f, err := os.Create(huge); err == nil {
		_ = f.Truncate(5 << 30)
		f.Close()
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"FIFO as --config", []string{"check", "--snapshot", healthy, "--config", fifo}, []string{fifo, "named pipe"}},
		{"/dev/zero as --config", []string{"check", "--snapshot", healthy, "--config", "/dev/zero"}, []string{"/dev/zero", "character device"}},
		{"FIFO as --snapshot", []string{"check", "--snapshot", fifo}, []string{fifo, "named pipe"}},
		{"/dev/zero as --snapshot", []string{"check", "--snapshot", "/dev/zero"}, []string{"/dev/zero", "character device"}},
		{"FIFO to cert show", []string{"cert", "show", fifo}, []string{fifo, "named pipe"}},
		{"/dev/zero to cert verify", []string{"cert", "verify", "/dev/zero"}, []string{"/dev/zero", "character device"}},
		{"5 GB to cert show", []string{"cert", "show", huge}, []string{huge, "5 GiB", "the limit is 32 MiB"}},
		{"5 GB as --snapshot", []string{"check", "--snapshot", huge}, []string{huge, "5 GiB", "larger than 64 MiB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantOneLine(t, within(t, func() result { return runCLI(t, c.args...) }), c.want...)
		})
	}
}
