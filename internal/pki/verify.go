package pki

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"hash/maphash"
	"sort"
	"strings"
	"sync"
	"time"
)

// Pool is a set of certificates indexed for issuer lookup. A pool made
// with Over lies on a base pool it never changes: a large pool (a store of
// thousands of CA certificates) is indexed once and shared.
type Pool struct {
	base   *Pool
	certs  []*Certificate
	bySHA1 map[string]*Certificate
	bySKI  map[uint64]certList // by a hash of the subject key identifier
	byName map[uint64]certList // by keyHash of the subject
}

// certList is the certificates of one index key, in the order they were
// added; the usual single certificate needs no slice.
type certList struct {
	one  *Certificate
	more []*Certificate
}

func (l certList) add(c *Certificate) certList {
	if l.one == nil {
		l.one = c
	} else {
		l.more = append(l.more, c)
	}
	return l
}

func (l certList) appendTo(out []*Certificate) []*Certificate {
	if l.one != nil {
		out = append(out, l.one)
	}
	return append(out, l.more...)
}

// NewPool makes a pool of the certificates.
func NewPool(certs ...*Certificate) *Pool {
	n := len(certs)
	p := &Pool{certs: make([]*Certificate, 0, n), bySHA1: make(map[string]*Certificate, n),
		bySKI: make(map[uint64]certList, n), byName: make(map[uint64]certList, n)}
	for _, c := range certs {
		p.Add(c)
	}
	return p
}

// Over makes a pool of base's certificates and certs, without copying or
// changing base (it may be shared by concurrent users; it must not change
// while the new pool is used). The new pool answers exactly as
// NewPool(append(base.Certificates(), certs...)...) would.
func Over(base *Pool, certs ...*Certificate) *Pool {
	p := NewPool()
	if base.Len() > 0 {
		p.base = base
	}
	for _, c := range certs {
		p.Add(c)
	}
	return p
}

// Add adds c unless the pool already holds the same certificate.
func (p *Pool) Add(c *Certificate) {
	if c == nil {
		return
	}
	if p.bySHA1 == nil {
		*p = *NewPool()
	}
	if p.Contains(c) {
		return
	}
	p.certs = append(p.certs, c)
	p.bySHA1[c.SHA1] = c
	if len(c.SubjectKeyID) > 0 {
		k := maphash.Bytes(keySeed, c.SubjectKeyID)
		p.bySKI[k] = p.bySKI[k].add(c)
	}
	n := c.Subject.keyHash()
	p.byName[n] = p.byName[n].add(c)
}

// Len returns the number of certificates in the pool.
func (p *Pool) Len() int {
	if p == nil {
		return 0
	}
	return p.base.Len() + len(p.certs)
}

// Certificates returns the certificates in the order they were added.
func (p *Pool) Certificates() []*Certificate {
	if p == nil {
		return nil
	}
	out := make([]*Certificate, 0, p.Len())
	return append(append(out, p.base.Certificates()...), p.certs...)
}

// Contains reports whether the pool holds c (byte-identical).
func (p *Pool) Contains(c *Certificate) bool {
	if p == nil || c == nil {
		return false
	}
	_, ok := p.bySHA1[c.SHA1]
	return ok || p.base.Contains(c)
}

// issuersOf returns the pool's candidate issuers of c: first those whose
// SKI equals c's AKI, then those whose subject equals c's issuer name.
// A candidate whose SKI contradicts c's AKI is never returned: several CA
// generations share one name (the Treasury CAs are all «Федеральное
// казначейство»), and only the key identifier tells them apart.
func (p *Pool) issuersOf(c *Certificate) []*Certificate {
	if p == nil {
		return nil
	}
	var out []*Certificate
	seen := map[string]bool{}
	if len(c.AuthorityKeyID) > 0 {
		for _, k := range p.withSKI(maphash.Bytes(keySeed, c.AuthorityKeyID), nil) {
			if !bytes.Equal(k.SubjectKeyID, c.AuthorityKeyID) {
				continue // another identifier with the same hash
			}
			out = append(out, k)
			seen[k.SHA1] = true
		}
	}
	for _, k := range p.withName(c.Issuer.keyHash(), nil) {
		if seen[k.SHA1] || !sameName(k.Subject, c.Issuer) {
			continue
		}
		if len(c.AuthorityKeyID) > 0 && len(k.SubjectKeyID) > 0 && !bytes.Equal(c.AuthorityKeyID, k.SubjectKeyID) {
			continue
		}
		out = append(out, k)
		seen[k.SHA1] = true
	}
	return out
}

