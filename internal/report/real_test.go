package report

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestRealReportsMatchSchema runs the real suite on every workstation
// fixture and validates the JSON reports, in both languages, against
// docs/json-schema.json; the text reports must have no missing keys.
func TestRealReportsMatchSchema(t *testing.T) {
	v := loadSchema(t)
	files, err := filepath.Glob(testutil.Testdata(t, "workstations", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures in testdata/workstations")
	}
	profiles, err := profile.Resolve(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			snap, err := host.LoadSnapshotFile(f)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			rep := runSnapshot(t, snap, profiles)
			if len(rep.Results) == 0 {
				t.Fatal("no results")
			}
			for _, lang := range i18n.Langs {
				for _, format := range Formats {
					var buf bytes.Buffer
					if err := Render(&buf, rep, format, Options{Lang: lang, Verbose: true}); err != nil {
						t.Fatalf("render %s: %v", format, err)
					}
					if strings.Contains(buf.String(), "!{") {
						t.Errorf("%s %s: missing catalogue key:\n%s", format, lang, buf.String())
					}
					if format == "json" {
						if errs := validateJSON(t, v, buf.Bytes()); len(errs) > 0 {
							t.Errorf("%s: report does not match the schema:\n  %s", lang, strings.Join(errs, "\n  "))
						}
					}
				}
			}
		})
	}
}

func runSnapshot(t *testing.T, snap *host.Snapshot, profiles []*profile.Site) *doctor.Report {
	t.Helper()
	r := &doctor.Runner{Host: host.NewSnapshotHost(snap), Source: "snapshot", ToolVersion: "test",
		Options: doctor.Options{Sites: profile.IDs, Profiles: profiles}}
	return r.Run(context.Background(), checks.All())
}

// healthyFixtureReport runs the real suite on windows10-healthy, which has
// a personal certificate (cert_days_left) and a root (root_days_left).
func healthyFixtureReport(t *testing.T) *doctor.Report {
	t.Helper()
	snap, err := host.LoadSnapshotFile(testutil.Testdata(t, "workstations", "windows10-healthy.json"))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	profiles, err := profile.Resolve(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return runSnapshot(t, snap, profiles)
}

// TestRealMetricsJSON: the personal certificate of the fixture reaches the
// JSON report as cert_days_left, and the report with metrics matches the
// schema.
func TestRealMetricsJSON(t *testing.T) {
	rep := healthyFixtureReport(t)
	out := render(t, "json", rep, Options{Lang: i18n.EN})
	if errs := validateJSON(t, loadSchema(t), out); len(errs) > 0 {
		t.Fatalf("report does not match the schema:\n  %s", strings.Join(errs, "\n  "))
	}
	var doc Document
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, c := range doc.Checks {
		if c.Metrics == nil {
			t.Errorf("%s: metrics is null", c.ID)
		}
		for _, m := range c.Metrics {
			found[c.ID+"/"+m.Name] = true
			if m.Labels["sha1"] == "" || m.Labels["store"] == "" {
				t.Errorf("%s: metric without sha1 or store: %+v", c.ID, m)
			}
		}
	}
	for _, want := range []string{"personal-certs/cert_days_left", "root-certs/root_days_left"} {
		if !found[want] {
			t.Errorf("no %s metric in the JSON report (found %v)", want, found)
		}
	}
}

// TestRealMultiLineCommands: every line of every command of the real
// findings (the site-oids YAML snippet among them) appears in the text
// report under the common command indent, with its own indentation kept.
func TestRealMultiLineCommands(t *testing.T) {
	rep := healthyFixtureReport(t)
	// A healthy workstation has no finding with a multi-line command any
	// more (ГМУ OIDs are information since issue 11): add one, shaped like
	// the config snippets findings carry, to the real report.
	if len(rep.Results) == 0 {
		t.Fatal("no results")
	}
	rep.Results[0].Findings = append(rep.Results[0].Findings, doctor.Finding{
		Severity: doctor.Warn, Code: rep.Results[0].ID + ".multi-line-test",
		Message:  i18n.Raw("multi-line command"),
		Commands: []string{"sites:\n  gmu:\n    required_oids:\n      - \"1.2.643.3.61.502710.1.6.3.2\""},
	})
	out := string(render(t, "text", rep, Options{Lang: i18n.EN}))
	lines := map[string]bool{}
	for _, l := range strings.Split(out, "\n") {
		lines[l] = true
	}
	multi := 0
	for _, res := range rep.Results {
		for _, f := range res.Findings {
			for _, cmd := range f.Commands {
				if strings.Contains(cmd, "\n") {
					multi++
				}
				for _, l := range strings.Split(strings.TrimRight(cmd, "\n"), "\n") {
					if !lines["        "+l] {
						t.Errorf("%s: command line %q not shown as %q in:\n%s", f.Code, l, "        "+l, out)
					}
				}
			}
		}
	}
	if multi == 0 {
		t.Fatalf("no multi-line command in the report:\n%s", out)
	}
}
