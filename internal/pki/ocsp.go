package pki

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/gost"
)

// OCSP (RFC 6960): a request for one certificate, and the parsed answer.

// OCSP certificate status values.
const (
	OCSPGood    = "good"
	OCSPRevoked = "revoked"
	OCSPUnknown = "unknown"
)

// OCSP responseStatus values other than successful (0).
var ocspStatusNames = map[int]string{
	0: "successful", 1: "malformedRequest", 2: "internalError", 3: "tryLater", 5: "sigRequired", 6: "unauthorized",
}

// OCSPStatusName names an OCSP responseStatus ("tryLater").
func OCSPStatusName(code int) string {
	if n, ok := ocspStatusNames[code]; ok {
		return n
	}
	return fmt.Sprintf("status %d", code)
}

// Hash algorithm OIDs a CertID may use.
const (
	oidSHA1        = "1.3.14.3.2.26"
	oidSHA256      = "2.16.840.1.101.3.4.2.1"
	oidStreebog256 = "1.2.643.7.1.1.2.2"
	oidStreebog512 = "1.2.643.7.1.1.2.3"
	oidGost94      = "1.2.643.2.2.9"
	oidOCSPBasic   = "1.3.6.1.5.5.7.48.1.1"
	oidEKUOCSPSign = "1.3.6.1.5.5.7.3.9"
)

// MaxOCSPSize bounds an OCSP response (a real one is a few KiB).
const MaxOCSPSize = 1 << 20

// OCSPRequest returns a DER OCSP request for cert issued by issuer, with a
// SHA-1 CertID (what CryptoAPI and OpenSSL send, and what every responder
// accepts) and no nonce, so that the same question is the same bytes and a
// snapshot can replay its answer.
func OCSPRequest(cert, issuer *Certificate) ([]byte, error) {
	if cert == nil || issuer == nil || cert.Serial == nil {
		return nil, errors.New("OCSP request: need the certificate and its issuer")
	}
	nameHash := sha1.Sum(issuer.RawSubject)
	keyHash := sha1.Sum(issuer.PublicKey)
	algID := derSeq(derOID(oidSHA1), []byte{0x05, 0x00})
	certID := derSeq(algID, derTLV(0x04, nameHash[:]), derTLV(0x04, keyHash[:]), derTLV(0x02, intBytes(cert.Serial)))
	req := derSeq(certID)
	tbs := derSeq(derSeq(req))
	return derSeq(tbs), nil
}

// intBytes is the DER INTEGER body of v (two's complement, minimal).
func intBytes(v *big.Int) []byte {
	if v.Sign() >= 0 {
		b := v.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	// negative: 2^(8n) + v in the fewest bytes whose top bit is set
	m := new(big.Int).Neg(v)
	n := (m.Sub(m, big.NewInt(1)).BitLen() + 8) / 8
	b := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), uint(8*n)), v).Bytes()
	for len(b) < n {
		b = append([]byte{0xff}, b...)
	}
	return b
}

func derTLV(tag byte, body []byte) []byte {
	n := len(body)
	var l []byte
	switch {
	case n < 0x80:
		l = []byte{byte(n)}
	case n < 0x100:
		l = []byte{0x81, byte(n)}
	case n < 0x10000:
		l = []byte{0x82, byte(n >> 8), byte(n)}
	default:
		l = []byte{0x83, byte(n >> 16), byte(n >> 8), byte(n)}
	}
	out := make([]byte, 0, 1+len(l)+n)
	out = append(append(append(out, tag), l...), body...)
	return out
}

func derSeq(parts ...[]byte) []byte { return derTLV(0x30, bytes.Join(parts, nil)) }

// derOID encodes a dotted OID (only the fixed ones above).
func derOID(oid string) []byte {
	var arcs []uint64
	var cur uint64
	for i := 0; i <= len(oid); i++ {
		if i == len(oid) || oid[i] == '.' {
			arcs = append(arcs, cur)
			cur = 0
			continue
		}
		cur = cur*10 + uint64(oid[i]-'0')
	}
	body := []byte{byte(arcs[0]*40 + arcs[1])}
	for _, a := range arcs[2:] {
		var tmp []byte
		tmp = append(tmp, byte(a&0x7f))
		for a >>= 7; a > 0; a >>= 7 {
			tmp = append(tmp, byte(a&0x7f)|0x80)
		}
		for i := len(tmp) - 1; i >= 0; i-- {
			body = append(body, tmp[i])
		}
	}
	return derTLV(0x06, body)
}

