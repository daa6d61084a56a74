package doctortest

import (
	"context"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// WithNetwork returns a host that answers network questions from network
// (typically a live back end with NetOptions{LoopbackOnly: true, Resolve:
// …} pointing certificate URLs at test servers) and everything else from
// h (typically a built snapshot).
func WithNetwork(h, network host.Host) host.Host { return netHost{Host: h, net: network} }

type netHost struct {
	host.Host
	net host.Host
}

func (h netHost) HTTPGet(ctx context.Context, r host.HTTPRequest) (host.HTTPResponse, error) {
	return h.net.HTTPGet(ctx, r)
}

func (h netHost) LookupHost(ctx context.Context, n string) (host.DNSAnswer, error) {
	return h.net.LookupHost(ctx, n)
}

func (h netHost) DialTCP(ctx context.Context, a string, d time.Duration) (host.TCPAnswer, error) {
	return h.net.DialTCP(ctx, a, d)
}

func (h netHost) TLSHandshake(ctx context.Context, r host.TLSRequest) (host.TLSRecord, error) {
	return h.net.TLSHandshake(ctx, r)
}

// LoopbackNet is a live network back end that reaches only loopback, with
// names mapped by resolve; offline turns it off.
func LoopbackNet(t interface {
	Helper()
	Fatal(...any)
}, resolve map[string]string, offline bool) host.Host {
	t.Helper()
	h, err := host.NewLive(host.LiveOptions{Net: host.NetOptions{Resolve: resolve, LoopbackOnly: true, Proxy: host.NetProxyDirect, Offline: offline}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}
