// Package pki parses X.509 certificates the way Russian CA certificates
// really are (GOST keys and signatures, Russian name attributes and
// extensions, the non-DER encodings some accredited CAs issue) and builds
// and verifies certificate chains with one verdict and its reasons.
//
// The parser does not use crypto/x509: of the 2,403 certificates of the
// accredited Russian CAs, crypto/x509 rejects 33 that Windows and CryptoPro
// accept. Tolerance is limited to the value encodings; structure is checked
// strictly and the signed bytes are always the bytes of the input.
package pki

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// IssuerSignTool is the issuerSignTool extension (1.2.643.100.112): the
// signing tool and CA tool of the issuer and their certificates of
// conformity.
type IssuerSignTool struct {
	SignTool, CATool, SignToolCert, CAToolCert string
}

// Certificate is a parsed X.509 certificate.
type Certificate struct {
	Raw, RawTBS, RawSubject, RawIssuer, RawSPKI []byte

	SHA1    string // upper-case hex of SHA-1 over Raw
	Version int    // 1, 2 or 3
	Serial  *big.Int

	Subject, Issuer     Name
	NotBefore, NotAfter time.Time

	// PrivateKeyNotBefore/After come from privateKeyUsagePeriod (2.5.29.16).
	PrivateKeyNotBefore, PrivateKeyNotAfter *time.Time

	SubjectKeyID, AuthorityKeyID []byte

	IsCA, BasicConstraintsPresent bool
	MaxPathLen                    int // -1 when not limited

	KeyUsage        x509.KeyUsage
	KeyUsagePresent bool
	ExtKeyUsage     []string // dotted OIDs
	Policies        []string // dotted OIDs

	CAIssuers, OCSP, CRLDistributionPoints []string

	SubjectSignTool    string          // 1.2.643.100.111
	IssuerSignTool     *IssuerSignTool // 1.2.643.100.112
	IdentificationKind *int            // 1.2.643.100.114

	// SANTitleNumbers are the values of subjectAltName otherName entries
	// with type-id 2.5.4.12 (possibly the Treasury/ГМУ registration number
	// of the organisation — unverified, see domain.md §1.4).
	SANTitleNumbers []string
	SANEmails       []string
	SANDNSNames     []string

	PublicKeyAlgorithm, PublicKeyParamSet, PublicKeyDigest string // dotted OIDs
	PublicKeyBits                                          int
	// PublicKey is the content of the subjectPublicKey BIT STRING.
	PublicKey []byte

	SignatureAlgorithm string // dotted OID
	SignatureValue     []byte // content of the signatureValue BIT STRING

	// Extensions lists the OIDs of all extensions in order; Critical
	// those marked critical. UnknownCritical are critical extensions this
	// package does not interpret.
	Extensions, Critical, UnknownCritical []string

	// NonCanonical lists the non-DER encodings that were accepted.
	NonCanonical []string
}

// ParseError is returned for input that is not a certificate.
type ParseError struct {
	Where string
	Err   error
}

