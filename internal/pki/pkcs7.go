package pki

import (
	"errors"
	"fmt"
)

// PKCS #7 / CMS SignedData (.p7b certificate bundles that Windows exports,
// .p7s signatures) carries certificates in its certificates field. Such
// files are often BER with indefinite lengths, so the envelope is read
// with a BER reader; every certificate inside must still be DER.

const oidSignedData = "1.2.840.113549.1.7.2"

// readElementBER is readElement that also accepts indefinite lengths
// (constructed only), ending at the end-of-contents octets.
func readElementBER(b []byte, depth int) (element, []byte, error) {
	if depth > maxDepth {
		return element{}, nil, errors.New("nesting too deep")
	}
	if len(b) >= 2 && b[1] == 0x80 && b[0]&0x20 != 0 && b[0]&0x1f != 0x1f {
		e := element{class: b[0] >> 6, constructed: true, tag: int32(b[0] & 0x1f)}
		rest := b[2:]
		for {
			if len(rest) < 2 {
				return e, nil, errTruncated
			}
			if rest[0] == 0 && rest[1] == 0 {
				n := len(b) - len(rest)
				e.body = b[2:n]
				e.full = b[:n+2]
				return e, rest[2:], nil
			}
			_, r, err := readElementBER(rest, depth+1)
			if err != nil {
				return e, nil, err
			}
			rest = r
		}
	}
	return readElement(b)
}

// childrenBER splits a constructed BER element into its elements.
func childrenBER(e element) ([]element, error) {
	return split(e, func(b []byte) (element, []byte, error) { return readElementBER(b, 1) }, nil)
}

// isPKCS7 reports whether b starts like a ContentInfo of signedData.
func isPKCS7(b []byte) bool {
	top, _, err := readElementBER(b, 0)
	if err != nil || !top.is(tagSequence) {
		return false
	}
	kids, err := childrenBER(top)
	if err != nil || len(kids) < 1 {
		return false
	}
	oid, err := expectOID(kids[0])
	return err == nil && oid == oidSignedData
}

// parsePKCS7 returns the certificates of a SignedData ContentInfo.
func parsePKCS7(b []byte) ([]*Certificate, error) {
	top, rest, err := readElementBER(b, 0)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS #7: %w", err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("parse PKCS #7: %d trailing bytes", len(rest))
	}
	kids, err := childrenBER(top)
	if err != nil || len(kids) != 2 || !kids[1].isContext(0) {
		return nil, errors.New("parse PKCS #7: malformed ContentInfo")
	}
	if oid, err := expectOID(kids[0]); err != nil || oid != oidSignedData {
		return nil, errors.New("parse PKCS #7: not SignedData")
	}
	inner, err := childrenBER(kids[1])
	if err != nil || len(inner) != 1 {
		return nil, errors.New("parse PKCS #7: malformed content")
	}
	fields, err := childrenBER(inner[0])
	if err != nil {
		return nil, fmt.Errorf("parse PKCS #7: %w", err)
	}
	var out []*Certificate
	for _, f := range fields {
		if !f.isContext(0) || !f.constructed {
			continue
		}
		certs, err := childrenBER(f)
		if err != nil {
			return nil, fmt.Errorf("parse PKCS #7 certificates: %w", err)
		}
		for i, ce := range certs {
			if !ce.is(tagSequence) {
				continue // attribute certificates and others
			}
			c, err := ParseDER(ce.full)
			if err != nil {
				return nil, fmt.Errorf("parse PKCS #7 certificate %d: %w", i+1, err)
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, ErrNoCertificate
	}
	return out, nil
}
