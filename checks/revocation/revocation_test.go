package revocation_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/revocation"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// The PKI and its CRLs and OCSP answers are made by
// scripts/gen-revocation-pki.sh with OpenSSL's gost engine. The
// certificates' addresses (crl.ca.test, crl-mirror.ca.test, ocsp.ca.test,
// crl.root.test) are pointed at loopback servers through the host's
// Resolve seam; LoopbackOnly makes sure nothing else is reachable.

func file(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.Testdata(t, "revocation"), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cert(t testing.TB, name string) *pki.Certificate {
	t.Helper()
	cs, err := pki.Parse(file(t, name))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %v", name, err)
	}
	return cs[0]
}

// clock is after the OCSP answers were made (they carry the generation
// time) and before anything expires.
func clock(t testing.TB) time.Time {
	at := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	r, err := pki.ParseOCSPResponse(file(t, "ocsp-good.der"))
	if err != nil {
		t.Fatal(err)
	}
	if p := r.ProducedAt.Add(time.Hour); p.After(at) {
		at = p
	}
	return at
}

// workstation has the test chain installed, with the given personal
// certificates.
func workstation(t testing.TB, leaves ...string) *doctortest.SnapBuilder {
	b := doctortest.Linux().At(clock(t)).
		Cert(host.CurrentUser, host.StoreRoot, cert(t, "root.pem").Raw, nil).
		Cert(host.CurrentUser, host.StoreCA, cert(t, "int.pem").Raw, nil)
	for _, l := range leaves {
		b.Cert(host.CurrentUser, host.StoreMy, cert(t, l).Raw, &host.KeyLink{Container: `\\.\HDIMAGE\test`})
	}
	return b
}

// pkiServer serves the CRL and OCSP addresses; routes maps "host/path" to
// a handler, by default the good answers.
type pkiServer struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   int32
}

func serveBytes(b []byte, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(b)
	}
}

func newPKIServer(t *testing.T) *pkiServer {
	s := &pkiServer{routes: map[string]http.HandlerFunc{
		"crl.ca.test/int.crl":        serveBytes(file(t, "int.crl"), "application/pkix-crl"),
		"crl-mirror.ca.test/int.crl": serveBytes(file(t, "int.crl"), "application/pkix-crl"),
		"crl.root.test/root.crl":     serveBytes(file(t, "root.crl"), "application/pkix-crl"),
		"ocsp.ca.test/ocsp":          ocspResponder(t, nil),
	}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&s.hits, 1)
		s.mu.Lock()
		h := s.routes[strings.Split(r.Host, ":")[0]+r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *pkiServer) set(route string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[route] = h
	s.mu.Unlock()
}

// ocspResponder answers with the OpenSSL-made answer for the certificate
// asked about (by the request bytes), or with fixed bytes.
func ocspResponder(t *testing.T, fixed []byte) http.HandlerFunc {
	good, revoked := file(t, "ocsp-req-good.der"), file(t, "ocsp-req-revoked.der")
	goodResp, revokedResp := file(t, "ocsp-good.der"), file(t, "ocsp-revoked.der")
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/ocsp-response")
		switch {
		case fixed != nil:
			w.Write(fixed)
		case r.Method != "POST" || r.Header.Get("Content-Type") != "application/ocsp-request":
			w.WriteHeader(http.StatusBadRequest)
		case bytes.Equal(body, good):
			w.Write(goodResp)
		case bytes.Equal(body, revoked):
			w.Write(revokedResp)
		default:
			w.Write([]byte{0x30, 0x03, 0x0a, 0x01, 0x06}) // unauthorized
		}
	}
}

func liveNet(t *testing.T, resolve map[string]string, offline bool) host.Host {
	return doctortest.LoopbackNet(t, resolve, offline)
}

func allTo(addr string) map[string]string {
	m := map[string]string{}
	for _, n := range []string{"crl.ca.test", "crl-mirror.ca.test", "ocsp.ca.test", "crl.root.test"} {
		m[n] = addr
	}
	return m
}

func (s *pkiServer) host(t *testing.T, b *doctortest.SnapBuilder) host.Host {
	return doctortest.WithNetwork(b.Host(), liveNet(t, allTo(s.Listener.Addr().String()), false))
}

func run(t *testing.T, h host.Host, opts doctor.Options) *doctor.Result {
	t.Helper()
	return doctortest.Run(t, revocation.Check, h, opts, nil)
}

func texts(res *doctor.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		b.WriteString(f.Code + " | " + f.Message.In(i18n.EN) + " | " + f.Hint.In(i18n.EN) + " | " + strings.Join(f.Commands, " && ") + "\n")
	}
	for _, n := range res.Notes {
		b.WriteString("note: " + n.In(i18n.EN) + "\n")
	}
	return b.String()
}

