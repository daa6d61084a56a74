// Package chain is the chain check: every personal certificate chains,
// with valid signatures and dates, through the machine's CA store to a
// root in a Root store. A missing Treasury intermediate is named with its
// generation, key identifier and download address (the cause of
// «Произошла внутренняя ошибка в цепочке сертификатов», 0x800B010A).
package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/chainmsg"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/tsl"
)

// Check is the chain check.
var Check = &doctor.Check{
	ID:    "chain",
	Title: i18n.T("check.chain.title"),
	Doc:   i18n.T("check.chain.doc"),
	Run:   run,
}

// loadKnown is the table of known roots and CAs (a seam for tests).
var loadKnown = certs.LoadKnown

type state struct {
	ctx   context.Context
	pass  *doctor.Pass
	st    *certs.Stores
	known *certs.Known
	cmds  certs.Cmds
	show  bool
	// list is the accredited-CA list given with --tsl, nil without one
	// or when it cannot be read (the qualified-profile check says so).
	list *tsl.List
}

func run(ctx context.Context, pass *doctor.Pass) error {
	st := certs.LoadCore(ctx, pass.Host)
	if !st.Read(host.CurrentUser, host.StoreMy) {
		return fmt.Errorf("read the personal certificate store: %s", st.ErrorText())
	}
	if len(st.Errors) > 0 {
		pass.Note(i18n.T("certs.note.store-errors", st.ErrorText()))
	}
	var leaves []certs.Entry
	for _, e := range st.Personal() {
		switch {
		case certs.Signing(e.Cert):
			leaves = append(leaves, e)
		case e.Cert != nil:
			pass.Note(i18n.T("certs.note.non-gost", certs.Label(e.Cert, pass.Options.ShowPersonal), e.Cert.SHA1, e.Where()))
		}
	}
	if len(leaves) == 0 {
		return doctor.Skip(i18n.T("chain.skip.no-personal"))
	}
	s := &state{ctx: ctx, pass: pass, st: st, known: loadKnown(), cmds: certs.For(pass.Host.Facts()), show: pass.Options.ShowPersonal}
	if path := pass.Options.TSLPath; path != "" {
		s.list, _ = certs.LoadTSL(ctx, pass.Host, path)
	}
	roots := st.Pool(host.StoreRoot)
	inter := st.Pool(host.StoreCA, host.StoreMy, host.StoreRoot)
	valid := 0
	for _, e := range leaves {
		res := pki.Verify(e.Cert, pki.VerifyOptions{Intermediates: inter, Roots: roots, At: pass.Host.Now(), Signatures: st.Signatures()})
		if res.Verdict == pki.Valid {
			valid++
			pass.Note(i18n.T("chain.note.valid", certs.Label(e.Cert, s.show), e.Cert.SHA1, s.path(res)))
		} else {
			s.report(e, res)
		}
		s.cryptoAPI(ctx, e, res.Verdict == pki.Valid)
	}
	pass.Summary(i18n.T("chain.summary", valid, len(leaves)))
	return nil
}

// cryptoAPI adds, on Windows, CryptoAPI's own verdict on the chain of a
// personal certificate as a note. It never changes the status: our engine
// decides, CryptoAPI's opinion is context for the operator (and it cannot
// verify GOST signatures without a GOST CSP, see below).
func (s *state) cryptoAPI(ctx context.Context, e certs.Entry, oursValid bool) {
	if s.pass.Host.Facts().OS != "windows" {
		return
	}
	loc := host.CurrentUser
	if e.Loc == host.LocalMachine {
		loc = host.LocalMachine
	}
	label := certs.Label(e.Cert, s.show)
	cs, err := s.pass.Host.ChainStatus(ctx, loc, host.StoreMy, e.Cert.SHA1)
	switch {
	case errors.Is(err, host.ErrNotRecorded):
		// The one place where "not recorded" is tolerated rather than an
		// error: the chain_status section was added to snapshot_version 1
		// later, and snapshots collected before it must still be analysed.
		s.pass.Note(i18n.T("capi.note.not-recorded", label, e.Cert.SHA1))
		return
	case errors.Is(err, host.ErrNotSupported):
		return
	case err != nil:
		s.pass.Note(i18n.T("capi.note.unavailable", label, e.Cert.SHA1, err.Error()))
		return
	case cs.Error != "":
		s.pass.Note(i18n.T("capi.note.unavailable", label, e.Cert.SHA1, cs.Error))
		return
	case cs.TrustErrorStatus == 0:
		s.pass.Note(i18n.T("capi.note.ok", label, e.Cert.SHA1, cs.ChainLength))
	default:
		names := host.DescribeTrustError(cs.TrustErrorStatus)
		s.pass.Note(i18n.T("capi.note.errors", label, e.Cert.SHA1, cs.ChainLength, strings.Join(names, ", "), cs.TrustErrorStatus))
	}
	// CryptoAPI checks GOST signatures through the installed GOST CSP
	// (CryptoPro); without a working one every GOST chain is "signature
	// not valid" although the signatures are fine (our engine verified
	// them itself).
	if oursValid && cs.TrustErrorStatus&host.TrustIsNotSignatureValid != 0 && certs.Signing(e.Cert) {
		s.pass.Note(i18n.T("capi.note.gost-csp", label, e.Cert.SHA1))
	}
}

