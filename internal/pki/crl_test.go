package pki

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// The revocation fixtures are made by scripts/gen-revocation-pki.sh with
// OpenSSL's gost engine.
func revFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.Testdata(t, "revocation"), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func revCert(t testing.TB, name string) *Certificate {
	t.Helper()
	cs, err := Parse(revFile(t, name))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %v", name, err)
	}
	return cs[0]
}

func TestParseCRLFromOpenSSL(t *testing.T) {
	issuer, imposter := revCert(t, "int.pem"), revCert(t, "imposter.pem")
	good, revoked := revCert(t, "leaf-good.pem"), revCert(t, "leaf-revoked.pem")
	l, err := ParseCRL(revFile(t, "int.crl"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != 2 || l.Issuer.String() != issuer.Subject.String() || !bytes.Equal(l.AuthorityKeyID, issuer.SubjectKeyID) {
		t.Errorf("header: v%d %q aki %X", l.Version, l.Issuer, l.AuthorityKeyID)
	}
	if !l.ThisUpdate.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) || !l.NextUpdate.Equal(time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("dates %v %v", l.ThisUpdate, l.NextUpdate)
	}
	if l.Number == nil || l.Number.Int64() != 1 || l.Delta || len(l.UnknownCritical) != 0 {
		t.Errorf("number %v delta %v critical %v", l.Number, l.Delta, l.UnknownCritical)
	}
	if err := l.CheckSignatureFrom(issuer); err != nil {
		t.Errorf("signature: %v", err)
	}
	if err := l.CheckSignatureFrom(imposter); !errors.Is(err, ErrBadSignature) {
		t.Errorf("signature by the imposter's key: %v", err)
	}
	if _, ok := l.Lookup(good.Serial); ok {
		t.Error("good leaf is listed")
	}
	e, ok := l.Lookup(revoked.Serial)
	if !ok || e.Reason != 1 || ReasonName(e.Reason) != "keyCompromise" || !e.RevocationDate.Equal(time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("revoked entry %+v %v", e, ok)
	}
	exp, err := ParseCRL(revFile(t, "int-expired.crl"))
	if err != nil || !exp.ExpiredAt(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) || exp.CheckSignatureFrom(issuer) != nil {
		t.Errorf("expired CRL: %v", err)
	}
	wrong, err := ParseCRL(revFile(t, "int-wrong-signer.crl"))
	if err != nil || wrong.Issuer.String() != issuer.Subject.String() {
		t.Fatalf("wrong-signer CRL: %v", err)
	}
	if err := wrong.CheckSignatureFrom(issuer); !errors.Is(err, ErrBadSignature) {
		t.Errorf("wrong signer verified: %v", err)
	}
	if err := wrong.CheckSignatureFrom(imposter); err != nil {
		t.Errorf("wrong signer with its own key: %v", err)
	}
	// PEM works too.
	pemCRL := "-----BEGIN X509 CRL-----\n" + wrap76(base64.StdEncoding.EncodeToString(revFile(t, "root.crl")), "\n") + "-----END X509 CRL-----\n"
	rl, err := ParseCRL([]byte(pemCRL))
	if err != nil || rl.CheckSignatureFrom(revCert(t, "root.pem")) != nil || len(rl.Revoked) != 0 {
		t.Errorf("PEM root CRL: %v", err)
	}
}

func TestParseCRLRFC9215(t *testing.T) {
	for i := 1; i <= 3; i++ {
		dir := testutil.Testdata(t, "certs", "realworld")
		crlDER, err := os.ReadFile(filepath.Join(dir, "rfc9215-example"+string(rune('0'+i))+"-crl.der"))
		if err != nil {
			t.Fatal(err)
		}
		matches, _ := filepath.Glob(filepath.Join(dir, "rfc9215-example"+string(rune('0'+i))+"-gost*-selfsigned.der"))
		if len(matches) != 1 {
			t.Fatalf("example %d: %v", i, matches)
		}
		der, _ := os.ReadFile(matches[0])
		ca := mustParse(t, der)
		l, err := ParseCRL(crlDER)
		if err != nil {
			t.Fatalf("example %d: %v", i, err)
		}
		if err := l.CheckSignatureFrom(ca); err != nil {
			t.Errorf("example %d: %v", i, err)
		}
	}
}

func TestParseCRLRejects(t *testing.T) {
	good := revFile(t, "int.crl")
	for name, in := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("<html>Access denied</html>"),
		"truncated": good[:len(good)-10],
		"trailing":  append(append([]byte(nil), good...), 1, 2, 3),
		"cert":      revCert(t, "int.pem").Raw,
		"too large": make([]byte, MaxCRLSize+1),
	} {
		if l, err := ParseCRL(in); err == nil || l != nil || !strings.HasPrefix(err.Error(), "parse CRL") {
			t.Errorf("%s: %v %v", name, l, err)
		}
	}
}

