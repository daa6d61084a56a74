package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/kb"
	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// explainOptions are the resolved inputs of `gmu-doctor explain`.
type explainOptions struct {
	Input    string
	List     bool
	Support  bool
	Snapshot string
	Verbose  bool
	Config   *Config
}

func newExplainCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "explain TEXT_OR_CODE",
		Short:   a.T("cli.explain.short"),
		Long:    a.T("cli.explain.long"),
		Example: a.T("cli.explain.example"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			// The input is cleaned of terminal escapes and control
			// characters before anything matches or repeats it.
			o := &explainOptions{Config: cfg, Input: strings.TrimSpace(cleanInput(strings.Join(args, " ")))}
			o.List, _ = cmd.Flags().GetBool("list")
			o.Support, _ = cmd.Flags().GetBool("support")
			o.Snapshot, _ = cmd.Flags().GetString("snapshot")
			o.Verbose, _ = cmd.Flags().GetBool("verbose")
			if !o.List && o.Input == "" {
				return a.UsageError("cli.explain.no-input")
			}
			if cfg.Format != "text" && cfg.Format != "json" {
				return a.UsageError("cli.error.format", cfg.Format, "text, json")
			}
			return a.runExplain(cmd.Context(), o)
		},
	}
	addHelpFlag(a, cmd)
	f := cmd.Flags()
	f.Bool("list", false, a.T("cli.explain.flag-list"))
	f.Bool("support", false, a.T("cli.explain.flag-support"))
	f.String("snapshot", "", a.T("cli.flag.snapshot"))
	f.StringSlice("site", nil, a.T("cli.flag.site"))
	f.String("format", "text", a.T("cli.explain.flag-format"))
	f.Duration("timeout", 0, a.T("cli.flag.timeout"))
	f.BoolP("verbose", "v", false, a.T("cli.flag.verbose"))
	f.String("root", "", a.T("cli.flag.root"))
	f.String("user", "", a.T("cli.flag.user"))
	f.String("at", "", a.T("cli.flag.at"))
	f.Bool("show-personal", false, a.T("cli.flag.show-personal"))
	return cmd
}

// explainDoc is the JSON form of `explain --format json`.
type explainDoc struct {
	SchemaVersion int               `json:"schema_version"`
	ToolVersion   string            `json:"tool_version"`
	Input         string            `json:"input"`
	Matches       []explainMatchDoc `json:"matches"`
	Report        *report.Document  `json:"report,omitempty"`
	Support       *profile.Support  `json:"support,omitempty"`
	Entries       []explainMatchDoc `json:"entries,omitempty"`
}

type explainMatchDoc struct {
	ID         string   `json:"id"`
	Symbol     string   `json:"symbol,omitempty"`
	Codes      []string `json:"codes,omitempty"`
	Cause      string   `json:"cause"`
	Fix        string   `json:"fix"`
	Checks     []string `json:"checks"`
	Source     string   `json:"source"`
	Confidence string   `json:"confidence"`
	MatchedBy  string   `json:"matched_by,omitempty"`
	// CodeForms gives each code as hex, signed and unsigned decimal.
	CodeForms []string `json:"code_forms,omitempty"`
	// Noise is true for a harmless message the user can stop chasing.
	Noise bool `json:"noise,omitempty"`
}

func matchDoc(e *kb.Entry, lang i18n.Lang, by string) explainMatchDoc {
	return explainMatchDoc{ID: e.ID, Symbol: e.Symbol, Codes: e.Codes, Cause: e.Cause(string(lang)), Fix: e.Fix(string(lang)),
		Checks: e.Checks, Source: e.Source, Confidence: e.Confidence, MatchedBy: by, CodeForms: e.CodeForms(), Noise: e.Noise}
}

