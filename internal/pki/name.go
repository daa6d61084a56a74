package pki

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
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

// Name is a distinguished name in the order of the certificate. Its
// attributes are decoded on first use and kept (most names of a store of
// thousands of CA certificates are never shown); copies of a Name share
// the decoded attributes. A parsed Name was checked when its certificate
// was parsed, so decoding it later cannot fail.
type Name struct {
	Raw []byte // DER of the Name
	d   *nameData
}

// nameData is what a Name decodes lazily: its attributes and its
// comparison key.
type nameData struct {
	attrsOnce sync.Once
	attrs     []Attr
	keyOnce   sync.Once
	key       string
	hashOnce  sync.Once
	hash      uint64
}

// NewName makes a Name of the given attributes (Raw is empty): for callers
// and tests that build a name rather than parse one.
func NewName(attrs ...Attr) Name {
	d := &nameData{attrs: attrs}
	d.attrsOnce.Do(func() {})
	return Name{d: d}
}

// Attrs returns the attributes in the order of the certificate. The slice
// is shared by every copy of the Name: read it, do not change it (build a
// new Name with NewName instead).
func (n Name) Attrs() []Attr {
	if n.d == nil {
		return decodeAttrs(n.Raw)
	}
	n.d.attrsOnce.Do(func() {
		if n.d.attrs == nil {
			n.d.attrs = decodeAttrs(n.Raw)
		}
	})
	return n.d.attrs
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
	for _, a := range n.Attrs() {
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
	attrs := n.Attrs()
	parts := make([]string, 0, len(attrs))
	for _, a := range attrs {
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
// with white space collapsed (RFC 5280 §7.1 in spirit). It is made from
// the DER without decoding the attributes into strings, and kept.
func (n Name) normalized() string {
	if n.d == nil {
		return string(n.appendKey(nil))
	}
	n.d.keyOnce.Do(func() { n.d.key = string(n.appendKey(nil)) })
	return n.d.key
}

// keySeed seeds the hashes of name keys (random per process: no input can
// be made to collide on purpose).
var keySeed = maphash.MakeSeed()

// keyHash is a hash of the comparison key, kept: pools index names by it
// without making the key string of every certificate.
func (n Name) keyHash() uint64 {
	if n.d == nil {
		var buf [512]byte
		return maphash.Bytes(keySeed, n.appendKey(buf[:0]))
	}
	n.d.hashOnce.Do(func() {
		var buf [512]byte
		n.d.hash = maphash.Bytes(keySeed, n.appendKey(buf[:0]))
	})
	return n.d.hash
}

// sameName reports whether a and b are the same name: byte-identical DER,
// or the same comparison key.
func sameName(a, b Name) bool {
	if len(a.Raw) > 0 && bytes.Equal(a.Raw, b.Raw) {
		return true
	}
	return a.keyHash() == b.keyHash() && a.normalized() == b.normalized()
}

// appendKey appends the comparison key to b.
func (n Name) appendKey(b []byte) []byte {
	if n.d != nil && len(n.Raw) == 0 {
		// a Name built with NewName
		for _, a := range n.Attrs() {
			b = appendKeyAttr(b, a.OID, []byte(a.Value))
		}
		return b
	}
	e, _, err := readElement(n.Raw)
	if err != nil {
		return b
	}
	var buf [256]byte
	scratch := buf[:0]
	_ = walkName(e, func(oid string, val element) error {
		scratch, _, _ = appendValue(scratch[:0], val, 0, true)
		b = appendKeyAttr(b, oid, scratch)
		return nil
	})
	return b
}

// appendKeyAttr appends one attribute of the comparison key: the OID, "=",
// the folded value and a NUL.
func appendKeyAttr(b []byte, oid string, value []byte) []byte {
	b = append(b, oid...)
	b = append(b, '=')
	b = appendFolded(b, value)
	return append(b, 0)
}

// appendFolded appends strings.ToLower(strings.Join(strings.Fields(v), " "))
// without the intermediate strings. Latin and Cyrillic letters are folded
// without the Unicode tables.
func appendFolded(b []byte, v []byte) []byte {
	space := false
	start := len(b)
	for i := 0; i < len(v); {
		c := v[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || '\t' <= c && c <= '\r' {
				space = true
				continue
			}
			if space && len(b) > start {
				b = append(b, ' ')
			}
			space = false
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			continue
		}
		r, size := utf8.DecodeRune(v[i:])
		i += size
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(b) > start {
			b = append(b, ' ')
		}
		space = false
		switch {
		case 0x0410 <= r && r <= 0x042F: // А..Я
			r += 0x20
		case 0x0400 <= r && r <= 0x040F: // Ѐ..Џ
			r += 0x50
		case 0x0430 <= r && r <= 0x045F: // а..я, ѐ..џ: already lower case
		default:
			r = unicode.ToLower(r)
		}
		b = utf8.AppendRune(b, r)
	}
	return b
}

// walkName checks the structure of a Name (SEQUENCE OF
// RelativeDistinguishedName) and calls fn with each attribute's OID and
// value, in order; fn's error ends the walk. The RDNs and attributes are
// walked in place.
func walkName(e element, fn func(oid string, val element) error) error {
	if !e.is(tagSequence) {
		return fmt.Errorf("want name sequence, got %v", e)
	}
	if !e.constructed {
		return fmt.Errorf("%v is not constructed", e)
	}
	// The RDNs are read first (as a whole, like every constructed element
	// here), then checked and walked one by one, in order.
	for rest := e.body; len(rest) > 0; {
		_, r, err := readElement(rest)
		if err != nil {
			return err
		}
		rest = r
	}
	for rest := e.body; len(rest) > 0; {
		rdn, r, _ := readElement(rest)
		rest = r
		if !rdn.is(tagSet) {
			return fmt.Errorf("want relative distinguished name set, got %v", rdn)
		}
		if !rdn.constructed {
			return fmt.Errorf("%v is not constructed", rdn)
		}
		atvs := 0
		for in := rdn.body; len(in) > 0; atvs++ {
			_, r, err := readElement(in)
			if err != nil {
				return err
			}
			in = r
		}
		if atvs == 0 {
			return errors.New("empty relative distinguished name")
		}
		for in := rdn.body; len(in) > 0; {
			atv, r, _ := readElement(in)
			in = r
			typ, val, err := pair(atv)
			if err != nil {
				return errors.New("malformed attribute type and value")
			}
			oid, err := expectOID(typ)
			if err != nil {
				return err
			}
			if err := fn(oid, val); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseName checks a Name as the certificate is parsed (structure, every
// value decodable; non-canonical values noted) without decoding it into
// strings: Attrs does that on first use.
func parseName(e element, notes *[]string) (Name, error) { return parseNameKeyed(e, notes, false) }

// parseNameKeyed is parseName that, with key true, also makes the name's
// key hash in the same walk: a certificate's subject, which every pool
// indexes (the parse of a large store runs on every CPU, the pools do not).
func parseNameKeyed(e element, notes *[]string, key bool) (Name, error) {
	n := Name{Raw: e.full}
	var kbuf [512]byte
	var vbuf [256]byte
	k, value := kbuf[:0], vbuf[:0]
	err := walkName(e, func(oid string, val element) error {
		var canonical bool
		var err error
		value, canonical, err = appendValue(value[:0], val, 0, key)
		if err != nil {
			return fmt.Errorf("attribute %s: %w", oid, err)
		}
		if !canonical {
			*notes = append(*notes, fmt.Sprintf("%s-typed attribute %s", typeName(val), oid))
		}
		if key {
			k = appendKeyAttr(k, oid, value)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	n.d = &nameData{}
	if key {
		h := maphash.Bytes(keySeed, k)
		n.d.hashOnce.Do(func() { n.d.hash = h })
	}
	return n, nil
}

// decodeAttrs decodes the attributes of the DER of a Name (nil when it is
// not one: a parsed Name always is).
func decodeAttrs(raw []byte) []Attr {
	e, _, err := readElement(raw)
	if err != nil {
		return nil
	}
	count := 0
	if walkName(e, func(string, element) error { count++; return nil }) != nil || count == 0 {
		return nil
	}
	attrs := make([]Attr, 0, count)
	_ = walkName(e, func(oid string, val element) error {
		v, _, err := attrValue(val, 0)
		if err != nil {
			return err
		}
		short, ok := attrShort[oid]
		if !ok {
			short = oid
		}
		attrs = append(attrs, Attr{OID: oid, Short: short, Value: v})
		return nil
	})
	return attrs
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
	b, canonical, err := appendValue(nil, e, depth, true)
	return string(b), canonical, err
}

// appendValue appends the value attrValue decodes to dst. With decode
// false it only checks the value (errors and canonical are the same) and
// appends nothing.
func appendValue(dst []byte, e element, depth int, decode bool) ([]byte, bool, error) {
	if out, ok, err := appendString(dst, e, decode); ok || err != nil {
		return out, true, err
	}
	if e.constructed && (e.is(tagSequence) || e.is(tagSet)) && depth < 4 {
		var check [4]element
		if _, err := childrenIn(e, check[:]); err != nil {
			return dst, false, err
		}
		for rest, i := e.body, 0; len(rest) > 0; i++ {
			k, r, _ := readElement(rest)
			rest = r
			if i > 0 && decode {
				dst = append(dst, ", "...)
			}
			var err error
			if dst, _, err = appendValue(dst, k, depth+1, decode); err != nil {
				return dst, false, err
			}
		}
		return dst, false, nil
	}
	if !decode {
		return dst, false, nil
	}
	const digits = "0123456789abcdef"
	dst = append(dst, '#')
	for _, c := range e.full {
		dst = append(dst, digits[c>>4], digits[c&0x0f])
	}
	return dst, false, nil
}

// decodeString decodes the ASN.1 string types to UTF-8. ok is false when e
// is not a string type.
func decodeString(e element) (s string, ok bool, err error) {
	if e.class == classUniversal && !e.constructed && e.tag == tagUTF8String && utf8.Valid(e.body) {
		return string(e.body), true, nil
	}
	b, ok, err := appendString(nil, e, true)
	return string(b), ok, err
}

// appendString appends the UTF-8 of an ASN.1 string to dst. ok is false
// when e is not a string type. With decode false it only checks (the
// errors are the same) and appends nothing.
func appendString(dst []byte, e element, decode bool) (out []byte, ok bool, err error) {
	if e.class != classUniversal || e.constructed {
		return dst, false, nil
	}
	b := e.body
	if !decode {
		switch e.tag {
		case tagUTF8String, tagPrintableString, tagIA5String, tagNumericString, tagVisibleString, tagT61String:
			return dst, true, nil
		case tagBMPString:
			if len(b)%2 != 0 {
				return dst, true, errors.New("odd BMPString length")
			}
			return dst, true, nil
		case tagUniversalString:
			if len(b)%4 != 0 {
				return dst, true, errors.New("bad UniversalString length")
			}
			return dst, true, nil
		}
		return dst, false, nil
	}
	switch e.tag {
	case tagUTF8String:
		if !utf8.Valid(b) {
			return append(dst, strings.ToValidUTF8(string(b), "\uFFFD")...), true, nil
		}
		return append(dst, b...), true, nil
	case tagPrintableString, tagIA5String, tagNumericString, tagVisibleString:
		// ASCII types; bytes above 0x7F occur in the wild (CP1251 or
		// Latin-1), shown as Latin-1 rather than rejected.
		return appendLatin1(dst, b), true, nil
	case tagT61String:
		if utf8.Valid(b) {
			return append(dst, b...), true, nil
		}
		return appendLatin1(dst, b), true, nil
	case tagBMPString:
		if len(b)%2 != 0 {
			return dst, true, errors.New("odd BMPString length")
		}
		for i := 0; i < len(b); i += 2 {
			r := rune(b[i])<<8 | rune(b[i+1])
			if utf16.IsSurrogate(r) {
				r2 := rune(utf8.RuneError)
				if i+3 < len(b) {
					r2 = rune(b[i+2])<<8 | rune(b[i+3])
				}
				if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
					r = p
					i += 2
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		}
		return dst, true, nil
	case tagUniversalString:
		if len(b)%4 != 0 {
			return dst, true, errors.New("bad UniversalString length")
		}
		for i := 0; i < len(b); i += 4 {
			r := rune(b[i])<<24 | rune(b[i+1])<<16 | rune(b[i+2])<<8 | rune(b[i+3])
			if !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
		}
		return dst, true, nil
	}
	return dst, false, nil
}

func latin1(b []byte) string {
	for _, c := range b {
		if c >= 0x80 {
			return string(appendLatin1(make([]byte, 0, 2*len(b)), b))
		}
	}
	return string(b)
}

func appendLatin1(dst, b []byte) []byte {
	for _, c := range b {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}
