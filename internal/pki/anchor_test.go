package pki

import "testing"

// TestNonSelfSignedTrustAnchor: a CA or personal certificate put into the
// Root store is not a trust anchor unless it is self-signed (OpenSSL
// without -partial_chain, CryptoAPI): the chain must still reach a root.
func TestNonSelfSignedTrustAnchor(t *testing.T) {
	root := mk(t, "Root", nil, nil)
	inter := mk(t, "Inter", root, nil)
	leaf := mk(t, "Leaf", inter, leafEdit)

	// the intermediate in the Root store, the root nowhere: incomplete
	r := Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(), Roots: NewPool(inter.cert), At: tm})
	if r.Verdict != Incomplete || r.Missing == nil || r.Missing.AKI != root.cert.SubjectKeyIDHex() {
		t.Errorf("intermediate as anchor: %s (%s), missing %+v", r.Verdict, r.Reason, r.Missing)
	}
	// the leaf itself in the Root store: incomplete as well
	r = Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(), Roots: NewPool(leaf.cert), At: tm})
	if r.Verdict != Incomplete {
		t.Errorf("leaf as anchor: %s (%s)", r.Verdict, r.Reason)
	}
	// the intermediate in the Root store and the root there too: valid
	// through the root
	r = Verify(leaf.cert, VerifyOptions{Intermediates: NewPool(), Roots: NewPool(inter.cert, root.cert), At: tm})
	if r.Verdict != Valid || len(r.Chain) != 3 {
		t.Errorf("intermediate and root in Root: %s, %d links (%s)", r.Verdict, len(r.Chain), r.Reason)
	}
}
