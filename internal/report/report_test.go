package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var fixedStart = time.Date(2026, 3, 4, 9, 30, 0, 0, time.FixedZone("MSK", 3*3600))

// mixedReport has every status, a finding of each severity with commands,
// subject and URL, notes, and reasons from the real catalogue.
func mixedReport() *doctor.Report {
	return &doctor.Report{
		ToolVersion: "1.2.3",
		Facts: host.Facts{OS: "windows", Arch: "amd64", Version: "10.0.19045", ProductName: "Windows 10 Pro",
			Hostname: "BUH-01", User: "ivanova"},
		Source:    "live",
		StartedAt: fixedStart,
		Sites:     []string{"gmu", "eis"},
		Results: []*doctor.Result{
			{ID: "os-support", Title: i18n.Raw("OS"), Status: doctor.StatusOK,
				Summary: i18n.Raw("Windows 10 Pro 22H2, x64"),
				Notes:   []i18n.Text{i18n.Raw("UBR 3803")}},
			{ID: "root-certs", Title: i18n.Raw("Root certificates"), Status: doctor.StatusFail,
				Summary: i18n.Raw("3 / 4"),
				Findings: []doctor.Finding{{
					Severity: doctor.Fail,
					Code:     "root-certs.missing",
					Message:  i18n.Raw("Root \"GUC 2022\" <is missing> from LocalMachine\\Root\nand from CurrentUser\\Root"),
					Hint:     i18n.Raw("Install it as Administrator & re-run"),
					Commands: []string{`certutil -addstore Root "C:\certs\guc2022.cer"`, "gmu-doctor check root-certs", "sites:\n  gmu:\n    required_oids: [\"1.2\"]"},
					Subject:  "8C:B2:4A",
					URL:      "https://e-trust.gosuslugi.ru/#/portal/mainca",
				}},
				Metrics: []doctor.Metric{
					{Name: "root_days_left", Labels: map[string]string{"sha1": "2F0CB09B", "root": "mincifry-2022", "store": `LocalMachine\Root`}, Value: 5212},
					{Name: "root_days_left", Labels: map[string]string{"sha1": "8CB24A", "root": "guc-2022", "store": `CurrentUser\Root`}, Value: -3},
				},
				Duration: 1500 * time.Millisecond},
			{ID: "clock", Title: i18n.Raw("Clock"), Status: doctor.StatusWarn,
				Findings: []doctor.Finding{{Severity: doctor.Warn, Code: "clock.zone", Message: i18n.Raw("zone UTC+00:00")}}},
			{ID: "chain", Title: i18n.Raw("Chain"), Status: doctor.StatusSkipped,
				Reason: i18n.T("doctor.skip.requires", "root-certs", "fail")},
			{ID: "capicom", Title: i18n.Raw("CAPICOM"), Status: doctor.StatusError,
				Summary: i18n.Raw("32-bit"),
				Reason:  i18n.T("doctor.error.timeout", "30s")},
		},
	}
}

func healthyReport() *doctor.Report {
	r := mixedReport()
	r.Source = "snapshot"
	r.Results = r.Results[:1]
	return r
}

