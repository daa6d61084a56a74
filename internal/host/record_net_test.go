package host

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The fake host's network: answers by replay key.
var (
	fakeHTTP = map[string]HTTPResponse{
		httpKey("", "http://crl.roskazna.ru/crl/ucfk_2024.crl", nil): {Status: 200, Body: []byte("CRL bytes"),
			Header: map[string]string{"Date": "Wed, 01 Oct 2025 09:00:00 GMT", "Content-Type": "application/pkix-crl"}, ElapsedMS: 12},
		httpKey("", "http://moved.example/crl", nil):                             {Status: 200, FinalURL: "http://mirror.example/crl", Body: []byte("x"), Proxy: "http://proxy:3128"},
		httpKey("", "http://blocked.example/crl", nil):                           {Error: "dial tcp 10.0.0.1:80: i/o timeout", ErrorKind: NetTimeout},
		httpKey("", "http://gone.example/crl", nil):                              {Status: 404, Error: "HTTP 404 Not Found", ErrorKind: NetHTTPStatus},
		httpKey("POST", "http://ocsp.example/ocsp", []byte{0x30, 0x03, 1, 2, 3}): {Status: 200, Body: []byte{0x30, 0}},
	}
	fakeDNS = map[string]DNSAnswer{
		"crl.roskazna.ru": {Addrs: []string{"212.16.1.1", "212.16.1.2"}},
		"nx.example":      {Error: "lookup nx.example: no such host", ErrorKind: NetDNS},
	}
	fakeTCP = map[string]TCPAnswer{
		"crl.roskazna.ru:80": {RemoteAddr: "212.16.1.1:80", ElapsedMS: 3},
		"closed.example:443": {Error: "connection refused", ErrorKind: NetRefused},
	}
	fakeTLS = map[string]TLSRecord{
		tlsKey("lk-fzs.roskazna.ru:443", "lk-fzs.roskazna.ru", TLSGOST): {Version: 0x0303, CipherSuite: 0xC100, CipherSuiteName: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
			PeerCertificates: [][]byte{[]byte("leaf"), []byte("ca")}},
		tlsKey("bus.gov.ru:443", "bus.gov.ru", TLSStandard): {Alert: "handshake_failure (40)", Error: "remote error", ErrorKind: NetTLS},
	}
)

func (h *fakeHost) HTTPGet(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	h.count()
	if err := ctx.Err(); err != nil {
		return HTTPResponse{}, err
	}
	if req.URL == "http://offline.example/" {
		return HTTPResponse{}, ErrOffline
	}
	r, ok := fakeHTTP[httpKey(req.HTTPMethod(), req.URL, req.Body)]
	if !ok {
		r = HTTPResponse{Error: "lookup: no such host", ErrorKind: NetDNS}
	}
	r = copyHTTPResponse(r)
	if max := req.MaxBytes; max > 0 && int64(len(r.Body)) > max && r.Error == "" {
		r.Body, r.Truncated, r.ErrorKind, r.Error = nil, true, NetTooLarge, fmt.Sprintf("the answer is more than the %d bytes allowed", max)
	}
	r.URL, r.Method, r.RequestBody = req.URL, req.HTTPMethod(), cloneBytes(req.Body)
	return r, nil
}

func (h *fakeHost) LookupHost(ctx context.Context, name string) (DNSAnswer, error) {
	h.count()
	if err := ctx.Err(); err != nil {
		return DNSAnswer{}, err
	}
	a, ok := fakeDNS[dnsKey(name)]
	if !ok {
		a = DNSAnswer{Error: "no such host", ErrorKind: NetDNS}
	}
	a.Name = name
	return a, nil
}

func (h *fakeHost) DialTCP(ctx context.Context, addr string, timeout time.Duration) (TCPAnswer, error) {
	h.count()
	if err := ctx.Err(); err != nil {
		return TCPAnswer{}, err
	}
	a, ok := fakeTCP[tcpKey(addr)]
	if !ok {
		a = TCPAnswer{Error: "i/o timeout", ErrorKind: NetTimeout}
	}
	a.Addr = addr
	return a, nil
}

func (h *fakeHost) TLSHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error) {
	h.count()
	if err := ctx.Err(); err != nil {
		return TLSRecord{}, err
	}
	t, ok := fakeTLS[tlsKey(req.Addr, req.ServerName, req.Mode)]
	if !ok {
		t = TLSRecord{Error: "connection refused", ErrorKind: NetRefused}
	}
	t = copyTLSRecord(t)
	t.Addr, t.ServerName, t.Mode = req.Addr, req.ServerName, req.Mode
	return t, nil
}

