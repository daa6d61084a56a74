package monitoring_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// promOutput runs check --format prometheus on a snapshot.
func promOutput(t *testing.T, snapshot, lang string) []byte {
	t.Helper()
	cmd := exec.Command(gmuDoctor(t), "check", "--format", "prometheus", "--lang", lang, "--snapshot", snapshot)
	cmd.Env = isolatedEnv(t)
	out, err := cmd.Output()
	if len(out) == 0 {
		t.Fatalf("check --format prometheus %s: %v", snapshot, err)
	}
	return out
}

func TestPromtoolCheckMetricsOnFixtures(t *testing.T) {
	promtool := testutil.RequireTool(t, "promtool", "Debian package prometheus")
	for _, snap := range fixtures(t) {
		for _, lang := range []string{"ru", "en"} {
			out := promOutput(t, snap, lang)
			cmd := exec.Command(promtool, "check", "metrics")
			cmd.Stdin = bytes.NewReader(out)
			res, err := cmd.CombinedOutput()
			if err != nil || len(bytes.TrimSpace(res)) > 0 {
				t.Errorf("promtool check metrics on %s (%s): %v\n%s", filepath.Base(snap), lang, err, res)
			}
		}
	}
}

func TestPromtoolRules(t *testing.T) {
	promtool := testutil.RequireTool(t, "promtool", "Debian package prometheus")
	dir := filepath.Join(repoRoot(), "monitoring", "prometheus")
	for _, args := range [][]string{
		{"check", "rules", "gmu_doctor_rules.yml"},
		{"test", "rules", "gmu_doctor_rules_test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil || !bytes.Contains(out, []byte("SUCCESS")) {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

var promSample = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$`)

// TestRulesOnRealOutput feeds the real output of a broken workstation to
// the shipped rules (through a generated promtool rules test): every failed
// check raises GmuDoctorSigningBroken with the series' labels, and the
// certificate rules select the real family without firing (299 days).
func TestRulesOnRealOutput(t *testing.T) {
	promtool := testutil.RequireTool(t, "promtool", "Debian package prometheus")
	snap := filepath.Join(repoRoot(), "testdata", "workstations", "wine-no-intermediate.json")
	out := promOutput(t, snap, "en")
	rules, err := os.ReadFile(filepath.Join(repoRoot(), "monitoring", "prometheus", "gmu_doctor_rules.yml"))
	if err != nil {
		t.Fatal(err)
	}

	var series []map[string]string
	var broken []map[string]any
	sawCert := false
	labelRe := regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
	for _, line := range strings.Split(string(out), "\n") {
		m := promSample.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// As scraped by a textfile collector: plus instance and job.
		sel := m[1] + `{instance="ws-7:9182",job="windows",` + strings.TrimPrefix(m[2], "{")
		series = append(series, map[string]string{"series": sel, "values": m[3] + "x30"})
		if m[1] == "gmu_doctor_cert_expires_in_seconds" {
			sawCert = true
		}
		if m[1] != "gmu_doctor_check_status" || m[3] != "1" || !strings.Contains(m[2], `status="fail"`) {
			continue
		}
		labels := map[string]string{"severity": "critical", "instance": "ws-7:9182", "job": "windows"}
		for _, lm := range labelRe.FindAllStringSubmatch(m[2], -1) {
			labels[lm[1]] = strings.NewReplacer(`\\`, `\`, `\"`, `"`).Replace(lm[2])
		}
		broken = append(broken, map[string]any{
			"exp_labels": labels,
			"exp_annotations": map[string]string{
				"summary":     "Signing is broken on " + labels["host"] + ": check " + labels["id"] + " failed",
				"description": "gmu-doctor check " + labels["id"] + " failed on " + labels["host"] + " (ws-7:9182). Run \"gmu-doctor check " + labels["id"] + "\" there for the fix.",
			},
		})
	}
	if len(broken) != 3 || !sawCert {
		t.Fatalf("want 3 failed checks and a certificate series in the output, got %d, %v:\n%s", len(broken), sawCert, out)
	}
	test := map[string]any{
		"rule_files":          []string{"rules.yml"},
		"evaluation_interval": "1m",
		"tests": []any{map[string]any{
			"interval":     "1m",
			"input_series": series,
			"alert_rule_test": []any{
				map[string]any{"eval_time": "5m", "alertname": "GmuDoctorSigningBroken", "exp_alerts": broken},
				map[string]any{"eval_time": "5m", "alertname": "GmuDoctorCertificateExpiresSoon", "exp_alerts": []any{}},
				map[string]any{"eval_time": "5m", "alertname": "GmuDoctorCertificateExpiring", "exp_alerts": []any{}},
			},
		}},
	}
	dir := t.TempDir()
	b, _ := json.MarshalIndent(test, "", "  ") // JSON is YAML
	if err := os.WriteFile(filepath.Join(dir, "test.yml"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules.yml"), rules, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(promtool, "test", "rules", "test.yml")
	cmd.Dir = dir
	if res, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules on the real output: %v\n%s", err, res)
	}
}
