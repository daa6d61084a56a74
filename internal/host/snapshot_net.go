package host

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// SnapNetwork is the network section of a snapshot: every answer the
// checks received from the network while `collect` ran. It is optional
// (snapshots made before it simply lack it: every network question then
// replays as ErrNotRecorded), and a replay never touches the network.
type SnapNetwork struct {
	HTTP []HTTPResponse `json:"http,omitempty"`
	DNS  []DNSAnswer    `json:"dns,omitempty"`
	TCP  []TCPAnswer    `json:"tcp,omitempty"`
	TLS  []TLSRecord    `json:"tls,omitempty"`
}

// netIndex is the SnapshotHost's lookup table of network answers.
type netIndex struct {
	http map[string]*HTTPResponse
	dns  map[string]*DNSAnswer
	tcp  map[string]*TCPAnswer
	tls  map[string]*TLSRecord
}

func newNetIndex(n *SnapNetwork) netIndex {
	ix := netIndex{http: map[string]*HTTPResponse{}, dns: map[string]*DNSAnswer{}, tcp: map[string]*TCPAnswer{}, tls: map[string]*TLSRecord{}}
	if n == nil {
		return ix
	}
	for i := range n.HTTP {
		r := &n.HTTP[i]
		ix.http[httpKey(r.Method, r.URL, r.RequestBody)] = r
	}
	for i := range n.DNS {
		ix.dns[dnsKey(n.DNS[i].Name)] = &n.DNS[i]
	}
	for i := range n.TCP {
		ix.tcp[tcpKey(n.TCP[i].Addr)] = &n.TCP[i]
	}
	for i := range n.TLS {
		t := &n.TLS[i]
		ix.tls[tlsKey(t.Addr, t.ServerName, t.Mode)] = t
	}
	return ix
}

// HTTPGet implements Host: the recorded answer, or ErrNotRecorded.
func (h *SnapshotHost) HTTPGet(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	if err := ctx.Err(); err != nil {
		return HTTPResponse{}, err
	}
	h.index()
	r, ok := h.net.http[httpKey(req.HTTPMethod(), req.URL, req.Body)]
	if !ok {
		return HTTPResponse{}, notRecorded(fmt.Sprintf("network answer for %s %s", methodName(req.HTTPMethod()), req.URL))
	}
	out := copyHTTPResponse(*r)
	max := req.MaxBytes
	if max <= 0 {
		max = DefaultHTTPMaxBytes
	}
	if out.Error == "" && int64(len(out.Body)) > max {
		// Asked with a smaller cap than the recording: answer as live would.
		out.Body, out.Truncated, out.ErrorKind = nil, true, NetTooLarge
		out.Error = fmt.Sprintf("the answer is more than the %d bytes allowed", max)
	}
	return out, nil
}

func methodName(m string) string {
	if m == "" {
		return "GET"
	}
	return m
}

// LookupHost implements Host.
func (h *SnapshotHost) LookupHost(ctx context.Context, name string) (DNSAnswer, error) {
	if err := ctx.Err(); err != nil {
		return DNSAnswer{}, err
	}
	h.index()
	a, ok := h.net.dns[dnsKey(name)]
	if !ok {
		return DNSAnswer{}, notRecorded("DNS answer for " + name)
	}
	out := *a
	out.Addrs = append([]string(nil), a.Addrs...)
	return out, nil
}

// DialTCP implements Host.
func (h *SnapshotHost) DialTCP(ctx context.Context, addr string, timeout time.Duration) (TCPAnswer, error) {
	if err := ctx.Err(); err != nil {
		return TCPAnswer{}, err
	}
	h.index()
	a, ok := h.net.tcp[tcpKey(addr)]
	if !ok {
		return TCPAnswer{}, notRecorded("TCP connection to " + addr)
	}
	return *a, nil
}

// TLSHandshake implements Host.
func (h *SnapshotHost) TLSHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error) {
	if err := ctx.Err(); err != nil {
		return TLSRecord{}, err
	}
	h.index()
	t, ok := h.net.tls[tlsKey(req.Addr, req.ServerName, req.Mode)]
	if !ok {
		return TLSRecord{}, notRecorded(fmt.Sprintf("TLS handshake (%s) with %s (server name %q)", req.Mode, req.Addr, req.ServerName))
	}
	return copyTLSRecord(*t), nil
}

func copyHTTPResponse(r HTTPResponse) HTTPResponse {
	out := r
	out.RequestBody = cloneBytes(r.RequestBody)
	out.Body = cloneBytes(r.Body)
	if r.Header != nil {
		out.Header = make(map[string]string, len(r.Header))
		for k, v := range r.Header {
			out.Header[k] = v
		}
	}
	return out
}

func copyTLSRecord(t TLSRecord) TLSRecord {
	out := t
	out.PeerCertificates = nil
	for _, c := range t.PeerCertificates {
		out.PeerCertificates = append(out.PeerCertificates, cloneBytes(c))
	}
	return out
}

func cloneBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// knownNetErrorKinds are the ErrorKind values a snapshot may hold.
var knownNetErrorKinds = map[NetErrorKind]bool{
	NetDNS: true, NetConnect: true, NetTimeout: true, NetTLS: true, NetHTTPStatus: true, NetTooLarge: true,
	NetRedirect: true, NetProxy: true, NetBadURL: true, NetRefused: true, NetReset: true,
}

