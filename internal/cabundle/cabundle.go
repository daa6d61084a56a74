// Package cabundle is the embedded set of public CA certificates that
// `gmu-doctor fix` installs offline and that the chain check uses to name a
// missing intermediate: the certificates of the accredited Russian
// certification authorities (and the head CA roots above them).
//
// Provenance: the 2,403 certificates of the public repository
// schors/gost-russian-ca, version 16314 (bundle.pem, SHA-256
// 469d6782d43067c1127e77460dd6343ead1d57fb7de18d6ea943afd684d901b7),
// stored as bundle.bin in the order of the source (the layout is described
// in format.go): a small uncompressed index (two bytes of each
// certificate's SHA-1, of the hash of its subject key identifier and of the
// hash of its subject) and the certificates in chunks of 16, each chunk
// compressed on its own with DEFLATE (level 9) against one shared preset
// dictionary. A lookup scans the index and inflates only the chunks of its
// candidates (and of those only up to the last candidate); every candidate
// is checked against the full key before it is returned, so a damaged
// index could make a lookup miss but never return a wrong certificate (and
// the test proves the index is the one the certificates give). Only All
// inflates everything.
//
// It is generated, never edited: `go test ./internal/cabundle
// -update-bundle -bundle-source PATH` rewrites it and the test proves it
// matches the source. Nothing is decoded at start-up.
package cabundle

import (
	"bytes"
	"crypto/sha1"
	_ "embed"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

//go:embed bundle.bin
var compressed []byte

// Source says where the certificates come from (for plans and journals).
const Source = "schors/gost-russian-ca v16314"

// SourceSHA256 is the SHA-256 of the bundle.pem the data was made from.
const SourceSHA256 = "469d6782d43067c1127e77460dd6343ead1d57fb7de18d6ea943afd684d901b7"

// Entry is one certificate of the bundle.
type Entry struct {
	DER  []byte
	SHA1 string // upper-case hex
	SKI  string // subject key identifier, upper-case hex ("" when absent)
	Cert *pki.Certificate
}

var (
	// The embedded table opened (header, index and chunk list checked)
	// and its dictionary inflated: what every lookup needs, about 40 KB.
	tabOnce sync.Once
	tab     *table
	tabDict []byte
	tabErr  error

	// The whole table, parsed: only All needs it.
	once    sync.Once
	entries []Entry
	loadErr error
)

func embedded() (*table, []byte, error) {
	tabOnce.Do(func() {
		tab, tabErr = open(compressed)
		if tabErr == nil {
			tabDict, tabErr = tab.dictionary()
		}
	})
	return tab, tabDict, tabErr
}

func load() {
	t, dict, err := embedded()
	if err != nil {
		loadErr = err
		return
	}
	ders, err := t.all(dict)
	if err != nil {
		loadErr = err
		return
	}
	entries = make([]Entry, 0, len(ders))
	for _, der := range ders {
		if e, ok := entryOf(der); ok {
			entries = append(entries, e)
		}
		// (a certificate that does not parse is left out: all 2,403
		// parse today; the test says so)
	}
}

// entryOf parses one certificate (false when it does not parse: the full
// table leaves those out too).
func entryOf(der []byte) (Entry, bool) {
	c, err := pki.ParseDER(der)
	if err != nil {
		return Entry{}, false
	}
	return Entry{DER: der, SHA1: c.SHA1, SKI: c.SubjectKeyIDHex(), Cert: c}, true
}

// All returns every certificate of the bundle (the first call inflates and
// parses all of them).
func All() ([]Entry, error) {
	once.Do(load)
	return entries, loadErr
}

// candidates returns the DER of every certificate whose index key in keys
// (one of the table's key columns) is key, in the order of the bundle.
// A damaged embedded table gives none.
func candidates(col int, key [keyLen]byte) [][]byte {
	t, dict, err := embedded()
	if err != nil {
		return nil
	}
	ders, err := t.fetch(dict, t.find(col, key))
	if err != nil {
		return nil
	}
	return ders
}

// BySHA1 returns the certificate with that thumbprint (upper-case hex).
// It inflates one chunk (or part of it) and parses that certificate only.
func BySHA1(sha1 string) (Entry, bool) {
	var key [keyLen]byte
	if len(sha1) < 2*keyLen {
		return Entry{}, false
	}
	if _, err := hex.Decode(key[:], []byte(sha1[:2*keyLen])); err != nil {
		return Entry{}, false
	}
	var der []byte
	for _, d := range candidates(colSHA1, key) {
		if host.Thumbprint(d) == sha1 {
			der = d // (the last one, as a map built in bundle order would keep)
		}
	}
	if der == nil {
		return Entry{}, false
	}
	return entryOf(der)
}

// BySKI returns the certificates whose subject key identifier is ski
// (upper-case hex): a CA key certified more than once (renewals, cross
// certificates) has several. Only those certificates are parsed.
func BySKI(ski string) []Entry {
	raw, err := hex.DecodeString(ski)
	if err != nil || len(raw) == 0 {
		return nil
	}
	var out []Entry
	for _, d := range candidates(colSKI, hashKey(raw)) {
		if !bytes.Equal(pki.SubjectKeyIDOf(d), raw) || strings.ToUpper(ski) != ski {
			continue
		}
		if e, ok := entryOf(d); ok {
			out = append(out, e)
		}
	}
	return out
}

// bySubject returns the certificates whose subject is exactly rawSubject
// (DER), in bundle order.
func bySubject(rawSubject []byte) []Entry {
	var out []Entry
	for _, d := range candidates(colSubject, hashKey(rawSubject)) {
		if e, ok := entryOf(d); ok && bytes.Equal(e.Cert.RawSubject, rawSubject) {
			out = append(out, e)
		}
	}
	return out
}

// hashKey is the index key of a subject key identifier or a subject: the
// first bytes of its SHA-1 (identifiers are not always random).
func hashKey(b []byte) [keyLen]byte {
	s := sha1.Sum(b)
	var k [keyLen]byte
	copy(k[:], s[:])
	return k
}

// IssuerOf returns the bundle certificate that issued child: same key
// identifier as child's authority key identifier (when it has one), the
// subject equal to child's issuer, and child's signature verified with its
// key. It never returns a certificate whose signature over child does not
// verify. Only the candidates are inflated and parsed.
func IssuerOf(child *pki.Certificate) (Entry, bool) {
	var cands []Entry
	if aki := child.AuthorityKeyIDHex(); aki != "" {
		cands = BySKI(aki)
	} else {
		cands = bySubject(child.RawIssuer)
	}
	best := -1
	for i, e := range cands {
		c := e.Cert
		if !bytes.Equal(c.RawSubject, child.RawIssuer) {
			continue
		}
		if child.CheckSignatureFrom(c) != nil {
			continue
		}
		// Prefer the one valid longest (the newest renewal of the key).
		if best < 0 || c.NotAfter.After(cands[best].Cert.NotAfter) {
			best = i
		}
	}
	if best < 0 {
		return Entry{}, false
	}
	return cands[best], true
}
