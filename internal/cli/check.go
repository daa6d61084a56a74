package cli

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

// checkOptions are the resolved inputs of `gmu-doctor check`.
type checkOptions struct {
	Only     []string
	Skip     []string
	Snapshot string
	Verbose  bool
	Config   *Config
}

func newCheckCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "check [ID...]",
		Short:   a.T("cli.check.short"),
		Long:    a.T("cli.check.long"),
		Example: a.T("cli.check.example"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := a.checkOptions(cmd, args)
			if err != nil {
				return err
			}
			return a.runCheck(cmd.Context(), o)
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return a.completeIDs(args), cobra.ShellCompDirectiveNoFileComp
		},
	}
	addHelpFlag(a, cmd)
	f := cmd.Flags()
	f.StringSlice("skip", nil, a.T("cli.flag.skip"))
	f.StringSlice("site", nil, a.T("cli.flag.site"))
	f.String("snapshot", "", a.T("cli.flag.snapshot"))
	f.String("format", "text", a.T("cli.flag.format-check"))
	f.Bool("strict", false, a.T("cli.flag.strict"))
	f.Duration("timeout", 0, a.T("cli.flag.timeout"))
	f.BoolP("verbose", "v", false, a.T("cli.flag.verbose"))
	f.String("root", "", a.T("cli.flag.root"))
	f.String("user", "", a.T("cli.flag.user"))
	f.String("at", "", a.T("cli.flag.at"))
	f.Bool("show-personal", false, a.T("cli.flag.show-personal"))
	f.String("tsl", "", a.T("cli.flag.tsl"))
	addNetFlags(a, cmd)
	_ = cmd.RegisterFlagCompletionFunc("skip", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return a.completeIDs(nil), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("site", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return append(append([]string(nil), profile.IDs...), "all"), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("format", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return report.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// completeIDs lists the check IDs not yet given.
func (a *App) completeIDs(given []string) []string {
	have := map[string]bool{}
	for _, g := range given {
		have[g] = true
	}
	var out []string
	for _, c := range a.suite() {
		if !have[c.ID] {
			out = append(out, c.ID+"\t"+c.Title.In(a.Lang()))
		}
	}
	return out
}

func (a *App) suite() []*doctor.Check {
	if a.Suite == nil {
		return nil
	}
	return a.Suite()
}

// checkOptions turns flags, arguments and the config into checkOptions.
func (a *App) checkOptions(cmd *cobra.Command, args []string) (*checkOptions, error) {
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	o := &checkOptions{Config: cfg}
	for _, arg := range args {
		for _, id := range strings.Split(arg, ",") {
			if id = strings.TrimSpace(id); id != "" {
				o.Only = append(o.Only, id)
			}
		}
	}
	o.Skip = stringSliceFlag(cmd.Flags(), "skip")
	o.Snapshot, _ = cmd.Flags().GetString("snapshot")
	o.Verbose, _ = cmd.Flags().GetBool("verbose")
	if !validFormat(cfg.Format) {
		return nil, a.UsageError("cli.error.format", cfg.Format, strings.Join(report.Formats, ", "))
	}
	return o, nil
}

func validFormat(f string) bool {
	for _, v := range report.Formats {
		if v == f {
			return true
		}
	}
	return false
}

// selectChecks applies the ID arguments and --skip to the suite and checks
// the per-check config sections against it.
func (a *App) selectChecks(cfg *Config, only, skip []string) ([]*doctor.Check, error) {
	suite := a.suite()
	if err := doctor.Validate(suite); err != nil {
		return nil, &ExitError{Code: 2, Err: err}
	}
	sel, err := doctor.Select(suite, only, skip)
	if err != nil {
		var ue *doctor.UnknownIDError
		if errors.As(err, &ue) {
			return nil, a.UsageError("cli.error.unknown-id", strings.Join(ue.Unknown, ", "), strings.Join(ue.Valid, ", "))
		}
		return nil, &ExitError{Code: 2, Err: err}
	}
	if err := a.ValidateChecks(cfg, suite); err != nil {
		return nil, err
	}
	return sel, nil
}

// openHost returns the snapshot host or the live host and the report
// source ("snapshot" or "live").
func (a *App) openHost(cfg *Config, snapshot string) (host.Host, string, error) {
	if snapshot != "" {
		snap, err := host.LoadSnapshotFile(snapshot)
		if err != nil {
			return nil, "", a.Fail("cli.error.snapshot", oneLine(err.Error()))
		}
		return host.NewSnapshotHost(snap), "snapshot", nil
	}
	h, err := a.NewLive(a.liveOptions(cfg))
	if err != nil {
		return nil, "", a.Fail("cli.error.live", oneLine(err.Error()))
	}
	return h, "live", nil
}

// addNetFlags adds --offline and --net-budget to a command that may use
// the network.
func addNetFlags(a *App, cmd *cobra.Command) {
	cmd.Flags().Bool("offline", false, a.T("cli.flag.offline"))
	cmd.Flags().Duration("net-budget", 0, a.T("cli.flag.net-budget"))
}

// liveOptions are the live host's options of cfg, with the progress line
// of the network on a terminal (erased by a.endProgress).
func (a *App) liveOptions(cfg *Config) host.LiveOptions {
	net := cfg.NetOptions()
	show, clear := a.netProgress()
	net.Progress = show
	a.endProgress = clear
	return host.LiveOptions{Root: cfg.Root, User: cfg.User, At: cfg.At, Net: net}
}

// clearProgress erases the network progress line, if one was shown.
func (a *App) clearProgress() {
	if a.endProgress != nil {
		a.endProgress()
	}
}

// newRunner builds the runner for cfg on h.
func (a *App) newRunner(cfg *Config, h host.Host, source string) (*doctor.Runner, error) {
	profiles, err := profile.Resolve(cfg.Sites, cfg.SiteOverrides)
	if err != nil {
		return nil, a.Fail("cli.error.config", cfg.where(), err.Error())
	}
	return &doctor.Runner{
		Host:         h,
		Timeout:      cfg.Timeout,
		DecodeConfig: cfg.DecodeFunc(),
		Options: doctor.Options{
			Sites:        cfg.Sites,
			Profiles:     profiles,
			ShowPersonal: cfg.ShowPersonal,
			TSLPath:      cfg.TSL,
			Offline:      cfg.Offline,
			NetBudget:    cfg.NetBudget,
		},
		ToolVersion: buildinfo.Version(),
		Source:      source,
		Clock:       a.Clock,
	}, nil
}

func (a *App) runCheck(ctx context.Context, o *checkOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	cfg := o.Config
	sel, err := a.selectChecks(cfg, o.Only, o.Skip)
	if err != nil {
		return err
	}
	h, source, err := a.openHost(cfg, o.Snapshot)
	if err != nil {
		return err
	}
	r, err := a.newRunner(cfg, h, source)
	if err != nil {
		return err
	}
	rep := r.Run(ctx, sel)
	a.clearProgress()
	ro := report.Options{
		Lang:    cfg.Lang,
		Color:   cfg.Format == "text" && a.Color(),
		ASCII:   a.ASCII(),
		Verbose: o.Verbose,
		Strict:  cfg.Strict,
		Command: rerunCommand(o),
		// The details are those of this report: of the snapshot, if any.
		DetailsCommand: detailsCommand(o),
		Thresholds:     cfg.Monitoring,
	}
	if err := buffered(a.Stdout, func(w io.Writer) error { return report.Render(w, rep, cfg.Format, ro) }); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	if cfg.Format == "nagios" {
		// A plugin's exit code is its state (monitoring-plugins).
		if code := report.NagiosState(rep, ro); code != report.NagiosOK {
			return &ExitError{Code: code}
		}
		return nil
	}
	if code := report.ExitCode(rep, cfg.Strict); code != 0 {
		return &ExitError{Code: code}
	}
	return nil
}

// detailsCommand shows the same report again: the snapshot analysed here
// rather than the computer the command runs on.
func detailsCommand(o *checkOptions) string {
	s := "gmu-doctor check"
	if len(o.Only) > 0 {
		s += " " + strings.Join(o.Only, " ")
	}
	if o.Snapshot != "" {
		s += " --snapshot " + quoteArg(o.Snapshot)
	}
	return s
}

// rerunCommand is the command suggested at the end of the report.
func rerunCommand(o *checkOptions) string {
	s := "gmu-doctor check"
	if o.Snapshot != "" {
		// The fix is done on the workstation; there the check runs live.
		return s
	}
	if len(o.Only) > 0 {
		s += " " + strings.Join(o.Only, " ")
	}
	return s
}
