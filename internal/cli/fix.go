package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/cabundle"
	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/fix"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// maxCertFile bounds a --cert file.
const maxCertFile = 1 << 20

func newFixCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "fix [ID...]",
		Short:   a.T("cli.fix.short"),
		Long:    a.T("cli.fix.long"),
		Example: a.T("cli.fix.example"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runFix(cmd, args)
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return a.completeIDs(args), cobra.ShellCompDirectiveNoFileComp
		},
	}
	addHelpFlag(a, cmd)
	f := cmd.Flags()
	f.BoolP("yes", "y", false, a.T("cli.flag.yes"))
	f.Bool("dry-run", false, a.T("cli.flag.dry-run"))
	f.String("undo", "", a.T("cli.flag.undo"))
	f.Lookup("undo").NoOptDefVal = "latest"
	f.Bool("history", false, a.T("cli.flag.history"))
	f.StringSlice("only", nil, a.T("cli.flag.only"))
	f.String("export", "", a.T("cli.flag.export"))
	f.StringP("output", "o", "", a.T("cli.flag.export-out"))
	f.StringSlice("cert", nil, a.T("cli.flag.cert"))
	f.Bool("remove-expired", false, a.T("cli.flag.remove-expired"))
	f.StringSlice("site", nil, a.T("cli.flag.site"))
	f.String("snapshot", "", a.T("cli.flag.snapshot"))
	f.Duration("timeout", 0, a.T("cli.flag.timeout"))
	f.String("root", "", a.T("cli.flag.root"))
	f.String("user", "", a.T("cli.flag.user"))
	f.String("at", "", a.T("cli.flag.at"))
	f.Bool("show-personal", false, a.T("cli.flag.show-personal"))
	f.String("tsl", "", a.T("cli.flag.tsl"))
	_ = cmd.RegisterFlagCompletionFunc("export", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return fix.ExportFormats, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// journal returns the fix journal of the user running gmu-doctor.
func (a *App) journal() (*fix.Journal, error) {
	home, _ := os.UserHomeDir()
	dir, err := fix.DefaultDir(runtime.GOOS, a.getenv, home)
	if err != nil {
		return nil, a.Fail("fix.error.journal", err.Error())
	}
	return &fix.Journal{Dir: dir}, nil
}

func (a *App) now() time.Time {
	if a.Clock != nil {
		return a.Clock()
	}
	return time.Now()
}

func (a *App) runFix(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	fl := cmd.Flags()
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	if h, _ := fl.GetBool("history"); h {
		return a.fixHistory()
	}
	if fl.Changed("undo") {
		id, _ := fl.GetString("undo")
		if id == "latest" {
			id = ""
			if len(args) == 1 {
				id = args[0] // fix --undo RUN
			}
		}
		yes, _ := fl.GetBool("yes")
		return a.fixUndo(ctx, id, yes)
	}
	if cfg.Root != "" {
		return a.Fail("fix.error.root")
	}
	format, _ := fl.GetString("export")
	if format != "" && !contains(fix.ExportFormats, format) {
		return a.UsageError("fix.error.export", format, strings.Join(fix.ExportFormats, ", "))
	}
	snapshot, _ := fl.GetString("snapshot")
	if cfg.User != "" && snapshot == "" && format == "" {
		// The checks would read that user's stores while the writer
		// changes those of the user running gmu-doctor.
		return a.Fail("fix.error.user", cfg.User)
	}
	o := fix.Options{Lang: cfg.Lang, Only: stringSliceFlag(fl, "only"), Program: "gmu-doctor"}
	o.RemoveExpired, _ = fl.GetBool("remove-expired")
	for _, path := range stringSliceFlag(fl, "cert") {
		certs, err := readCertFile(path)
		if err != nil {
			return a.Fail("fix.error.cert", path, err.Error())
		}
		for _, c := range certs {
			o.Certs = append(o.Certs, c)
			o.CertFiles = append(o.CertFiles, path)
		}
	}

	sel, err := a.selectChecks(cfg, splitIDs(args), nil)
	if err != nil {
		return err
	}
	h, source, err := a.openHost(cfg, snapshot)
	if err != nil {
		return err
	}
	r, err := a.newRunner(cfg, h, source)
	if err != nil {
		return err
	}
	before := r.Run(ctx, sel)
	o.Fetch = func(url string) ([]byte, error) { return fetchCert(ctx, h, url) }
	if format != "" {
		// A script is for rollout with the rights it needs: plan as if
		// elevated (machine stores rather than the user's).
		before.Facts.Elevated = true
	}
	plan := fix.Build(before, o)
	a.printPlan(plan, source == "snapshot")
	if format != "" {
		return a.fixExport(fl, plan, format, before.Facts)
	}
	if source == "snapshot" {
		return nil
	}
	if dry, _ := fl.GetBool("dry-run"); dry {
		fmt.Fprintln(a.Stdout, a.T("fix.plan.dry-run"))
		return nil
	}
	steps := plan.Applicable()
	if len(steps) == 0 {
		if len(plan.Steps) > 0 {
			fmt.Fprintln(a.Stdout, a.T("fix.plan.nothing-to-apply"))
		}
		if report.ExitCode(before, false) != 0 {
			return &ExitError{Code: 1}
		}
		return nil
	}
	yes, _ := fl.GetBool("yes")
	if !yes && !a.confirm(a.T("fix.confirm", len(steps))) {
		return &ExitError{Code: 1, Err: &textError{Text: i18n.T("fix.error.not-confirmed")}}
	}
	w, err := a.NewWriter()
	if err != nil {
		return a.Fail("fix.error.writer", err.Error())
	}
	j, err := a.journal()
	if err != nil {
		return err
	}
	run, err := j.NewRun(before.Facts, buildinfo.Version(), a.now())
	if err != nil {
		return a.Fail("fix.error.journal", err.Error())
	}
	applyErr := fix.Apply(ctx, w, plan, run, a.now, func(e *fix.Entry) {
		if e.Status == fix.StatusSkipped && e.Error == "" {
			return
		}
		fmt.Fprintf(a.Stdout, "%2d. %s: %s\n", e.Step.N, e.Step.Describe(cfg.Lang), a.statusText(e))
	})
	fmt.Fprintln(a.Stdout, a.T("fix.run.journal", run.Path(), run.ID))
	if applyErr != nil {
		var se *fix.StepError
		if errors.As(applyErr, &se) {
			fmt.Fprintln(a.Stdout, a.T("fix.run.stopped", se.Step.N, len(run.Applied()), run.ID))
			return &ExitError{Code: 1}
		}
		return a.Fail("fix.error.journal", applyErr.Error())
	}
	return a.fixAfter(ctx, cfg, before, plan)
}

// fixAfter re-runs the checks the plan touched and prints before → after.
func (a *App) fixAfter(ctx context.Context, cfg *Config, before *doctor.Report, plan *fix.Plan) error {
	ids := plan.Checks()
	if len(ids) == 0 {
		return nil
	}
	sel, err := a.selectChecks(cfg, ids, nil)
	if err != nil {
		return err
	}
	h, source, err := a.openHost(cfg, "")
	if err != nil {
		return err
	}
	r, err := a.newRunner(cfg, h, source)
	if err != nil {
		return err
	}
	after := r.Run(ctx, sel)
	fmt.Fprintln(a.Stdout, a.T("fix.run.after"))
	bad := false
	for _, id := range ids {
		b, af := before.Result(id), after.Result(id)
		if b == nil || af == nil {
			continue
		}
		fmt.Fprintln(a.Stdout, a.T("fix.run.after-line", id, b.Status, af.Status))
		if af.Status == doctor.StatusFail || af.Status == doctor.StatusError {
			bad = true
		}
	}
	if bad {
		return &ExitError{Code: 1}
	}
	return nil
}

func (a *App) statusText(e *fix.Entry) string {
	switch e.Status {
	case fix.StatusApplied:
		return a.T("fix.status.applied")
	case fix.StatusUnchanged:
		return a.T("fix.status.unchanged")
	case fix.StatusFailed:
		return a.T("fix.status.failed", e.Error)
	case fix.StatusUndone:
		return a.T("fix.status.undone")
	case fix.StatusUndoFailed:
		return a.T("fix.status.undo-failed", e.Error)
	case fix.StatusSkipped:
		if e.Error != "" {
			return a.T("fix.status.busy", e.Error)
		}
	}
	return a.T("fix.status.skipped")
}

// printPlan prints the plan: what, where, why, and why a step is skipped.
func (a *App) printPlan(p *fix.Plan, snapshot bool) {
	out := a.Stdout
	if len(p.Steps) == 0 {
		fmt.Fprintln(out, a.T("fix.plan.none"))
		return
	}
	lang := a.Lang()
	fmt.Fprintln(out, a.T("fix.plan.header", p.Host, len(p.Steps)))
	for _, s := range p.Steps {
		fmt.Fprintf(out, "%2d. %s\n", s.N, s.Describe(lang))
		fmt.Fprintf(out, "    %s\n", a.T("fix.plan.why", s.Code, oneLine(s.Finding)))
		if s.Source != "" {
			src := s.Source
			if src == "embedded" {
				src = a.T("fix.source.embedded", cabundle.Source)
			}
			fmt.Fprintf(out, "    %s\n", a.T("fix.plan.source", src))
		}
		if s.Note != "" {
			fmt.Fprintf(out, "    ! %s\n", s.Note)
		}
		switch s.Skip {
		case fix.SkipElevation:
			fmt.Fprintf(out, "    ! %s\n", a.T("fix.plan.admin", s.Elevated))
		case fix.SkipManual:
			fmt.Fprintf(out, "    ! %s\n", a.T("fix.plan.manual"))
			for _, c := range s.Commands {
				fmt.Fprintf(out, "        %s\n", c)
			}
		case fix.SkipUnverified:
			url := s.Repair.URL
			if url == "" {
				url = "—"
			}
			fmt.Fprintf(out, "    ! %s\n", a.T("fix.plan.unverified", url))
		case fix.SkipRemoveExpired:
			fmt.Fprintf(out, "    ! %s\n", a.T("fix.plan.remove-expired"))
		}
	}
	ap, el, man, other := p.Counts()
	fmt.Fprintln(out, a.T("fix.plan.counts", ap, el, man, other))
	if snapshot {
		fmt.Fprintln(out, a.T("fix.plan.snapshot"))
	}
}

// confirm asks a yes/no question on Stdin; anything but y/yes/д/да is no.
func (a *App) confirm(q string) bool {
	fmt.Fprint(a.Stdout, q)
	if a.Stdin == nil {
		fmt.Fprintln(a.Stdout)
		return false
	}
	line, _ := bufio.NewReader(io.LimitReader(a.Stdin, 256)).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "д", "да":
		return true
	}
	return false
}

