package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
)

// Signature algorithm OIDs.
const (
	oidSigGost2012_256 = "1.2.643.7.1.1.3.2"
	oidSigGost2012_512 = "1.2.643.7.1.1.3.3"
	oidSigGost2001     = "1.2.643.2.2.3"
)

// ErrBadSignature means the signature does not verify with the key.
var ErrBadSignature = errors.New("signature does not verify")

// ErrUnsupportedAlgorithm means the algorithm is not implemented.
var ErrUnsupportedAlgorithm = errors.New("unsupported algorithm")

type stdSig struct {
	hash crypto.Hash
	key  string // "rsa", "ecdsa", "ed25519"
}

var stdSigs = map[string]stdSig{
	"1.2.840.113549.1.1.4":  {crypto.MD5, "rsa"},
	"1.2.840.113549.1.1.5":  {crypto.SHA1, "rsa"},
	"1.2.840.113549.1.1.11": {crypto.SHA256, "rsa"},
	"1.2.840.113549.1.1.12": {crypto.SHA384, "rsa"},
	"1.2.840.113549.1.1.13": {crypto.SHA512, "rsa"},
	"1.2.840.10045.4.1":     {crypto.SHA1, "ecdsa"},
	"1.2.840.10045.4.3.2":   {crypto.SHA256, "ecdsa"},
	"1.2.840.10045.4.3.3":   {crypto.SHA384, "ecdsa"},
	"1.2.840.10045.4.3.4":   {crypto.SHA512, "ecdsa"},
	"1.3.101.112":           {0, "ed25519"},
}

// CheckSignatureFrom verifies that parent's key signed c. The signed bytes
// are c.RawTBS exactly as they were in the input. It returns an error
// wrapping ErrBadSignature when the signature is wrong.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if parent == nil {
		return errors.New("check signature: no issuer certificate")
	}
	return checkSignature(c.SignatureAlgorithm, c.RawTBS, c.SignatureValue, parent)
}

func checkSignature(alg string, signed, sig []byte, key *Certificate) error {
	switch alg {
	case oidSigGost2012_256, oidSigGost2012_512, oidSigGost2001:
		if !key.IsGOSTKey() {
			return fmt.Errorf("check signature: algorithm %s needs a GOST key, the issuer has %s: %w", alg, key.PublicKeyAlgorithm, ErrBadSignature)
		}
		return checkGOST(alg, signed, sig, key)
	}
	s, ok := stdSigs[alg]
	if !ok {
		return fmt.Errorf("check signature: algorithm %s: %w", alg, ErrUnsupportedAlgorithm)
	}
	pub, err := x509.ParsePKIXPublicKey(key.RawSPKI)
	if err != nil {
		return fmt.Errorf("check signature: issuer key: %w", err)
	}
	var digest []byte
	if s.hash != 0 {
		if !s.hash.Available() {
			return fmt.Errorf("check signature: hash of %s: %w", alg, ErrUnsupportedAlgorithm)
		}
		h := s.hash.New()
		h.Write(signed)
		digest = h.Sum(nil)
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if s.key != "rsa" {
			break
		}
		if err := rsa.VerifyPKCS1v15(k, s.hash, digest, sig); err != nil {
			return fmt.Errorf("check signature: %w", ErrBadSignature)
		}
		return nil
	case *ecdsa.PublicKey:
		if s.key != "ecdsa" {
			break
		}
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return fmt.Errorf("check signature: %w", ErrBadSignature)
		}
		return nil
	case ed25519.PublicKey:
		if s.key != "ed25519" {
			break
		}
		if !ed25519.Verify(k, signed, sig) {
			return fmt.Errorf("check signature: %w", ErrBadSignature)
		}
		return nil
	}
	return fmt.Errorf("check signature: algorithm %s does not match the issuer key %s: %w", alg, key.PublicKeyAlgorithm, ErrBadSignature)
}

func keyBits(k interface{}) int {
	switch k := k.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen()
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return 256
	}
	return 0
}
