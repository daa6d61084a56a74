package pki

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Attr is one attribute of a distinguished name.
type Attr struct {
	OID   string // dotted object identifier
	Short string // short name ("CN", "INNLE", …) or the dotted OID when unknown
	Value string // decoded to UTF-8 whatever the ASN.1 string type
}

// Name is a distinguished name in the order of the certificate.
type Name struct {
	Attrs []Attr
	Raw   []byte // DER of the Name
}

// attrShort maps attribute OIDs to the short names OpenSSL and CryptoPro use.
// Sources: RFC 4519 / X.520 (2.5.4.x), PKCS #9 (1.2.840.113549.1.9.x),
// Приказ ФСБ № 795 and OpenSSL objects.txt for the Russian ones (domain.md §2.1).
var attrShort = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.4":                    "SN",
	"2.5.4.5":                    "serialNumber",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.9":                    "STREET",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.12":                   "T",
	"2.5.4.42":                   "G",
	"2.5.4.43":                   "initials",
	"2.5.4.16":                   "postalAddress",
	"2.5.4.17":                   "postalCode",
	"2.5.4.97":                   "organizationIdentifier",
	"0.9.2342.19200300.100.1.25": "DC",
	"0.9.2342.19200300.100.1.1":  "UID",
	"1.2.840.113549.1.9.1":       "E",
	"1.2.840.113549.1.9.2":       "unstructuredName",
	"1.2.643.100.1":              "OGRN",
	"1.2.643.100.3":              "SNILS",
	"1.2.643.100.4":              "INNLE",
	"1.2.643.100.5":              "OGRNIP",
	"1.2.643.3.131.1.1":          "INN",
	"1.2.643.3.61.502710.1.7":    "KPP",
}

var shortToOID = func() map[string]string {
	m := make(map[string]string, len(attrShort))
	for oid, s := range attrShort {
		m[strings.ToUpper(s)] = oid
	}
	// common aliases
	m["GN"] = "2.5.4.42"
	m["TITLE"] = "2.5.4.12"
	m["EMAILADDRESS"] = "1.2.840.113549.1.9.1"
	m["S"] = "2.5.4.8"
	return m
}()

// Get returns the first value of the attribute given by dotted OID or short
// name (case-insensitive), or "".
func (n Name) Get(oidOrShort string) string {
	oid := oidOrShort
	if o, ok := shortToOID[strings.ToUpper(oidOrShort)]; ok {
		oid = o
	}
	for _, a := range n.Attrs {
		if a.OID == oid {
			return a.Value
		}
	}
	return ""
}

// String formats the name RFC 4514-like, "CN=…, O=…", in the attribute
// order of the certificate. Commas and other special characters in values
// are escaped with a backslash; invisible characters are shown as \uXXXX;
// values that are not strings are shown as #hex.
func (n Name) String() string {
	parts := make([]string, 0, len(n.Attrs))
	for _, a := range n.Attrs {
		parts = append(parts, a.Short+"="+escapeValue(a.Value))
	}
	return strings.Join(parts, ", ")
}

