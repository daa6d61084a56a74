package pki

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Extension OIDs interpreted here.
const (
	oidExtSKI             = "2.5.29.14"
	oidExtKeyUsage        = "2.5.29.15"
	oidExtPKUP            = "2.5.29.16"
	oidExtSAN             = "2.5.29.17"
	oidExtIAN             = "2.5.29.18"
	oidExtBasicCons       = "2.5.29.19"
	oidExtCRLDP           = "2.5.29.31"
	oidExtPolicies        = "2.5.29.32"
	oidExtAKI             = "2.5.29.35"
	oidExtEKU             = "2.5.29.37"
	oidExtAIA             = "1.3.6.1.5.5.7.1.1"
	oidExtSubjectSignTool = "1.2.643.100.111"
	oidExtIssuerSignTool  = "1.2.643.100.112"
	oidExtIdentKind       = "1.2.643.100.114"
	oidADCAIssuers        = "1.3.6.1.5.5.7.48.2"
	oidADOCSP             = "1.3.6.1.5.5.7.48.1"
	oidAtTitle            = "2.5.4.12"
)

// known critical extensions that a verifier may safely accept.
var understood = map[string]bool{
	oidExtSKI: true, oidExtKeyUsage: true, oidExtPKUP: true, oidExtSAN: true, oidExtIAN: true,
	oidExtBasicCons: true, oidExtCRLDP: true, oidExtPolicies: true, oidExtAKI: true, oidExtEKU: true,
	oidExtAIA: true, oidExtSubjectSignTool: true, oidExtIssuerSignTool: true, oidExtIdentKind: true,
	"2.5.29.30": true, // nameConstraints: not enforced, but not a reason to reject
	"2.5.29.36": true, // policyConstraints
	"2.5.29.54": true, // inhibitAnyPolicy
	"2.5.29.33": true, // policyMappings
}

func (c *Certificate) parseExtensions(wrapper element, notes *[]string) error {
	var innerBuf [1]element
	var extsBuf [16]element
	inner, err := childrenIn(wrapper, innerBuf[:])
	if err != nil || len(inner) != 1 || !inner[0].is(tagSequence) {
		return perr("extensions", errors.New("malformed"))
	}
	exts, err := childrenIn(inner[0], extsBuf[:])
	if err != nil {
		return perr("extensions", err)
	}
	if len(exts) > 0 {
		c.Extensions = make([]string, 0, len(exts))
	}
	for _, ext := range exts {
		var f [3]element
		nf, err := upTo3(ext, &f)
		if err != nil || !ext.is(tagSequence) || nf < 2 {
			return perr("extensions", errors.New("malformed extension"))
		}
		oid, err := expectOID(f[0])
		if err != nil {
			return perr("extensions", err)
		}
		for _, o := range c.Extensions {
			if o == oid {
				return perr("extensions", fmt.Errorf("extension %s appears twice", oid))
			}
		}
		critical := false
		val := f[1]
		if nf == 3 {
			var canonical bool
			if critical, canonical, err = parseBool(f[1]); err != nil {
				return perr("extension "+oid, err)
			}
			if !canonical {
				*notes = append(*notes, fmt.Sprintf("extension %s critical BOOLEAN 0x%02X", oid, f[1].body[0]))
			}
			val = f[2]
		}
		if !val.is(tagOctetString) || val.constructed {
			return perr("extension "+oid, errors.New("value is not an OCTET STRING"))
		}
		c.Extensions = append(c.Extensions, oid)
		if critical {
			c.Critical = append(c.Critical, oid)
			if !understood[oid] {
				c.UnknownCritical = append(c.UnknownCritical, oid)
			}
		}
		if err := c.parseExtension(oid, val.body, notes); err != nil {
			if critical {
				return perr("extension "+oid, err)
			}
			// Windows decodes extensions lazily and accepts a certificate
			// whose non-critical extension it cannot read; so do we.
			*notes = append(*notes, fmt.Sprintf("malformed non-critical extension %s ignored: %v", oid, err))
		}
	}
	return nil
}

