package certtest

import (
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// TestFixturesFormTheirChains: the names point at the certificates the
// tests believe they are, and the 2025 leaf chains to the 2022 root
// through the Treasury 2024 CA on Dec2025.
func TestFixturesFormTheirChains(t *testing.T) {
	leaf, fk, root := Cert(t, Leaf2025), Cert(t, FK2024), Cert(t, Root2022)
	res := pki.Verify(leaf, pki.VerifyOptions{Intermediates: pki.NewPool(fk), Roots: pki.NewPool(root), At: Dec2025})
	if res.Verdict != pki.Valid || len(res.Chain) != 3 {
		t.Fatalf("verdict %s: %s", res.Verdict, res.Reason)
	}
	old := Cert(t, Leaf2021)
	res = pki.Verify(old, pki.VerifyOptions{Intermediates: pki.NewPool(Cert(t, FK2021)), Roots: pki.NewPool(Cert(t, Root2018)), At: Dec2025})
	if res.Verdict != pki.Expired {
		t.Errorf("2021 leaf in 2025: %s", res.Verdict)
	}
	if c := Cert(t, KaznRossii22); c.Subject.Get("CN") != "Казначейство России" {
		t.Errorf("KaznRossii22 CN %q", c.Subject.Get("CN"))
	}
	if c := Cert(t, LeafGisGKH); c.AuthorityKeyIDHex() != Cert(t, KaznRossii22).SubjectKeyIDHex() {
		t.Error("GIS GKH leaf is not issued by Kaznacheystvo Rossii 2022")
	}
	if c := Cert(t, RootGUC2012); !c.IsSelfIssued() {
		t.Error("GUC 2012 is not self-issued")
	}
}
