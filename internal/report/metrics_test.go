package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// edgeReport has metrics that stress the renderers: unsorted, two checks
// with the same name, odd label names and values, a missing label, a
// repeated series, no labels, and values JSON cannot hold.
func edgeReport() *doctor.Report {
	r := mixedReport()
	r.Results = []*doctor.Result{
		{ID: "personal-certs", Title: i18n.Raw("Personal"), Status: doctor.StatusOK, Metrics: []doctor.Metric{
			{Name: "cert_days_left", Labels: map[string]string{"sha1": "BB", "store": `CurrentUser\My`, "subject_cn": "Иванов \"И\"\nИ"}, Value: 10},
			{Name: "cert_days_left", Labels: map[string]string{"sha1": "AA", "store": `CurrentUser\My`}, Value: -2},
			{Name: "cert_days_left", Labels: map[string]string{"sha1": "AA", "store": `CurrentUser\My`}, Value: -2},
			{Name: "private-key days", Labels: map[string]string{"store-name": "x", "host": "h", "check": "c", "__meta": "m", "1st": "y"}, Value: 0.5},
			{Name: "weird", Value: math.NaN()},
			{Name: "weird", Labels: map[string]string{"k": "inf"}, Value: math.Inf(1)},
			{Name: "a_count", Value: 1},
		}},
		{ID: "other", Title: i18n.Raw("Other"), Status: doctor.StatusOK, Metrics: []doctor.Metric{
			{Name: "cert_days_left", Labels: map[string]string{"sha1": "CC", "store": `LocalMachine\My`}, Value: 7},
		}},
	}
	return r
}

func TestJSONMetrics(t *testing.T) {
	out := render(t, "json", mixedReport(), Options{Lang: i18n.EN})
	if !bytes.Contains(out, []byte(`"metrics": []`)) {
		t.Errorf("a check without metrics has no \"metrics\": []:\n%s", out)
	}
	var doc Document
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	ms := doc.Checks[1].Metrics
	if len(ms) != 2 || ms[0].Labels["root"] != "guc-2022" || ms[0].Value != -3 || ms[1].Labels["store"] != `LocalMachine\Root` || ms[1].Value != 5212 {
		t.Errorf("root-certs metrics not sorted by name and labels: %+v", ms)
	}

	out = render(t, "json", edgeReport(), Options{Lang: i18n.EN})
	if errs := validateJSON(t, loadSchema(t), out); len(errs) > 0 {
		t.Fatalf("edge report does not match the schema:\n  %s\n%s", strings.Join(errs, "\n  "), out)
	}
	doc = Document{}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range doc.Checks[0].Metrics {
		if m.Labels == nil {
			t.Errorf("%s: labels is null", m.Name)
		}
		got = append(got, fmt.Sprintf("%s/%s/%v", m.Name, m.Labels["sha1"], m.Value))
	}
	want := "a_count//1 cert_days_left/AA/-2 cert_days_left/AA/-2 cert_days_left/BB/10 private-key days//0.5"
	if strings.Join(got, " ") != want {
		t.Errorf("metrics = %s\nwant      %s", strings.Join(got, " "), want)
	}
	if !bytes.Contains(out, []byte(`"labels": {}`)) {
		t.Errorf("a metric without labels has no empty labels object:\n%s", out)
	}
}

func TestTextMetrics(t *testing.T) {
	v := string(render(t, "text", mixedReport(), Options{Lang: i18n.EN, Verbose: true}))
	want := "    • root_days_left{root=guc-2022,sha1=8CB24A,store=CurrentUser\\Root} = -3\n" +
		"    • root_days_left{root=mincifry-2022,sha1=2F0CB09B,store=LocalMachine\\Root} = 5212\n"
	if !strings.Contains(v, want) {
		t.Errorf("no metric lines\n%s\nin the verbose report:\n%s", want, v)
	}
	plain := string(render(t, "text", mixedReport(), Options{Lang: i18n.EN}))
	if strings.Contains(plain, "root_days_left") {
		t.Errorf("metrics shown without -v:\n%s", plain)
	}
}