func (a *App) fixExport(fl interface {
	GetString(string) (string, error)
}, p *fix.Plan, format string, facts host.Facts) error {
	out, _ := fl.GetString("output")
	o := fix.ExportOptions{Lang: a.Lang(), Arch: cprocsp.ArchDir(facts.Arch),
		Generated: "Generated by gmu-doctor " + buildinfo.Version() + " at " + a.now().UTC().Format(time.RFC3339) + "."}
	if out == "" || out == "-" {
		return fix.Export(a.Stdout, p, format, o)
	}
	var b strings.Builder
	if err := fix.Export(&b, p, format, o); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if err := writeNewFile(out, []byte(b.String())); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	fmt.Fprintln(a.Stderr, a.T("fix.export.written", out, format, len(p.Steps)))
	return nil
}

// writeNewFile writes a regular file (never through a device or FIFO).
func writeNewFile(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("write %s: not a regular file", path)
	}
	return os.WriteFile(path, data, 0o644)
}

func (a *App) fixUndo(ctx context.Context, id string, yes bool) error {
	j, err := a.journal()
	if err != nil {
		return err
	}
	run, err := j.Find(id)
	if err != nil {
		return a.Fail("fix.error.journal", err.Error())
	}
	applied := run.Applied()
	if len(applied) == 0 {
		fmt.Fprintln(a.Stdout, a.T("fix.undo.nothing", run.ID))
		return nil
	}
	lang := a.Lang()
	fmt.Fprintln(a.Stdout, a.T("fix.undo.header", run.ID, run.Started.Format(time.RFC3339), len(applied)))
	for i := len(applied) - 1; i >= 0; i-- {
		fmt.Fprintf(a.Stdout, "%2d. %s\n", applied[i].Step.N, applied[i].Step.Describe(lang))
	}
	if !yes && !a.confirm(a.T("fix.undo.confirm", len(applied))) {
		return &ExitError{Code: 1, Err: &textError{Text: i18n.T("fix.error.not-confirmed")}}
	}
	w, err := a.NewWriter()
	if err != nil {
		return a.Fail("fix.error.writer", err.Error())
	}
	notUndoable, err := fix.Undo(ctx, w, run, a.now, func(e *fix.Entry) {
		fmt.Fprintf(a.Stdout, "%2d. %s: %s\n", e.Step.N, e.Step.Describe(lang), a.statusText(e))
	})
	for _, e := range notUndoable {
		fmt.Fprintln(a.Stdout, a.T("fix.undo.not-undoable", e.Step.N, e.Step.Describe(lang)))
	}
	if err != nil {
		var se *fix.StepError
		if errors.As(err, &se) {
			return &ExitError{Code: 1}
		}
		return a.Fail("fix.error.journal", err.Error())
	}
	fmt.Fprintln(a.Stdout, a.T("fix.undo.done", run.ID))
	return nil
}

