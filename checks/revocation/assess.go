package revocation

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// What a source (one CRL or OCSP address) said about one certificate.
const (
	OutGood        = "good"         // a fresh, correctly signed answer: not revoked
	OutRevoked     = "revoked"      // a correctly signed answer: revoked
	OutUnknown     = "unknown"      // OCSP "unknown": the responder does not know the certificate
	OutExpired     = "expired"      // the CRL's nextUpdate (OCSP nextUpdate) has passed
	OutWrongSigner = "wrong-signer" // signed by another key than the issuer's
	OutMalformed   = "malformed"    // not a CRL/OCSP answer (an HTML page, garbage)
	OutUnreachable = "unreachable"  // DNS, TCP, proxy, HTTP status, timeout, too large …
	OutUnusable    = "unusable"     // a delta or partitioned CRL, or an unknown critical extension
	OutNotRecorded = "not-recorded" // a snapshot replay without this answer
	OutOffline     = "offline"      // the host's network is off (host.ErrOffline)
)

// Kinds of sources.
const (
	KindCRL  = "CRL"
	KindOCSP = "OCSP"
)

// Source is one address asked about one certificate, and its outcome.
type Source struct {
	Kind string // KindCRL or KindOCSP
	URL  string
	// Resp is the network answer (Error/ErrorKind say why it failed).
	Resp    host.HTTPResponse
	Outcome string
	// Detail: the parse or signature error, the OCSP status name …
	Detail     string
	ThisUpdate time.Time
	NextUpdate time.Time
	RevokedAt  time.Time
	Reason     int    // CRLReason, -1 when none
	SignerKey  string // for a wrong signer: the CRL's authority key id (hex), when it has one
}

// Verdicts of a certificate's revocation status.
const (
	VerdictGood     = "good"
	VerdictRevoked  = "revoked"
	VerdictUnknown  = "unknown"   // no source gave a usable answer
	VerdictNoURLs   = "no-urls"   // the certificate names no CRL or OCSP address
	VerdictNoIssuer = "no-issuer" // its issuer is not available, so no answer can be verified
)

// Status is the revocation status of one certificate of a chain.
type Status struct {
	Cert, Issuer *pki.Certificate
	Sources      []Source
	Verdict      string
	// By is the source that decided a revoked or good verdict.
	By *Source
}

// Options tune Assess.
type Options struct {
	// Now is the moment to judge nextUpdate against (the host's clock).
	Now time.Time
	// Offline: ask nothing; every status is VerdictUnknown without sources.
	Offline bool
	// Parallel bounds concurrent network questions (default 4).
	Parallel int
	// PerRequest bounds one question (default host.DefaultNetTimeout).
	PerRequest time.Duration
}

// fetcher asks each URL once per Assess, however many certificates name it,
// and keeps parsed CRLs.
type fetcher struct {
	h    host.Host
	opts Options
	sem  chan struct{}

	mu   sync.Mutex
	gets map[string]*fetch
}

type fetch struct {
	once sync.Once
	resp host.HTTPResponse
	err  error
	crl  *pki.CRL
	perr error
}

func (f *fetcher) get(ctx context.Context, req host.HTTPRequest, asCRL bool) (*fetch, error) {
	key := req.URL + "\x00" + string(req.Body)
	f.mu.Lock()
	g, ok := f.gets[key]
	if !ok {
		g = &fetch{}
		f.gets[key] = g
	}
	f.mu.Unlock()
	g.once.Do(func() {
		select {
		case f.sem <- struct{}{}:
			defer func() { <-f.sem }()
		case <-ctx.Done():
			g.err = ctx.Err()
			return
		}
		req.Timeout = f.opts.PerRequest
		if dl, ok := ctx.Deadline(); ok {
			if left := time.Until(dl); left < req.Timeout || req.Timeout <= 0 {
				req.Timeout = left
			}
		}
		g.resp, g.err = f.h.HTTPGet(ctx, req)
		if g.err == nil && asCRL && g.resp.OK() {
			g.crl, g.perr = pki.ParseCRL(g.resp.Body)
		}
	})
	return g, g.err
}

// Chain is one certification path, leaf first, as pki.Verify built it; the
// last certificate may be a self-signed root.
type Chain []*pki.Certificate

