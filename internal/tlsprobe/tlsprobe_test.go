package tlsprobe_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe/tlsprobetest"
)

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := testutil.DialLoopback(addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func probeErr(t *testing.T, err error) *tlsprobe.Error {
	t.Helper()
	var pe *tlsprobe.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want a *tlsprobe.Error, got %T %v", err, err)
	}
	return pe
}

// TestGOSTServer: a real GOST-TLS 1.2 server (OpenSSL s_server with the
// gost engine) chooses Kuznyechik and presents its chain.
func TestGOSTServer(t *testing.T) {
	bin := tlsprobetest.RequireGOST(t)
	p := tlsprobetest.NewPKI(t, bin, "Test GOST Root")
	srv := tlsprobetest.StartGOSTServer(t, bin, p)

	// s_server serves one connection at a time: close each one.
	probe := func(cfg tlsprobe.Config, standard bool) (*tlsprobe.Result, error) {
		c := dial(t, srv.Addr)
		defer c.Close()
		if standard {
			return tlsprobe.ProbeStandard(context.Background(), c, cfg)
		}
		return tlsprobe.Probe(context.Background(), c, cfg)
	}
	res, err := probe(tlsprobe.Config{ServerName: "localhost"}, false)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if res.CipherSuite != tlsprobe.SuiteKuznyechikCTROMAC || res.Version != 0x0303 {
		t.Errorf("negotiated %s %s, want TLS 1.2 Kuznyechik", tlsprobe.VersionName(res.Version), tlsprobe.SuiteName(res.CipherSuite))
	}
	if len(res.Certificates) != 2 || !bytes.Equal(res.Certificates[0], p.LeafDER) || !bytes.Equal(res.Certificates[1], p.RootDER) {
		t.Errorf("got %d certificates, want the leaf then the root", len(res.Certificates))
	}

	// Offering only Magma: the server takes it.
	res, err = probe(tlsprobe.Config{Suites: []uint16{tlsprobe.SuiteMagmaCTROMAC}}, false)
	if err != nil || res.CipherSuite != tlsprobe.SuiteMagmaCTROMAC {
		t.Errorf("Magma only: %v %+v", err, res)
	}

	// crypto/tls offers no GOST suite: the server refuses with an alert.
	_, err = probe(tlsprobe.Config{ServerName: "localhost"}, true)
	pe := probeErr(t, err)
	if pe.Alert == nil || !pe.Alert.NoSharedSuite() {
		t.Errorf("standard handshake with a GOST-only server: %v (alert %v), want handshake_failure", err, pe.Alert)
	}
}

// TestRSAServer: a crypto/tls server without GOST suites refuses our GOST
// ClientHello with handshake_failure; the standard probe gets its chain.
func TestRSAServer(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "https://")

	_, err := tlsprobe.Probe(context.Background(), dial(t, addr), tlsprobe.Config{ServerName: "example.com"})
	pe := probeErr(t, err)
	if pe.Alert == nil || pe.Alert.Name() != "handshake_failure (40)" || pe.Kind != tlsprobe.KindTLS {
		t.Errorf("GOST hello to an RSA server: %v, want alert handshake_failure (40)", err)
	}

	res, err := tlsprobe.ProbeStandard(context.Background(), dial(t, addr), tlsprobe.Config{ServerName: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Certificates) != 1 || !bytes.Equal(res.Certificates[0], srv.Certificate().Raw) {
		t.Errorf("standard probe: %d certificates, want the server's one", len(res.Certificates))
	}
	if res.Version < 0x0303 || tlsprobe.IsGOSTSuite(res.CipherSuite) {
		t.Errorf("standard probe negotiated %x %x", res.Version, res.CipherSuite)
	}
}