func TestOCSPFromOpenSSL(t *testing.T) {
	issuer := revCert(t, "int.pem")
	good, revoked := revCert(t, "leaf-good.pem"), revCert(t, "leaf-revoked.pem")
	// Our request is byte for byte what 'openssl ocsp -no_nonce' sends.
	for name, c := range map[string]*Certificate{"good": good, "revoked": revoked} {
		req, err := OCSPRequest(c, issuer)
		if err != nil || !bytes.Equal(req, revFile(t, "ocsp-req-"+name+".der")) {
			t.Errorf("%s request differs from OpenSSL's: %X", name, req)
		}
	}
	r, err := ParseOCSPResponse(revFile(t, "ocsp-good.der"))
	if err != nil {
		t.Fatal(err)
	}
	if signer, err := r.Verify(issuer); err != nil || signer != issuer {
		t.Errorf("verify: %v", err)
	}
	s, ok := r.Find(good, issuer)
	if !ok || s.Status != OCSPGood || s.NextUpdate.IsZero() {
		t.Errorf("good: %+v %v", s, ok)
	}
	if _, ok := r.Find(revoked, issuer); ok {
		t.Error("the good answer matched the revoked certificate")
	}
	r, err = ParseOCSPResponse(revFile(t, "ocsp-revoked.der"))
	if err != nil {
		t.Fatal(err)
	}
	s, ok = r.Find(revoked, issuer)
	if !ok || s.Status != OCSPRevoked || s.Reason != 1 || !s.RevokedAt.Equal(time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("revoked: %+v %v", s, ok)
	}
	r, err = ParseOCSPResponse(revFile(t, "ocsp-wrong-signer.der"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Verify(issuer); err == nil {
		t.Error("wrong signer verified")
	}
	// Error statuses carry no answer.
	r, err = ParseOCSPResponse([]byte{0x30, 0x03, 0x0a, 0x01, 0x03})
	if err != nil || r.Status != 3 || OCSPStatusName(r.Status) != "tryLater" {
		t.Errorf("tryLater: %+v %v", r, err)
	}
	if _, err := r.Verify(issuer); err == nil {
		t.Error("tryLater verified")
	}
	for _, bad := range [][]byte{nil, []byte("garbage"), revFile(t, "int.crl"), revFile(t, "ocsp-good.der")[:100]} {
		if r, err := ParseOCSPResponse(bad); err == nil || r != nil {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestOCSPRequestSerialEncoding(t *testing.T) {
	for _, c := range []struct {
		v    int64
		want []byte
	}{{0, []byte{0}}, {127, []byte{0x7f}}, {128, []byte{0, 0x80}}, {-1, []byte{0xff}}, {-128, []byte{0x80}}, {-129, []byte{0xff, 0x7f}}} {
		if got := intBytes(big.NewInt(c.v)); !bytes.Equal(got, c.want) || integerValue(got).Int64() != c.v {
			t.Errorf("%d: %X, want %X", c.v, got, c.want)
		}
	}
}

func FuzzParseCRL(f *testing.F) {
	for _, n := range []string{"int.crl", "int-expired.crl", "int-wrong-signer.crl", "root.crl"} {
		f.Add(revFile(f, n))
	}
	f.Add([]byte{0x30, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseCRL(b)
		if err != nil {
			if l != nil {
				t.Fatal("CRL and error")
			}
			return
		}
		for _, r := range l.Revoked {
			if got, ok := l.Lookup(r.Serial); !ok || got.Serial.Cmp(r.Serial) != 0 {
				t.Fatal("entry not found by its serial")
			}
		}
		_ = l.CheckSignatureFrom(revCert(t, "int.pem"))
	})
}

func FuzzParseOCSPResponse(f *testing.F) {
	for _, n := range []string{"ocsp-good.der", "ocsp-revoked.der", "ocsp-wrong-signer.der"} {
		f.Add(revFile(f, n))
	}
	f.Add([]byte{0x30, 0x03, 0x0a, 0x01, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseOCSPResponse(b)
		if err != nil {
			if r != nil {
				t.Fatal("response and error")
			}
			return
		}
		issuer := revCert(t, "int.pem")
		_, _ = r.Verify(issuer)
		_, _ = r.Find(revCert(t, "leaf-good.pem"), issuer)
	})
}
