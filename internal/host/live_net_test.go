package host

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// All network tests talk to loopback servers only; certificate-like host
// names are pointed at them through the Resolve seam, and LoopbackOnly
// makes sure nothing else can be reached.

func testNet(resolve map[string]string) *netClient {
	return newNetClient(NetOptions{Resolve: resolve, LoopbackOnly: true, Proxy: NetProxyDirect}, nil)
}

func hostPort(t *testing.T, rawURL string) string {
	t.Helper()
	return strings.TrimPrefix(strings.TrimPrefix(rawURL, "http://"), "https://")
}

func TestHTTPGetThroughResolveSeam(t *testing.T) {
	var hits int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(&hits, 1)
		if r.Host != "crl.roskazna.ru" {
			t.Errorf("Host header %q", r.Host)
		}
		switch r.URL.Path {
		case "/crl/ucfk.crl":
			w.Header().Set("Content-Type", "application/pkix-crl")
			w.Header().Set("Last-Modified", "Wed, 01 Oct 2025 09:00:00 GMT")
			w.Write([]byte("crl-bytes"))
		case "/ocsp":
			b, _ := io.ReadAll(r.Body)
			if r.Method != "POST" || r.Header.Get("Content-Type") != "application/ocsp-request" {
				w.WriteHeader(400)
				return
			}
			w.Write(append([]byte("ocsp:"), b...))
		case "/missing":
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := testNet(map[string]string{"crl.roskazna.ru": hostPort(t, srv.URL)})
	ctx := context.Background()
	r, err := c.httpGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/crl/ucfk.crl"})
	if err != nil || !r.OK() || string(r.Body) != "crl-bytes" || r.Header["Content-Type"] != "application/pkix-crl" || r.Header["Last-Modified"] == "" {
		t.Fatalf("%+v %v", r, err)
	}
	r, _ = c.httpGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/ocsp", Body: []byte{1, 2}, ContentType: "application/ocsp-request"})
	if !r.OK() || string(r.Body) != "ocsp:\x01\x02" || r.Method != "POST" || string(r.RequestBody) != "\x01\x02" {
		t.Fatalf("POST: %+v", r)
	}
	r, _ = c.httpGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/missing"})
	if r.Status != 404 || r.ErrorKind != NetHTTPStatus || !strings.Contains(r.Error, "404") {
		t.Fatalf("404: %+v", r)
	}
	// Not mapped: loopback-only mode refuses before any DNS or connection.
	r, _ = c.httpGet(ctx, HTTPRequest{URL: "http://crl.fns.ru/x.crl"})
	if r.ErrorKind != NetRefused || r.OK() {
		t.Fatalf("unmapped host: %+v", r)
	}
	d, _ := c.lookupHost(ctx, "crl.roskazna.ru")
	if len(d.Addrs) != 1 || d.Addrs[0] != "127.0.0.1" {
		t.Fatalf("dns: %+v", d)
	}
	if d, _ := c.lookupHost(ctx, "nowhere.example"); d.ErrorKind != NetDNS {
		t.Fatalf("dns unmapped: %+v", d)
	}
	tcp, _ := c.dialTCP(ctx, "crl.roskazna.ru:80", time.Second)
	if tcp.Error != "" || tcp.RemoteAddr != hostPort(t, srv.URL) {
		t.Fatalf("tcp: %+v", tcp)
	}
	if got := atomic.LoadInt32(&hits); got != 3 {
		t.Fatalf("server saw %d requests, want 3", got)
	}
}

func TestHTTPGetBadInput(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/ok-redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/big", http.StatusFound) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(big)) })
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 64; i++ {
			w.Write([]byte(big[:64<<10]))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/drop", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"))
			conn.Close()
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := testNet(map[string]string{"ca.test": hostPort(t, srv.URL)})
	ctx := context.Background()
	for _, tc := range []struct {
		path string
		req  HTTPRequest
		kind NetErrorKind
		text string
	}{
		{"/loop", HTTPRequest{}, NetRedirect, "redirects"},
		{"/file", HTTPRequest{}, NetRedirect, "file:///etc/passwd"},
		{"/big", HTTPRequest{MaxBytes: 1000}, NetTooLarge, "1000"},
		{"/chunked", HTTPRequest{MaxBytes: 100 << 10}, NetTooLarge, "102400"},
		{"/slow", HTTPRequest{Timeout: 200 * time.Millisecond}, NetTimeout, ""},
		{"/drop", HTTPRequest{}, NetReset, ""},
	} {
		tc.req.URL = "http://ca.test" + tc.path
		start := time.Now()
		r, err := c.httpGet(ctx, tc.req)
		if err != nil || r.ErrorKind != tc.kind || !strings.Contains(r.Error, tc.text) || r.Body != nil {
			t.Errorf("%s: got %s %q (body %d bytes) err %v, want %s", tc.path, r.ErrorKind, r.Error, len(r.Body), err, tc.kind)
		}
		if time.Since(start) > 3*time.Second {
			t.Errorf("%s took %v", tc.path, time.Since(start))
		}
	}
	r, _ := c.httpGet(ctx, HTTPRequest{URL: "http://ca.test/ok-redirect"})
	if !r.OK() || len(r.Body) != len(big) || r.FinalURL != "http://ca.test/big" {
		t.Errorf("redirect: %d %q %d", r.Status, r.FinalURL, len(r.Body))
	}
	for _, u := range []string{"file:///etc/passwd", "ldap://ca.test/cn=crl", "http://", "::"} {
		r, err := c.httpGet(ctx, HTTPRequest{URL: u})
		if err != nil || r.ErrorKind != NetBadURL {
			t.Errorf("%s: %+v %v", u, r, err)
		}
	}
	// A cancelled caller gets its ctx error, not an answer.
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.httpGet(cctx, HTTPRequest{URL: "http://ca.test/slow"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("caller deadline: %v", err)
	}
	// A closed port.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	c2 := testNet(map[string]string{"closed.test": addr})
	if r, _ := c2.httpGet(ctx, HTTPRequest{URL: "http://closed.test/x"}); r.ErrorKind != NetRefused {
		t.Errorf("closed port: %+v", r)
	}
	if a, _ := c2.dialTCP(ctx, "closed.test:80", time.Second); a.ErrorKind != NetRefused {
		t.Errorf("closed port tcp: %+v", a)
	}
}

func TestOfflineTouchesNothing(t *testing.T) {
	var hits int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { atomic.AddInt32(&hits, 1) }))
	defer srv.Close()
	h, err := NewLive(LiveOptions{Net: NetOptions{Offline: true, Resolve: map[string]string{"crl.test": hostPort(t, srv.URL)}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := h.HTTPGet(ctx, HTTPRequest{URL: "http://crl.test/"}); err != ErrOffline {
		t.Errorf("http: %v", err)
	}
	if _, err := h.LookupHost(ctx, "crl.test"); err != ErrOffline {
		t.Errorf("dns: %v", err)
	}
	if _, err := h.DialTCP(ctx, "crl.test:80", time.Second); err != ErrOffline {
		t.Errorf("tcp: %v", err)
	}
	if _, err := h.TLSHandshake(ctx, TLSRequest{Addr: "crl.test:443", Mode: TLSGOST}); err != ErrOffline {
		t.Errorf("tls: %v", err)
	}
	if n := atomic.LoadInt32(&hits); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

// connectProxy is a loopback HTTP proxy: CONNECT tunnels (to the address
// the test gives for every host) and absolute-URI GETs answered itself.
type connectProxy struct {
	tunnelTo string
	connects int32
	gets     int32
	auth     string // required Proxy-Authorization, "" for none
}

func (p *connectProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.auth != "" && r.Header.Get("Proxy-Authorization") != p.auth {
		w.WriteHeader(http.StatusProxyAuthRequired)
		return
	}
	if r.Method == http.MethodConnect {
		atomic.AddInt32(&p.connects, 1)
		up, err := testutil.DialLoopback(p.tunnelTo, 5*time.Second)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			up.Close()
			return
		}
		rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n")
		rw.Flush()
		go func() { io.Copy(up, rw); up.Close() }()
		io.Copy(conn, up)
		conn.Close()
		return
	}
	atomic.AddInt32(&p.gets, 1)
	w.Header().Set("Via", "1.1 testproxy")
	w.Write([]byte("via proxy " + r.URL.String()))
}

func TestHTTPGetThroughProxy(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer tlsSrv.Close()
	p := &connectProxy{tunnelTo: hostPort(t, tlsSrv.URL)}
	proxy := httptest.NewServer(p)
	defer proxy.Close()
	resolve := map[string]string{"proxy.corp": hostPort(t, proxy.URL)}
	ctx := context.Background()

	// The workstation's settings (environment) name the proxy.
	env := map[string]string{"http_proxy": "http://proxy.corp:3128", "HTTPS_PROXY": "proxy.corp:3128", "no_proxy": "localhost,.internal"}
	c := newNetClient(NetOptions{Resolve: resolve, LoopbackOnly: true}, func() ProxySettings {
		return EnvProxySettings(func(k string) string { return env[k] })
	})
	r, _ := c.httpGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/crl/ucfk.crl"})
	if !r.OK() || r.Proxy != "http://proxy.corp:3128" || string(r.Body) != "via proxy http://crl.roskazna.ru/crl/ucfk.crl" || r.Header["Via"] != "1.1 testproxy" {
		t.Fatalf("http via proxy: %+v", r)
	}
	// https goes through CONNECT; the test server's certificate is not
	// trusted, which proves the tunnel reached it.
	r, _ = c.httpGet(ctx, HTTPRequest{URL: "https://pki.tax.gov.ru/crt/ca.crt"})
	if r.ErrorKind != NetTLS || r.Proxy != "http://proxy.corp:3128" || atomic.LoadInt32(&p.connects) != 1 {
		t.Fatalf("https via CONNECT: %+v (connects %d)", r, p.connects)
	}
	// no_proxy: direct, which loopback-only refuses for an unmapped name.
	r, _ = c.httpGet(ctx, HTTPRequest{URL: "http://crl.internal/x"})
	if r.Proxy != "" || r.ErrorKind != NetRefused {
		t.Fatalf("no_proxy: %+v", r)
	}
	// The override wins over the workstation; a proxy that wants
	// authentication is a proxy failure, for http and for CONNECT.
	p.auth = "Basic dTpw"
	c = newNetClient(NetOptions{Resolve: resolve, LoopbackOnly: true, Proxy: "proxy.corp:8080"}, nil)
	if r, _ := c.httpGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/x"}); r.ErrorKind != NetProxy || r.Status != 407 {
		t.Fatalf("407: %+v", r)
	}
	if r, _ := c.httpGet(ctx, HTTPRequest{URL: "https://crl.roskazna.ru/x"}); r.ErrorKind != NetProxy {
		t.Fatalf("CONNECT 407: %+v", r)
	}
	c = newNetClient(NetOptions{Resolve: resolve, LoopbackOnly: true, Proxy: "http://u:p@proxy.corp:8080"}, nil)
	if r, _ := c.httpGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/x"}); !r.OK() || strings.Contains(r.Proxy, ":p@") {
		t.Fatalf("authenticated proxy: %+v", r)
	}
	// A proxy that is down.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := l.Addr().String()
	l.Close()
	c = newNetClient(NetOptions{Resolve: map[string]string{"proxy.corp": dead}, LoopbackOnly: true, Proxy: "http://proxy.corp:3128"}, nil)
	for _, u := range []string{"http://crl.roskazna.ru/x", "https://crl.roskazna.ru/x"} {
		if r, _ := c.httpGet(ctx, HTTPRequest{URL: u}); r.ErrorKind != NetProxy && r.ErrorKind != NetRefused {
			t.Errorf("dead proxy %s: %+v", u, r)
		}
	}
}

