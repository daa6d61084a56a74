package cabundle

import (
	"bytes"
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
	// The index is the one the certificates give.
	tb, err := open(compressed)
	if err != nil {
		t.Fatal(err)
	}
	for i, der := range want {
		k := indexKeys(der)
		for c := range k {
			if !bytes.Equal(tb.keys[c][i*keyLen:(i+1)*keyLen], k[c][:]) {
				t.Fatalf("certificate %d: index column %d is %x, the certificate gives %x", i+1, c, tb.keys[c][i*keyLen:(i+1)*keyLen], k[c])
			}
		}
	}
	if tb.k != perChunk {
		t.Fatalf("%d certificates per chunk, the generator writes %d", tb.k, perChunk)
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

// The index answers exactly as the full table: for every certificate of
// the bundle, the same certificate by thumbprint, the same certificates by
// key identifier and by subject, and the same issuer (or none), with and
// without an authority key identifier.
func TestLightIndexMatchesFullTable(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	full := map[string][]string{}
	subj := map[string][]string{}
	for _, e := range all {
		if e.SKI != "" {
			full[e.SKI] = append(full[e.SKI], e.SHA1)
		}
		subj[string(e.Cert.RawSubject)] = append(subj[string(e.Cert.RawSubject)], e.SHA1)
	}
	sha1s := func(es []Entry) string {
		var out []string
		for _, x := range es {
			out = append(out, x.SHA1)
		}
		return strings.Join(out, ",")
	}
	noAKI := 0
	for _, e := range all {
		if got, ok := BySHA1(e.SHA1); !ok || !bytes.Equal(got.DER, e.DER) || got.SKI != e.SKI || got.Cert.Subject.String() != e.Cert.Subject.String() {
			t.Fatalf("BySHA1(%s) = %v, %s", e.SHA1, ok, got.SHA1)
		}
		if _, ok := BySHA1(strings.ToLower(e.SHA1)); ok {
			t.Fatalf("BySHA1 found the lower-case %s (the full table is keyed by upper case)", e.SHA1)
		}
		if e.SKI != "" && sha1s(BySKI(e.SKI)) != strings.Join(full[e.SKI], ",") {
			t.Fatalf("BySKI(%s): %v, full table %v", e.SKI, sha1s(BySKI(e.SKI)), full[e.SKI])
		}
		if got := sha1s(bySubject(e.Cert.RawSubject)); got != strings.Join(subj[string(e.Cert.RawSubject)], ",") {
			t.Fatalf("bySubject(%s): %v, full table %v", e.SHA1, got, subj[string(e.Cert.RawSubject)])
		}
		aki := e.Cert.AuthorityKeyIDHex()
		if aki == "" {
			noAKI++
		}
		want := ""
		best := -1
		for i, c := range all {
			if (aki == "" || c.SKI == aki) && bytes.Equal(c.Cert.RawSubject, e.Cert.RawIssuer) && e.Cert.CheckSignatureFrom(c.Cert) == nil {
				if best < 0 || c.Cert.NotAfter.After(all[best].Cert.NotAfter) {
					best = i
				}
			}
		}
		if best >= 0 {
			want = all[best].SHA1
		}
		got, ok := IssuerOf(e.Cert)
		if got.SHA1 != want || ok != (want != "") {
			t.Errorf("IssuerOf(%s) = %s, full table %s", e.SHA1, got.SHA1, want)
		}
	}
	if noAKI == 0 {
		t.Fatal("no bundle certificate without an authority key identifier: the subject index went untested")
	}
	for _, bad := range []string{"", "2F", "ZZ0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A", "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63B"} {
		if _, ok := BySHA1(bad); ok {
			t.Errorf("BySHA1(%q) found something", bad)
		}
		if got := BySKI(bad); len(got) != 0 {
			t.Errorf("BySKI(%q) found %d", bad, len(got))
		}
	}
}