// SubjectKeyIDOf returns the subject key identifier of a DER certificate
// without parsing the rest of it (nil when it has none or the walk fails):
// an index of thousands of certificates by key identifier needs only this.
// For a certificate that ParseDER accepts it is the parser's SubjectKeyID.
func SubjectKeyIDOf(der []byte) []byte {
	top, _, err := readElement(der)
	if err != nil || !top.is(tagSequence) || !top.constructed {
		return nil
	}
	tbs, _, err := readElement(top.body)
	if err != nil || !tbs.is(tagSequence) || !tbs.constructed {
		return nil
	}
	for rest := tbs.body; len(rest) > 0; {
		e, r, err := readElement(rest)
		if err != nil {
			return nil
		}
		rest = r
		if !e.isContext(3) || !e.constructed {
			continue
		}
		seq, _, err := readElement(e.body)
		if err != nil || !seq.is(tagSequence) || !seq.constructed {
			return nil
		}
		for xs := seq.body; len(xs) > 0; {
			ext, r, err := readElement(xs)
			if err != nil {
				return nil
			}
			xs = r
			var f [3]element
			nf, err := upTo3(ext, &f)
			if err != nil || !f[0].is(tagOID) || string(f[0].body) != oidExtSKIDER {
				continue
			}
			val := f[nf-1]
			if !val.is(tagOctetString) || val.constructed {
				return nil
			}
			inner, err := single(val.body)
			if err != nil || !inner.is(tagOctetString) {
				return nil
			}
			return inner.body
		}
		return nil
	}
	return nil
}

// oidExtSKIDER is the DER body of 2.5.29.14.
const oidExtSKIDER = "\x55\x1d\x0e"

// upTo3 reads the two or three elements of a constructed element into f
// and returns how many there were (an error for fewer or more).
func upTo3(e element, f *[3]element) (int, error) {
	if !e.constructed {
		return 0, fmt.Errorf("%v is not constructed", e)
	}
	n := 0
	for rest := e.body; len(rest) > 0; n++ {
		if n == 3 {
			return 0, errors.New("too many elements")
		}
		el, r, err := readElement(rest)
		if err != nil {
			return 0, err
		}
		f[n], rest = el, r
	}
	if n < 2 {
		return 0, errors.New("too few elements")
	}
	return n, nil
}

// single reads exactly one element from b.
func single(b []byte) (element, error) {
	e, rest, err := readElement(b)
	if err != nil {
		return e, err
	}
	if len(rest) != 0 {
		return e, errors.New("trailing bytes")
	}
	return e, nil
}

