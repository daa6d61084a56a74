package certs

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"os"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func tlsRootDER(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "certs", "tls", "russian-trusted-root-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := pem.Decode(b)
	if p == nil {
		t.Fatal("no PEM")
	}
	return p.Bytes
}

func thumb(der []byte) string {
	s := sha1.Sum(der)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func TestContainsCertDER(t *testing.T) {
	der := tlsRootDER(t)
	tp := thumb(der)
	// The certificate inside SQLite-like noise, at an odd offset, with
	// decoy headers around it.
	noise := bytes.Repeat([]byte{0x30, 0x82, 0x05, 0x00, 0x30, 0x01}, 300)
	blob := append(append(append([]byte("SQLite format 3\x00"), noise...), der...), noise...)
	if !ContainsCertDER(blob, tp) {
		t.Error("certificate in the blob not found")
	}
	if !ContainsCertDER(blob, strings.ToLower(tp)) {
		t.Error("lower-case thumbprint not accepted")
	}
	// Truncated, corrupted by one byte, or another thumbprint: not found.
	if ContainsCertDER(append([]byte("x"), der[:len(der)-1]...), tp) {
		t.Error("truncated certificate found")
	}
	bad := append([]byte(nil), der...)
	bad[len(bad)/2] ^= 1
	if ContainsCertDER(bad, tp) {
		t.Error("corrupted certificate found")
	}
	if ContainsCertDER(blob, "0000000000000000000000000000000000000000") || ContainsCertDER(blob, "zz") || ContainsCertDER(nil, tp) {
		t.Error("false positive")
	}
}

func FuzzContainsCertDER(f *testing.F) {
	der := tlsRootDER(f)
	tp := thumb(der)
	f.Add(der)
	f.Add([]byte{0x30, 0x82, 0xff, 0xff, 0x30})
	f.Add([]byte{0x30, 0x81})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if ContainsCertDER(b, tp) && !bytes.Contains(b, der) {
			t.Fatal("found a certificate that is not there")
		}
	})
}

// A crafted blob of nothing but candidate headers is scanned in bounded
// time and is not taken for the certificate.
func TestContainsCertDERHostileBlob(t *testing.T) {
	unit := append([]byte{0x30, 0x82, 0x3f, 0xf0, 0x30, 0x82, 0x3f, 0x00}, make([]byte, 8)...)
	blob := bytes.Repeat(unit, (4<<20)/len(unit))
	if ContainsCertDER(blob, thumb(tlsRootDER(t))) {
		t.Fatal("found in a hostile blob")
	}
}
