package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/buildinfo"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

func newVersionCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: a.T("cli.version.short"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			in := buildinfo.Get()
			switch format {
			case "json":
				return report.WriteJSON(a.Stdout, in)
			case "text":
				fmt.Fprintf(a.Stdout, "gmu-doctor %s\n", in.Version)
				if in.Commit != "" {
					fmt.Fprintf(a.Stdout, "%s %s\n", a.T("cli.version.commit"), in.Commit)
				}
				if in.Date != "" {
					fmt.Fprintf(a.Stdout, "%s %s\n", a.T("cli.version.date"), in.Date)
				}
				fmt.Fprintf(a.Stdout, "%s %s %s/%s\n", a.T("cli.version.go"), in.GoVersion, in.OS, in.Arch)
				return nil
			}
			return a.UsageError("cli.error.format", format, "text, json")
		},
	}
	addHelpFlag(a, cmd)
	cmd.Flags().String("format", "text", a.T("cli.flag.format-list"))
	return cmd
}
