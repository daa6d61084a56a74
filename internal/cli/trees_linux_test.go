//go:build linux

package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/host/hosttest"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// The Linux fixture trees (testdata/linux/<tree>/root, see its README) run
// end to end through the CLI: `check --root DIR --user U`, and `collect`
// whose snapshot `check --snapshot` must replay to the same verdicts.

var updateLinuxSnapshots = flag.Bool("update-linux-snapshots", false, "write each Linux tree's collected snapshot to testdata/workstations/linux-<tree>.json")

// treeAt is inside the validity of the real 2025 Treasury leaf
// (2025-07-03 … 2026-09-26) that the astra and redos trees hold.
const treeAt = "2025-12-01T09:00:00+03:00"

// treeWant is what one check must say about a tree.
type treeWant struct {
	status   string
	codes    []string // finding codes that must be there
	notCodes []string // finding codes that must not
	mention  string   // a text some finding's message, hint, commands or subject must contain
}

type linuxTree struct {
	name, user string
	want       map[string]treeWant
	// mounted replaces entries of want when the tree is read as a mounted
	// disk (production --root: no program runs, so what only the tools
	// know is not determinable).
	mounted map[string]treeWant
}

func linuxTrees() []linuxTree {
	return []linuxTree{
		{name: "astra-csp5-ru", user: "ivanov", want: map[string]treeWant{
			"os-support":       {status: "ok"},
			"clock":            {status: "ok"},
			"csp":              {status: "ok"},
			"csp-license":      {status: "ok"},
			"gost-tls-browser": {status: "ok"},
			"personal-certs":   {status: "ok"},
			"chain":            {status: "ok"},
			// the CryptoPro extension and its host are there; only the
			// Госуслуги plug-in (Госплагин) is not
			"plugin":    {codes: []string{"plugin.gosplugin-missing"}, notCodes: []string{"plugin.not-installed", "plugin.extension-missing", "plugin.ifc-outdated"}},
			"ie-zones":  {status: "skipped"},
			"capicom":   {status: "skipped"},
			"site-oids": {notCodes: []string{"site-oids.gmu-missing"}},
			// Chromium-Gost is the only browser: it takes HTTPS roots from
			// CryptoPro, and the Russian Trusted Root CA is in uRoot
			"root-certs": {status: "ok", notCodes: []string{"root-certs.tls-missing-cprocsp", "root-certs.tls-missing"}},
			// pcscd's socket is there and the pcsc_scan stand-in lists a Rutoken
			"readers": {status: "ok", notCodes: []string{"readers.pcscd-missing", "readers.pcscd-stopped"}},
		}, mounted: map[string]treeWant{
			// the version from /var/lib/dpkg/status; the licence only cpconfig knows
			"csp":         {status: "ok"},
			"csp-license": {status: "skipped"},
		}},
		{name: "redos-csp4-en", user: "petrov", want: map[string]treeWant{
			"os-support":       {status: "ok"},
			"clock":            {status: "ok"},
			"csp":              {status: "warn", codes: []string{"csp.old-for-gost-tls"}, notCodes: []string{"csp.not-installed"}},
			"csp-license":      {status: "warn", codes: []string{"csp-license.expires-soon"}, mention: "12"},
			"personal-certs":   {status: "ok"},
			"chain":            {status: "fail", codes: []string{"chain.incomplete"}, notCodes: []string{"chain.expired"}, mention: "ucfk_2024.crt"},
			"plugin":           {status: "fail", codes: []string{"plugin.not-installed"}},
			"gost-tls-browser": {status: "fail", codes: []string{"gost-tls-browser.missing"}},
			// Chromium (system bundle) and Firefox (its profile's cert9.db):
			// the /etc/pki bundles lack the Russian Trusted Root CA, so does
			// the Firefox profile; an NSS database exists in ~/.pki/nssdb
			"root-certs": {status: "fail", codes: []string{"root-certs.tls-missing", "root-certs.tls-missing-firefox"}, notCodes: []string{"root-certs.tls-missing-cprocsp"}, mention: "k3x9q2ab.default-release"},
			// a running system (/proc/1) without pcscd's socket or package
			"readers": {status: "warn", codes: []string{"readers.pcscd-missing"}, mention: "sudo dnf install -y pcsc-lite pcsc-lite-ccid"},
		}, mounted: map[string]treeWant{
			// RPM: neither the CSP version nor pcsc-lite is determinable
			"csp":         {status: "ok", notCodes: []string{"csp.not-installed", "csp.version-unknown"}},
			"csp-license": {status: "skipped"},
			"readers":     {status: "ok", notCodes: []string{"readers.pcscd-missing"}},
		}},
		{name: "alt-chromium-gost", user: "sidorov", want: map[string]treeWant{
			"os-support":       {status: "ok"},
			"clock":            {status: "ok"},
			"csp":              {status: "ok"},
			"csp-license":      {status: "ok"},
			"gost-tls-browser": {status: "ok"},
			// besides, Госплагин is installed system-wide, but a stale
			// per-user manifest shadows it for Chromium-Gost, whose profile
			// also has both Госуслуги extensions
			"plugin": {status: "warn", codes: []string{"plugin.extension-missing", "plugin.gosplugin-user-manifest-shadows", "plugin.gosuslugi-extensions-conflict"},
				notCodes: []string{"plugin.not-installed", "plugin.gosplugin-missing"}, mention: "chromium-gost"},
			// the ГИС ЖКХ leaf of 2022 expired on 2023-06-20; its
			// intermediate (Казначейство России 2022) is installed
			"personal-certs": {status: "fail", codes: []string{"personal-certs.expired"}},
			"chain":          {status: "fail", codes: []string{"chain.expired"}, notCodes: []string{"chain.incomplete"}},
			// no system CA bundle at all (for Google Chrome), and no Russian
			// Trusted Root CA in CryptoPro's stores (for Chromium-Gost)
			"root-certs": {status: "fail", codes: []string{"root-certs.no-system-bundle", "root-certs.tls-missing-cprocsp"}, mention: "certmgr -inst -store uRoot"},
			// no /proc/1: a mounted disk, the daemon is not judged
			"readers": {status: "ok", notCodes: []string{"readers.pcscd-missing"}},
		}, mounted: map[string]treeWant{
			"csp-license": {status: "skipped"},
		}},
	}
}

