package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// LiveOptions configure the live back end of this OS.
type LiveOptions struct {
	// Root makes the Linux back end treat this directory as "/" (a mounted
	// disk of a broken workstation, or a test fixture tree). Ignored
	// elsewhere.
	Root string
	// User selects another user's stores and home (Linux, when permitted).
	User string
	// At, when set, replaces the machine's clock for the checks: every
	// question about "now" (expiry, days left, clock sanity) is answered as
	// of this moment. For "will this workstation still work next month?"
	// and for fixtures whose real certificates have since expired.
	At time.Time
	// Net configures the network questions (offline, the Resolve seam, a
	// proxy override).
	Net NetOptions
}

// NewLive returns the live back end of the OS gmu-doctor runs on.
func NewLive(opts LiveOptions) (Host, error) {
	h, err := newLive(opts)
	if err != nil || opts.At.IsZero() {
		return h, err
	}
	return &clockHost{Host: h, at: opts.At}, nil
}

// clockHost answers Now with a fixed moment and everything else from Host.
type clockHost struct {
	Host
	at time.Time
}

// Now implements Host.
func (h *clockHost) Now() time.Time { return h.at }

// base implements the parts of Host that work the same way on every OS:
// environment, clock, files and commands. OS back ends embed it and add
// certificate stores, the registry and facts. mapPath lets a back end
// rewrite paths (the Linux --root option, %VAR% expansion on Windows), and
// decode lets it convert command output (OEM code page on Windows).
type base struct {
	mapPath func(string) string
	decode  func([]byte) []byte
	now     func() time.Time
	// netc is the network client (live_net.go); set by newLive.
	netc    *netClient
	netOnce sync.Once
}

func (b *base) path(p string) string {
	if b.mapPath != nil {
		return b.mapPath(p)
	}
	return p
}

// Now implements Host.
func (b *base) Now() time.Time {
	if b.now != nil {
		return b.now()
	}
	return time.Now()
}

// LookupEnv implements Host.
func (b *base) LookupEnv(name string) (string, bool) { return os.LookupEnv(name) }

// Stat implements Host.
func (b *base) Stat(ctx context.Context, p string) (FileInfo, error) {
	st, err := os.Stat(b.path(p))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return FileInfo{Path: p}, nil
		}
		// Exists is unknown; report what happened on the item.
		return FileInfo{Path: p, Error: err.Error()}, nil
	}
	return FileInfo{Path: p, Name: st.Name(), Exists: true, IsDir: st.IsDir(), Size: st.Size(), ModTime: st.ModTime().UTC()}, nil
}

// ReadFile implements Host. Only regular files are read (a FIFO or a
// device in an inspected tree must not hang or flood gmu-doctor), opened
// without blocking; at most limit bytes are returned.
func (b *base) ReadFile(ctx context.Context, p string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultReadLimit
	}
	data, err := safefile.ReadHead(b.path(p), limit)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read %s: %w", p, ErrFileNotFound)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// Name the path as the checks asked for it (under --root not
			// the path on this machine).
			err = pe.Err
		}
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return data, nil
}

// ReadDir implements Host.
func (b *base) ReadDir(ctx context.Context, p string) ([]FileInfo, error) {
	entries, err := os.ReadDir(b.path(p))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("list %s: %w", p, ErrFileNotFound)
		}
		return nil, fmt.Errorf("list %s: %w", p, err)
	}
	out := make([]FileInfo, 0, len(entries))
	for _, e := range entries {
		fi := FileInfo{Path: joinPath(p, e.Name()), Name: e.Name(), Exists: true, IsDir: e.IsDir()}
		if info, err := e.Info(); err == nil {
			fi.Size, fi.ModTime = info.Size(), info.ModTime().UTC()
			fi.IsDir = info.IsDir()
		} else {
			fi.Error = err.Error()
		}
		out = append(out, fi)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func joinPath(dir, name string) string {
	if runtime.GOOS == "windows" {
		if len(dir) > 0 && (dir[len(dir)-1] == '\\' || dir[len(dir)-1] == '/') {
			return dir + name
		}
		return dir + `\` + name
	}
	return filepath.Join(dir, name)
}

// capWriter keeps at most max bytes and remembers whether more came.
type capWriter struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	if room := w.max - w.buf.Len(); room < len(p) {
		if room > 0 {
			w.buf.Write(p[:room])
		}
		w.truncated = true
		return len(p), nil
	}
	return w.buf.Write(p)
}

// Run implements Host.
func (b *base) Run(ctx context.Context, cmd Command) (CommandResult, error) {
	if len(cmd.Argv) == 0 {
		return CommandResult{}, errors.New("run command: empty argv")
	}
	timeout := cmd.Timeout
	if timeout <= 0 {
		timeout = DefaultCommandTimeout
	}
	max := cmd.MaxOutput
	if max <= 0 {
		max = DefaultMaxOutput
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	name := b.path(cmd.Argv[0])
	c := exec.CommandContext(ctx, name, cmd.Argv[1:]...)
	c.WaitDelay = time.Second
	stdout, stderr := &capWriter{max: max}, &capWriter{max: max}
	c.Stdout, c.Stderr = stdout, stderr
	c.Stdin = nil
	err := c.Run()
	res := CommandResult{Truncated: stdout.truncated || stderr.truncated}
	res.Stdout, res.Stderr = stdout.buf.Bytes(), stderr.buf.Bytes()
	if b.decode != nil {
		res.Stdout, res.Stderr = b.decode(res.Stdout), b.decode(res.Stderr)
	}
	if ctx.Err() == context.DeadlineExceeded {
		res.TimedOut = true
		res.ExitCode = -1
		return res, nil
	}
	if err != nil {
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			res.ExitCode = ee.ExitCode()
			return res, nil
		case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
			return CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], ErrCommandNotFound)
		}
		return CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], err)
	}
	return res, nil
}