// TestMultiLineCommandIndent: each line of a command gets the command
// indent and keeps its own leading spaces, also with CRLF line ends and
// with colours on (the indent stays outside the colour codes).
func TestMultiLineCommandIndent(t *testing.T) {
	rep := mixedReport()
	rep.Results = rep.Results[1:2]
	rep.Results[0].Findings[0].Commands = []string{"sites:\r\n  gmu:\r\n    required_oids:\r\n      - \"<OID>\"\r\n"}
	want := "        sites:\n          gmu:\n            required_oids:\n              - \"<OID>\"\n      Object:"
	for _, color := range []bool{false, true} {
		out := render(t, "text", rep, Options{Lang: i18n.EN, Color: color})
		if color {
			for _, l := range strings.Split(string(out), "\n") {
				if strings.Contains(l, "gmu:") && !strings.HasPrefix(l, "          \x1b[") {
					t.Errorf("indent inside the colour codes: %q", l)
				}
			}
			out = []byte(ansiRe(out))
		}
		if !strings.Contains(string(out), want) || strings.Contains(string(out), "\r") {
			t.Errorf("color=%v: snippet not indented line by line:\n%s", color, out)
		}
	}
}

// promSample is one parsed sample line.
type promSample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	promSampleRe = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	promNameRe   = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// parseProm parses the text exposition format strictly, line by line:
// HELP and TYPE at most once per family and before its samples, families
// contiguous, valid label names, only the \\ \" \n escapes, no repeated
// label or series, float values, a final newline.
func parseProm(t *testing.T, out string) (samples []promSample, help, typ map[string]int) {
	t.Helper()
	help, typ = map[string]int{}, map[string]int{}
	if !strings.HasSuffix(out, "\n") {
		t.Error("no final newline")
	}
	current, done, series := "", map[string]bool{}, map[string]bool{}
	enter := func(name string) {
		if name == current {
			return
		}
		if done[name] {
			t.Errorf("family %s is not contiguous", name)
		}
		if current != "" {
			done[current] = true
		}
		current = name
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			f := strings.SplitN(line, " ", 4)
			if len(f) < 4 || (f[1] != "HELP" && f[1] != "TYPE") {
				t.Errorf("line %d: bad comment %q", i+1, line)
				continue
			}
			enter(f[2])
			if f[1] == "HELP" {
				help[f[2]]++
			} else {
				typ[f[2]]++
				if f[3] != "gauge" {
					t.Errorf("line %d: type %q", i+1, f[3])
				}
			}
			continue
		}
		m := promSampleRe.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d: not a sample: %q", i+1, line)
			continue
		}
		enter(m[1])
		if typ[m[1]] != 1 {
			t.Errorf("line %d: sample of %s before its TYPE", i+1, m[1])
		}
		labels, err := parsePromLabels(m[2])
		if err != nil {
			t.Errorf("line %d: %v: %q", i+1, err, line)
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Errorf("line %d: value: %v", i+1, err)
		}
		key := m[1] + "{" + m[2] + "}"
		if series[key] {
			t.Errorf("line %d: repeated series %s", i+1, key)
		}
		series[key] = true
		samples = append(samples, promSample{name: m[1], labels: labels, value: v})
	}
	return samples, help, typ
}

func parsePromLabels(s string) (map[string]string, error) {
	out := map[string]string{}
	for s != "" {
		eq := strings.Index(s, "=\"")
		if eq < 0 {
			return nil, fmt.Errorf("no =\" in %q", s)
		}
		name := s[:eq]
		if !promNameRe.MatchString(name) || strings.HasPrefix(name, "__") {
			return nil, fmt.Errorf("bad label name %q", name)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("repeated label %q", name)
		}
		var val strings.Builder
		i := eq + 2
		for ; i < len(s) && s[i] != '"'; i++ {
			switch {
			case s[i] == '\n':
				return nil, fmt.Errorf("raw newline in label value")
			case s[i] != '\\':
				val.WriteByte(s[i])
			case i+1 < len(s) && s[i+1] == 'n':
				val.WriteByte('\n')
				i++
			case i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '"'):
				val.WriteByte(s[i+1])
				i++
			default:
				return nil, fmt.Errorf("bad escape in label %q", name)
			}
		}
		if i >= len(s) {
			return nil, fmt.Errorf("unterminated value of label %q", name)
		}
		out[name] = val.String()
		s = s[i+1:]
		if s != "" {
			if s[0] != ',' {
				return nil, fmt.Errorf("want , after label %q", name)
			}
			s = s[1:]
		}
	}
	return out, nil
}