func treeRoot(t *testing.T, name string) string {
	t.Helper()
	dir := testutil.Testdata(t, "linux", name, "root")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("fixture tree: %v", err)
	}
	return dir
}

// checkByID indexes a report's checks.
func checkByID(d *report.Document) map[string]report.CheckDoc {
	m := map[string]report.CheckDoc{}
	for _, c := range d.Checks {
		m[c.ID] = c
	}
	return m
}

func hasCode(c report.CheckDoc, code string) bool {
	for _, f := range c.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func mentions(c report.CheckDoc, s string) bool {
	for _, f := range c.Findings {
		if strings.Contains(f.Message+"\n"+f.Hint+"\n"+f.Subject+"\n"+strings.Join(f.Commands, "\n"), s) {
			return true
		}
	}
	return false
}

// runTree runs the CLI and decodes its JSON report; exit codes 0 and 1 are
// verdicts, anything else is a failure.
func runTree(t *testing.T, args ...string) *report.Document {
	t.Helper()
	return runTreeMode(t, false, args...)
}

// runTreeMode is runTree; with workstation set the trees' CryptoPro tools
// answer from their recorded outputs (the test seam hosttest.NewLive), as
// on the workstation itself; without it --root is exactly production's.
func runTreeMode(t *testing.T, workstation bool, args ...string) *report.Document {
	t.Helper()
	a, out, errb := newTestApp(t)
	if workstation {
		a.NewLive = hosttest.NewLive
	}
	r := run(t, a, out, errb, args...)
	if r.code != 0 && r.code != 1 {
		t.Fatalf("gmu-doctor %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	d := decodeReport(t, r.stdout)
	if d.ExitCode != r.code {
		t.Errorf("exit_code %d, process exit %d", d.ExitCode, r.code)
	}
	return d
}

func TestLinuxTreesThroughCLI(t *testing.T) {
	cleanEnv(t)
	for _, tr := range linuxTrees() {
		for _, workstation := range []bool{true, false} {
			tr, workstation := tr, workstation
			name := tr.name + "/mounted"
			if workstation {
				name = tr.name + "/workstation"
			}
			t.Run(name, func(t *testing.T) { testTreeThroughCLI(t, tr, workstation) })
		}
	}
}

func testTreeThroughCLI(t *testing.T, tr linuxTree, workstation bool) {
	want := map[string]treeWant{}
	for id, w := range tr.want {
		want[id] = w
	}
	if !workstation {
		for id, w := range tr.mounted {
			want[id] = w
		}
	}
	root := treeRoot(t, tr.name)
	live := runTreeMode(t, workstation, "check", "--root", root, "--user", tr.user, "--at", treeAt, "--format", "json", "--lang", "en")
	if live.Host.Source != "live" {
		t.Errorf("host source %q", live.Host.Source)
	}
	got := checkByID(live)
	for id, w := range want {
		c, ok := got[id]
		if !ok {
			t.Errorf("check %s is not in the report", id)
			continue
		}
		if w.status != "" && c.Status != w.status {
			t.Errorf("check %s: status %s (findings %s; %s), want %s", id, c.Status, codes(c), c.Reason, w.status)
		}
		for _, code := range w.codes {
			if !hasCode(c, code) {
				t.Errorf("check %s: no finding %s (findings %s)", id, code, codes(c))
			}
		}
		for _, code := range w.notCodes {
			if hasCode(c, code) {
				t.Errorf("check %s: unexpected finding %s", id, code)
			}
		}
		if w.mention != "" && !mentions(c, w.mention) {
			t.Errorf("check %s: no finding mentions %q: %+v", id, w.mention, c.Findings)
		}
	}
	for _, c := range live.Checks {
		if c.Status == "error" {
			t.Errorf("check %s ended with status error: %s", c.ID, c.Reason)
		}
	}

	// collect of each tree replays identically.
	snap := filepath.Join(t.TempDir(), tr.name+".json")
	a, out, errb := newTestApp(t)
	if workstation {
		a.NewLive = hosttest.NewLive
	}
	r := run(t, a, out, errb, "collect", "--root", root, "--user", tr.user, "--at", treeAt, "-o", snap, "--lang", "en")
	if r.code != 0 {
		t.Fatalf("collect: exit %d %s", r.code, r.stderr)
	}
	s, err := host.LoadSnapshotFile(snap)
	if err != nil {
		t.Fatalf("collected snapshot does not load: %v", err)
	}
	at, _ := time.Parse(time.RFC3339, treeAt)
	if !s.CollectedAt.Equal(at) || s.OS != "linux" {
		t.Errorf("snapshot: collected_at %s os %q, want %s linux", s.CollectedAt, s.OS, treeAt)
	}
	replay := runTree(t, "check", "--snapshot", snap, "--format", "json", "--lang", "en")
	if replay.Host.Source != "snapshot" {
		t.Errorf("replay host source %q", replay.Host.Source)
	}
	if len(replay.Checks) != len(live.Checks) {
		t.Errorf("live has %d checks, replay %d", len(live.Checks), len(replay.Checks))
	}
	rep := checkByID(replay)
	for _, l := range live.Checks {
		p, ok := rep[l.ID]
		if !ok {
			t.Errorf("check %s missing from the replay", l.ID)
			continue
		}
		if l.Status != p.Status || codes(l) != codes(p) {
			t.Errorf("check %s: live %s [%s], replay %s [%s] (%s)", l.ID, l.Status, codes(l), p.Status, codes(p), p.Reason)
		}
	}
	if live.ExitCode != replay.ExitCode {
		t.Errorf("exit codes: live %d, replay %d", live.ExitCode, replay.ExitCode)
	}
	if *updateLinuxSnapshots && workstation {
		// What depends on who runs the test and when: the
		// fixtures are a workstation where the user, not root,
		// ran collect; file times are pinned.
		s.Elevated = false
		s.PinModTimes()
		var buf bytes.Buffer
		if err := host.WriteSnapshot(&buf, s); err != nil {
			t.Fatal(err)
		}
		out := testutil.Testdata(t, "workstations", "linux-"+tr.name+".json")
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", out, buf.Len())
	}
}

// TestLinuxTreeAt: --at reaches the checks. A garbage moment is a usage
// error; on 2027-01-01 the astra leaf (valid until 2026-09-26) has expired,
// while on treeAt it has not.
func TestLinuxTreeAt(t *testing.T) {
	cleanEnv(t)
	root := treeRoot(t, "astra-csp5-ru")
	r := runCLI(t, "check", "--root", root, "--user", "ivanov", "--at", "garbage", "--format", "json")
	wantOneLine(t, r, "--at", "garbage")
	if r.stdout != "" {
		t.Errorf("usage error wrote a report: %q", r.stdout)
	}

	for _, tc := range []struct {
		at      string
		status  string
		expired bool
	}{
		{"2027-01-01", "fail", true},
		{treeAt, "ok", false},
	} {
		d := runTree(t, "check", "personal-certs", "--root", root, "--user", "ivanov", "--at", tc.at, "--format", "json")
		c, ok := checkByID(d)["personal-certs"]
		if !ok {
			t.Fatalf("--at %s: no personal-certs in the report", tc.at)
		}
		if c.Status != tc.status || hasCode(c, "personal-certs.expired") != tc.expired {
			t.Errorf("--at %s: personal-certs %s [%s], want %s (expired finding: %v)", tc.at, c.Status, codes(c), tc.status, tc.expired)
		}
	}
}
