package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// hostile is what a crafted snapshot or certificate may carry: an OSC that
// retitles the terminal, a screen clear, BEL, NUL, a C1 CSI and a bidi
// override.
const hostile = "evil\x1b]0;pwned\x07\x1b[2J\x00\u009b31m\u202egnp.exe"

// wantTerminalSafe fails when out holds a character that acts on a
// terminal.
func wantTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\x00", "\u009b", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s holds %q:\n%q", what, bad, out)
		}
	}
}

// hostileSnapshot is windows10-healthy.json with a hostile hostname,
// product name and user, the hostname 2 MB long.
func hostileSnapshot(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(workstation(t, "windows10-healthy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	doc["hostname"] = hostile + strings.Repeat("h", 2<<20)
	doc["product_name"] = "Windows 10 " + hostile
	doc["user"] = hostile
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "hostile.json")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTextOutputIsTerminalSafe(t *testing.T) {
	cleanEnv(t)
	snap := hostileSnapshot(t)
	r := runCLI(t, "check", "--snapshot", snap, "-v", "--lang", "en")
	if r.code > 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	wantTerminalSafe(t, "check text", r.stdout)
	if !strings.Contains(r.stdout, `evil\x1b]0;pwned\x07`) || len(r.stdout) > 200<<10 {
		t.Errorf("hostname not shown escaped and shortened (%d bytes):\n%.2000s", len(r.stdout), r.stdout)
	}
	r = runCLI(t, "check", "--snapshot", snap, "--format", "prometheus")
	if r.code > 1 {
		t.Fatalf("prometheus exit %d: %s", r.code, r.stderr)
	}
	wantTerminalSafe(t, "prometheus", r.stdout)
	// JSON keeps the value exactly (escaped by JSON itself).
	r = runCLI(t, "check", "--snapshot", snap, "--format", "json")
	if d := decodeReport(t, r.stdout); !strings.HasPrefix(d.Host.Hostname, hostile) || len(d.Host.Hostname) != len(hostile)+2<<20 {
		t.Errorf("JSON hostname changed: %.80q", d.Host.Hostname)
	}
}

func TestErrorLinesAreTerminalSafe(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	long := filepath.Join(dir, hostile+strings.Repeat("p", 200))
	r := runCLI(t, "check", "--snapshot", long)
	wantOneLine(t, r)
	wantTerminalSafe(t, "error line", r.stderr)
	if !strings.Contains(r.stderr, `evil\x1b]0;pwned\x07`) {
		t.Errorf("path not quoted escaped: %q", r.stderr)
	}
	// A 5 MB value in an error line is shortened.
	huge := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(huge, []byte("site: "+strings.Repeat("x", 500<<10)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "check", "--snapshot", workstation(t, "windows10-healthy.json"), "--config", huge)
	wantOneLine(t, r)
	if len(r.stderr) > 4<<10 {
		t.Errorf("error line is %d bytes", len(r.stderr))
	}
}

func TestCertShowIsTerminalSafe(t *testing.T) {
	cleanEnv(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(7),
		Subject:               pkix.Name{CommonName: hostile, Organization: []string{"Org " + hostile}},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		CRLDistributionPoints: []string{"http://crl.example/\x1b[2J.crl"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "hostile.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "cert", "show", p, "--lang", "en")
	if r.code != 0 {
		t.Fatalf("cert show exit %d: %s", r.code, r.stderr)
	}
	wantTerminalSafe(t, "cert show", r.stdout)
	if !strings.Contains(r.stdout, `evil\x1b]0;pwned\x07`) {
		t.Errorf("subject not shown escaped:\n%s", r.stdout)
	}
	r = runCLI(t, "cert", "verify", p, "--lang", "en", "--at", "2026-01-01")
	wantTerminalSafe(t, "cert verify", r.stdout+r.stderr)
	if !strings.Contains(r.stdout, `evil\x1b]0;pwned\x07`) {
		t.Errorf("verify does not name the certificate:\n%s", r.stdout)
	}
}

// cert verify gives up after --timeout with a one-line error (exit 2).
func TestCertVerifyTimeout(t *testing.T) {
	cleanEnv(t)
	slow := verifyChain
	defer func() { verifyChain = slow }()
	verifyChain = func(leaf *pki.Certificate, o pki.VerifyOptions) *pki.ChainResult {
		time.Sleep(3 * time.Second)
		return slow(leaf, o)
	}
	leaf := testutil.Testdata(t, "certs", "realworld", "ee-gost2012-gisgkh-operator-2022-by-kazn-rossii-2022-01.der")
	start := time.Now()
	r := runCLI(t, "cert", "verify", leaf, "--timeout", "100ms", "--lang", "en")
	wantOneLine(t, r, "no verdict", "100ms", "--timeout")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %s", d)
	}
}