func wantFinding(t *testing.T, res *doctor.Result, code string, parts ...string) doctor.Finding {
	t.Helper()
	for _, f := range res.Findings {
		if f.Code != code {
			continue
		}
		all := f.Message.In(i18n.EN) + " " + f.Hint.In(i18n.EN) + " " + strings.Join(f.Commands, " ")
		for _, p := range parts {
			if !strings.Contains(all, p) {
				t.Errorf("%s lacks %q:\n%s", code, p, texts(res))
			}
		}
		return f
	}
	t.Fatalf("no %s finding (status %s, reason %s):\n%s", code, res.Status, res.Reason.In(i18n.EN), texts(res))
	return doctor.Finding{}
}

func TestGoodChain(t *testing.T) {
	s := newPKIServer(t)
	res := run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusOK)
	out := texts(res)
	for _, w := range []string{"not revoked (CRL http://crl.ca.test/int.crl", "Тестовый УЦ отзыва", "not revoked (CRL http://crl.root.test/root.crl"} {
		if !strings.Contains(out, w) {
			t.Errorf("notes lack %q:\n%s", w, out)
		}
	}
	if res.Summary.In(i18n.EN) != "2 of 2 certificates checked" {
		t.Errorf("summary %q", res.Summary.In(i18n.EN))
	}
}

func TestRevoked(t *testing.T) {
	s := newPKIServer(t)
	res := run(t, s.host(t, workstation(t, "leaf-revoked.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	wantFinding(t, res, "revocation.revoked", "revoked since 2025-03-15", "keyCompromise", "request a new certificate")
	// Only OCSP says so (the CRL is gone): still revoked.
	s.set("crl.ca.test/int.crl", http.NotFound)
	s.set("crl-mirror.ca.test/int.crl", http.NotFound)
	res = run(t, s.host(t, workstation(t, "leaf-revoked.pem")), doctor.Options{})
	wantFinding(t, res, "revocation.revoked", "OCSP http://ocsp.ca.test/ocsp", "keyCompromise")
}

func TestExpiredCRL(t *testing.T) {
	s := newPKIServer(t)
	exp := serveBytes(file(t, "int-expired.crl"), "application/pkix-crl")
	s.set("crl.ca.test/int.crl", exp)
	s.set("crl-mirror.ca.test/int.crl", exp)
	s.set("ocsp.ca.test/ocsp", http.NotFound)
	res := run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	wantFinding(t, res, "revocation.crl-expired", "expired 2021-01-01", "0x80092013", "HTTP 404")
	// On Windows the fix clears CryptoAPI's cached copy.
	res = run(t, s.host(t, windows(t, "leaf-good.pem")), doctor.Options{})
	wantFinding(t, res, "revocation.crl-expired", `certutil -urlcache http://crl.ca.test/int.crl delete`, `ChainCacheResyncFiletime`)
}

func windows(t testing.TB, leaves ...string) *doctortest.SnapBuilder {
	b := doctortest.Windows().At(clock(t)).
		Cert(host.LocalMachine, host.StoreRoot, cert(t, "root.pem").Raw, nil).
		Cert(host.LocalMachine, host.StoreCA, cert(t, "int.pem").Raw, nil)
	for _, l := range leaves {
		b.Cert(host.CurrentUser, host.StoreMy, cert(t, l).Raw, &host.KeyLink{Container: `\\.\HDIMAGE\test`})
	}
	return b
}

func TestWrongSigner(t *testing.T) {
	s := newPKIServer(t)
	wrong := serveBytes(file(t, "int-wrong-signer.crl"), "application/pkix-crl")
	s.set("crl.ca.test/int.crl", wrong)
	s.set("crl-mirror.ca.test/int.crl", wrong)
	s.set("ocsp.ca.test/ocsp", ocspResponder(t, file(t, "ocsp-wrong-signer.der")))
	res := run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	wantFinding(t, res, "revocation.crl-wrong-signer", "signed by another key than the issuer's", cert(t, "int.pem").SubjectKeyIDHex())
}

func TestGarbage(t *testing.T) {
	s := newPKIServer(t)
	page := serveBytes([]byte("<html><body>Доступ запрещён политикой</body></html>"), "text/html; charset=utf-8")
	s.set("crl.ca.test/int.crl", page)
	s.set("crl-mirror.ca.test/int.crl", page)
	s.set("ocsp.ca.test/ocsp", ocspResponder(t, []byte("\x30\x82\xff\xffgarbage")))
	res := run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	wantFinding(t, res, "revocation.malformed", "Content-Type text/html", "parse CRL", "parse OCSP response", "block or login page")
}

// The workstation whose Treasury-like CRL host is unreachable: the finding
// names the host and the URL, and the fix names the host to open.
func TestUnreachable(t *testing.T) {
	s := newPKIServer(t)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	resolve := allTo(s.Listener.Addr().String())
	resolve["crl.ca.test"] = closed       // port closed
	delete(resolve, "crl-mirror.ca.test") // no such name
	resolve["ocsp.ca.test"] = closed
	h := doctortest.WithNetwork(workstation(t, "leaf-good.pem").Host(), liveNet(t, resolve, false))
	res := run(t, h, doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := wantFinding(t, res, "revocation.unreachable", "CRL http://crl.ca.test/int.crl: crl.ca.test:80 refused the connection",
		"CRL http://crl-mirror.ca.test/int.crl", "Open crl-mirror.ca.test, crl.ca.test, ocsp.ca.test (HTTP, port 80)", "the certificate names http://crl.ca.test/int.crl, http://crl-mirror.ca.test/int.crl", "curl -sS -o /dev/null")
	if f.URL != "http://crl.ca.test/int.crl" {
		t.Errorf("URL %q", f.URL)
	}
	// The Russian report names them too.
	if m := f.Message.In(i18n.RU); !strings.Contains(m, "crl.ca.test:80 отклонил соединение") {
		t.Errorf("ru: %s", m)
	}
}

func TestPartialWhenMirrorWorks(t *testing.T) {
	s := newPKIServer(t)
	s.set("crl.ca.test/int.crl", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	res := run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	wantFinding(t, res, "revocation.partial", "503 Service Unavailable", "crl.ca.test")
}

func TestHostileServers(t *testing.T) {
	s := newPKIServer(t)
	huge := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "104857600") // 100 MB
		w.Write(make([]byte, 1<<16))
	}
	s.set("crl.ca.test/int.crl", huge)
	s.set("crl-mirror.ca.test/int.crl", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	s.set("ocsp.ca.test/ocsp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ocsp", http.StatusTemporaryRedirect)
	})
	start := time.Now()
	res := run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	wantFinding(t, res, "revocation.unreachable", "104857600 bytes", "redirect refused", "file:///etc/passwd", "stopped after 5 redirects")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	// A dropped connection and a slow server within a 2 s online budget.
	s.set("crl.ca.test/int.crl", func(w http.ResponseWriter, r *http.Request) {
		c, _, _ := w.(http.Hijacker).Hijack()
		c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n0\x82"))
		c.Close()
	})
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(4 * time.Second):
		}
	}
	s.set("crl-mirror.ca.test/int.crl", slow)
	s.set("ocsp.ca.test/ocsp", slow)
	start = time.Now()
	res = run(t, s.host(t, workstation(t, "leaf-good.pem")), doctor.Options{NetBudget: 2 * time.Second})
	wantFinding(t, res, "revocation.unreachable", "crl.ca.test", "no answer from crl-mirror.ca.test:80 in time")
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("the 2 s budget took %v", d)
	}
}

