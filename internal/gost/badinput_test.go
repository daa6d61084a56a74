package gost

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"
)

func TestNewPublicKeyRejects(t *testing.T) {
	c, _ := CurveByOID("1.2.643.2.2.35.1")
	good := rawKey(c.X, c.Y, c.Size)
	if _, err := NewPublicKey(c, good); err != nil {
		t.Fatalf("base point rejected: %v", err)
	}
	pLE := leBytes(c.P, c.Size)
	offCurve := rawKey(c.X, new(big.Int).Add(c.Y, big.NewInt(1)), c.Size)
	cases := []struct {
		name string
		c    *Curve
		raw  []byte
		want string
	}{
		{"nil curve", nil, good, "without a curve"},
		{"empty", c, nil, "is 0 bytes, want 64"},
		{"short", c, good[:63], "is 63 bytes"},
		{"long", c, append(append([]byte(nil), good...), 0), "is 65 bytes"},
		{"512-bit length on a 256-bit curve", c, make([]byte, 128), "want 64"},
		{"huge", c, make([]byte, 1<<20), "want 64"},
		{"x = p", c, append(append([]byte(nil), pLE...), good[c.Size:]...), "out of range"},
		{"y = p", c, append(append([]byte(nil), good[:c.Size]...), pLE...), "out of range"},
		{"all ones", c, bytes.Repeat([]byte{0xff}, 64), "out of range"},
		{"infinity", c, make([]byte, 64), "infinity"},
		{"off curve", c, offCurve, "not a point on"},
	}
	for _, tc := range cases {
		k, err := NewPublicKey(tc.c, tc.raw)
		if err == nil || k != nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.name, err, tc.want)
		}
	}
}

func TestVerifyDigestRejectsMalformed(t *testing.T) {
	k, digest, sig := sigVectors[4].parts(t)
	c := k.Curve
	n := c.Size
	withR := func(r *big.Int) []byte {
		out := append([]byte(nil), sig...)
		r.FillBytes(out[n:])
		return out
	}
	withS := func(s *big.Int) []byte {
		out := append([]byte(nil), sig...)
		s.FillBytes(out[:n])
		return out
	}
	qPlus1 := new(big.Int).Add(c.Q, big.NewInt(1))
	cases := []struct {
		name        string
		digest, sig []byte
		want        string
	}{
		{"empty signature", digest, nil, "signature is 0 bytes"},
		{"short signature", digest, sig[:63], "signature is 63 bytes"},
		{"long signature", digest, append(append([]byte(nil), sig...), 0), "signature is 65 bytes"},
		{"huge signature", digest, make([]byte, 1<<20), "want 64"},
		{"empty digest", nil, sig, "digest is 0 bytes"},
		{"long digest", make([]byte, 65), sig, "digest is 65 bytes"},
		{"huge digest", make([]byte, 1<<20), sig, "digest is 1048576 bytes"},
		{"r = 0", digest, withR(big.NewInt(0)), "r is zero"},
		{"s = 0", digest, withS(big.NewInt(0)), "s is zero"},
		{"r = q", digest, withR(c.Q), "r is zero or not below"},
		{"s = q", digest, withS(c.Q), "s is zero or not below"},
		{"r = q+1", digest, withR(qPlus1), "r is zero or not below"},
		{"s all ones", digest, withS(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))), "not below"},
	}
	for _, tc := range cases {
		err := k.VerifyDigest(tc.digest, tc.sig)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: malformed input reported as a bad signature: %v", tc.name, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.name, err, tc.want)
		}
	}
	var nilKey *PublicKey
	if err := nilKey.VerifyDigest(digest, sig); err == nil {
		t.Error("nil key verifies")
	}
	if err := (&PublicKey{}).VerifyDigest(digest, sig); err == nil {
		t.Error("empty key verifies")
	}
	// Hand-made keys and curves are checked too.
	offCurve := &PublicKey{Curve: c, X: k.X, Y: new(big.Int).Add(k.Y, big.NewInt(1))}
	if err := offCurve.VerifyDigest(digest, sig); err == nil || !strings.Contains(err.Error(), "not a point") {
		t.Errorf("off-curve key literal: got %v", err)
	}
	huge := &PublicKey{Curve: c, X: new(big.Int).Lsh(big.NewInt(1), 4000), Y: k.Y}
	if err := huge.VerifyDigest(digest, sig); err == nil {
		t.Error("key literal with a huge coordinate verifies")
	}
	copyCurve := *c
	if err := (&PublicKey{Curve: &copyCurve, X: k.X, Y: k.Y}).VerifyDigest(digest, sig); err == nil || !strings.Contains(err.Error(), "CurveByOID") {
		t.Errorf("foreign curve: got %v", err)
	}
	// r = q−1 and s = q−1 are in range: the answer must be "does not verify".
	qm1 := new(big.Int).Sub(c.Q, big.NewInt(1))
	if err := k.VerifyDigest(digest, withR(qm1)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("r = q−1: got %v, want ErrBadSignature", err)
	}
	// A digest shorter than the key size is read as a smaller integer.
	if err := k.VerifyDigest(digest[:20], sig); !errors.Is(err, ErrBadSignature) {
		t.Errorf("short digest: got %v, want ErrBadSignature", err)
	}
	// A key on another curve must not verify the signature.
	other, _ := CurveByOID("1.2.643.2.2.35.2")
	if k2, err := NewPublicKey(other, rawKey(other.X, other.Y, 32)); err != nil {
		t.Fatal(err)
	} else if err := k2.VerifyDigest(digest, sig); err == nil {
		t.Error("signature verifies under an unrelated key")
	}
}

// The digest e ≡ 0 (mod q) is replaced by 1 (GOST R 34.10 §6.2): a
// signature made for e = 1 must verify for the all-zero digest.
func TestZeroDigest(t *testing.T) {
	c, _ := CurveByOID("1.2.643.2.2.35.1")
	d := big.NewInt(123456789)
	qx, qy, _ := scalarMultBig(c, c.X, c.Y, d)
	k, err := NewPublicKey(c, rawKey(qx, qy, c.Size))
	if err != nil {
		t.Fatal(err)
	}
	one := make([]byte, 32)
	one[0] = 1
	sig := testSign(t, c, d, one)
	if err := k.VerifyDigest(make([]byte, 32), sig); err != nil {
		t.Errorf("zero digest: %v", err)
	}
	if err := k.VerifyDigest(leBytes(c.Q, 32), sig); err != nil {
		t.Errorf("digest = q: %v", err)
	}
}