func TestPrometheusMetrics(t *testing.T) {
	samples, help, typ := parseProm(t, string(render(t, "prometheus", edgeReport(), Options{Lang: i18n.EN})))
	for name := range typ {
		if help[name] != 1 || typ[name] != 1 {
			t.Errorf("%s: HELP %d times, TYPE %d times", name, help[name], typ[name])
		}
	}
	var days []string
	var odd *promSample
	for i, s := range samples {
		switch s.name {
		case "gmu_doctor_cert_expires_in_seconds":
			days = append(days, fmt.Sprintf("%s/%s/%s/%v", s.labels["check"], s.labels["sha1"], s.labels["subject_cn"], s.value))
		case "gmu_doctor_private_key_days":
			odd = &samples[i]
		case "gmu_doctor_weird":
			if !math.IsNaN(s.value) && !math.IsInf(s.value, 1) {
				t.Errorf("weird = %v", s.value)
			}
		}
	}
	// Suite order, then labels; the repeated series once; subject_cn
	// empty where the metric lacks it; the escaped value round-trips.
	want := "personal-certs/AA//-172800 personal-certs/BB/Иванов \"И\"\nИ/864000 other/CC//604800"
	if strings.Join(days, " ") != want {
		t.Errorf("cert_days_left series = %q\nwant                     %q", strings.Join(days, " "), want)
	}
	if odd == nil {
		t.Fatal("no gmu_doctor_private_key_days family")
	}
	wantLabels := map[string]string{"host": "BUH-01", "check": "personal-certs", "host_": "h", "check_": "c",
		"store_name": "x", "l__meta": "m", "_1st": "y"}
	if fmt.Sprint(odd.labels) != fmt.Sprint(wantLabels) || odd.value != 0.5 {
		t.Errorf("sanitized labels = %v %v, want %v", odd.labels, odd.value, wantLabels)
	}
}

func TestPrometheusRealMetrics(t *testing.T) {
	out := string(render(t, "prometheus", healthyFixtureReport(t), Options{Lang: i18n.RU}))
	samples, help, typ := parseProm(t, out)
	for _, name := range []string{"gmu_doctor_cert_expires_in_seconds", "gmu_doctor_root_expires_in_seconds", "gmu_doctor_check_status"} {
		if help[name] != 1 || typ[name] != 1 {
			t.Errorf("%s: HELP %d times, TYPE %d times", name, help[name], typ[name])
		}
	}
	for name, n := range typ {
		if n != 1 || help[name] != 1 {
			t.Errorf("%s: HELP %d times, TYPE %d times", name, help[name], n)
		}
	}
	found := false
	for _, s := range samples {
		if s.name == "gmu_doctor_cert_expires_in_seconds" && s.labels["check"] == "personal-certs" &&
			s.labels["sha1"] == "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" && s.labels["store"] == `CurrentUser\My` {
			found = true
			if s.value != 360*86400 {
				t.Errorf("cert_days_left = %v, want 360 (valid until 2026-09-26, snapshot taken 2025-10-01)", s.value)
			}
		}
	}
	if !found {
		t.Errorf("no cert_days_left series for the personal certificate:\n%s", out)
	}
	if !strings.Contains(out, "# HELP gmu_doctor_cert_expires_in_seconds Секунд до окончания") {
		t.Errorf("HELP of cert_days_left not from the catalogue:\n%s", out)
	}
}