func warnOnlyReport() *doctor.Report {
	r := mixedReport()
	r.Results = []*doctor.Result{r.Results[0], r.Results[2]}
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./internal/report -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./internal/report -update after checking the change):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func render(t *testing.T, format string, rep *doctor.Report, o Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, rep, format, o); err != nil {
		t.Fatalf("Render %s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		format string
		rep    *doctor.Report
		o      Options
	}{
		{"text-mixed-ru.txt", "text", mixedReport(), Options{Lang: i18n.RU}},
		{"text-mixed-en.txt", "text", mixedReport(), Options{Lang: i18n.EN}},
		{"text-mixed-verbose-ru.txt", "text", mixedReport(), Options{Lang: i18n.RU, Verbose: true}},
		{"text-mixed-verbose-en.txt", "text", mixedReport(), Options{Lang: i18n.EN, Verbose: true}},
		{"text-healthy-ru.txt", "text", healthyReport(), Options{Lang: i18n.RU}},
		{"text-healthy-en.txt", "text", healthyReport(), Options{Lang: i18n.EN}},
		{"text-warn-ru.txt", "text", warnOnlyReport(), Options{Lang: i18n.RU}},
		{"text-warn-strict-en.txt", "text", warnOnlyReport(), Options{Lang: i18n.EN, Strict: true}},
		{"json-mixed-ru.json", "json", mixedReport(), Options{Lang: i18n.RU}},
		{"json-mixed-en.json", "json", mixedReport(), Options{Lang: i18n.EN}},
		{"json-healthy-en.json", "json", healthyReport(), Options{Lang: i18n.EN}},
		{"prometheus-mixed.prom", "prometheus", mixedReport(), Options{Lang: i18n.EN}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(t, c.format, c.rep, c.o)
			if bytes.Contains(got, []byte("\x1b[")) {
				t.Errorf("colour codes in output with Color off")
			}
			if bytes.Contains(got, []byte("!{")) {
				t.Errorf("missing catalogue key in output:\n%s", got)
			}
			golden(t, c.name, got)
		})
	}
}

func TestTextLayout(t *testing.T) {
	out := string(render(t, "text", mixedReport(), Options{Lang: i18n.EN}))
	lines := strings.Split(out, "\n")
	want := []string{
		"[✓] OS (Windows 10 Pro 22H2, x64)",
		"[✗] Root certificates (3 / 4)",
		"[!] Clock",
		"[-] Chain (requires root-certs, which ended fail)",
		"[?] CAPICOM (32-bit)",
		"    did not complete within 30s",
		`        certutil -addstore Root "C:\certs\guc2022.cer"`,
		"        gmu-doctor check root-certs",
		"      and from CurrentUser\\Root",
		"        sites:",
		"          gmu:",
		`            required_oids: ["1.2"]`,
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if l == w {
				found = true
			}
		}
		if !found {
			t.Errorf("no line %q in:\n%s", w, out)
		}
	}
	if strings.Contains(out, "UBR 3803") || strings.Contains(out, "[1.5s]") {
		t.Errorf("notes or durations shown without Verbose:\n%s", out)
	}
	v := string(render(t, "text", mixedReport(), Options{Lang: i18n.EN, Verbose: true}))
	if !strings.Contains(v, "    • UBR 3803") || !strings.Contains(v, "[1.5s]") {
		t.Errorf("notes or durations missing with Verbose:\n%s", v)
	}
	if !strings.HasSuffix(out, "Fix what is marked ✗ and run the check again: gmu-doctor check\n"+
		"Some checks did not complete (?); see the details with gmu-doctor check -v\n") {
		t.Errorf("wrong closing lines:\n%s", out)
	}
}

func TestTextColor(t *testing.T) {
	out := render(t, "text", mixedReport(), Options{Lang: i18n.RU, Color: true})
	if !bytes.Contains(out, []byte("\x1b[")) {
		t.Fatalf("no colour codes with Color on:\n%s", out)
	}
	plain := render(t, "text", mixedReport(), Options{Lang: i18n.RU})
	stripped := ansiRe(out)
	if stripped != string(plain) {
		t.Errorf("coloured output differs from plain output beyond colour codes:\n%s\n---\n%s", stripped, plain)
	}
}

