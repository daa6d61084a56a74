package pki

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

type manifest struct {
	OpenSSL string         `json:"openssl"`
	Cases   []manifestCase `json:"cases"`
}

type manifestCase struct {
	Name          string   `json:"name"`
	Expect        Verdict  `json:"expect"`
	Leaf          string   `json:"leaf"`
	Intermediates []string `json:"intermediates"`
	Roots         []string `json:"roots"`
	At            string   `json:"at"`
}

func readManifest(t *testing.T, dir string) manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if len(m.Cases) < 20 {
		t.Fatalf("manifest has %d cases", len(m.Cases))
	}
	return m
}

func loadFile(t *testing.T, path string) *Certificate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Parse(b)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %d certificates, %v", path, len(cs), err)
	}
	return cs[0]
}

func (mc manifestCase) verify(t *testing.T, dir string) *ChainResult {
	t.Helper()
	at, err := time.Parse(time.RFC3339, mc.At)
	if err != nil {
		t.Fatal(err)
	}
	ints, roots := NewPool(), NewPool()
	for _, f := range mc.Intermediates {
		ints.Add(loadFile(t, filepath.Join(dir, f)))
	}
	for _, f := range mc.Roots {
		roots.Add(loadFile(t, filepath.Join(dir, f)))
	}
	return Verify(loadFile(t, filepath.Join(dir, mc.Leaf)), VerifyOptions{Intermediates: ints, Roots: roots, At: at})
}

// TestGeneratedFixtures: the committed OpenSSL-generated PKIs get the
// verdicts their manifest states (no OpenSSL needed).
func TestGeneratedFixtures(t *testing.T) {
	dir := testutil.Testdata(t, "pki")
	m := readManifest(t, dir)
	seen := map[Verdict]bool{}
	curves := map[string]bool{}
	for _, mc := range m.Cases {
		mc := mc
		seen[mc.Expect] = true
		t.Run(mc.Name, func(t *testing.T) {
			r := mc.verify(t, dir)
			if r.Verdict != mc.Expect {
				t.Fatalf("verdict %s (%s), want %s", r.Verdict, r.Reason, mc.Expect)
			}
			leaf := r.Chain[0].Cert
			curves[leaf.PublicKeyAlgorithm+" "+leaf.PublicKeyParamSet] = true
			if mc.Expect == Valid && (len(r.Chain) != 3 || !r.Chain[0].SignatureValid || !r.Chain[1].SignatureValid || !r.Chain[2].SignatureValid) {
				t.Errorf("valid chain of %d links with signatures %v %v", len(r.Chain), r.Chain[0].SignatureValid, r.Chain[1].SignatureValid)
			}
			if mc.Expect != Valid && r.ProblemIndex < 0 {
				t.Error("failed verdict without problem index")
			}
		})
	}
	// the chain as OpenSSL writes a .p7b: leaf, intermediate, root
	p7b, err := os.ReadFile(filepath.Join(dir, "gost2012-256-cryptopro-xcha", "chain.p7b"))
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := Parse(p7b); err != nil || len(cs) != 3 || cs[0].Subject.Get("SNILS") != "12345678901" || !cs[2].IsSelfIssued() {
		t.Errorf("chain.p7b: %d certificates, %v", len(cs), err)
	}
	for _, v := range []Verdict{Valid, Incomplete, Untrusted, BadSignature, Expired, NotYetValid, Malformed} {
		if !seen[v] {
			t.Errorf("no fixture for verdict %s", v)
		}
	}
	if len(curves) < 13 {
		t.Errorf("fixtures cover %d key algorithm and parameter set pairs, want 13", len(curves))
	}
}

var opensslErr = regexp.MustCompile(`error (\d+) at (\d+) depth`)

// opensslVerdict maps `openssl verify` results to our verdicts.
func opensslVerdict(code int) Verdict {
	switch code {
	case 0:
		return Valid
	case 2, 3, 20: // unable to get issuer certificate (locally)
		return Incomplete
	case 18, 19: // self-signed certificate (in chain)
		return Untrusted
	case 7, 6: // signature failure, unable to decode issuer key
		return BadSignature
	case 9:
		return NotYetValid
	case 10:
		return Expired
	case 24, 25, 32, 34, 79: // invalid CA, path length, no keyCertSign, unhandled critical extension
		return Malformed
	}
	return Verdict(fmt.Sprintf("openssl-error-%d", code))
}

