package gost

import (
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"hash"
	"os"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// A deliberately small certificate reader for this test only (the real
// parser lives in internal/pki): enough to get the signed bytes, the
// signature algorithm, the signature and the subject key.
type testCert struct {
	TBS    asn1.RawValue
	SigAlg struct {
		OID asn1.ObjectIdentifier
	}
	Sig asn1.BitString
}

type testTBS struct {
	Version   asn1.RawValue `asn1:"optional,explicit,tag:0"`
	Serial    asn1.RawValue
	SigAlg    asn1.RawValue
	Issuer    asn1.RawValue
	Validity  asn1.RawValue
	Subject   asn1.RawValue
	PublicKey spki
}

func loadTestCert(t *testing.T, name string) (tbsDER []byte, sigOID string, sig []byte, key *PublicKey) {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "certs", "realworld", name))
	if err != nil {
		t.Fatal(err)
	}
	if blk, _ := pem.Decode(b); blk != nil {
		b = blk.Bytes
	}
	var c testCert
	if _, err := asn1.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var tbs testTBS
	if _, err := asn1.Unmarshal(c.TBS.FullBytes, &tbs); err != nil {
		t.Fatalf("%s: tbsCertificate: %v", name, err)
	}
	oid, raw, err := parseGostSPKI(mustMarshal(t, tbs.PublicKey))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	curve, err := CurveByOID(oid)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	key, err = NewPublicKey(curve, raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c.TBS.FullBytes, c.SigAlg.OID.String(), c.Sig.Bytes, key
}

