package pki

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
)

// A small, tolerant DER reader. encoding/asn1 rejects encodings that real
// Russian CA certificates contain (BOOLEAN true encoded as 0x01, attribute
// values typed SEQUENCE), so certificates are walked by hand. The reader is
// strict about what matters for security: every length must fit inside its
// parent, indefinite lengths are refused, and the bytes of every element are
// sub-slices of the input, so the signed TBS bytes are exactly the original
// ones.

// ASN.1 universal tags used here.
const (
	tagBoolean         = 1
	tagInteger         = 2
	tagBitString       = 3
	tagOctetString     = 4
	tagNull            = 5
	tagOID             = 6
	tagUTF8String      = 12
	tagSequence        = 16
	tagSet             = 17
	tagNumericString   = 18
	tagPrintableString = 19
	tagT61String       = 20
	tagIA5String       = 22
	tagUTCTime         = 23
	tagGeneralizedTime = 24
	tagVisibleString   = 26
	tagUniversalString = 28
	tagBMPString       = 30
)

// ASN.1 classes.
const (
	classUniversal   = 0
	classApplication = 1
	classContext     = 2
	classPrivate     = 3
)

// maxDepth bounds the nesting the reader follows (names, extensions).
const maxDepth = 32

var errTruncated = errors.New("truncated")

// element is one decoded TLV.
type element struct {
	full        []byte // tag, length and contents
	body        []byte // contents only
	tag         int32
	class       uint8
	constructed bool
	longLength  bool // length in long form where the short form would do
}

// is reports whether e has the universal tag t.
func (e element) is(t int) bool { return e.class == classUniversal && e.tag == int32(t) }

// isContext reports whether e has the context-specific tag t.
func (e element) isContext(t int) bool { return e.class == classContext && e.tag == int32(t) }

func (e element) String() string {
	return fmt.Sprintf("class %d tag %d", e.class, e.tag)
}

