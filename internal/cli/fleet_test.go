package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/diff"
	"github.com/gmu-doctor/gmu-doctor/internal/fleet"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// TestReportMixesSnapshotsAndReports: report checks snapshots itself and
// reads JSON reports as they are; the statuses agree with check.
func TestReportMixesSnapshotsAndReports(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	broken := runCLI(t, "check", "--format", "json", "--lang", "en", "--snapshot", workstation(t, "wine-no-intermediate.json"))
	if broken.code != 1 {
		t.Fatalf("check: %d %s", broken.code, broken.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "from-report.json"), []byte(broken.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "report", "--format", "json", "--lang", "en", dir, workstation(t, "windows10-healthy.json"), workstation(t, "linux-astra.json"))
	if r.code != 1 {
		t.Fatalf("report exit %d, want 1 (problems found): %s", r.code, r.stderr)
	}
	var s fleet.Summary
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if s.Totals["total"] != 3 {
		t.Fatalf("totals %v", s.Totals)
	}
	inputs := map[string]string{}
	for _, w := range s.Workstations {
		inputs[w.Name] = w.Input
		if w.Name == "WINE-NO-INTERMEDIATE" && !strings.Contains(strings.Join(w.Failing, ","), "chain") {
			t.Errorf("failing checks of the report input: %v", w.Failing)
		}
	}
	if inputs["WINE-NO-INTERMEDIATE"] != "report" || len(inputs) != 3 {
		t.Errorf("inputs %v", inputs)
	}
	for name, in := range inputs {
		if name != "WINE-NO-INTERMEDIATE" && in != "snapshot" {
			t.Errorf("%s read as %s", name, in)
		}
	}

	// -o writes the file; the HTML page is in the chosen language.
	out := filepath.Join(t.TempDir(), "fleet.html")
	r = runCLI(t, "report", "--format", "html", "--lang", "ru", "-o", out, dir)
	page, err := os.ReadFile(out)
	if err != nil || r.code != 1 || r.stdout != "" {
		t.Fatalf("report -o: %d %v %q %q", r.code, err, r.stdout, r.stderr)
	}
	if !strings.Contains(string(page), `<html lang="ru">`) || !strings.Contains(string(page), "подпись не работает") {
		t.Error("the page is not in Russian")
	}
}

func TestReportErrors(t *testing.T) {
	cleanEnv(t)
	wantOneLine(t, runCLI(t, "report", filepath.Join(t.TempDir(), "missing")), "missing")
	wantOneLine(t, runCLI(t, "report", t.TempDir()), "*.json")
	wantOneLine(t, runCLI(t, "report", "--format", "prometheus", workstation(t, "linux-astra.json")), "prometheus")
	wantOneLine(t, runCLI(t, "report"))
	// An unreadable input is a row of the report, not the end of it.
	bad := writeFile(t, "x.json", `{"snapshot_version": 99}`)
	r := runCLI(t, "report", "--lang", "en", bad, workstation(t, "linux-astra.json"))
	if r.code != 1 || !strings.Contains(r.stdout, "unreadable 1") || !strings.Contains(r.stdout, "snapshot_version") {
		t.Errorf("unreadable input: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestDiffSnapshots(t *testing.T) {
	cleanEnv(t)
	good, bad := workstation(t, "wine-healthy.json"), workstation(t, "wine-no-intermediate.json")
	r := runCLI(t, "diff", "--format", "json", "--lang", "en", good, bad)
	if r.code != 1 {
		t.Fatalf("diff exit %d, want 1: %s", r.code, r.stderr)
	}
	var res diff.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	var chain *diff.CheckDiff
	for i := range res.Checks {
		if res.Checks[i].ID == "chain" {
			chain = &res.Checks[i]
		}
	}
	if chain == nil || chain.Good != "ok" || chain.Bad != "fail" || len(chain.Findings) == 0 || chain.Findings[0].Code != "chain.incomplete" {
		t.Fatalf("chain difference: %+v", res.Checks)
	}
	// The Treasury intermediate is in GOOD's CA stores and not in BAD's.
	found := false
	for _, c := range res.Certificates {
		if c.Side == "good" && c.Store == "CA" && c.SHA1 == "12BC42082D3F6027A29B7A87FE09B0329631C076" {
			found = true
		}
	}
	if !found {
		t.Errorf("missing intermediate not listed: %+v", res.Certificates)
	}
	// Text, in Russian.
	r = runCLI(t, "diff", good, bad)
	if r.code != 1 || !strings.Contains(r.stdout, "только GOOD") || !strings.Contains(r.stdout, "ok → fail") {
		t.Errorf("text diff:\n%s", r.stdout)
	}
	// The same snapshot twice: nothing differs, exit 0.
	r = runCLI(t, "diff", good, good)
	if r.code != 0 || !strings.Contains(r.stdout, "Различий, важных для подписи, нет.") {
		t.Errorf("identical: %d\n%s", r.code, r.stdout)
	}
}

func TestDiffVersionsAndZones(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "diff", "--format", "json", "--lang", "en", workstation(t, "wine-healthy.json"), workstation(t, "wine-no-csp.json"))
	var res diff.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, r.stderr)
	}
	whats := map[string]diff.ValueDiff{}
	for _, v := range res.Versions {
		whats[v.What] = v
	}
	if v, ok := whats["csp"]; !ok || !strings.Contains(v.Good, "5.0") {
		t.Errorf("CSP version difference: %+v", res.Versions)
	}
	if len(res.Zones) == 0 {
		t.Errorf("no IE zone difference between a workstation with zones and one without: %+v", res.Registry)
	}
	for _, z := range res.Zones {
		if !strings.Contains(strings.ToLower(z.Key), "internet settings") {
			t.Errorf("not a zone key: %+v", z)
		}
	}
}

func TestDiffErrors(t *testing.T) {
	cleanEnv(t)
	wantOneLine(t, runCLI(t, "diff", workstation(t, "wine-healthy.json")))
	wantOneLine(t, runCLI(t, "diff", workstation(t, "wine-healthy.json"), filepath.Join(t.TempDir(), "none.json")), "none.json")
	wantOneLine(t, runCLI(t, "diff", "live", "live"))
	wantOneLine(t, runCLI(t, "diff", "--format", "csv", "a", "b"), "csv")
}

// TestDiffLive: "live" is this computer, recorded through the live host
// the way collect records it (here the live host replays a snapshot).
func TestDiffLive(t *testing.T) {
	cleanEnv(t)
	snap, err := host.LoadSnapshotFile(workstation(t, "wine-no-intermediate.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, out, errb := newTestApp(t)
	a.NewLive = func(host.LiveOptions) (host.Host, error) { return host.NewSnapshotHost(snap), nil }
	r := run(t, a, out, errb, "diff", "--format", "json", "--lang", "en", workstation(t, "wine-healthy.json"), "live")
	if r.code != 1 {
		t.Fatalf("diff live: %d %s", r.code, r.stderr)
	}
	var res diff.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Bad != "live" || res.BadHost != "WINE-NO-INTERMEDIATE" || len(res.Certificates) == 0 {
		t.Errorf("live side: %+v", res)
	}
}
