package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

// synthetic ECDSA chains made with crypto/x509, for the structural rules.

type node struct {
	cert *Certificate
	key  *ecdsa.PrivateKey
	tmpl *x509.Certificate
}

var (
	t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t1 = time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC)
	tm = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
)

var serialN int64

func mk(t testing.TB, cn string, parent *node, edit func(*x509.Certificate)) *node {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serialN++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serialN),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"Test"}},
		NotBefore:             t0,
		NotAfter:              t1,
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		SubjectKeyId:          []byte(cn + "-ski"),
	}
	if edit != nil {
		edit(tmpl)
	}
	signer, signTmpl := key, tmpl
	if parent != nil {
		signer, signTmpl = parent.key, parent.tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signTmpl, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return &node{cert: mustParse(t, der), key: key, tmpl: tmpl}
}

func leafEdit(c *x509.Certificate) {
	c.IsCA = false
	c.KeyUsage = x509.KeyUsageDigitalSignature
}

func TestSyntheticStructure(t *testing.T) {
	root := mk(t, "Root", nil, nil)
	inter := mk(t, "Inter", root, nil)
	leaf := mk(t, "Leaf", inter, leafEdit)
	notCA := mk(t, "NotCA", root, leafEdit)
	leafOfNotCA := mk(t, "Leaf2", notCA, leafEdit)
	noCertSign := mk(t, "NoCertSign", root, func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature })
	leafOfNoCertSign := mk(t, "Leaf3", noCertSign, leafEdit)
	pathLen0 := mk(t, "PathLen0", root, func(c *x509.Certificate) { c.MaxPathLen, c.MaxPathLenZero = 0, true })
	below := mk(t, "Below", pathLen0, nil)
	leafBelow := mk(t, "Leaf4", below, leafEdit)
	critical := mk(t, "Critical", inter, func(c *x509.Certificate) {
		leafEdit(c)
		c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{0x05, 0x00}}}
	})
	expiredInter := mk(t, "ExpiredInter", root, func(c *x509.Certificate) { c.NotAfter = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) })
	leafOfExpired := mk(t, "Leaf5", expiredInter, leafEdit)

	roots := NewPool(root.cert)
	cases := []struct {
		name    string
		leaf    *node
		ints    []*node
		want    Verdict
		problem string
		at      int // expected ProblemIndex
	}{
		{"valid", leaf, []*node{inter}, Valid, "", -1},
		{"issuer CA:FALSE", leafOfNotCA, []*node{notCA}, Malformed, ProblemCAFalse, 1},
		{"issuer without keyCertSign", leafOfNoCertSign, []*node{noCertSign}, Malformed, ProblemNoCertSign, 1},
		{"path length exceeded", leafBelow, []*node{below, pathLen0}, Malformed, ProblemPathLength, 2},
		{"unknown critical extension", critical, []*node{inter}, Malformed, ProblemUnknownCritical, 0},
		{"expired intermediate", leafOfExpired, []*node{expiredInter}, Expired, ProblemExpired, 1},
	}
	for _, tc := range cases {
		ints := NewPool()
		for _, n := range tc.ints {
			ints.Add(n.cert)
		}
		r := Verify(tc.leaf.cert, VerifyOptions{Intermediates: ints, Roots: roots, At: tm})
		if r.Verdict != tc.want || r.Problem != tc.problem || r.ProblemIndex != tc.at {
			t.Errorf("%s: %s/%s at %d (%s), want %s/%s at %d", tc.name, r.Verdict, r.Problem, r.ProblemIndex, r.Reason, tc.want, tc.problem, tc.at)
		}
	}
}

