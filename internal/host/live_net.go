package host

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// netClient is the live network of a back end: the options, the
// workstation's proxy settings (read once, on first use) and the dialer
// with the Resolve seam. Every live network question goes through it.
type netClient struct {
	opts      NetOptions
	loadProxy func() ProxySettings

	once  sync.Once
	proxy ProxySettings
}

func newNetClient(opts NetOptions, loadProxy func() ProxySettings) *netClient {
	return &netClient{opts: opts, loadProxy: loadProxy}
}

// network returns the back end's network client (a default one, with the
// environment's proxy, when the back end was built without).
func (b *base) network() *netClient {
	b.netOnce.Do(func() {
		if b.netc == nil {
			b.netc = newNetClient(NetOptions{}, nil)
		}
	})
	return b.netc
}

// begin is called first by every network question: ErrOffline when the
// network is disabled, the caller's ctx error when it is already done, and
// the progress line.
func (c *netClient) begin(ctx context.Context, what string) error {
	if c.opts.Offline {
		return ErrOffline
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.opts.Progress != nil && what != "" {
		c.opts.Progress(what)
	}
	return nil
}

// settings returns the workstation's proxy settings.
func (c *netClient) settings() ProxySettings {
	c.once.Do(func() {
		if c.loadProxy != nil {
			c.proxy = c.loadProxy()
		} else {
			c.proxy = EnvProxySettings(getenv)
		}
	})
	return c.proxy
}

// proxyFor returns the proxy for a request to u, nil for direct.
func (c *netClient) proxyFor(u *url.URL) *url.URL {
	var p string
	switch {
	case strings.EqualFold(c.opts.Proxy, NetProxyDirect):
		return nil
	case c.opts.Proxy != "":
		p = proxyURL(c.opts.Proxy)
	default:
		p = c.settings().ProxyFor(u.String())
	}
	if p == "" {
		return nil
	}
	pu, err := url.Parse(p)
	if err != nil {
		return nil
	}
	return pu
}

// target applies the Resolve seam to host:port: the address to dial and
// whether the name was mapped.
func (c *netClient) target(addr string) (string, bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, false
	}
	for k, v := range c.opts.Resolve {
		if strings.EqualFold(k, addr) {
			return withPort(v, port), true
		}
	}
	for k, v := range c.opts.Resolve {
		if strings.EqualFold(strings.TrimSuffix(k, "."), strings.TrimSuffix(host, ".")) {
			return withPort(v, port), true
		}
	}
	return addr, false
}

func withPort(v, port string) string {
	v = strings.TrimSpace(v)
	if _, _, err := net.SplitHostPort(v); err == nil {
		return v
	}
	return net.JoinHostPort(strings.Trim(v, "[]"), port)
}

// getenv reads the process environment (the proxy variables of the
// machine gmu-doctor runs on, whatever --root says).
var getenv = os.Getenv

// errNotLoopback is returned by the dialer under LoopbackOnly.
var errNotLoopback = errors.New("refused: only loopback addresses may be contacted (loopback-only mode)")

// dialContext dials through the Resolve seam. It is the only place live
// code opens connections (TLS probing uses it too).
func (c *netClient) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	to, _ := c.target(addr)
	if c.opts.LoopbackOnly {
		host, _, err := net.SplitHostPort(to)
		if err != nil {
			return nil, err
		}
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errNotLoopback}
		}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

// Errors of the redirect policy.
var (
	errTooManyRedirects = fmt.Errorf("stopped after %d redirects", MaxRedirects)
	errRedirectScheme   = errors.New("redirect to a URL that is not http or https")
)

// HTTPGet implements Host.
func (b *base) HTTPGet(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	return b.network().httpGet(ctx, req)
}

// LookupHost implements Host.
func (b *base) LookupHost(ctx context.Context, name string) (DNSAnswer, error) {
	return b.network().lookupHost(ctx, name)
}

// DialTCP implements Host.
func (b *base) DialTCP(ctx context.Context, addr string, timeout time.Duration) (TCPAnswer, error) {
	return b.network().dialTCP(ctx, addr, timeout)
}