func (a *App) runExplain(ctx context.Context, o *explainOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	base, err := kb.Load()
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	lang := o.Config.Lang
	if o.List {
		return a.explainList(base, o)
	}
	matches := base.Match(o.Input)
	if len(matches) == 0 {
		if o.Config.Format == "json" {
			if err := report.WriteJSON(a.Stdout, explainDoc{SchemaVersion: 1, ToolVersion: buildinfo.Version(), Input: echo(maskPersonal(o.Input, o.Config.ShowPersonal)), Matches: []explainMatchDoc{}}); err != nil {
				return &ExitError{Code: 2, Err: err}
			}
		} else {
			fmt.Fprintln(a.Stdout, a.T("cli.explain.unknown", echo(maskPersonal(o.Input, o.Config.ShowPersonal))))
			fmt.Fprintln(a.Stdout, a.T("cli.explain.unknown-hint"))
		}
		return &ExitError{Code: 1}
	}
	// The best match, plus any tied with it.
	var best []kb.Match
	for _, m := range matches {
		if m.Score == matches[0].Score {
			best = append(best, m)
		}
	}
	var checkIDs []string
	seen := map[string]bool{}
	for _, m := range best {
		for _, id := range m.Entry.Checks {
			if !seen[id] {
				seen[id] = true
				checkIDs = append(checkIDs, id)
			}
		}
	}
	// Run the related checks on this machine (or the snapshot). Checks not
	// in this build's suite are left out rather than failing the command.
	var rep *doctor.Report
	if ids := a.knownIDs(checkIDs); len(ids) > 0 {
		sel, err := a.selectChecks(o.Config, ids, nil)
		if err != nil {
			return err
		}
		h, source, err := a.openHost(o.Config, o.Snapshot)
		if err != nil {
			return err
		}
		r, err := a.newRunner(o.Config, h, source)
		if err != nil {
			return err
		}
		rep = r.Run(ctx, sel)
		a.clearProgress()
	}
	ro := report.Options{Lang: lang, Color: o.Config.Format == "text" && a.Color(), ASCII: a.ASCII(), Verbose: o.Verbose,
		Command: "gmu-doctor explain " + quoteArg(echo(maskPersonal(o.Input, o.Config.ShowPersonal)))}

	if o.Config.Format == "json" {
		doc := explainDoc{SchemaVersion: 1, ToolVersion: buildinfo.Version(), Input: echo(maskPersonal(o.Input, o.Config.ShowPersonal))}
		for _, m := range best {
			doc.Matches = append(doc.Matches, matchDoc(m.Entry, lang, m.By))
		}
		if rep != nil {
			doc.Report = report.NewDocument(rep, ro)
		}
		doc.Support = supportFor(o.Config)
		if err := report.WriteJSON(a.Stdout, doc); err != nil {
			return &ExitError{Code: 2, Err: err}
		}
	} else {
		if o.Support {
			a.writeSupport(a.Stdout, o, best, rep)
		} else if err := a.writeExplain(a.Stdout, o, best, rep, ro); err != nil {
			return &ExitError{Code: 2, Err: err}
		}
	}
	if rep != nil && rep.Unhealthy(false) {
		return &ExitError{Code: 1}
	}
	return nil
}

// knownIDs keeps the IDs that are in the suite.
func (a *App) knownIDs(ids []string) []string {
	have := map[string]bool{}
	for _, c := range a.suite() {
		have[c.ID] = true
	}
	var out []string
	for _, id := range ids {
		if have[id] {
			out = append(out, id)
		}
	}
	return out
}

func (a *App) writeExplain(w io.Writer, o *explainOptions, best []kb.Match, rep *doctor.Report, ro report.Options) error {
	lang := o.Config.Lang
	for _, m := range best {
		e := m.Entry
		title := e.Symbol
		if title == "" {
			title = e.ID
		}
		if len(e.Codes) > 0 && strings.HasPrefix(e.Codes[0], "0x") {
			title += " (" + e.Codes[0] + ")"
		}
		fmt.Fprintln(w, a.T("cli.explain.recognised", title))
		if e.Noise {
			fmt.Fprintln(w, "  "+a.T("cli.explain.noise"))
		}
		fmt.Fprintln(w, "  "+a.T("cli.explain.cause", e.Cause(string(lang))))
		if forms := e.CodeForms(); len(forms) > 0 {
			fmt.Fprintln(w, "  "+a.T("cli.explain.codes", strings.Join(forms, "; ")))
		}
		fmt.Fprintln(w, "  "+a.T("cli.explain.source", e.Source, confidenceText(a, e.Confidence)))
	}
	fmt.Fprintln(w)
	if rep == nil {
		// Nothing on the machine can tell: give the generic fix.
		for _, m := range best {
			fmt.Fprintln(w, a.T("cli.explain.generic-fix", m.Entry.Fix(string(lang))))
		}
		a.writeSupportContacts(w, o)
		return nil
	}
	fmt.Fprintln(w, a.T("cli.explain.running", strings.Join(reportIDs(rep), ", ")))
	if err := report.Text(w, rep, ro); err != nil {
		return err
	}
	if !rep.Unhealthy(true) {
		fmt.Fprintln(w)
		fmt.Fprintln(w, a.T("cli.explain.no-cause-here"))
		for _, m := range best {
			fmt.Fprintln(w, a.T("cli.explain.generic-fix", m.Entry.Fix(string(lang))))
		}
		a.writeSupportContacts(w, o)
	}
	return nil
}

func confidenceText(a *App, c string) string {
	if c == "V" {
		return a.T("cli.explain.confidence-v")
	}
	return a.T("cli.explain.confidence-i")
}

func reportIDs(rep *doctor.Report) []string {
	var ids []string
	for _, r := range rep.Results {
		ids = append(ids, r.ID)
	}
	return ids
}

// supportFor returns the support contacts of the first selected site that
// has them (ГМУ).
func supportFor(cfg *Config) *profile.Support {
	sites, err := profile.Resolve(cfg.Sites, cfg.SiteOverrides)
	if err != nil {
		return nil
	}
	for _, s := range sites {
		if s.Support != nil {
			return s.Support
		}
	}
	return nil
}