// TestSyntheticAlternatives: the verifier tries alternatives and keeps
// the path that works; cycles end.
func TestSyntheticAlternatives(t *testing.T) {
	root := mk(t, "Root", nil, nil)
	// two CA certificates for the same key and name: one expired, one good
	good := mk(t, "CA", root, nil)
	expired := &node{key: good.key}
	{
		tmpl := *good.tmpl
		tmpl.SerialNumber = big.NewInt(9999)
		tmpl.NotAfter = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		der, err := x509.CreateCertificate(rand.Reader, &tmpl, root.tmpl, &good.key.PublicKey, root.key)
		if err != nil {
			t.Fatal(err)
		}
		expired.cert = mustParse(t, der)
	}
	leaf := mk(t, "Leaf", good, leafEdit)
	r := Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(expired.cert, good.cert), Roots: NewPool(root.cert), At: tm})
	if r.Verdict != Valid || r.Chain[1].Cert.SHA1 != good.cert.SHA1 || r.Candidates < 2 {
		t.Errorf("alternative: %s via %s, %d candidates", r.Verdict, r.Chain[1].Cert.SHA1, r.Candidates)
	}
	r = Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(expired.cert), Roots: NewPool(root.cert), At: tm})
	if r.Verdict != Expired || r.ProblemIndex != 1 {
		t.Errorf("only the expired one: %s at %d", r.Verdict, r.ProblemIndex)
	}

	// A and B certify each other, nothing reaches a root: the search ends.
	a := mk(t, "A", nil, nil)
	b := mk(t, "B", a, nil)
	aByB := mk(t, "A", b, nil)
	aByB.key = a.key
	{
		tmpl := *a.tmpl
		tmpl.SerialNumber = big.NewInt(7777)
		tmpl.AuthorityKeyId = b.tmpl.SubjectKeyId
		der, err := x509.CreateCertificate(rand.Reader, &tmpl, b.tmpl, &a.key.PublicKey, b.key)
		if err != nil {
			t.Fatal(err)
		}
		aByB.cert = mustParse(t, der)
	}
	leafA := mk(t, "LeafA", a, leafEdit)
	r = Verify(leafA.cert, VerifyOptions{Intermediates: NewPool(b.cert, aByB.cert), Roots: NewPool(root.cert), At: tm})
	if r.Verdict == Valid {
		t.Errorf("cycle: %s", r.Verdict)
	}
	// and with A trusted, the leaf is valid in two certificates
	r = Verify(leafA.cert, VerifyOptions{Intermediates: NewPool(b.cert, aByB.cert), Roots: NewPool(a.cert), At: tm})
	if r.Verdict != Valid || len(r.Chain) != 2 {
		t.Errorf("cycle with A trusted: %s, %d links (%s)", r.Verdict, len(r.Chain), r.Reason)
	}
}

// TestAKIMismatchIsNotACandidate: a CA with the issuer's name but another
// key identifier is not tried (several Treasury CAs share one name).
func TestAKIMismatchIsNotACandidate(t *testing.T) {
	root := mk(t, "Root", nil, nil)
	real := mk(t, "Treasury", root, nil)
	other := mk(t, "Treasury", root, func(c *x509.Certificate) { c.SubjectKeyId = []byte("other-generation") })
	leaf := mk(t, "Leaf", real, leafEdit)
	r := Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(other.cert), Roots: NewPool(root.cert), At: tm})
	if r.Verdict != Incomplete || r.Missing == nil || r.Missing.AKI != real.cert.SubjectKeyIDHex() {
		t.Errorf("%s, missing %+v", r.Verdict, r.Missing)
	}
}

func BenchmarkVerifyRealChain(b *testing.B) {
	leaf := realCert(b, leafZhilkom)
	ints := NewPool(realCert(b, fk2024))
	roots := NewPool(realCert(b, rootMincifry22))
	at := day("2025-12-01")
	for i := 0; i < b.N; i++ {
		if r := Verify(leaf, VerifyOptions{Intermediates: ints, Roots: roots, At: at}); r.Verdict != Valid {
			b.Fatal(r.Reason)
		}
	}
}

func BenchmarkParseBundle(b *testing.B) {
	data := loadBundle(b)
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDERBundle parses the 2,403 accredited-CA certificates from
// DER (what a store scan does), without the PEM decoding of
// BenchmarkParseBundle.
func BenchmarkParseDERBundle(b *testing.B) {
	certs, err := Parse(loadBundle(b))
	if err != nil {
		b.Fatal(err)
	}
	ders := make([][]byte, len(certs))
	size := 0
	for i, c := range certs {
		ders[i] = c.Raw
		size += len(c.Raw)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range ders {
			if _, err := ParseDER(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// A pool over a shared base answers exactly as one pool of all the
// certificates: same candidates in the same order for every certificate of
// the bundle, same contents; the base is not changed.
func TestPoolOverMatchesOnePool(t *testing.T) {
	all, err := Parse(loadBundle(t))
	if err != nil {
		t.Fatal(err)
	}
	half := len(all) / 2
	base := NewPool(all[:half]...)
	// the second half repeats some of the first: duplicates are skipped
	over := Over(base, append(append([]*Certificate(nil), all[half-10:]...), all[0])...)
	one := NewPool(all...)
	if over.Len() != one.Len() || base.Len() != half {
		t.Fatalf("len over %d, one pool %d, base %d", over.Len(), one.Len(), base.Len())
	}
	oc, pc := over.Certificates(), one.Certificates()
	for i := range pc {
		if oc[i] != pc[i] {
			t.Fatalf("certificate %d differs", i)
		}
	}
	for _, c := range all {
		a, b := over.issuersOf(c), one.issuersOf(c)
		if len(a) != len(b) {
			t.Fatalf("%s: %d candidates over the base, %d in one pool", c.SHA1, len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: candidate %d differs", c.SHA1, i)
			}
		}
		if !over.Contains(c) {
			t.Fatalf("%s not contained", c.SHA1)
		}
	}
	if base.Contains(all[len(all)-1]) {
		t.Fatal("the base was changed")
	}
}