func (c *netClient) httpGet(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	if err := c.begin(ctx, req.URL); err != nil {
		return HTTPResponse{}, err
	}
	resp := HTTPResponse{URL: req.URL, Method: req.HTTPMethod()}
	if len(req.Body) > 0 {
		resp.RequestBody = append([]byte(nil), req.Body...)
	}
	u, err := url.Parse(req.URL)
	if err != nil || u.Host == "" || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) {
		resp.Error, resp.ErrorKind = "not an http:// or https:// URL", NetBadURL
		if err != nil {
			resp.Error = err.Error()
		}
		return resp, nil
	}
	max := req.MaxBytes
	if max <= 0 {
		max = DefaultHTTPMaxBytes
	}
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = DefaultNetTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var mu sync.Mutex
	tr := &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) {
			p := c.proxyFor(r.URL)
			mu.Lock()
			resp.Proxy = ""
			if p != nil {
				resp.Proxy = p.Redacted()
			}
			mu.Unlock()
			return p, nil
		},
		DialContext:            c.dialContext,
		TLSHandshakeTimeout:    timeout,
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      false,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if req.NoRedirect {
				return http.ErrUseLastResponse
			}
			if len(via) > MaxRedirects {
				return errTooManyRedirects
			}
			if !strings.EqualFold(r.URL.Scheme, "http") && !strings.EqualFold(r.URL.Scheme, "https") {
				return fmt.Errorf("%w: %s", errRedirectScheme, r.URL.Redacted())
			}
			return nil
		},
	}
	method := http.MethodGet
	var body io.Reader
	if len(req.Body) > 0 {
		method, body = http.MethodPost, bytes.NewReader(req.Body)
	}
	hreq, err := http.NewRequestWithContext(rctx, method, req.URL, body)
	if err != nil {
		resp.Error, resp.ErrorKind = err.Error(), NetBadURL
		return resp, nil
	}
	if len(req.Body) > 0 && req.ContentType != "" {
		hreq.Header.Set("Content-Type", req.ContentType)
	}
	hreq.Header.Set("User-Agent", "gmu-doctor")
	hreq.Header.Set("Accept", "*/*")
	start := time.Now()
	hresp, err := client.Do(hreq)
	defer func() { resp.ElapsedMS = time.Since(start).Milliseconds() }()
	if err != nil {
		if ctx.Err() != nil {
			return HTTPResponse{}, ctx.Err()
		}
		mu.Lock()
		proxied := resp.Proxy != ""
		mu.Unlock()
		resp.ErrorKind, resp.Error = classifyNetError(err, rctx, proxied)
		return resp, nil
	}
	defer hresp.Body.Close()
	resp.Status = hresp.StatusCode
	if hresp.Request != nil && hresp.Request.URL != nil && hresp.Request.URL.String() != req.URL {
		resp.FinalURL = hresp.Request.URL.String()
	}
	for _, h := range HTTPHeaders {
		if v := hresp.Header.Get(h); v != "" {
			if resp.Header == nil {
				resp.Header = map[string]string{}
			}
			resp.Header[h] = v
		}
	}
	ok := hresp.StatusCode >= 200 && hresp.StatusCode < 300
	limit := max
	if !ok {
		limit = 4 << 10 // an error page is kept only to quote it
	}
	if ok && hresp.ContentLength > max {
		resp.Truncated, resp.ErrorKind = true, NetTooLarge
		resp.Error = fmt.Sprintf("the answer is %d bytes, more than the %d allowed", hresp.ContentLength, max)
		return resp, nil
	}
	data, rerr := io.ReadAll(io.LimitReader(hresp.Body, limit+1))
	if rerr != nil {
		if ctx.Err() != nil {
			return HTTPResponse{}, ctx.Err()
		}
		mu.Lock()
		proxied := resp.Proxy != ""
		mu.Unlock()
		resp.ErrorKind, resp.Error = classifyNetError(rerr, rctx, proxied)
		return resp, nil
	}
	if int64(len(data)) > limit {
		if ok {
			resp.Truncated, resp.ErrorKind = true, NetTooLarge
			resp.Error = fmt.Sprintf("the answer is more than the %d bytes allowed", max)
			return resp, nil
		}
		data = data[:limit]
		resp.Truncated = true
	}
	if len(data) > 0 {
		resp.Body = data
	}
	if !ok {
		resp.Error = "HTTP " + hresp.Status
		resp.ErrorKind = NetHTTPStatus
		if hresp.StatusCode == http.StatusProxyAuthRequired {
			resp.ErrorKind = NetProxy
		}
	}
	return resp, nil
}