// path formats a chain as "leaf → CA → root".
func (s *state) path(res *pki.ChainResult) string {
	parts := make([]string, 0, len(res.Chain))
	for _, l := range res.Chain {
		parts = append(parts, certs.Label(l.Cert, s.show))
	}
	return strings.Join(parts, " → ")
}

func (s *state) report(e certs.Entry, res *pki.ChainResult) {
	c := e.Cert
	label := certs.Label(c, s.show)
	// The reason in the report's language; the engine's own English text
	// only when it names no link.
	var reason any = i18n.Raw(certs.SafeText(res.Reason, s.show))
	if p, _, ok := chainmsg.Problem(res, s.pass.Host.Now(), s.style()); ok {
		reason = p
	}
	f := doctor.Finding{Severity: doctor.Fail, Subject: "sha1:" + c.SHA1}
	var bad *pki.Certificate
	if res.ProblemIndex >= 0 && res.ProblemIndex < len(res.Chain) {
		bad = res.Chain[res.ProblemIndex].Cert
	}
	switch {
	case res.Problem == pki.ProblemTooManyIssuers:
		// Not a missing intermediate: too many candidates to search.
		f.Code = "chain.too-many-issuers"
		f.Message = i18n.T("chain.too-many-issuers.msg", label, c.SHA1, reason)
		f.Hint = i18n.T("chain.too-many-issuers.hint")
		f.Commands = []string{s.cmds.List(host.LocalMachine, host.StoreCA), s.cmds.List(host.CurrentUser, host.StoreCA)}
	case res.Verdict == pki.Incomplete:
		s.incomplete(&f, label, c, res)
	case res.Verdict == pki.Untrusted:
		s.untrusted(&f, label, c, res)
	case res.Verdict == pki.BadSignature:
		f.Code = "chain.bad-signature"
		f.Message = i18n.T("chain.bad-signature.msg", label, c.SHA1, reason)
		f.Hint = i18n.T("chain.bad-signature.hint")
		if bad != nil && bad != c {
			f.Commands = []string{s.cmds.Delete(s.storeOf(bad))}
		}
	case res.Verdict == pki.Expired:
		f.Code = "chain.expired"
		if bad == nil || bad == c {
			f.Message = i18n.T("chain.expired.leaf.msg", label, c.SHA1, certs.LocalDate(s.pass.Host.Facts(), c.NotAfter))
			f.Hint = i18n.T("chain.expired.leaf.hint")
		} else {
			f.Message = i18n.T("chain.expired.ca.msg", label, c.SHA1, certs.Label(bad, s.show), bad.SHA1, certs.LocalDate(s.pass.Host.Facts(), bad.NotAfter))
			f.Hint = i18n.T("chain.expired.ca.hint")
			f.Commands = []string{s.cmds.Delete(s.storeOf(bad))}
		}
	case res.Verdict == pki.NotYetValid:
		f.Code = "chain.not-yet-valid"
		f.Message = i18n.T("chain.not-yet-valid.msg", label, c.SHA1, reason)
		f.Hint = i18n.T("chain.not-yet-valid.hint")
	default:
		f.Code = "chain.malformed"
		f.Message = i18n.T("chain.malformed.msg", label, c.SHA1, reason)
		f.Hint = i18n.T("chain.malformed.hint")
	}
	s.pass.Report(f)
}

// style names certificates as the rest of the report does (personal
// numbers masked unless asked) and gives times in the workstation's zone.
func (s *state) style() chainmsg.Style {
	return chainmsg.Style{
		Name: func(c *pki.Certificate) string { return certs.Label(c, s.show) },
		Time: func(t time.Time) string { return certs.LocalTime(s.pass.Host.Facts(), t) },
	}
}

// storeOf returns where a certificate sits (the first store holding it).
func (s *state) storeOf(c *pki.Certificate) (host.StoreLocation, host.StoreName, string) {
	for _, e := range s.st.Find(c.SHA1) {
		return e.Loc, e.Store, c.SHA1
	}
	return host.CurrentUser, host.StoreCA, c.SHA1
}

// pickURL chooses the caIssuers address to download from: the public
// Treasury or head-CA server before closed-network mirrors (*.local).
func pickURL(urls []string) string {
	for _, u := range urls {
		if strings.HasPrefix(u, "http") && !strings.Contains(u, ".local/") {
			return u
		}
	}
	if len(urls) > 0 {
		return urls[0]
	}
	return ""
}

func fileName(url, fallback string) string {
	if i := strings.LastIndexByte(url, '/'); i >= 0 && i < len(url)-1 {
		name := url[i+1:]
		if !strings.ContainsAny(name, " ?&") && strings.Contains(name, ".") {
			return name
		}
	}
	return fallback
}

