package cli

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func decodeAllJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("JSON: %v\n%s", err, s)
	}
	return m
}

// writeBundle writes the realworld certificates as one PEM file.
func writeBundle(t *testing.T, names ...string) string {
	t.Helper()
	var out []byte
	for _, n := range names {
		b, err := os.ReadFile(realworld(t, n))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "-----BEGIN") {
			b = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b})
		}
		out = append(append(out, b...), '\n')
	}
	file := filepath.Join(t.TempDir(), "bundle.pem")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestCertVerifyAllText(t *testing.T) {
	cleanEnv(t)
	// The leaf and its CA chain to the 2022 root (in the bundle: a trust
	// anchor without --root); the 2021 leaf's CA (FK 2021) is missing.
	file := writeBundle(t, certRoot2022, certFK2024, certLeaf2025, "ee-gost2012-mincifry-smev-2021-by-fk-2021.der")
	r := runCLI(t, "cert", "verify", "--all", file, certAt, "--lang", "en")
	if r.code != 1 {
		t.Errorf("exit %d, want 1 (one chain incomplete)\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 6 {
		t.Fatalf("want a header, 4 verdict lines and a summary, got:\n%s", r.stdout)
	}
	for i, want := range []string{"chain valid", "chain valid", "chain valid", "chain incomplete"} {
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("line %d: %q, want %q", i+1, lines[i+1], want)
		}
	}
	if !strings.Contains(lines[0], "self-signed") || !strings.Contains(lines[5], "4") || !strings.Contains(lines[5], "chain incomplete — 1") {
		t.Errorf("header or summary wrong:\n%s", r.stdout)
	}
}

func TestCertVerifyAllJSONWithRoot(t *testing.T) {
	cleanEnv(t)
	file := writeBundle(t, certFK2024, certLeaf2025)
	r := runCLI(t, "cert", "verify", "--all", file, "--root", realworld(t, certRoot2022), certAt, "--format", "json")
	m := decodeAllJSON(t, r.stdout)
	certs, _ := m["certificates"].([]any)
	sum, _ := m["summary"].(map[string]any)
	if r.code != 0 || m["anchors"] != "root" || len(certs) != 2 || sum["valid"] != float64(2) || sum["total"] != float64(2) {
		t.Fatalf("exit %d:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	leaf, _ := certs[1].(map[string]any)
	chain, _ := leaf["chain"].([]any)
	if leaf["status"] != "valid" || leaf["sha1"] != "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" || len(chain) != 3 {
		t.Errorf("leaf: %v", leaf)
	}
	// Without the root the same bundle has no trust anchor.
	r = runCLI(t, "cert", "verify", "--all", file, certAt, "--format", "json")
	if m = decodeAllJSON(t, r.stdout); r.code != 1 || m["summary"].(map[string]any)["valid"] != float64(0) {
		t.Errorf("no anchor: exit %d\n%s", r.code, r.stdout)
	}
}

func TestCertVerifyAllNeedsOneFile(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "cert", "verify", "--all", realworld(t, certRoot2022), realworld(t, certFK2024))
	if r.code != 2 {
		t.Errorf("two files with --all: exit %d, want 2", r.code)
	}
}

// The shared signature cache and the workers change nothing: over the 2,403
// accredited-CA certificates every verdict, chain and reason of --all is
// that of verifying the certificate alone.
func TestVerifyAllMatchesOneByOne(t *testing.T) {
	if testing.Short() {
		t.Skip("verifies the 2,403 certificates twice")
	}
	certs, err := pki.Parse(testutil.AccreditedBundlePEM(t))
	if err != nil || len(certs) != 2403 {
		t.Fatalf("%d certificates, %v", len(certs), err)
	}
	ints, roots := pki.NewPool(certs...), pki.NewPool()
	for _, c := range certs {
		if c.IsSelfIssued() {
			roots.Add(c)
		}
	}
	at := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	all := verifyAll(certs, pki.VerifyOptions{Intermediates: ints, Roots: roots, At: at, Signatures: pki.NewSignatureCache()})
	verdicts := map[pki.Verdict]int{}
	for i, c := range certs {
		one := pki.Verify(c, pki.VerifyOptions{Intermediates: ints, Roots: roots, At: at})
		got := all[i]
		verdicts[got.Verdict]++
		if got.Verdict != one.Verdict || got.Reason != one.Reason || len(got.Chain) != len(one.Chain) || got.ProblemIndex != one.ProblemIndex {
			t.Errorf("%s: --all %s (%s), alone %s (%s)", c.SHA1, got.Verdict, got.Reason, one.Verdict, one.Reason)
			continue
		}
		for j := range one.Chain {
			if got.Chain[j].Cert != one.Chain[j].Cert || got.Chain[j].SignatureValid != one.Chain[j].SignatureValid {
				t.Errorf("%s: link %d differs", c.SHA1, j)
			}
		}
	}
	t.Logf("verdicts at %s: %v", at.Format("2006-01-02"), verdicts)
	if verdicts[pki.Valid] == 0 {
		t.Error("no valid chain in the accredited bundle")
	}
}
