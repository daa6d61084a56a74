// Package certtest gives the certificate checks' tests the real public
// certificates of testdata/certs/realworld as DER, and the usual clock.
package certtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// Names of the real certificates used by the tests.
const (
	Leaf2025     = "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der" // ЖИЛИЩНЫЙ КОМИТЕТ, by УЦ ФК 2024
	FK2024       = "fk-ca-gost2012-2024-by-mincifry-2022.pem"
	Root2022     = "guc-root-gost2012-mincifry-2022.pem"
	RootGUC2012  = "guc-root-gost2001-golovnoy-uc-2012.pem"
	Root2018     = "guc-root-gost2012-minkomsvyaz-2018.pem"
	Leaf2021     = "ee-gost2012-mincifry-smev-2021-by-fk-2021.der" // by УЦ ФК 2021
	FK2021       = "fk-ca-gost2012-2021-by-minkomsvyaz-2018.pem"
	LeafGisGKH   = "ee-gost2012-gisgkh-operator-2022-by-kazn-rossii-2022-01.der"
	KaznRossii22 = "kazn-rossii-ca-gost2012-2022-01-by-mincifry-2022.pem"
)

// Dec2025 is inside the validity of the 2025 leaf and its chain.
var Dec2025 = time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)

// DER returns the DER of a certificate file in testdata/certs/realworld.
func DER(t testing.TB, name string) []byte {
	t.Helper()
	return Cert(t, name).Raw
}

// Cert returns a parsed certificate from testdata/certs/realworld.
func Cert(t testing.TB, name string) *pki.Certificate {
	t.Helper()
	cs, err := pki.Parse(testutil.ReadTestdata(t, "certs", "realworld", name))
	if err != nil || len(cs) != 1 {
		t.Fatalf("parse %s: %d certificates, %v", name, len(cs), err)
	}
	return cs[0]
}

// Sites returns run options with the given site profiles selected, with
// overrides as in the config file's sites section (nil for none).
func Sites(t testing.TB, overrides map[string]any, ids ...string) doctor.Options {
	t.Helper()
	p, err := profile.Resolve(ids, overrides)
	if err != nil {
		t.Fatal(err)
	}
	return doctor.Options{Sites: ids, Profiles: p}
}

// RSASelfSigned makes a self-signed RSA certificate like the EFS or
// corporate certificates that sit in personal stores next to GOST ones.
func RSASelfSigned(t testing.TB, cn string, notBefore, notAfter time.Time) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}