// classifyNetError names where a network exchange failed.
func classifyNetError(err error, rctx context.Context, proxied bool) (NetErrorKind, string) {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	var op *net.OpError
	var dns *net.DNSError
	var ne net.Error
	var recHdr tls.RecordHeaderError
	var verr *tls.CertificateVerificationError
	var uerr x509.UnknownAuthorityError
	var herr x509.HostnameError
	switch {
	case errors.Is(err, errTooManyRedirects), errors.Is(err, errRedirectScheme):
		return NetRedirect, msg
	case errors.As(err, &op) && op.Op == "proxyconnect":
		return NetProxy, msg
	case errors.Is(err, errNotLoopback):
		return NetRefused, msg
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return NetTimeout, msg
		}
		return NetDNS, msg
	case errors.Is(rctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return NetTimeout, msg
	case errors.Is(err, syscall.ECONNREFUSED):
		return NetRefused, msg
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		if proxied && errors.As(err, &op) && op.Op == "proxyconnect" {
			return NetProxy, msg
		}
		return NetReset, msg
	case errors.As(err, &recHdr), errors.As(err, &verr), errors.As(err, &uerr),
		errors.As(err, &herr), strings.Contains(msg, "tls: "), strings.Contains(msg, "x509: "):
		return NetTLS, msg
	}
	if proxied {
		// What remains through a proxy is its own refusal: a CONNECT
		// answered with 407, 403 or 502.
		return NetProxy, msg
	}
	return NetConnect, msg
}

func (c *netClient) lookupHost(ctx context.Context, name string) (DNSAnswer, error) {
	if err := c.begin(ctx, name); err != nil {
		return DNSAnswer{}, err
	}
	ans := DNSAnswer{Name: name}
	if ip := net.ParseIP(name); ip != nil {
		ans.Addrs = []string{ip.String()}
		return ans, nil
	}
	// The Resolve seam: a name mapped there resolves to the mapped address.
	for k, v := range c.opts.Resolve {
		h := k
		if hh, _, err := net.SplitHostPort(k); err == nil {
			h = hh
		}
		if strings.EqualFold(strings.TrimSuffix(h, "."), strings.TrimSuffix(name, ".")) {
			to := strings.TrimSpace(v)
			if hh, _, err := net.SplitHostPort(to); err == nil {
				to = hh
			}
			ans.Addrs = []string{strings.Trim(to, "[]")}
			return ans, nil
		}
	}
	if c.opts.LoopbackOnly {
		ans.Error, ans.ErrorKind = "lookup "+name+": "+errNotLoopback.Error(), NetDNS
		return ans, nil
	}
	rctx, cancel := context.WithTimeout(ctx, DefaultNetTimeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(rctx, name)
	if err != nil {
		if ctx.Err() != nil {
			return DNSAnswer{}, ctx.Err()
		}
		ans.ErrorKind, ans.Error = classifyNetError(err, rctx, false)
		if ans.ErrorKind != NetTimeout {
			ans.ErrorKind = NetDNS
		}
		return ans, nil
	}
	ans.Addrs = addrs
	return ans, nil
}

func (c *netClient) dialTCP(ctx context.Context, addr string, timeout time.Duration) (TCPAnswer, error) {
	if err := c.begin(ctx, addr); err != nil {
		return TCPAnswer{}, err
	}
	ans := TCPAnswer{Addr: addr}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		ans.Error, ans.ErrorKind = err.Error(), NetBadURL
		return ans, nil
	}
	if timeout <= 0 {
		timeout = DefaultNetTimeout
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	conn, err := c.dialContext(rctx, "tcp", addr)
	ans.ElapsedMS = time.Since(start).Milliseconds()
	if err != nil {
		if ctx.Err() != nil {
			return TCPAnswer{}, ctx.Err()
		}
		ans.ErrorKind, ans.Error = classifyNetError(err, rctx, false)
		return ans, nil
	}
	ans.RemoteAddr = conn.RemoteAddr().String()
	conn.Close()
	return ans, nil
}
