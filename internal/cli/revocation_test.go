package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/revocation"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// The revocation PKI of testdata/revocation (scripts/gen-revocation-pki.sh).
func revPath(t *testing.T, name string) string {
	return filepath.Join(testutil.Testdata(t, "revocation"), name)
}

func revBytes(t *testing.T, name string) []byte {
	b, err := os.ReadFile(revPath(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// revServer serves the PKI's CRL addresses on loopback; the OCSP
// responder and the mirror are down (404). The test app's live host
// reaches it through the Resolve seam, loopback only.
func revApp(t *testing.T, crl []byte) (*App, *bytes.Buffer, *bytes.Buffer) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch strings.Split(r.Host, ":")[0] + r.URL.Path {
		case "crl.ca.test/int.crl":
			w.Write(crl)
		case "crl.root.test/root.crl":
			w.Write(revBytes(t, "root.crl"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	a, out, errb := newTestApp(t)
	addr := srv.Listener.Addr().String()
	a.NewLive = func(o host.LiveOptions) (host.Host, error) {
		if o.Net.Offline {
			t.Error("the network is off")
		}
		o.Net.LoopbackOnly, o.Net.Proxy = true, host.NetProxyDirect
		o.Net.Resolve = map[string]string{"crl.ca.test": addr, "crl-mirror.ca.test": addr, "ocsp.ca.test": addr, "crl.root.test": addr}
		return host.NewLive(o)
	}
	return a, out, errb
}

func TestCertVerifyRevocation(t *testing.T) {
	cleanEnv(t)
	args := func(leaf string) []string {
		return []string{"cert", "verify", revPath(t, leaf), "--ca", revPath(t, "int.pem"), "--root", revPath(t, "root.pem"),
			"--at", "2027-01-01", "--revocation", "--lang", "en"}
	}
	a, out, errb := revApp(t, revBytes(t, "int.crl"))
	r := run(t, a, out, errb, args("leaf-good.pem")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Revocation:") || !strings.Contains(r.stdout, "not revoked") {
		t.Fatalf("good: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	a, out, errb = revApp(t, revBytes(t, "int.crl"))
	r = run(t, a, out, errb, args("leaf-revoked.pem")...)
	if r.code != 1 || !strings.Contains(r.stdout, "REVOKED") || !strings.Contains(r.stdout, "keyCompromise") || !strings.Contains(r.stdout, "http://crl.ca.test/int.crl") {
		t.Fatalf("revoked: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// An expired list and the other addresses down: exit 1, naming them.
	a, out, errb = revApp(t, revBytes(t, "int-expired.crl"))
	r = run(t, a, out, errb, append(args("leaf-good.pem"), "--format", "json")...)
	if r.code != 1 {
		t.Fatalf("expired: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var doc certVerifyJSON
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Status != "valid" || len(doc.Revocation) != 2 || doc.Revocation[0].Verdict != revocation.VerdictUnknown {
		t.Fatalf("json: %+v", doc)
	}
	got := map[string]string{}
	for _, s := range doc.Revocation[0].Sources {
		got[s.URL] = s.Outcome + "/" + s.ErrorKind
	}
	if got["http://crl.ca.test/int.crl"] != "expired/" || got["http://crl-mirror.ca.test/int.crl"] != "unreachable/http-status" || got["http://ocsp.ca.test/ocsp"] != "unreachable/http-status" {
		t.Errorf("sources %v", got)
	}
	// --offline with --revocation is a contradiction: exit 2.
	a, out, errb = revApp(t, revBytes(t, "int.crl"))
	if r := run(t, a, out, errb, append(args("leaf-good.pem"), "--offline")...); r.code != 2 {
		t.Errorf("offline: exit %d %s", r.code, r.stderr)
	}
}

// explain 0x80092013 runs the revocation check and prints its finding;
// here on a snapshot whose CRL hosts were unreachable when collected.
func TestExplainRevocationOffline(t *testing.T) {
	cleanEnv(t)
	leaf, inter := mustRev(t, "leaf-good.pem"), mustRev(t, "int.pem")
	req, err := pki.OCSPRequest(leaf, inter)
	if err != nil {
		t.Fatal(err)
	}
	snap := doctortest.Windows().At(mustAt(t)).
		Cert(host.LocalMachine, host.StoreRoot, mustRev(t, "root.pem").Raw, nil).
		Cert(host.LocalMachine, host.StoreCA, inter.Raw, nil).
		Cert(host.CurrentUser, host.StoreMy, leaf.Raw, &host.KeyLink{Container: `\\.\HDIMAGE\k`}).Snapshot()
	snap.Network = &host.SnapNetwork{HTTP: []host.HTTPResponse{
		{URL: "http://crl.ca.test/int.crl", Error: "dial tcp 10.1.1.1:80: i/o timeout", ErrorKind: host.NetTimeout},
		{URL: "http://crl-mirror.ca.test/int.crl", Error: "lookup crl-mirror.ca.test: no such host", ErrorKind: host.NetDNS},
		{URL: "http://ocsp.ca.test/ocsp", Method: "POST", RequestBody: req, Error: "dial tcp 10.1.1.2:80: i/o timeout", ErrorKind: host.NetTimeout},
		{URL: "http://crl.root.test/root.crl", Status: 200, Body: revBytes(t, "root.crl")},
	}}
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, snap); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "ws.json", buf.String())
	r := runCLI(t, "explain", "0x80092013", "--snapshot", path, "--lang", "en")
	for _, w := range []string{"Certificate revocation (CRL, OCSP)", "crl.ca.test:80 in time", "crl-mirror.ca.test does not resolve", "Open crl-mirror.ca.test, crl.ca.test, ocsp.ca.test"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("explain lacks %q:\n%s", w, r.stdout)
		}
	}
	if r.code != 1 {
		t.Errorf("exit %d", r.code)
	}
}

func mustRev(t *testing.T, name string) *pki.Certificate {
	cs, err := pki.Parse(revBytes(t, name))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %v", name, err)
	}
	return cs[0]
}

func mustAt(t *testing.T) time.Time { return time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC) }

// net.resolve keys are host names with dots (and ports): they must reach
// the live host intact.
func TestConfigNetSection(t *testing.T) {
	cleanEnv(t)
	cfgFile := writeFile(t, "c.yaml", "offline: true\nnet_budget: 45s\nnet:\n  proxy: direct\n  resolve:\n    \"crl.roskazna.ru\": \"10.0.0.5\"\n    \"ocsp.ca.test:80\": \"127.0.0.1:8080\"\n")
	a, out, errb := newTestApp(t)
	var got host.LiveOptions
	a.NewLive = func(o host.LiveOptions) (host.Host, error) { got = o; return doctortest.Linux().Host(), nil }
	run(t, a, out, errb, "check", "os-support", "--config", cfgFile)
	if !got.Net.Offline || got.Net.Proxy != "direct" || got.Net.Resolve["crl.roskazna.ru"] != "10.0.0.5" || got.Net.Resolve["ocsp.ca.test:80"] != "127.0.0.1:8080" {
		t.Errorf("net options %+v (stderr %s)", got.Net, errb.String())
	}
	bad := writeFile(t, "b.yaml", "net:\n  resolve:\n    \"crl.roskazna.ru\": \"not-an-ip\"\n")
	if r := runCLI(t, "check", "os-support", "--config", bad); r.code != 2 || !strings.Contains(r.stderr, "net.resolve") {
		t.Errorf("bad resolve: exit %d %s", r.code, r.stderr)
	}
}
