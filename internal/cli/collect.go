package cli

import (
	"bytes"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

func newCollectCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "collect -o FILE",
		Short:   a.T("cli.collect.short"),
		Long:    a.T("cli.collect.long"),
		Example: a.T("cli.collect.example"),
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out, _ := cmd.Flags().GetString("output")
			if out == "" {
				return a.UsageError("cli.error.output-missing")
			}
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			// Where the snapshot goes is checked before anything is
			// collected, not after minutes of work.
			if out != "-" {
				if err := checkOutput(out); err != nil {
					return a.Fail("cli.error.output", out, err.Error())
				}
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			return a.runCollect(ctx, cfg, out)
		},
	}
	addHelpFlag(a, cmd)
	f := cmd.Flags()
	f.StringP("output", "o", "", a.T("cli.flag.output"))
	f.Duration("timeout", 0, a.T("cli.flag.timeout"))
	f.String("root", "", a.T("cli.flag.root"))
	f.String("user", "", a.T("cli.flag.user"))
	f.String("at", "", a.T("cli.flag.at"))
	f.String("tsl", "", a.T("cli.flag.tsl"))
	addNetFlags(a, cmd)
	return cmd
}

// runCollect runs the whole suite on the live host through a Recorder and
// writes what the checks read as a snapshot. Every site is selected, so
// the snapshot answers a replay for any --site.
func (a *App) runCollect(ctx context.Context, cfg *Config, out string) error {
	sel, err := a.selectChecks(cfg, nil, nil)
	if err != nil {
		return err
	}
	live, err := a.NewLive(a.liveOptions(cfg))
	if err != nil {
		return a.Fail("cli.error.live", oneLine(err.Error()))
	}
	rec := host.NewRecorder(live)
	all := *cfg
	all.Sites = append([]string(nil), profile.IDs...)
	r, err := a.newRunner(&all, rec, "live")
	if err != nil {
		return err
	}
	r.Run(ctx, sel)
	a.clearProgress()
	// Store read errors are recorded in the snapshot itself; the checks
	// replaying it report them.
	_ = rec.RecordStores(ctx)
	snap := rec.Snapshot(buildinfo.Version())

	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, snap); err != nil {
		return &ExitError{Code: 2, Err: err}
	}
	where := out
	if out == "-" {
		where = a.T("cli.collect.stdout")
		if _, err := a.Stdout.Write(buf.Bytes()); err != nil {
			return a.Fail("cli.error.output", where, err.Error())
		}
	} else if err := writeFileAtomic(out, buf.Bytes()); err != nil {
		return a.Fail("cli.error.output", out, err.Error())
	}
	certs := 0
	for _, s := range snap.CertStores {
		certs += len(s.Certificates)
	}
	fmt.Fprintln(a.Stderr, a.T("cli.collect.done", where, len(sel), len(snap.CertStores), certs,
		len(snap.Registry), len(snap.Files), len(snap.Commands)))
	return nil
}
