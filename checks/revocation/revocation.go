// Package revocation is the revocation check: for every certificate of
// every personal chain it fetches the CRLs named in the certificate (and
// asks its OCSP responder, when it names one), verifies every answer's
// signature with our GOST engine against the issuer, and says which
// certificate is revoked, which list has expired, and which host could not
// be reached and how (DNS, connection, proxy, HTTP status, timeout) — the
// causes of 0x80092013 «Функция отзыва не смогла произвести проверку
// отзыва…» and 0x80092010 «Сертификат отозван». On Windows it also reads
// CryptoAPI's URL cache, so a stale cached CRL is named even offline.
package revocation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// Check is the revocation check.
var Check = &doctor.Check{
	ID:      "revocation",
	Title:   i18n.T("check.revocation.title"),
	Doc:     i18n.T("check.revocation.doc"),
	Timeout: doctor.DefaultNetBudget + 15*time.Second,
	Run:     run,
}

func run(ctx context.Context, pass *doctor.Pass) error {
	st := certs.LoadCore(ctx, pass.Host)
	if !st.Read(host.CurrentUser, host.StoreMy) {
		return fmt.Errorf("read the personal certificate store: %s", st.ErrorText())
	}
	chains := PersonalChains(st, pass.Host.Now())
	if len(chains) == 0 {
		return doctor.Skip(i18n.T("revocation.skip.no-personal"))
	}
	facts := pass.Host.Facts()
	show := pass.Options.ShowPersonal
	cached := readURLCache(ctx, pass.Host, chains)
	if pass.Options.Offline {
		if len(cached) > 0 {
			reportURLCache(pass, cached, nil)
			pass.Note(i18n.T("doctor.skip.offline"))
			return nil
		}
		return pass.Online()
	}
	nctx, cancel := pass.NetContext(ctx)
	defer cancel()
	statuses := Assess(nctx, pass.Host, chains, Options{Now: pass.Host.Now()})
	if all := allSources(statuses); all != "" {
		if len(cached) > 0 {
			reportURLCache(pass, cached, nil)
			return nil
		}
		if all == OutNotRecorded {
			return doctor.Skip(i18n.T("revocation.skip.not-recorded"))
		}
		return doctor.Skip(i18n.T("doctor.skip.offline"))
	}
	reportURLCache(pass, cached, statuses)
	good, bad := 0, 0
	for _, s := range statuses {
		for _, f := range Findings(s, facts, show) {
			pass.Report(f)
		}
		for _, n := range Notes(s, facts, show) {
			pass.Note(n)
		}
		switch s.Verdict {
		case VerdictGood:
			good++
		case VerdictRevoked, VerdictUnknown:
			bad++
		}
	}
	pass.Summary(i18n.T("revocation.summary", good, good+bad))
	return nil
}

// PersonalChains builds the chain of every personal GOST certificate with
// the machine's stores (the chain check's view): leaf first, as far as it
// goes.
func PersonalChains(st *certs.Stores, at time.Time) []Chain {
	roots := st.Pool(host.StoreRoot)
	inter := st.Pool(host.StoreCA, host.StoreMy, host.StoreRoot)
	var out []Chain
	for _, e := range st.Personal() {
		if !certs.Signing(e.Cert) {
			continue
		}
		out = append(out, ChainOf(e.Cert, pki.VerifyOptions{Intermediates: inter, Roots: roots, At: at, Signatures: st.Signatures()}))
	}
	return out
}

// ChainOf is the best chain pki.Verify finds for leaf, as certificates.
func ChainOf(leaf *pki.Certificate, opts pki.VerifyOptions) Chain {
	res := pki.Verify(leaf, opts)
	ch := Chain{}
	for _, l := range res.Chain {
		if l.Cert != nil {
			ch = append(ch, l.Cert)
		}
	}
	if len(ch) == 0 {
		ch = Chain{leaf}
	}
	return ch
}

// allSources returns the outcome every source shares when it is "not
// recorded" or "offline" (nothing was asked), "" otherwise.
func allSources(sts []*Status) string {
	out := ""
	for _, s := range sts {
		for _, src := range s.Sources {
			if src.Outcome != OutNotRecorded && src.Outcome != OutOffline {
				return ""
			}
			if out != "" && out != src.Outcome {
				return ""
			}
			out = src.Outcome
		}
	}
	return out
}