// withSKI appends the certificates whose subject key identifier has that
// hash to out: the base's first, in the order they were added.
func (p *Pool) withSKI(h uint64, out []*Certificate) []*Certificate {
	if p == nil {
		return out
	}
	return p.bySKI[h].appendTo(p.base.withSKI(h, out))
}

// withName appends the certificates whose subject has that key hash to
// out: the base's first, in the order they were added.
func (p *Pool) withName(h uint64, out []*Certificate) []*Certificate {
	if p == nil {
		return out
	}
	return p.byName[h].appendTo(p.base.withName(h, out))
}

// Verdict is the outcome of a chain verification.
type Verdict string

// Verdicts, from good to bad.
const (
	Valid        Verdict = "valid"
	Incomplete   Verdict = "incomplete"    // an issuer certificate is missing
	Untrusted    Verdict = "untrusted"     // the chain ends at a root that is not trusted
	BadSignature Verdict = "bad_signature" // a signature does not verify
	Expired      Verdict = "expired"
	NotYetValid  Verdict = "not_yet_valid"
	Malformed    Verdict = "malformed" // structure: a CA that is not a CA, path length, unknown critical extension
)

// Link is one certificate of a chain and the check of its signature by
// the next certificate (for the last one: by itself when self-signed).
type Link struct {
	Cert           *Certificate
	SignatureValid bool
	SignatureError string
	Problem        string // what is wrong with this certificate, "" when nothing
}

// MissingIssuer describes the certificate that would continue the chain.
type MissingIssuer struct {
	IssuerDN  string
	AKI       string // upper-case hex
	CAIssuers []string
}

// ChainResult is the verdict on a certificate with the chain it was
// reached on.
type ChainResult struct {
	Verdict      Verdict
	Chain        []Link // leaf first
	Missing      *MissingIssuer
	Reason       string
	ProblemIndex int // index in Chain of the bad link, -1 when none
	// Problem is a stable code for the problem at ProblemIndex (one of the
	// Problem* constants), "" when valid; for messages in other languages.
	Problem    string
	Candidates int // number of candidate paths examined
	// SignatureChecks is how many signatures the search verified: its work.
	SignatureChecks int
}

// Problem codes of ChainResult.Problem.
const (
	ProblemMissingIssuer   = "missing-issuer"
	ProblemUntrustedRoot   = "untrusted-root"
	ProblemTooLong         = "chain-too-long"
	ProblemNotCA           = "not-ca"         // no basicConstraints
	ProblemCAFalse         = "ca-false"       // basicConstraints CA:FALSE
	ProblemNoCertSign      = "no-keycertsign" // keyUsage without keyCertSign
	ProblemPathLength      = "path-length"    // pathLenConstraint exceeded
	ProblemUnknownCritical = "unknown-critical"
	ProblemBadSignature    = "bad-signature"
	ProblemUnsupportedSig  = "unsupported-signature"
	ProblemExpired         = "expired"
	ProblemNotYetValid     = "not-yet-valid"
	// ProblemTooManyIssuers: more candidate issuers than the search looks
	// at (hundreds of CA certificates with one name and key identifier are
	// a damaged or hostile store, not a chain).
	ProblemTooManyIssuers = "too-many-issuers"
)

// VerifyOptions are the inputs of Verify.
type VerifyOptions struct {
	Intermediates, Roots *Pool
	At                   time.Time // zero: now
	// Signatures, when set, remembers signature checks across Verify
	// calls (e.g. every certificate of a bundle against the same CAs: each
	// CA's signature is then checked once, not once per certificate).
	Signatures *SignatureCache
}

// SignatureCache remembers the outcome of signature checks, keyed by the
// certificate objects themselves (never by thumbprint: a SHA-1 collision
// cannot borrow another certificate's verdict). Safe for concurrent use.
type SignatureCache struct {
	mu sync.Mutex
	m  map[[2]*Certificate]error
}

// NewSignatureCache returns an empty cache.
func NewSignatureCache() *SignatureCache {
	return &SignatureCache{m: map[[2]*Certificate]error{}}
}

func (s *SignatureCache) check(child, parent *Certificate) error {
	k := [2]*Certificate{child, parent}
	s.mu.Lock()
	err, ok := s.m[k]
	s.mu.Unlock()
	if ok {
		return err
	}
	err = child.CheckSignatureFrom(parent)
	s.mu.Lock()
	s.m[k] = err
	s.mu.Unlock()
	return err
}

