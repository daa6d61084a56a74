package sites

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe"
)

// Net is the part of host.Host a diagnosis uses: every network question
// goes through the host, so that collect records it and a snapshot
// replays it.
type Net interface {
	LookupHost(ctx context.Context, name string) (host.DNSAnswer, error)
	DialTCP(ctx context.Context, addr string, timeout time.Duration) (host.TCPAnswer, error)
	TLSHandshake(ctx context.Context, req host.TLSRequest) (host.TLSRecord, error)
	HTTPGet(ctx context.Context, req host.HTTPRequest) (host.HTTPResponse, error)
}

// Target is one address to diagnose.
type Target struct {
	Host string
	Port int
	GOST bool // GOST-TLS site: our GOST ClientHello, GOST chain
	// Expected are the roots the site's chain ends in; empty when not
	// known, in which case only known interception products are named.
	Expected []ExpectedRoot
}

// Addr is host:port.
func (t Target) Addr() string { return host.JoinHostPort(t.Host, t.Port) }

// ExpectedRoot is a root a site's chain may end in.
type ExpectedRoot struct {
	Name       string // for messages
	SHA1, SKI  string // upper-case hex; either may be empty
	InstallCmd []string
	URL        string // where to download it
}

func (e ExpectedRoot) matches(sha1, ski string) bool {
	return e.SHA1 != "" && strings.EqualFold(e.SHA1, sha1) || e.SKI != "" && ski != "" && strings.EqualFold(e.SKI, ski)
}

// Trust is what the workstation trusts, read from its own stores.
type Trust struct {
	Roots, Intermediates *pki.Pool
	Where                string // the stores the roots came from, for messages
}

// Verdict is the outcome of a diagnosis (stable, for JSON and exit codes).
type Verdict string

// Verdicts.
const (
	Trusted      Verdict = "trusted"      // reachable, and the chain ends in a root the workstation trusts
	DNSFailed    Verdict = "dns"          // the name does not resolve
	Unreachable  Verdict = "unreachable"  // no TCP connection
	TLSFailed    Verdict = "tls"          // the handshake failed otherwise
	NoGOST       Verdict = "no-gost"      // the server refused every GOST suite
	RootMissing  Verdict = "root-missing" // the chain ends in a root the workstation lacks
	Intercepted  Verdict = "intercepted"  // the chain ends in a root that is not the site's
	ChainInvalid Verdict = "chain"        // bad signature, expired, not a CA …
	NameMismatch Verdict = "name"         // the certificate is not for this host name
)

// Diagnosis is what was found about one target.
type Diagnosis struct {
	Target  Target
	Verdict Verdict
	DNS     host.DNSAnswer
	TCP     host.TCPAnswer
	TLS     host.TLSRecord
	// Standard is the follow-up standard handshake made when a GOST site
	// refused GOST (to see who answers instead); nil otherwise.
	Standard *host.TLSRecord
	Chain    *pki.ChainResult
	Leaf     *pki.Certificate
	// RootName names the root the chain ends in (trusted or not) or the
	// issuer that is missing; Interceptor names the product or CA that
	// replaced the site's chain.
	RootName, RootSHA1, Interceptor string
	// MissingExpected is the site's own root when that is what is missing.
	MissingExpected *ExpectedRoot
	// ServerDate is the server's HTTP Date header, zero when unknown;
	// Skew = workstation clock − server clock.
	ServerDate time.Time
	Skew       time.Duration
	DateURL    string
	DateError  string
	// trustWhereText lists the stores the roots were read from.
	trustWhereText string
	// ParseError says why the server's certificates could not be read.
	ParseError string
}

// Options tune a diagnosis.
type Options struct {
	Now     time.Time     // the workstation's clock (zero: time.Now())
	Timeout time.Duration // per network question (0: host default)
	Clock   bool          // compare the server's Date header with Now
}

// MaxSkew is the clock difference beyond which sign-in and TLS fail.
const MaxSkew = 5 * time.Minute