func (a *App) fixHistory() error {
	j, err := a.journal()
	if err != nil {
		return err
	}
	runs, err := j.Runs()
	if err != nil {
		return a.Fail("fix.error.journal", err.Error())
	}
	if len(runs) == 0 {
		fmt.Fprintln(a.Stdout, a.T("fix.history.none", j.Dir))
		return nil
	}
	fmt.Fprintln(a.Stdout, a.T("fix.history.header", j.Dir))
	for _, r := range runs {
		var applied, failed, undone int
		for _, e := range r.Entries {
			switch e.Status {
			case fix.StatusApplied:
				applied++
			case fix.StatusFailed:
				failed++
			case fix.StatusUndone:
				undone++
			}
		}
		mark := ""
		if !r.UndoneAt.IsZero() {
			mark = a.T("fix.history.undone")
		}
		fmt.Fprintln(a.Stdout, a.T("fix.history.line", r.ID, r.Started.Format(time.RFC3339), r.Host, applied+undone, failed, undone, mark))
	}
	return nil
}

// maxAIA bounds a downloaded CA certificate (or certs-only PKCS#7).
const maxAIA = 1 << 20

// fetchCert downloads a published CA certificate through the host (its
// proxy settings; a snapshot replays what collect recorded).
func fetchCert(ctx context.Context, h host.Host, url string) ([]byte, error) {
	res, err := h.HTTPGet(ctx, host.HTTPRequest{URL: url, MaxBytes: maxAIA})
	if err != nil {
		return nil, err
	}
	if !res.OK() {
		return nil, fmt.Errorf("GET %s: %d %s", url, res.Status, res.Error)
	}
	return res.Body, nil
}

// readCertFile reads the certificates of a --cert file (DER, PEM, base64):
// a regular file of at most maxCertFile bytes, opened without blocking.
func readCertFile(path string) ([]*pki.Certificate, error) {
	b, err := safefile.ReadFile(path, maxCertFile)
	if err != nil {
		return nil, err
	}
	return pki.Parse(b)
}

func splitIDs(args []string) []string {
	var out []string
	for _, arg := range args {
		for _, id := range strings.Split(arg, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
