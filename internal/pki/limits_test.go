package pki

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"testing"
)

// hostileIssuers makes n CA certificates with the name and key identifier
// of issuer but keys of their own: none of them signed anything.
func hostileIssuers(t testing.TB, issuer *node, n int) []*Certificate {
	t.Helper()
	var out []*Certificate
	for i := 0; i < n; i++ {
		fake := mk(t, "Inter", nil, func(c *x509.Certificate) {
			c.Subject = pkix.Name{CommonName: "Inter", Organization: []string{"Test"}}
			c.SubjectKeyId = issuer.tmpl.SubjectKeyId
		})
		out = append(out, fake.cert)
	}
	return out
}

// 500 CA certificates with one name and key identifier: the search stops
// at MaxCandidates and says why, instead of checking 500 signatures.
func TestTooManyCandidateIssuers(t *testing.T) {
	root := mk(t, "Root", nil, nil)
	inter := mk(t, "Inter", root, nil)
	leaf := mk(t, "Leaf", inter, leafEdit)
	fakes := hostileIssuers(t, inter, 500)
	ints := NewPool(append([]*Certificate{inter.cert}, fakes...)...)
	res := Verify(leaf.cert, VerifyOptions{Intermediates: ints, Roots: NewPool(root.cert), At: t0.AddDate(0, 1, 0)})
	if res.Verdict != Incomplete || res.Problem != ProblemTooManyIssuers || res.ProblemIndex != 0 {
		t.Fatalf("verdict %s problem %q at %d: %s", res.Verdict, res.Problem, res.ProblemIndex, res.Reason)
	}
	if res.SignatureChecks > 4 {
		t.Errorf("%d signature checks for a refused candidate set", res.SignatureChecks)
	}
	// A few clones (fewer than MaxCandidates): the real issuer is found.
	ints = NewPool(append(fakes[:MaxCandidates-2], inter.cert)...)
	res = Verify(leaf.cert, VerifyOptions{Intermediates: ints, Roots: NewPool(root.cert), At: t0.AddDate(0, 1, 0)})
	if res.Verdict != Valid {
		t.Errorf("with %d clones: %s %s", MaxCandidates-2, res.Verdict, res.Reason)
	}
	if res.SignatureChecks > MaxSignatureChecks+MaxCandidates+maxChainLen {
		t.Errorf("%d signature checks", res.SignatureChecks)
	}
}

// Clones at every level multiply the paths; the signature budget bounds
// the work and the verdict says the search was cut short.
func TestSignatureBudget(t *testing.T) {
	root := mk(t, "Root", nil, nil)
	var parents []*node
	parents = append(parents, root)
	var all []*Certificate
	// 6 levels of 20 CAs each, every CA of a level signed by every CA of
	// the level above (same names, no key identifiers): 20^6 paths.
	for lvl := 0; lvl < 6; lvl++ {
		var level []*node
		for i := 0; i < 20; i++ {
			p := parents[i%len(parents)]
			name := fmt.Sprintf("Level%d", lvl)
			n := mk(t, name, p, func(c *x509.Certificate) {
				c.Subject = pkix.Name{CommonName: name}
				c.SubjectKeyId = nil
				c.AuthorityKeyId = nil
			})
			level = append(level, n)
			all = append(all, n.cert)
		}
		parents = level
	}
	leaf := mk(t, "Leaf", parents[0], func(c *x509.Certificate) {
		leafEdit(c)
		c.AuthorityKeyId = nil
	})
	res := Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(all...), Roots: NewPool(root.cert), At: t0.AddDate(0, 1, 0)})
	if res.SignatureChecks < MaxSignatureChecks/2 {
		t.Errorf("only %d signature checks: the set does not exercise the budget", res.SignatureChecks)
	}
	if res.SignatureChecks > MaxSignatureChecks+MaxCandidates+maxChainLen {
		t.Errorf("%d signature checks, verdict %s", res.SignatureChecks, res.Verdict)
	}
	t.Logf("verdict %s (%s), %d signature checks, %d paths", res.Verdict, res.Problem, res.SignatureChecks, res.Candidates)
	// A shared signature cache saves work, not budget: the same search,
	// twice over one cache, counts and decides exactly as without it.
	cache := NewSignatureCache()
	for i := 0; i < 2; i++ {
		r := Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(all...), Roots: NewPool(root.cert), At: t0.AddDate(0, 1, 0), Signatures: cache})
		if r.SignatureChecks != res.SignatureChecks || r.Verdict != res.Verdict || r.Problem != res.Problem || r.Candidates != res.Candidates {
			t.Errorf("with a shared cache (run %d): %d checks, %s %s, %d paths; without: %d, %s %s, %d",
				i+1, r.SignatureChecks, r.Verdict, r.Problem, r.Candidates, res.SignatureChecks, res.Verdict, res.Problem, res.Candidates)
		}
	}
}

func BenchmarkVerifyHostileIssuers(b *testing.B) {
	root := mk(b, "Root", nil, nil)
	inter := mk(b, "Inter", root, nil)
	leaf := mk(b, "Leaf", inter, leafEdit)
	ints := NewPool(append([]*Certificate{inter.cert}, hostileIssuers(b, inter, 500)...)...)
	opts := VerifyOptions{Intermediates: ints, Roots: NewPool(root.cert), At: t0.AddDate(0, 1, 0)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Verify(leaf.cert, opts)
	}
}
