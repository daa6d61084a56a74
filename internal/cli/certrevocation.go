package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/revocation"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// certRevocationJSON is one certificate's revocation status in
// `cert verify --revocation --format json`.
type certRevocationJSON struct {
	SHA1    string                     `json:"sha1"`
	Subject string                     `json:"subject"`
	Verdict string                     `json:"verdict"` // good, revoked, unknown, no-urls, no-issuer
	Sources []certRevocationSourceJSON `json:"sources"`
}

type certRevocationSourceJSON struct {
	Kind       string `json:"kind"` // CRL, OCSP
	URL        string `json:"url"`
	Outcome    string `json:"outcome"`
	Detail     string `json:"detail,omitempty"`
	Error      string `json:"error,omitempty"`
	ErrorKind  string `json:"error_kind,omitempty"`
	Proxy      string `json:"proxy,omitempty"`
	ThisUpdate string `json:"this_update,omitempty"`
	NextUpdate string `json:"next_update,omitempty"`
	RevokedAt  string `json:"revoked_at,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// certRevocation asks the CRL and OCSP addresses of the chain's
// certificates through the live host (with the workstation's proxy, the
// net settings and --offline), within the online budget.
func (a *App) certRevocation(ctx context.Context, cfg *Config, res *pki.ChainResult, at time.Time) ([]*revocation.Status, host.Facts, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if cfg.Offline {
		return nil, host.Facts{}, a.UsageError("cert.error.revocation-offline")
	}
	// Only the network of this computer is used: cert verify's --root is a
	// certificate file, not the --root directory of check.
	opts := a.liveOptions(cfg)
	opts.Root, opts.User = "", ""
	h, err := a.NewLive(opts)
	if err != nil {
		return nil, host.Facts{}, a.Fail("cli.error.live", oneLine(err.Error()))
	}
	defer a.clearProgress()
	budget := cfg.NetBudget
	if budget <= 0 {
		budget = doctor.DefaultNetBudget
	}
	ctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	var chain revocation.Chain
	for _, l := range res.Chain {
		if l.Cert != nil {
			chain = append(chain, l.Cert)
		}
	}
	return revocation.Assess(ctx, h, []revocation.Chain{chain}, revocation.Options{Now: at}), h.Facts(), nil
}

// revocationOK: without --revocation always; with it, every certificate
// must be known not to be revoked.
func revocationOK(sts []*revocation.Status, asked bool) bool {
	if !asked {
		return true
	}
	for _, s := range sts {
		if s.Verdict != revocation.VerdictGood {
			return false
		}
	}
	return true
}

func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func certRevocationView(sts []*revocation.Status, show bool) []certRevocationJSON {
	var out []certRevocationJSON
	for _, s := range sts {
		r := certRevocationJSON{SHA1: s.Cert.SHA1, Subject: s.Cert.Subject.MaskedString(show), Verdict: s.Verdict, Sources: []certRevocationSourceJSON{}}
		for _, src := range s.Sources {
			r.Sources = append(r.Sources, certRevocationSourceJSON{
				Kind: src.Kind, URL: src.URL, Outcome: src.Outcome, Detail: src.Detail,
				Error: src.Resp.Error, ErrorKind: string(src.Resp.ErrorKind), Proxy: src.Resp.Proxy,
				ThisUpdate: jsonTime(src.ThisUpdate), NextUpdate: jsonTime(src.NextUpdate), RevokedAt: jsonTime(src.RevokedAt),
				Reason: pki.ReasonName(src.Reason),
			})
		}
		out = append(out, r)
	}
	return out
}

// certRevocationText prints each certificate's verdict with the check's
// own finding (fact, addresses and why they failed, the fix, commands).
func (a *App) certRevocationText(out io.Writer, sts []*revocation.Status, facts host.Facts, cfg *Config) {
	w := termsafe.NewWriter(out)
	defer w.Flush()
	lang := a.Lang()
	fmt.Fprintln(w, a.T("cert.revocation.title"))
	if len(sts) == 0 {
		fmt.Fprintln(w, "  "+a.T("cert.revocation.none"))
	}
	for _, s := range sts {
		fmt.Fprintln(w, "  "+a.T("cert.revocation.line", s.Cert.DisplayName(), s.Cert.SHA1, a.T("cert.revocation.verdict."+s.Verdict)))
		for _, src := range s.Sources {
			fmt.Fprintln(w, "     "+revocation.Describe(src, facts).In(lang))
		}
		for _, f := range revocation.Findings(s, facts, cfg.ShowPersonal) {
			fmt.Fprintln(w, "     "+f.Message.In(lang))
			if !f.Hint.IsZero() {
				fmt.Fprintln(w, "     "+a.T("cert.verify.fix", f.Hint.In(lang)))
			}
			for _, c := range f.Commands {
				fmt.Fprintln(w, "       "+c)
			}
		}
	}
}
