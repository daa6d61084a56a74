package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/fleet"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

func newReportCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "report SNAPSHOT_OR_REPORT...|DIR",
		Short:   a.T("cli.report.short"),
		Long:    a.T("cli.report.long"),
		Example: a.T("cli.report.example"),
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runReport(cmd, args)
		},
	}
	addHelpFlag(a, cmd)
	f := cmd.Flags()
	f.String("format", "text", a.T("cli.flag.format-report"))
	f.StringP("output", "o", "", a.T("cli.flag.report-output"))
	f.Int("jobs", 0, a.T("cli.flag.jobs"))
	f.StringSlice("site", nil, a.T("cli.flag.site"))
	f.Duration("timeout", 0, a.T("cli.flag.timeout"))
	f.Bool("show-personal", false, a.T("cli.flag.show-personal"))
	_ = cmd.RegisterFlagCompletionFunc("format", func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return fleet.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// runReport reads the snapshots and reports, checks the snapshots with the
// suite (as check --snapshot would) and prints the fleet.
func (a *App) runReport(cmd *cobra.Command, args []string) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	format, err := a.formatFlag(cmd, fleet.Formats)
	if err != nil {
		return err
	}
	out, _ := cmd.Flags().GetString("output")
	jobs, _ := cmd.Flags().GetInt("jobs")
	if jobs < 0 {
		return a.UsageError("cli.error.flag-value", "--jobs", fmt.Sprint(jobs))
	}
	files, err := fleet.Expand(args)
	if err != nil {
		return a.Fail("cli.error.report-input", oneLine(err.Error()))
	}
	if len(files) == 0 {
		return a.Fail("cli.error.report-empty", strings.Join(args, ", "))
	}
	sel, err := a.selectChecks(cfg, nil, nil)
	if err != nil {
		return err
	}
	if _, err := a.newRunner(cfg, host.NewSnapshotHost(&host.Snapshot{}), "snapshot"); err != nil {
		return err
	}
	check := func(ctx context.Context, snap *host.Snapshot) (*report.Document, error) {
		r, err := a.newRunner(cfg, host.NewSnapshotHost(snap), "snapshot")
		if err != nil {
			return nil, err
		}
		return report.NewDocument(r.Run(ctx, sel), report.Options{Lang: cfg.Lang}), nil
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	sum, err := fleet.Build(ctx, files, fleet.Options{Check: check, Jobs: jobs, Thresholds: cfg.Monitoring, Now: a.Clock})
	if err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	ro := fleet.RenderOptions{Lang: cfg.Lang, ToolVersion: buildinfo.Version()}
	if out == "" || out == "-" {
		if err := fleet.Render(a.Stdout, sum, format, ro); err != nil {
			return a.Fail("cli.error.output", "stdout", err.Error())
		}
	} else {
		var buf bytes.Buffer
		if err := fleet.Render(&buf, sum, format, ro); err != nil {
			return &ExitError{Code: 2, Err: err}
		}
		if err := writeFileAtomic(out, buf.Bytes()); err != nil {
			return a.Fail("cli.error.output", out, err.Error())
		}
		fmt.Fprintln(a.Stderr, a.T("cli.report.done", out, len(files), time.Since(start).Round(time.Millisecond).String()))
	}
	if sum.Unhealthy() {
		return &ExitError{Code: 1}
	}
	return nil
}

// formatFlag reads --format of a command with formats of its own (the
// config's format setting is check's): text by default, one of valid.
func (a *App) formatFlag(cmd *cobra.Command, valid []string) (string, error) {
	format := "text"
	if fl := cmd.Flags().Lookup("format"); fl != nil && fl.Changed {
		format = fl.Value.String()
	}
	for _, v := range valid {
		if v == format {
			return format, nil
		}
	}
	return "", a.UsageError("cli.error.format", format, strings.Join(valid, ", "))
}