// Limits of the path search. Real chains have 2-4 links and, per link, a
// handful of candidate issuers (CA generations sharing a name are told
// apart by the key identifier); the limits keep a hostile or damaged
// certificate set (hundreds of CAs with one name and key identifier, each
// a GOST signature check of milliseconds) from costing seconds per
// certificate.
const (
	maxChainLen = 10
	maxPaths    = 64
	// MaxCandidates is the most candidate issuers one step looks at; more
	// is the verdict ProblemTooManyIssuers.
	MaxCandidates = 32
	// MaxSignatureChecks bounds the signatures one search verifies.
	MaxSignatureChecks = 128
)

// Verify builds the chains from leaf to a trusted root through the
// intermediates, trying alternatives depth-first, and returns the best
// one: a valid chain if there is one, otherwise the failed chain that got
// furthest, with its problem.
func Verify(leaf *Certificate, opts VerifyOptions) *ChainResult {
	if leaf == nil {
		return &ChainResult{Verdict: Malformed, Reason: "no certificate", ProblemIndex: -1}
	}
	at := opts.At
	if at.IsZero() {
		at = time.Now()
	}
	v := &verifier{opts: opts, at: at, sigCache: map[[2]string]error{}}
	v.walk([]*Certificate{leaf})
	if len(v.results) == 0 {
		// only possible when the search limits cut every path
		return &ChainResult{Verdict: Incomplete, Chain: []Link{{Cert: leaf}}, ProblemIndex: 0,
			Reason: "no chain could be built within the search limits"}
	}
	best := v.results[0]
	for _, r := range v.results[1:] {
		if better(r, best) {
			best = r
		}
	}
	if v.exhausted && best.res.Verdict != Valid {
		// The search was cut short: whatever it found last is no verdict.
		r := best.res
		i := len(r.Chain) - 1
		r.Verdict, r.Problem, r.ProblemIndex, r.Missing = Incomplete, ProblemTooManyIssuers, i, nil
		r.Reason = fmt.Sprintf("too many candidate issuers: the chain search stopped after %d signature checks without a valid chain", v.sigChecks)
	}
	best.res.Candidates = len(v.results)
	best.res.SignatureChecks = v.sigChecks
	return best.res
}

type verifier struct {
	opts     VerifyOptions
	at       time.Time
	results  []scored
	sigCache map[[2]string]error
	steps    int
	// sigChecks counts the signatures verified; exhausted is set when the
	// search stopped at MaxSignatureChecks.
	sigChecks int
	exhausted bool
	// tooMany is the size of the candidate set that was refused, if any.
	tooMany int
}

type scored struct {
	res      *ChainResult
	progress int // links from the leaf that are free of problems
}

// verdictRank orders failed verdicts of paths that got equally far.
var verdictRank = map[Verdict]int{
	Valid: 0, Expired: 1, NotYetValid: 1, Untrusted: 2, Incomplete: 3, Malformed: 4, BadSignature: 5,
}

func better(a, b scored) bool {
	if (a.res.Verdict == Valid) != (b.res.Verdict == Valid) {
		return a.res.Verdict == Valid
	}
	if a.res.Verdict == Valid {
		return len(a.res.Chain) < len(b.res.Chain)
	}
	if a.progress != b.progress {
		return a.progress > b.progress
	}
	return verdictRank[a.res.Verdict] < verdictRank[b.res.Verdict]
}

// sig checks child's signature with parent's key once per search. A
// shared Signatures cache saves the work, not the count: the search limit
// (MaxSignatureChecks) and every verdict are the same with and without it.
func (v *verifier) sig(child, parent *Certificate) error {
	k := [2]string{child.SHA1, parent.SHA1}
	if err, ok := v.sigCache[k]; ok {
		return err
	}
	v.sigChecks++
	var err error
	if v.opts.Signatures != nil {
		err = v.opts.Signatures.check(child, parent)
	} else {
		err = child.CheckSignatureFrom(parent)
	}
	v.sigCache[k] = err
	return err
}

// isRoot reports whether c is a trust anchor: a self-issued certificate
// among the roots. A CA or personal certificate put into the Root store is
// no anchor (OpenSSL without -partial_chain agrees; CryptoAPI, too, ends a
// complete chain only at a self-signed certificate): the path goes on
// through it to a real root.
func (v *verifier) isRoot(c *Certificate) bool {
	if !v.opts.Roots.Contains(c) || !c.IsSelfIssued() {
		return false
	}
	return len(c.AuthorityKeyID) == 0 || len(c.SubjectKeyID) == 0 || bytes.Equal(c.AuthorityKeyID, c.SubjectKeyID)
}

// selfSigned reports whether c is self-issued and verifies with its own key.
func (v *verifier) selfSigned(c *Certificate) bool {
	if !c.IsSelfIssued() {
		return false
	}
	if len(c.AuthorityKeyID) > 0 && len(c.SubjectKeyID) > 0 && !bytes.Equal(c.AuthorityKeyID, c.SubjectKeyID) {
		return false
	}
	return v.sig(c, c) == nil
}

