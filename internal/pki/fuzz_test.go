package pki

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// fuzzSeeds returns DER certificates: the real ones and a few of the
// bundle's non-canonical ones.
func fuzzSeeds(f *testing.F) [][]byte {
	var out [][]byte
	dir := testutil.Testdata(f, "certs", "realworld")
	entries, err := os.ReadDir(dir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		if cs, err := Parse(b); err == nil {
			out = append(out, cs[0].Raw)
		}
	}
	certs, err := Parse(loadBundle(f))
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	for _, c := range certs {
		if len(c.NonCanonical) > 0 && n < 4 {
			out = append(out, c.Raw)
			n++
		}
	}
	return out
}

func FuzzParseDER(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte{0x30, 0x80, 0x00, 0x00})
	f.Add([]byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, der []byte) {
		ski := SubjectKeyIDOf(der) // never panics, on any input
		c, err := ParseDER(der)
		if err != nil {
			if c != nil {
				t.Fatal("certificate and error")
			}
			return
		}
		if !bytes.Equal(ski, c.SubjectKeyID) {
			t.Fatalf("SubjectKeyIDOf %X, the parser %X", ski, c.SubjectKeyID)
		}
		if !bytes.Equal(c.Raw, der) {
			t.Fatal("Raw is not the input")
		}
		if !bytes.Contains(c.Raw, c.RawTBS) || !bytes.Contains(c.RawTBS, c.RawSubject) || !bytes.Contains(c.RawTBS, c.RawSPKI) {
			t.Fatal("raw parts are not parts of the input")
		}
		for _, n := range []Name{c.Subject, c.Issuer} {
			// decoded on first use: as many attributes as the parser
			// checked, and the key made from the DER is the key of them
			atvs := 0
			if e, _, err := readElement(n.Raw); err != nil || walkName(e, func(string, element) error { atvs++; return nil }) != nil {
				t.Fatal("a parsed name does not walk")
			}
			if len(n.Attrs()) != atvs {
				t.Fatalf("%d attributes decoded, %d in the name", len(n.Attrs()), atvs)
			}
			if n.normalized() != NewName(n.Attrs()...).normalized() || n.keyHash() != NewName(n.Attrs()...).keyHash() {
				t.Fatal("key (or its hash, made while parsing for the subject) differs from the attributes'")
			}
			_ = n.String()
		}
		_ = c.IsSelfIssued()
		_ = c.CheckSignatureFrom(c)
	})
}

func FuzzParse(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		b64 := base64.StdEncoding.EncodeToString(s)
		switch i % 3 {
		case 0:
			f.Add([]byte("-----BEGIN CERTIFICATE-----\r\n" + wrap76(b64, "\r\n") + "-----END CERTIFICATE-----\r\n"))
		case 1:
			f.Add([]byte(wrap76(b64, "\n")))
		default:
			f.Add(s)
		}
	}
	p7s, err := os.ReadFile(filepath.Join(testutil.Testdata(f, "certs", "realworld"), "cms-detached-gisgkh-2022-signed-by-gisgkh-operator.p7s"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(p7s)
	f.Add([]byte("-----BEGIN PKCS7-----\n" + base64.StdEncoding.EncodeToString(p7s) + "\n-----END PKCS7-----\n"))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"))
	f.Add([]byte("-----BEGIN -----BEGIN CERTIFICATE-----"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := Parse(data)
		if err != nil {
			return
		}
		if len(cs) == 0 {
			t.Fatal("no certificates and no error")
		}
		for _, c := range cs {
			if _, err := ParseDER(c.Raw); err != nil {
				t.Fatalf("Raw of a parsed certificate does not parse: %v", err)
			}
		}
	})
}

// FuzzVerify builds chains from a mutated leaf and intermediate under a
// real trusted root: never a panic, and never "valid" unless every link
// really verifies and the leaf's signed bytes are the genuine ones.
func FuzzVerify(f *testing.F) {
	dir := testutil.Testdata(f, "pki")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		cs, err := Parse(b)
		if err != nil {
			f.Fatal(err)
		}
		return cs[0].Raw
	}
	const p = "gost2012-256-cryptopro-xcha/"
	leaf, inter, root := read(p+"leaf.pem"), read(p+"int.pem"), read(p+"root.pem")
	rootCert, _ := ParseDER(root)
	genuine := map[string]bool{}
	for _, d := range [][]byte{leaf, inter, root} {
		c, _ := ParseDER(d)
		genuine[string(c.RawTBS)] = true
	}
	at := rootCert.NotBefore.Add(48 * time.Hour)
	for mode := uint8(0); mode < 4; mode++ {
		f.Add(leaf, inter, mode)
	}
	flipped := append([]byte(nil), leaf...)
	flipped[len(flipped)-1] ^= 1
	f.Add(flipped, inter, uint8(1))
	f.Add(inter, leaf, uint8(3))
	f.Add(root, root, uint8(2))
	f.Fuzz(func(t *testing.T, leafDER, interDER []byte, mode uint8) {
		l, err := ParseDER(leafDER)
		if err != nil {
			return
		}
		ints := NewPool()
		if c, err := ParseDER(interDER); err == nil {
			ints.Add(c)
		}
		if mode&1 != 0 {
			ints.Add(mustParse(t, inter))
		}
		roots := NewPool(rootCert)
		if mode&2 != 0 {
			roots = NewPool()
			ints.Add(rootCert)
		}
		r := Verify(l, VerifyOptions{Intermediates: ints, Roots: roots, At: at})
		if r == nil || len(r.Chain) == 0 || r.Verdict == "" {
			t.Fatal("empty result")
		}
		if r.Verdict != Valid {
			if r.ProblemIndex < 0 || r.ProblemIndex >= len(r.Chain) {
				t.Fatalf("verdict %s with problem index %d of %d", r.Verdict, r.ProblemIndex, len(r.Chain))
			}
			return
		}
		if !genuine[string(l.RawTBS)] {
			t.Fatal("valid verdict for a leaf whose signed bytes were altered")
		}
		last := r.Chain[len(r.Chain)-1].Cert
		if !roots.Contains(last) {
			t.Fatal("valid chain does not end at a trusted root")
		}
		for i := 0; i+1 < len(r.Chain); i++ {
			if err := r.Chain[i].Cert.CheckSignatureFrom(r.Chain[i+1].Cert); err != nil {
				t.Fatalf("valid chain with a bad link %d: %v", i, err)
			}
		}
	})
}