func TestProxySettings(t *testing.T) {
	s := ParseWinINetProxy(true, "http=10.0.0.1:3128;https=10.0.0.2:3129;ftp=x:21", "<local>;*.roskazna.ru;192.168.*", "")
	for _, c := range []struct{ url, want string }{
		{"http://crl.fns.ru/a.crl", "http://10.0.0.1:3128"},
		{"https://bus.gov.ru/", "http://10.0.0.2:3129"},
		{"http://crl.roskazna.ru/crl/ucfk.crl", ""},
		{"http://intranet/x", ""},
		{"http://192.168.1.5/x", ""},
	} {
		if got := s.ProxyFor(c.url); got != c.want {
			t.Errorf("wininet %s: %q, want %q", c.url, got, c.want)
		}
	}
	if s := ParseWinINetProxy(false, "10.0.0.1:3128", "", "http://wpad/wpad.dat"); s.ProxyFor("http://a.ru/") != "" || s.PAC != "http://wpad/wpad.dat" {
		t.Errorf("disabled: %+v", s)
	}
	if s := ParseWinINetProxy(true, "10.0.0.1:3128", "", ""); s.ProxyFor("https://a.ru/") != "http://10.0.0.1:3128" {
		t.Errorf("one proxy for all: %+v", s)
	}
	env := map[string]string{"HTTP_PROXY": "http://p:1", "no_proxy": "roskazna.ru,10.0.0.0/8,*.local:8080"}
	e := EnvProxySettings(func(k string) string { return env[k] })
	for _, c := range []struct{ url, want string }{
		{"http://crl.roskazna.ru/x", ""},
		{"http://roskazna.ru/x", ""},
		{"http://notroskazna.ru/x", "http://p:1"},
		{"http://10.1.2.3/x", ""},
		{"http://a.local:8080/x", ""},
		{"http://a.local/x", "http://p:1"},
		{"https://crl.fns.ru/x", ""},
	} {
		if got := e.ProxyFor(c.url); got != c.want {
			t.Errorf("env %s: %q, want %q", c.url, got, c.want)
		}
	}
}