// ansiRe removes SGR sequences.
func ansiRe(b []byte) string {
	var sb strings.Builder
	s := string(b)
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && s[j] != 'm' {
				j++
			}
			i = j
			continue
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

func TestNextSteps(t *testing.T) {
	cases := []struct {
		rep    *doctor.Report
		strict bool
		want   string
		code   int
	}{
		{healthyReport(), false, "No problems found: this workstation is ready to sign.", 0},
		{warnOnlyReport(), false, "Nothing critical; fix the warnings marked ! and run the check again: gmu-doctor check", 0},
		{warnOnlyReport(), true, "Fix what is marked ✗ and ! and run the check again: gmu-doctor check", 1},
		{mixedReport(), false, "Fix what is marked ✗ and run the check again: gmu-doctor check", 1},
		{&doctor.Report{Source: "live"}, false, "No checks ran; list the checks with: gmu-doctor list", 0},
	}
	for i, c := range cases {
		out := string(render(t, "text", c.rep, Options{Lang: i18n.EN, Strict: c.strict}))
		if !strings.Contains(out, c.want+"\n") {
			t.Errorf("case %d: no %q in:\n%s", i, c.want, out)
		}
		if got := ExitCode(c.rep, c.strict); got != c.code {
			t.Errorf("case %d: ExitCode = %d, want %d", i, got, c.code)
		}
		var doc Document
		if err := json.Unmarshal(render(t, "json", c.rep, Options{Lang: i18n.EN, Strict: c.strict}), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.ExitCode != c.code {
			t.Errorf("case %d: JSON exit_code = %d, want %d", i, doc.ExitCode, c.code)
		}
	}
}

func TestJSONShape(t *testing.T) {
	out := render(t, "json", mixedReport(), Options{Lang: i18n.RU})
	if bytes.Contains(out, []byte(`\u003c`)) || !bytes.Contains(out, []byte(`<is missing>`)) {
		t.Errorf("HTML escaping is on:\n%s", out)
	}
	if !bytes.HasPrefix(out, []byte("{\n  \"schema_version\": 1,\n")) {
		t.Errorf("document does not start with schema_version and 2-space indent:\n%s", out)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	var ids []string
	for _, c := range doc.Checks {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, ",") != "os-support,root-certs,clock,chain,capicom" {
		t.Errorf("checks out of suite order: %v", ids)
	}
	if doc.Counts != (Counts{OK: 1, Warn: 1, Fail: 1, Error: 1, Skipped: 1}) {
		t.Errorf("counts = %+v", doc.Counts)
	}
	rc := doc.Checks[1]
	if rc.Status != "fail" || rc.DurationMS != 1500 || len(rc.Findings) != 1 || rc.Findings[0].Code != "root-certs.missing" ||
		rc.Findings[0].Severity != "fail" || len(rc.Findings[0].Commands) != 3 {
		t.Errorf("root-certs = %+v", rc)
	}
	if doc.Checks[3].Reason != "нужна проверка root-certs, а она завершилась со статусом fail" {
		t.Errorf("reason not localized: %q", doc.Checks[3].Reason)
	}
	if doc.Host.Source != "live" || doc.Host.Hostname != "BUH-01" || doc.Host.OSVersion != "10.0.19045" {
		t.Errorf("host = %+v", doc.Host)
	}
	if !doc.StartedAt.Equal(fixedStart) {
		t.Errorf("started_at = %v", doc.StartedAt)
	}
}

func TestJSONMatchesSchema(t *testing.T) {
	v := loadSchema(t)
	for _, rep := range []*doctor.Report{mixedReport(), healthyReport(), warnOnlyReport(), {Source: "live"}} {
		for _, lang := range i18n.Langs {
			out := render(t, "json", rep, Options{Lang: lang})
			if errs := validateJSON(t, v, out); len(errs) > 0 {
				t.Errorf("report does not match docs/json-schema.json:\n  %s\n%s", strings.Join(errs, "\n  "), out)
			}
		}
	}
}

// TestSchemaRejects makes sure the validator and the schema can fail.
func TestSchemaRejects(t *testing.T) {
	v := loadSchema(t)
	good := render(t, "json", mixedReport(), Options{Lang: i18n.EN})
	mutations := map[string]func(m map[string]any){
		"missing exit_code": func(m map[string]any) { delete(m, "exit_code") },
		"extra key":         func(m map[string]any) { m["extra"] = 1 },
		"bad status": func(m map[string]any) {
			m["checks"].([]any)[0].(map[string]any)["status"] = "green"
		},
		"negative count": func(m map[string]any) { m["counts"].(map[string]any)["ok"] = -1 },
		"bad severity": func(m map[string]any) {
			m["checks"].([]any)[1].(map[string]any)["findings"].([]any)[0].(map[string]any)["severity"] = "info"
		},
		"commands not array": func(m map[string]any) {
			m["checks"].([]any)[1].(map[string]any)["findings"].([]any)[0].(map[string]any)["commands"] = "x"
		},
		"fractional duration": func(m map[string]any) { m["checks"].([]any)[0].(map[string]any)["duration_ms"] = 1.5 },
		"bad source":          func(m map[string]any) { m["host"].(map[string]any)["source"] = "remote" },
		"null sites":          func(m map[string]any) { m["sites"] = nil },
		"missing metrics":     func(m map[string]any) { delete(m["checks"].([]any)[0].(map[string]any), "metrics") },
		"metric value string": func(m map[string]any) {
			m["checks"].([]any)[1].(map[string]any)["metrics"].([]any)[0].(map[string]any)["value"] = "87"
		},
		"metric label number": func(m map[string]any) {
			m["checks"].([]any)[1].(map[string]any)["metrics"].([]any)[0].(map[string]any)["labels"].(map[string]any)["sha1"] = 1
		},
		"metric without labels": func(m map[string]any) {
			delete(m["checks"].([]any)[1].(map[string]any)["metrics"].([]any)[0].(map[string]any), "labels")
		},
	}
	for name, mutate := range mutations {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		b, _ := json.Marshal(m)
		if errs := validateJSON(t, v, b); len(errs) == 0 {
			t.Errorf("%s: the schema accepted the document", name)
		}
	}
}

func TestPrometheus(t *testing.T) {
	out := string(render(t, "prometheus", mixedReport(), Options{Lang: i18n.EN}))
	for _, w := range []string{
		`gmu_doctor_check_status{host="BUH-01",id="root-certs",status="fail"} 1`,
		`gmu_doctor_check_status{host="BUH-01",id="root-certs",status="ok"} 0`,
		`gmu_doctor_check_findings{host="BUH-01",id="root-certs",severity="fail"} 1`,
		`gmu_doctor_checks{host="BUH-01",status="error"} 1`,
		`gmu_doctor_exit_code{host="BUH-01"} 1`,
		"# TYPE gmu_doctor_check_status gauge",
	} {
		if !strings.Contains(out, w+"\n") {
			t.Errorf("no %q in:\n%s", w, out)
		}
	}
	if !strings.HasSuffix(out, "\n") {
		t.Error("textfile collector needs a final newline")
	}
	if got := promLabel("a\"b\\c\nd"); got != `"a\"b\\c\nd"` {
		t.Errorf("promLabel = %s", got)
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	err := Render(&bytes.Buffer{}, mixedReport(), "xml", Options{})
	if _, ok := err.(*UnknownFormatError); !ok {
		t.Errorf("Render(xml) = %v, want *UnknownFormatError", err)
	}
}

func TestTextASCII(t *testing.T) {
	out := string(render(t, "text", mixedReport(), Options{Lang: i18n.RU, ASCII: true, Verbose: true}))
	for _, bad := range []string{"✓", "✗", "•"} {
		if strings.Contains(out, bad) {
			t.Errorf("ASCII report contains %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{"[+] OS", "[x] Root certificates", "    x Root \"GUC 2022\"", "    * UBR 3803", "Исправьте отмеченное x"} {
		if !strings.Contains(out, want) {
			t.Errorf("ASCII report lacks %q:\n%s", want, out)
		}
	}
}
