// Package cabundle is the embedded set of public CA certificates that
// `gmu-doctor fix` installs offline and that the chain check uses to name a
// missing intermediate: the certificates of the accredited Russian
// certification authorities (and the head CA roots above them).
//
// Provenance: the 2,403 certificates of the public repository
// schors/gost-russian-ca, version 16314 (bundle.pem, SHA-256
// 469d6782d43067c1127e77460dd6343ead1d57fb7de18d6ea943afd684d901b7),
// stored as bundle.bin: each certificate's DER prefixed with its length
// (4 bytes, big endian), the whole compressed with DEFLATE (level 9). It is
// generated, never edited: `go test ./internal/cabundle -update-bundle
// -bundle-source PATH` rewrites it and the test proves it matches the
// source. The data is decoded on first use, not at start-up.
package cabundle

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
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

// Limits of the decoder: the embedded data is ours, but the decoder is also
// fuzzed and must stay bounded on any input.
const (
	maxTotal = 32 << 20 // decompressed bytes
	maxCert  = 64 << 10 // one certificate
)

// Entry is one certificate of the bundle.
type Entry struct {
	DER  []byte
	SHA1 string // upper-case hex
	SKI  string // subject key identifier, upper-case hex ("" when absent)
	Cert *pki.Certificate
}

var (
	once    sync.Once
	entries []Entry
	bySHA1  map[string]int
	bySKI   map[string][]int
	loadErr error

	// The DER list and its thumbprint index come first and alone: looking
	// one certificate up by thumbprint (what root repairs do) parses that
	// certificate only, not all 2,403.
	derOnce sync.Once
	ders    [][]byte
	derSHA1 map[string]int
	derErr  error
)

func loadDERs() {
	ders, derErr = Decode(compressed)
	derSHA1 = make(map[string]int, len(ders))
	for i, der := range ders {
		derSHA1[host.Thumbprint(der)] = i
	}
}

func load() {
	derOnce.Do(loadDERs)
	if derErr != nil {
		loadErr = derErr
		return
	}
	bySHA1 = make(map[string]int, len(ders))
	bySKI = make(map[string][]int, len(ders))
	entries = make([]Entry, 0, len(ders))
	for _, der := range ders {
		c, err := pki.ParseDER(der)
		if err != nil {
			continue // (all 2,403 parse today; the test says so)
		}
		e := Entry{DER: der, SHA1: c.SHA1, SKI: c.SubjectKeyIDHex(), Cert: c}
		bySHA1[e.SHA1] = len(entries)
		if e.SKI != "" {
			bySKI[e.SKI] = append(bySKI[e.SKI], len(entries))
		}
		entries = append(entries, e)
	}
}

// All returns every certificate of the bundle.
func All() ([]Entry, error) {
	once.Do(load)
	return entries, loadErr
}

// BySHA1 returns the certificate with that thumbprint (upper-case hex).
func BySHA1(sha1 string) (Entry, bool) {
	derOnce.Do(loadDERs)
	i, ok := derSHA1[sha1]
	if !ok {
		return Entry{}, false
	}
	c, err := pki.ParseDER(ders[i])
	if err != nil {
		return Entry{}, false
	}
	return Entry{DER: ders[i], SHA1: c.SHA1, SKI: c.SubjectKeyIDHex(), Cert: c}, true
}

// BySKI returns the certificates whose subject key identifier is ski
// (upper-case hex): a CA key certified more than once (renewals, cross
// certificates) has several. Only those certificates are parsed.
func BySKI(ski string) []Entry {
	skiOnce.Do(loadSKIs)
	var out []Entry
	for _, i := range derSKI[ski] {
		if e, ok := entryAt(i); ok {
			out = append(out, e)
		}
	}
	return out
}

var (
	// derSKI indexes ders by subject key identifier (upper-case hex),
	// read without parsing the certificates: naming the issuer of one
	// certificate parses its few candidates, not the 2,403.
	skiOnce sync.Once
	derSKI  map[string][]int
)

func loadSKIs() {
	derOnce.Do(loadDERs)
	derSKI = make(map[string][]int, len(ders))
	for i, der := range ders {
		if ski := pki.SubjectKeyIDOf(der); len(ski) > 0 {
			k := strings.ToUpper(hex.EncodeToString(ski))
			derSKI[k] = append(derSKI[k], i)
		}
	}
}

// entryAt parses the i-th certificate (false when it does not parse: the
// full table leaves those out too).
func entryAt(i int) (Entry, bool) {
	c, err := pki.ParseDER(ders[i])
	if err != nil {
		return Entry{}, false
	}
	return Entry{DER: ders[i], SHA1: c.SHA1, SKI: c.SubjectKeyIDHex(), Cert: c}, true
}

// IssuerOf returns the bundle certificate that issued child: same key
// identifier as child's authority key identifier (when it has one), the
// subject equal to child's issuer, and child's signature verified with its
// key. It never returns a certificate whose signature over child does not
// verify.
func IssuerOf(child *pki.Certificate) (Entry, bool) {
	var cands []Entry
	if aki := child.AuthorityKeyIDHex(); aki != "" {
		cands = BySKI(aki)
	} else {
		once.Do(load)
		for i := range entries {
			if bytes.Equal(entries[i].Cert.RawSubject, child.RawIssuer) {
				cands = append(cands, entries[i])
			}
		}
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

// Decode splits the stored form into DER certificates, within the limits.
func Decode(data []byte) ([][]byte, error) {
	r := flate.NewReader(bytes.NewReader(data))
	defer r.Close()
	// Certificates compress to a sixth or so: start with room for that, so
	// that the buffer is not regrown (and copied) a dozen times.
	guess := 8 * len(data)
	if guess > maxTotal {
		guess = maxTotal
	}
	buf := bytes.NewBuffer(make([]byte, 0, guess))
	_, err := io.Copy(buf, io.LimitReader(r, maxTotal+1))
	raw := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("decode CA bundle: %w", err)
	}
	if len(raw) > maxTotal {
		return nil, fmt.Errorf("decode CA bundle: more than %d bytes", maxTotal)
	}
	var out [][]byte
	for len(raw) > 0 {
		if len(raw) < 4 {
			return nil, errors.New("decode CA bundle: truncated length")
		}
		n := binary.BigEndian.Uint32(raw)
		raw = raw[4:]
		if n == 0 || n > maxCert || int(n) > len(raw) {
			return nil, fmt.Errorf("decode CA bundle: certificate %d: bad length %d", len(out)+1, n)
		}
		out = append(out, raw[:n:n])
		raw = raw[n:]
	}
	return out, nil
}

// Encode is the inverse of Decode (used by the generator).
func Encode(ders [][]byte) ([]byte, error) {
	var raw bytes.Buffer
	for _, d := range ders {
		if len(d) == 0 || len(d) > maxCert {
			return nil, fmt.Errorf("encode CA bundle: certificate of %d bytes", len(d))
		}
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(d)))
		raw.Write(n[:])
		raw.Write(d)
	}
	var out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
