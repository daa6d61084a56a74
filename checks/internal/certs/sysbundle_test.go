package certs

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestKnownTLSRootMatchesRealCertificate: the Russian Trusted Root CA
// entry has the thumbprint, key identifier and validity of the real
// certificate in testdata/certs/tls, and is the only TLS root.
func TestKnownTLSRootMatchesRealCertificate(t *testing.T) {
	list, err := pki.Parse(testutil.ReadTestdata(t, "certs", "tls", "russian-trusted-root-ca.pem"))
	if err != nil || len(list) != 1 {
		t.Fatalf("parse: %v", err)
	}
	c := list[0]
	k := LoadKnown()
	r, ok := RootBySHA1(k.Roots, c.SHA1)
	if !ok || r.ID != "russian-trusted-root" {
		t.Fatalf("no known root with SHA-1 %s", c.SHA1)
	}
	if !r.TLS() || c.IsGOSTKey() || !c.IsSelfIssued() || !c.IsCA {
		t.Errorf("kind %q, GOST key %v, self-issued %v, CA %v", r.Kind, c.IsGOSTKey(), c.IsSelfIssued(), c.IsCA)
	}
	if r.SKI != c.SubjectKeyIDHex() || !r.Expiry().Equal(c.NotAfter) {
		t.Errorf("SKI %s / %s, not_after %s / %s", r.SKI, c.SubjectKeyIDHex(), r.NotAfter, c.NotAfter)
	}
	if nb, _ := time.Parse(time.RFC3339, r.NotBefore); !nb.Equal(c.NotBefore) {
		t.Errorf("not_before %s / %s", r.NotBefore, c.NotBefore)
	}
	for _, o := range k.Roots {
		if o.ID != r.ID && o.Kind != KindQualified {
			t.Errorf("root %s: kind %q, want qualified", o.ID, o.Kind)
		}
	}
	if r.ShortName() != "Russian Trusted Root CA" || r.PEMName() != "russian_trusted_root_ca.crt" {
		t.Errorf("short name %q, PEM name %q", r.ShortName(), r.PEMName())
	}
}

func fixtureBundle(t testing.TB) []byte {
	return testutil.ReadTestdata(t, "linux", "astra-csp5-ru", "root", "etc", "ssl", "certs", "ca-certificates.crt")
}

func TestParseBundle(t *testing.T) {
	full := fixtureBundle(t)
	list, err := ParseBundle(full)
	if err != nil || len(list) != 4 {
		t.Fatalf("%d certificates, %v", len(list), err)
	}
	// Cut in the middle of the last certificate (a read limit): the
	// complete ones are kept, with an error.
	cut := full[:len(full)-200]
	list, err = ParseBundle(cut)
	if err == nil || len(list) != 3 {
		t.Errorf("cut bundle: %d certificates, %v", len(list), err)
	}
	// One damaged block among good ones.
	i := bytes.Index(full, []byte("MIIF"))
	bad := append(append(append([]byte{}, full[:i]...), []byte("!!!!")...), full[i+4:]...)
	list, err = ParseBundle(bad)
	if err == nil || len(list) != 3 {
		t.Errorf("damaged bundle: %d certificates, %v", len(list), err)
	}
	if _, err := ParseBundle([]byte("# no certificates here\n")); err == nil {
		t.Error("no error for a bundle without certificates")
	}
}

func TestDistroFamilyAndCommands(t *testing.T) {
	r, _ := RootBySHA1(LoadKnown().Roots, "8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F")
	c := Cmds{OS: "linux", Arch: "amd64"}
	for distro, want := range map[string]string{
		"astra":    "sudo update-ca-certificates",
		"debian":   "sudo update-ca-certificates",
		"ubuntu":   "sudo update-ca-certificates",
		"redos":    "sudo update-ca-trust",
		"altlinux": "sudo update-ca-trust",
		"fedora":   "sudo update-ca-trust",
	} {
		cmds := c.InstallSystemTLSRoot(r, DistroFamily(distro))
		if len(cmds) == 0 || !strings.HasSuffix(cmds[len(cmds)-1], want) {
			t.Errorf("%s: %q", distro, cmds)
		}
	}
	if DistroFamily("gentoo") != "" || c.InstallSystemTLSRoot(r, "") != nil {
		t.Error("unknown distribution has a family")
	}
	if got := pemName("root.crt"); got != "root-pem.crt" {
		t.Errorf("pemName(root.crt) = %q", got)
	}
}

func FuzzParseBundle(f *testing.F) {
	full := fixtureBundle(f)
	f.Add(full)
	f.Add(full[:len(full)/2])
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := ParseBundle(data)
		if err == nil && len(list) == 0 {
			t.Error("no certificates and no error")
		}
	})
}
