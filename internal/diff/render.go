package diff

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// JSON writes the result as JSON (every list present, sorted).
func JSON(w io.Writer, r *Result) error { return report.WriteJSON(w, r) }

// Text writes the differences for a terminal, one section per kind, each
// value from the snapshots through termsafe.
func Text(w io.Writer, r *Result, lang i18n.Lang) error {
	bw := bufio.NewWriter(w)
	t := func(key string, args ...any) string { return i18n.T(key, args...).In(lang) }
	safe := termsafe.Line
	fmt.Fprintln(bw, t("diff.header", safe(r.Good), safe(r.GoodHost), safe(r.Bad), safe(r.BadHost)))
	if r.Empty() {
		fmt.Fprintln(bw, t("diff.none"))
		return bw.Flush()
	}
	if len(r.Checks) > 0 {
		fmt.Fprintf(bw, "\n%s\n", t("diff.section.checks"))
		for _, c := range r.Checks {
			fmt.Fprintf(bw, "  %s (%s): %s → %s\n", safe(c.Title), c.ID, c.Good, c.Bad)
			if c.BadDetail != "" && c.BadDetail != c.GoodDetail {
				fmt.Fprintf(bw, "      %s\n", safe(c.BadDetail))
			}
			for _, f := range c.Findings {
				fmt.Fprintf(bw, "    %s %s\n", map[string]string{"fail": "✗", "warn": "!"}[f.Severity], safe(f.Message))
				if f.Hint != "" {
					fmt.Fprintf(bw, "      %s\n", safe(f.Hint))
				}
				for _, cmd := range f.Commands {
					for _, l := range strings.Split(termsafe.Text(cmd), "\n") {
						fmt.Fprintf(bw, "        %s\n", l)
					}
				}
			}
		}
	}
	if len(r.Versions) > 0 {
		fmt.Fprintf(bw, "\n%s\n", t("diff.section.versions"))
		for _, v := range r.Versions {
			fmt.Fprintf(bw, "  %s:\n    %s: %s\n    %s: %s\n", v.What, t("diff.good"), orDash(safe(v.Good)), t("diff.bad"), orDash(safe(v.Bad)))
		}
	}
	if len(r.Certificates) > 0 {
		fmt.Fprintf(bw, "\n%s\n", t("diff.section.certs"))
		for _, c := range r.Certificates {
			key := ""
			if c.HasKey {
				key = ", " + t("diff.cert.key")
			}
			fmt.Fprintf(bw, "  %s %s\\%s: %s (SHA-1 %s, %s %s%s)\n", t("diff.only."+c.Side), c.Location, c.Store,
				orDash(safe(c.Subject)), safe(c.SHA1), t("diff.cert.until"), orDash(c.NotAfter), key)
		}
	}
	for _, sec := range []struct {
		key  string
		list []RegDiff
	}{{"diff.section.zones", r.Zones}, {"diff.section.registry", r.Registry}} {
		if len(sec.list) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s\n", t(sec.key))
		for _, d := range sec.list {
			name := d.Name
			if name == "" && d.Good != "(key)" && d.Good != "(no key)" {
				name = t("diff.default-value")
			}
			where := safe(d.Key)
			if name != "" {
				where += ` \ ` + safe(name)
			}
			fmt.Fprintf(bw, "  %s\n    %s: %s\n    %s: %s\n", where, t("diff.good"), orDash(safe(d.Good)), t("diff.bad"), orDash(safe(d.Bad)))
		}
	}
	return bw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
