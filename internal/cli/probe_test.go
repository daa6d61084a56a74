package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe/tlsprobetest"
)

// loopbackApp runs the CLI, each time as a fresh App whose live host may
// only reach loopback.
func loopbackApp(t *testing.T) (*App, func(args ...string) result) {
	t.Helper()
	cleanEnv(t)
	runOnce := func(args ...string) result {
		a, out, errb := newTestApp(t)
		a.NewLive = func(o host.LiveOptions) (host.Host, error) {
			o.Net.LoopbackOnly = true
			o.Net.Proxy = host.NetProxyDirect
			return host.NewLive(o)
		}
		return run(t, a, out, errb, args...)
	}
	return nil, runOnce
}

// TestProbeGOSTServer: `probe https://127.0.0.1:PORT` against OpenSSL's
// GOST s_server prints the negotiated suite and the chain verdict.
func TestProbeGOSTServer(t *testing.T) {
	bin := tlsprobetest.RequireGOST(t)
	p := tlsprobetest.NewPKI(t, bin, "Test GOST Root")
	other := tlsprobetest.NewPKI(t, bin, "Other GOST Root")
	srv := tlsprobetest.StartGOSTServer(t, bin, p)
	_, probe := loopbackApp(t)

	r := probe("probe", "https://"+srv.Addr+"/", "--root", p.RootPEM, "--lang", "en")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"GOST-TLS", "TLS 1.2, TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC (0xC100)", "Test GOST Root", "Verdict: reachable and trusted"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	r = probe("probe", srv.Addr, "--root", other.RootPEM, "--format", "json")
	if r.code != 1 {
		t.Fatalf("untrusted root: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var doc struct {
		Verdict string `json:"verdict"`
		Mode    string `json:"mode"`
		TLS     struct {
			CipherSuite string `json:"cipher_suite"`
		} `json:"tls"`
		Chain    []struct{ SHA1 string } `json:"chain"`
		Findings []struct{ Code string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	if doc.Verdict != "root-missing" || doc.Mode != "gost" || doc.TLS.CipherSuite != "0xC100" || len(doc.Chain) != 2 ||
		len(doc.Findings) != 1 || doc.Findings[0].Code != "sites.root-missing" {
		t.Errorf("json %+v", doc)
	}
}

// TestProbeRSAServer: auto mode falls back to standard TLS for a server
// without GOST; a closed port is unreachable; bad arguments exit 2.
func TestProbeRSAServer(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	_, probe := loopbackApp(t)
	root := writeFile(t, "rsa.pem", string(pemCert(srv.Certificate().Raw)))

	r := probe("probe", srv.URL, "--root", root, "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "standard TLS") || !strings.Contains(r.stdout, "reachable and trusted") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = probe("probe", srv.URL, "--tls", "gost", "--root", root, "--lang", "en")
	if r.code != 1 || !strings.Contains(r.stdout, "does not offer GOST") {
		t.Errorf("gost only: exit %d\n%s", r.code, r.stdout)
	}
	r = probe("probe", "https://"+tlsprobetest.ClosedPort(t), "--root", root, "--lang", "en")
	if r.code != 1 || !strings.Contains(r.stdout, "unreachable") {
		t.Errorf("closed port: exit %d\n%s", r.code, r.stdout)
	}
	for _, args := range [][]string{
		{"probe", "http://example.test/"},
		{"probe", "https://x:99999"},
		{"probe", srv.URL, "--tls", "sslv2"},
		{"probe", srv.URL, "--format", "xml"},
		{"probe", srv.URL, "--root", "/nonexistent/root.pem"},
	} {
		if r := probe(args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := probe("probe", srv.URL, "--offline"); r.code != 2 || !strings.Contains(r.stderr, "offline") {
		t.Errorf("--offline: exit %d %s", r.code, r.stderr)
	}
}

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestProbeCAFlag: a server that omits its intermediate is incomplete
// until --ca supplies it.
func TestProbeCAFlag(t *testing.T) {
	now := time.Now()
	rootKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rootTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Probe Test Root"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), SubjectKeyId: []byte{1}}
	rootDER, _ := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	root, _ := x509.ParseCertificate(rootDER)
	intKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	intTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Probe Test Intermediate"}, IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), SubjectKeyId: []byte{2}}
	intDER, _ := x509.CreateCertificate(rand.Reader, intTmpl, root, &intKey.PublicKey, rootKey)
	inter, _ := x509.ParseCertificate(intDER)
	leafKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, inter, &leafKey.PublicKey, intKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}}}
	srv.StartTLS()
	defer srv.Close()
	rootFile := writeFile(t, "root.pem", string(pemCert(rootDER)))
	intFile := writeFile(t, "int.pem", string(pemCert(intDER)))
	_, probe := loopbackApp(t)
	if r := probe("probe", srv.URL, "--tls", "standard", "--root", rootFile, "--lang", "en"); r.code != 1 || !strings.Contains(r.stdout, "Probe Test Intermediate") {
		t.Errorf("without --ca: exit %d\n%s", r.code, r.stdout)
	}
	if r := probe("probe", srv.URL, "--tls", "standard", "--root", rootFile, "--ca", intFile, "--lang", "en"); r.code != 0 || !strings.Contains(r.stdout, "Probe Test Root") {
		t.Errorf("with --ca: exit %d\n%s", r.code, r.stdout)
	}
}
