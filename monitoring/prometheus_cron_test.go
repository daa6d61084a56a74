package monitoring_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestPrometheusCronLine runs the command of the shipped cron file the way
// cron would (sh -c, the binary and the textfile folder relocated) on a
// fixture, and checks the file it leaves for the textfile collector with
// promtool: complete, no temporary file left behind.
func TestPrometheusCronLine(t *testing.T) {
	promtool := testutil.RequireTool(t, "promtool", "Debian package prometheus")
	var line string
	for _, l := range strings.Split(shipped(t, "prometheus", "gmu-doctor.cron"), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			line = l
		}
	}
	f := strings.Fields(line)
	if len(f) < 7 || f[6] != "/usr/bin/gmu-doctor" {
		t.Fatalf("cron line %q", line)
	}
	dir := t.TempDir()
	textfile := filepath.Join(dir, "textfile")
	if err := os.Mkdir(textfile, 0o755); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(repoRoot(), "testdata", "workstations", "linux-redos-csp4-en.json")
	cmdLine := strings.NewReplacer(
		"/usr/bin/gmu-doctor check", gmuDoctor(t)+" check --snapshot "+snap,
		"/var/lib/node_exporter/textfile/", textfile+"/",
	).Replace(strings.Join(f[6:], " "))
	cmd := exec.Command("/bin/sh", "-c", cmdLine)
	cmd.Env = isolatedEnv(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdLine, err, out)
	}
	entries, _ := os.ReadDir(textfile)
	if len(entries) != 1 || entries[0].Name() != "gmu_doctor.prom" {
		t.Fatalf("textfile folder holds %v, want only gmu_doctor.prom", entries)
	}
	body, err := os.ReadFile(filepath.Join(textfile, "gmu_doctor.prom"))
	if err != nil {
		t.Fatal(err)
	}
	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = bytes.NewReader(body)
	if out, err := check.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
	if !bytes.Contains(body, []byte(`gmu_doctor_license_expires_in_seconds{host="kazna-ws-12",check="csp-license"} 1036800`)) {
		t.Errorf("the licence's 12 days are not in the metrics:\n%s", body)
	}
}
