// Package doctortest runs one check against an in-memory workstation, the
// way the real runner does, so that a check's tests read like this:
//
//	snap := doctortest.Windows().
//		Cert(host.LocalMachine, host.StoreRoot, rootDER, nil).
//		RegValue(`HKLM\SOFTWARE\Crypto Pro\Settings`, host.RegViewDefault, doctortest.SZ("Version", "5.0.13000"))
//	res := doctortest.Run(t, mycheck.Check, snap.Host(), doctor.Options{}, nil)
//	doctortest.WantStatus(t, res, doctor.StatusOK)
//
// Run also renders every text the check produced in both languages and
// fails the test on a missing catalogue key or a bad format verb.
package doctortest

import (
	"context"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Run executes check c alone on h, with its Requires ignored (the test
// decides what the machine looks like), and returns its result. cfg is the
// check's settings as they would appear under checks.<id> in the config
// file; it is decoded with doctor.DecodeConfig, the rules of the real CLI,
// and a decoding error (unknown key, wrong type) fails the test. An OS the
// check does not apply to gives a skipped result, as in a real run.
func Run(t testing.TB, c *doctor.Check, h host.Host, opts doctor.Options, cfg map[string]any) *doctor.Result {
	t.Helper()
	if c == nil {
		t.Fatal("doctortest.Run: nil check")
	}
	if len(cfg) > 0 {
		var probe any
		if c.NewConfig != nil {
			probe = c.NewConfig()
		}
		if err := doctor.DecodeConfig(cfg, probe); err != nil {
			t.Fatalf("doctortest.Run %s: %v", c.ID, err)
		}
	}
	alone := *c
	alone.Requires = nil
	r := &doctor.Runner{
		Host:    h,
		Options: opts,
		DecodeConfig: func(id string, into any) error {
			return doctor.DecodeConfig(cfg, into)
		},
		Source: "snapshot",
	}
	rep := r.Run(context.Background(), []*doctor.Check{&alone})
	if len(rep.Results) != 1 {
		t.Fatalf("doctortest.Run %s: got %d results, want 1", c.ID, len(rep.Results))
	}
	res := rep.Results[0]
	CheckTexts(t, res)
	return res
}

// CheckTexts renders every text of a result (title, summary, reason, notes,
// findings) in every language and reports missing catalogue keys ("!{…}")
// and formatting mistakes ("%!d(string=…)", missing or extra arguments).
func CheckTexts(t testing.TB, res *doctor.Result) {
	t.Helper()
	check := func(what string, tx i18n.Text) {
		t.Helper()
		if tx.IsZero() {
			return
		}
		for _, l := range i18n.Langs {
			s := tx.In(l)
			if strings.Contains(s, "!{") || strings.Contains(s, "%!") {
				t.Errorf("%s: %s text %q renders badly in %s: %s", res.ID, what, tx.Key, l, s)
			}
		}
	}
	check("title", res.Title)
	check("summary", res.Summary)
	check("reason", res.Reason)
	for _, n := range res.Notes {
		check("note", n)
	}
	for _, f := range res.Findings {
		check("finding "+f.Code+" message", f.Message)
		check("finding "+f.Code+" hint", f.Hint)
		if f.Message.IsZero() {
			t.Errorf("%s: finding %s has no message", res.ID, f.Code)
		}
		if !strings.HasPrefix(f.Code, res.ID+".") {
			t.Errorf("%s: finding code %q does not start with %q", res.ID, f.Code, res.ID+".")
		}
		if f.Severity != doctor.Warn && f.Severity != doctor.Fail {
			t.Errorf("%s: finding %s has severity %v", res.ID, f.Code, f.Severity)
		}
	}
}

// WantStatus fails the test unless res ended with status want; the message
// shows the reason and findings.
func WantStatus(t testing.TB, res *doctor.Result, want doctor.Status) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %v, want %v\n%s", res.ID, res.Status, want, Describe(res, i18n.EN))
	}
}

// Codes returns the finding codes of a result, in order.
func Codes(res *doctor.Result) []string {
	out := make([]string, 0, len(res.Findings))
	for _, f := range res.Findings {
		out = append(out, f.Code)
	}
	return out
}

// Finding returns the first finding with that code, or nil.
func Finding(res *doctor.Result, code string) *doctor.Finding {
	for i := range res.Findings {
		if res.Findings[i].Code == code {
			return &res.Findings[i]
		}
	}
	return nil
}

// WantFinding fails the test unless res has a finding with code and
// severity, and returns it.
func WantFinding(t testing.TB, res *doctor.Result, code string, sev doctor.Severity) *doctor.Finding {
	t.Helper()
	f := Finding(res, code)
	if f == nil {
		t.Fatalf("%s: no finding %s; got %v\n%s", res.ID, code, Codes(res), Describe(res, i18n.EN))
	}
	if f.Severity != sev {
		t.Fatalf("%s: finding %s has severity %v, want %v", res.ID, code, f.Severity, sev)
	}
	return f
}

// Describe renders a result as plain text in lang, for test failure
// messages and golden comparisons.
func Describe(res *doctor.Result, lang i18n.Lang) string {
	var b strings.Builder
	b.WriteString(res.ID + " [" + res.Status.String() + "] " + res.Title.In(lang))
	if s := res.Summary.In(lang); s != "" {
		b.WriteString(" (" + s + ")")
	}
	b.WriteString("\n")
	if r := res.Reason.In(lang); r != "" {
		b.WriteString("  reason: " + r + "\n")
	}
	for _, f := range res.Findings {
		b.WriteString("  " + f.Severity.String() + " " + f.Code + ": " + f.Message.In(lang) + "\n")
		if h := f.Hint.In(lang); h != "" {
			b.WriteString("    hint: " + h + "\n")
		}
		for _, c := range f.Commands {
			b.WriteString("    $ " + c + "\n")
		}
	}
	for _, n := range res.Notes {
		b.WriteString("  note: " + n.In(lang) + "\n")
	}
	return b.String()
}

// AllText returns everything a result says in lang, joined, for tests that
// look for a fact ("19045", "w32tm") anywhere in the output.
func AllText(res *doctor.Result, lang i18n.Lang) string {
	return Describe(res, lang)
}
