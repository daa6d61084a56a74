// Package proxy is the proxy check: which proxy the workstation's
// programs use — on Windows WinINet (browsers, per user or per machine,
// and group policy) and WinHTTP (services and CryptoAPI's retrieval of
// CRLs, OCSP answers and issuer certificates); elsewhere the *_proxy
// environment variables — and whether the CRL, OCSP and AIA hosts of the
// workstation's certificates are reachable through it.
package proxy

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// Check is the proxy check.
var Check = &doctor.Check{
	ID:    "proxy",
	Title: i18n.T("check.proxy.title"),
	Doc:   i18n.T("check.proxy.doc"),
	Run:   run,
}

// Registry locations of the proxy settings.
const (
	UserKey       = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	MachineKey    = `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings`
	UserPolicyKey = `HKCU\Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings`
	// MachinePolicyKey holds ProxySettingsPerUser: 0 makes every user
	// use the machine's settings (group policy «Make proxy settings
	// per-machine»).
	MachinePolicyKey = `HKLM\SOFTWARE\Policies\Microsoft\Windows\CurrentVersion\Internet Settings`
	// WinHTTPKey holds WinHttpSettings, set by `netsh winhttp set proxy`.
	WinHTTPKey = MachineKey + `\Connections`
)

// Settings is what was read about the workstation's proxies.
type Settings struct {
	// Browser is the effective WinINet (browser) setting, or on Linux the
	// environment's.
	Browser host.ProxySettings
	// WinHTTP is the WinHTTP setting (Windows only); nil elsewhere or
	// when unreadable.
	WinHTTP *host.ProxySettings
	Notes   []i18n.Text
}

func run(ctx context.Context, pass *doctor.Pass) error {
	h := pass.Host
	f := h.Facts()
	var s Settings
	var err error
	if f.OS == "windows" {
		s, err = readWindows(ctx, h)
		if errors.Is(err, host.ErrNotRecorded) {
			return doctor.Skip(i18n.T("proxy.skip.not-recorded"))
		}
		if err != nil {
			return err
		}
	} else {
		s = readEnv(ctx, h)
	}
	for _, n := range s.Notes {
		pass.Note(n)
	}
	pass.Note(i18n.T("proxy.note.browser", describe(s.Browser), s.Browser.Source))
	if s.WinHTTP != nil {
		pass.Note(i18n.T("proxy.note.winhttp", describe(*s.WinHTTP), WinHTTPKey+`\WinHttpSettings`))
	}
	if s.Browser.PAC != "" {
		pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "proxy.pac", Subject: s.Browser.PAC,
			Message:  i18n.T("proxy.pac", s.Browser.PAC, s.Browser.Source),
			Hint:     i18n.T("proxy.pac.hint"),
			Commands: []string{"gmu-doctor net allowlist"}})
	}
	// Browsers through a proxy, WinHTTP direct: CryptoAPI's CRL and OCSP
	// downloads go direct and fail where only the proxy reaches out.
	if s.WinHTTP != nil && (s.Browser.HTTP != "" || s.Browser.PAC != "") && s.WinHTTP.HTTP == "" {
		pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "proxy.winhttp-direct", Subject: WinHTTPKey + `\WinHttpSettings`,
			Message:  i18n.T("proxy.winhttp-direct", describe(s.Browser), s.Browser.Source, WinHTTPKey+`\WinHttpSettings`),
			Hint:     i18n.T("proxy.winhttp-direct.hint"),
			Commands: []string{"netsh winhttp import proxy source=ie", "netsh winhttp show proxy"}})
	}
	active := s.Browser.HTTP != "" || s.Browser.HTTPS != "" || s.WinHTTP != nil && s.WinHTTP.HTTP != ""
	if !active {
		pass.Summary(i18n.T("proxy.summary.direct"))
		return nil
	}
	pass.Summary(i18n.T("proxy.summary.proxy", describe(s.Browser)))
	if pass.Online() != nil {
		pass.Note(i18n.T("proxy.note.offline"))
		return nil
	}
	return checkHosts(ctx, pass, s)
}

