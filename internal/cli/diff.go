package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/diff"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// liveArg names this computer as a side of `gmu-doctor diff`.
const liveArg = "live"

func newDiffCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "diff GOOD BAD",
		Short:   a.T("cli.diff.short"),
		Long:    a.T("cli.diff.long"),
		Example: a.T("cli.diff.example"),
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runDiff(cmd, args[0], args[1])
		},
	}
	addHelpFlag(a, cmd)
	f := cmd.Flags()
	f.String("format", "text", a.T("cli.flag.format-diff"))
	f.StringSlice("site", nil, a.T("cli.flag.site"))
	f.String("root", "", a.T("cli.flag.root"))
	f.String("user", "", a.T("cli.flag.user"))
	f.Duration("timeout", 0, a.T("cli.flag.timeout"))
	return cmd
}

// runDiff checks both sides with the whole suite (every site, as collect
// does, so that every check runs) and prints what differs. Exit code 0: no
// difference, 1: differences (as diff(1)), 2: an error.
func (a *App) runDiff(cmd *cobra.Command, goodArg, badArg string) error {
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	format, err := a.formatFlag(cmd, []string{"text", "json"})
	if err != nil {
		return err
	}
	if goodArg == liveArg && badArg == liveArg && !fileExists(liveArg) {
		return a.UsageError("cli.error.diff-live-twice")
	}
	sel, err := a.selectChecks(cfg, nil, nil)
	if err != nil {
		return err
	}
	all := *cfg
	all.Sites = append([]string(nil), profile.IDs...)
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	side := func(arg string) (diff.Side, error) {
		if arg == liveArg && !fileExists(arg) {
			return a.liveSide(ctx, &all, sel)
		}
		snap, err := host.LoadSnapshotFile(arg)
		if err != nil {
			return diff.Side{}, a.Fail("cli.error.snapshot", oneLine(err.Error()))
		}
		r, err := a.newRunner(&all, host.NewSnapshotHost(snap), "snapshot")
		if err != nil {
			return diff.Side{}, err
		}
		return diff.Side{Label: arg, Snap: snap, Report: r.Run(ctx, sel)}, nil
	}
	good, err := side(goodArg)
	if err != nil {
		return err
	}
	bad, err := side(badArg)
	if err != nil {
		return err
	}
	res := diff.Compare(good, bad, cfg.Lang)
	if format == "json" {
		err = diff.JSON(a.Stdout, res)
	} else {
		err = diff.Text(a.Stdout, res, cfg.Lang)
	}
	if err != nil {
		return a.Fail("cli.error.output", "stdout", err.Error())
	}
	if !res.Empty() {
		return &ExitError{Code: 1}
	}
	return nil
}

// liveSide records this computer the way collect does: the suite runs
// through a Recorder, whose snapshot holds what the checks read.
func (a *App) liveSide(ctx context.Context, cfg *Config, sel []*doctor.Check) (diff.Side, error) {
	live, err := a.NewLive(host.LiveOptions{Root: cfg.Root, User: cfg.User, At: cfg.At})
	if err != nil {
		return diff.Side{}, a.Fail("cli.error.live", oneLine(err.Error()))
	}
	rec := host.NewRecorder(live)
	r, err := a.newRunner(cfg, rec, "live")
	if err != nil {
		return diff.Side{}, err
	}
	rep := r.Run(ctx, sel)
	_ = rec.RecordStores(ctx)
	return diff.Side{Label: liveArg, Snap: rec.Snapshot(buildinfo.Version()), Report: rep}, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