// Diagnose runs DNS, TCP, the TLS handshake (GOST or standard), the chain
// verification against the workstation's roots and, when asked, the clock
// comparison. The error result is only for a cancelled context,
// host.ErrOffline and host.ErrNotRecorded.
func Diagnose(ctx context.Context, n Net, t Target, trust Trust, opts Options) (*Diagnosis, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	d := &Diagnosis{Target: t, trustWhereText: trust.Where}
	var err error
	if d.DNS, err = n.LookupHost(ctx, t.Host); err != nil {
		return nil, err
	}
	if d.TCP, err = n.DialTCP(ctx, t.Addr(), opts.Timeout); err != nil {
		return nil, err
	}
	mode := host.TLSStandard
	if t.GOST {
		mode = host.TLSGOST
	}
	if d.TLS, err = n.TLSHandshake(ctx, host.TLSRequest{Addr: t.Addr(), ServerName: t.Host, Mode: mode, Timeout: opts.Timeout}); err != nil {
		return nil, err
	}
	if d.TLS.Error != "" {
		switch {
		case d.DNS.Error != "" && d.TLS.Proxy == "":
			d.Verdict = DNSFailed
		case d.TCP.Error != "" && d.TLS.Proxy == "" && connectKind(d.TLS.ErrorKind):
			d.Verdict = Unreachable
		case connectKind(d.TLS.ErrorKind) && d.TLS.ErrorKind != host.NetTimeout:
			d.Verdict = Unreachable
		case t.GOST && refusedSuites(d.TLS):
			d.Verdict = NoGOST
			if err := d.followUpStandard(ctx, n, t, trust, opts); err != nil {
				return nil, err
			}
		default:
			d.Verdict = TLSFailed
		}
	} else {
		d.judgeChain(d.TLS.PeerCertificates, t, trust, opts.Now)
	}
	if opts.Clock && d.Verdict != DNSFailed && d.Verdict != Unreachable {
		if err := d.clock(ctx, n, t, opts); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// connectKind: the failure happened before any TLS byte was exchanged.
func connectKind(k host.NetErrorKind) bool {
	switch k {
	case host.NetDNS, host.NetConnect, host.NetRefused, host.NetProxy, host.NetTimeout:
		return true
	}
	return false
}

// refusedSuites: the server answered the GOST ClientHello with an alert
// meaning "no common cipher suite" (or another alert a server without
// GOST sends to an unknown suite list).
func refusedSuites(r host.TLSRecord) bool {
	if r.Alert == "" {
		return false
	}
	for _, a := range []string{"handshake_failure", "insufficient_security", "illegal_parameter", "protocol_version", "decode_error"} {
		if strings.HasPrefix(r.Alert, a+" ") {
			return true
		}
	}
	return false
}

// followUpStandard: a GOST site that refuses GOST may have something in
// between (an antivirus or proxy that re-signs TLS and speaks no GOST).
// A standard handshake shows who answers.
func (d *Diagnosis) followUpStandard(ctx context.Context, n Net, t Target, trust Trust, opts Options) error {
	rec, err := n.TLSHandshake(ctx, host.TLSRequest{Addr: t.Addr(), ServerName: t.Host, Mode: host.TLSStandard, Timeout: opts.Timeout})
	if err != nil {
		return err
	}
	d.Standard = &rec
	if rec.Error != "" || len(rec.PeerCertificates) == 0 {
		return nil
	}
	leaf, err := pki.ParseDER(rec.PeerCertificates[0])
	if err != nil {
		return nil
	}
	d.Leaf = leaf
	inter := pki.Over(trust.Intermediates)
	for _, der := range rec.PeerCertificates[1:] {
		if c, err := pki.ParseDER(der); err == nil {
			inter.Add(c)
		}
	}
	res := pki.Verify(leaf, pki.VerifyOptions{Intermediates: inter, Roots: trust.Roots, At: opts.Now})
	d.Chain = res
	top := res.Chain[len(res.Chain)-1].Cert
	d.RootName = topName(res)
	// Only a known interception product is called interception here: a
	// site that moved from GOST to RSA looks the same otherwise, so the
	// no-gost finding names who answered and lets the reader judge.
	if p := interceptionProduct(top); p != "" {
		d.Verdict = Intercepted
		d.Interceptor = p + " (" + d.RootName + ")"
	}
	return nil
}

// judgeChain verifies the presented chain against the workstation's roots.
func (d *Diagnosis) judgeChain(ders [][]byte, t Target, trust Trust, now time.Time) {
	if len(ders) == 0 {
		d.Verdict, d.ParseError = TLSFailed, "the server sent no certificate"
		return
	}
	leaf, err := pki.ParseDER(ders[0])
	if err != nil {
		d.Verdict, d.ParseError = ChainInvalid, err.Error()
		return
	}
	d.Leaf = leaf
	inter := pki.Over(trust.Intermediates)
	for _, der := range ders[1:] {
		if c, err := pki.ParseDER(der); err == nil {
			inter.Add(c)
		}
	}
	roots := trust.Roots
	if roots == nil {
		roots = pki.NewPool()
	}
	res := pki.Verify(leaf, pki.VerifyOptions{Intermediates: inter, Roots: roots, At: now})
	d.Chain = res
	top := res.Chain[len(res.Chain)-1].Cert
	d.RootName = topName(res)
	if res.Verdict == pki.Valid || top.IsSelfIssued() {
		d.RootSHA1 = top.SHA1
	}
	topSKI, topAKI := top.SubjectKeyIDHex(), top.AuthorityKeyIDHex()

	// Whose root is it? A known interception product, or (when the site's
	// roots are known) any root that is not one of them.
	product := interceptionProduct(top)
	expectedHit := false
	for i := range t.Expected {
		e := t.Expected[i]
		if e.matches(top.SHA1, topSKI) || (!top.IsSelfIssued() && topAKI != "" && strings.EqualFold(e.SKI, topAKI)) {
			expectedHit = true
			if res.Verdict != pki.Valid {
				d.MissingExpected = &e
			}
		}
	}
	// A chain cut short (its root not sent, the issuer not on this
	// machine) can only be compared by key identifier: with roots known
	// by thumbprint alone it is a missing root, not interception.
	comparable := top.IsSelfIssued() || res.Verdict == pki.Valid
	for _, e := range t.Expected {
		if e.SKI != "" {
			comparable = true
		}
	}
	switch {
	case product != "" || len(t.Expected) > 0 && !expectedHit && comparable:
		d.Verdict = Intercepted
		d.Interceptor = d.RootName
		if product != "" {
			d.Interceptor = product + " (" + d.RootName + ")"
		}
	case res.Verdict == pki.Valid:
		d.Verdict = Trusted
		if !nameMatches(leaf, t.Host) {
			d.Verdict = NameMismatch
		}
	case res.Verdict == pki.Incomplete || res.Verdict == pki.Untrusted:
		d.Verdict = RootMissing
	default:
		d.Verdict = ChainInvalid
	}
}

// topName names the root the chain ends in, or the missing issuer.
func topName(res *pki.ChainResult) string {
	top := res.Chain[len(res.Chain)-1].Cert
	if res.Missing != nil && res.Missing.IssuerDN != "" {
		return res.Missing.IssuerDN
	}
	if res.Verdict != pki.Valid && !top.IsSelfIssued() {
		return top.Issuer.String()
	}
	return top.DisplayName()
}

// nameMatches: the leaf's DNS names (or, without any, its CN) cover host.
func nameMatches(c *pki.Certificate, h string) bool {
	if host.IsIP(h) {
		return true // an address was asked for: nothing to compare
	}
	names := c.SANDNSNames
	if len(names) == 0 {
		names = []string{c.Subject.Get("CN")}
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	for _, n := range names {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == h {
			return true
		}
		if strings.HasPrefix(n, "*.") {
			if i := strings.IndexByte(h, '.'); i > 0 && h[i+1:] == n[2:] {
				return true
			}
		}
	}
	return false
}

// clock reads the server's Date header over plain HTTP (a GOST site's
// https:// cannot be fetched without GOST key exchange; port 80's answer,
// usually a redirect, carries Date too).
func (d *Diagnosis) clock(ctx context.Context, n Net, t Target, opts Options) error {
	d.DateURL = "http://" + t.Host + "/"
	resp, err := n.HTTPGet(ctx, host.HTTPRequest{URL: d.DateURL, MaxBytes: 64 << 10, Timeout: opts.Timeout, NoRedirect: true})
	if err != nil {
		if errors.Is(err, host.ErrNotRecorded) {
			d.DateError = err.Error()
			return nil
		}
		return err
	}
	date := resp.Header["Date"]
	if date == "" {
		d.DateError = resp.Error
		if d.DateError == "" {
			d.DateError = "no Date header in the answer"
		}
		return nil
	}
	st, perr := parseHTTPDate(date)
	if perr != nil {
		d.DateError = "unreadable Date header " + strconvQuote(date)
		return nil
	}
	d.ServerDate = st
	d.Skew = opts.Now.Sub(st)
	return nil
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// SkewTooLarge reports whether the workstation's clock is off by more than
// MaxSkew against the server's.
func (d *Diagnosis) SkewTooLarge() bool {
	return !d.ServerDate.IsZero() && (d.Skew > MaxSkew || d.Skew < -MaxSkew)
}

// Suite names the negotiated cipher suite.
func (d *Diagnosis) Suite() string {
	if d.TLS.CipherSuiteName != "" {
		return d.TLS.CipherSuiteName
	}
	if d.TLS.CipherSuite == 0 {
		return ""
	}
	return tlsprobe.SuiteName(d.TLS.CipherSuite)
}

// parseHTTPDate reads an HTTP Date header in the three forms RFC 9110
// §5.6.7 allows (IMF-fixdate, RFC 850, asctime).
func parseHTTPDate(v string) (time.Time, error) {
	var err error
	for _, layout := range []string{"Mon, 02 Jan 2006 15:04:05 GMT", "Monday, 02-Jan-06 15:04:05 GMT", "Mon Jan _2 15:04:05 2006"} {
		var t time.Time
		if t, err = time.Parse(layout, strings.TrimSpace(v)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}