// OCSPResponse is a parsed OCSP answer.
type OCSPResponse struct {
	Raw []byte
	// Status is the responseStatus: 0 successful; otherwise nothing else
	// is set (see OCSPStatusName).
	Status int

	RawTBS             []byte
	SignatureAlgorithm string
	SignatureValue     []byte
	// ResponderName (byName) or ResponderKeyHash (byKey) identify the
	// signer.
	ResponderName    *Name
	RawResponderName []byte
	ResponderKeyHash []byte
	ProducedAt       time.Time
	Responses        []OCSPSingle
	// Certs are the certificates the responder included (a delegated
	// OCSP signing certificate).
	Certs []*Certificate
}

// OCSPSingle is one SingleResponse.
type OCSPSingle struct {
	HashAlgorithm                 string // CertID hash OID
	IssuerNameHash, IssuerKeyHash []byte
	Serial                        *big.Int
	Status                        string // OCSPGood, OCSPRevoked, OCSPUnknown
	RevokedAt                     time.Time
	Reason                        int // CRLReason, -1 when none
	ThisUpdate                    time.Time
	NextUpdate                    time.Time // zero when absent
}

// OCSPParseError is returned for input that is not an OCSP response.
type OCSPParseError struct {
	Where string
	Err   error
}

func (e *OCSPParseError) Error() string {
	return "parse OCSP response: " + e.Where + ": " + e.Err.Error()
}
func (e *OCSPParseError) Unwrap() error { return e.Err }

func ocspErr(where string, err error) error { return &OCSPParseError{Where: where, Err: err} }

// ParseOCSPResponse parses a DER OCSP response.
func ParseOCSPResponse(data []byte) (*OCSPResponse, error) {
	if len(data) > MaxOCSPSize {
		return nil, ocspErr("response", fmt.Errorf("%d bytes, more than the %d allowed", len(data), MaxOCSPSize))
	}
	top, rest, err := readElement(data)
	if err != nil {
		return nil, ocspErr("response", err)
	}
	if len(rest) != 0 {
		return nil, ocspErr("response", fmt.Errorf("%d trailing bytes", len(rest)))
	}
	kids, err := children(top)
	if err != nil || !top.is(tagSequence) || len(kids) < 1 || len(kids) > 2 {
		return nil, ocspErr("response", errors.New("not an OCSPResponse SEQUENCE"))
	}
	st := kids[0]
	if st.class != classUniversal || st.tag != 10 || len(st.body) != 1 {
		return nil, ocspErr("responseStatus", errors.New("not an ENUMERATED"))
	}
	r := &OCSPResponse{Raw: top.full, Status: int(st.body[0])}
	if r.Status != 0 {
		return r, nil
	}
	if len(kids) != 2 || !kids[1].isContext(0) {
		return nil, ocspErr("responseBytes", errors.New("missing"))
	}
	rb, err := children(kids[1])
	if err != nil || len(rb) != 1 {
		return nil, ocspErr("responseBytes", errors.New("malformed"))
	}
	rbk, err := children(rb[0])
	if err != nil || len(rbk) != 2 {
		return nil, ocspErr("responseBytes", errors.New("malformed"))
	}
	typ, err := expectOID(rbk[0])
	if err != nil {
		return nil, ocspErr("responseType", err)
	}
	if typ != oidOCSPBasic {
		return nil, ocspErr("responseType", fmt.Errorf("%s is not a basic OCSP response", typ))
	}
	if !rbk[1].is(tagOctetString) {
		return nil, ocspErr("response", errors.New("not an OCTET STRING"))
	}
	if err := r.parseBasic(rbk[1].body); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *OCSPResponse) parseBasic(b []byte) error {
	e, err := single(b)
	if err != nil {
		return ocspErr("BasicOCSPResponse", err)
	}
	kids, err := children(e)
	if err != nil || !e.is(tagSequence) || len(kids) < 3 || len(kids) > 4 {
		return ocspErr("BasicOCSPResponse", errors.New("malformed"))
	}
	r.RawTBS = kids[0].full
	if r.SignatureAlgorithm, err = parseAlgorithm(kids[1]); err != nil {
		return ocspErr("signatureAlgorithm", err)
	}
	if r.SignatureValue, _, err = bitStringBytes(kids[2]); err != nil {
		return ocspErr("signature", err)
	}
	if len(kids) == 4 {
		if !kids[3].isContext(0) {
			return ocspErr("certs", errors.New("unexpected element"))
		}
		w, err := children(kids[3])
		if err != nil || len(w) != 1 {
			return ocspErr("certs", errors.New("malformed"))
		}
		list, err := children(w[0])
		if err != nil {
			return ocspErr("certs", err)
		}
		if len(list) > 16 {
			return ocspErr("certs", fmt.Errorf("%d certificates, more than 16", len(list)))
		}
		for i, c := range list {
			cert, err := ParseDER(c.full)
			if err != nil {
				return ocspErr(fmt.Sprintf("certs[%d]", i), err)
			}
			r.Certs = append(r.Certs, cert)
		}
	}
	return r.parseTBS(kids[0])
}

