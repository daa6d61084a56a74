package monitoring_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// nrpeCommand returns the command line of check_gmu_doctor in the shipped
// NRPE config, with the binary replaced by the one under test.
func nrpeCommand(t *testing.T) []string {
	t.Helper()
	for _, line := range strings.Split(shipped(t, "nagios", "nrpe_gmu_doctor.cfg"), "\n") {
		if strings.HasPrefix(line, "command[check_gmu_doctor]=") {
			argv := strings.Fields(strings.TrimPrefix(line, "command[check_gmu_doctor]="))
			if argv[0] != "/usr/bin/gmu-doctor" {
				t.Fatalf("the NRPE command runs %s, want /usr/bin/gmu-doctor (the deb/rpm path)", argv[0])
			}
			argv[0] = gmuDoctor(t)
			return argv
		}
	}
	t.Fatal("no command[check_gmu_doctor] in nagios/nrpe_gmu_doctor.cfg")
	return nil
}

// pluginRun is one plugin execution as Nagios sees it.
type pluginRun struct {
	code   int
	state  string
	text   string
	perf   map[string]perfValue
	long   []string
	stdout string
}

type perfValue struct {
	value      float64
	warn, crit string
	min, max   string
}

var (
	statusLine = regexp.MustCompile(`^GMU-DOCTOR (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+?)(?: \| (.*))?$`)
	// 'label'=value[UOM];[warn];[crit];[min];[max] (monitoring-plugins
	// guidelines, "Performance data").
	perfItem = regexp.MustCompile(`^('[^'=]+'|[^'=\s]+)=(-?[0-9]+(?:\.[0-9]+)?)(us|ms|s|%|B|KB|MB|TB|c)?((?:;[^;]*){0,4})$`)
	// A threshold range: [@][start:][end], start may be ~.
	rangeRe = regexp.MustCompile(`^@?(?:(?:~|-?[0-9.]+)?:)?(?:-?[0-9.]+)?$`)
)

var stateCodes = map[string]int{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}

// runPlugin runs argv and parses its output per the plugin guidelines,
// failing the test on any violation.
func runPlugin(t *testing.T, env []string, argv ...string) pluginRun {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &bytes.Buffer{}
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := pluginRun{code: code, stdout: stdout.String(), perf: map[string]perfValue{}}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	m := statusLine.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("%v: first line is not a plugin status line: %q", argv, lines[0])
	}
	r.state, r.text = m[1], m[2]
	if want := stateCodes[r.state]; want != code {
		t.Fatalf("%v: state %s but exit code %d", argv, r.state, code)
	}
	if m[3] != "" {
		for _, item := range strings.Fields(m[3]) {
			pm := perfItem.FindStringSubmatch(item)
			if pm == nil {
				t.Fatalf("%v: perfdata item %q does not follow 'label'=value[UOM];[warn];[crit];[min];[max]", argv, item)
			}
			v, _ := strconv.ParseFloat(pm[2], 64)
			fields := append(strings.Split(strings.TrimPrefix(pm[4], ";"), ";"), "", "", "", "")
			pv := perfValue{value: v, warn: fields[0], crit: fields[1], min: fields[2], max: fields[3]}
			for _, rg := range []string{pv.warn, pv.crit} {
				if !rangeRe.MatchString(rg) {
					t.Fatalf("%v: perfdata %q: %q is not a threshold range", argv, item, rg)
				}
			}
			r.perf[strings.Trim(pm[1], "'")] = pv
		}
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, "|") {
			t.Fatalf("%v: long output line %q holds '|', which would start perfdata", argv, l)
		}
		r.long = append(r.long, l)
	}
	return r
}

// jsonReport runs check --format json on a snapshot.
func jsonReport(t *testing.T, env []string, snapshot string, extra ...string) map[string]any {
	t.Helper()
	args := append([]string{"check", "--format", "json", "--lang", "en", "--snapshot", snapshot}, extra...)
	cmd := exec.Command(gmuDoctor(t), args...)
	cmd.Env = env
	out, _ := cmd.Output()
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("check --format json %s: %v\n%s", snapshot, err, out)
	}
	return doc
}

// minMetric is the smallest value of a metric in a JSON report.
func minMetric(doc map[string]any, name string) (float64, bool) {
	found := false
	best := 0.0
	for _, c := range doc["checks"].([]any) {
		for _, m := range c.(map[string]any)["metrics"].([]any) {
			mm := m.(map[string]any)
			if mm["name"] != name {
				continue
			}
			v := mm["value"].(float64)
			if !found || v < best {
				best, found = v, true
			}
		}
	}
	return best, found
}