func (e *ParseError) Error() string { return "parse certificate: " + e.Where + ": " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

func perr(where string, err error) error { return &ParseError{Where: where, Err: err} }

// ParseDER parses one DER-encoded certificate. Trailing bytes after the
// certificate are an error.
func ParseDER(der []byte) (*Certificate, error) {
	top, rest, err := readElement(der)
	if err != nil {
		return nil, perr("certificate", err)
	}
	if len(rest) != 0 {
		return nil, perr("certificate", fmt.Errorf("%d trailing bytes after the certificate", len(rest)))
	}
	if !top.is(tagSequence) || !top.constructed {
		return nil, perr("certificate", errors.New("not a SEQUENCE"))
	}
	c := &Certificate{Raw: top.full, MaxPathLen: -1}
	var notes []string
	if top.longLength {
		notes = append(notes, "non-minimal length of the certificate")
	}
	var partsBuf [3]element
	parts, err := childrenIn(top, partsBuf[:])
	if err != nil {
		return nil, perr("certificate", err)
	}
	if len(parts) != 3 {
		return nil, perr("certificate", fmt.Errorf("%d elements, want 3", len(parts)))
	}
	tbs, sigAlg, sigVal := parts[0], parts[1], parts[2]
	if !tbs.is(tagSequence) {
		return nil, perr("tbsCertificate", errors.New("not a SEQUENCE"))
	}
	c.RawTBS = tbs.full
	outerAlg, err := parseAlgorithm(sigAlg)
	if err != nil {
		return nil, perr("signatureAlgorithm", err)
	}
	c.SignatureAlgorithm = outerAlg
	if c.SignatureValue, _, err = bitStringBytes(sigVal); err != nil {
		return nil, perr("signatureValue", err)
	}
	if err := c.parseTBS(tbs, &notes); err != nil {
		return nil, err
	}
	sum := sha1.Sum(c.Raw)
	c.SHA1 = upperHex(sum[:])
	c.NonCanonical = dedupe(notes)
	return c, nil
}

// upperHex is strings.ToUpper(hex.EncodeToString(b)) in one allocation.
func upperHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&0x0f]
	}
	return string(out)
}