// Assess asks the CRL and OCSP addresses of every certificate of the
// chains (each certificate once, each URL once) and returns the status of
// each certificate that has an issuer in its chain, in chain order. Self-
// signed roots are not checked. A ctx error (the run's online budget)
// leaves the remaining sources unreachable with a timeout.
func Assess(ctx context.Context, h host.Host, chains []Chain, opts Options) []*Status {
	if opts.Parallel <= 0 {
		opts.Parallel = 4
	}
	if opts.PerRequest <= 0 {
		opts.PerRequest = host.DefaultNetTimeout
	}
	if opts.Now.IsZero() {
		opts.Now = h.Now()
	}
	f := &fetcher{h: h, opts: opts, sem: make(chan struct{}, opts.Parallel), gets: map[string]*fetch{}}
	var out []*Status
	seen := map[string]bool{}
	for _, ch := range chains {
		for i, c := range ch {
			if c == nil || seen[c.SHA1] || (c.IsSelfIssued() && c.CheckSignatureFrom(c) == nil) {
				continue
			}
			seen[c.SHA1] = true
			st := &Status{Cert: c}
			if i+1 < len(ch) {
				st.Issuer = ch[i+1]
			}
			out = append(out, st)
		}
	}
	var wg sync.WaitGroup
	for _, st := range out {
		st := st
		wg.Add(1)
		go func() {
			defer wg.Done()
			assessOne(ctx, f, st)
		}()
	}
	wg.Wait()
	return out
}