func TestNagiosPluginOnFixtures(t *testing.T) {
	env := isolatedEnv(t)
	argv := nrpeCommand(t)
	for _, snap := range fixtures(t) {
		snap := snap
		t.Run(filepath.Base(snap), func(t *testing.T) {
			r := runPlugin(t, env, append(append([]string(nil), argv...), "--snapshot", snap)...)
			doc := jsonReport(t, env, snap)
			counts := doc["counts"].(map[string]any)
			for _, k := range []string{"fail", "warn", "error"} {
				pv, ok := r.perf[k]
				if !ok {
					t.Fatalf("no %s= perfdata: %s", k, r.stdout)
				}
				if pv.value != counts[k].(float64) {
					t.Errorf("%s=%v, the JSON report counts %v", k, pv.value, counts[k])
				}
				if pv.min != "0" || pv.max != strconv.Itoa(len(doc["checks"].([]any))) {
					t.Errorf("%s min/max = %q/%q", k, pv.min, pv.max)
				}
			}
			wantState := "OK"
			switch {
			case counts["fail"].(float64) > 0:
				wantState = "CRITICAL"
			case counts["error"].(float64) > 0:
				wantState = "UNKNOWN"
			case counts["warn"].(float64) > 0:
				wantState = "WARNING"
			}
			for metric, label := range map[string]string{"cert_days_left": "cert_days_left", "private_key_days_left": "key_days_left", "license_days_left": "license_days_left"} {
				want, ok := minMetric(doc, metric)
				pv, has := r.perf[label]
				if ok != has {
					t.Fatalf("%s in JSON: %v, %s perfdata: %v", metric, ok, label, has)
				}
				if !ok {
					continue
				}
				if pv.value != want || pv.warn != "30:" || pv.crit != "7:" {
					t.Errorf("%s perfdata %+v, want value %v with 30: and 7:", label, pv, want)
				}
				switch {
				case want < 7:
					wantState = "CRITICAL"
				case want < 30 && wantState == "OK":
					wantState = "WARNING"
				}
			}
			if r.state != wantState {
				t.Errorf("state %s, want %s:\n%s", r.state, wantState, r.stdout)
			}
			if r.state != "OK" && len(r.long) == 0 {
				t.Errorf("state %s without long output", r.state)
			}
			// Every failed check is named in the status line.
			for _, c := range doc["checks"].([]any) {
				cm := c.(map[string]any)
				if cm["status"] == "fail" && !strings.Contains(r.text, cm["id"].(string)) {
					t.Errorf("failed check %s not named in %q", cm["id"], r.text)
				}
			}
		})
	}
}

func TestNagiosThresholdsFromConfig(t *testing.T) {
	env := isolatedEnv(t)
	argv := nrpeCommand(t)
	snap := filepath.Join(repoRoot(), "testdata", "workstations", "wine-healthy.json")
	only := append(append([]string(nil), argv...), "personal-certs", "--snapshot", snap)

	r := runPlugin(t, env, only...)
	if r.state != "OK" || r.perf["cert_days_left"].value != 299 {
		t.Fatalf("default thresholds: %s", r.stdout)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	write := func(body string) {
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("monitoring:\n  cert_warn_days: 400\n  cert_crit_days: 100\n")
	r = runPlugin(t, env, append(only, "--config", cfg)...)
	if r.state != "WARNING" || r.perf["cert_days_left"].warn != "400:" || r.perf["cert_days_left"].crit != "100:" {
		t.Fatalf("warn 400, crit 100: %s", r.stdout)
	}
	if !strings.Contains(r.text, "299") {
		t.Errorf("the status line does not give the days left: %q", r.text)
	}
	write("monitoring:\n  cert_warn_days: 500\n  cert_crit_days: 300\n")
	if r = runPlugin(t, env, append(only, "--config", cfg)...); r.state != "CRITICAL" {
		t.Fatalf("crit 300: %s", r.stdout)
	}
	// A broken config or snapshot is UNKNOWN (exit 3) with the reason.
	write("monitoring:\n  cert_warn_days: 5\n  cert_crit_days: 10\n")
	if r = runPlugin(t, env, append(only, "--config", cfg)...); r.state != "UNKNOWN" || !strings.Contains(r.text, "cert_crit_days") {
		t.Fatalf("crit above warn: %s", r.stdout)
	}
	r = runPlugin(t, env, append(append([]string(nil), argv...), "--snapshot", filepath.Join(t.TempDir(), "missing.json"))...)
	if r.state != "UNKNOWN" || !strings.Contains(r.text, "missing.json") {
		t.Fatalf("missing snapshot: %s", r.stdout)
	}
}