func (r *OCSPResponse) parseTBS(e element) error {
	kids, err := children(e)
	if err != nil || !e.is(tagSequence) || len(kids) < 3 {
		return ocspErr("tbsResponseData", errors.New("malformed"))
	}
	i := 0
	if kids[0].isContext(0) {
		i++
	}
	if len(kids) < i+3 {
		return ocspErr("tbsResponseData", errTruncated)
	}
	rid := kids[i]
	inner, err := children(rid)
	if err != nil || len(inner) != 1 {
		return ocspErr("responderID", errors.New("malformed"))
	}
	switch {
	case rid.isContext(1):
		var notes []string
		n, err := parseName(inner[0], &notes)
		if err != nil {
			return ocspErr("responderID", err)
		}
		r.ResponderName, r.RawResponderName = &n, inner[0].full
	case rid.isContext(2):
		if !inner[0].is(tagOctetString) {
			return ocspErr("responderID", errors.New("byKey is not an OCTET STRING"))
		}
		r.ResponderKeyHash = inner[0].body
	default:
		return ocspErr("responderID", errors.New("neither byName nor byKey"))
	}
	if r.ProducedAt, err = parseTime(kids[i+1]); err != nil {
		return ocspErr("producedAt", err)
	}
	list, err := children(kids[i+2])
	if err != nil || !kids[i+2].is(tagSequence) {
		return ocspErr("responses", errors.New("malformed"))
	}
	for n, s := range list {
		sr, err := parseSingle(s)
		if err != nil {
			return ocspErr(fmt.Sprintf("responses[%d]", n), err)
		}
		r.Responses = append(r.Responses, sr)
	}
	return nil
}

func parseSingle(e element) (OCSPSingle, error) {
	var s OCSPSingle
	kids, err := children(e)
	if err != nil || !e.is(tagSequence) || len(kids) < 3 {
		return s, errors.New("malformed SingleResponse")
	}
	id, err := children(kids[0])
	if err != nil || !kids[0].is(tagSequence) || len(id) != 4 {
		return s, errors.New("malformed certID")
	}
	if s.HashAlgorithm, err = parseAlgorithm(id[0]); err != nil {
		return s, fmt.Errorf("certID hashAlgorithm: %w", err)
	}
	if !id[1].is(tagOctetString) || !id[2].is(tagOctetString) || !id[3].is(tagInteger) || len(id[3].body) == 0 {
		return s, errors.New("malformed certID")
	}
	s.IssuerNameHash, s.IssuerKeyHash, s.Serial = id[1].body, id[2].body, integerValue(id[3].body)
	st := kids[1]
	s.Reason = -1
	switch {
	case st.isContext(0):
		s.Status = OCSPGood
	case st.isContext(1) && st.constructed:
		s.Status = OCSPRevoked
		ri, err := children(st)
		if err != nil || len(ri) < 1 {
			return s, errors.New("malformed revokedInfo")
		}
		if s.RevokedAt, err = parseTime(ri[0]); err != nil {
			return s, fmt.Errorf("revocationTime: %w", err)
		}
		if len(ri) > 1 && ri[1].isContext(0) {
			rr, err := children(ri[1])
			if err == nil && len(rr) == 1 && rr[0].tag == 10 && len(rr[0].body) == 1 {
				s.Reason = int(rr[0].body[0])
			}
		}
	case st.isContext(2):
		s.Status = OCSPUnknown
	default:
		return s, errors.New("unknown certStatus")
	}
	if s.ThisUpdate, err = parseTime(kids[2]); err != nil {
		return s, fmt.Errorf("thisUpdate: %w", err)
	}
	for _, k := range kids[3:] {
		if k.isContext(0) {
			nu, err := children(k)
			if err != nil || len(nu) != 1 {
				return s, errors.New("malformed nextUpdate")
			}
			if s.NextUpdate, err = parseTime(nu[0]); err != nil {
				return s, fmt.Errorf("nextUpdate: %w", err)
			}
		}
	}
	return s, nil
}

