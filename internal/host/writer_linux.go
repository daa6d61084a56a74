package host

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
)

// LinuxTools are the programs and directories the Linux writer uses. The
// live writer (NewWriter) fills them with fixed absolute system paths; a
// test builds a writer over stand-ins with NewLinuxWriter. Nothing is ever
// taken from a --root tree: fix refuses --root.
type LinuxTools struct {
	// Certmgr is CryptoPro's certmgr (absolute path).
	Certmgr string
	// AnchorDir receives PEM files for the system CA bundle and UpdateArgv
	// rebuilds the bundle (update-ca-certificates, update-ca-trust extract).
	AnchorDir  string
	AnchorExt  string // ".crt" (update-ca-certificates) or ".pem"
	UpdateArgv []string
	// RemoveArgv rebuilds the bundle after a file was removed
	// (update-ca-certificates needs --fresh to drop its links).
	RemoveArgv []string
	// Home bounds RemoveDir.
	Home string
	// Run executes a command; nil runs it for real.
	Run func(ctx context.Context, argv []string) (CommandResult, error)
}

type linuxWriter struct{ t LinuxTools }

// NewWriter returns the live Writer of this OS.
func NewWriter() (Writer, error) {
	t := LinuxTools{}
	arches := append([]string{cprocsp.ArchDir(runtime.GOARCH)}, cprocsp.Arches...)
	for _, a := range arches {
		p := cprocsp.BinDir(a) + "/certmgr"
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			t.Certmgr = p
			break
		}
	}
	switch {
	case isFile("/usr/sbin/update-ca-certificates"):
		t.AnchorDir, t.AnchorExt, t.UpdateArgv = "/usr/local/share/ca-certificates", ".crt", []string{"/usr/sbin/update-ca-certificates"}
		t.RemoveArgv = []string{"/usr/sbin/update-ca-certificates", "--fresh"}
	case isFile("/usr/bin/update-ca-trust"):
		t.AnchorDir, t.AnchorExt, t.UpdateArgv = "/etc/pki/ca-trust/source/anchors", ".pem", []string{"/usr/bin/update-ca-trust", "extract"}
	}
	t.Home, _ = os.UserHomeDir()
	return &linuxWriter{t: t}, nil
}

// NewLinuxWriter returns a Linux writer over the given tools (tests).
func NewLinuxWriter(t LinuxTools) Writer { return &linuxWriter{t: t} }

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (w *linuxWriter) run(ctx context.Context, argv []string) (CommandResult, error) {
	if w.t.Run != nil {
		return w.t.Run(ctx, argv)
	}
	b := &base{}
	return b.Run(ctx, Command{Argv: argv, Timeout: 2 * DefaultCommandTimeout})
}

func (w *linuxWriter) runOK(ctx context.Context, argv []string) error {
	res, err := w.run(ctx, argv)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 || res.TimedOut {
		out := strings.TrimSpace(string(res.Stderr))
		if out == "" {
			out = strings.TrimSpace(string(res.Stdout))
		}
		if len(out) > 300 {
			out = out[:300] + "…"
		}
		return fmt.Errorf("%s: exit code %d: %s", strings.Join(argv, " "), res.ExitCode, out)
	}
	return nil
}

func (w *linuxWriter) certmgr() (string, error) {
	if w.t.Certmgr == "" {
		return "", fmt.Errorf("CryptoPro certmgr: %w (is CryptoPro CSP installed?)", ErrCommandNotFound)
	}
	return w.t.Certmgr, nil
}

// has reports whether the store lists the thumbprint.
func (w *linuxWriter) has(ctx context.Context, arg, sha1 string) (bool, error) {
	cm, err := w.certmgr()
	if err != nil {
		return false, err
	}
	res, err := w.run(ctx, []string{cm, "-list", "-store", arg})
	if err != nil {
		return false, err
	}
	recs, err := cprocsp.ParseCertmgrList(res.Stdout)
	if err != nil {
		return false, fmt.Errorf("certmgr -list -store %s: %w", arg, err)
	}
	for _, r := range recs {
		if strings.EqualFold(r.SHA1, sha1) {
			return true, nil
		}
	}
	return false, nil
}

func (w *linuxWriter) anchorPath(sha1 string) (string, error) {
	if w.t.AnchorDir == "" || len(w.t.UpdateArgv) == 0 {
		return "", fmt.Errorf("system CA bundle: neither update-ca-certificates nor update-ca-trust found: %w", ErrCommandNotFound)
	}
	ext := w.t.AnchorExt
	if ext == "" {
		ext = ".crt"
	}
	return filepath.Join(w.t.AnchorDir, "gmu-doctor-"+strings.ToLower(sha1)+ext), nil
}