// readElement reads one TLV from b and returns it and the bytes after it.
func readElement(b []byte) (element, []byte, error) {
	var e element
	if len(b) < 2 {
		return e, nil, errTruncated
	}
	i := 0
	first := b[i]
	i++
	e.class = first >> 6
	e.constructed = first&0x20 != 0
	tag := int(first & 0x1f)
	if tag == 0x1f {
		// High tag number form: base-128, at most 4 bytes here.
		tag = 0
		for n := 0; ; n++ {
			if i >= len(b) {
				return e, nil, errTruncated
			}
			if n == 4 {
				return e, nil, errors.New("tag number too large")
			}
			c := b[i]
			i++
			tag = tag<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	e.tag = int32(tag)
	if i >= len(b) {
		return e, nil, errTruncated
	}
	l := int(b[i])
	i++
	if l == 0x80 {
		return e, nil, errors.New("indefinite length is not DER")
	}
	if l > 0x80 {
		n := l & 0x7f
		if n > 4 {
			return e, nil, errors.New("length too large")
		}
		if i+n > len(b) {
			return e, nil, errTruncated
		}
		l = 0
		for k := 0; k < n; k++ {
			l = l<<8 | int(b[i+k])
		}
		i += n
		if l < 0x80 || (n > 1 && b[i-n] == 0) {
			e.longLength = true
		}
	}
	if l < 0 || l > len(b)-i {
		return e, nil, fmt.Errorf("length %d exceeds the %d bytes available", l, len(b)-i)
	}
	e.body = b[i : i+l]
	e.full = b[:i+l]
	return e, b[i+l:], nil
}

// children splits the body of a constructed element into its elements.
func children(e element) ([]element, error) { return split(e, readElement, nil) }

// childrenIn is children into buf when the elements fit (no allocation:
// callers pass an array on their stack). Errors are children's.
func childrenIn(e element, buf []element) ([]element, error) { return split(e, readElement, buf) }

// split splits the body of a constructed element with read. The elements
// are counted first (and kept in buf while they fit), so that the result is
// buf itself or one allocation of the right size (certificates are made of
// many small sequences).
func split(e element, read func([]byte) (element, []byte, error), buf []element) ([]element, error) {
	if !e.constructed {
		return nil, fmt.Errorf("%v is not constructed", e)
	}
	n := 0
	for rest := e.body; len(rest) > 0; n++ {
		c, r, err := read(rest)
		if err != nil {
			return nil, err
		}
		if n < len(buf) {
			buf[n] = c
		}
		rest = r
	}
	switch {
	case n == 0:
		return nil, nil
	case n <= len(buf):
		return buf[:n], nil
	}
	out := make([]element, 0, n)
	for rest := e.body; len(rest) > 0; {
		c, r, _ := read(rest)
		out = append(out, c)
		rest = r
	}
	return out, nil
}

// parseOID decodes an OBJECT IDENTIFIER body into dotted form. The OIDs
// this package and its users name (algorithms, extensions, attributes,
// policies) come from a table without formatting or allocation; others are
// formatted into one string.
func parseOID(b []byte) (string, error) {
	if len(b) == 0 {
		return "", errors.New("empty object identifier")
	}
	if s, ok := knownOIDs()[string(b)]; ok {
		return s, nil
	}
	return formatOID(b)
}

// formatOID formats an OBJECT IDENTIFIER body as dotted decimal.
func formatOID(b []byte) (string, error) {
	if len(b) == 0 {
		return "", errors.New("empty object identifier")
	}
	var buf [64]byte
	out := buf[:0]
	var v uint64
	first := true
	for i, c := range b {
		if v > 1<<56 {
			return "", errors.New("object identifier arc too large")
		}
		v = v<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			if i == len(b)-1 {
				return "", errors.New("truncated object identifier")
			}
			continue
		}
		if first {
			first = false
			switch {
			case v < 40:
				out = append(out, '0', '.')
			case v < 80:
				out = append(out, '1', '.')
				v -= 40
			default:
				out = append(out, '2', '.')
				v -= 80
			}
		} else {
			out = append(out, '.')
		}
		out = strconv.AppendUint(out, v, 10)
		v = 0
	}
	return string(out), nil
}

// encodeOID is the DER body of a dotted OID ("" when it is not one).
func encodeOID(dotted string) string {
	var arcs []uint64
	var v uint64
	digits := 0
	for i := 0; i <= len(dotted); i++ {
		if i == len(dotted) || dotted[i] == '.' {
			if digits == 0 {
				return ""
			}
			arcs = append(arcs, v)
			v, digits = 0, 0
			continue
		}
		c := dotted[i]
		if c < '0' || c > '9' || v > 1<<56 {
			return ""
		}
		v = v*10 + uint64(c-'0')
		digits++
	}
	if len(arcs) < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) {
		return ""
	}
	var out []byte
	arcs = append([]uint64{arcs[0]*40 + arcs[1]}, arcs[2:]...)
	for _, a := range arcs {
		var tmp [10]byte
		n := len(tmp)
		n--
		tmp[n] = byte(a & 0x7f)
		for a >>= 7; a > 0; a >>= 7 {
			n--
			tmp[n] = byte(a&0x7f) | 0x80
		}
		out = append(out, tmp[n:]...)
	}
	return string(out)
}

var (
	knownOIDsOnce sync.Once
	knownOIDsMap  map[string]string
)

// knownOIDs maps the DER bodies of the OIDs the package knows to their
// dotted strings; built on first use, not at start-up.
func knownOIDs() map[string]string {
	knownOIDsOnce.Do(func() {
		m := map[string]string{}
		add := func(dotted string) {
			if der := encodeOID(dotted); der != "" {
				m[der] = dotted
			}
		}
		for oid := range attrShort {
			add(oid)
		}
		for oid := range oidNames {
			add(oid)
		}
		for oid := range understood {
			add(oid)
		}
		for _, oid := range commonOIDs {
			add(oid)
		}
		knownOIDsMap = m
	})
	return knownOIDsMap
}

