package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/checks/sites"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe"
)

func newProbeCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "probe URL",
		Short: a.T("probe.short"),
		Long:  a.T("probe.long"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runProbe(cmd, args[0])
		},
	}
	addHelpFlag(a, cmd)
	fl := cmd.Flags()
	fl.StringSlice("ca", nil, a.T("cert.flag.ca"))
	fl.StringSlice("root", nil, a.T("probe.flag.root"))
	fl.String("tls", "auto", a.T("probe.flag.tls"))
	fl.String("format", "text", a.T("cli.flag.format-list"))
	fl.Duration("timeout", 10*time.Second, a.T("probe.flag.timeout"))
	addNetFlags(a, cmd)
	return cmd
}

// probeTarget parses the URL argument: https://host[:port][/path] or
// host[:port].
func probeTarget(raw string) (host string, port int, ok bool) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Hostname() == "" || u.User != nil {
		return "", 0, false
	}
	port = 443
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return "", 0, false
		}
		port = n
	}
	return u.Hostname(), port, true
}

func (a *App) runProbe(cmd *cobra.Command, raw string) error {
	format, _ := cmd.Flags().GetString("format")
	if format != "text" && format != "json" {
		return a.UsageError("cli.error.format", format, "text, json")
	}
	mode, _ := cmd.Flags().GetString("tls")
	if mode != "auto" && mode != "gost" && mode != "standard" {
		return a.UsageError("probe.error.tls", mode)
	}
	hostName, port, ok := probeTarget(raw)
	if !ok {
		return a.UsageError("probe.error.url", raw)
	}
	timeout, _ := cmd.Flags().GetDuration("timeout")
	cfg, err := a.Config()
	if err != nil {
		return err
	}
	if cfg.Offline {
		return a.Fail("probe.error.offline")
	}
	// probe's --root names root certificates (as for cert verify), not
	// the file-system root of a Linux installation as for check.
	live := *cfg
	live.Root = ""
	h, _, err := a.openHost(&live, "")
	if err != nil {
		return err
	}
	defer a.clearProgress()

	// The target: a profile endpoint gives its TLS kind and the site's
	// roots; any other address is tried with GOST first, then standard.
	t := sites.Target{Host: hostName, Port: port}
	gostModes := []bool{true, false}
	profiles, err := profile.Resolve(nil, cfg.SiteOverrides)
	if err != nil {
		return a.ConfigError(err)
	}
	if pt, ok := sites.TargetForAddr(profiles, hostName, port, h.Facts()); ok {
		t = pt
		gostModes = []bool{pt.GOST}
	}
	switch mode {
	case "gost":
		gostModes = []bool{true}
	case "standard":
		gostModes = []bool{false}
	}

	ctx, cancel := context.WithTimeout(cmd.Context(), 3*timeout+5*time.Second)
	defer cancel()
	trust, err := a.probeTrust(cmd, ctx, h, gostModes[0])
	if err != nil {
		return err
	}
	var d *sites.Diagnosis
	for i, g := range gostModes {
		t.GOST = g
		tr := trust
		if i > 0 && len(stringSliceFlag(cmd.Flags(), "root")) == 0 {
			if tr, err = a.probeTrust(cmd, ctx, h, g); err != nil {
				return err
			}
		}
		d, err = sites.Diagnose(ctx, h, t, tr, sites.Options{Now: h.Now(), Timeout: timeout, Clock: true})
		if err != nil {
			if errors.Is(err, host.ErrOffline) {
				return a.Fail("probe.error.offline")
			}
			return a.Fail("probe.error.run", oneLine(err.Error()))
		}
		if d.Verdict != sites.NoGOST || d.Standard == nil || d.Standard.Error != "" {
			break
		}
	}
	a.clearProgress()
	var finding *doctor.Finding
	if d.Verdict != sites.Trusted {
		f := sites.Finding(d, h.Facts())
		finding = &f
	}
	var clock *doctor.Finding
	if d.SkewTooLarge() {
		f := sites.ClockFinding(d, h.Facts())
		clock = &f
	}
	if format == "json" {
		err = report.WriteJSON(a.Stdout, a.probeView(raw, d, finding, clock))
	} else {
		a.probeText(a.Stdout, raw, d, finding, clock)
	}
	if err != nil {
		return err
	}
	if d.Verdict != sites.Trusted {
		return &ExitError{Code: 1}
	}
	return nil
}

// probeTrust: --root files when given (only those are trusted), else the
// workstation's own Root stores; --ca files add intermediates.
func (a *App) probeTrust(cmd *cobra.Command, ctx context.Context, h host.Host, gost bool) (sites.Trust, error) {
	var tr sites.Trust
	if roots := stringSliceFlag(cmd.Flags(), "root"); len(roots) > 0 {
		certs, err := a.certFlagFiles(cmd, "root")
		if err != nil {
			return tr, err
		}
		tr.Roots, tr.Intermediates = pki.NewPool(certs...), pki.NewPool()
		tr.Where = "--root " + strings.Join(roots, ", ")
	} else {
		lt := sites.LoadTrust(ctx, h, gost)
		tr = lt.Trust
		for _, e := range lt.Errors {
			fmt.Fprintln(a.Stderr, e)
		}
	}
	cas, err := a.certFlagFiles(cmd, "ca")
	if err != nil {
		return tr, err
	}
	if len(cas) > 0 {
		tr.Intermediates = pki.Over(tr.Intermediates, cas...)
	}
	return tr, nil
}