// checkHosts asks each CRL/OCSP/AIA host of the workstation's
// certificates for "/" through the host (which uses the workstation's
// proxy) and reports the ones the proxy does not let through.
func checkHosts(ctx context.Context, pass *doctor.Pass, s Settings) error {
	urls, errs := certs.PersonalChainURLs(ctx, pass.Host)
	for _, e := range errs {
		pass.Note(i18n.T("certs.note.store-errors", e))
	}
	nctx, cancel := pass.NetContext(ctx)
	defer cancel()
	f := pass.Host.Facts()
	seen := map[string]bool{}
	for _, u := range urls {
		scheme, hostName, port, ok := host.SplitURL(u.URL)
		if !ok || (scheme != "http" && scheme != "https") {
			continue
		}
		base := scheme + "://" + host.JoinHostPort(hostName, port) + "/"
		if port == host.SchemePorts[scheme] && !strings.Contains(hostName, ":") {
			base = scheme + "://" + hostName + "/"
		}
		if seen[base] {
			continue
		}
		seen[base] = true
		resp, err := pass.Host.HTTPGet(nctx, host.HTTPRequest{URL: base, MaxBytes: 4 << 10})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			pass.Note(i18n.T("proxy.note.not-asked", base, err.Error()))
			continue
		}
		cert := ""
		if u.Cert != nil {
			cert = u.Cert.DisplayName()
		}
		switch {
		case resp.Status == 407:
			pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "proxy.auth-required", Subject: hostName,
				Message:  i18n.T("proxy.auth-required", resp.Proxy, hostName, u.URL, cert),
				Hint:     i18n.T("proxy.bypass.hint", hostName),
				Commands: bypassCommands(f, s, hostName)})
		case resp.Error != "" && resp.ErrorKind != host.NetHTTPStatus && resp.Proxy != "":
			pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "proxy.host-unreachable", Subject: hostName,
				Message:  i18n.T("proxy.host-unreachable", hostName, u.URL, cert, resp.Proxy, resp.Error),
				Hint:     i18n.T("proxy.host-unreachable.hint", hostName, resp.Proxy),
				Commands: bypassCommands(f, s, hostName)})
		case resp.Error != "" && resp.ErrorKind != host.NetHTTPStatus && s.Browser.Bypasses(hostName, strconv.Itoa(port)):
			pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "proxy.bypassed-unreachable", Subject: hostName,
				Message:  i18n.T("proxy.bypassed-unreachable", hostName, u.URL, cert, resp.Error),
				Hint:     i18n.T("proxy.bypassed-unreachable.hint", host.JoinHostPort(hostName, port)),
				Commands: []string{"gmu-doctor net allowlist"}})
		default:
			via := resp.Proxy
			if via == "" {
				via = "direct"
			}
			pass.Note(i18n.T("proxy.note.reachable", hostName, via, strconv.Itoa(resp.Status)))
		}
	}
	return nil
}

// bypassCommands add a host to the proxy's exceptions for this OS.
func bypassCommands(f host.Facts, s Settings, h string) []string {
	if f.OS != "windows" {
		return []string{`export no_proxy="${no_proxy:+$no_proxy,}` + h + `"`}
	}
	list := strings.Join(append(append([]string{}, s.Browser.Bypass...), h), ";")
	if s.Browser.BypassLocal {
		list = "<local>;" + list
	}
	cmds := []string{`reg add "` + UserKey + `" /v ProxyOverride /t REG_SZ /d "` + list + `" /f`}
	if s.WinHTTP != nil && s.WinHTTP.HTTP != "" {
		srv := strings.TrimPrefix(strings.TrimPrefix(s.WinHTTP.HTTP, "http://"), "https://")
		cmds = append(cmds, `netsh winhttp set proxy proxy-server="`+srv+`" bypass-list="`+list+`"`)
	}
	return cmds
}

// describe says "proxy http://p:3128 (exceptions: …)" or "direct".
func describe(s host.ProxySettings) i18n.Text {
	switch {
	case s.HTTP == "" && s.HTTPS == "" && s.PAC != "":
		return i18n.T("proxy.desc.pac", s.PAC)
	case s.HTTP == "" && s.HTTPS == "":
		return i18n.T("proxy.desc.direct")
	}
	p := s.HTTP
	if s.HTTPS != "" && s.HTTPS != s.HTTP {
		p = strings.TrimSpace(s.HTTP + " / https " + s.HTTPS)
	}
	by := append([]string{}, s.Bypass...)
	if s.BypassLocal {
		by = append([]string{"<local>"}, by...)
	}
	if len(by) == 0 {
		return i18n.T("proxy.desc.proxy", p)
	}
	return i18n.T("proxy.desc.proxy-bypass", p, strings.Join(by, "; "))
}