// TestOpenSSLAgreement regenerates a PKI with scripts/gen-gost-pki.sh and
// checks every case three ways: the manifest, OpenSSL and Verify agree.
func TestOpenSSLAgreement(t *testing.T) {
	if testing.Short() {
		t.Skip("runs OpenSSL about 100 times; skipped with -short")
	}
	openssl := testutil.RequireTool(t, "openssl", "the oracle for GOST chain verdicts")
	if err := exec.Command(openssl, "engine", "gost", "-c").Run(); err != nil {
		testutil.Missing(t, "the OpenSSL gost engine is not installed (apt-get install libengine-gost-openssl)")
	}
	dir := t.TempDir()
	script := filepath.Join(testutil.RepoRoot(t), "scripts", "gen-gost-pki.sh")
	out, err := exec.Command("bash", script, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	m := readManifest(t, dir)
	agree := 0
	for _, mc := range m.Cases {
		mc := mc
		t.Run(mc.Name, func(t *testing.T) {
			ours := mc.verify(t, dir)
			theirs, detail := runOpenSSLVerify(t, openssl, dir, mc)
			if ours.Verdict != mc.Expect || theirs != mc.Expect {
				t.Fatalf("manifest %s, ours %s (%s), openssl %s (%s)", mc.Expect, ours.Verdict, ours.Reason, theirs, detail)
			}
			agree++
		})
	}
	t.Logf("%d of %d cases: manifest, OpenSSL (%s) and Verify agree", agree, len(m.Cases), m.OpenSSL)
}

func runOpenSSLVerify(t *testing.T, openssl, dir string, mc manifestCase) (Verdict, string) {
	t.Helper()
	at, err := time.Parse(time.RFC3339, mc.At)
	if err != nil {
		t.Fatal(err)
	}
	cat := func(name string, files []string) string {
		var b strings.Builder
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	args := []string{"verify", "-engine", "gost", "-attime", strconv.FormatInt(at.Unix(), 10)}
	if len(mc.Roots) > 0 {
		args = append(args, "-CAfile", cat("roots.pem", mc.Roots))
	} else {
		args = append(args, "-no-CAfile", "-no-CApath", "-no-CAstore")
	}
	if len(mc.Intermediates) > 0 {
		args = append(args, "-untrusted", cat("ints.pem", mc.Intermediates))
	}
	args = append(args, filepath.Join(dir, mc.Leaf))
	out, err := exec.Command(openssl, args...).CombinedOutput()
	text := string(out)
	if err == nil && strings.Contains(text, ": OK") {
		return Valid, "OK"
	}
	if m := opensslErr.FindStringSubmatch(text); m != nil {
		code, _ := strconv.Atoi(m[1])
		return opensslVerdict(code), strings.TrimSpace(text)
	}
	t.Fatalf("cannot read the openssl result: %v\n%s", err, text)
	return "", ""
}

// opensslDiffers lists the real-chain cases where OpenSSL's verdict
// differs from ours on purpose, with the verdict OpenSSL gives.
var opensslDiffers = map[string]Verdict{
	// The ФК 2024 CA's authorityKeyIdentifier carries the issuer name and
	// serial of the self-signed Минцифры 2022 root. OpenSSL requires that
	// serial to match and so never takes the cross certificate (same name
	// and key, another serial, issued by Минкомсвязь 2021) as the issuer:
	// error 20. The signature verifies with the cross certificate's key,
	// and Windows matches issuers by key identifier, so our verdict is valid.
	"zhilkom 2025 via the cross certificate to Минкомсвязь 2021": Incomplete,
}

// TestOpenSSLAgreesOnRealChains runs every real-chain case of
// TestRealChains through `openssl verify -engine gost` too.
func TestOpenSSLAgreesOnRealChains(t *testing.T) {
	if testing.Short() {
		t.Skip("runs OpenSSL; skipped with -short")
	}
	openssl := testutil.RequireTool(t, "openssl", "the oracle for GOST chain verdicts")
	if err := exec.Command(openssl, "engine", "gost", "-c").Run(); err != nil {
		testutil.Missing(t, "the OpenSSL gost engine is not installed (apt-get install libengine-gost-openssl)")
	}
	tmp := t.TempDir()
	for _, tc := range realChainCases() {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			// openssl wants PEM for -CAfile/-untrusted and reads DER leaves only with -inform
			pemOf := func(name string) string {
				c := realCert(t, name)
				p := filepath.Join(tmp, name+".pem")
				data := "-----BEGIN CERTIFICATE-----\n" + wrap76(base64.StdEncoding.EncodeToString(c.Raw), "\n") + "-----END CERTIFICATE-----\n"
				if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
					t.Fatal(err)
				}
				return filepath.Base(p)
			}
			mc := manifestCase{Name: tc.name, Expect: tc.want, Leaf: pemOf(tc.leaf), At: day(tc.at).Format(time.RFC3339)}
			for _, n := range tc.intermediates {
				mc.Intermediates = append(mc.Intermediates, pemOf(n))
			}
			for _, n := range tc.roots {
				mc.Roots = append(mc.Roots, pemOf(n))
			}
			got, detail := runOpenSSLVerify(t, openssl, tmp, mc)
			want := tc.want
			if v, ok := opensslDiffers[tc.name]; ok {
				want = v
			}
			if got != want {
				t.Errorf("openssl: %s (%s), want %s (ours: %s)", got, detail, want, tc.want)
			}
		})
	}
}
