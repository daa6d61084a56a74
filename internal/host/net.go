package host

import (
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"
)

// The network is a host capability like the registry: checks never open
// sockets themselves, they ask the Host, so that `collect` records every
// answer and `check --snapshot` replays online results exactly as the
// workstation saw them, without touching the network.
//
// Conventions (as for the rest of Host): a network failure is an ANSWER —
// Error and ErrorKind set on the result — not a Go error. The error result
// is only for a cancelled or expired ctx (never recorded), ErrNotRecorded
// (snapshot replay) and ErrOffline.

// ErrOffline: network use is disabled (--offline, config `offline: true`,
// GMU_DOCTOR_OFFLINE). Checks that need the network skip with a reason.
var ErrOffline = errors.New("network use is disabled (offline)")

// Defaults for network questions.
const (
	// DefaultHTTPMaxBytes caps a response body when HTTPRequest.MaxBytes is 0.
	// The largest real CRLs of Russian CAs (Treasury, tax service) are a few
	// MiB; 16 MiB leaves room and still bounds memory.
	DefaultHTTPMaxBytes = 16 << 20
	// DefaultNetTimeout bounds one question when no timeout is given.
	DefaultNetTimeout = 10 * time.Second
	// MaxRedirects is the most redirects an HTTP question follows.
	MaxRedirects = 5
)

// NetErrorKind classifies a network failure, so that checks can say where
// it broke (name resolution, connection, proxy, HTTP …).
type NetErrorKind string

// Network failure kinds.
const (
	NetDNS        NetErrorKind = "dns"         // the name does not resolve
	NetConnect    NetErrorKind = "connect"     // TCP connect failed otherwise (unreachable network …)
	NetTimeout    NetErrorKind = "timeout"     // no answer in time
	NetTLS        NetErrorKind = "tls"         // TLS handshake failed
	NetHTTPStatus NetErrorKind = "http-status" // the server answered with a non-2xx status
	NetTooLarge   NetErrorKind = "too-large"   // the body exceeded MaxBytes
	NetRedirect   NetErrorKind = "redirect"    // too many redirects, or one to a non-http(s) URL
	NetProxy      NetErrorKind = "proxy"       // the proxy refused, failed or asked for authentication
	NetBadURL     NetErrorKind = "bad-url"     // not an http(s) URL, or malformed
	NetRefused    NetErrorKind = "refused"     // connection refused (port closed)
	NetReset      NetErrorKind = "reset"       // connection reset or closed mid-answer
)

// HTTPRequest is one HTTP question: GET, or POST when Body is set (OCSP).
type HTTPRequest struct {
	// URL: http:// (CRL, OCSP and AIA URLs) or https://; any other scheme
	// is an answer with ErrorKind "bad-url".
	URL string
	// MaxBytes caps the body; 0 means DefaultHTTPMaxBytes. A larger body
	// is an answer with Truncated and ErrorKind "too-large" and no Body.
	MaxBytes int64
	// Timeout bounds the whole exchange; 0 means DefaultNetTimeout.
	Timeout time.Duration
	// Body, when not empty, makes the request a POST with ContentType.
	Body        []byte `json:"-"`
	ContentType string `json:"-"`
	// NoRedirect returns the first answer as it is, a redirect included
	// (the sites check reads the Date header of http://site/, which
	// usually redirects to an https:// that needs GOST or a root Go does
	// not know).
	NoRedirect bool `json:"-"`
}

// HTTPResponse is the answer to an HTTPRequest.
type HTTPResponse struct {
	URL         string            `json:"url"`                    // as asked
	Method      string            `json:"method,omitempty"`       // "" for GET, "POST"
	RequestBody []byte            `json:"request_body,omitempty"` // POST body (part of the replay key)
	FinalURL    string            `json:"final_url,omitempty"`    // after redirects, when it differs
	Status      int               `json:"status,omitempty"`
	Header      map[string]string `json:"header,omitempty"` // Date, Content-Type, Last-Modified, Location, Server, Via
	Body        []byte            `json:"body,omitempty"`
	Truncated   bool              `json:"truncated,omitempty"`
	Proxy       string            `json:"proxy,omitempty"` // proxy URL used, "" when direct
	ElapsedMS   int64             `json:"elapsed_ms,omitempty"`
	Error       string            `json:"error,omitempty"`
	ErrorKind   NetErrorKind      `json:"error_kind,omitempty"`
}

// OK reports whether the exchange succeeded with a 2xx status.
func (r HTTPResponse) OK() bool { return r.Error == "" && r.Status >= 200 && r.Status < 300 }

// HTTPHeaders are the response headers an HTTPResponse keeps.
var HTTPHeaders = []string{"Date", "Content-Type", "Last-Modified", "Location", "Server", "Via"}

