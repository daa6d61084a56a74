package pki

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// CRL is a parsed certificate revocation list (RFC 5280 §5).
type CRL struct {
	Raw, RawTBS, RawIssuer []byte

	Version            int // 1 or 2
	SignatureAlgorithm string
	SignatureValue     []byte
	Issuer             Name
	ThisUpdate         time.Time
	NextUpdate         time.Time // zero when absent
	AuthorityKeyID     []byte
	Number             *big.Int // cRLNumber, nil when absent
	// Delta is set for a delta CRL (deltaCRLIndicator): it lists only the
	// changes since a base CRL and cannot say "not revoked" alone.
	Delta bool
	// IssuingDistributionPoint is set when the CRL has that extension
	// (a partitioned CRL: it may cover only some certificates).
	IssuingDistributionPoint bool
	// Indirect is set when an entry names another certificate issuer.
	Indirect bool
	// FreshestCRL lists the delta CRL addresses (freshestCRL extension).
	FreshestCRL []string
	// UnknownCritical lists critical CRL extensions this parser does not
	// interpret; a relying party must not use such a CRL.
	UnknownCritical []string

	Revoked []RevokedCert
	index   map[string]int // canonical serial → index in Revoked
}

// RevokedCert is one entry of a CRL.
type RevokedCert struct {
	Serial         *big.Int
	RevocationDate time.Time
	// Reason is the CRLReason code, -1 when the entry has none.
	Reason         int
	InvalidityDate time.Time // zero when absent
}

// CRL reason codes (RFC 5280 §5.3.1).
var crlReasons = map[int]string{
	0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged", 4: "superseded",
	5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL", 9: "privilegeWithdrawn", 10: "aACompromise",
}

// ReasonName names a CRLReason code ("keyCompromise"); "" for -1.
func ReasonName(code int) string {
	if code < 0 {
		return ""
	}
	if n, ok := crlReasons[code]; ok {
		return n
	}
	return fmt.Sprintf("reason %d", code)
}

// Extension OIDs of CRLs and their entries.
const (
	oidExtCRLNumber      = "2.5.29.20"
	oidExtReasonCode     = "2.5.29.21"
	oidExtInvalidityDate = "2.5.29.24"
	oidExtDeltaCRL       = "2.5.29.27"
	oidExtIssuingDP      = "2.5.29.28"
	oidExtCertIssuer     = "2.5.29.29"
	oidExtFreshestCRL    = "2.5.29.46"
)

// MaxCRLSize is the largest CRL ParseCRL accepts. The largest real CRLs of
// Russian CAs are a few MiB; the cap keeps a hostile answer from using
// more memory than the HTTP body cap already allows.
const MaxCRLSize = 64 << 20

// CRLParseError is returned for input that is not a CRL.
type CRLParseError struct {
	Where string
	Err   error
}

func (e *CRLParseError) Error() string { return "parse CRL: " + e.Where + ": " + e.Err.Error() }
func (e *CRLParseError) Unwrap() error { return e.Err }

func crlErr(where string, err error) error { return &CRLParseError{Where: where, Err: err} }