// AddCertificate implements Writer.
func (w *linuxWriter) AddCertificate(ctx context.Context, loc StoreLocation, store StoreName, der []byte) (bool, error) {
	sha1 := Thumbprint(der)
	if loc == SystemBundle {
		p, err := w.anchorPath(sha1)
		if err != nil {
			return false, err
		}
		data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			return false, nil
		}
		if err := writeFileAtomic(p, data, 0o644); err != nil {
			return false, err
		}
		if err := w.runOK(ctx, w.t.UpdateArgv); err != nil {
			os.Remove(p)
			return false, err
		}
		return true, nil
	}
	arg := cprocsp.StoreArg(loc == LocalMachine, string(store))
	if ok, err := w.has(ctx, arg, sha1); err != nil || ok {
		return false, err
	}
	if err := w.inst(ctx, arg, der); err != nil {
		return false, err
	}
	return true, nil
}

// inst installs der into a CryptoPro store through a temporary file;
// extra arguments follow (-cont CONTAINER).
func (w *linuxWriter) inst(ctx context.Context, arg string, der []byte, extra ...string) error {
	cm, err := w.certmgr()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "gmu-doctor-fix-*.cer")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(der)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return w.runOK(ctx, append([]string{cm, "-inst", "-store", arg, "-file", f.Name()}, extra...))
}

// RemoveCertificate implements Writer. certmgr does not hand the removed
// certificate back: the fix journal keeps the DER the check read.
func (w *linuxWriter) RemoveCertificate(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (*RemovedCert, error) {
	if loc == SystemBundle {
		p, err := w.anchorPath(sha1)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		rc := &RemovedCert{SHA1: strings.ToUpper(sha1)}
		if b, _ := pem.Decode(data); b != nil {
			rc.DER = b.Bytes
		}
		if err := os.Remove(p); err != nil {
			return nil, err
		}
		argv := w.t.RemoveArgv
		if len(argv) == 0 {
			argv = w.t.UpdateArgv
		}
		return rc, w.runOK(ctx, argv)
	}
	arg := cprocsp.StoreArg(loc == LocalMachine, string(store))
	ok, err := w.has(ctx, arg, sha1)
	if err != nil || !ok {
		return nil, err
	}
	cm, _ := w.certmgr()
	if err := w.runOK(ctx, []string{cm, "-delete", "-store", arg, "-thumbprint", strings.ToLower(sha1)}); err != nil {
		return nil, err
	}
	return &RemovedCert{SHA1: strings.ToUpper(sha1)}, nil
}

// RestoreCertificate implements Writer.
func (w *linuxWriter) RestoreCertificate(ctx context.Context, loc StoreLocation, store StoreName, rc *RemovedCert) error {
	if len(rc.DER) == 0 {
		return fmt.Errorf("restore %s: the journal has no copy of the certificate", rc.SHA1)
	}
	if rc.Container == "" || loc == SystemBundle {
		_, err := w.AddCertificate(ctx, loc, store, rc.DER)
		return err
	}
	// with its link to the key container, as it was
	arg := cprocsp.StoreArg(loc == LocalMachine, string(store))
	if ok, err := w.has(ctx, arg, rc.SHA1); err != nil || ok {
		return err
	}
	return w.inst(ctx, arg, rc.DER, "-cont", rc.Container)
}

// SetRegistryValue implements Writer: there is no registry on Linux.
func (w *linuxWriter) SetRegistryValue(ctx context.Context, key string, view RegView, v RegValue) (RegChange, error) {
	return RegChange{}, fmt.Errorf("set %s: %w", key, ErrNotSupported)
}

// RestoreRegistryValue implements Writer.
func (w *linuxWriter) RestoreRegistryValue(ctx context.Context, ch RegChange) error {
	return fmt.Errorf("restore %s: %w", ch.Key, ErrNotSupported)
}

// RunFixed implements Writer.
func (w *linuxWriter) RunFixed(ctx context.Context, argv []string) (CommandResult, error) {
	if !AllowedCommand("linux", argv, "") {
		return CommandResult{}, fmt.Errorf("run %s: %w", strings.Join(argv, " "), ErrNotAllowed)
	}
	return w.run(ctx, argv)
}

// ProcessRunning implements Writer: /proc/<pid>/comm (the kernel keeps the
// first 15 bytes of the name).
func (w *linuxWriter) ProcessRunning(ctx context.Context, name string) (bool, error) {
	want := name
	if len(want) > 15 {
		want = want[:15]
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return false, fmt.Errorf("list processes: %w", err)
	}
	for _, e := range ents {
		n := e.Name()
		if n == "" || n[0] < '0' || n[0] > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + n + "/comm")
		if err == nil && strings.TrimSpace(string(b)) == want {
			return true, nil
		}
	}
	return false, nil
}

// RemoveDir implements Writer.
func (w *linuxWriter) RemoveDir(ctx context.Context, path string) (bool, error) {
	if !MayRemoveDir(w.t.Home, path, false) {
		return false, fmt.Errorf("remove %s: %w (only below %s)", path, ErrNotAllowed, w.t.Home)
	}
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err := os.RemoveAll(path); err != nil {
		return true, fmt.Errorf("remove %s: %w", path, err)
	}
	return true, nil
}

func writeFileAtomic(p string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), ".gmu-doctor-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