// FuzzParseTimeZ: the allocation-free reader of the DER time forms gives
// exactly what time.Parse with the layouts gives, whenever it answers.
func FuzzParseTimeZ(f *testing.F) {
	for _, s := range []string{"250101120000Z", "491231235959Z", "500101000000Z", "680229000000Z", "20240229120000Z",
		"20230229120000Z", "991301000000Z", "000000000000Z", "20501231235960Z", "2501011200Z", "250101120000+0300"} {
		f.Add(uint8(tagUTCTime), []byte(s))
		f.Add(uint8(tagGeneralizedTime), []byte(s))
	}
	f.Fuzz(func(t *testing.T, tag uint8, body []byte) {
		e := element{class: classUniversal, tag: int32(tag), body: body}
		fast, ok := parseTimeZ(e)
		if !ok {
			return
		}
		slow, err := parseTimeLayouts(e)
		if err != nil || !fast.Equal(slow) || fast.Location() != slow.Location() {
			t.Fatalf("%q (tag %d): fast %v, time.Parse %v %v", body, tag, fast, slow, err)
		}
	})
}

// Every time of the bundle and the real-world certificates is read the same
// by both readers, and random 13/15-digit times agree wherever the fast one
// answers.
func TestParseTimeZMatchesTimeParse(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	n := 0
	for i := 0; i < 200000; i++ {
		var b []byte
		tag := tagUTCTime
		if i%2 == 1 {
			tag = tagGeneralizedTime
			b = append(b, fmt.Sprintf("%04d", rng.Intn(10000))...)
		} else {
			b = append(b, fmt.Sprintf("%02d", rng.Intn(100))...)
		}
		b = append(b, fmt.Sprintf("%02d%02d%02d%02d%02dZ", rng.Intn(14), rng.Intn(33), rng.Intn(25), rng.Intn(61), rng.Intn(61))...)
		e := element{class: classUniversal, tag: int32(tag), body: b}
		slow, err := parseTimeLayouts(e)
		fast, ok := parseTimeZ(e)
		if ok {
			n++
			if err != nil || !fast.Equal(slow) {
				t.Fatalf("%s: fast %v, time.Parse %v %v", b, fast, slow, err)
			}
		} else if err == nil {
			t.Fatalf("%s: time.Parse reads it (%v), the fast reader does not", b, slow)
		}
	}
	if n < 50000 {
		t.Fatalf("only %d of 200000 read by the fast reader", n)
	}
}