func httpURLs(urls []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, u := range urls {
		u = strings.TrimSpace(u)
		l := strings.ToLower(u)
		if (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

func assessOne(ctx context.Context, f *fetcher, st *Status) {
	c := st.Cert
	crls, ocsps := httpURLs(c.CRLDistributionPoints), httpURLs(c.OCSP)
	switch {
	case len(crls)+len(ocsps) == 0:
		st.Verdict = VerdictNoURLs
		return
	case st.Issuer == nil:
		st.Verdict = VerdictNoIssuer
		return
	case f.opts.Offline:
		st.Verdict = VerdictUnknown
		return
	}
	st.Sources = make([]Source, len(crls)+len(ocsps))
	var wg sync.WaitGroup
	for i, u := range crls {
		i, u := i, u
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.Sources[i] = crlSource(ctx, f, c, st.Issuer, u)
		}()
	}
	for j, u := range ocsps {
		j, u := j, u
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.Sources[len(crls)+j] = ocspSource(ctx, f, c, st.Issuer, u)
		}()
	}
	wg.Wait()
	decide(st)
}

// decide: a correctly signed "revoked" wins; else a correctly signed
// fresh "good"; else unknown.
func decide(st *Status) {
	st.Verdict = VerdictUnknown
	for i := range st.Sources {
		if st.Sources[i].Outcome == OutRevoked {
			st.Verdict, st.By = VerdictRevoked, &st.Sources[i]
			return
		}
	}
	for i := range st.Sources {
		if st.Sources[i].Outcome == OutGood {
			st.Verdict, st.By = VerdictGood, &st.Sources[i]
			return
		}
	}
}

// unreachable turns a failed question into a source.
func fetchFailed(s *Source, g *fetch, err error) bool {
	switch {
	case errors.Is(err, host.ErrNotRecorded):
		s.Outcome, s.Detail = OutNotRecorded, err.Error()
		return true
	case errors.Is(err, host.ErrOffline):
		s.Outcome, s.Detail = OutOffline, err.Error()
		return true
	case err != nil: // the run's online budget ran out
		s.Outcome = OutUnreachable
		s.Resp.ErrorKind, s.Resp.Error = host.NetTimeout, "the time for online checks ran out ("+err.Error()+")"
		return true
	}
	s.Resp = g.resp
	if !g.resp.OK() {
		s.Outcome = OutUnreachable
		if g.resp.Error == "" {
			s.Resp.ErrorKind, s.Resp.Error = host.NetHTTPStatus, "HTTP status "+strconv.Itoa(g.resp.Status)
		}
		return true
	}
	return false
}

func crlSource(ctx context.Context, f *fetcher, c, issuer *pki.Certificate, u string) Source {
	s := Source{Kind: KindCRL, URL: u, Reason: -1}
	g, err := f.get(ctx, host.HTTPRequest{URL: u}, true)
	if fetchFailed(&s, g, err) {
		return s
	}
	s.Resp.Body = nil // parsed below; not kept twice
	if g.perr != nil {
		s.Outcome, s.Detail = OutMalformed, g.perr.Error()
		return s
	}
	l := g.crl
	s.ThisUpdate, s.NextUpdate = l.ThisUpdate, l.NextUpdate
	if err := l.CheckSignatureFrom(issuer); err != nil {
		s.Outcome, s.Detail, s.SignerKey = OutWrongSigner, err.Error(), l.AuthorityKeyIDHex()
		return s
	}
	if e, revoked := l.Lookup(c.Serial); revoked && !l.Indirect {
		// A revocation is a fact even in an old or partial list.
		s.Outcome, s.RevokedAt, s.Reason = OutRevoked, e.RevocationDate, e.Reason
		if e.Reason == 6 { // certificateHold: suspended, may come back
			s.Detail = "certificateHold"
		}
		return s
	}
	switch {
	case l.Delta || l.IssuingDistributionPoint || l.Indirect || len(l.UnknownCritical) > 0:
		s.Outcome = OutUnusable
		s.Detail = crlLimits(l)
	case l.ExpiredAt(f.opts.Now):
		s.Outcome = OutExpired
	default:
		s.Outcome = OutGood
	}
	return s
}

func crlLimits(l *pki.CRL) string {
	var why []string
	if l.Delta {
		why = append(why, "delta CRL")
	}
	if l.IssuingDistributionPoint {
		why = append(why, "partitioned CRL (issuingDistributionPoint)")
	}
	if l.Indirect {
		why = append(why, "indirect CRL")
	}
	if len(l.UnknownCritical) > 0 {
		why = append(why, "unknown critical extensions "+strings.Join(l.UnknownCritical, ", "))
	}
	return strings.Join(why, "; ")
}

func ocspSource(ctx context.Context, f *fetcher, c, issuer *pki.Certificate, u string) Source {
	s := Source{Kind: KindOCSP, URL: u, Reason: -1}
	req, err := pki.OCSPRequest(c, issuer)
	if err != nil {
		s.Outcome, s.Detail = OutMalformed, err.Error()
		return s
	}
	g, err := f.get(ctx, host.HTTPRequest{URL: u, Body: req, ContentType: "application/ocsp-request", MaxBytes: pki.MaxOCSPSize}, false)
	if fetchFailed(&s, g, err) {
		return s
	}
	body := g.resp.Body
	s.Resp.Body = nil
	r, err := pki.ParseOCSPResponse(body)
	if err != nil {
		s.Outcome, s.Detail = OutMalformed, err.Error()
		return s
	}
	if r.Status != 0 {
		s.Outcome, s.Detail = OutUnreachable, "OCSP "+pki.OCSPStatusName(r.Status)
		s.Resp.ErrorKind, s.Resp.Error = host.NetHTTPStatus, "the responder answered "+pki.OCSPStatusName(r.Status)
		return s
	}
	if _, err := r.Verify(issuer); err != nil {
		s.Outcome, s.Detail = OutWrongSigner, err.Error()
		return s
	}
	one, ok := r.Find(c, issuer)
	if !ok {
		s.Outcome, s.Detail = OutMalformed, "the answer is about another certificate"
		return s
	}
	s.ThisUpdate, s.NextUpdate = one.ThisUpdate, one.NextUpdate
	switch one.Status {
	case pki.OCSPRevoked:
		s.Outcome, s.RevokedAt, s.Reason = OutRevoked, one.RevokedAt, one.Reason
	case pki.OCSPUnknown:
		s.Outcome = OutUnknown
	default:
		if !one.NextUpdate.IsZero() && f.opts.Now.After(one.NextUpdate) {
			s.Outcome = OutExpired
		} else {
			s.Outcome = OutGood
		}
	}
	return s
}

// Hosts returns the host names of the sources with the given outcomes,
// sorted, without duplicates.
func (st *Status) Hosts(outcomes ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range st.Sources {
		for _, o := range outcomes {
			if s.Outcome == o {
				if h := host.URLHost(s.URL); h != "" && !seen[h] {
					seen[h] = true
					out = append(out, h)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