func TestHostileServers(t *testing.T) {
	hello := tlsprobetest.Record(22, tlsprobetest.Handshake(2, 38, tlsprobetest.ServerHello(0xC100)))
	cases := []struct {
		name  string
		reply func(c net.Conn)
		kind  string
		text  string
	}{
		{"16 MB Certificate message", func(c net.Conn) {
			_, _ = c.Write(hello)
			// Certificate message declaring 16 MiB - 1, then a stream of records.
			_, _ = c.Write(tlsprobetest.Record(22, tlsprobetest.Handshake(11, 1<<24-1, make([]byte, 16000))))
			chunk := tlsprobetest.Record(22, make([]byte, 16384))
			for i := 0; i < 1100; i++ {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		}, tlsprobe.KindTooLarge, "Certificate message declares 16777215 bytes"},
		{"oversized record", func(c net.Conn) {
			_, _ = c.Write([]byte{22, 3, 3, 0xff, 0xff})
		}, tlsprobe.KindTooLarge, "record of 65535 bytes"},
		{"closed mid-record", func(c net.Conn) {
			_, _ = c.Write(hello)
			_, _ = c.Write([]byte{22, 3, 3, 0x10, 0x00, 11, 0, 0x0f})
		}, tlsprobe.KindReset, "in the middle of a TLS record (3 of 4096 bytes received)"},
		{"closed at once", func(c net.Conn) {}, tlsprobe.KindReset, "closed the connection before sending"},
		{"plain HTTP", func(c net.Conn) {
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
		}, tlsprobe.KindTLS, `did not answer with TLS (it sent "HTTP/"`},
		{"alert", func(c net.Conn) {
			_, _ = c.Write(tlsprobetest.Record(21, []byte{2, 71}))
		}, tlsprobe.KindTLS, "insufficient_security (71)"},
		{"suite not offered", func(c net.Conn) {
			_, _ = c.Write(tlsprobetest.Record(22, tlsprobetest.Handshake(2, 38, tlsprobetest.ServerHello(0x002F))))
		}, tlsprobe.KindTLS, "TLS_RSA_WITH_AES_128_CBC_SHA, which was not offered"},
		{"no certificate", func(c net.Conn) {
			_, _ = c.Write(hello)
			_, _ = c.Write(tlsprobetest.Record(22, tlsprobetest.Handshake(14, 0, nil)))
		}, tlsprobe.KindTLS, "ServerHelloDone without a Certificate"},
		{"silent", func(c net.Conn) { time.Sleep(3 * time.Second) }, tlsprobe.KindTimeout, "timed out"},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			addr := tlsprobetest.Hostile(t, tc.reply)
			start := time.Now()
			_, err := tlsprobe.Probe(context.Background(), dial(t, addr), tlsprobe.Config{Timeout: 700 * time.Millisecond})
			pe := probeErr(t, err)
			if pe.Kind != tc.kind || !strings.Contains(pe.Msg, tc.text) {
				t.Errorf("got %s %q, want %s containing %q", pe.Kind, pe.Msg, tc.kind, tc.text)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestClosedPort(t *testing.T) {
	_, err := testutil.DialLoopback(tlsprobetest.ClosedPort(t), time.Second)
	if err == nil {
		t.Fatal("closed port accepted a connection")
	}
}

func TestCancel(t *testing.T) {
	addr := tlsprobetest.Hostile(t, func(c net.Conn) { time.Sleep(3 * time.Second) })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := tlsprobe.Probe(ctx, dial(t, addr), tlsprobe.Config{})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled probe: %v after %v", err, time.Since(start))
	}
}

func TestClientHelloShape(t *testing.T) {
	b, err := tlsprobe.ClientHello(tlsprobe.Config{ServerName: "lk-fzs.roskazna.ru"})
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 22 || int(b[3])<<8|int(b[4]) != len(b)-5 || b[5] != 1 {
		t.Fatalf("not a handshake record with a ClientHello: % X", b[:10])
	}
	if int(b[6])<<16|int(b[7])<<8|int(b[8]) != len(b)-9 {
		t.Error("ClientHello length does not match")
	}
	for _, want := range [][]byte{{0xC1, 0x00}, {0xC1, 0x01}, {0xFF, 0x85}, {0x00, 0x81}, []byte("lk-fzs.roskazna.ru"), {0x08, 0x40}, {0xEE, 0xEE}} {
		if !bytes.Contains(b, want) {
			t.Errorf("ClientHello lacks % X", want)
		}
	}
	if ip, _ := tlsprobe.ClientHello(tlsprobe.Config{ServerName: "127.0.0.1"}); bytes.Contains(ip, []byte("127.0.0.1")) {
		t.Error("an IP address was sent as SNI")
	}
}

func TestNames(t *testing.T) {
	if got := tlsprobe.SuiteName(0xC100); got != "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC" {
		t.Error(got)
	}
	if got := tlsprobe.SuiteName(0x1301); got != "TLS_AES_128_GCM_SHA256" {
		t.Error(got)
	}
	if got := (tlsprobe.Alert{Description: 250}).Name(); got != "unknown alert (250)" {
		t.Error(got)
	}
	if got := tlsprobe.VersionName(0x0303); got != "TLS 1.2" {
		t.Error(got)
	}
}