func validateNetError(kind NetErrorKind, msg string) string {
	switch {
	case kind == "" && msg != "":
		return "error without error_kind"
	case kind != "" && msg == "":
		return "error_kind without error"
	case kind != "" && !knownNetErrorKinds[kind]:
		return fmt.Sprintf("unknown error_kind %q", truncate(string(kind), 30))
	}
	return ""
}

// validate reports the problems of the network section.
func (n *SnapNetwork) validate(bad func(format string, args ...any)) {
	if n == nil {
		return
	}
	seen := map[string]int{}
	for i, r := range n.HTTP {
		at := fmt.Sprintf("network.http[%d]", i)
		if strings.TrimSpace(r.URL) == "" {
			bad("%s: url is empty", at)
			continue
		}
		if r.Method != "" && r.Method != "POST" {
			bad("%s: method %q is not \"\" (GET) or \"POST\"", at, truncate(r.Method, 20))
		}
		if r.Method == "POST" && len(r.RequestBody) == 0 {
			bad("%s: a POST without request_body", at)
		}
		if r.Method == "" && len(r.RequestBody) > 0 {
			bad("%s: a GET with a request_body", at)
		}
		if r.Status < 0 || r.Status > 999 {
			bad("%s: status %d is not an HTTP status", at, r.Status)
		}
		if e := validateNetError(r.ErrorKind, r.Error); e != "" {
			bad("%s: %s", at, e)
		}
		if r.Error == "" && r.Status == 0 {
			bad("%s: an answer with neither status nor error", at)
		}
		k := httpKey(r.Method, r.URL, r.RequestBody)
		if j, dup := seen[k]; dup {
			bad("%s: %s %s is recorded twice (also network.http[%d])", at, methodName(r.Method), truncate(r.URL, 80), j)
		}
		seen[k] = i
	}
	seen = map[string]int{}
	for i, a := range n.DNS {
		at := fmt.Sprintf("network.dns[%d]", i)
		if strings.TrimSpace(a.Name) == "" {
			bad("%s: name is empty", at)
			continue
		}
		if e := validateNetError(a.ErrorKind, a.Error); e != "" {
			bad("%s: %s", at, e)
		}
		k := dnsKey(a.Name)
		if j, dup := seen[k]; dup {
			bad("%s: %s is recorded twice (also network.dns[%d])", at, a.Name, j)
		}
		seen[k] = i
	}
	seen = map[string]int{}
	for i, a := range n.TCP {
		at := fmt.Sprintf("network.tcp[%d]", i)
		if strings.TrimSpace(a.Addr) == "" {
			bad("%s: addr is empty", at)
			continue
		}
		if e := validateNetError(a.ErrorKind, a.Error); e != "" {
			bad("%s: %s", at, e)
		}
		k := tcpKey(a.Addr)
		if j, dup := seen[k]; dup {
			bad("%s: %s is recorded twice (also network.tcp[%d])", at, a.Addr, j)
		}
		seen[k] = i
	}
	seen = map[string]int{}
	for i, t := range n.TLS {
		at := fmt.Sprintf("network.tls[%d]", i)
		if strings.TrimSpace(t.Addr) == "" {
			bad("%s: addr is empty", at)
			continue
		}
		if t.Mode != TLSStandard && t.Mode != TLSGOST {
			bad("%s: mode %q is not %q or %q", at, truncate(string(t.Mode), 20), TLSStandard, TLSGOST)
		}
		if e := validateNetError(t.ErrorKind, t.Error); e != "" {
			bad("%s: %s", at, e)
		}
		k := tlsKey(t.Addr, t.ServerName, t.Mode)
		if j, dup := seen[k]; dup {
			bad("%s: %s (%s) is recorded twice (also network.tls[%d])", at, t.Addr, t.Mode, j)
		}
		seen[k] = i
	}
}

// sort orders every list by its lookup key (WriteSnapshot's stable order).
func (n *SnapNetwork) sort() {
	sort.SliceStable(n.HTTP, func(i, j int) bool {
		return httpKey(n.HTTP[i].Method, n.HTTP[i].URL, n.HTTP[i].RequestBody) < httpKey(n.HTTP[j].Method, n.HTTP[j].URL, n.HTTP[j].RequestBody)
	})
	sort.SliceStable(n.DNS, func(i, j int) bool { return dnsKey(n.DNS[i].Name) < dnsKey(n.DNS[j].Name) })
	sort.SliceStable(n.TCP, func(i, j int) bool { return tcpKey(n.TCP[i].Addr) < tcpKey(n.TCP[j].Addr) })
	sort.SliceStable(n.TLS, func(i, j int) bool {
		return tlsKey(n.TLS[i].Addr, n.TLS[i].ServerName, n.TLS[i].Mode) < tlsKey(n.TLS[j].Addr, n.TLS[j].ServerName, n.TLS[j].Mode)
	})
}

// clone copies the section (nil stays nil).
func (n *SnapNetwork) clone() *SnapNetwork {
	if n == nil {
		return nil
	}
	c := &SnapNetwork{}
	for _, r := range n.HTTP {
		c.HTTP = append(c.HTTP, copyHTTPResponse(r))
	}
	for _, a := range n.DNS {
		a.Addrs = append([]string(nil), a.Addrs...)
		c.DNS = append(c.DNS, a)
	}
	c.TCP = append(c.TCP, n.TCP...)
	for _, t := range n.TLS {
		c.TLS = append(c.TLS, copyTLSRecord(t))
	}
	return c
}