func TestOfflineTouchesNothing(t *testing.T) {
	s := newPKIServer(t)
	h := doctortest.WithNetwork(workstation(t, "leaf-good.pem").Host(), liveNet(t, allTo(s.Listener.Addr().String()), true))
	res := run(t, h, doctor.Options{Offline: true})
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
	if !strings.Contains(res.Reason.In(i18n.EN), "--offline") {
		t.Errorf("reason %q", res.Reason.In(i18n.EN))
	}
	// Without Options.Offline the host refuses anyway, and the check
	// says why it did not run.
	res = run(t, h, doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
	if n := atomic.LoadInt32(&s.hits); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

// collect → check --snapshot: the replay gives the same verdicts with no
// server running.
func TestCollectThenReplay(t *testing.T) {
	s := newPKIServer(t)
	s.set("crl-mirror.ca.test/int.crl", http.NotFound)
	rec := host.NewRecorder(s.host(t, workstation(t, "leaf-revoked.pem", "leaf-good.pem")))
	live := run(t, rec, doctor.Options{})
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, rec.Snapshot("test")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	snap, err := host.LoadSnapshot(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Network == nil || len(snap.Network.HTTP) < 5 {
		t.Fatalf("network section: %+v", snap.Network)
	}
	replay := run(t, host.NewSnapshotHost(snap), doctor.Options{})
	if live.Status != replay.Status || texts(live) != texts(replay) {
		t.Errorf("live %s:\n%s\nreplay %s:\n%s", live.Status, texts(live), replay.Status, texts(replay))
	}
	wantFinding(t, replay, "revocation.revoked", "keyCompromise")
	wantFinding(t, replay, "revocation.partial", "HTTP 404")
	// A snapshot without a network section: skipped with the reason.
	old := doctortest.From(snap).Snapshot()
	old.Network = nil
	res := run(t, host.NewSnapshotHost(old), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}

func TestNoPersonal(t *testing.T) {
	res := run(t, doctortest.Linux().Host(), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}
