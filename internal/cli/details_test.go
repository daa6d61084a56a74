package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// factsOnlySnapshot writes a Windows snapshot that recorded nothing but the
// facts: every check that reads the machine ends "did not complete".
func factsOnlySnapshot(t *testing.T, name string) string {
	t.Helper()
	data := `{"snapshot_version": 1, "tool_version": "test", "collected_at": "2025-12-01T09:00:00Z",
		"os": "windows", "arch": "amd64", "os_version": "10.0.19045", "hostname": "WS-01", "utc_offset_seconds": 10800}`
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A replayed snapshot whose checks did not all complete: the closing line
// must point at the details of that snapshot, not at a live run of the
// analyst's own computer.
func TestSnapshotDetailsCommandNamesTheSnapshot(t *testing.T) {
	p := factsOnlySnapshot(t, "ws 01.json")
	r := runCLI(t, "check", "--snapshot", p, "--lang", "en")
	if !strings.Contains(r.stdout, "did not complete") {
		t.Fatalf("no incomplete check:\n%s%s", r.stdout, r.stderr)
	}
	want := `gmu-doctor check --snapshot "` + p + `" -v`
	if !strings.Contains(r.stdout, want) {
		t.Errorf("no %q in:\n%s", want, r.stdout)
	}
}

// With -v already given, the closing line suggests the JSON details of the
// same snapshot and checks.
func TestSnapshotDetailsCommandVerbose(t *testing.T) {
	p := factsOnlySnapshot(t, "ws.json")
	r := runCLI(t, "check", "plugin", "--snapshot", p, "--lang", "en", "-v")
	want := "gmu-doctor check plugin --snapshot " + p + " -v --format json"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("no %q in:\n%s", want, r.stdout)
	}
}