// ParseCRL parses a DER CRL, or a PEM one ("-----BEGIN X509 CRL-----"),
// as CRL distribution points serve both.
func ParseCRL(data []byte) (*CRL, error) {
	if len(data) > MaxCRLSize {
		return nil, crlErr("CRL", fmt.Errorf("%d bytes, more than the %d allowed", len(data), MaxCRLSize))
	}
	if der, ok := pemBlock(data, "X509 CRL"); ok {
		data = der
	}
	top, rest, err := readElement(data)
	if err != nil {
		return nil, crlErr("CRL", err)
	}
	if len(bytes.TrimRight(rest, "\x00\r\n\t ")) != 0 {
		return nil, crlErr("CRL", fmt.Errorf("%d trailing bytes", len(rest)))
	}
	if !top.is(tagSequence) || !top.constructed {
		return nil, crlErr("CRL", errors.New("not a SEQUENCE"))
	}
	parts, err := children(top)
	if err != nil {
		return nil, crlErr("CRL", err)
	}
	if len(parts) != 3 {
		return nil, crlErr("CRL", fmt.Errorf("%d elements, want 3", len(parts)))
	}
	l := &CRL{Raw: top.full, RawTBS: parts[0].full}
	if l.SignatureAlgorithm, err = parseAlgorithm(parts[1]); err != nil {
		return nil, crlErr("signatureAlgorithm", err)
	}
	if l.SignatureValue, _, err = bitStringBytes(parts[2]); err != nil {
		return nil, crlErr("signatureValue", err)
	}
	if err := l.parseTBS(parts[0]); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *CRL) parseTBS(tbs element) error {
	if !tbs.is(tagSequence) {
		return crlErr("tbsCertList", errors.New("not a SEQUENCE"))
	}
	f, err := children(tbs)
	if err != nil {
		return crlErr("tbsCertList", err)
	}
	next := (&fieldWalk{list: f}).next
	e, ok := next()
	if !ok {
		return crlErr("tbsCertList", errTruncated)
	}
	l.Version = 1
	if e.is(tagInteger) {
		v, err := parseSmallInt(e)
		if err != nil || v != 1 {
			return crlErr("version", fmt.Errorf("unsupported version %d", v))
		}
		l.Version = 2
		if e, ok = next(); !ok {
			return crlErr("tbsCertList", errTruncated)
		}
	}
	inner, err := parseAlgorithm(e)
	if err != nil {
		return crlErr("signature", err)
	}
	if inner != l.SignatureAlgorithm {
		return crlErr("signature", fmt.Errorf("algorithm %s differs from the outer %s", inner, l.SignatureAlgorithm))
	}
	if e, ok = next(); !ok {
		return crlErr("tbsCertList", errTruncated)
	}
	var notes []string
	if l.Issuer, err = parseName(e, &notes); err != nil {
		return crlErr("issuer", err)
	}
	l.RawIssuer = e.full
	if e, ok = next(); !ok {
		return crlErr("tbsCertList", errTruncated)
	}
	if l.ThisUpdate, err = parseTime(e); err != nil {
		return crlErr("thisUpdate", err)
	}
	e, ok = next()
	if ok && (e.is(tagUTCTime) || e.is(tagGeneralizedTime)) {
		if l.NextUpdate, err = parseTime(e); err != nil {
			return crlErr("nextUpdate", err)
		}
		e, ok = next()
	}
	if ok && e.is(tagSequence) {
		if err := l.parseRevoked(e); err != nil {
			return err
		}
		e, ok = next()
	}
	if ok && e.isContext(0) && e.constructed {
		if err := l.parseExtensions(e); err != nil {
			return err
		}
		e, ok = next()
	}
	if ok {
		return crlErr("tbsCertList", fmt.Errorf("unexpected element %v", e))
	}
	return nil
}

func (l *CRL) parseRevoked(seq element) error {
	l.index = map[string]int{}
	rest := seq.body
	for n := 0; len(rest) > 0; n++ {
		e, r, err := readElement(rest)
		if err != nil {
			return crlErr(fmt.Sprintf("revokedCertificates[%d]", n), err)
		}
		rest = r
		kids, err := children(e)
		if err != nil || !e.is(tagSequence) || len(kids) < 2 || len(kids) > 3 {
			return crlErr(fmt.Sprintf("revokedCertificates[%d]", n), errors.New("malformed entry"))
		}
		if !kids[0].is(tagInteger) || len(kids[0].body) == 0 {
			return crlErr(fmt.Sprintf("revokedCertificates[%d].userCertificate", n), errors.New("not an INTEGER"))
		}
		rc := RevokedCert{Serial: integerValue(kids[0].body), Reason: -1}
		if rc.RevocationDate, err = parseTime(kids[1]); err != nil {
			return crlErr(fmt.Sprintf("revokedCertificates[%d].revocationDate", n), err)
		}
		if len(kids) == 3 {
			if err := l.parseEntryExtensions(kids[2], &rc); err != nil {
				return crlErr(fmt.Sprintf("revokedCertificates[%d].crlEntryExtensions", n), err)
			}
		}
		l.index[serialKey(rc.Serial)] = len(l.Revoked)
		l.Revoked = append(l.Revoked, rc)
	}
	return nil
}

// integerValue decodes a DER INTEGER body (two's complement).
func integerValue(b []byte) *big.Int {
	v := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}

func serialKey(s *big.Int) string {
	if s == nil {
		return ""
	}
	return s.Text(16)
}