// DNSAnswer is the answer to LookupHost.
type DNSAnswer struct {
	Name      string       `json:"name"`
	Addrs     []string     `json:"addrs,omitempty"`
	Error     string       `json:"error,omitempty"`
	ErrorKind NetErrorKind `json:"error_kind,omitempty"`
}

// TCPAnswer is the answer to DialTCP (connect, then close).
type TCPAnswer struct {
	Addr       string       `json:"addr"`
	RemoteAddr string       `json:"remote_addr,omitempty"`
	ElapsedMS  int64        `json:"elapsed_ms,omitempty"`
	Error      string       `json:"error,omitempty"`
	ErrorKind  NetErrorKind `json:"error_kind,omitempty"`
}

// TLSMode selects the kind of TLS handshake.
type TLSMode string

// TLS modes.
const (
	// TLSStandard: RSA/ECDSA TLS through crypto/tls.
	TLSStandard TLSMode = "standard"
	// TLSGOST: TLS 1.2 ClientHello offering the GOST cipher suites; the
	// handshake stops after the server's Certificate message.
	TLSGOST TLSMode = "gost"
)

// TLSRequest is one TLS handshake question.
type TLSRequest struct {
	Addr       string // host:port
	ServerName string // SNI
	Mode       TLSMode
	Timeout    time.Duration // 0 means DefaultNetTimeout
}

// TLSRecord is what a TLS handshake showed. Trust is never judged here:
// checks verify PeerCertificates against the workstation's roots.
type TLSRecord struct {
	Addr             string   `json:"addr"`
	ServerName       string   `json:"server_name,omitempty"`
	Mode             TLSMode  `json:"mode"`
	Version          uint16   `json:"version,omitempty"`
	CipherSuite      uint16   `json:"cipher_suite,omitempty"`
	CipherSuiteName  string   `json:"cipher_suite_name,omitempty"`
	PeerCertificates [][]byte `json:"peer_certificates,omitempty"` // DER, as sent, leaf first
	// Alert is the TLS alert the server sent, e.g. "handshake_failure (40)".
	Alert     string       `json:"alert,omitempty"`
	Proxy     string       `json:"proxy,omitempty"`
	ElapsedMS int64        `json:"elapsed_ms,omitempty"`
	Error     string       `json:"error,omitempty"`
	ErrorKind NetErrorKind `json:"error_kind,omitempty"`
}

// NetOptions configure the live network back end (LiveOptions.Net).
type NetOptions struct {
	// Offline disables every network question (ErrOffline).
	Offline bool
	// Resolve maps a host name, or host:port, to an "ip:port" or "ip" that
	// is dialled instead (config key net.resolve). It is the seam through
	// which tests point certificate URLs and site profiles at loopback
	// servers without editing /etc/hosts, and lets an administrator
	// pin a host. Keys are case-insensitive; host:port wins over host.
	Resolve map[string]string
	// Proxy overrides the workstation's proxy: a URL such as
	// "http://proxy:3128", or "direct" for none. Empty means the
	// workstation's own settings (WinINet per-user settings on Windows,
	// http_proxy/https_proxy/no_proxy elsewhere).
	Proxy string
	// LoopbackOnly refuses to connect anywhere but 127.0.0.0/8 and ::1
	// (after Resolve): tests set it so that a mistake can never reach a
	// real host.
	LoopbackOnly bool
	// Progress, when set, is told what is being fetched (a URL or
	// host:port) as each question starts; the CLI shows it on a terminal.
	Progress func(what string)
}

// NetProxyDirect is NetOptions.Proxy's value for "no proxy".
const NetProxyDirect = "direct"

// httpKey is how HTTP answers are matched between recording and replay:
// method, URL and (for POST) the request body.
func httpKey(method, rawURL string, body []byte) string {
	if method == "" || strings.EqualFold(method, "GET") {
		method = "GET"
	}
	k := strings.ToUpper(method) + " " + rawURL
	if len(body) > 0 {
		k += " " + hex.EncodeToString(body)
	}
	return k
}

// HTTPMethod is the method an HTTPRequest is sent with.
func (r HTTPRequest) HTTPMethod() string {
	if len(r.Body) > 0 {
		return "POST"
	}
	return ""
}

// dnsKey, tcpKey and tlsKey match the other network answers.
func dnsKey(name string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
}

func tcpKey(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

func tlsKey(addr, serverName string, mode TLSMode) string {
	return strings.ToLower(strings.TrimSpace(addr)) + "|" + strings.ToLower(serverName) + "|" + string(mode)
}

// URLHost returns the host name of an http(s) URL ("crl.roskazna.ru"), or
// "" when it has none. Checks use it to name the host to open in a
// firewall or proxy.
func URLHost(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// URLHostPort returns host:port of an http(s) URL, with the scheme's
// default port when none is given.
func URLHostPort(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Hostname() == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		default:
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}