func certIDHash(alg string) hash.Hash {
	switch alg {
	case oidSHA1:
		return sha1.New()
	case oidSHA256:
		return sha256.New()
	case oidStreebog256:
		return gost.NewStreebog256()
	case oidStreebog512:
		return gost.NewStreebog512()
	case oidGost94:
		return gost.New341194()
	}
	return nil
}

func hashOf(alg string, b []byte) []byte {
	h := certIDHash(alg)
	if h == nil {
		return nil
	}
	h.Write(b)
	return h.Sum(nil)
}

// Find returns the answer about cert (issued by issuer): the serial must
// match and the CertID's issuer hashes must be the issuer's.
func (r *OCSPResponse) Find(cert, issuer *Certificate) (OCSPSingle, bool) {
	if cert == nil || issuer == nil {
		return OCSPSingle{}, false
	}
	for _, s := range r.Responses {
		if s.Serial == nil || cert.Serial == nil || s.Serial.Cmp(cert.Serial) != 0 {
			continue
		}
		if bytes.Equal(hashOf(s.HashAlgorithm, issuer.PublicKey), s.IssuerKeyHash) &&
			bytes.Equal(hashOf(s.HashAlgorithm, issuer.RawSubject), s.IssuerNameHash) {
			return s, true
		}
	}
	return OCSPSingle{}, false
}

// ErrOCSPSigner means no certificate allowed to sign the response was
// found: neither the issuer nor a delegated OCSP signing certificate it
// issued.
var ErrOCSPSigner = errors.New("the response is not signed by the issuer or a responder it authorised")

// Verify checks that the response was signed by issuer, or by a
// certificate issuer signed with the OCSP signing extended key usage, and
// returns the signer. The error wraps ErrBadSignature for a wrong
// signature and ErrOCSPSigner when the signer is not authorised.
func (r *OCSPResponse) Verify(issuer *Certificate) (*Certificate, error) {
	if r.Status != 0 {
		return nil, fmt.Errorf("verify OCSP response: status %s has no signature", OCSPStatusName(r.Status))
	}
	if issuer == nil {
		return nil, errors.New("verify OCSP response: no issuer certificate")
	}
	if r.identifies(issuer) {
		if err := checkSignature(r.SignatureAlgorithm, r.RawTBS, r.SignatureValue, issuer); err != nil {
			return nil, fmt.Errorf("verify OCSP response: %w", err)
		}
		return issuer, nil
	}
	var lastErr error = ErrOCSPSigner
	for _, c := range r.Certs {
		if !r.identifies(c) {
			continue
		}
		if !hasEKU(c, oidEKUOCSPSign) {
			lastErr = fmt.Errorf("the responder certificate %s lacks the OCSP signing usage: %w", c.DisplayName(), ErrOCSPSigner)
			continue
		}
		if err := c.CheckSignatureFrom(issuer); err != nil {
			lastErr = fmt.Errorf("the responder certificate %s is not issued by %s: %w", c.DisplayName(), issuer.DisplayName(), ErrOCSPSigner)
			continue
		}
		if err := checkSignature(r.SignatureAlgorithm, r.RawTBS, r.SignatureValue, c); err != nil {
			return nil, fmt.Errorf("verify OCSP response: %w", err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("verify OCSP response: %w", lastErr)
}

// identifies reports whether the responderID names c.
func (r *OCSPResponse) identifies(c *Certificate) bool {
	if r.ResponderKeyHash != nil {
		h := sha1.Sum(c.PublicKey)
		return bytes.Equal(h[:], r.ResponderKeyHash)
	}
	if r.ResponderName != nil {
		return bytes.Equal(r.RawResponderName, c.RawSubject) || sameName(*r.ResponderName, c.Subject)
	}
	return false
}

func hasEKU(c *Certificate, oid string) bool {
	for _, e := range c.ExtKeyUsage {
		if e == oid {
			return true
		}
	}
	return false
}