// netQuestions are the network questions of the recorder round trip, with
// spellings the replay must match (case of host names).
func netQuestions() []question {
	var qs []question
	add := func(name string, ask func(ctx context.Context, h Host) string) {
		qs = append(qs, question{name, ask})
	}
	for _, q := range []HTTPRequest{
		{URL: "http://crl.roskazna.ru/crl/ucfk_2024.crl"},
		{URL: "http://crl.roskazna.ru/crl/ucfk_2024.crl", MaxBytes: 4},
		{URL: "http://moved.example/crl"},
		{URL: "http://blocked.example/crl"},
		{URL: "http://gone.example/crl"},
		{URL: "http://unknown.example/crl"},
		{URL: "http://ocsp.example/ocsp", Body: []byte{0x30, 0x03, 1, 2, 3}, ContentType: "application/ocsp-request"},
		{URL: "http://ocsp.example/ocsp", Body: []byte{0x30, 0x03, 9, 9, 9}, ContentType: "application/ocsp-request"},
	} {
		q := q
		add(fmt.Sprintf("http %s %x %d", q.URL, q.Body, q.MaxBytes), func(ctx context.Context, h Host) string {
			r, err := h.HTTPGet(ctx, q)
			return canon(r) + " " + errClass(err)
		})
	}
	for _, n := range []string{"crl.roskazna.ru", "CRL.roskazna.ru", "nx.example"} {
		n := n
		add("dns "+n, func(ctx context.Context, h Host) string {
			a, err := h.LookupHost(ctx, n)
			a.Name = strings.ToLower(a.Name)
			return canon(a) + " " + errClass(err)
		})
	}
	for _, a := range []string{"crl.roskazna.ru:80", "closed.example:443", "slow.example:80"} {
		a := a
		add("tcp "+a, func(ctx context.Context, h Host) string {
			t, err := h.DialTCP(ctx, a, time.Second)
			return canon(t) + " " + errClass(err)
		})
	}
	for _, r := range []TLSRequest{
		{Addr: "lk-fzs.roskazna.ru:443", ServerName: "lk-fzs.roskazna.ru", Mode: TLSGOST},
		{Addr: "bus.gov.ru:443", ServerName: "bus.gov.ru", Mode: TLSStandard},
		{Addr: "bus.gov.ru:443", ServerName: "bus.gov.ru", Mode: TLSGOST},
	} {
		r := r
		add(fmt.Sprintf("tls %s %s", r.Addr, r.Mode), func(ctx context.Context, h Host) string {
			t, err := h.TLSHandshake(ctx, r)
			return canon(t) + " " + errClass(err)
		})
	}
	return qs
}

func TestRecorderNetworkCancelledAndOfflineNotRecorded(t *testing.T) {
	rec := NewRecorder(newFakeHost("linux"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := rec.HTTPGet(ctx, HTTPRequest{URL: "http://crl.roskazna.ru/crl/ucfk_2024.crl"}); err == nil {
		t.Fatal("cancelled ctx: no error")
	}
	if _, err := rec.HTTPGet(context.Background(), HTTPRequest{URL: "http://offline.example/"}); err != ErrOffline {
		t.Fatalf("offline: %v", err)
	}
	if s := rec.Snapshot("t"); s.Network != nil {
		t.Fatalf("recorded %+v", s.Network)
	}
	h := NewSnapshotHost(rec.Snapshot("t"))
	if _, err := h.HTTPGet(context.Background(), HTTPRequest{URL: "http://offline.example/"}); errClass(err)[:12] != "NOT-RECORDED" {
		t.Fatalf("replay of an unrecorded question: %v", err)
	}
}

func TestSnapshotNetworkValidation(t *testing.T) {
	base := func() *Snapshot {
		return &Snapshot{SnapshotVersion: SnapshotVersion, CollectedAt: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC), Facts: Facts{OS: "linux"}}
	}
	for _, c := range []struct {
		net  SnapNetwork
		want string
	}{
		{SnapNetwork{HTTP: []HTTPResponse{{URL: ""}}}, "network.http[0]: url is empty"},
		{SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/", Status: 200}, {URL: "http://a/", Status: 404, Error: "HTTP 404", ErrorKind: NetHTTPStatus}}}, "recorded twice"},
		{SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/", Method: "PUT", Status: 200}}}, `method "PUT"`},
		{SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/", Method: "POST", Status: 200}}}, "POST without request_body"},
		{SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/", Error: "x", ErrorKind: "weird"}}}, `unknown error_kind "weird"`},
		{SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/", Error: "x"}}}, "error without error_kind"},
		{SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/"}}}, "neither status nor error"},
		{SnapNetwork{DNS: []DNSAnswer{{Name: "A.example"}, {Name: "a.example."}}}, "network.dns[1]: a.example. is recorded twice"},
		{SnapNetwork{TCP: []TCPAnswer{{Addr: " "}}}, "network.tcp[0]: addr is empty"},
		{SnapNetwork{TLS: []TLSRecord{{Addr: "a:443", Mode: "quic"}}}, `mode "quic"`},
	} {
		s := base()
		n := c.net
		s.Network = &n
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.net, err, c.want)
		}
	}
	s := base()
	s.Network = &SnapNetwork{HTTP: []HTTPResponse{{URL: "http://a/", Status: 200, Body: []byte{1}}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
}
