package pki

import (
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
		for _, a := range append(c.Subject.Attrs, c.Issuer.Attrs...) {
			vals = append(vals, a.Value)
		}
	}
	vals = append(vals, "", " ", "  Abc  DEF\t", "ООО «Рога И Копыта»", "a\u00a0b", "x\u2028Y", "İSTANBUL", "ǅ", "\t\n", "Z", "ПАО  Сбербанк\r\n")
	for _, v := range vals {
		n := Name{Attrs: []Attr{{OID: "2.5.4.3", Value: v}, {OID: "2.5.4.10", Value: v + " x"}}}
		want := ""
		for _, a := range n.Attrs {
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
