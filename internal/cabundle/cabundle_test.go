package cabundle

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

var (
	update = flag.Bool("update-bundle", false, "rewrite bundle.bin from -bundle-source")
	source = flag.String("bundle-source", "", "the bundle.pem of schors/gost-russian-ca (default: ../shared/accredited-ca/bundle.pem next to the repository)")
)

// sourcePath finds the source bundle: -bundle-source, else the shared
// folder beside the clone (../shared, as CI has it) or beside the worktree
// folder (../../shared).
func sourcePath(t *testing.T) string {
	if *source != "" {
		return *source
	}
	repo := testutil.RepoRoot(t)
	for _, up := range []string{"..", filepath.Join("..", "..")} {
		p := filepath.Join(repo, up, "shared", "accredited-ca", "bundle.pem")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func pemDERs(t *testing.T, data []byte) [][]byte {
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out
		}
		if b.Type == "CERTIFICATE" {
			out = append(out, b.Bytes)
		}
	}
}

// TestGenerated proves bundle.bin is the source bundle, unchanged and in
// order (when the source is on this machine; its hash is pinned), and
// rewrites it with -update-bundle.
func TestGenerated(t *testing.T) {
	path := sourcePath(t)
	if path == "" {
		testutil.Missing(t, "the source bundle shared/accredited-ca/bundle.pem is neither in ../shared nor in ../../shared of the repository (give -bundle-source PATH)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if got := hex.EncodeToString(sum[:]); got != SourceSHA256 {
		t.Fatalf("%s has SHA-256 %s, the embedded data was made from %s: regenerate with -update-bundle and update SourceSHA256 and the provenance", path, got, SourceSHA256)
	}
	want := pemDERs(t, src)
	if *update {
		enc, err := Encode(want)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("bundle.bin", enc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := Decode(compressed)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("embedded %d certificates, source has %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("certificate %d differs from the source", i+1)
		}
	}
}

func TestEmbedded(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2403 {
		t.Fatalf("%d certificates parsed, want 2403", len(all))
	}
	// The Treasury 2024 intermediate (known.json) is there and is found
	// as the issuer of the real 2025 leaf, by signature.
	leaf, err := pki.ParseDER(testutil.ReadTestdata(t, "certs", "realworld", "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"))
	if err != nil {
		t.Fatal(err)
	}
	iss, ok := IssuerOf(leaf)
	if !ok {
		t.Fatal("issuer of the 2025 leaf not found")
	}
	if iss.SHA1 == "" || iss.Cert.Subject.String() == "" || leaf.CheckSignatureFrom(iss.Cert) != nil {
		t.Fatalf("issuer %s does not verify the leaf", iss.SHA1)
	}
	if e, ok := BySHA1(iss.SHA1); !ok || !bytes.Equal(e.DER, iss.DER) {
		t.Fatal("BySHA1 does not find the issuer")
	}
	if len(BySKI(iss.SKI)) == 0 {
		t.Fatal("BySKI does not find the issuer")
	}
	// A certificate whose issuer key is unknown gets nothing.
	self, err := pki.ParseDER(testutil.ReadTestdata(t, "certs", "realworld", "rfc9215-example1-gost2012-256-testparamset-selfsigned.der"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := IssuerOf(self); ok {
		t.Fatal("an issuer was found for an unrelated self-signed certificate")
	}
}

func TestDecodeBad(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("garbage"), {0, 0, 0, 5}} {
		enc := in
		if len(in) > 0 && in[0] == 0 {
			var b bytes.Buffer
			w, _ := flate.NewWriter(&b, flate.BestCompression)
			w.Write(in)
			w.Close()
			enc = b.Bytes()
		}
		if out, err := Decode(enc); err == nil && len(out) > 0 {
			t.Errorf("Decode(%q) = %d certs, no error", in, len(out))
		}
	}
}

func FuzzDecode(f *testing.F) {
	enc, _ := Encode([][]byte{{0x30, 0x03, 0x02, 0x01, 0x01}})
	f.Add(enc)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ders, err := Decode(data)
		if err != nil {
			return
		}
		total := 0
		for _, d := range ders {
			if len(d) == 0 || len(d) > maxCert {
				t.Fatalf("certificate of %d bytes", len(d))
			}
			total += len(d)
		}
		if total > maxTotal {
			t.Fatalf("%d bytes decoded", total)
		}
	})
}

// The light key-identifier index answers exactly as the full table: for
// every certificate of the bundle, the same issuer (or none) and the same
// certificates by key identifier.
func TestLightIndexMatchesFullTable(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	full := map[string][]string{}
	for _, e := range all {
		if e.SKI != "" {
			full[e.SKI] = append(full[e.SKI], e.SHA1)
		}
	}
	for _, e := range all {
		var light []string
		for _, x := range BySKI(e.SKI) {
			light = append(light, x.SHA1)
		}
		if e.SKI != "" && strings.Join(light, ",") != strings.Join(full[e.SKI], ",") {
			t.Fatalf("BySKI(%s): %v, full table %v", e.SKI, light, full[e.SKI])
		}
		want := ""
		best := -1
		for i, c := range all {
			if c.SKI == e.Cert.AuthorityKeyIDHex() && e.Cert.AuthorityKeyIDHex() != "" && bytes.Equal(c.Cert.RawSubject, e.Cert.RawIssuer) && e.Cert.CheckSignatureFrom(c.Cert) == nil {
				if best < 0 || c.Cert.NotAfter.After(all[best].Cert.NotAfter) {
					best = i
				}
			}
		}
		if best >= 0 {
			want = all[best].SHA1
		}
		got, ok := IssuerOf(e.Cert)
		if e.Cert.AuthorityKeyIDHex() != "" && (got.SHA1 != want || ok != (want != "")) {
			t.Errorf("IssuerOf(%s) = %s, full table %s", e.SHA1, got.SHA1, want)
		}
	}
}