func dedupe(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func (c *Certificate) parseTBS(tbs element, notes *[]string) error {
	var fieldsBuf [10]element
	f, err := childrenIn(tbs, fieldsBuf[:])
	if err != nil {
		return perr("tbsCertificate", err)
	}
	next := (&fieldWalk{list: f}).next
	e, ok := next()
	if !ok {
		return perr("tbsCertificate", errTruncated)
	}
	c.Version = 1
	if e.isContext(0) && e.constructed {
		var kidsBuf [1]element
		kids, err := childrenIn(e, kidsBuf[:])
		if err != nil || len(kids) != 1 {
			return perr("version", errors.New("malformed"))
		}
		v, err := parseSmallInt(kids[0])
		if err != nil || v < 0 || v > 2 {
			return perr("version", fmt.Errorf("unsupported version %d", v))
		}
		c.Version = v + 1
		if e, ok = next(); !ok {
			return perr("tbsCertificate", errTruncated)
		}
	}
	if !e.is(tagInteger) || len(e.body) == 0 {
		return perr("serialNumber", errors.New("not an INTEGER"))
	}
	c.Serial = new(big.Int).SetBytes(e.body)
	if e.body[0]&0x80 != 0 {
		// negative serials exist in the wild; keep the two's complement value
		c.Serial.Sub(c.Serial, new(big.Int).Lsh(big.NewInt(1), uint(8*len(e.body))))
		*notes = append(*notes, "negative serial number")
	}
	if e, ok = next(); !ok {
		return perr("tbsCertificate", errTruncated)
	}
	innerAlg, err := parseAlgorithm(e)
	if err != nil {
		return perr("signature", err)
	}
	if innerAlg != c.SignatureAlgorithm {
		return perr("signature", fmt.Errorf("algorithm %s differs from the outer %s", innerAlg, c.SignatureAlgorithm))
	}
	if e, ok = next(); !ok {
		return perr("tbsCertificate", errTruncated)
	}
	if c.Issuer, err = parseName(e, notes); err != nil {
		return perr("issuer", err)
	}
	c.RawIssuer = e.full
	if e, ok = next(); !ok {
		return perr("tbsCertificate", errTruncated)
	}
	if err := c.parseValidity(e); err != nil {
		return perr("validity", err)
	}
	if e, ok = next(); !ok {
		return perr("tbsCertificate", errTruncated)
	}
	if c.Subject, err = parseNameKeyed(e, notes, true); err != nil {
		return perr("subject", err)
	}
	c.RawSubject = e.full
	if e, ok = next(); !ok {
		return perr("tbsCertificate", errTruncated)
	}
	if err := c.parseSPKI(e); err != nil {
		return perr("subjectPublicKeyInfo", err)
	}
	seenExt := false
	for {
		e, ok = next()
		if !ok {
			break
		}
		switch {
		case (e.isContext(1) || e.isContext(2)) && !seenExt:
			// issuerUniqueID / subjectUniqueID: ignored
		case e.isContext(3) && e.constructed && !seenExt:
			seenExt = true
			if err := c.parseExtensions(e, notes); err != nil {
				return err
			}
		default:
			return perr("tbsCertificate", fmt.Errorf("unexpected element %v", e))
		}
	}
	return nil
}

// parseAlgorithm decodes an AlgorithmIdentifier and returns its OID.
func parseAlgorithm(e element) (string, error) {
	if !e.is(tagSequence) {
		return "", errors.New("not a SEQUENCE")
	}
	var kidsBuf [2]element
	kids, err := childrenIn(e, kidsBuf[:])
	if err != nil {
		return "", err
	}
	if len(kids) < 1 || len(kids) > 2 {
		return "", errors.New("malformed algorithm identifier")
	}
	return expectOID(kids[0])
}

func (c *Certificate) parseValidity(e element) error {
	var kidsBuf [2]element
	kids, err := childrenIn(e, kidsBuf[:])
	if err != nil || !e.is(tagSequence) || len(kids) != 2 {
		return errors.New("malformed validity")
	}
	if c.NotBefore, err = parseTime(kids[0]); err != nil {
		return fmt.Errorf("notBefore: %w", err)
	}
	if c.NotAfter, err = parseTime(kids[1]); err != nil {
		return fmt.Errorf("notAfter: %w", err)
	}
	return nil
}

// parseTime decodes UTCTime and GeneralizedTime, also the variants without
// seconds and with a time-zone offset that old encoders produce.
func parseTime(e element) (time.Time, error) {
	if t, ok := parseTimeZ(e); ok {
		return t, nil
	}
	return parseTimeLayouts(e)
}

// parseTimeLayouts is parseTime with time.Parse and every layout.
func parseTimeLayouts(e element) (time.Time, error) {
	s := string(e.body)
	var layouts []string
	switch {
	case e.is(tagUTCTime):
		layouts = []string{"060102150405Z0700", "0601021504Z0700"}
	case e.is(tagGeneralizedTime):
		layouts = []string{"20060102150405Z0700", "20060102150405.999999999Z0700", "200601021504Z0700"}
	default:
		return time.Time{}, fmt.Errorf("want a time, got %v", e)
	}
	for _, l := range layouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if e.is(tagUTCTime) && t.Year() >= 2050 {
			t = t.AddDate(-100, 0, 0)
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

// parseTimeZ reads the two forms DER requires — UTCTime YYMMDDHHMMSSZ and
// GeneralizedTime YYYYMMDDHHMMSSZ — without allocating; ok is false for
// anything else (other forms, out-of-range fields), which parseTime then
// reads with time.Parse. Both give the same instant for these forms.
func parseTimeZ(e element) (time.Time, bool) {
	b := e.body
	year := 0
	switch {
	case e.is(tagUTCTime) && len(b) == 13:
		yy, ok := digits2(b[0:2])
		if !ok {
			return time.Time{}, false
		}
		year = 1900 + yy
		if yy < 50 {
			year = 2000 + yy
		}
		b = b[2:]
	case e.is(tagGeneralizedTime) && len(b) == 15:
		hi, ok1 := digits2(b[0:2])
		lo, ok2 := digits2(b[2:4])
		if !ok1 || !ok2 {
			return time.Time{}, false
		}
		year = hi*100 + lo
		b = b[4:]
	default:
		return time.Time{}, false
	}
	// b is MMDDHHMMSSZ
	if b[10] != 'Z' {
		return time.Time{}, false
	}
	var v [5]int
	for i := range v {
		d, ok := digits2(b[2*i : 2*i+2])
		if !ok {
			return time.Time{}, false
		}
		v[i] = d
	}
	month, day, hour, minute, sec := v[0], v[1], v[2], v[3], v[4]
	if month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	// the last day of the month: day 0 of the next month
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
}

func digits2(b []byte) (int, bool) {
	if b[0] < '0' || b[0] > '9' || b[1] < '0' || b[1] > '9' {
		return 0, false
	}
	return int(b[0]-'0')*10 + int(b[1]-'0'), true
}

// Key algorithm OIDs.
const (
	oidGost2001Key    = "1.2.643.2.2.19"
	oidGost2012Key256 = "1.2.643.7.1.1.1.1"
	oidGost2012Key512 = "1.2.643.7.1.1.1.2"
	oidRSAKey         = "1.2.840.113549.1.1.1"
	oidECKey          = "1.2.840.10045.2.1"
)

// IsGOSTKey reports whether the certificate's key is a GOST R 34.10 key.
func (c *Certificate) IsGOSTKey() bool {
	switch c.PublicKeyAlgorithm {
	case oidGost2001Key, oidGost2012Key256, oidGost2012Key512:
		return true
	}
	return false
}

func (c *Certificate) parseSPKI(e element) error {
	if !e.is(tagSequence) {
		return errors.New("not a SEQUENCE")
	}
	c.RawSPKI = e.full
	var kidsBuf, algBuf [2]element
	kids, err := childrenIn(e, kidsBuf[:])
	if err != nil || len(kids) != 2 {
		return errors.New("malformed")
	}
	alg := kids[0]
	algKids, err := childrenIn(alg, algBuf[:])
	if err != nil || !alg.is(tagSequence) || len(algKids) < 1 || len(algKids) > 2 {
		return errors.New("malformed algorithm")
	}
	if c.PublicKeyAlgorithm, err = expectOID(algKids[0]); err != nil {
		return err
	}
	if c.PublicKey, _, err = bitStringBytes(kids[1]); err != nil {
		return err
	}
	var params *element
	if len(algKids) == 2 {
		params = &algKids[1]
	}
	switch c.PublicKeyAlgorithm {
	case oidGost2001Key, oidGost2012Key256, oidGost2012Key512:
		c.PublicKeyBits = 256
		if c.PublicKeyAlgorithm == oidGost2012Key512 {
			c.PublicKeyBits = 512
		}
		if params == nil || !params.is(tagSequence) {
			return errors.New("GOST key without parameters")
		}
		var psBuf [3]element
		ps, err := childrenIn(*params, psBuf[:])
		if err != nil || len(ps) < 1 || len(ps) > 3 {
			return errors.New("malformed GOST key parameters")
		}
		if c.PublicKeyParamSet, err = expectOID(ps[0]); err != nil {
			return err
		}
		if len(ps) > 1 {
			if c.PublicKeyDigest, err = expectOID(ps[1]); err != nil {
				return err
			}
		}
	case oidECKey:
		if params != nil && params.is(tagOID) {
			c.PublicKeyParamSet, _ = expectOID(*params)
		}
		if k, err := x509.ParsePKIXPublicKey(c.RawSPKI); err == nil {
			c.PublicKeyBits = keyBits(k)
		}
	case oidRSAKey:
		if k, err := x509.ParsePKIXPublicKey(c.RawSPKI); err == nil {
			c.PublicKeyBits = keyBits(k)
		}
	}
	return nil
}

// Equal reports whether two certificates are byte-identical.
func (c *Certificate) Equal(o *Certificate) bool {
	return c != nil && o != nil && bytes.Equal(c.Raw, o.Raw)
}

// IsSelfIssued reports whether subject and issuer are the same name.
func (c *Certificate) IsSelfIssued() bool {
	if bytes.Equal(c.RawSubject, c.RawIssuer) {
		return true
	}
	return sameName(c.Subject, c.Issuer)
}

// ValidAt reports whether t is within [NotBefore, NotAfter].
func (c *Certificate) ValidAt(t time.Time) bool {
	return !t.Before(c.NotBefore) && !t.After(c.NotAfter)
}

// SubjectKeyIDHex and AuthorityKeyIDHex return the key identifiers as
// upper-case hex.
func (c *Certificate) SubjectKeyIDHex() string {
	return upperHex(c.SubjectKeyID)
}

// AuthorityKeyIDHex: see SubjectKeyIDHex.
func (c *Certificate) AuthorityKeyIDHex() string {
	return upperHex(c.AuthorityKeyID)
}
