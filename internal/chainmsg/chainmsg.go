// Package chainmsg words a chain verdict of internal/pki in every language:
// what is wrong with which link, and what to do about it. `gmu-doctor cert
// verify` and the chain check share it, so the two never describe the same
// chain differently and no English verdict text leaks into a Russian report.
package chainmsg

import (
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// UTCLayout is the default time layout: always UTC, to the second.
const UTCLayout = "2006-01-02 15:04:05 UTC"

// Style says how certificates and times appear in the text.
type Style struct {
	// Name names a certificate (masking personal numbers when the caller
	// must); nil means its display name.
	Name func(*pki.Certificate) string
	// Time formats a time; nil means UTCLayout.
	Time func(time.Time) string
}

func (s Style) name(c *pki.Certificate) string {
	if s.Name != nil {
		return s.Name(c)
	}
	return c.DisplayName()
}

func (s Style) time(t time.Time) string {
	if s.Time != nil {
		return s.Time(t)
	}
	return t.UTC().Format(UTCLayout)
}

// Problem describes the problem link of a chain that is not valid, checked
// at the time at, and the fix when there is a general one (fix may be
// zero). ok is false when the result names no link (a valid chain, or a
// malformed input without a chain); the caller then uses res.Reason.
func Problem(res *pki.ChainResult, at time.Time, st Style) (problem, fix i18n.Text, ok bool) {
	if res == nil || res.Verdict == pki.Valid || res.ProblemIndex < 0 || res.ProblemIndex >= len(res.Chain) {
		return problem, fix, false
	}
	c := res.Chain[res.ProblemIndex].Cert
	switch res.Problem {
	case pki.ProblemMissingIssuer:
		name := c.Issuer.Get("CN")
		if name == "" {
			name = c.Issuer.String()
		}
		aki := c.AuthorityKeyIDHex()
		if aki == "" {
			aki = "—"
		}
		problem = i18n.T("cert.problem.missing-issuer", name, aki)
		if res.Missing != nil && len(res.Missing.CAIssuers) > 0 {
			fix = i18n.T("cert.fix.missing-issuer-url", strings.Join(res.Missing.CAIssuers, ", "))
		} else {
			fix = i18n.T("cert.fix.missing-issuer", aki)
		}
	case pki.ProblemUntrustedRoot:
		problem, fix = i18n.T("cert.problem.untrusted-root", st.name(c), c.SHA1), i18n.T("cert.fix.untrusted-root")
	case pki.ProblemTooLong:
		problem = i18n.T("cert.problem.chain-too-long", st.name(c))
	case pki.ProblemTooManyIssuers:
		problem, fix = i18n.T("cert.problem.too-many-issuers", st.name(c), pki.MaxCandidates), i18n.T("cert.fix.too-many-issuers")
	case pki.ProblemNotCA, pki.ProblemCAFalse, pki.ProblemNoCertSign, pki.ProblemPathLength:
		problem = i18n.T("cert.problem."+res.Problem, st.name(c))
	case pki.ProblemUnknownCritical:
		problem = i18n.T("cert.problem.unknown-critical", st.name(c), strings.Join(c.UnknownCritical, ", "))
	case pki.ProblemBadSignature:
		issuer := c
		if res.ProblemIndex+1 < len(res.Chain) {
			issuer = res.Chain[res.ProblemIndex+1].Cert
		}
		problem = i18n.T("cert.problem.bad-signature", st.name(c), c.SHA1, st.name(issuer), issuer.SHA1)
		fix = i18n.T("cert.fix.bad-signature")
	case pki.ProblemUnsupportedSig:
		problem = i18n.T("cert.problem.unsupported-signature", st.name(c), c.SignatureAlgorithm)
	case pki.ProblemExpired:
		problem, fix = i18n.T("cert.problem.expired", st.name(c), st.time(c.NotAfter), st.time(at)), i18n.T("cert.fix.expired")
	case pki.ProblemNotYetValid:
		problem = i18n.T("cert.problem.not-yet-valid", st.name(c), st.time(c.NotBefore), st.time(at))
	default:
		problem = i18n.Raw(res.Reason)
	}
	return problem, fix, true
}
