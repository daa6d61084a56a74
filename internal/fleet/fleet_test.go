package fleet

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

var fixedNow = func() time.Time { return time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC) }

// doc builds a JSON report document with the given check statuses.
func doc(hostname string, statuses map[string]string, metrics ...report.MetricDoc) *report.Document {
	d := &report.Document{SchemaVersion: 1, ToolVersion: "1.0.0", Host: report.HostDoc{OS: "windows", OSVersion: "10.0.19045", Hostname: hostname, Source: "snapshot"},
		StartedAt: fixedNow(), Sites: []string{"gmu"}, Checks: []report.CheckDoc{}}
	for _, id := range []string{"os-support", "root-certs", "chain", "personal-certs", "csp-license"} {
		st, ok := statuses[id]
		if !ok {
			st = "ok"
		}
		c := report.CheckDoc{ID: id, Title: "T " + id, Status: st, Findings: []report.FindingDoc{}, Notes: []string{}, Metrics: []report.MetricDoc{}}
		if st == "fail" || st == "warn" {
			c.Findings = append(c.Findings, report.FindingDoc{Severity: st, Code: id + ".x", Message: "problem in " + id + " on " + hostname,
				Hint: "fix " + id, Commands: []string{"certutil -addstore Root x.cer"}, URL: "https://example.org/" + id})
		}
		if st == "error" {
			c.Reason = "timed out"
		}
		for _, m := range metrics {
			if (m.Name == "cert_days_left" || m.Name == "private_key_days_left") && id == "personal-certs" ||
				m.Name == "license_days_left" && id == "csp-license" {
				c.Metrics = append(c.Metrics, m)
			}
		}
		d.Checks = append(d.Checks, c)
	}
	return d
}

func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	p := filepath.Join(dir, name)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func cert(days float64, cn, sha1 string) report.MetricDoc {
	return report.MetricDoc{Name: "cert_days_left", Labels: map[string]string{"sha1": sha1, "store": `CurrentUser\My`, "subject_cn": cn}, Value: days}
}

