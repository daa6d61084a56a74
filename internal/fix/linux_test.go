//go:build linux

package fix

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// linuxBed is a Linux workstation in a temporary directory: a stand-in
// certmgr that records its arguments and keeps stores as directories, the
// real update-ca-certificates pointed at temporary directories, and a
// recorder for the fixed commands (systemctl).
type linuxBed struct {
	dir, certmgr, local, etc string
	ran                      []string
	w                        host.Writer
}

func newLinuxBed(t *testing.T) *linuxBed {
	t.Helper()
	updateTool := testutil.RequireTool(t, "update-ca-certificates", "the system CA bundle repair runs the real tool (package ca-certificates)")
	b := &linuxBed{dir: t.TempDir()}
	src, err := os.ReadFile(filepath.Join("testdata", "certmgr-standin.sh"))
	if err != nil {
		t.Fatal(err)
	}
	b.certmgr = filepath.Join(b.dir, "cprocsp", "certmgr")
	b.local, b.etc = filepath.Join(b.dir, "local"), filepath.Join(b.dir, "etc")
	for _, d := range []string{filepath.Dir(b.certmgr), b.local, b.etc, filepath.Join(b.dir, "share"), filepath.Join(b.dir, "hooks"), filepath.Join(b.dir, "home")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(b.certmgr, src, 0o755); err != nil {
		t.Fatal(err)
	}
	// one certificate of the distribution, as /usr/share/ca-certificates
	// holds (update-ca-certificates keeps a stale bundle when it ends up
	// with no certificate at all)
	distro := testutil.ReadTestdata(t, "certs", "realworld", "guc-root-gost2012-mincifry-2022.pem")
	if err := os.MkdirAll(filepath.Join(b.dir, "share", "distro"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, "share", "distro", "root.crt"), distro, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(b.dir, "ca-certificates.conf")
	if err := os.WriteFile(conf, []byte("distro/root.crt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	update := []string{updateTool, "--certsconf", conf, "--certsdir", filepath.Join(b.dir, "share"),
		"--localcertsdir", b.local, "--etccertsdir", b.etc, "--hooksdir", filepath.Join(b.dir, "hooks")}
	tools := host.LinuxTools{
		Certmgr: b.certmgr, AnchorDir: b.local, AnchorExt: ".crt",
		UpdateArgv: update, RemoveArgv: append(update[:len(update):len(update)], "--fresh"),
		Home: filepath.Join(b.dir, "home"),
	}
	// the system as installed: the bundle exists before fix runs
	if res, err := runReal(context.Background(), update); err != nil || res.ExitCode != 0 {
		t.Fatalf("update-ca-certificates: %v %s", err, res.Stderr)
	}
	tools.Run = func(ctx context.Context, argv []string) (host.CommandResult, error) {
		if strings.HasSuffix(argv[0], "systemctl") {
			b.ran = append(b.ran, strings.Join(argv, " "))
			return host.CommandResult{}, nil
		}
		return runReal(ctx, argv)
	}
	b.w = host.NewLinuxWriter(tools)
	return b
}

// runReal runs the stand-in certmgr and update-ca-certificates for real.
func runReal(ctx context.Context, argv []string) (host.CommandResult, error) {
	var out, errb bytes.Buffer
	c := exec.CommandContext(ctx, argv[0], argv[1:]...)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	res := host.CommandResult{Stdout: out.Bytes(), Stderr: errb.Bytes()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.ExitCode = ee.ExitCode()
		return res, nil
	}
	return res, err
}

// state is everything the writer may touch, as text.
func (b *linuxBed) state(t *testing.T) string {
	t.Helper()
	var out []string
	for _, d := range []string{filepath.Join(b.dir, "cprocsp", "stores"), b.local, b.etc} {
		_ = filepath.Walk(d, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return nil
			}
			line := strings.TrimPrefix(p, b.dir)
			if fi.Mode()&os.ModeSymlink != 0 {
				target, _ := os.Readlink(p)
				line += " -> " + target
			} else if data, err := os.ReadFile(p); err == nil {
				sum := sha1.Sum(data)
				line += " " + hex.EncodeToString(sum[:])
			}
			out = append(out, line)
			return nil
		})
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func TestLinuxApplyUndo(t *testing.T) {
	root, ca, leaf := realCerts(t)
	tls := testutil.ReadTestdata(t, "certs", "tls", "russian-trusted-root-ca.pem")
	blk, _ := pem.Decode(tls)
	if blk == nil {
		t.Fatal("no PEM in the TLS root fixture")
	}
	b := newLinuxBed(t)
	reps := []doctor.Repair{
		{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca, Child: leaf},
		{Kind: doctor.RepairAddCert, Store: host.StoreRoot, DER: root, SHA1: host.Thumbprint(root)},
		{Kind: doctor.RepairAddCert, Location: host.SystemBundle, DER: blk.Bytes, SHA1: host.Thumbprint(blk.Bytes)},
		{Kind: doctor.RepairRun, Admin: true, Argv: []string{"/usr/bin/systemctl", "enable", "--now", "pcscd.socket"}, UndoArgv: []string{"/usr/bin/systemctl", "disable", "--now", "pcscd.socket"}},
	}
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	j := &Journal{Dir: filepath.Join(b.dir, "journal")}

	// Not elevated: the user's stores are changed, the system bundle and
	// pcscd are skipped with the elevated command; the run succeeds.
	p := Build(report(false, "linux", "chain.incomplete", reps...), Options{})
	if ap, el, _, _ := p.Counts(); ap != 2 || el != 2 || !strings.HasPrefix(p.Steps[2].Elevated, "sudo gmu-doctor fix --yes --only ") {
		t.Fatalf("not elevated: apply %d, elevation %d, %q", ap, el, p.Steps[2].Elevated)
	}
	before := b.state(t)
	run, _ := j.NewRun(host.Facts{}, "test", now())
	if err := Apply(context.Background(), b.w, p, run, now, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(b.dir, "cprocsp", "stores", "uCA", strings.ToLower(host.Thumbprint(ca))+".cer")); err != nil {
		t.Fatalf("not installed into uCA: %v", err)
	}
	if _, err := Undo(context.Background(), b.w, run, now, nil); err != nil {
		t.Fatal(err)
	}
	if got := b.state(t); got != before {
		t.Fatalf("undo (user stores):\n%s\n--- want\n%s", got, before)
	}

	// Elevated: machine stores, the system bundle through the real
	// update-ca-certificates, pcscd through systemctl.
	p = Build(report(true, "linux", "chain.incomplete", reps...), Options{})
	run, _ = j.NewRun(host.Facts{}, "test", now())
	if err := Apply(context.Background(), b.w, p, run, now, nil); err != nil {
		t.Fatal(err)
	}
	bundle, err := os.ReadFile(filepath.Join(b.etc, "ca-certificates.crt"))
	if err != nil || !bytes.Contains(bundle, bytes.TrimSpace(pem.EncodeToMemory(blk))) {
		t.Fatalf("the TLS root is not in the rebuilt bundle (%v)", err)
	}
	for _, st := range []string{"mCA", "mRoot"} {
		ents, _ := os.ReadDir(filepath.Join(b.dir, "cprocsp", "stores", st))
		if len(ents) != 1 {
			t.Errorf("%s holds %d certificates", st, len(ents))
		}
	}
	fixed := b.state(t)
	// A second run changes nothing.
	run2, _ := j.NewRun(host.Facts{}, "test", now())
	if err := Apply(context.Background(), b.w, p, run2, now, nil); err != nil {
		t.Fatal(err)
	}
	for _, e := range run2.Entries[:3] {
		if e.Status != StatusUnchanged {
			t.Errorf("second run: step %d %s", e.Step.N, e.Status)
		}
	}
	if b.state(t) != fixed {
		t.Fatal("the second run changed the stores")
	}
	if _, err := Undo(context.Background(), b.w, run, now, nil); err != nil {
		t.Fatal(err)
	}
	if got := b.state(t); got != before {
		t.Fatalf("undo (machine):\n%s\n--- want\n%s", got, before)
	}
	if want := "/usr/bin/systemctl enable --now pcscd.socket|/usr/bin/systemctl enable --now pcscd.socket|/usr/bin/systemctl disable --now pcscd.socket"; strings.Join(b.ran, "|") != want {
		t.Errorf("systemctl runs %q", b.ran)
	}
	log, _ := os.ReadFile(filepath.Join(b.dir, "cprocsp", "args.log"))
	if !strings.Contains(string(log), "-inst -store mCA -file ") || !strings.Contains(string(log), "-delete -store mRoot -thumbprint "+strings.ToLower(host.Thumbprint(root))) {
		t.Errorf("certmgr arguments:\n%s", log)
	}
}

func TestLinuxFailingStep(t *testing.T) {
	_, ca, leaf := realCerts(t)
	b := newLinuxBed(t)
	reps := []doctor.Repair{
		{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca, Child: leaf},
		// not on the allow-list: fails, and stops the run
		{Kind: doctor.RepairRun, Argv: []string{"/bin/sh", "-c", "id"}},
		{Kind: doctor.RepairRun, Argv: []string{"/usr/bin/systemctl", "enable", "--now", "pcscd.socket"}},
	}
	now := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	j := &Journal{Dir: filepath.Join(b.dir, "journal")}
	before := b.state(t)
	p := Build(report(true, "linux", "chain.incomplete", reps...), Options{})
	run, _ := j.NewRun(host.Facts{}, "test", now())
	err := Apply(context.Background(), b.w, p, run, now, nil)
	var se *StepError
	if !errors.As(err, &se) || se.Step.N != 2 || !errors.Is(err, host.ErrNotAllowed) {
		t.Fatalf("Apply = %v", err)
	}
	if len(b.ran) != 0 || len(run.Entries) != 2 || len(run.Applied()) != 1 {
		t.Fatalf("ran %v, %d entries, %d applied", b.ran, len(run.Entries), len(run.Applied()))
	}
	// the journal on disk says the same, and undo reverts exactly that
	loaded, err := j.Find(run.ID)
	if err != nil || len(loaded.Applied()) != 1 {
		t.Fatalf("journal: %v", err)
	}
	if _, err := Undo(context.Background(), b.w, loaded, now, nil); err != nil {
		t.Fatal(err)
	}
	if got := b.state(t); got != before {
		t.Fatalf("undo:\n%s\n--- want\n%s", got, before)
	}
	// a directory outside the home is never removed
	if _, err := b.w.RemoveDir(context.Background(), b.dir); !errors.Is(err, host.ErrNotAllowed) {
		t.Fatalf("RemoveDir outside home: %v", err)
	}
}

// An expired leftover removed with --remove-expired comes back with its
// key container link on undo.
func TestLinuxRemoveExpiredUndo(t *testing.T) {
	_, _, leaf := realCerts(t)
	b := newLinuxBed(t)
	ctx := context.Background()
	if _, err := b.w.AddCertificate(ctx, host.CurrentUser, host.StoreMy, leaf); err != nil {
		t.Fatal(err)
	}
	const cont = `\\.\HDIMAGE\old-2023`
	rep := report(false, "linux", CodeRemoveExpired, doctor.Repair{Kind: doctor.RepairRemoveCert, Location: host.CurrentUser,
		Store: host.StoreMy, SHA1: host.Thumbprint(leaf), DER: leaf, Container: cont})
	if p := Build(rep, Options{}); p.Steps[0].Skip != SkipRemoveExpired {
		t.Fatalf("removed without --remove-expired: %q", p.Steps[0].Skip)
	}
	p := Build(rep, Options{RemoveExpired: true})
	now := func() time.Time { return time.Unix(0, 0) }
	j := &Journal{Dir: filepath.Join(b.dir, "journal")}
	run, _ := j.NewRun(host.Facts{}, "test", now())
	if err := Apply(ctx, b.w, p, run, now, nil); err != nil {
		t.Fatal(err)
	}
	// the journal holds the certificate itself
	loaded, err := j.Find(run.ID)
	if err != nil || loaded.Entries[0].Removed == nil || !bytes.Equal(loaded.Entries[0].Removed.DER, leaf) {
		t.Fatalf("journal: %v", err)
	}
	if _, err := Undo(ctx, b.w, loaded, now, nil); err != nil {
		t.Fatal(err)
	}
	log, _ := os.ReadFile(filepath.Join(b.dir, "cprocsp", "args.log"))
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "-inst -store uMy -file ") || !strings.HasSuffix(last, " -cont "+cont) {
		t.Fatalf("restore ran %q", last)
	}
}