// Findings are the problems of one certificate's status: revoked, status
// unknown (with each address and why it failed), or established through
// one address while others failed.
func Findings(s *Status, facts host.Facts, show bool) []doctor.Finding {
	label := certs.Label(s.Cert, show)
	at := func(t time.Time) string { return certs.LocalTime(facts, t) }
	subject := "sha1:" + s.Cert.SHA1
	cmds := certs.For(facts)
	switch s.Verdict {
	case VerdictRevoked:
		by := s.By
		reason := pki.ReasonName(by.Reason)
		if reason == "" {
			reason = "—"
		}
		f := doctor.Finding{Severity: doctor.Fail, Code: "revocation.revoked", Subject: subject, URL: by.URL,
			Message: i18n.T("revocation.revoked.msg", label, s.Cert.SHA1, at(by.RevokedAt), reason, by.Kind, by.URL)}
		if s.Cert.IsCA {
			f.Hint = i18n.T("revocation.revoked.ca.hint", label)
		} else {
			f.Hint = i18n.T("revocation.revoked.leaf.hint")
		}
		return []doctor.Finding{f}
	case VerdictUnknown:
		return []doctor.Finding{unknownFinding(s, facts, show, cmds)}
	case VerdictGood:
		failed := failedSources(s)
		if len(failed) == 0 {
			return nil
		}
		hosts := s.Hosts(OutUnreachable)
		f := doctor.Finding{Severity: doctor.Warn, Code: "revocation.partial", Subject: subject,
			Message: i18n.T("revocation.partial.msg", label, s.Cert.SHA1, s.By.Kind+" "+s.By.URL, describeAll(failed, facts))}
		if len(hosts) > 0 {
			f.Hint = i18n.T("revocation.partial.hint", strings.Join(hosts, ", "))
			f.Commands = []string{testCommand(cmds, firstURL(failed, OutUnreachable))}
		} else {
			f.Hint = i18n.T("revocation.partial.other.hint")
		}
		return []doctor.Finding{f}
	}
	return nil
}

// Notes are the informational lines of one status.
func Notes(s *Status, facts host.Facts, show bool) []i18n.Text {
	label := certs.Label(s.Cert, show)
	switch s.Verdict {
	case VerdictGood:
		until := "—"
		if !s.By.NextUpdate.IsZero() {
			until = certs.LocalTime(facts, s.By.NextUpdate)
		}
		return []i18n.Text{i18n.T("revocation.note.good", label, s.Cert.SHA1, s.By.Kind, s.By.URL, until)}
	case VerdictNoURLs:
		return []i18n.Text{i18n.T("revocation.note.no-urls", label, s.Cert.SHA1)}
	case VerdictNoIssuer:
		return []i18n.Text{i18n.T("revocation.note.no-issuer", label, s.Cert.SHA1)}
	}
	return nil
}

func failedSources(s *Status) []Source {
	var out []Source
	for _, src := range s.Sources {
		if src.Outcome != OutGood && src.Outcome != OutRevoked {
			out = append(out, src)
		}
	}
	return out
}

func firstURL(srcs []Source, outcome string) string {
	for _, s := range srcs {
		if s.Outcome == outcome {
			return s.URL
		}
	}
	if len(srcs) > 0 {
		return srcs[0].URL
	}
	return ""
}

func has(srcs []Source, outcome string) bool {
	for _, s := range srcs {
		if s.Outcome == outcome {
			return true
		}
	}
	return false
}

func unknownFinding(s *Status, facts host.Facts, show bool, cmds certs.Cmds) doctor.Finding {
	label := certs.Label(s.Cert, show)
	srcs := s.Sources
	f := doctor.Finding{Severity: doctor.Fail, Subject: "sha1:" + s.Cert.SHA1,
		Message: i18n.T("revocation.unknown.msg", label, s.Cert.SHA1, describeAll(srcs, facts))}
	unreachable := s.Hosts(OutUnreachable)
	switch {
	case has(srcs, OutWrongSigner):
		f.Code = "revocation.crl-wrong-signer"
		f.Hint = i18n.T("revocation.wrong-signer.hint", firstURL(srcs, OutWrongSigner), s.Issuer.SubjectKeyIDHex())
	case has(srcs, OutExpired) && !has(srcs, OutMalformed):
		f.Code = "revocation.crl-expired"
		f.Hint = i18n.T("revocation.expired.hint")
		if cmds.Windows() {
			f.Commands = []string{"certutil -urlcache " + quoteWin(firstURL(srcs, OutExpired)) + " delete", `certutil -setreg chain\ChainCacheResyncFiletime @now`}
		}
		if len(unreachable) > 0 {
			f.Hint = i18n.T("revocation.expired.unreachable.hint", strings.Join(unreachable, ", "))
		}
	case has(srcs, OutMalformed):
		f.Code = "revocation.malformed"
		f.Hint = i18n.T("revocation.malformed.hint", firstURL(srcs, OutMalformed))
	case len(unreachable) > 0:
		f.Code = "revocation.unreachable"
		f.Hint = i18n.T("revocation.unreachable.hint", strings.Join(unreachable, ", "), ports(srcs))
		if crls := httpURLs(s.Cert.CRLDistributionPoints); len(crls) > 1 {
			f.Hint = i18n.T("revocation.unreachable.mirror.hint", strings.Join(unreachable, ", "), ports(srcs), strings.Join(crls, ", "))
		}
	default:
		f.Code = "revocation.unknown"
		f.Hint = i18n.T("revocation.unknown.hint")
	}
	if u := firstURL(srcs, OutUnreachable); u != "" && len(unreachable) > 0 {
		f.Commands = append(f.Commands, testCommand(cmds, u))
		f.URL = u
	}
	return f
}

