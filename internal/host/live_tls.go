package host

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe"
)

// TLSHandshake implements Host: it connects to req.Addr (through the
// Resolve seam, and through the workstation's HTTPS proxy with CONNECT
// when one applies) and runs a GOST (tlsprobe.Probe) or standard
// (tlsprobe.ProbeStandard) handshake. Trust is never judged here.
func (b *base) TLSHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error) {
	return b.network().tlsHandshake(ctx, req)
}

// maxConnectResponse bounds a proxy's answer to CONNECT.
const maxConnectResponse = 16 << 10

func (c *netClient) tlsHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error) {
	if err := c.begin(ctx, req.Addr); err != nil {
		return TLSRecord{}, err
	}
	rec := TLSRecord{Addr: req.Addr, ServerName: req.ServerName, Mode: req.Mode}
	hostName, _, err := net.SplitHostPort(req.Addr)
	if err != nil {
		rec.Error, rec.ErrorKind = err.Error(), NetBadURL
		return rec, nil
	}
	if req.Mode != TLSGOST && req.Mode != TLSStandard {
		rec.Error, rec.ErrorKind = fmt.Sprintf("unknown TLS mode %q", req.Mode), NetBadURL
		return rec, nil
	}
	sni := req.ServerName
	if sni == "" {
		sni = hostName
	}
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = DefaultNetTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	defer func() { rec.ElapsedMS = time.Since(start).Milliseconds() }()

	conn, proxy, err := c.dialThrough(rctx, req.Addr)
	rec.Proxy = proxy
	if err != nil {
		if ctx.Err() != nil {
			return TLSRecord{}, ctx.Err()
		}
		rec.ErrorKind, rec.Error = classifyNetError(err, rctx, proxy != "")
		if errors.Is(err, errProxyAnswer) {
			rec.ErrorKind = NetProxy
		}
		return rec, nil
	}
	defer conn.Close()
	cfg := tlsprobe.Config{ServerName: sni, Timeout: timeout}
	var res *tlsprobe.Result
	if req.Mode == TLSGOST {
		res, err = tlsprobe.Probe(rctx, conn, cfg)
	} else {
		res, err = tlsprobe.ProbeStandard(rctx, conn, cfg)
	}
	if err != nil {
		if ctx.Err() != nil {
			return TLSRecord{}, ctx.Err()
		}
		var pe *tlsprobe.Error
		if errors.As(err, &pe) {
			rec.Error, rec.ErrorKind = pe.Msg, NetErrorKind(pe.Kind)
			if pe.Alert != nil {
				rec.Alert = pe.Alert.Name()
			}
		} else {
			rec.ErrorKind, rec.Error = classifyNetError(err, rctx, proxy != "")
		}
		return rec, nil
	}
	rec.Version, rec.CipherSuite = res.Version, res.CipherSuite
	rec.CipherSuiteName = tlsprobe.SuiteName(res.CipherSuite)
	rec.PeerCertificates = res.Certificates
	return rec, nil
}

// errProxyAnswer: the proxy answered CONNECT with something but 200.
var errProxyAnswer = errors.New("proxy refused CONNECT")

// dialThrough connects to addr: directly (through the Resolve seam), or
// through the HTTPS proxy that applies to https://addr with an HTTP
// CONNECT. It returns the proxy used ("" direct, credentials redacted).
func (c *netClient) dialThrough(ctx context.Context, addr string) (net.Conn, string, error) {
	p := c.proxyFor(&url.URL{Scheme: "https", Host: addr})
	if p == nil {
		conn, err := c.dialContext(ctx, "tcp", addr)
		return conn, "", err
	}
	shown := p.Redacted()
	if !strings.EqualFold(p.Scheme, "http") {
		return nil, shown, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: fmt.Errorf("proxy scheme %q is not supported (only http://)", p.Scheme)}
	}
	paddr := p.Host
	if p.Port() == "" {
		paddr = net.JoinHostPort(p.Hostname(), "80")
	}
	conn, err := c.dialContext(ctx, "tcp", paddr)
	if err != nil {
		return nil, shown, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
	}
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	req := "CONNECT " + addr + " HTTP/1.1\r\nHost: " + addr + "\r\nUser-Agent: gmu-doctor\r\n"
	if u := p.User; u != nil {
		pw, _ := u.Password()
		req += "Proxy-Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)) + "\r\n"
	}
	if _, err := conn.Write([]byte(req + "\r\n")); err != nil {
		conn.Close()
		return nil, shown, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
	}
	br := bufio.NewReaderSize(&limitedConn{Conn: conn, left: maxConnectResponse}, 4096)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		conn.Close()
		return nil, shown, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, shown, fmt.Errorf("%w: proxy %s answered CONNECT %s with %s", errProxyAnswer, shown, addr, resp.Status)
	}
	if br.Buffered() > 0 {
		conn.Close()
		return nil, shown, fmt.Errorf("%w: proxy %s sent data before the TLS handshake", errProxyAnswer, shown)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, shown, nil
}

// limitedConn stops reading after left bytes (the CONNECT answer).
type limitedConn struct {
	net.Conn
	left int
}

func (l *limitedConn) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errors.New("proxy answer to CONNECT is too long")
	}
	if len(p) > l.left {
		p = p[:l.left]
	}
	n, err := l.Conn.Read(p)
	l.left -= n
	return n, err
}