func (v *verifier) walk(path []*Certificate) {
	if len(v.results) >= maxPaths || v.steps > 4*maxPaths*maxChainLen || v.exhausted {
		return
	}
	if v.sigChecks >= MaxSignatureChecks {
		v.exhausted = true
		return
	}
	v.steps++
	cur := path[len(path)-1]
	if v.isRoot(cur) {
		v.finish(path, "")
		return
	}
	if len(path) >= maxChainLen {
		v.finish(path, "toolong")
		return
	}
	var cands []*Certificate
	inPath := func(c *Certificate) bool {
		for _, p := range path {
			if p.SHA1 == c.SHA1 {
				return true
			}
		}
		return false
	}
	// trust anchors first, then intermediates
	for _, pool := range []*Pool{v.opts.Roots, v.opts.Intermediates} {
		for _, c := range pool.issuersOf(cur) {
			if !inPath(c) && !containsCert(cands, c) {
				cands = append(cands, c)
			}
		}
	}
	if len(cands) > MaxCandidates {
		v.tooMany = len(cands)
		v.finish(path, "toomany")
		return
	}
	if v.selfSigned(cur) {
		// A self-signed certificate ends the path here unless another
		// certificate really signed the same key (a cross certificate).
		v.finish(path, "untrusted")
		var cross []*Certificate
		for _, c := range cands {
			if v.sig(cur, c) == nil {
				cross = append(cross, c)
			}
		}
		cands = cross
	} else if len(cands) == 0 {
		v.finish(path, "missing")
		return
	}
	// Try the candidates whose signature verifies first; the rest follow
	// so that a wrong-key issuer is still reported as a bad signature.
	sort.SliceStable(cands, func(i, j int) bool {
		return v.sig(cur, cands[i]) == nil && v.sig(cur, cands[j]) != nil
	})
	for _, c := range cands {
		next := append(append([]*Certificate(nil), path...), c)
		v.walk(next)
	}
}

func containsCert(list []*Certificate, c *Certificate) bool {
	for _, x := range list {
		if x.SHA1 == c.SHA1 {
			return true
		}
	}
	return false
}

type problem struct {
	index   int
	verdict Verdict
	code    string
	text    string
}

