package cli

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

// `cert verify --all BUNDLE`: every certificate of a bundle verified in one
// process, chains built from the bundle itself plus --ca, anchored at --root
// (without --root: at the bundle's own self-signed certificates, as
// `openssl verify -CAfile BUNDLE` trusts its CA file). One verdict line per
// certificate, then a summary; the verifications run on every CPU and share
// one signature cache, so a CA's signature is checked once, not once per
// certificate below it.

// certAllJSON is the stable JSON of `cert verify --all --format json`.
type certAllJSON struct {
	SchemaVersion int            `json:"schema_version"`
	At            string         `json:"at"`
	Anchors       string         `json:"anchors"` // "root" (--root) or "bundle" (its self-signed certificates)
	Certificates  []certOneJSON  `json:"certificates"`
	Summary       map[string]int `json:"summary"` // verdict → count, and "total"
}

type certOneJSON struct {
	Index   int              `json:"index"` // 1-based position in the bundle
	SHA1    string           `json:"sha1"`
	Subject string           `json:"subject"`
	Status  string           `json:"status"`
	Reason  string           `json:"reason"`
	Chain   []string         `json:"chain"` // SHA-1 thumbprints, the certificate first
	Missing *certMissingJSON `json:"missing"`
}

// verdictOrder is the order of the summary: good to bad, as pki lists them.
var verdictOrder = []pki.Verdict{pki.Valid, pki.Expired, pki.NotYetValid, pki.Untrusted, pki.Incomplete, pki.Malformed, pki.BadSignature}

func (a *App) certVerifyAll(cmd *cobra.Command, bundle, format string, at time.Time, showPersonal bool) error {
	certs, err := a.certReadFile(bundle)
	if err != nil {
		return err
	}
	cas, err := a.certFlagFiles(cmd, "ca")
	if err != nil {
		return err
	}
	ints := pki.NewPool(append(certs[:len(certs):len(certs)], cas...)...)
	rootCerts, err := a.certFlagFiles(cmd, "root")
	if err != nil {
		return err
	}
	roots := pki.NewPool(rootCerts...)
	anchors := "root"
	if roots.Len() == 0 {
		anchors = "bundle"
		for _, c := range certs {
			if c.IsSelfIssued() {
				roots.Add(c)
			}
		}
	}
	results := verifyAll(certs, pki.VerifyOptions{Intermediates: ints, Roots: roots, At: at, Signatures: pki.NewSignatureCache()})

	counts := map[pki.Verdict]int{}
	for _, r := range results {
		counts[r.Verdict]++
	}
	err = buffered(a.Stdout, func(w io.Writer) error {
		if format == "json" {
			return report.WriteJSON(w, certAllView(certs, results, counts, at, anchors, a.cfgLang(), showPersonal))
		}
		a.certAllText(w, certs, results, counts, at, anchors, showPersonal)
		return nil
	})
	if err != nil {
		return err
	}
	if counts[pki.Valid] != len(certs) {
		return &ExitError{Code: 1}
	}
	return nil
}

// verifyAll verifies every certificate on every CPU; results are in the
// order of certs.
func verifyAll(certs []*pki.Certificate, opts pki.VerifyOptions) []*pki.ChainResult {
	results := make([]*pki.ChainResult, len(certs))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(certs) {
		workers = len(certs)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = pki.Verify(certs[i], opts)
			}
		}()
	}
	for i := range certs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func (a *App) cfgLang() i18n.Lang {
	if a.cfg != nil {
		return a.cfg.Lang
	}
	return a.Lang()
}

func certAllView(certs []*pki.Certificate, results []*pki.ChainResult, counts map[pki.Verdict]int, at time.Time, anchors string, lang i18n.Lang, showPersonal bool) certAllJSON {
	out := certAllJSON{SchemaVersion: 1, At: at.UTC().Format(time.RFC3339), Anchors: anchors, Certificates: make([]certOneJSON, 0, len(certs)), Summary: map[string]int{"total": len(certs)}}
	for _, v := range verdictOrder {
		out.Summary[string(v)] = counts[v]
	}
	for i, c := range certs {
		res := results[i]
		reason, _ := certReason(lang, res, at)
		one := certOneJSON{Index: i + 1, SHA1: c.SHA1, Subject: c.Subject.MaskedString(showPersonal), Status: string(res.Verdict), Reason: reason, Chain: make([]string, 0, len(res.Chain))}
		for _, l := range res.Chain {
			one.Chain = append(one.Chain, l.Cert.SHA1)
		}
		if m := res.Missing; m != nil {
			one.Missing = &certMissingJSON{Issuer: m.IssuerDN, AKI: m.AKI, CAIssuers: append([]string{}, m.CAIssuers...)}
		}
		out.Certificates = append(out.Certificates, one)
	}
	return out
}

func (a *App) certAllText(w io.Writer, certs []*pki.Certificate, results []*pki.ChainResult, counts map[pki.Verdict]int, at time.Time, anchors string, showPersonal bool) {
	lang := a.cfgLang()
	fmt.Fprintln(w, a.T("cert.all.header", len(certs), at.UTC().Format(certTimeLayout), a.T("cert.all.anchors."+anchors)))
	for i, c := range certs {
		res := results[i]
		mark := "[✓]"
		if res.Verdict != pki.Valid {
			mark = "[✗]"
		}
		if a.ASCII() {
			mark = strings.NewReplacer("✓", "+", "✗", "x").Replace(mark)
		}
		reason, _ := certReason(lang, res, at)
		name := maskPersonal(c.DisplayName(), showPersonal)
		fmt.Fprintf(w, "%s %4d %s %s — %s: %s\n", mark, i+1, c.SHA1, name, a.T("cert.verdict."+string(res.Verdict)), reason)
	}
	var parts []string
	for _, v := range verdictOrder {
		if n := counts[v]; n > 0 {
			parts = append(parts, a.T("cert.verdict."+string(v))+" — "+fmt.Sprint(n))
		}
	}
	fmt.Fprintln(w, a.T("cert.all.summary", len(certs), strings.Join(parts, ", ")))
}
