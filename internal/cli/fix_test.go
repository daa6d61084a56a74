package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/fix"
	"github.com/gmu-doctor/gmu-doctor/internal/fix/fixtest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// fixApp is an App whose live host is a snapshot document that the test
// writer changes, so that fix, check and undo see one workstation.
type fixApp struct {
	snap *host.Snapshot
	w    *fixtest.Writer
}

func newFixApp(t *testing.T, fixture string) *fixApp {
	t.Helper()
	snap, err := host.LoadSnapshotFile(workstation(t, fixture))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("LOCALAPPDATA", "")
	return &fixApp{snap: snap, w: &fixtest.Writer{Snap: snap}}
}

func (f *fixApp) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	a, out, errb := newTestApp(t)
	a.Stdin = strings.NewReader(stdin)
	a.NewLive = func(host.LiveOptions) (host.Host, error) { return host.NewSnapshotHost(f.snap), nil }
	a.NewWriter = func() (host.Writer, error) { return f.w, nil }
	return run(t, a, out, errb, append(args, "--lang", "en")...)
}

func (f *fixApp) state(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(f.snap)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFixMissingIntermediate(t *testing.T) {
	cleanEnv(t)
	f := newFixApp(t, "wine-no-intermediate.json")
	f.snap.Facts.Elevated = false
	before := f.state(t)

	// --dry-run and a refused confirmation change nothing.
	r := f.run(t, "", "fix", "--dry-run", "chain")
	if r.code != 0 || !strings.Contains(r.stdout, "[chain.incomplete]") || !strings.Contains(r.stdout, `into CurrentUser\CA`) {
		t.Fatalf("dry run: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = f.run(t, "n\n", "fix", "chain")
	if r.code != 1 || !strings.Contains(r.stderr, "not confirmed") {
		t.Fatalf("refused: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if len(f.w.Calls()) != 0 || !bytes.Equal(before, f.state(t)) {
		t.Fatalf("the workstation changed without confirmation: %v", f.w.Calls())
	}

	// fix --yes installs the embedded Treasury intermediate; chain passes.
	r = f.run(t, "", "fix", "--yes", "chain")
	if r.code != 0 || !strings.Contains(r.stdout, "chain: fail → ok") {
		t.Fatalf("fix: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	calls := f.w.Calls()
	if len(calls) != 1 || !strings.HasPrefix(calls[0], `add-cert CurrentUser\CA `) {
		t.Fatalf("calls %v", calls)
	}
	r = f.run(t, "", "check", "chain", "--format", "json")
	if r.code != 0 {
		t.Fatalf("check after fix: code %d\n%s", r.code, r.stdout)
	}

	// A second run has nothing to do.
	r = f.run(t, "", "fix", "--yes", "chain")
	if r.code != 0 || !strings.Contains(r.stdout, "Nothing to repair") || len(f.w.Calls()) != 1 {
		t.Fatalf("second fix: code %d, calls %v\n%s", r.code, f.w.Calls(), r.stdout)
	}

	// History, then undo: the workstation is byte for byte as before.
	r = f.run(t, "", "fix", "--history")
	if r.code != 0 || !strings.Contains(r.stdout, "applied 1, failed 0") {
		t.Fatalf("history: code %d\n%s", r.code, r.stdout)
	}
	r = f.run(t, "", "fix", "--undo", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "reverted") {
		t.Fatalf("undo: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !bytes.Equal(before, f.state(t)) {
		t.Fatal("undo did not restore the workstation exactly")
	}
	r = f.run(t, "", "fix", "--undo", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "nothing to revert") {
		t.Fatalf("second undo: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// moveRoot moves the certificates of loc\from into loc\to (a root filed
// under intermediate CAs, as users often do).
func (f *fixApp) moveRoot(t *testing.T, loc host.StoreLocation, from, to host.StoreName) {
	t.Helper()
	var moved []host.Certificate
	for i := range f.snap.CertStores {
		s := &f.snap.CertStores[i]
		if s.Location == loc && s.Store == from {
			moved, s.Certificates = s.Certificates, []host.Certificate{}
		}
	}
	if len(moved) == 0 {
		t.Fatalf("no certificates in %s\\%s", loc, from)
	}
	for i := range f.snap.CertStores {
		s := &f.snap.CertStores[i]
		if s.Location == loc && s.Store == to {
			s.Certificates = append(s.Certificates, moved...)
			return
		}
	}
	f.snap.CertStores = append(f.snap.CertStores, host.SnapStore{Location: loc, Store: to, Certificates: moved})
}

func TestFixFailingStepStopsAndUndoes(t *testing.T) {
	cleanEnv(t)
	f := newFixApp(t, "wine-no-intermediate.json")
	f.snap.Facts.Elevated = true
	f.moveRoot(t, host.LocalMachine, host.StoreRoot, host.StoreCA)
	f.moveRoot(t, host.CurrentUser, host.StoreRoot, host.StoreCA)
	before := f.state(t)
	f.w.FailAt = 2 // the removal of the root from CA fails
	r := f.run(t, "", "fix", "--yes", "chain", "root-certs")
	if r.code != 1 || !strings.Contains(r.stdout, "Step 2 failed") || !strings.Contains(r.stdout, "Applied before it: 1 step(s)") {
		t.Fatalf("code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, " 3. ") && strings.Contains(r.stdout, "done\n 3.") {
		t.Fatalf("the run went on after the failure:\n%s", r.stdout)
	}
	f.w.FailAt = 0
	r = f.run(t, "", "fix", "--undo", "--yes")
	if r.code != 0 || strings.Count(r.stdout, ": reverted") != 1 {
		t.Fatalf("undo: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !bytes.Equal(before, f.state(t)) {
		t.Fatal("undo did not restore exactly what the failed run applied")
	}
}

func TestFixNotElevated(t *testing.T) {
	cleanEnv(t)
	f := newFixApp(t, "wine-no-intermediate.json")
	f.snap.Facts.Elevated = false
	f.moveRoot(t, host.LocalMachine, host.StoreRoot, host.StoreCA)
	f.moveRoot(t, host.CurrentUser, host.StoreRoot, host.StoreCA)
	r := f.run(t, "", "fix", "--yes", "root-certs")
	// adding the root goes to CurrentUser\Root (with the dialog warning);
	// removing it from LocalMachine\CA needs Administrator: skipped with
	// the command to run elevated, and the rest still succeeds.
	for _, want := range []string{`into CurrentUser\Root`, "Windows will ask the user", "run elevated: gmu-doctor fix --yes --only root-certs.wrong-store", "To apply: 3; skipped for rights: 1", "[root-certs.missing]"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in\n%s", want, r.stdout)
		}
	}
	calls := f.w.Calls()
	if len(calls) != 3 || !strings.HasPrefix(calls[0], `add-cert CurrentUser\Root`) || !strings.HasPrefix(calls[1], `remove-cert CurrentUser\CA`) ||
		calls[2] != `add-cert CurrentUser\Root 8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F` {
		t.Fatalf("calls %v", calls)
	}
}

func TestFixSnapshotOnlyPlans(t *testing.T) {
	cleanEnv(t)
	f := newFixApp(t, "wine-no-intermediate.json")
	r := f.run(t, "", "fix", "--yes", "--snapshot", workstation(t, "wine-no-intermediate.json"), "chain")
	if r.code != 0 || !strings.Contains(r.stdout, "This is a snapshot") || len(f.w.Calls()) != 0 {
		t.Fatalf("code %d calls %v\n%s%s", r.code, f.w.Calls(), r.stdout, r.stderr)
	}
	r = f.run(t, "", "fix", "--root", t.TempDir())
	if r.code != 2 || !strings.Contains(r.stderr, "--root") {
		t.Fatalf("--root: code %d\n%s", r.code, r.stderr)
	}
	r = f.run(t, "", "fix", "--yes", "--user", "someone-else")
	if r.code != 2 || !strings.Contains(r.stderr, "--user someone-else") || len(f.w.Calls()) != 0 {
		t.Fatalf("--user: code %d\n%s", r.code, r.stderr)
	}
}

// TestRepairsOnAllFixtures runs the suite on every fixture workstation and
// holds every repair a check attaches to what fix will accept: commands on
// the writer's allow-list (and their undo), certificates whose identity
// verifies, registry values that encode, directories inside the profile.
func TestRepairsOnAllFixtures(t *testing.T) {
	cleanEnv(t)
	files, err := filepath.Glob(filepath.Join(testutil.Testdata(t, "workstations"), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	kinds := map[doctor.RepairKind]int{}
	for _, file := range files {
		snap, err := host.LoadSnapshotFile(file)
		if err != nil {
			t.Fatal(err)
		}
		a, _, _ := newTestApp(t)
		cfg, err := a.Config()
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.newRunner(cfg, host.NewSnapshotHost(snap), "snapshot")
		if err != nil {
			t.Fatal(err)
		}
		rep := r.Run(context.Background(), a.suite())
		for _, res := range rep.Results {
			for _, f := range res.Findings {
				for _, rp := range f.Repairs {
					kinds[rp.Kind]++
					where := fmt.Sprintf("%s: %s %s", filepath.Base(file), f.Code, rp.Kind)
					switch rp.Kind {
					case doctor.RepairRun:
						sysRoot := ""
						if v, ok := snap.Env["SystemRoot"]; ok && v != nil {
							sysRoot = *v
						}
						for _, argv := range [][]string{rp.Argv, rp.UndoArgv} {
							if argv != nil && !host.AllowedCommand(snap.OS, argv, sysRoot) {
								t.Errorf("%s: %q is not on the writer's allow-list", where, argv)
							}
						}
					case doctor.RepairSetRegValue:
						if rp.Value == nil {
							t.Errorf("%s: no value", where)
						} else if _, _, err := host.EncodeRegValue(*rp.Value); err != nil {
							t.Errorf("%s: %v", where, err)
						}
					case doctor.RepairRemoveDir:
						if !host.MayRemoveDir(snap.Home, rp.Path, snap.OS == "windows") {
							t.Errorf("%s: %s is not a directory fix may remove (home %s)", where, rp.Path, snap.Home)
						}
					}
				}
			}
		}
		for _, st := range fix.Build(rep, fix.Options{}).Steps {
			if st.Skip == fix.SkipUnverified && len(st.Repair.DER) > 0 {
				t.Errorf("%s: step %d [%s]: an embedded certificate does not verify", filepath.Base(file), st.N, st.Code)
			}
		}
	}
	t.Logf("repairs seen: %v", kinds)
	for _, k := range []doctor.RepairKind{doctor.RepairAddCert, doctor.RepairSetRegValue} {
		if kinds[k] == 0 {
			t.Errorf("no %s repair on any fixture: the test would prove nothing", k)
		}
	}
}
