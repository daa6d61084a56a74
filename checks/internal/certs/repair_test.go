package certs

import (
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// Every known root has an embedded copy with exactly its thumbprint, so
// `fix` can install any of them offline.
func TestEveryKnownRootEmbedded(t *testing.T) {
	for _, r := range LoadKnown().Roots {
		rep, ok := InstallRootRepair(r, true)
		if !ok {
			t.Errorf("root %s (%s) has no embedded copy", r.ID, r.SHA1)
			continue
		}
		if host.Thumbprint(rep.DER) != NormHex(r.SHA1) || rep.SHA1 != NormHex(r.SHA1) {
			t.Errorf("root %s: embedded %s", r.ID, host.Thumbprint(rep.DER))
		}
		if want := r.TLS(); (rep.Location == host.SystemBundle) != want {
			t.Errorf("root %s: location %q", r.ID, rep.Location)
		}
	}
}

// A root already on the machine (in a wrong store) is moved with its own
// bytes; an entry with another thumbprint is not taken.
func TestInstallRootRepairUsesLocalCopy(t *testing.T) {
	r := LoadKnown().Roots[0]
	other := Entry{Cert: &pki.Certificate{SHA1: "00", Raw: []byte("other")}}
	rep, ok := InstallRootRepair(r, false, other)
	if !ok || host.Thumbprint(rep.DER) != NormHex(r.SHA1) {
		t.Fatalf("without a local copy: %v %s", ok, host.Thumbprint(rep.DER))
	}
	local := Entry{Cert: &pki.Certificate{SHA1: NormHex(r.SHA1), Raw: []byte("local copy")}}
	rep, ok = InstallRootRepair(r, false, other, local)
	if !ok || string(rep.DER) != "local copy" || rep.SHA1 != NormHex(r.SHA1) {
		t.Fatalf("with a local copy: %v %q", ok, rep.DER)
	}
}

func TestInstallIssuerRepair(t *testing.T) {
	leaf, err := pki.ParseDER(testutil.ReadTestdata(t, "certs", "realworld", "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"))
	if err != nil {
		t.Fatal(err)
	}
	r := InstallIssuerRepair(leaf, leaf.AuthorityKeyIDHex(), "", "", host.StoreCA)
	ca, err := pki.ParseDER(r.DER)
	if err != nil {
		t.Fatal(err)
	}
	if leaf.CheckSignatureFrom(ca) != nil || r.Store != host.StoreCA || r.SHA1 != ca.SHA1 {
		t.Fatalf("issuer %s in %s does not verify the leaf", r.SHA1, r.Store)
	}
	// the Treasury CA's own issuer is a root: it goes to Root
	r = InstallIssuerRepair(ca, ca.AuthorityKeyIDHex(), "", "", host.StoreCA)
	if r.Store != host.StoreRoot || len(r.DER) == 0 {
		t.Fatalf("the root issuer goes to %s", r.Store)
	}
	// an unknown issuer: no certificate, but what identifies it
	self, err := pki.ParseDER(testutil.ReadTestdata(t, "certs", "realworld", "rfc9215-example2-gost2012-256-tc26A-selfsigned.der"))
	if err != nil {
		t.Fatal(err)
	}
	r = InstallIssuerRepair(self, "ABCD", "", "http://example/ca.crt", host.StoreCA)
	if len(r.DER) != 0 || r.KeyID != "ABCD" || len(r.Child) == 0 || r.URL == "" {
		t.Fatalf("unknown issuer: %+v", r)
	}
}