// testFleet writes four reports and one broken file into a folder tree.
func testFleet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sub := filepath.Join(dir, "branch")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeJSON(t, dir, "a.json", doc("BUH-01", map[string]string{"chain": "fail", "root-certs": "fail"}, cert(200, "Иванова", "AA")))
	writeJSON(t, dir, "b.json", doc("BUH-02", map[string]string{"chain": "fail"}, cert(5, "Петров", "BB")))
	writeJSON(t, sub, "c.json", doc("KAZNA-7", map[string]string{"csp-license": "warn"},
		report.MetricDoc{Name: "license_days_left", Labels: map[string]string{}, Value: 12}))
	writeJSON(t, sub, "d.json", doc("OK-1", nil, cert(400, "Сидоров", "CC")))
	if err := os.WriteFile(filepath.Join(sub, "broken.json"), []byte(`{"schema_version": 1, "checks": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "notes.txt"), []byte("not an input"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func build(t *testing.T, args ...string) *Summary {
	t.Helper()
	files, err := Expand(args)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Build(context.Background(), files, Options{Jobs: 3, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuildFromReports(t *testing.T) {
	s := build(t, testFleet(t))
	if s.Totals["total"] != 5 || s.Totals[StatusFail] != 2 || s.Totals[StatusWarn] != 1 || s.Totals[StatusOK] != 1 || s.Totals[StatusUnreadable] != 1 {
		t.Fatalf("totals %v", s.Totals)
	}
	var order []string
	for _, w := range s.Workstations {
		order = append(order, w.Name+":"+w.Status)
	}
	if got := strings.Join(order, " "); got != "broken:unreadable BUH-01:fail BUH-02:fail KAZNA-7:warn OK-1:ok" {
		t.Errorf("order %s", got)
	}
	if !strings.Contains(s.Workstations[0].Error, "broken.json") {
		t.Errorf("unreadable error %q", s.Workstations[0].Error)
	}
	if c := s.Checks[0]; c.ID != "chain" || c.Fail != 2 || strings.Join(c.Failing, ",") != "BUH-01,BUH-02" {
		t.Errorf("first check %+v", c)
	}
	var exp []string
	for _, e := range s.Expiring {
		exp = append(exp, e.Workstation+"/"+e.Kind)
	}
	if got := strings.Join(exp, " "); got != "BUH-02/certificate KAZNA-7/license BUH-01/certificate OK-1/certificate" {
		t.Errorf("expiring %s", got)
	}
	if !s.Unhealthy() {
		t.Error("fleet with failures is not unhealthy")
	}
}

func TestBuildChecksSnapshots(t *testing.T) {
	snap := filepath.Join("..", "..", "testdata", "workstations", "windows10-healthy.json")
	var seen []string
	files := []string{snap}
	s, err := Build(context.Background(), files, Options{Now: fixedNow, Check: func(ctx context.Context, sn *host.Snapshot) (*report.Document, error) {
		seen = append(seen, sn.Hostname)
		return doc(sn.Hostname, map[string]string{"chain": "error"}), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || s.Workstations[0].Input != "snapshot" || s.Workstations[0].Status != StatusError || s.Workstations[0].Name != seen[0] {
		t.Fatalf("snapshot not checked: %v %+v", seen, s.Workstations[0])
	}
}

func TestDecodeReportRejects(t *testing.T) {
	for _, bad := range []string{`{"schema_version": 2, "checks": []}`, `{"schema_version": 1, "checks": [{"id": "", "status": "ok"}]}`,
		`{"schema_version": 1, "checks": [{"id": "x", "status": "maybe"}]}`, `[]`, `{"schema_version": "1"}`} {
		if _, err := DecodeReport([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func FuzzDecodeReport(f *testing.F) {
	b, _ := json.Marshal(doc("X", map[string]string{"chain": "fail"}, cert(3, "A", "B")))
	f.Add(b)
	f.Add([]byte(`{"schema_version": 1}`))
	f.Add([]byte(`{"schema_version": 1, "checks": [{"id": "a", "status": "warn", "metrics": [{"name": "cert_days_left", "value": 1e308}]}]}`))
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data, err := utf8Input(data)
		if err != nil {
			return
		}
		d, err := DecodeReport(data)
		if err != nil {
			return
		}
		w := fromDocument(Workstation{Name: "f"}, d)
		if Rank(w.Status) >= len(statusRank) {
			t.Fatalf("status %q", w.Status)
		}
		var buf bytes.Buffer
		s := summarise([]Workstation{w}, Options{Now: fixedNow})
		for _, format := range Formats {
			buf.Reset()
			if err := Render(&buf, s, format, RenderOptions{Lang: i18n.EN}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
		}
	})
}

func TestTextIsTerminalSafe(t *testing.T) {
	dir := t.TempDir()
	writeJSON(t, dir, "evil.json", doc("EVIL\x1b]0;pwned\x07\u202e", map[string]string{"chain": "fail"}, cert(3, "\x1b[31mred", "AA")))
	var buf bytes.Buffer
	if err := Text(&buf, build(t, dir), RenderOptions{Lang: i18n.EN}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
	for _, want := range []string{"Workstations: 1", `EVIL\x1b]0;pwned\x07\u202e`, "chain: on 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

func TestCSV(t *testing.T) {
	dir := testFleet(t)
	writeJSON(t, dir, "formula.json", doc("=HYPERLINK(\"http://x\")", nil))
	var buf bytes.Buffer
	if err := CSV(&buf, build(t, dir)); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[0][0] != "workstation" || rows[0][3] != "status" {
		t.Fatalf("rows %q", rows)
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == "BUH-02" {
			found = r[3] == "fail" && r[10] == "chain" && r[12] == "5" && r[13] == "certificate"
		}
		if strings.HasPrefix(r[0], "=") {
			t.Errorf("formula cell not neutralised: %q", r[0])
		}
	}
	if !found {
		t.Errorf("BUH-02 row wrong: %q", rows)
	}
}

func TestJSONSummary(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, build(t, testFleet(t)), "json", RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.FleetVersion != Version || len(back.Workstations) != 5 || back.Workstations[1].Problems[0].Findings[0].Hint == "" {
		t.Errorf("round trip: %+v", back)
	}
}

func TestHTMLEscapes(t *testing.T) {
	dir := t.TempDir()
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	d := doc(evil, map[string]string{"chain": "fail"}, cert(3, `"><svg onload=alert(3)>`, "AA"))
	d.Checks[2].Findings[0].URL = "javascript:alert(4)"
	writeJSON(t, dir, "evil.json", d)
	var buf bytes.Buffer
	if err := HTML(&buf, build(t, dir), RenderOptions{Lang: i18n.EN}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>alert", "<img src=x", "<svg onload", `href="javascript:`} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML holds unescaped %q", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile hostname is not shown escaped")
	}
	if strings.Count(out, "<script>") != 1 {
		t.Errorf("want exactly the page's own script, got %d", strings.Count(out, "<script>"))
	}
	for _, ext := range []string{"http://", "https://", "src=\"//"} {
		// The only URLs are the findings' links (https://example.org/…).
		if ext != "https://" && strings.Contains(out, ext) {
			t.Errorf("external reference %q in a self-contained page", ext)
		}
	}
}

// TestWindowsEncodings: a report redirected by Windows PowerShell 5.1
// (UTF-16LE with a BOM) and one saved with a UTF-8 BOM read like the
// plain file; so does a snapshot.
func TestWindowsEncodings(t *testing.T) {
	dir := t.TempDir()
	b, err := json.Marshal(doc("ПК-БУХ-01", map[string]string{"chain": "fail"}))
	if err != nil {
		t.Fatal(err)
	}
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range string(b) {
		if r > 0xFFFF {
			t.Fatal("test data outside the BMP")
		}
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	if err := os.WriteFile(filepath.Join(dir, "ps.json"), utf16le, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bom.json"), append([]byte{0xEF, 0xBB, 0xBF}, b...), 0o644); err != nil {
		t.Fatal(err)
	}
	snap, err := os.ReadFile(filepath.Join("..", "..", "testdata", "workstations", "linux-astra.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "snap.json"), append([]byte{0xEF, 0xBB, 0xBF}, snap...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "odd.json"), []byte{0xFF, 0xFE, '{'}, 0o644); err != nil {
		t.Fatal(err)
	}
	files, _ := Expand([]string{dir})
	s, err := Build(context.Background(), files, Options{Now: fixedNow, Check: func(ctx context.Context, sn *host.Snapshot) (*report.Document, error) {
		return doc(sn.Hostname, nil), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range s.Workstations {
		got[filepath.Base(w.File)] = w.Name + "/" + w.Status
	}
	if got["ps.json"] != "ПК-БУХ-01/fail" || got["bom.json"] != "ПК-БУХ-01/fail" || got["snap.json"] != "arm-buh/ok" ||
		!strings.HasSuffix(got["odd.json"], "/unreadable") {
		t.Errorf("encodings: %v", got)
	}
}