func escapeValue(v string) string {
	var b strings.Builder
	for i, r := range v {
		switch {
		case r == ',' || r == '+' || r == '"' || r == '\\' || r == '<' || r == '>' || r == ';' || r == '=':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == ' ' && (i == 0 || i == len(v)-1):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalized is a comparison key for names: OIDs and values, case-folded,
// with white space collapsed (RFC 5280 §7.1 in spirit).
func (n Name) normalized() string {
	size := 0
	for _, a := range n.Attrs {
		size += len(a.OID) + len(a.Value) + 2
	}
	b := make([]byte, 0, size)
	for _, a := range n.Attrs {
		b = append(b, a.OID...)
		b = append(b, '=')
		b = appendFolded(b, a.Value)
		b = append(b, 0)
	}
	return string(b)
}

// appendFolded appends strings.ToLower(strings.Join(strings.Fields(v), " "))
// without the intermediate strings (v is valid UTF-8: decodeString makes
// it so).
func appendFolded(b []byte, v string) []byte {
	space := false
	start := len(b)
	for _, r := range v {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(b) > start {
			b = append(b, ' ')
		}
		space = false
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// parseName decodes a Name (SEQUENCE OF RelativeDistinguishedName). The
// RDNs and attributes are walked in place (no slice of elements per RDN);
// Attrs is allocated once, at its final size.
func parseName(e element, notes *[]string) (Name, error) {
	n := Name{Raw: e.full}
	if !e.is(tagSequence) {
		return n, fmt.Errorf("want name sequence, got %v", e)
	}
	if !e.constructed {
		return n, fmt.Errorf("%v is not constructed", e)
	}
	// The RDNs are read first (as a whole, like every constructed element
	// here), then checked and decoded one by one, in order.
	rdns := 0
	for rest := e.body; len(rest) > 0; rdns++ {
		_, r, err := readElement(rest)
		if err != nil {
			return n, err
		}
		rest = r
	}
	if rdns > 0 {
		n.Attrs = make([]Attr, 0, rdns) // one attribute per RDN is the rule
	}
	for rest := e.body; len(rest) > 0; {
		rdn, r, _ := readElement(rest)
		rest = r
		if !rdn.is(tagSet) {
			return n, fmt.Errorf("want relative distinguished name set, got %v", rdn)
		}
		if !rdn.constructed {
			return n, fmt.Errorf("%v is not constructed", rdn)
		}
		atvs := 0
		for in := rdn.body; len(in) > 0; atvs++ {
			_, r, err := readElement(in)
			if err != nil {
				return n, err
			}
			in = r
		}
		if atvs == 0 {
			return n, errors.New("empty relative distinguished name")
		}
		for in := rdn.body; len(in) > 0; {
			atv, r, _ := readElement(in)
			in = r
			typ, val, err := pair(atv)
			if err != nil {
				return n, errors.New("malformed attribute type and value")
			}
			oid, err := expectOID(typ)
			if err != nil {
				return n, err
			}
			v, canonical, err := attrValue(val, 0)
			if err != nil {
				return n, fmt.Errorf("attribute %s: %w", oid, err)
			}
			if !canonical {
				*notes = append(*notes, fmt.Sprintf("%s-typed attribute %s", typeName(val), oid))
			}
			short, ok := attrShort[oid]
			if !ok {
				short = oid
			}
			n.Attrs = append(n.Attrs, Attr{OID: oid, Short: short, Value: v})
		}
	}
	return n, nil
}

// pair reads a constructed SEQUENCE of exactly two elements.
func pair(e element) (a, b element, err error) {
	if !e.is(tagSequence) || !e.constructed {
		return a, b, errors.New("not a SEQUENCE of two")
	}
	a, rest, err := readElement(e.body)
	if err != nil {
		return a, b, err
	}
	b, rest, err = readElement(rest)
	if err != nil {
		return a, b, err
	}
	if len(rest) != 0 {
		return a, b, errors.New("not a SEQUENCE of two")
	}
	return a, b, nil
}

func typeName(e element) string {
	if e.class == classUniversal {
		switch e.tag {
		case tagSequence:
			return "SEQUENCE"
		case tagSet:
			return "SET"
		case tagOctetString:
			return "OCTET STRING"
		case tagInteger:
			return "INTEGER"
		}
	}
	return fmt.Sprintf("[class %d tag %d]", e.class, e.tag)
}

// attrValue decodes an attribute value. Directory strings are decoded to
// UTF-8 (canonical = true). A SEQUENCE or SET that wraps strings — seen in
// real CA certificates — is accepted: its strings are joined with ", " and
// canonical is false. Any other value is shown as #hex (RFC 4514).
func attrValue(e element, depth int) (string, bool, error) {
	if s, ok, err := decodeString(e); ok || err != nil {
		return s, true, err
	}
	if e.constructed && (e.is(tagSequence) || e.is(tagSet)) && depth < 4 {
		kids, err := children(e)
		if err != nil {
			return "", false, err
		}
		var vals []string
		for _, k := range kids {
			v, _, err := attrValue(k, depth+1)
			if err != nil {
				return "", false, err
			}
			vals = append(vals, v)
		}
		return strings.Join(vals, ", "), false, nil
	}
	return "#" + hex.EncodeToString(e.full), false, nil
}

// decodeString decodes the ASN.1 string types to UTF-8. ok is false when e
// is not a string type.
func decodeString(e element) (s string, ok bool, err error) {
	if e.class != classUniversal || e.constructed {
		return "", false, nil
	}
	b := e.body
	switch e.tag {
	case tagUTF8String:
		if !utf8.Valid(b) {
			return strings.ToValidUTF8(string(b), "\uFFFD"), true, nil
		}
		return string(b), true, nil
	case tagPrintableString, tagIA5String, tagNumericString, tagVisibleString:
		// ASCII types; bytes above 0x7F occur in the wild (CP1251 or
		// Latin-1), shown as Latin-1 rather than rejected.
		return latin1(b), true, nil
	case tagT61String:
		if utf8.Valid(b) {
			return string(b), true, nil
		}
		return latin1(b), true, nil
	case tagBMPString:
		if len(b)%2 != 0 {
			return "", true, errors.New("odd BMPString length")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u)), true, nil
	case tagUniversalString:
		if len(b)%4 != 0 {
			return "", true, errors.New("bad UniversalString length")
		}
		rs := make([]rune, len(b)/4)
		for i := range rs {
			r := rune(b[4*i])<<24 | rune(b[4*i+1])<<16 | rune(b[4*i+2])<<8 | rune(b[4*i+3])
			if !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			rs[i] = r
		}
		return string(rs), true, nil
	}
	return "", false, nil
}

func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	rs := make([]rune, len(b))
	for i, c := range b {
		rs[i] = rune(c)
	}
	return string(rs)
}
