package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

const bundleCount = 2403

func loadBundle(t testing.TB) []byte { return testutil.AccreditedBundlePEM(t) }

// TestBundleParses: every one of the 2,403 accredited-CA certificates parses,
// each non-canonical encoding is recorded.
func TestBundleParses(t *testing.T) {
	certs, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != bundleCount {
		t.Fatalf("parsed %d certificates, want %d", len(certs), bundleCount)
	}
	kinds := map[string]int{}
	for _, c := range certs {
		seen := map[string]bool{}
		for _, n := range c.NonCanonical {
			k := n
			if strings.Contains(n, "-typed attribute") {
				k = "typed attribute"
			}
			if !seen[k] {
				kinds[k]++
				seen[k] = true
			}
		}
		if c.Subject.Get("CN") == "" && c.Subject.Get("O") == "" {
			t.Errorf("%s: no CN and no O in %q", c.SHA1, c.Subject)
		}
		if c.PublicKeyAlgorithm == "" || c.SignatureAlgorithm == "" || c.Serial == nil {
			t.Errorf("%s: incomplete parse", c.SHA1)
		}
	}
	t.Logf("non-canonical encodings (certificates per kind): %v", kinds)
	if kinds["basicConstraints BOOLEAN 0x01"] != 25 {
		t.Errorf("basicConstraints BOOLEAN 0x01 in %d certificates, want 25", kinds["basicConstraints BOOLEAN 0x01"])
	}
	if kinds["typed attribute"] != 8 {
		t.Errorf("SEQUENCE-typed attributes in %d certificates, want 8", kinds["typed attribute"])
	}
}

// TestBundleStdlibComparison counts exactly which certificates crypto/x509
// rejects and checks that each of them is one we record as non-canonical.
func TestBundleStdlibComparison(t *testing.T) {
	data := loadBundle(t)
	var rejected []string
	reasons := map[string]int{}
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		_, stdErr := x509.ParseCertificate(b.Bytes)
		ours, err := ParseDER(b.Bytes)
		if err != nil {
			t.Errorf("ours rejects a certificate: %v", err)
			continue
		}
		if stdErr == nil {
			continue
		}
		rejected = append(rejected, ours.SHA1)
		msg := stdErr.Error()
		switch {
		case strings.Contains(msg, "basic constraints"):
			reasons["basicConstraints"]++
		default:
			reasons[msg]++
		}
		if len(ours.NonCanonical) == 0 {
			t.Errorf("%s: crypto/x509 rejects it (%v) but we noted nothing non-canonical", ours.SHA1, stdErr)
		}
	}
	sort.Strings(rejected)
	t.Logf("crypto/x509 rejects %d: %v", len(rejected), reasons)
	if len(rejected) != 33 {
		t.Errorf("crypto/x509 rejects %d certificates, want 33", len(rejected))
	}
}

func TestParseDERTrailingGarbage(t *testing.T) {
	der := realDER(t, "guc-root-gost2012-mincifry-2022.pem")
	if _, err := ParseDER(append(append([]byte{}, der...), 0)); err == nil {
		t.Error("trailing byte accepted")
	}
	var pe *ParseError
	if _, err := ParseDER(der[:len(der)-1]); !errors.As(err, &pe) {
		t.Errorf("truncated certificate: %v", err)
	}
	if !bytes.Equal(mustParse(t, der).Raw, der) {
		t.Error("Raw differs from input")
	}
}

// TestBundleSignatures verifies every certificate of the bundle whose
// issuer is in the bundle too (self-signed ones by themselves).
func TestBundleSignatures(t *testing.T) {
	if testing.Short() {
		t.Skip("verifies ~2,400 GOST signatures; skipped with -short")
	}
	certs, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	p := NewPool(certs...)
	var verified, absent, failed int
	var failures []string
	for _, c := range certs {
		cands := p.issuersOf(c)
		if len(cands) == 0 {
			absent++
			continue
		}
		ok := false
		var lastErr error
		for _, k := range cands {
			if lastErr = c.CheckSignatureFrom(k); lastErr == nil {
				ok = true
				break
			}
		}
		if ok {
			verified++
			continue
		}
		failed++
		failures = append(failures, c.SHA1+" "+c.Subject.Get("CN")+": "+lastErr.Error())
	}
	t.Logf("bundle: %d verified, %d issuer absent, %d failed", verified, absent, failed)
	for _, f := range failures {
		t.Errorf("signature fails: %s", f)
	}
	if verified != len(certs)-2 || absent != 2 {
		t.Errorf("%d verified and %d issuer-absent, want %d and 2", verified, absent, len(certs)-2)
	}
}

// TestBundleChains builds the chain of every bundle certificate with the
// self-signed ones as roots and the rest as intermediates, at a moment
// inside its validity.
func TestBundleChains(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ~2,400 chains; skipped with -short")
	}
	certs, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	roots, ints := NewPool(), NewPool()
	for _, c := range certs {
		if c.IsSelfIssued() && c.CheckSignatureFrom(c) == nil {
			roots.Add(c)
		} else {
			ints.Add(c)
		}
	}
	counts := map[Verdict]int{}
	problems := map[string]int{}
	for _, c := range certs {
		at := c.NotBefore.Add(c.NotAfter.Sub(c.NotBefore) / 2)
		r := Verify(c, VerifyOptions{Intermediates: ints, Roots: roots, At: at})
		counts[r.Verdict]++
		problems[r.Problem]++
		if r.Verdict == BadSignature {
			t.Errorf("%s %q: %s", c.SHA1, c.Subject.Get("CN"), r.Reason)
		}
	}
	t.Logf("%d roots; verdicts %v; problems %v", roots.Len(), counts, problems)
	// the two certificates whose issuer is not in the bundle are the only
	// incomplete chains (TestBundleSignatures counts the same two)
	if counts[Valid] != len(certs)-2 || counts[Incomplete] != 2 {
		t.Errorf("verdicts %v, want %d valid and 2 incomplete", counts, len(certs)-2)
	}
}