// ports lists the ports the failed addresses use ("80", "80, 443").
func ports(srcs []Source) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range srcs {
		if s.Outcome != OutUnreachable {
			continue
		}
		hp := host.URLHostPort(s.URL)
		if i := strings.LastIndexByte(hp, ':'); i >= 0 && !seen[hp[i+1:]] {
			seen[hp[i+1:]] = true
			out = append(out, hp[i+1:])
		}
	}
	if len(out) == 0 {
		return "80"
	}
	return strings.Join(out, ", ")
}

func quoteWin(s string) string {
	if strings.ContainsAny(s, " &|<>^()") {
		return `"` + s + `"`
	}
	return s
}

// testCommand downloads one address the way the operator can check it by
// hand on this OS.
func testCommand(cmds certs.Cmds, url string) string {
	if cmds.Windows() {
		return `powershell -NoProfile -Command "Invoke-WebRequest -UseBasicParsing -Uri '` + url + `' -OutFile $env:TEMP\gmu-doctor-test.bin"`
	}
	return "curl -sS -o /dev/null -w '%{http_code}\\n' '" + strings.ReplaceAll(url, "'", "%27") + "'"
}

// describeAll joins the descriptions of the sources with "; ".
func describeAll(srcs []Source, facts host.Facts) i18n.Text {
	var t i18n.Text
	for i, s := range srcs {
		if i == 0 {
			t = Describe(s, facts)
			continue
		}
		t = i18n.T("revocation.sep", t, Describe(s, facts))
	}
	return t
}

// Describe says in one clause what one address answered.
func Describe(s Source, facts host.Facts) i18n.Text {
	at := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return certs.LocalTime(facts, t)
	}
	where := s.Kind + " " + s.URL
	h := host.URLHost(s.URL)
	switch s.Outcome {
	case OutGood:
		return i18n.T("revocation.src.good", where, at(s.ThisUpdate), at(s.NextUpdate))
	case OutRevoked:
		return i18n.T("revocation.src.revoked", where, at(s.RevokedAt), pki.ReasonName(s.Reason))
	case OutExpired:
		return i18n.T("revocation.src.expired", where, at(s.ThisUpdate), at(s.NextUpdate))
	case OutWrongSigner:
		return i18n.T("revocation.src.wrong-signer", where, orDash(s.SignerKey))
	case OutMalformed:
		return i18n.T("revocation.src.malformed", where, orDash(s.Resp.Header["Content-Type"]), s.Detail)
	case OutUnusable:
		return i18n.T("revocation.src.unusable", where, s.Detail)
	case OutUnknown:
		return i18n.T("revocation.src.unknown", where)
	case OutNotRecorded:
		return i18n.T("revocation.src.not-recorded", where)
	case OutOffline:
		return i18n.T("revocation.src.offline", where)
	}
	r := s.Resp
	via := ""
	if r.Proxy != "" {
		via = r.Proxy
	}
	switch r.ErrorKind {
	case host.NetDNS:
		return i18n.T("revocation.src.dns", where, h)
	case host.NetRefused:
		return i18n.T("revocation.src.refused", where, host.URLHostPort(s.URL))
	case host.NetTimeout:
		return i18n.T("revocation.src.timeout", where, host.URLHostPort(s.URL))
	case host.NetProxy:
		return i18n.T("revocation.src.proxy", where, orDash(via), r.Error)
	case host.NetHTTPStatus:
		if via != "" {
			return i18n.T("revocation.src.http-proxy", where, r.Error, via)
		}
		return i18n.T("revocation.src.http", where, r.Error)
	case host.NetTooLarge:
		return i18n.T("revocation.src.too-large", where, r.Error)
	case host.NetRedirect:
		return i18n.T("revocation.src.redirect", where, r.Error)
	case host.NetTLS:
		return i18n.T("revocation.src.tls", where, r.Error)
	}
	return i18n.T("revocation.src.failed", where, orDash(r.Error))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