// finish evaluates a complete path. end is "" (ends at a trust anchor),
// "untrusted" (self-signed, not trusted), "missing" (no issuer found) or
// "toolong". Problems are reported in the order OpenSSL reports them:
// first how the chain ends, then CA constraints, then, from the root down
// to the leaf, each signature and each validity period.
func (v *verifier) finish(path []*Certificate, end string) {
	n := len(path)
	links := make([]Link, n)
	var probs []problem
	for i, c := range path {
		links[i].Cert = c
		var issuer *Certificate
		if i+1 < n {
			issuer = path[i+1]
		} else if c.IsSelfIssued() {
			issuer = c
		}
		if issuer != nil {
			if err := v.sig(c, issuer); err != nil {
				links[i].SignatureError = err.Error()
			} else {
				links[i].SignatureValid = true
			}
		}
	}
	last := path[n-1]
	res := &ChainResult{Chain: links, ProblemIndex: -1}
	switch end {
	case "missing":
		res.Missing = &MissingIssuer{IssuerDN: last.Issuer.String(), AKI: last.AuthorityKeyIDHex(), CAIssuers: last.CAIssuers}
		if len(res.Missing.CAIssuers) == 0 {
			res.Missing.CAIssuers = path[0].CAIssuers
		}
		probs = append(probs, problem{n - 1, Incomplete, ProblemMissingIssuer, fmt.Sprintf("issuer certificate not found: %s (AKI %s)", res.Missing.IssuerDN, orNone(res.Missing.AKI))})
	case "untrusted":
		probs = append(probs, problem{n - 1, Untrusted, ProblemUntrustedRoot, fmt.Sprintf("chain ends at the self-signed certificate %q (SHA-1 %s), which is not a trusted root", displayName(last), last.SHA1)})
	case "toomany":
		probs = append(probs, problem{n - 1, Incomplete, ProblemTooManyIssuers, fmt.Sprintf("too many candidate issuers: %d certificates in the stores could have issued %q (issuer %s, key identifier %s); the search looks at no more than %d", v.tooMany, displayName(last), last.Issuer.String(), orNone(last.AuthorityKeyIDHex()), MaxCandidates)})
	case "toolong":
		probs = append(probs, problem{n - 1, Incomplete, ProblemTooLong, fmt.Sprintf("chain longer than %d certificates", maxChainLen)})
	}
	// CA constraints of every issuer in the path.
	for i := 1; i < n; i++ {
		c := path[i]
		switch {
		case !c.BasicConstraintsPresent && !(c.Version == 1 && c.IsSelfIssued()):
			probs = append(probs, problem{i, Malformed, ProblemNotCA, fmt.Sprintf("%q issued a certificate but has no basicConstraints extension (not marked as a CA)", displayName(c))})
		case c.BasicConstraintsPresent && !c.IsCA:
			probs = append(probs, problem{i, Malformed, ProblemCAFalse, fmt.Sprintf("%q issued a certificate but basicConstraints says CA:FALSE", displayName(c))})
		case c.KeyUsagePresent && c.KeyUsage&x509.KeyUsageCertSign == 0:
			probs = append(probs, problem{i, Malformed, ProblemNoCertSign, fmt.Sprintf("%q issued a certificate but its keyUsage lacks keyCertSign", displayName(c))})
		case c.MaxPathLen >= 0 && i-1 > c.MaxPathLen:
			probs = append(probs, problem{i, Malformed, ProblemPathLength, fmt.Sprintf("%q allows %d intermediate CAs below it, the chain has %d", displayName(c), c.MaxPathLen, i-1)})
		}
	}
	for i, c := range path {
		if len(c.UnknownCritical) > 0 {
			probs = append(probs, problem{i, Malformed, ProblemUnknownCritical, fmt.Sprintf("%q has unsupported critical extensions %s", displayName(c), strings.Join(c.UnknownCritical, ", "))})
		}
	}
	// From the top down: signature, then validity.
	for i := n - 1; i >= 0; i-- {
		c := path[i]
		isAnchor := i == n-1 && end == ""
		if !links[i].SignatureValid && links[i].SignatureError != "" && (i < n-1 || isAnchor || end == "untrusted") {
			probs = append(probs, problem{i, BadSignature, sigCode(links[i].SignatureError), signatureText(c, path, i, links[i].SignatureError)})
		}
		if v.at.Before(c.NotBefore) {
			probs = append(probs, problem{i, NotYetValid, ProblemNotYetValid, fmt.Sprintf("%q is not valid before %s (checked at %s)", displayName(c), c.NotBefore.Format(time.RFC3339), v.at.UTC().Format(time.RFC3339))})
		} else if v.at.After(c.NotAfter) {
			probs = append(probs, problem{i, Expired, ProblemExpired, fmt.Sprintf("%q expired at %s (checked at %s)", displayName(c), c.NotAfter.Format(time.RFC3339), v.at.UTC().Format(time.RFC3339))})
		}
	}
	progress := n
	for _, p := range probs {
		if links[p.index].Problem == "" {
			links[p.index].Problem = p.text
		}
		if p.index < progress {
			progress = p.index
		}
	}
	if len(probs) == 0 {
		res.Verdict = Valid
		res.Reason = fmt.Sprintf("chain of %d certificates ends at the trusted root %q", n, displayName(last))
	} else {
		res.Verdict, res.Reason, res.ProblemIndex, res.Problem = probs[0].verdict, probs[0].text, probs[0].index, probs[0].code
		if probs[0].verdict != Incomplete && probs[0].verdict != Untrusted {
			res.Missing = nil
		}
	}
	v.results = append(v.results, scored{res: res, progress: progress})
}

func signatureText(c *Certificate, path []*Certificate, i int, errText string) string {
	issuer := c
	if i+1 < len(path) {
		issuer = path[i+1]
	}
	if strings.Contains(errText, ErrUnsupportedAlgorithm.Error()) {
		return fmt.Sprintf("the signature of %q by %q cannot be checked: %s", displayName(c), displayName(issuer), errText)
	}
	return fmt.Sprintf("the signature of %q (SHA-1 %s) does not verify with the key of %q (SHA-1 %s)", displayName(c), c.SHA1, displayName(issuer), issuer.SHA1)
}

func sigCode(errText string) string {
	if strings.Contains(errText, ErrUnsupportedAlgorithm.Error()) {
		return ProblemUnsupportedSig
	}
	return ProblemBadSignature
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// displayName is the CN, else the O, else the whole subject.
func displayName(c *Certificate) string {
	if s := c.Subject.Get("CN"); s != "" {
		return s
	}
	if s := c.Subject.Get("O"); s != "" {
		return s
	}
	return c.Subject.String()
}

// DisplayName returns the certificate's CN, or O, or its whole subject.
func (c *Certificate) DisplayName() string { return displayName(c) }
