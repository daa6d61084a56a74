package certs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// realCerts parses every certificate in testdata/certs/realworld by SHA-1.
func realCerts(t *testing.T) map[string]*pki.Certificate {
	t.Helper()
	dir := testutil.Testdata(t, "certs", "realworld")
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no real certificates in %s: %v", dir, err)
	}
	out := map[string]*pki.Certificate{}
	for _, f := range files {
		if !strings.HasSuffix(f, ".pem") && !strings.HasSuffix(f, ".der") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := pki.Parse(b)
		if err != nil {
			continue // CSRs and CRLs
		}
		for _, c := range cs {
			out[c.SHA1] = c
		}
	}
	return out
}

// TestKnownRootsMatchRealCertificates: every known root with a
// certificate in the repository has the thumbprint, key identifier and
// validity of that certificate, and is self-signed.
func TestKnownRootsMatchRealCertificates(t *testing.T) {
	real := realCerts(t)
	k := LoadKnown()
	if len(k.Roots) < 7 {
		t.Fatalf("only %d known roots", len(k.Roots))
	}
	for _, r := range k.Roots {
		if err := r.Validate(); err != nil {
			t.Errorf("invalid entry: %v", err)
		}
		c, ok := real[r.SHA1]
		if !ok {
			if r.ID != "russian-trusted-root" {
				t.Errorf("root %s: no certificate with SHA-1 %s in testdata/certs/realworld", r.ID, r.SHA1)
			}
			continue
		}
		if !c.IsSelfIssued() || !c.IsCA {
			t.Errorf("root %s: certificate is not a self-issued CA", r.ID)
		}
		if got := c.SubjectKeyIDHex(); got != r.SKI {
			t.Errorf("root %s: SKI %s in data, %s in the certificate", r.ID, r.SKI, got)
		}
		if !r.Expiry().Equal(c.NotAfter) {
			t.Errorf("root %s: not_after %s in data, %s in the certificate", r.ID, r.NotAfter, c.NotAfter)
		}
		if nb, _ := time.Parse(time.RFC3339, r.NotBefore); !nb.Equal(c.NotBefore) {
			t.Errorf("root %s: not_before %s in data, %s in the certificate", r.ID, r.NotBefore, c.NotBefore)
		}
		if r.DownloadURL != ETrustURL(r.SHA1) {
			t.Errorf("root %s: download URL %s is not the e-trust address of its thumbprint", r.ID, r.DownloadURL)
		}
	}
}

// TestKnownRootsMatchResearchNotes: the [V] values of domain.md §3.1/§3.2.
func TestKnownRootsMatchResearchNotes(t *testing.T) {
	k := LoadKnown()
	want := map[string]struct{ sha1, ski, notAfter string }{
		"guc-2012":             {"8CAE88BBFD404A7A53630864F9033606E1DC45E2", "8B983B891851E8EF9C0278B8EAC8D420B255C95D", "2027-07-17T12:31:14Z"},
		"minkomsvyaz-2018":     {"4BC6DC14D97010C41A26E058AD851F81C842415A", "C254F1B46BD44CB7E06D36B42390F1FEC33C9B06", "2036-07-01T12:18:06Z"},
		"mincifry-2022":        {"2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A", "", "2040-01-08T13:32:39Z"},
		"mincifry-2026":        {"2FDEDE3B528B3DD0CBAD26D1628F40A5AB596F2F", "C145C00DF7CCADCA08DF274CE133B88A21FBCB53", "2044-02-02T09:55:54Z"},
		"russian-trusted-root": {"8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F", "", "2032-02-27T21:04:15Z"},
	}
	for id, w := range want {
		r, ok := RootBySHA1(k.Roots, w.sha1)
		if !ok || r.ID != id {
			t.Errorf("%s: thumbprint %s not found (got %q)", id, w.sha1, r.ID)
			continue
		}
		if w.ski != "" && r.SKI != w.ski {
			t.Errorf("%s: SKI %s, notes say %s", id, r.SKI, w.ski)
		}
		if r.NotAfter != w.notAfter {
			t.Errorf("%s: not_after %s, notes say %s", id, r.NotAfter, w.notAfter)
		}
	}
	if r, _ := RootBySHA1(k.Roots, "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A"); r.Role != RoleRequired {
		t.Errorf("Mintsifry 2022 role %q, want required", r.Role)
	}
	if r, _ := RootBySHA1(k.Roots, "8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F"); r.Role != "need:russian_trusted_root" {
		t.Errorf("Russian Trusted Root CA role %q", r.Role)
	}
}