func mustMarshal(t *testing.T, v interface{}) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRealCertificateSignatures verifies every issuer→subject signature of
// the real and reference GOST certificates in testdata/certs/realworld
// (chains as drawn in its README), with the hash chosen by the signature
// algorithm OID.
func TestRealCertificateSignatures(t *testing.T) {
	pairs := [][2]string{ // subject, issuer
		{"guc-root-gost2012-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"guc-root-gost2012-mincifry-2025.pem", "guc-root-gost2012-mincifry-2025.pem"},
		{"guc-root-gost2012-mincifry-2026.pem", "guc-root-gost2012-mincifry-2026.pem"},
		{"guc-root-gost2012-minkomsvyaz-2018.pem", "guc-root-gost2012-minkomsvyaz-2018.pem"},
		{"guc-root-gost2012-minkomsvyaz-2021.pem", "guc-root-gost2012-minkomsvyaz-2021.pem"},
		{"guc-cross-gost2012-mincifry-2022-by-minkomsvyaz-2021.pem", "guc-root-gost2012-minkomsvyaz-2021.pem"},
		{"fk-ca-gost2012-2018-by-minkomsvyaz-2018.pem", "guc-root-gost2012-minkomsvyaz-2018.pem"},
		{"fk-ca-gost2012-2020-by-minkomsvyaz-2018.pem", "guc-root-gost2012-minkomsvyaz-2018.pem"},
		{"fk-ca-gost2012-2021-by-minkomsvyaz-2018.pem", "guc-root-gost2012-minkomsvyaz-2018.pem"},
		{"fk-ca-gost2012-2024-by-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"fk-ca-gost2012-2025-by-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"kazn-rossii-ca-gost2012-2022-01-by-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"kazn-rossii-ca-gost2012-2022-12-by-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"kazn-rossii-ca-gost2012-2023-03-by-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"kazn-rossii-ca-gost2012-2025-07-by-mincifry-2022.pem", "guc-root-gost2012-mincifry-2022.pem"},
		{"ee-gost2012-spb-zhilkom-2025-by-fk-2024.der", "fk-ca-gost2012-2024-by-mincifry-2022.pem"},
		{"ee-gost2012-mincifry-smev-2021-by-fk-2021.der", "fk-ca-gost2012-2021-by-minkomsvyaz-2018.pem"},
		{"ee-gost2012-miac-ugra-2021-by-fk-2021.der", "fk-ca-gost2012-2021-by-minkomsvyaz-2018.pem"},
		{"ee-gost2012-gisgkh-operator-2022-by-kazn-rossii-2022-01.der", "kazn-rossii-ca-gost2012-2022-01-by-mincifry-2022.pem"},
		// GOST R 34.10-2001 with GOST R 34.11-94 (CryptoPro parameters).
		{"guc-root-gost2001-golovnoy-uc-2012.pem", "guc-root-gost2001-golovnoy-uc-2012.pem"},
		{"guc-sub-gost2001-minkomsvyaz-2018-by-golovnoy-uc.pem", "guc-root-gost2001-golovnoy-uc-2012.pem"},
		{"fk-ca-gost2001-2017-by-golovnoy-uc.pem", "guc-root-gost2001-golovnoy-uc-2012.pem"},
		{"ee-gost2001-fk-2017-by-fk-2017.der", "fk-ca-gost2001-2017-by-golovnoy-uc.pem"},
		// Reference material: TestParamSet, TC26 256-A, 512 Test, 512-B,
		// XchA; a 512-bit key certified by a 256-bit CA.
		{"rfc9215-example1-gost2012-256-testparamset-selfsigned.der", "rfc9215-example1-gost2012-256-testparamset-selfsigned.der"},
		{"rfc9215-example2-gost2012-256-tc26A-selfsigned.der", "rfc9215-example2-gost2012-256-tc26A-selfsigned.der"},
		{"rfc9215-example3-gost2012-512-testparamset-selfsigned.der", "rfc9215-example3-gost2012-512-testparamset-selfsigned.der"},
		{"tk26iok-example-gost2012-256-xchA-selfsigned.der", "tk26iok-example-gost2012-256-xchA-selfsigned.der"},
		{"tk26iok-example-gost2012-512-paramsetB-selfsigned.der", "tk26iok-example-gost2012-512-paramsetB-selfsigned.der"},
		{"tc26-cms-example-root256.pem", "tc26-cms-example-root256.pem"},
		{"tc26-cms-example-sender256.pem", "tc26-cms-example-root256.pem"},
		{"tc26-cms-example-sender512.pem", "tc26-cms-example-root256.pem"},
		{"tc26-cms-example-recipient256.pem", "tc26-cms-example-root256.pem"},
		{"tc26-cms-example-recipient512.pem", "tc26-cms-example-root256.pem"},
	}
	hashes := map[string]func() hash.Hash{
		"1.2.643.7.1.1.3.2": NewStreebog256,
		"1.2.643.7.1.1.3.3": NewStreebog512,
		"1.2.643.2.2.3":     New341194,
	}
	curvesSeen := map[string]bool{}
	for _, p := range pairs {
		tbs, sigOID, sig, _ := loadTestCert(t, p[0])
		_, _, _, key := loadTestCert(t, p[1])
		newHash, ok := hashes[sigOID]
		if !ok {
			t.Errorf("%s: unexpected signature algorithm %s", p[0], sigOID)
			continue
		}
		digest := digestOf(newHash(), tbs)
		if err := key.VerifyDigest(digest, sig); err != nil {
			t.Errorf("%s signed by %s: %v", p[0], p[1], err)
			continue
		}
		curvesSeen[key.Curve.Name] = true
		bad := append([]byte(nil), sig...)
		bad[len(bad)-1] ^= 1
		if err := key.VerifyDigest(digest, bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: flipped signature bit: got %v, want ErrBadSignature", p[0], err)
		}
		tampered := append([]byte(nil), tbs...)
		tampered[len(tampered)/2] ^= 0x01
		if err := key.VerifyDigest(digestOf(newHash(), tampered), sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: tampered tbsCertificate: got %v, want ErrBadSignature", p[0], err)
		}
	}
	for _, want := range []string{"CryptoPro-A", "TestParamSet", "256-paramSetA", "512-paramSetTest", "512-paramSetB"} {
		found := false
		for name := range curvesSeen {
			if strings.Contains(name, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("no verified signature by a %s key", want)
		}
	}
}
