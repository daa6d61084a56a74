package certs

import (
	"bytes"
	"context"
	"fmt"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"math"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/tsl"
)

// Entry is one certificate of a store, parsed.
type Entry struct {
	Loc   host.StoreLocation
	Store host.StoreName
	Host  host.Certificate
	// Cert is nil when the entry could not be parsed (Err says why).
	Cert *pki.Certificate
	Err  error
}

// SHA1 is the entry's thumbprint: from the parsed certificate, else as the
// store reported it.
func (e Entry) SHA1() string {
	if e.Cert != nil {
		return e.Cert.SHA1
	}
	return NormHex(e.Host.SHA1)
}

// Where is "CurrentUser\My".
func (e Entry) Where() string { return StoreLabel(e.Loc, e.Store) }

// StoreLabel is "CurrentUser\My".
func StoreLabel(loc host.StoreLocation, store host.StoreName) string {
	return string(loc) + `\` + string(store)
}

// Stores is what was read from a set of certificate stores.
type Stores struct {
	Entries []Entry
	// Errors holds the stores that could not be read, by StoreLabel.
	Errors map[string]error
	read   map[string]bool

	mu    sync.Mutex
	pools map[string]*pki.Pool
	sigs  *pki.SignatureCache
	// bySHA1 indexes Entries by thumbprint (made by Find).
	bySHA1 map[string][]int
}

// loadKey names one Load of a run: the host and the stores asked for.
type loadKey struct {
	h    host.Host
	what string
}

// Load reads and parses the stores (every location × store). A store that
// cannot be read is recorded in Errors; the others are still returned.
//
// Within a check run (ctx from the doctor runner, see doctor.Shared) each
// store is read and each distinct certificate parsed once per run, and the
// result — the *Stores itself — is shared by every check that asks for the
// same stores: treat it, its entries and their certificates as read-only.
// Outside a run every call reads afresh.
func Load(ctx context.Context, h host.Host, locs []host.StoreLocation, stores []host.StoreName) *Stores {
	shared := doctor.SharedFrom(ctx)
	if shared == nil || h == nil || !reflect.TypeOf(h).Comparable() {
		return loadNow(ctx, h, locs, stores)
	}
	v, err := shared.Once(ctx, loadKey{h: h, what: fmt.Sprint(locs, stores)}, func() (any, bool) {
		st := loadNow(ctx, h, locs, stores)
		// An answer cut short by the check's deadline is not the stores'.
		return st, ctx.Err() == nil
	})
	if st, ok := v.(*Stores); ok && err == nil {
		return st
	}
	return loadNow(ctx, h, locs, stores)
}

func loadNow(ctx context.Context, h host.Host, locs []host.StoreLocation, stores []host.StoreName) *Stores {
	s := &Stores{Errors: map[string]error{}, read: map[string]bool{}}
	var lists [][]Entry
	total := 0
	for _, loc := range locs {
		for _, st := range stores {
			entries, err := readStore(ctx, h, loc, st)
			if err != nil {
				s.Errors[StoreLabel(loc, st)] = err
				continue
			}
			s.read[StoreLabel(loc, st)] = true
			lists = append(lists, entries)
			total += len(entries)
		}
	}
	if total > 0 {
		s.Entries = make([]Entry, 0, total)
	}
	for _, l := range lists {
		s.Entries = append(s.Entries, l...)
	}
	return s
}

// Signatures is the signature cache shared by every chain verified with
// these stores (the chain and revocation checks verify the same chains).
func (s *Stores) Signatures() *pki.SignatureCache {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sigs == nil {
		s.sigs = pki.NewSignatureCache()
	}
	return s.sigs
}

// Pool is the pool of Parsed(stores...), made once per Stores and shared:
// never Add to it; extend it with pki.Over.
func (s *Stores) Pool(stores ...host.StoreName) *pki.Pool {
	key := fmt.Sprint(stores)
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.pools[key]; ok {
		return p
	}
	p := pki.NewPool(s.Parsed(stores...)...)
	if s.pools == nil {
		s.pools = map[string]*pki.Pool{}
	}
	s.pools[key] = p
	return p
}

// LoadCore reads the six core stores (CurrentUser/LocalMachine × Root/CA/My).
func LoadCore(ctx context.Context, h host.Host) *Stores {
	return Load(ctx, h, host.Locations, host.CoreStores)
}

// Read reports whether the store was read successfully.
func (s *Stores) Read(loc host.StoreLocation, store host.StoreName) bool {
	return s.read[StoreLabel(loc, store)]
}

// In returns the entries of one store.
func (s *Stores) In(loc host.StoreLocation, store host.StoreName) []Entry {
	var out []Entry
	for _, e := range s.Entries {
		if e.Loc == loc && e.Store == store {
			out = append(out, e)
		}
	}
	return out
}

// Find returns the entries with that thumbprint, in any store (in the
// order of Entries). The thumbprint index is made on the first call.
func (s *Stores) Find(sha1 string) []Entry {
	sha1 = NormHex(sha1)
	s.mu.Lock()
	if s.bySHA1 == nil {
		s.bySHA1 = make(map[string][]int, len(s.Entries))
		for i, e := range s.Entries {
			k := e.SHA1()
			s.bySHA1[k] = append(s.bySHA1[k], i)
		}
	}
	idx := s.bySHA1[sha1]
	s.mu.Unlock()
	if len(idx) == 0 {
		return nil
	}
	out := make([]Entry, len(idx))
	for j, i := range idx {
		out[j] = s.Entries[i]
	}
	return out
}

// Parsed returns the parsed certificates of the given stores (any
// location), without duplicates.
func (s *Stores) Parsed(stores ...host.StoreName) []*pki.Certificate {
	seen := make(map[string]bool, len(s.Entries))
	out := make([]*pki.Certificate, 0, len(s.Entries))
	for _, e := range s.Entries {
		if e.Cert == nil || seen[e.Cert.SHA1] {
			continue
		}
		for _, st := range stores {
			if e.Store == st {
				seen[e.Cert.SHA1] = true
				out = append(out, e.Cert)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Personal returns the entries of CurrentUser\My and then LocalMachine\My.
func (s *Stores) Personal() []Entry {
	return append(s.In(host.CurrentUser, host.StoreMy), s.In(host.LocalMachine, host.StoreMy)...)
}

// ErrorText joins the store errors for a message ("CurrentUser\Root: …").
func (s *Stores) ErrorText() string {
	var parts []string
	for _, loc := range host.Locations {
		for _, st := range []host.StoreName{host.StoreRoot, host.StoreCA, host.StoreMy, host.StoreAuthRoot} {
			if err, ok := s.Errors[StoreLabel(loc, st)]; ok {
				parts = append(parts, fmt.Sprintf("%s: %v", StoreLabel(loc, st), err))
			}
		}
	}
	return strings.Join(parts, "; ")
}

// DaysLeft is the number of whole days from now until t (negative when t
// has passed).
func DaysLeft(now, t time.Time) int {
	return int(math.Floor(t.Sub(now).Hours() / 24))
}

// IssuerKeyIDs follows a certificate's issuers by key identifier (AKI →
// SKI) through the given certificates and the known CA table, and returns
// every authority key identifier met on the way, leaf's first. It tells
// which root a certificate needs even when an intermediate is missing.
func IssuerKeyIDs(c *pki.Certificate, pool []*pki.Certificate, known *Known) []string {
	return NewKeyIndex(pool).IssuerKeyIDs(c, known)
}

// KeyIndex finds the certificates of a pool by subject key identifier
// (upper-case hex; of several with one identifier the last wins). Build it
// once per pool when following many certificates: a store of thousands of
// CA certificates is indexed once, not once per personal certificate.
type KeyIndex map[string]*pki.Certificate

// NewKeyIndex indexes pool by subject key identifier.
func NewKeyIndex(pool []*pki.Certificate) KeyIndex {
	ix := make(KeyIndex, len(pool))
	for _, p := range pool {
		if len(p.SubjectKeyID) > 0 {
			ix[p.SubjectKeyIDHex()] = p
		}
	}
	return ix
}

// IssuerKeyIDs is the package function IssuerKeyIDs over the indexed pool.
func (ix KeyIndex) IssuerKeyIDs(c *pki.Certificate, known *Known) []string {
	var out []string
	seen := map[string]bool{}
	aki := c.AuthorityKeyIDHex()
	for i := 0; i < 10 && aki != "" && !seen[aki]; i++ {
		seen[aki] = true
		out = append(out, aki)
		switch p, ok := ix[aki]; {
		case ok && p.AuthorityKeyIDHex() != p.SubjectKeyIDHex():
			aki = p.AuthorityKeyIDHex()
		case ok:
			aki = ""
		default:
			if ca, ok := known.CAByKeyID(aki); ok {
				aki = ca.AKI
			} else {
				aki = ""
			}
		}
	}
	return out
}

// Signing reports whether a certificate can make the signatures the sites
// check: a GOST R 34.10 key. Other certificates in the personal store (EFS,
// corporate RSA certificates) are not the checks' business.
func Signing(c *pki.Certificate) bool { return c != nil && c.IsGOSTKey() }

// ValidPersonal reads CurrentUser\My and returns its signing certificates
// that are valid at the host's clock. An unreadable store is an error.
func ValidPersonal(ctx context.Context, h host.Host) ([]*pki.Certificate, error) {
	st := Load(ctx, h, []host.StoreLocation{host.CurrentUser}, []host.StoreName{host.StoreMy})
	if !st.Read(host.CurrentUser, host.StoreMy) {
		return nil, fmt.Errorf("read the personal certificate store: %s", st.ErrorText())
	}
	now := h.Now()
	var out []*pki.Certificate
	for _, e := range st.Entries {
		if Signing(e.Cert) && e.Cert.ValidAt(now) {
			out = append(out, e.Cert)
		}
	}
	return out, nil
}

// LoadTSL reads and parses the accredited-CA list given with --tsl. The
// file is read through the host like every other file (when replaying a
// snapshot, it must have been recorded).
func LoadTSL(ctx context.Context, h host.Host, path string) (*tsl.List, error) {
	data, err := h.ReadFile(ctx, path, tsl.MaxSize)
	if err != nil {
		return nil, err
	}
	return tsl.Parse(bytes.NewReader(data))
}