// TestKnownCAsMatchRealCertificates: each Treasury generation's key
// identifier and issuer are those of the real CA certificate, and the
// research notes' [V] key identifiers (domain.md §1.3) map to the right
// generation.
func TestKnownCAsMatchRealCertificates(t *testing.T) {
	real := realCerts(t)
	k := LoadKnown()
	for _, ca := range k.CAs {
		c, ok := real[ca.SHA1]
		if !ok {
			t.Errorf("CA %s: no certificate with SHA-1 %s", ca.NameEN, ca.SHA1)
			continue
		}
		if c.SubjectKeyIDHex() != ca.SKI || c.AuthorityKeyIDHex() != ca.AKI {
			t.Errorf("CA %s: SKI/AKI %s/%s in data, %s/%s in the certificate", ca.NameEN, ca.SKI, ca.AKI, c.SubjectKeyIDHex(), c.AuthorityKeyIDHex())
		}
	}
	notes := map[string]string{
		"16:55:91:A6:51:58:C4:89:2C:6B:51:5B:D2:85:19:0A:01:44:48:22": "Federal Treasury 2017 (GOST 2001)",
		"C0:D6:D6:0A:7D:6B:7E:C9:8E:39:BC:DA:89:FA:AF:94:2C:58:5A:8D": "Federal Treasury 2018 (ucfk_gost12)",
		"55:30:F1:0C:9C:77:43:B2:24:DC:06:59:2D:5C:01:B6:71:D4:64:36": "Federal Treasury 2021",
		"06:64:13:A7:CE:E0:83:E2:A6:7D:9F:89:A7:D6:56:19:98:4C:D9:A7": "Federal Treasury 2024",
	}
	for ski, name := range notes {
		ca, ok := k.CAByKeyID(ski)
		if !ok || ca.NameEN != name {
			t.Errorf("key id %s: got %q, want %q", ski, ca.NameEN, name)
		}
	}
	if ca, _ := k.CAByKeyID("066413A7CEE083E2A67D9F89A7D65619984CD9A7"); ca.URL != "http://crl.roskazna.ru/crl/ucfk_2024.crt" {
		t.Errorf("2024 URL %q", ca.URL)
	}
}

func TestIssuerKeyIDs(t *testing.T) {
	real := realCerts(t)
	leaf := real["E9330312A07663D6DF19B21F6C8F8AAC784C0FDC"]
	fk := real["12BC42082D3F6027A29B7A87FE09B0329631C076"]
	k := LoadKnown()
	const root2022 = "C91358B14CA7623A7ED23F3CA6E7147C9D70A386"
	// With the intermediate in the pool and without it (known table).
	for name, pool := range map[string][]*pki.Certificate{"with CA": {fk}, "without CA": nil} {
		got := IssuerKeyIDs(leaf, pool, k)
		if len(got) < 2 || got[0] != "066413A7CEE083E2A67D9F89A7D65619984CD9A7" || got[1] != root2022 {
			t.Errorf("%s: %v", name, got)
		}
	}
	if got := IssuerKeyIDs(leaf, nil, &Known{}); len(got) != 1 {
		t.Errorf("unknown CA: %v", got)
	}
}

