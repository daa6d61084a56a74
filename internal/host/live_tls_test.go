package host

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe/tlsprobetest"
)

// tunnelProxy is a loopback HTTP CONNECT proxy; refuse makes it answer
// 403 instead of tunnelling.
func tunnelProxy(t *testing.T, refuse bool) (addr string, asked func() []string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				req, err := http.ReadRequest(bufioReader(c))
				if err != nil || req.Method != http.MethodConnect {
					return
				}
				mu.Lock()
				seen = append(seen, req.Host)
				mu.Unlock()
				if refuse {
					_, _ = io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
					return
				}
				up, err := testutil.DialLoopback(req.Host, 5*time.Second)
				if err != nil {
					_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
					return
				}
				defer up.Close()
				_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}(c)
		}
	}()
	t.Cleanup(func() { _ = l.Close() })
	return l.Addr().String(), func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

func TestLiveTLSHandshakeGOST(t *testing.T) {
	bin := tlsprobetest.RequireGOST(t)
	p := tlsprobetest.NewPKI(t, bin, "Test GOST Root", "lk-fzs.roskazna.ru")
	srv := tlsprobetest.StartGOSTServer(t, bin, p)
	ctx := context.Background()

	// Direct, through the resolver seam.
	c := newNetClient(NetOptions{Resolve: map[string]string{"lk-fzs.roskazna.ru:443": srv.Addr}, LoopbackOnly: true, Proxy: NetProxyDirect}, nil)
	rec, err := c.tlsHandshake(ctx, TLSRequest{Addr: "lk-fzs.roskazna.ru:443", ServerName: "lk-fzs.roskazna.ru", Mode: TLSGOST})
	if err != nil || rec.Error != "" {
		t.Fatalf("direct: %v %+v", err, rec)
	}
	if rec.CipherSuite != 0xC100 || rec.CipherSuiteName != "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC" || len(rec.PeerCertificates) != 2 || rec.Proxy != "" {
		t.Errorf("direct record %+v", rec)
	}
	// Standard TLS to the GOST-only server: the alert is named.
	rec, _ = c.tlsHandshake(ctx, TLSRequest{Addr: "lk-fzs.roskazna.ru:443", Mode: TLSStandard})
	if rec.ErrorKind != NetTLS || rec.Alert != "handshake_failure (40)" {
		t.Errorf("standard to GOST server: %+v", rec)
	}

	// Through an HTTP CONNECT proxy (the proxy itself reached through the seam).
	paddr, asked := tunnelProxy(t, false)
	c = newNetClient(NetOptions{Resolve: map[string]string{"proxy.corp": paddr}, Proxy: "http://proxy.corp:3128", LoopbackOnly: true}, nil)
	rec, err = c.tlsHandshake(ctx, TLSRequest{Addr: srv.Addr, Mode: TLSGOST})
	if err != nil || rec.Error != "" || rec.Proxy != "http://proxy.corp:3128" || len(rec.PeerCertificates) != 2 {
		t.Fatalf("via proxy: %v %+v", err, rec)
	}
	if got := asked(); len(got) != 1 || got[0] != srv.Addr {
		t.Errorf("proxy was asked %v", got)
	}
}

func TestLiveTLSHandshakeFailures(t *testing.T) {
	ctx := context.Background()
	closed := tlsprobetest.ClosedPort(t)
	c := newNetClient(NetOptions{LoopbackOnly: true, Proxy: NetProxyDirect}, nil)
	rec, err := c.tlsHandshake(ctx, TLSRequest{Addr: closed, Mode: TLSGOST})
	if err != nil || rec.ErrorKind != NetRefused {
		t.Errorf("closed port: %v %+v", err, rec)
	}
	rec, _ = c.tlsHandshake(ctx, TLSRequest{Addr: "no-port", Mode: TLSGOST})
	if rec.ErrorKind != NetBadURL {
		t.Errorf("bad address: %+v", rec)
	}
	rec, _ = c.tlsHandshake(ctx, TLSRequest{Addr: closed, Mode: "sslv2"})
	if rec.ErrorKind != NetBadURL {
		t.Errorf("bad mode: %+v", rec)
	}
	// A server that closes mid-record.
	mid := tlsprobetest.Hostile(t, func(c net.Conn) { _, _ = c.Write([]byte{22, 3, 3, 0x40, 0}) })
	rec, _ = c.tlsHandshake(ctx, TLSRequest{Addr: mid, Mode: TLSGOST, Timeout: 2 * time.Second})
	if rec.ErrorKind != NetReset || !strings.Contains(rec.Error, "in the middle") {
		t.Errorf("mid-record close: %+v", rec)
	}
	// A proxy that refuses CONNECT.
	paddr, _ := tunnelProxy(t, true)
	c = newNetClient(NetOptions{Proxy: "http://" + paddr, LoopbackOnly: true}, nil)
	rec, _ = c.tlsHandshake(ctx, TLSRequest{Addr: closed, Mode: TLSGOST})
	if rec.ErrorKind != NetProxy || !strings.Contains(rec.Error, "403") {
		t.Errorf("refusing proxy: %+v", rec)
	}
	// Offline: nothing is asked.
	c = newNetClient(NetOptions{Offline: true}, nil)
	if _, err := c.tlsHandshake(ctx, TLSRequest{Addr: closed, Mode: TLSGOST}); err != ErrOffline {
		t.Errorf("offline: %v", err)
	}
}

func bufioReader(c net.Conn) *bufio.Reader { return bufio.NewReaderSize(c, 1) }