func (c *Certificate) parseExtension(oid string, v []byte, notes *[]string) error {
	// The elements of the extension's SEQUENCE go into arrays declared in
	// the case that needs them (an array is zeroed where it is declared).
	switch oid {
	case oidExtSKI:
		e, err := single(v)
		if err != nil || !e.is(tagOctetString) {
			return errors.New("malformed subjectKeyIdentifier")
		}
		c.SubjectKeyID = e.body
	case oidExtAKI:
		var buf [6]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, k := range kids {
			if k.isContext(0) && !k.constructed {
				c.AuthorityKeyID = k.body
			}
		}
	case oidExtBasicCons:
		var buf [6]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		isCA, maxPath := false, -1
		for _, k := range kids {
			switch {
			case k.is(tagBoolean):
				ca, canonical, err := parseBool(k)
				if err != nil {
					return err
				}
				if !canonical {
					*notes = append(*notes, fmt.Sprintf("basicConstraints BOOLEAN 0x%02X", k.body[0]))
				}
				isCA = ca
			case k.is(tagInteger):
				n, err := parseSmallInt(k)
				if err != nil || n < 0 {
					return errors.New("bad pathLenConstraint")
				}
				maxPath = n
			default:
				return errors.New("malformed basicConstraints")
			}
		}
		c.BasicConstraintsPresent, c.IsCA, c.MaxPathLen = true, isCA, maxPath
	case oidExtKeyUsage:
		e, err := single(v)
		if err != nil {
			return err
		}
		bits, _, err := bitStringBytes(e)
		if err != nil {
			return err
		}
		var ku x509.KeyUsage
		for i := 0; i < 9 && i/8 < len(bits); i++ {
			if bits[i/8]&(0x80>>uint(i%8)) != 0 {
				ku |= 1 << uint(i)
			}
		}
		c.KeyUsage, c.KeyUsagePresent = ku, true
	case oidExtEKU:
		var buf [6]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, k := range kids {
			o, err := expectOID(k)
			if err != nil {
				return err
			}
			c.ExtKeyUsage = append(c.ExtKeyUsage, o)
		}
	case oidExtPolicies:
		var buf [6]element
		var sub [3]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, k := range kids {
			pk, err := childrenIn(k, sub[:])
			if err != nil || !k.is(tagSequence) || len(pk) == 0 {
				return errors.New("malformed policy information")
			}
			o, err := expectOID(pk[0])
			if err != nil {
				return err
			}
			c.Policies = append(c.Policies, o)
		}
	case oidExtAIA:
		var buf [6]element
		var sub [3]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, k := range kids {
			ak, err := childrenIn(k, sub[:])
			if err != nil || !k.is(tagSequence) || len(ak) != 2 {
				return errors.New("malformed access description")
			}
			method, err := expectOID(ak[0])
			if err != nil {
				return err
			}
			uri, ok := generalNameURI(ak[1])
			if !ok {
				continue
			}
			switch method {
			case oidADCAIssuers:
				c.CAIssuers = append(c.CAIssuers, uri)
			case oidADOCSP:
				c.OCSP = append(c.OCSP, uri)
			}
		}
	case oidExtCRLDP:
		var buf [6]element
		var sub [3]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, dp := range kids {
			dk, err := childrenIn(dp, sub[:])
			if err != nil {
				return errors.New("malformed distribution point")
			}
			for _, f := range dk {
				if !f.isContext(0) || !f.constructed {
					continue
				}
				names, err := children(f)
				if err != nil {
					return err
				}
				for _, n := range names {
					if !n.isContext(0) || !n.constructed { // fullName
						continue
					}
					gns, err := children(n)
					if err != nil {
						return err
					}
					for _, gn := range gns {
						if uri, ok := generalNameURI(gn); ok {
							c.CRLDistributionPoints = append(c.CRLDistributionPoints, uri)
						}
					}
				}
			}
		}
	case oidExtSAN:
		var buf [6]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, gn := range kids {
			switch {
			case gn.isContext(0) && gn.constructed: // otherName
				ok, err := children(gn)
				if err != nil || len(ok) != 2 {
					return errors.New("malformed otherName")
				}
				typ, err := expectOID(ok[0])
				if err != nil {
					return err
				}
				if typ != oidAtTitle || !ok[1].isContext(0) || !ok[1].constructed {
					continue
				}
				inner, err := children(ok[1])
				if err != nil || len(inner) != 1 {
					return errors.New("malformed otherName value")
				}
				s, isStr, err := decodeString(inner[0])
				if err != nil {
					return err
				}
				if isStr {
					c.SANTitleNumbers = append(c.SANTitleNumbers, s)
				}
			case gn.isContext(1) && !gn.constructed:
				c.SANEmails = append(c.SANEmails, latin1(gn.body))
			case gn.isContext(2) && !gn.constructed:
				c.SANDNSNames = append(c.SANDNSNames, latin1(gn.body))
			}
		}
	case oidExtSubjectSignTool:
		e, err := single(v)
		if err != nil {
			return err
		}
		s, ok, err := decodeString(e)
		if err != nil || !ok {
			return errors.New("subjectSignTool is not a string")
		}
		c.SubjectSignTool = s
	case oidExtIssuerSignTool:
		var buf [6]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		var vals [4]string
		for i, k := range kids {
			if i >= 4 {
				break
			}
			s, ok, err := decodeString(k)
			if err != nil || !ok {
				return errors.New("issuerSignTool field is not a string")
			}
			vals[i] = s
		}
		c.IssuerSignTool = &IssuerSignTool{SignTool: vals[0], CATool: vals[1], SignToolCert: vals[2], CAToolCert: vals[3]}
	case oidExtIdentKind:
		e, err := single(v)
		if err != nil {
			return err
		}
		n, err := parseSmallInt(e)
		if err != nil {
			return err
		}
		c.IdentificationKind = &n
	case oidExtPKUP:
		var buf [6]element
		kids, err := seqOfIn(v, buf[:])
		if err != nil {
			return err
		}
		for _, k := range kids {
			if k.constructed || k.class != classContext {
				return errors.New("malformed privateKeyUsagePeriod")
			}
			t, err := parseTime(element{class: classUniversal, tag: tagGeneralizedTime, body: k.body})
			if err != nil {
				return err
			}
			switch k.tag {
			case 0:
				c.PrivateKeyNotBefore = &t
			case 1:
				c.PrivateKeyNotAfter = &t
			}
		}
	}
	return nil
}

// seqOf reads a SEQUENCE that must fill v and returns its elements.
func seqOf(v []byte) ([]element, error) { return seqOfIn(v, nil) }

// seqOfIn is seqOf into buf when the elements fit (see childrenIn).
func seqOfIn(v []byte, buf []element) ([]element, error) {
	e, err := single(v)
	if err != nil {
		return nil, err
	}
	if !e.is(tagSequence) || !e.constructed {
		return nil, fmt.Errorf("want SEQUENCE, got %v", e)
	}
	return childrenIn(e, buf)
}

// generalNameURI returns the URI of a uniformResourceIdentifier GeneralName.
func generalNameURI(e element) (string, bool) {
	if e.isContext(6) && !e.constructed {
		return latin1(e.body), true
	}
	return "", false
}

// PrivateKeyExpired reports whether the private key usage period ended
// before t.
func (c *Certificate) PrivateKeyExpired(t time.Time) bool {
	return c.PrivateKeyNotAfter != nil && t.After(*c.PrivateKeyNotAfter)
}
