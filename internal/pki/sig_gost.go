package pki

import (
	"errors"
	"fmt"
	"hash"

	"github.com/gmu-doctor/gmu-doctor/internal/gost"
)

// checkGOST verifies a GOST R 34.10-2001/2012 signature: the hash is fixed by
// the signature algorithm, the curve by the issuer key's parameter set, the
// key is the content of the OCTET STRING inside the subjectPublicKey.
func checkGOST(alg string, signed, sig []byte, key *Certificate) error {
	var h hash.Hash
	switch alg {
	case oidSigGost2012_256:
		h = gost.NewStreebog256()
	case oidSigGost2012_512:
		h = gost.NewStreebog512()
	case oidSigGost2001:
		h = gost.New341194()
	default:
		return fmt.Errorf("check signature: algorithm %s: %w", alg, ErrUnsupportedAlgorithm)
	}
	curve, err := gost.CurveByOID(key.PublicKeyParamSet)
	if err != nil {
		return fmt.Errorf("check signature: issuer key parameters %s: %w", key.PublicKeyParamSet, ErrUnsupportedAlgorithm)
	}
	os, err := single(key.PublicKey)
	if err != nil || !os.is(tagOctetString) {
		return fmt.Errorf("check signature: issuer GOST key is not an OCTET STRING: %w", ErrBadSignature)
	}
	pub, err := gost.NewPublicKey(curve, os.body)
	if err != nil {
		return fmt.Errorf("check signature: issuer key: %v: %w", err, ErrBadSignature)
	}
	h.Write(signed)
	if err := pub.VerifyDigest(h.Sum(nil), sig); err != nil {
		if errors.Is(err, gost.ErrBadSignature) {
			return fmt.Errorf("check signature: %w", ErrBadSignature)
		}
		return fmt.Errorf("check signature: %v: %w", err, ErrBadSignature)
	}
	return nil
}
