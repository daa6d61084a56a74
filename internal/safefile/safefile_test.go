package safefile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadFileRegular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(p, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(p, 5)
	if err != nil || string(b) != "hello" {
		t.Fatalf("ReadFile: %q %v", b, err)
	}
	_, err = ReadFile(p, 4)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "5 bytes, the limit is 4 bytes") {
		t.Errorf("too large: %v", err)
	}
	if b, err := ReadHead(p, 2); err != nil || string(b) != "he" {
		t.Errorf("ReadHead: %q %v", b, err)
	}
	// Through a symbolic link to a regular file.
	l := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(p, l); err == nil {
		if b, err := ReadFile(l, 10); err != nil || string(b) != "hello" {
			t.Errorf("via link: %q %v", b, err)
		}
	}
}

func TestReadFileRefusesDirectory(t *testing.T) {
	d := t.TempDir()
	_, err := ReadFile(d, 10)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a directory") || !strings.Contains(err.Error(), d) {
		t.Errorf("directory: %v", err)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join(t.TempDir(), "none"), 10)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1 << 20: "1 MiB", 5 << 30: "5 GiB", 1536: "1.5 KiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestReadAllAnySizeHint: whatever size the file claims (exact, zero as in
// /proc, too small because it grew, too large because it shrank), readAll
// returns exactly the content, also through short reads.
func TestReadAllAnySizeHint(t *testing.T) {
	content := []byte(strings.Repeat("сертификат 0123456789\n", 500))
	for _, hint := range []int64{0, 1, 511, 512, int64(len(content)) - 1, int64(len(content)), int64(len(content)) + 1, 1 << 20} {
		for name, r := range map[string]func() io.Reader{
			"plain":    func() io.Reader { return bytes.NewReader(content) },
			"one-byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(content)) },
			"half":     func() io.Reader { return iotest.HalfReader(bytes.NewReader(content)) },
		} {
			got, err := readAll(r(), hint)
			if err != nil || !bytes.Equal(got, content) {
				t.Errorf("hint %d, %s reader: %d bytes, %v; want %d bytes", hint, name, len(got), err, len(content))
			}
		}
	}
	if _, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF), 10); err != io.ErrUnexpectedEOF {
		t.Errorf("read error = %v, want it passed on", err)
	}
}