// extensionList walks Extensions ::= SEQUENCE OF Extension and calls f
// with each OID, criticality and value.
func extensionList(e element, f func(oid string, critical bool, v []byte) error) error {
	if !e.is(tagSequence) {
		return errors.New("extensions are not a SEQUENCE")
	}
	exts, err := children(e)
	if err != nil {
		return err
	}
	for _, x := range exts {
		kids, err := children(x)
		if err != nil || !x.is(tagSequence) || len(kids) < 2 || len(kids) > 3 {
			return errors.New("malformed extension")
		}
		oid, err := expectOID(kids[0])
		if err != nil {
			return err
		}
		critical := false
		val := kids[1]
		if len(kids) == 3 {
			if critical, _, err = parseBool(kids[1]); err != nil {
				return err
			}
			val = kids[2]
		}
		if !val.is(tagOctetString) {
			return fmt.Errorf("extension %s: value is not an OCTET STRING", oid)
		}
		if err := f(oid, critical, val.body); err != nil {
			return fmt.Errorf("extension %s: %w", oid, err)
		}
	}
	return nil
}

func (l *CRL) parseEntryExtensions(e element, rc *RevokedCert) error {
	return extensionList(e, func(oid string, critical bool, v []byte) error {
		switch oid {
		case oidExtReasonCode:
			x, err := single(v)
			if err != nil || x.tag != 10 || x.class != classUniversal || len(x.body) != 1 {
				return errors.New("malformed reasonCode")
			}
			rc.Reason = int(x.body[0])
		case oidExtInvalidityDate:
			x, err := single(v)
			if err != nil {
				return err
			}
			if rc.InvalidityDate, err = parseTime(x); err != nil {
				return err
			}
		case oidExtCertIssuer:
			l.Indirect = true
		}
		return nil
	})
}

func (l *CRL) parseExtensions(wrapper element) error {
	kids, err := children(wrapper)
	if err != nil || len(kids) != 1 {
		return crlErr("crlExtensions", errors.New("malformed"))
	}
	err = extensionList(kids[0], func(oid string, critical bool, v []byte) error {
		switch oid {
		case oidExtAKI:
			ks, err := seqOf(v)
			if err != nil {
				return err
			}
			for _, k := range ks {
				if k.isContext(0) && !k.constructed {
					l.AuthorityKeyID = k.body
				}
			}
		case oidExtCRLNumber:
			x, err := single(v)
			if err != nil || !x.is(tagInteger) || len(x.body) == 0 || len(x.body) > 20 {
				return errors.New("malformed cRLNumber")
			}
			l.Number = integerValue(x.body)
		case oidExtDeltaCRL:
			l.Delta = true
		case oidExtIssuingDP:
			l.IssuingDistributionPoint = true
		case oidExtFreshestCRL:
			l.FreshestCRL = append(l.FreshestCRL, distributionPointURIs(v)...)
		default:
			if critical {
				l.UnknownCritical = append(l.UnknownCritical, oid)
			}
		}
		return nil
	})
	if err != nil {
		return crlErr("crlExtensions", err)
	}
	return nil
}

// distributionPointURIs extracts the URIs of a CRLDistributionPoints-shaped
// value; malformed parts are skipped.
func distributionPointURIs(v []byte) []string {
	var c Certificate
	var notes []string
	if err := c.parseExtension(oidExtCRLDP, v, &notes); err != nil {
		return nil
	}
	return c.CRLDistributionPoints
}

// Lookup returns the entry of a certificate serial number, if revoked.
func (l *CRL) Lookup(serial *big.Int) (RevokedCert, bool) {
	if l.index == nil || serial == nil {
		return RevokedCert{}, false
	}
	i, ok := l.index[serialKey(serial)]
	if !ok {
		return RevokedCert{}, false
	}
	return l.Revoked[i], true
}

// CheckSignatureFrom verifies that issuer's key signed the CRL (GOST with
// our engine, RSA/ECDSA with the standard library). The error wraps
// ErrBadSignature when the signature is wrong.
func (l *CRL) CheckSignatureFrom(issuer *Certificate) error {
	if issuer == nil {
		return errors.New("check CRL signature: no issuer certificate")
	}
	return checkSignature(l.SignatureAlgorithm, l.RawTBS, l.SignatureValue, issuer)
}

// AuthorityKeyIDHex is the upper-case hex of the CRL's authority key id.
func (l *CRL) AuthorityKeyIDHex() string { return upperHex(l.AuthorityKeyID) }

// ExpiredAt reports whether nextUpdate has passed at t.
func (l *CRL) ExpiredAt(t time.Time) bool { return !l.NextUpdate.IsZero() && t.After(l.NextUpdate) }
