package host

import (
	"context"
	"time"
)

// recNet holds the Recorder's network answers, by replay key. The maps are
// made on first use; r.mu guards them.
type recNet struct {
	http map[string]HTTPResponse
	dns  map[string]DNSAnswer
	tcp  map[string]TCPAnswer
	tls  map[string]TLSRecord
}

// unrecordableNet: a network question is recorded only when it got an
// answer: its error result is never one (a cancelled ctx, ErrOffline,
// ErrNotRecorded of a wrapped snapshot).
func unrecordableNet(ctx context.Context, err error) bool {
	return err != nil || ctx.Err() != nil
}

// HTTPGet implements Host. Every answer, failures included, is recorded;
// a cancelled question and ErrOffline are not.
func (r *Recorder) HTTPGet(ctx context.Context, req HTTPRequest) (HTTPResponse, error) {
	resp, err := r.h.HTTPGet(ctx, req)
	if req.URL == "" || unrecordableNet(ctx, err) {
		return resp, err
	}
	rec := copyHTTPResponse(resp)
	rec.URL, rec.Method, rec.RequestBody = req.URL, req.HTTPMethod(), cloneBytes(req.Body)
	if rec.Error == "" && rec.Status == 0 {
		return resp, err // not an answer a snapshot could hold
	}
	key := httpKey(rec.Method, rec.URL, rec.RequestBody)
	r.mu.Lock()
	if r.net.http == nil {
		r.net.http = map[string]HTTPResponse{}
	}
	// A body refused for a smaller cap does not replace the whole body
	// (the replay applies the cap of each question).
	if old, ok := r.net.http[key]; !(ok && rec.ErrorKind == NetTooLarge && old.Error == "" && len(old.Body) > 0) {
		r.net.http[key] = rec
	}
	r.mu.Unlock()
	return resp, err
}

// LookupHost implements Host.
func (r *Recorder) LookupHost(ctx context.Context, name string) (DNSAnswer, error) {
	a, err := r.h.LookupHost(ctx, name)
	if dnsKey(name) == "" || unrecordableNet(ctx, err) {
		return a, err
	}
	rec := a
	rec.Name = name
	rec.Addrs = append([]string(nil), a.Addrs...)
	r.mu.Lock()
	if r.net.dns == nil {
		r.net.dns = map[string]DNSAnswer{}
	}
	r.net.dns[dnsKey(name)] = rec
	r.mu.Unlock()
	return a, err
}

// DialTCP implements Host.
func (r *Recorder) DialTCP(ctx context.Context, addr string, timeout time.Duration) (TCPAnswer, error) {
	a, err := r.h.DialTCP(ctx, addr, timeout)
	if tcpKey(addr) == "" || unrecordableNet(ctx, err) {
		return a, err
	}
	rec := a
	rec.Addr = addr
	r.mu.Lock()
	if r.net.tcp == nil {
		r.net.tcp = map[string]TCPAnswer{}
	}
	r.net.tcp[tcpKey(addr)] = rec
	r.mu.Unlock()
	return a, err
}

// TLSHandshake implements Host.
func (r *Recorder) TLSHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error) {
	t, err := r.h.TLSHandshake(ctx, req)
	if req.Addr == "" || (req.Mode != TLSStandard && req.Mode != TLSGOST) || unrecordableNet(ctx, err) {
		return t, err
	}
	rec := copyTLSRecord(t)
	rec.Addr, rec.ServerName, rec.Mode = req.Addr, req.ServerName, req.Mode
	r.mu.Lock()
	if r.net.tls == nil {
		r.net.tls = map[string]TLSRecord{}
	}
	r.net.tls[tlsKey(req.Addr, req.ServerName, req.Mode)] = rec
	r.mu.Unlock()
	return t, err
}

// snapNetwork returns the recorded network answers, nil when there are
// none; r.mu must be held.
func (r *Recorder) snapNetwork() *SnapNetwork {
	if len(r.net.http)+len(r.net.dns)+len(r.net.tcp)+len(r.net.tls) == 0 {
		return nil
	}
	n := &SnapNetwork{}
	for _, v := range r.net.http {
		n.HTTP = append(n.HTTP, copyHTTPResponse(v))
	}
	for _, v := range r.net.dns {
		v.Addrs = append([]string(nil), v.Addrs...)
		n.DNS = append(n.DNS, v)
	}
	for _, v := range r.net.tcp {
		n.TCP = append(n.TCP, v)
	}
	for _, v := range r.net.tls {
		n.TLS = append(n.TLS, copyTLSRecord(v))
	}
	n.sort()
	return n
}