func (a *App) writeSupportContacts(w io.Writer, o *explainOptions) {
	if s := supportFor(o.Config); s != nil {
		fmt.Fprintln(w, a.T("cli.explain.support-contacts", s.Phone, s.Email))
	}
}

// writeSupport prints a block an operator pastes into a support request:
// facts about the workstation, the error, and what the related checks found.
func (a *App) writeSupport(w io.Writer, o *explainOptions, best []kb.Match, rep *doctor.Report) {
	// The block quotes the workstation's facts and findings: keep them safe.
	sw := termsafe.NewWriter(w)
	defer sw.Flush()
	w = sw
	lang := o.Config.Lang
	fmt.Fprintln(w, a.T("cli.explain.support-header"))
	fmt.Fprintln(w, a.T("cli.explain.support-error", echo(maskPersonal(o.Input, o.Config.ShowPersonal))))
	for _, m := range best {
		fmt.Fprintln(w, a.T("cli.explain.support-match", m.Entry.ID, m.Entry.Symbol, m.Entry.Cause(string(lang))))
	}
	if rep != nil {
		f := rep.Facts
		fmt.Fprintln(w, a.T("cli.explain.support-host", f.Hostname, strings.TrimSpace(f.ProductName+" "+f.Version), f.Arch))
		fmt.Fprintln(w, a.T("cli.explain.support-time", rep.HostTime.UTC().Format("2006-01-02 15:04:05 MST"), buildinfo.Version(), rep.Source))
		for _, r := range rep.Results {
			line := fmt.Sprintf("  [%s] %s", r.Status, r.ID)
			if s := r.Summary.In(lang); s != "" {
				line += " (" + s + ")"
			}
			if s := r.Reason.In(lang); s != "" {
				line += ": " + s
			}
			fmt.Fprintln(w, line)
			for _, fd := range r.Findings {
				fmt.Fprintf(w, "    - %s: %s\n", fd.Code, oneLine(fd.Message.In(lang)))
			}
		}
	}
	if s := supportFor(o.Config); s != nil {
		fmt.Fprintln(w, a.T("cli.explain.support-contacts", s.Phone, s.Email))
	}
}

func (a *App) explainList(base *kb.Base, o *explainOptions) error {
	lang := o.Config.Lang
	if o.Config.Format == "json" {
		doc := explainDoc{SchemaVersion: 1, ToolVersion: buildinfo.Version(), Matches: []explainMatchDoc{}}
		for _, e := range base.Entries {
			doc.Entries = append(doc.Entries, matchDoc(e, lang, ""))
		}
		if err := report.WriteJSON(a.Stdout, doc); err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		return nil
	}
	for _, e := range base.Entries {
		head := e.ID
		if e.Symbol != "" {
			head += "  " + e.Symbol
		}
		if len(e.Codes) > 0 {
			head += "  " + strings.Join(e.Codes, ", ")
		}
		fmt.Fprintln(a.Stdout, head)
		if pats := append(append([]string{}, e.Patterns...), e.GenericPatterns...); len(pats) > 0 {
			fmt.Fprintln(a.Stdout, "  «"+strings.Join(pats, "» · «")+"»")
		}
		if e.Noise {
			fmt.Fprintln(a.Stdout, "  "+a.T("cli.explain.noise"))
		}
		fmt.Fprintln(a.Stdout, "  "+a.T("cli.explain.cause", e.Cause(string(lang))))
		if forms := e.CodeForms(); len(forms) > 0 {
			fmt.Fprintln(a.Stdout, "  "+a.T("cli.explain.codes", strings.Join(forms, "; ")))
		}
		if len(e.Checks) > 0 {
			fmt.Fprintln(a.Stdout, "  "+a.T("cli.explain.checks", strings.Join(e.Checks, ", ")))
		}
		fmt.Fprintln(a.Stdout, "  "+a.T("cli.explain.source", e.Source, confidenceText(a, e.Confidence)))
	}
	return nil
}

// digitRuns finds a СНИЛС written as 112-233-445 95 and runs of digits in
// pasted text.
var digitRuns = lazyre.New(`[0-9]{3}-[0-9]{3}-[0-9]{3}[ -][0-9]{2}|[0-9]+`)

// maskPersonal masks, unless show, what looks like a СНИЛС (11 digits) or a
// person's ИНН (12 digits not starting with "00") in text the user pasted,
// keeping the last three digits, as the checks do in their reports.
func maskPersonal(s string, show bool) string {
	if show {
		return s
	}
	return digitRuns.ReplaceAllStringFunc(s, func(run string) string {
		if len(run) == 11 || len(run) == 12 && !strings.HasPrefix(run, "00") || len(run) == 14 {
			return pki.MaskDigits(run, 3)
		}
		return run
	})
}

// quoteArg quotes s for a shell command line when it has spaces.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t\"'") {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return s
}
