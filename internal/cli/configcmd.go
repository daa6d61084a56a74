package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

func newConfigCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: a.T("cli.config.short"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	addHelpFlag(a, cmd)
	example := &cobra.Command{
		Use:   "example",
		Short: a.T("cli.config.example.short"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeConfigExample(a.Stdout, a.suite(), a.Lang(), a.DefaultConfigPath())
		},
	}
	addHelpFlag(a, example)
	path := &cobra.Command{
		Use:   "path",
		Short: a.T("cli.config.path.short"),
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(a.Stdout, a.DefaultConfigPath())
			return nil
		},
	}
	addHelpFlag(a, path)
	cmd.AddCommand(example, path)
	return cmd
}

// writeConfigExample writes a YAML config with every setting at its
// default, each explained in a comment, and a checks.<id> section for every
// check that has settings. Values are written in JSON syntax, which YAML
// reads as flow style, so the output loads back unchanged.
func writeConfigExample(w io.Writer, suite []*doctor.Check, lang i18n.Lang, defaultPath string) error {
	bw := bufio.NewWriter(w)
	t := func(key string, args ...any) string { return i18n.T(key, args...).In(lang) }
	comment := func(indent, text string) {
		for _, l := range strings.Split(text, "\n") {
			fmt.Fprintf(bw, "%s# %s\n", indent, l)
		}
	}
	comment("", t("cli.config.header", defaultPath, EnvPrefix))
	fmt.Fprintln(bw)
	defaults := []struct{ key, value string }{
		{"lang", string(lang)},
		{"site", `"all"`},
		{"format", `"text"`},
		{"strict", "false"},
		{"timeout", `"0s"`},
		{"show_personal", "false"},
		{"tsl", `""`},
		{"root", `""`},
		{"user", `""`},
		{"at", `""`},
		{"offline", "false"},
		{"net_budget", `"20s"`},
	}
	for _, d := range defaults {
		comment("", t("cli.config.key."+d.key))
		fmt.Fprintf(bw, "%s: %s\n\n", d.key, d.value)
	}
	comment("", t("cli.config.key.net"))
	fmt.Fprintln(bw, "# net:")
	fmt.Fprintln(bw, `#   proxy: "http://proxy.example:3128"`)
	fmt.Fprintln(bw, "#   resolve:")
	fmt.Fprintln(bw, `#     "crl.roskazna.ru": "10.0.0.5"`)
	fmt.Fprintln(bw)
	comment("", t("cli.config.key.sites", strings.Join(profile.IDs, ", ")))
	fmt.Fprintln(bw, "# sites:")
	fmt.Fprintln(bw, "#   gmu:")
	fmt.Fprintln(bw, `#     required_oids: ["1.2.643.…"]`)
	fmt.Fprintln(bw)
	comment("", t("cli.config.key.monitoring"))
	th := report.DefaultThresholds()
	fmt.Fprintf(bw, "monitoring:\n  cert_warn_days: %d\n  cert_crit_days: %d\n\n", th.WarnDays, th.CritDays)
	comment("", t("cli.config.key.checks"))
	fmt.Fprintln(bw, "checks:")
	n := 0
	for _, c := range suite {
		if c.NewConfig == nil {
			continue
		}
		fields, err := orderedFields(c.NewConfig())
		if err != nil {
			return fmt.Errorf("config example for %s: %w", c.ID, err)
		}
		doc := c.Doc.In(lang)
		if i := strings.IndexByte(doc, '\n'); i >= 0 {
			doc = doc[:i]
		}
		comment("  ", c.Title.In(lang)+": "+doc)
		if len(fields) == 0 {
			fmt.Fprintf(bw, "  %s: {}\n", c.ID)
			n++
			continue
		}
		fmt.Fprintf(bw, "  %s:\n", c.ID)
		for _, f := range fields {
			fmt.Fprintf(bw, "    %s: %s\n", f.key, f.value)
		}
		n++
	}
	if n == 0 {
		fmt.Fprintln(bw, "  {}")
	}
	return bw.Flush()
}

type field struct{ key, value string }

// orderedFields returns the JSON fields of v in declaration order, each
// value as compact JSON.
func orderedFields(v any) ([]field, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("config is not a struct or map: %s", b)
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, err
		}
		out = append(out, field{key: key, value: buf.String()})
	}
	return out, nil
}
