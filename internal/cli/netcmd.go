package cli

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/checks/sites"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

func newNetCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "net",
		Short: a.T("net.short"),
		Args:  cobra.NoArgs,
	}
	addHelpFlag(a, cmd)
	cmd.AddCommand(newNetAllowlistCmd(a))
	return cmd
}

func newNetAllowlistCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "allowlist",
		Short: a.T("net.allowlist.short"),
		Long:  a.T("net.allowlist.long"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			if format != "text" && format != "json" && format != "csv" {
				return a.UsageError("cli.error.format", format, "text, json, csv")
			}
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			snapshot, _ := cmd.Flags().GetString("snapshot")
			profiles, err := profile.Resolve(cfg.Sites, cfg.SiteOverrides)
			if err != nil {
				return a.UsageError("cli.error.flag", err.Error())
			}
			h, _, err := a.openHost(cfg, snapshot)
			if err != nil {
				return err
			}
			entries, errs := sites.Allowlist(cmd.Context(), h, profiles)
			for _, e := range errs {
				fmt.Fprintln(a.Stderr, a.T("net.allowlist.store-error", e))
			}
			switch format {
			case "json":
				if entries == nil {
					entries = []sites.AllowEntry{}
				}
				return report.WriteJSON(a.Stdout, struct {
					Entries []sites.AllowEntry `json:"entries"`
				}{entries})
			case "csv":
				w := csv.NewWriter(a.Stdout)
				_ = w.Write([]string{"host", "port", "purposes", "urls"})
				for _, e := range entries {
					_ = w.Write([]string{e.Host, strconv.Itoa(e.Port), strings.Join(e.Purposes, " "), strings.Join(e.URLs, " ")})
				}
				w.Flush()
				return w.Error()
			}
			fmt.Fprintln(a.Stdout, a.T("net.allowlist.header", len(entries)))
			for _, e := range entries {
				var ps []string
				for _, p := range e.Purposes {
					ps = append(ps, a.T("net.purpose."+p))
				}
				fmt.Fprintf(a.Stdout, "  %-40s %s\n", e.Host+":"+strconv.Itoa(e.Port), strings.Join(ps, ", "))
				for _, u := range e.URLs {
					fmt.Fprintln(a.Stdout, "      "+u)
				}
			}
			return nil
		},
	}
	addHelpFlag(a, cmd)
	fl := cmd.Flags()
	fl.StringSlice("site", nil, a.T("cli.flag.site"))
	fl.String("format", "text", a.T("net.flag.format"))
	fl.String("snapshot", "", a.T("cli.flag.snapshot"))
	return cmd
}
