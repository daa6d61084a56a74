// Package gost verifies Russian GOST signatures as they occur in X.509
// certificates: the hash functions GOST R 34.11-2012 (Streebog, 256 and 512
// bits) and GOST R 34.11-94 (CryptoPro parameter set), and GOST R 34.10-2001 /
// 34.10-2012 signature verification on every standard curve.
//
// Byte conventions follow what OpenSSL's gost engine and the X.509 profiles
// (RFC 4491, RFC 9215) use:
//
//   - hash outputs are byte strings exactly as `openssl dgst -md_gost12_256`
//     (or -md_gost12_512, -md_gost94) prints them; this is the reverse of the
//     most-significant-first notation of RFC 6986 / RFC 5831;
//   - the integer e is the hash output read as a little-endian number;
//   - a public key is LE(X) ‖ LE(Y), each half Curve.Size bytes;
//   - a signature is BE(s) ‖ BE(r), each half Curve.Size bytes: the X.509
//     signatureValue content, and also exactly what
//     `openssl dgst -engine gost -sign` writes (checked by the tests).
//
// Tests cross-check everything against OpenSSL's gost engine, the RFC 6986,
// RFC 5831 and RFC 7091 examples and the real certificates in
// testdata/certs/realworld. scripts/bench-gost.sh compares speed with the
// engine side by side (cgo benchmark behind the `gostengine` build tag).
//
// The package only verifies: it has no signing code and never handles
// private keys.
package gost

import (
	"errors"
	"fmt"
	"math/big"
)

// ErrBadSignature is wrapped by VerifyDigest when a well-formed signature
// does not match the digest and key.
var ErrBadSignature = errors.New("gost: signature does not verify")

// PublicKey is a GOST R 34.10 public key: a point on Curve.
type PublicKey struct {
	Curve *Curve
	X, Y  *big.Int
}

// NewPublicKey decodes raw key bytes, the content of the OCTET STRING inside
// a SubjectPublicKeyInfo: LE(X) ‖ LE(Y), 2·c.Size bytes. It rejects
// coordinates >= p, points not on the curve and the point at infinity.
func NewPublicKey(c *Curve, raw []byte) (*PublicKey, error) {
	if err := checkCurve(c); err != nil {
		return nil, err
	}
	if len(raw) != 2*c.Size {
		return nil, fmt.Errorf("gost: public key on %s is %d bytes, want %d", c.Name, len(raw), 2*c.Size)
	}
	x := leToInt(raw[:c.Size])
	y := leToInt(raw[c.Size:])
	if x.Cmp(c.P) >= 0 || y.Cmp(c.P) >= 0 {
		return nil, fmt.Errorf("gost: public key coordinate out of range for %s", c.Name)
	}
	if x.Sign() == 0 && y.Sign() == 0 {
		return nil, errors.New("gost: public key is the point at infinity")
	}
	if !c.onCurve(x, y) {
		return nil, fmt.Errorf("gost: public key is not a point on %s", c.Name)
	}
	return &PublicKey{Curve: c, X: x, Y: y}, nil
}

// Bytes returns the key in its SubjectPublicKeyInfo form, LE(X) ‖ LE(Y).
func (k *PublicKey) Bytes() []byte {
	n := k.Curve.Size
	out := make([]byte, 2*n)
	k.X.FillBytes(out[:n])
	k.Y.FillBytes(out[n:])
	reverse(out[:n])
	reverse(out[n:])
	return out
}

// VerifyDigest checks sig = BE(s) ‖ BE(r) over digest, the hash output bytes
// (interpreted as a little-endian integer). It returns nil for a valid
// signature, an error wrapping ErrBadSignature for a well-formed signature
// that does not verify, and another descriptive error for malformed input.
func (k *PublicKey) VerifyDigest(digest, sig []byte) error {
	if k == nil || k.X == nil || k.Y == nil {
		return errors.New("gost: verify with an empty public key")
	}
	if err := checkCurve(k.Curve); err != nil {
		return err
	}
	c := k.Curve
	// Keys made by NewPublicKey are valid; a PublicKey literal may not be.
	if k.X.Sign() < 0 || k.Y.Sign() < 0 || k.X.Cmp(c.P) >= 0 || k.Y.Cmp(c.P) >= 0 || !c.onCurve(k.X, k.Y) {
		return fmt.Errorf("gost: public key is not a point on %s", c.Name)
	}
	if len(sig) != 2*c.Size {
		return fmt.Errorf("gost: signature is %d bytes, want %d for %s", len(sig), 2*c.Size, c.Name)
	}
	if len(digest) == 0 || len(digest) > c.Size {
		return fmt.Errorf("gost: digest is %d bytes, want 1..%d for %s", len(digest), c.Size, c.Name)
	}
	s := new(big.Int).SetBytes(sig[:c.Size])
	r := new(big.Int).SetBytes(sig[c.Size:])
	if r.Sign() == 0 || r.Cmp(c.Q) >= 0 {
		return errors.New("gost: signature value r is zero or not below the group order")
	}
	if s.Sign() == 0 || s.Cmp(c.Q) >= 0 {
		return errors.New("gost: signature value s is zero or not below the group order")
	}
	e := leToInt(digest)
	var ok bool
	if c.fast != nil {
		ok = c.fast.verify(k, e, r, s)
	} else {
		ok = verifyBig(c, k.X, k.Y, e, r, s)
	}
	if !ok {
		return fmt.Errorf("verify %s signature: %w", c.Name, ErrBadSignature)
	}
	return nil
}

// checkCurve accepts only the package's own curves (from CurveByOID or
// Curves): their parameters are known to be sound.
func checkCurve(c *Curve) error {
	if c == nil {
		return errors.New("gost: public key without a curve")
	}
	if c.index >= 0 && c.index < len(curveTable) && curveAt(c.index) == c {
		return nil
	}
	return fmt.Errorf("gost: curve %q is not one of the package's curves; use CurveByOID", c.Name)
}

// leToInt reads b as a little-endian unsigned integer.
func leToInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i, v := range b {
		be[len(b)-1-i] = v
	}
	return new(big.Int).SetBytes(be)
}

func reverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}
