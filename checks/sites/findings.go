package sites

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Finding turns a diagnosis that is not Trusted into a finding: the fact,
// where we looked, one imperative fix with the exact commands for the OS
// of f.
func Finding(d *Diagnosis, f host.Facts) doctor.Finding {
	t := d.Target
	addr := t.Addr()
	probe := "gmu-doctor probe " + probeURL(t)
	out := doctor.Finding{Severity: doctor.Fail, Code: "sites." + string(d.Verdict), Subject: addr}
	switch d.Verdict {
	case DNSFailed:
		out.Message = i18n.T("sites.dns", t.Host, d.DNS.Error)
		out.Hint = i18n.T("sites.dns.hint", t.Host)
		out.Commands = dnsCommands(f, t.Host)
	case Unreachable:
		why := d.TLS.Error
		if d.TCP.Error != "" && d.TLS.Proxy == "" {
			why = d.TCP.Error
		}
		out.Message = i18n.T("sites.unreachable", addr, string(d.TLS.ErrorKind), why, proxyText(d.TLS.Proxy))
		out.Hint = i18n.T("sites.unreachable.hint", addr)
		out.Commands = []string{tcpCommand(f, t.Host, t.Port), "gmu-doctor net allowlist"}
	case NoGOST:
		out.Message = i18n.T("sites.no-gost", addr, d.TLS.Alert)
		if s := d.Standard; s != nil && s.Error == "" && d.RootName != "" {
			out.Message = i18n.T("sites.no-gost.standard", addr, d.TLS.Alert, d.RootName)
			out.Hint = i18n.T("sites.no-gost.standard.hint", t.Host, d.RootName)
		} else {
			out.Hint = i18n.T("sites.no-gost.hint", t.Host)
		}
		out.Commands = []string{csptest(f, t.Host, t.Port)}
	case TLSFailed:
		why := d.TLS.Error
		if d.ParseError != "" {
			why = d.ParseError
		}
		out.Message = i18n.T("sites.tls", addr, why)
		out.Hint = i18n.T("sites.tls.hint", t.Host)
		out.Commands = []string{probe}
		if t.GOST {
			out.Commands = append(out.Commands, csptest(f, t.Host, t.Port))
		}
	case RootMissing:
		if e := d.MissingExpected; e != nil && len(e.InstallCmd) > 0 {
			out.Message = i18n.T("sites.root-missing", addr, e.Name, d.trustWhere())
			out.Hint = i18n.T("sites.root-missing.known.hint", e.Name)
			out.Commands = e.InstallCmd
			out.URL = e.URL
		} else {
			out.Message = i18n.T("sites.root-missing", addr, d.RootName, d.trustWhere())
			out.Hint = i18n.T("sites.root-missing.hint", d.RootName)
			out.Commands = []string{certs.For(f).Install(host.LocalMachine, host.StoreRoot, "root.cer")}
		}
	case Intercepted:
		out.Message = i18n.T("sites.intercepted", addr, d.Interceptor, d.expectedNames())
		if d.Standard != nil {
			out.Message = i18n.T("sites.intercepted.no-gost", addr, d.Interceptor)
		}
		out.Hint = i18n.T("sites.intercepted.hint", t.Host, d.Interceptor)
		out.Commands = []string{probe}
	case NameMismatch:
		names := strings.Join(d.Leaf.SANDNSNames, ", ")
		if names == "" {
			names = d.Leaf.Subject.Get("CN")
		}
		out.Message = i18n.T("sites.name", addr, names)
		out.Hint = i18n.T("sites.name.hint", t.Host)
		out.Commands = dnsCommands(f, t.Host)
	default: // ChainInvalid
		reason := d.ParseError
		if d.Chain != nil {
			reason = d.Chain.Reason
		}
		out.Message = i18n.T("sites.chain", addr, reason)
		out.Hint = i18n.T("sites.chain.hint", t.Host)
		out.Commands = []string{probe}
	}
	return out
}

// ClockFinding reports the workstation's clock against the server's.
func ClockFinding(d *Diagnosis, f host.Facts) doctor.Finding {
	skew := d.Skew.Round(time.Second)
	if skew >= time.Minute || skew <= -time.Minute {
		skew = d.Skew.Round(time.Minute)
	}
	dir := i18n.T("sites.clock.ahead")
	if skew < 0 {
		dir, skew = i18n.T("sites.clock.behind"), -skew
	}
	cmds := []string{"sudo timedatectl set-ntp true", "sudo chronyc makestep"}
	if f.OS == "windows" {
		cmds = []string{"w32tm /resync"}
	}
	return doctor.Finding{Severity: doctor.Warn, Code: "sites.clock", Subject: d.DateURL,
		Message:  i18n.T("sites.clock", skew.String(), dir, d.Target.Host, d.ServerDate.UTC().Format(time.RFC1123)),
		Hint:     i18n.T("sites.clock.hint"),
		Commands: cmds}
}

func (d *Diagnosis) trustWhere() string {
	return d.trustWhereText
}

func (d *Diagnosis) expectedNames() string {
	var names []string
	for _, e := range d.Target.Expected {
		names = append(names, e.Name)
	}
	if len(names) == 0 {
		return "—"
	}
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return strings.Join(names, "; ")
}

func proxyText(p string) string {
	if p == "" {
		return "direct"
	}
	return "proxy " + p
}

func probeURL(t Target) string {
	if t.Port == 443 {
		return "https://" + t.Host + "/"
	}
	return "https://" + t.Addr() + "/"
}

func dnsCommands(f host.Facts, h string) []string {
	if f.OS == "windows" {
		return []string{"nslookup " + h, "ipconfig /flushdns"}
	}
	return []string{"getent hosts " + h}
}

func tcpCommand(f host.Facts, h string, port int) string {
	if f.OS == "windows" {
		return fmt.Sprintf(`powershell -NoProfile -Command "Test-NetConnection %s -Port %d"`, h, port)
	}
	return fmt.Sprintf(`timeout 10 bash -c '</dev/tcp/%s/%d' && echo open`, h, port)
}

// csptest is CryptoPro's own GOST-TLS client test (domain.md §5).
func csptest(f host.Facts, h string, port int) string {
	bin := certs.For(f).Csptest()
	if f.OS == "windows" {
		bin = `"C:\Program Files\Crypto Pro\CSP\csptest.exe"`
	}
	return bin + " -tlsc -server " + h + " -port " + strconv.Itoa(port) + " -exchange 3 -proto 6 -autocheck -verbose"
}