func TestMasking(t *testing.T) {
	attrs := []pki.Attr{
		{OID: "2.5.4.3", Short: "CN", Value: "Иванов Иван"},
		{OID: OIDSNILS, Short: "SNILS", Value: "11223344595"},
		{OID: OIDINN, Short: "INN", Value: "500100732259"},
		{OID: OIDOGRN, Short: "OGRN", Value: "1047797019830"},
	}
	n := pki.NewName(attrs...)
	got := SafeName(n, false)
	if strings.Contains(got, "11223344595") || strings.Contains(got, "500100732259") || !strings.Contains(got, "********595") || !strings.Contains(got, "1047797019830") {
		t.Errorf("masked name %q", got)
	}
	if got := SafeName(n, true); !strings.Contains(got, "11223344595") {
		t.Errorf("shown name %q", got)
	}
	// An organisation's "00"-padded ИНН is not personal.
	attrs[2].Value = "007710474375"
	n = pki.NewName(attrs...)
	if got := SafeName(n, false); !strings.Contains(got, "007710474375") {
		t.Errorf("organisation ИНН masked: %q", got)
	}
	if got := SafeText("СНИЛС 11223344595, ИНН 500100732259, ОГРН 1047797019830, 007710474375", false); got != "СНИЛС ********595, ИНН *********259, ОГРН 1047797019830, 007710474375" {
		t.Errorf("SafeText = %q", got)
	}
}

func TestCommands(t *testing.T) {
	win := For(host.Facts{OS: "windows", Arch: "amd64"})
	lin := For(host.Facts{OS: "linux", Arch: "386"})
	cases := map[string]string{
		win.Install(host.LocalMachine, host.StoreCA, "ucfk_2024.crt"):     "certutil -addstore CA ucfk_2024.crt",
		win.Install(host.CurrentUser, host.StoreRoot, "guc2022.cer"):      "certutil -user -addstore Root guc2022.cer",
		win.Delete(host.CurrentUser, host.StoreMy, "AB"):                  "certutil -user -delstore My AB",
		lin.Install(host.LocalMachine, host.StoreCA, "ucfk_2024.crt"):     "sudo /opt/cprocsp/bin/ia32/certmgr -inst -store mCA -file ucfk_2024.crt",
		lin.Install(host.CurrentUser, host.StoreRoot, "a b.cer"):          "/opt/cprocsp/bin/ia32/certmgr -inst -store uRoot -file 'a b.cer'",
		lin.Delete(host.CurrentUser, host.StoreMy, "AB"):                  "/opt/cprocsp/bin/ia32/certmgr -delete -store uMy -thumbprint AB",
		lin.InstallFromContainer(`\\.\HDIMAGE\x`):                         `/opt/cprocsp/bin/ia32/certmgr -inst -store uMy -cont '\\.\HDIMAGE\x'`,
		lin.Download("http://crl.roskazna.ru/crl/ucfk_2024.crt", "u.crt"): "curl -fLo u.crt http://crl.roskazna.ru/crl/ucfk_2024.crt",
		win.Download("http://h/a b.crt", "u.crt"):                         `certutil -urlcache -split -f "http://h/a b.crt" u.crt`,
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
	if DaysLeft(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), time.Date(2025, 1, 3, 11, 0, 0, 0, time.UTC)) != 1 {
		t.Error("DaysLeft rounds up")
	}
	if DaysLeft(time.Date(2025, 1, 3, 12, 0, 0, 0, time.UTC), time.Date(2025, 1, 3, 11, 0, 0, 0, time.UTC)) != -1 {
		t.Error("DaysLeft of a past moment")
	}
}

func TestLocalDate(t *testing.T) {
	// 2026-09-26 21:30 UTC is already 27 September in Moscow (UTC+3) and
	// still 26 September in UTC.
	at := time.Date(2026, 9, 26, 21, 30, 0, 0, time.UTC)
	if got := LocalDate(host.Facts{UTCOffsetSeconds: 3 * 3600}, at); got != "2026-09-27" {
		t.Errorf("Moscow: %s", got)
	}
	if got := LocalDate(host.Facts{}, at); got != "2026-09-26" {
		t.Errorf("UTC: %s", got)
	}
	if got := LocalDate(host.Facts{UTCOffsetSeconds: -5 * 3600}, time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)); got != "2025-12-31" {
		t.Errorf("UTC-5: %s", got)
	}
}
