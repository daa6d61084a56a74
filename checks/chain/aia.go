package chain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// AIA: when an issuer is missing, its certificate is downloaded from the
// child's caIssuers addresses (through the host, so collect records it and
// a replay shows the same), and accepted only when it really is the issuer:
// its subject key identifier equals the child's authority key identifier
// (when the child has one) and its key verifies the child's signature.

// maxAIABytes bounds a downloaded issuer certificate (or .p7c bundle).
const maxAIABytes = 1 << 20

// aiaOutcome is what the caIssuers addresses gave.
type aiaOutcome struct {
	issuer *pki.Certificate // verified issuer, nil when none
	url    string           // where it came from, or the last address tried
	why    i18n.Text        // why nothing was accepted
}

// fetchIssuer tries each http(s) caIssuers address of child in order.
func (s *state) fetchIssuer(ctx context.Context, child *pki.Certificate, aki string) (aiaOutcome, bool) {
	var urls []string
	for _, u := range child.CAIssuers {
		l := strings.ToLower(u)
		if strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 || s.pass.Options.Offline {
		return aiaOutcome{}, false
	}
	nctx, cancel := s.pass.NetContext(ctx)
	defer cancel()
	var out aiaOutcome
	for _, u := range urls {
		resp, err := s.pass.Host.HTTPGet(nctx, host.HTTPRequest{URL: u, MaxBytes: maxAIABytes})
		switch {
		case errors.Is(err, host.ErrNotRecorded), errors.Is(err, host.ErrOffline):
			return aiaOutcome{}, false
		case err != nil:
			return aiaOutcome{url: u, why: i18n.T("chain.aia.why.budget")}, true
		case !resp.OK():
			msg := resp.Error
			if msg == "" {
				msg = fmt.Sprintf("HTTP %d", resp.Status)
			}
			out = aiaOutcome{url: u, why: i18n.T("chain.aia.why.fetch", msg)}
			continue
		}
		cs, perr := pki.Parse(resp.Body)
		if perr != nil {
			out = aiaOutcome{url: u, why: i18n.T("chain.aia.why.not-cert", perr.Error())}
			continue
		}
		out = aiaOutcome{url: u, why: i18n.T("chain.aia.why.not-issuer", aki)}
		for _, c := range cs {
			if aki != "" && !strings.EqualFold(c.SubjectKeyIDHex(), aki) {
				continue
			}
			if !bytes.Equal(c.RawSubject, child.RawIssuer) && c.Subject.String() != child.Issuer.String() {
				continue
			}
			if err := child.CheckSignatureFrom(c); err != nil {
				out.why = i18n.T("chain.aia.why.signature", err.Error())
				continue
			}
			return aiaOutcome{issuer: c, url: u}, true
		}
	}
	return out, true
}

// addAIA puts what the download gave into the incomplete-chain finding:
// the verified issuer's DER into its repair (fix installs it after
// verifying it again), and a sentence saying where it came from.
func (s *state) addAIA(ctx context.Context, f *doctor.Finding, child *pki.Certificate, aki string, store host.StoreName) {
	got, tried := s.fetchIssuer(ctx, child, aki)
	if !tried {
		return
	}
	if got.issuer == nil {
		f.Message = i18n.T("chain.aia.failed", f.Message, got.url, got.why)
		return
	}
	c := got.issuer
	selfSigned := c.IsSelfIssued() && c.CheckSignatureFrom(c) == nil
	label := certs.Label(c, s.show)
	if selfSigned {
		// A root is never made a trust anchor from the network.
		f.Message = i18n.T("chain.aia.root", f.Message, got.url, label, c.SHA1)
		return
	}
	f.Message = i18n.T("chain.aia.verified", f.Message, got.url, label, c.SHA1, c.SubjectKeyIDHex())
	if len(f.Repairs) > 0 && len(f.Repairs[0].DER) == 0 {
		r := &f.Repairs[0]
		r.DER, r.SHA1, r.URL = c.Raw, c.SHA1, got.url
		if r.Name == "" {
			r.Name = c.DisplayName()
		}
		if r.Store == "" {
			r.Store = store
		}
	}
}