type probeJSON struct {
	URL             string          `json:"url"`
	Addr            string          `json:"addr"`
	Mode            string          `json:"mode"`
	Verdict         string          `json:"verdict"`
	DNS             host.DNSAnswer  `json:"dns"`
	TCP             host.TCPAnswer  `json:"tcp"`
	TLS             probeTLSJSON    `json:"tls"`
	Chain           []certLinkJSON  `json:"chain"`
	Root            string          `json:"root"`
	Interceptor     string          `json:"interceptor"`
	ServerDate      string          `json:"server_date"`
	ClockSkewSecond int64           `json:"clock_skew_seconds"`
	Findings        []probeFindJSON `json:"findings"`
}

type probeTLSJSON struct {
	Version         string `json:"version"`
	CipherSuite     string `json:"cipher_suite"`
	CipherSuiteName string `json:"cipher_suite_name"`
	Alert           string `json:"alert"`
	Proxy           string `json:"proxy"`
	Error           string `json:"error"`
	ErrorKind       string `json:"error_kind"`
}

type probeFindJSON struct {
	Severity string   `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint"`
	Commands []string `json:"commands"`
}

func (a *App) probeView(raw string, d *sites.Diagnosis, fs ...*doctor.Finding) probeJSON {
	rec := d.TLS
	mode := "standard"
	if d.Target.GOST {
		mode = "gost"
	}
	out := probeJSON{URL: raw, Addr: d.Target.Addr(), Mode: mode, Verdict: string(d.Verdict), DNS: d.DNS, TCP: d.TCP,
		Chain: []certLinkJSON{}, Root: d.RootName, Interceptor: d.Interceptor, Findings: []probeFindJSON{},
		TLS: probeTLSJSON{Alert: rec.Alert, Proxy: rec.Proxy, Error: rec.Error, ErrorKind: string(rec.ErrorKind), CipherSuiteName: d.Suite()}}
	if rec.Version != 0 {
		out.TLS.Version = tlsprobe.VersionName(rec.Version)
	}
	if rec.CipherSuite != 0 {
		out.TLS.CipherSuite = fmt.Sprintf("0x%04X", rec.CipherSuite)
	}
	if d.Chain != nil {
		for _, l := range d.Chain.Chain {
			c := l.Cert
			out.Chain = append(out.Chain, certLinkJSON{Subject: c.Subject.String(), Issuer: c.Issuer.String(), SHA1: c.SHA1,
				NotBefore: c.NotBefore.UTC().Format(time.RFC3339), NotAfter: c.NotAfter.UTC().Format(time.RFC3339),
				SignatureValid: l.SignatureValid})
		}
	}
	if !d.ServerDate.IsZero() {
		out.ServerDate = d.ServerDate.UTC().Format(time.RFC3339)
		out.ClockSkewSecond = int64(d.Skew / time.Second)
	}
	lang := a.Lang()
	for _, f := range fs {
		if f == nil {
			continue
		}
		out.Findings = append(out.Findings, probeFindJSON{Severity: f.Severity.String(), Code: f.Code,
			Message: f.Message.In(lang), Hint: f.Hint.In(lang), Commands: append([]string{}, f.Commands...)})
	}
	return out
}

func (a *App) probeText(w io.Writer, raw string, d *sites.Diagnosis, fs ...*doctor.Finding) {
	lang := a.Lang()
	t := d.Target
	mode := a.T("probe.mode.standard")
	if t.GOST {
		mode = a.T("probe.mode.gost")
	}
	fmt.Fprintln(w, a.T("probe.addr", t.Addr(), mode))
	if d.DNS.Error != "" {
		fmt.Fprintln(w, "  DNS: "+d.DNS.Error)
	} else {
		fmt.Fprintln(w, "  DNS: "+strings.Join(d.DNS.Addrs, ", "))
	}
	if d.TCP.Error != "" {
		fmt.Fprintln(w, "  TCP: "+d.TCP.Error)
	} else {
		fmt.Fprintln(w, "  TCP: "+a.T("probe.tcp.ok", d.TCP.RemoteAddr, d.TCP.ElapsedMS))
	}
	rec := d.TLS
	switch {
	case rec.Error != "":
		fmt.Fprintln(w, "  TLS: "+rec.Error)
	default:
		fmt.Fprintln(w, "  TLS: "+tlsprobe.VersionName(rec.Version)+", "+d.Suite()+fmt.Sprintf(" (0x%04X)", rec.CipherSuite))
	}
	if rec.Proxy != "" {
		fmt.Fprintln(w, "  "+a.T("probe.proxy", rec.Proxy))
	}
	if d.Standard != nil && d.Standard.Error == "" {
		fmt.Fprintln(w, "  "+a.T("probe.standard-answer", tlsprobe.VersionName(d.Standard.Version), tlsprobe.SuiteName(d.Standard.CipherSuite)))
	}
	if d.Chain != nil && len(d.Chain.Chain) > 0 {
		fmt.Fprintln(w, a.T("cert.verify.chain"))
		for i, l := range d.Chain.Chain {
			c := l.Cert
			fmt.Fprintln(w, "  "+a.T("cert.verify.link", i, c.DisplayName(), c.SHA1,
				c.NotBefore.Format(certTimeLayout), c.NotAfter.Format(certTimeLayout)))
		}
	}
	if !d.ServerDate.IsZero() {
		fmt.Fprintln(w, a.T("probe.clock", d.ServerDate.UTC().Format(time.RFC3339), d.Skew.Round(time.Second).String()))
	}
	fmt.Fprintln(w, a.T("probe.verdict", i18n.T("probe.verdict."+string(d.Verdict)).In(lang)))
	for _, f := range fs {
		if f == nil {
			continue
		}
		fmt.Fprintln(w, "  "+f.Message.In(lang))
		if !f.Hint.IsZero() {
			fmt.Fprintln(w, "  "+f.Hint.In(lang))
		}
		for _, c := range f.Commands {
			fmt.Fprintln(w, "    "+c)
		}
	}
}