// commonOIDs are further OIDs met in nearly every certificate.
var commonOIDs = []string{
	oidGost2001Key, oidGost2012Key256, oidGost2012Key512, oidRSAKey, oidECKey,
	oidADCAIssuers, oidADOCSP, oidAtTitle,
	"1.2.643.2.2.3", "1.2.643.7.1.1.3.2", "1.2.643.7.1.1.3.3", // GOST signature algorithms
	"1.2.643.2.2.30.1", "1.2.643.7.1.1.2.2", "1.2.643.7.1.1.2.3", // GOST digests
	"1.2.643.2.2.35.1", "1.2.643.2.2.35.2", "1.2.643.2.2.35.3", "1.2.643.2.2.36.0", "1.2.643.2.2.36.1",
	"1.2.643.7.1.2.1.1.1", "1.2.643.7.1.2.1.1.2", "1.2.643.7.1.2.1.1.3", "1.2.643.7.1.2.1.1.4",
	"1.2.643.7.1.2.1.2.1", "1.2.643.7.1.2.1.2.2", "1.2.643.7.1.2.1.2.3",
	"1.2.840.113549.1.1.11", "1.2.840.113549.1.1.5", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
	"1.3.6.1.4.1.311.21.1", "1.3.6.1.4.1.311.21.2", "1.3.6.1.4.1.311.20.2", // Microsoft CA version, previous hash, template name
	"1.2.643.100.113.1", "1.2.643.100.113.2",
}

// expectOID reads an OBJECT IDENTIFIER element.
func expectOID(e element) (string, error) {
	if !e.is(tagOID) || e.constructed {
		return "", fmt.Errorf("want object identifier, got %v", e)
	}
	return parseOID(e.body)
}

// parseBool decodes a BOOLEAN; any non-zero byte is true, but a value
// other than 0xFF is reported as non-canonical.
func parseBool(e element) (v, canonical bool, err error) {
	if !e.is(tagBoolean) || e.constructed || len(e.body) != 1 {
		return false, false, fmt.Errorf("want boolean, got %v", e)
	}
	switch e.body[0] {
	case 0x00:
		return false, true, nil
	case 0xff:
		return true, true, nil
	}
	return true, false, nil
}

// parseSmallInt decodes an INTEGER that must fit into an int.
func parseSmallInt(e element) (int, error) {
	if !e.is(tagInteger) || e.constructed || len(e.body) == 0 {
		return 0, fmt.Errorf("want integer, got %v", e)
	}
	if len(e.body) > 4 {
		return 0, errors.New("integer too large")
	}
	v := 0
	if e.body[0]&0x80 != 0 {
		v = -1
	}
	for _, c := range e.body {
		v = v<<8 | int(c)
	}
	return v, nil
}

// bitStringBytes returns the content of a BIT STRING and its number of
// unused bits.
func bitStringBytes(e element) ([]byte, int, error) {
	if !e.is(tagBitString) || e.constructed || len(e.body) == 0 {
		return nil, 0, fmt.Errorf("want bit string, got %v", e)
	}
	unused := int(e.body[0])
	if unused > 7 || (len(e.body) == 1 && unused != 0) {
		return nil, 0, errors.New("invalid bit string padding")
	}
	return e.body[1:], unused, nil
}

// fieldWalk hands out the fields of a SEQUENCE one at a time, for parsers
// of structures whose optional fields are recognised by their tags (the
// TBS parts of certificates and CRLs).
type fieldWalk struct {
	list []element
	i    int
}

// next returns the next field, false when there is none left.
func (w *fieldWalk) next() (element, bool) {
	if w.i >= len(w.list) {
		return element{}, false
	}
	w.i++
	return w.list[w.i-1], true
}
