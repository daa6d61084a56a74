package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// oidReference is the straightforward decoder the table and formatter
// must agree with.
func oidReference(b []byte) (string, error) {
	if len(b) == 0 {
		return "", errors.New("empty")
	}
	var arcs []uint64
	var v uint64
	for i, c := range b {
		if v > 1<<56 {
			return "", errors.New("too large")
		}
		v = v<<7 | uint64(c&0x7f)
		if c&0x80 == 0 {
			arcs = append(arcs, v)
			v = 0
		} else if i == len(b)-1 {
			return "", errors.New("truncated")
		}
	}
	x, y := uint64(2), arcs[0]-80
	if arcs[0] < 40 {
		x, y = 0, arcs[0]
	} else if arcs[0] < 80 {
		x, y = 1, arcs[0]-40
	}
	s := fmt.Sprintf("%d.%d", x, y)
	for _, a := range arcs[1:] {
		s += fmt.Sprintf(".%d", a)
	}
	return s, nil
}

func TestKnownOIDTableMatchesTheDecoder(t *testing.T) {
	if len(knownOIDs()) < 100 {
		t.Fatalf("only %d known OIDs in the table", len(knownOIDs()))
	}
	for der, dotted := range knownOIDs() {
		got, err := formatOID([]byte(der))
		if err != nil || got != dotted {
			t.Errorf("table says %s, the decoder %q, %v", dotted, got, err)
		}
		if encodeOID(dotted) != der {
			t.Errorf("encodeOID(%s) does not round-trip", dotted)
		}
	}
	for _, bad := range []string{"", "1", "1.", ".1", "3.1", "1.40", "1.2.x", "1..2"} {
		if encodeOID(bad) != "" {
			t.Errorf("encodeOID(%q) accepted", bad)
		}
	}
}

func TestFormatOIDMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		b := make([]byte, 1+r.Intn(24))
		for j := range b {
			b[j] = byte(r.Intn(256))
			if r.Intn(3) == 0 {
				b[j] &= 0x7f
			}
		}
		want, werr := oidReference(b)
		got, gerr := parseOID(b)
		if (werr != nil) != (gerr != nil) || got != want {
			t.Fatalf("% X: got %q, %v; want %q, %v", b, got, gerr, want, werr)
		}
	}
}

func TestNormalizedMatchesFieldsLowerJoin(t *testing.T) {
	bundle, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for _, c := range bundle {
		for _, a := range append(c.Subject.Attrs(), c.Issuer.Attrs()...) {
			vals = append(vals, a.Value)
		}
	}
	vals = append(vals, "", " ", "  Abc  DEF\t", "ООО «Рога И Копыта»", "a\u00a0b", "x\u2028Y", "İSTANBUL", "ǅ", "\t\n", "Z", "ПАО  Сбербанк\r\n")
	for _, v := range vals {
		n := NewName(Attr{OID: "2.5.4.3", Value: v}, Attr{OID: "2.5.4.10", Value: v + " x"})
		want := ""
		for _, a := range n.Attrs() {
			want += a.OID + "=" + strings.ToLower(strings.Join(strings.Fields(a.Value), " ")) + "\x00"
		}
		if got := n.normalized(); got != want {
			t.Errorf("%q: normalized %q, want %q", v, got, want)
		}
	}
}

func TestSubjectKeyIDOfMatchesTheParser(t *testing.T) {
	bundle, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	with := 0
	for _, c := range bundle {
		got := SubjectKeyIDOf(c.Raw)
		if string(got) != string(c.SubjectKeyID) {
			t.Errorf("%s: SubjectKeyIDOf %X, parser %X", c.SHA1, got, c.SubjectKeyID)
		}
		if len(got) > 0 {
			with++
		}
	}
	if with < 2000 {
		t.Errorf("only %d of %d certificates have a key identifier", with, len(bundle))
	}
	for _, bad := range [][]byte{nil, {0x30}, {0x30, 0x00}, {0x04, 0x01, 0x00}} {
		if SubjectKeyIDOf(bad) != nil {
			t.Errorf("% X: want nil", bad)
		}
	}
}

// TestLazyNamesMatchCryptoX509 checks the names decoded on first use against
// an independent decoder: for every bundle certificate crypto/x509 parses,
// each attribute (OID and string value, in order) must be the same, and
// the comparison key made from the DER must equal the key made from the
// decoded attributes.
func TestLazyNamesMatchCryptoX509(t *testing.T) {
	bundle, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, c := range bundle {
		for _, n := range []Name{c.Subject, c.Issuer} {
			if got, want := n.normalized(), NewName(n.Attrs()...).normalized(); got != want {
				t.Fatalf("%s: key from DER %q, from attributes %q", c.SHA1, got, want)
			}
			if n.keyHash() != NewName(n.Attrs()...).keyHash() || !sameName(n, NewName(n.Attrs()...)) {
				t.Fatalf("%s: key hash from DER differs from the attributes'", c.SHA1)
			}
		}
		std, err := x509.ParseCertificate(c.Raw)
		if err != nil {
			continue
		}
		for _, pair := range []struct {
			ours Name
			std  pkix.Name
		}{{c.Subject, std.Subject}, {c.Issuer, std.Issuer}} {
			attrs := pair.ours.Attrs()
			if len(attrs) != len(pair.std.Names) {
				t.Fatalf("%s: %d attributes, crypto/x509 %d", c.SHA1, len(attrs), len(pair.std.Names))
			}
			for i, a := range attrs {
				sa := pair.std.Names[i]
				if a.OID != sa.Type.String() {
					t.Fatalf("%s: attribute %d OID %s, crypto/x509 %s", c.SHA1, i, a.OID, sa.Type)
				}
				if s, ok := sa.Value.(string); ok && s != a.Value {
					t.Fatalf("%s: attribute %s value %q, crypto/x509 %q", c.SHA1, a.OID, a.Value, s)
				}
				compared++
			}
		}
	}
	if compared < 20000 {
		t.Fatalf("only %d attributes compared", compared)
	}
}
