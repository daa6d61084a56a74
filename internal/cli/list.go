package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

// listEntry is one check in `list --format json`.
type listEntry struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	OS       []string `json:"os"`
	Requires []string `json:"requires"`
	Doc      string   `json:"doc"`
}

func newListCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: a.T("cli.list.short"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			if format != "text" && format != "json" && format != "zabbix-lld" {
				return a.UsageError("cli.error.format", format, "text, json, zabbix-lld")
			}
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			suite := a.suite()
			var entries []listEntry
			for _, c := range suite {
				doc := c.Doc.In(cfg.Lang)
				if i := strings.IndexByte(doc, '\n'); i >= 0 {
					doc = doc[:i]
				}
				e := listEntry{ID: c.ID, Title: c.Title.In(cfg.Lang), OS: append([]string{}, c.OS...),
					Requires: append([]string{}, c.Requires...), Doc: strings.TrimSpace(doc)}
				entries = append(entries, e)
			}
			if format == "zabbix-lld" {
				// Zabbix low-level discovery: one object per check with
				// {#MACRO} keys, for item prototypes such as
				// $.checks[?(@.id=='{#CHECK.ID}')].status.first()
				lld := []map[string]string{}
				for _, e := range entries {
					lld = append(lld, map[string]string{"{#CHECK.ID}": e.ID, "{#CHECK.TITLE}": e.Title})
				}
				return report.WriteJSON(a.Stdout, lld)
			}
			if format == "json" {
				if entries == nil {
					entries = []listEntry{}
				}
				return report.WriteJSON(a.Stdout, entries)
			}
			tw := tabwriter.NewWriter(a.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.T("cli.list.col-id"), a.T("cli.list.col-title"), a.T("cli.list.col-os"), a.T("cli.list.col-doc"))
			for _, e := range entries {
				osList := strings.Join(e.OS, ",")
				if osList == "" {
					osList = a.T("cli.list.all-os")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.ID, e.Title, osList, e.Doc)
			}
			return tw.Flush()
		},
	}
	addHelpFlag(a, cmd)
	cmd.Flags().String("format", "text", a.T("cli.flag.format-list-lld"))
	return cmd
}
