package certs

import (
	"context"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// Kinds of CertURL.
const (
	URLCRL  = "crl"  // CRL distribution point (CDP)
	URLOCSP = "ocsp" // OCSP responder
	URLAIA  = "aia"  // issuer certificate download (caIssuers)
)

// CertURL is one URL a certificate of the workstation needs fetched.
type CertURL struct {
	Kind string // URLCRL, URLOCSP, URLAIA
	URL  string
	Cert *pki.Certificate // the certificate that names it; nil for a missing issuer's AIA
}

// PersonalChainURLs returns the CDP, OCSP and AIA URLs of the personal
// certificates of h and of every certificate of their chains (built
// through the CA and Root stores), each certificate once, in chain order;
// errs lists stores that could not be read.
func PersonalChainURLs(ctx context.Context, h host.Host) (urls []CertURL, errs []string) {
	st := LoadCore(ctx, h)
	if len(st.Errors) > 0 {
		errs = append(errs, st.ErrorText())
	}
	roots := st.Pool(host.StoreRoot)
	inter := st.Pool(host.StoreCA, host.StoreRoot)
	seen := map[string]bool{}
	for _, e := range st.Personal() {
		if e.Cert == nil {
			continue
		}
		res := pki.Verify(e.Cert, pki.VerifyOptions{Intermediates: inter, Roots: roots, At: h.Now(), Signatures: st.Signatures()})
		for _, l := range res.Chain {
			c := l.Cert
			if seen[c.SHA1] {
				continue
			}
			seen[c.SHA1] = true
			for _, u := range c.CRLDistributionPoints {
				urls = append(urls, CertURL{Kind: URLCRL, URL: u, Cert: c})
			}
			for _, u := range c.OCSP {
				urls = append(urls, CertURL{Kind: URLOCSP, URL: u, Cert: c})
			}
			for _, u := range c.CAIssuers {
				urls = append(urls, CertURL{Kind: URLAIA, URL: u, Cert: c})
			}
		}
		if m := res.Missing; m != nil {
			for _, u := range m.CAIssuers {
				urls = append(urls, CertURL{Kind: URLAIA, URL: u})
			}
		}
	}
	return urls, errs
}