func (s *state) incomplete(f *doctor.Finding, label string, c *pki.Certificate, res *pki.ChainResult) {
	f.Code = "chain.incomplete"
	m := res.Missing
	if m == nil {
		m = &pki.MissingIssuer{IssuerDN: c.Issuer.String(), AKI: c.AuthorityKeyIDHex(), CAIssuers: c.CAIssuers}
	}
	gen := i18n.T("chain.generation.unknown")
	url := pickURL(m.CAIssuers)
	file := fileName(url, "issuer.crt")
	ca, known := s.known.CAByKeyID(m.AKI)
	if known {
		gen = ca.Name()
		if url == "" && !strings.ContainsAny(ca.URL, " ") {
			// (the oldest Treasury files have spaces and Cyrillic in
			// their names: e-trust by thumbprint is the safer address)
			url = ca.URL
		}
		if url == "" {
			url = certs.ETrustURL(ca.SHA1)
		}
		file = fileName(url, ca.File)
	}
	if !known && s.list != nil {
		// The accredited-CA list names the key's owner and its certificate.
		if ca, key := s.list.ByKeyID(m.AKI); ca != nil {
			gen = i18n.T("chain.generation.tsl", ca.Name)
			if len(key.Certs) > 0 {
				last := key.Certs[len(key.Certs)-1]
				if url == "" {
					url = certs.ETrustURL(last.Thumbprint)
					file = strings.ToLower(last.Thumbprint) + ".crt"
				}
			}
		}
	}
	store, msgKey, hintKey := host.StoreCA, "chain.incomplete.msg", "chain.incomplete.hint"
	if r, ok := certs.RootBySKI(s.known.Roots, m.AKI); ok {
		// The missing issuer is a root: it belongs in the Root store.
		gen, store, msgKey, hintKey = r.Name(), host.StoreRoot, "chain.incomplete.root.msg", "chain.incomplete.root.hint"
		url, file = r.DownloadURL, r.FileName()
	}
	var cmds []string
	if url != "" && !strings.HasPrefix(url, "https://www.gosuslugi.ru/") {
		cmds = append(cmds, s.cmds.Download(url, file))
	}
	cmds = append(cmds, s.cmds.Install(host.LocalMachine, store, file))
	f.Message = i18n.T(msgKey, label, c.SHA1, certs.SafeText(m.IssuerDN, s.show), orDash(m.AKI), gen)
	f.Hint = i18n.T(hintKey, file, orDash(url), s.cmds.Install(host.CurrentUser, store, file))
	f.Commands = cmds
	f.URL = url
	child := c
	if n := len(res.Chain); n > 0 && res.Chain[n-1].Cert != nil {
		child = res.Chain[n-1].Cert // the certificate whose issuer is missing
	}
	f.Repairs = []doctor.Repair{certs.InstallIssuerRepair(child, m.AKI, "", url, store)}
	if s.ctx != nil {
		s.addAIA(s.ctx, f, child, m.AKI, store)
	}
}

func (s *state) untrusted(f *doctor.Finding, label string, c *pki.Certificate, res *pki.ChainResult) {
	f.Code = "chain.untrusted"
	top := res.Chain[len(res.Chain)-1].Cert
	name := i18n.Raw(certs.Label(top, s.show))
	root, known := certs.RootBySHA1(s.known.Roots, top.SHA1)
	if known {
		name = root.Name()
	}
	file := strings.ToLower(top.SHA1) + ".cer"
	url := certs.ETrustURL(top.SHA1)
	if known {
		file, url = root.FileName(), root.DownloadURL
	}
	var where []string
	var cmds []string
	for _, e := range s.st.Find(top.SHA1) {
		if e.Store != host.StoreRoot {
			where = append(where, e.Where())
		}
	}
	cmds = append(cmds, s.cmds.Download(url, file), s.cmds.Install(host.LocalMachine, host.StoreRoot, file))
	if len(where) > 0 {
		for _, e := range s.st.Find(top.SHA1) {
			if e.Store != host.StoreRoot {
				cmds = append(cmds, s.cmds.Delete(e.Loc, e.Store, top.SHA1))
			}
		}
		f.Message = i18n.T("chain.untrusted.wrong-store.msg", label, c.SHA1, name, top.SHA1, strings.Join(where, ", "))
	} else {
		f.Message = i18n.T("chain.untrusted.msg", label, c.SHA1, name, top.SHA1)
	}
	f.Hint = i18n.T("chain.untrusted.hint", file, s.cmds.Install(host.CurrentUser, host.StoreRoot, file))
	f.Commands = cmds
	f.URL = url
	f.Repairs = s.untrustedRepairs(top, known, root)
}

// untrustedRepairs installs a known root (the embedded copy with that
// exact SHA-1; an unknown self-signed certificate is never made a trust
// anchor automatically) and removes it from the stores it wrongly sits in.
func (s *state) untrustedRepairs(top *pki.Certificate, known bool, root certs.Root) []doctor.Repair {
	if !known {
		return nil
	}
	here := s.st.Find(top.SHA1)
	add, ok := certs.InstallRootRepair(root, false, here...)
	if !ok {
		return nil
	}
	out := []doctor.Repair{add}
	for _, e := range here {
		if e.Store != host.StoreRoot && e.Store != host.StoreAuthRoot {
			out = append(out, certs.RemoveRepair(e, add.Name))
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
