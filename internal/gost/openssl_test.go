package gost

import (
	"bytes"
	"crypto/rand"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// requireGostEngine returns the openssl path, or skips (fails in CI) when
// openssl or its gost engine is missing.
func requireGostEngine(t *testing.T) string {
	t.Helper()
	bin := testutil.RequireTool(t, "openssl", "the OpenSSL gost engine is the cross-check oracle for GOST hashes and signatures")
	out, err := exec.Command(bin, "engine", "gost").CombinedOutput()
	if err != nil {
		testutil.Missing(t, fmt.Sprintf("openssl has no gost engine (`openssl engine gost`: %v: %s); install libengine-gost-openssl", err, bytes.TrimSpace(out)))
	}
	return bin
}

func runOpenSSL(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestOpenSSLDigests compares our hashes with `openssl dgst -engine gost`
// on random messages of assorted lengths.
func TestOpenSSLDigests(t *testing.T) {
	bin := requireGostEngine(t)
	dir := t.TempDir()
	algs := []struct {
		md  string
		new func() hash.Hash
	}{
		{"-md_gost12_256", NewStreebog256},
		{"-md_gost12_512", NewStreebog512},
		{"-md_gost94", New341194},
	}
	// The empty message is left out: gost-engine 3.0.1's 34.11-94 result
	// for it differs from the standard's (gost-testdata.md §1.4).
	for _, n := range []int{1, 31, 32, 33, 63, 64, 65, 200, 4096, 100003} {
		msg := make([]byte, n)
		if _, err := rand.Read(msg); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("msg%d", n))
		if err := os.WriteFile(path, msg, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, a := range algs {
			want := runOpenSSL(t, bin, "dgst", "-engine", "gost", a.md, "-binary", path)
			if got := digestOf(a.new(), msg); !bytes.Equal(got, want) {
				t.Errorf("%s of %d random bytes: ours %x, openssl %x", a.md, n, got, want)
			}
		}
	}
}

type spki struct {
	Algorithm struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue
	}
	Key asn1.BitString
}

// parseGostSPKI extracts the parameter-set OID and the raw key bytes of a
// DER SubjectPublicKeyInfo written by the gost engine.
func parseGostSPKI(der []byte) (string, []byte, error) {
	var k spki
	if _, err := asn1.Unmarshal(der, &k); err != nil {
		return "", nil, fmt.Errorf("parse spki: %w", err)
	}
	var params []asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(k.Algorithm.Params.FullBytes, &params); err != nil || len(params) == 0 {
		return "", nil, fmt.Errorf("parse key parameters: %v", err)
	}
	var raw []byte
	if _, err := asn1.Unmarshal(k.Key.Bytes, &raw); err != nil {
		return "", nil, fmt.Errorf("parse key octet string: %w", err)
	}
	return params[0].String(), raw, nil
}

// TestOpenSSLSignatures lets the gost engine generate keys on every curve it
// offers and sign random data; VerifyDigest must accept the signatures and
// reject them after any single flipped bit.
//
// Byte order, as observed here and relied on by the test: the output of
// `openssl dgst -engine gost -sign` for GOST keys is BE(s) ‖ BE(r), the same
// layout as the X.509 signatureValue, so it is passed to VerifyDigest as is.
func TestOpenSSLSignatures(t *testing.T) {
	bin := requireGostEngine(t)
	cases := []struct {
		alg, paramset, md, wantOID string
		newHash                    func() hash.Hash
	}{
		{"gost2012_256", "A", "-md_gost12_256", "1.2.643.2.2.35.1", NewStreebog256},
		{"gost2012_256", "B", "-md_gost12_256", "1.2.643.2.2.35.2", NewStreebog256},
		{"gost2012_256", "C", "-md_gost12_256", "1.2.643.2.2.35.3", NewStreebog256},
		{"gost2012_256", "XA", "-md_gost12_256", "1.2.643.2.2.36.0", NewStreebog256},
		{"gost2012_256", "XB", "-md_gost12_256", "1.2.643.2.2.36.1", NewStreebog256},
		{"gost2012_256", "0", "-md_gost12_256", "1.2.643.2.2.35.0", NewStreebog256},
		{"gost2012_256", "TCA", "-md_gost12_256", "1.2.643.7.1.2.1.1.1", NewStreebog256},
		{"gost2012_256", "TCB", "-md_gost12_256", "1.2.643.7.1.2.1.1.2", NewStreebog256},
		{"gost2012_256", "TCC", "-md_gost12_256", "1.2.643.7.1.2.1.1.3", NewStreebog256},
		{"gost2012_256", "TCD", "-md_gost12_256", "1.2.643.7.1.2.1.1.4", NewStreebog256},
		{"gost2012_512", "A", "-md_gost12_512", "1.2.643.7.1.2.1.2.1", NewStreebog512},
		{"gost2012_512", "B", "-md_gost12_512", "1.2.643.7.1.2.1.2.2", NewStreebog512},
		{"gost2012_512", "C", "-md_gost12_512", "1.2.643.7.1.2.1.2.3", NewStreebog512},
		{"gost2012_512", "1.2.643.7.1.2.1.2.0", "-md_gost12_512", "1.2.643.7.1.2.1.2.0", NewStreebog512},
		{"gost2001", "A", "-md_gost94", "1.2.643.2.2.35.1", New341194},
		{"gost2001", "XA", "-md_gost94", "1.2.643.2.2.36.0", New341194},
	}
	dir := t.TempDir()
	for i, tc := range cases {
		tc := tc
		name := tc.alg + "-" + tc.paramset
		t.Run(name, func(t *testing.T) {
			keyPath := filepath.Join(dir, fmt.Sprintf("key%d.pem", i))
			runOpenSSL(t, bin, "genpkey", "-engine", "gost", "-algorithm", tc.alg, "-pkeyopt", "paramset:"+tc.paramset, "-out", keyPath)
			der := runOpenSSL(t, bin, "pkey", "-engine", "gost", "-in", keyPath, "-pubout", "-outform", "DER")
			oid, raw, err := parseGostSPKI(der)
			if err != nil {
				t.Fatal(err)
			}
			if oid != tc.wantOID {
				t.Fatalf("paramset %s gave curve %s, want %s", tc.paramset, oid, tc.wantOID)
			}
			c, err := CurveByOID(oid)
			if err != nil {
				t.Fatal(err)
			}
			key, err := NewPublicKey(c, raw)
			if err != nil {
				t.Fatalf("NewPublicKey(openssl key): %v", err)
			}
			for j := 0; j < 3; j++ {
				msg := make([]byte, 100+j*997)
				if _, err := rand.Read(msg); err != nil {
					t.Fatal(err)
				}
				msgPath := filepath.Join(dir, fmt.Sprintf("data%d-%d", i, j))
				if err := os.WriteFile(msgPath, msg, 0o600); err != nil {
					t.Fatal(err)
				}
				sig := runOpenSSL(t, bin, "dgst", "-engine", "gost", tc.md, "-sign", keyPath, msgPath)
				digest := digestOf(tc.newHash(), msg)
				if err := key.VerifyDigest(digest, sig); err != nil {
					t.Fatalf("openssl signature %x over digest %x: %v", sig, digest, err)
				}
				for bit := j; bit < len(sig)*8; bit += 53 {
					bad := append([]byte(nil), sig...)
					bad[bit/8] ^= 1 << uint(bit%8)
					err := key.VerifyDigest(digest, bad)
					if err == nil {
						t.Fatalf("signature with bit %d flipped verifies", bit)
					}
				}
				n := len(sig) / 2
				swapped := append(append([]byte(nil), sig[n:]...), sig[:n]...)
				if err := key.VerifyDigest(digest, swapped); !errors.Is(err, ErrBadSignature) {
					t.Fatalf("openssl signature read as r ‖ s: got %v, want ErrBadSignature", err)
				}
				badDigest := append([]byte(nil), digest...)
				badDigest[0] ^= 0x80
				if err := key.VerifyDigest(badDigest, sig); !errors.Is(err, ErrBadSignature) {
					t.Fatalf("changed digest: got %v, want ErrBadSignature", err)
				}
			}
		})
	}
}
