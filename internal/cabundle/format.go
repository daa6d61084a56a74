package cabundle

// The stored form, bundle.bin (all integers big endian):
//
//	magic    8 bytes  "GMUCAB\x00\x01"
//	n        uint32   number of certificates
//	k        uint16   certificates per chunk (the last chunk may hold fewer)
//	dictZ    uint32   compressed length of the preset dictionary
//	dictRaw  uint32   its inflated length (at most 32 KiB, DEFLATE's window)
//	keys     3 columns of n × 2 bytes, in certificate order: the first bytes
//	         of the certificate's SHA-1, of the SHA-1 of its subject key
//	         identifier (0 when it has none) and of the SHA-1 of its subject
//	         (0 when it does not parse)
//	chunks   m = ⌈n/k⌉ × (uint32 compressed length, uint32 inflated length)
//	dict     dictZ bytes of DEFLATE
//	data     the m chunks one after the other: each a DEFLATE stream, with
//	         the dictionary preset, of its certificates, each one's DER
//	         prefixed with its length (uint32)
//
// The dictionary is DER of certificates taken evenly across the bundle: it
// gives every chunk the history (issuer names, policy OIDs, CRL addresses)
// that one stream over the whole bundle would have had, so the chunks cost
// about 1% more than a single stream.

import (
	"bytes"
	"compress/flate"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

const (
	magic     = "GMUCAB\x00\x01"
	headerLen = len(magic) + 4 + 2 + 4 + 4
	keyLen    = 2
	columns   = 3
	perChunk  = 16       // certificates per chunk written by Encode
	dictSize  = 32 << 10 // DEFLATE's window: a longer dictionary is not used
	dictEvery = 12       // the dictionary takes every (n/12)-th certificate

	colSHA1    = 0
	colSKI     = 1
	colSubject = 2
)

// Limits of the decoder: the embedded data is ours, but the decoder is also
// fuzzed and must stay bounded on any input.
const (
	maxTotal    = 32 << 20 // inflated bytes of all chunks together
	maxCert     = 64 << 10 // one certificate
	maxPerChunk = 1024     // certificates in one chunk
	// DEFLATE cannot inflate more than 258 bytes from 2 bits: an inflated
	// length above this ratio is a lie, refused before anything is read.
	maxRatio = 1032
)

// table is the stored form opened for lookups: header, index and chunk
// list checked, nothing inflated.
type table struct {
	n, k   int
	keys   [columns][]byte // keyLen bytes per certificate
	chunks []chunk
	dictZ  []byte
	dictN  int
}

type chunk struct {
	z   []byte // the DEFLATE stream
	raw int    // its inflated length
}

func errorf(format string, a ...interface{}) error {
	return fmt.Errorf("decode CA bundle: "+format, a...)
}

// open checks the layout of data; it inflates nothing.
func open(data []byte) (*table, error) {
	if len(data) < headerLen {
		return nil, errorf("%d bytes, shorter than the header (%d)", len(data), headerLen)
	}
	if string(data[:len(magic)]) != magic {
		return nil, errorf("not the stored form (no %q at the start)", magic)
	}
	h := data[len(magic):headerLen]
	n := int(binary.BigEndian.Uint32(h[0:4]))
	k := int(binary.BigEndian.Uint16(h[4:6]))
	dictZ := int(binary.BigEndian.Uint32(h[6:10]))
	dictN := int(binary.BigEndian.Uint32(h[10:14]))
	rest := data[headerLen:]
	if k == 0 || k > maxPerChunk {
		return nil, errorf("%d certificates per chunk (1 to %d allowed)", k, maxPerChunk)
	}
	if dictN > dictSize || (dictN > 0) != (dictZ > 0) || dictN > maxRatio*dictZ {
		return nil, errorf("dictionary of %d bytes stored in %d", dictN, dictZ)
	}
	// Each certificate has its keys in the index: n is bounded by the
	// input before anything is allocated by it.
	if n > len(rest)/(columns*keyLen) {
		return nil, errorf("%d certificates claimed, the index cannot hold them (%d bytes left)", n, len(rest))
	}
	t := &table{n: n, k: k, dictN: dictN}
	for c := range t.keys {
		t.keys[c], rest = rest[:n*keyLen:n*keyLen], rest[n*keyLen:]
	}
	m := (n + k - 1) / k
	if m > len(rest)/8 {
		return nil, errorf("list of %d chunks truncated", m)
	}
	list := rest[:8*m]
	rest = rest[8*m:]
	if dictZ > len(rest) {
		return nil, errorf("dictionary of %d bytes truncated (%d left)", dictZ, len(rest))
	}
	t.dictZ, rest = rest[:dictZ:dictZ], rest[dictZ:]
	t.chunks = make([]chunk, m)
	total := 0
	for i := range t.chunks {
		z := int(binary.BigEndian.Uint32(list[8*i:]))
		raw := int(binary.BigEndian.Uint32(list[8*i+4:]))
		count := t.count(i)
		switch {
		case z == 0 || z > len(rest):
			return nil, errorf("chunk %d: %d compressed bytes (%d left)", i+1, z, len(rest))
		case raw < count*5 || raw > count*(4+maxCert) || raw > maxRatio*z:
			return nil, errorf("chunk %d: inflated length %d impossible for %d certificates in %d bytes", i+1, raw, count, z)
		}
		total += raw
		if total > maxTotal {
			return nil, errorf("more than %d bytes inflated", maxTotal)
		}
		t.chunks[i] = chunk{z: rest[:z:z], raw: raw}
		rest = rest[z:]
	}
	if len(rest) != 0 {
		return nil, errorf("%d bytes after the last chunk", len(rest))
	}
	return t, nil
}

// count is the number of certificates of chunk i.
func (t *table) count(i int) int {
	if left := t.n - i*t.k; left < t.k {
		return left
	}
	return t.k
}

// Inflaters are reused: one costs about 40 KB.
var inflaters sync.Pool

func inflate(z, dict []byte) (io.ReadCloser, *bytes.Reader) {
	br := bytes.NewReader(z)
	if r, ok := inflaters.Get().(io.ReadCloser); ok {
		if r.(flate.Resetter).Reset(br, dict) == nil {
			return r, br
		}
	}
	return flate.NewReaderDict(br, dict), br
}

func release(r io.ReadCloser) {
	r.Close()
	inflaters.Put(r)
}

// readExactly inflates z onto the end of dst: exactly raw bytes, and the
// stream must end there with no compressed bytes left over. dst grows only
// as the data really comes (raw is a claim of the input).
func readExactly(dst, z, dict []byte, raw int, what string) ([]byte, error) {
	r, br := inflate(z, dict)
	defer release(r)
	for got := 0; got < raw; {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		end := cap(dst)
		if end-len(dst) > raw-got {
			end = len(dst) + raw - got
		}
		n, err := io.ReadFull(r, dst[len(dst):end])
		dst = dst[:len(dst)+n]
		got += n
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, errorf("%s inflates to %d bytes, %d declared", what, got, raw)
		}
		if err != nil {
			return nil, errorf("%s: %v", what, err)
		}
	}
	var one [1]byte
	if n, err := io.ReadFull(r, one[:]); n > 0 {
		return nil, errorf("%s inflates to more than the %d bytes declared", what, raw)
	} else if err != io.EOF {
		return nil, errorf("%s: %v", what, err)
	}
	if br.Len() != 0 {
		return nil, errorf("%s: %d bytes after the end of its stream", what, br.Len())
	}
	return dst, nil
}

// dictionary inflates the preset dictionary.
func (t *table) dictionary() ([]byte, error) {
	if t.dictN == 0 {
		return nil, nil
	}
	return readExactly(make([]byte, 0, t.dictN), t.dictZ, nil, t.dictN, "dictionary")
}

// find returns the numbers of the certificates whose key in column col is
// key, in bundle order.
func (t *table) find(col int, key [keyLen]byte) []int {
	var out []int
	keys := t.keys[col]
	for i := 0; i+keyLen <= len(keys); i += keyLen {
		if keys[i] == key[0] && keys[i+1] == key[1] {
			out = append(out, i/keyLen)
		}
	}
	return out
}

// fetch returns the DER of the certificates numbered idx (ascending),
// inflating each chunk concerned only up to its last wanted certificate.
func (t *table) fetch(dict []byte, idx []int) ([][]byte, error) {
	out := make([][]byte, 0, len(idx))
	for len(idx) > 0 {
		c := idx[0] / t.k
		var want []int
		for len(idx) > 0 && idx[0]/t.k == c {
			want = append(want, idx[0]-c*t.k)
			idx = idx[1:]
		}
		ders, err := t.partial(c, dict, want)
		if err != nil {
			return nil, err
		}
		out = append(out, ders...)
	}
	return out, nil
}

// partial inflates chunk c up to the last certificate of want (positions
// in the chunk, ascending) and returns those certificates.
func (t *table) partial(c int, dict []byte, want []int) ([][]byte, error) {
	if c < 0 || c >= len(t.chunks) {
		return nil, errorf("no chunk %d", c+1)
	}
	ch := t.chunks[c]
	r, _ := inflate(ch.z, dict)
	defer release(r)
	out := make([][]byte, 0, len(want))
	var hdr [4]byte
	used := 0
	for pos := 0; len(want) > 0; pos++ {
		if pos >= t.count(c) {
			return nil, errorf("chunk %d has no certificate %d", c+1, pos+1)
		}
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, errorf("chunk %d, certificate %d: %v", c+1, pos+1, err)
		}
		n := int(binary.BigEndian.Uint32(hdr[:]))
		used += 4 + n
		if n == 0 || n > maxCert || used > ch.raw {
			return nil, errorf("chunk %d, certificate %d: bad length %d", c+1, pos+1, n)
		}
		if want[0] != pos {
			if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
				return nil, errorf("chunk %d, certificate %d: %v", c+1, pos+1, err)
			}
			continue
		}
		der := make([]byte, n)
		if _, err := io.ReadFull(r, der); err != nil {
			return nil, errorf("chunk %d, certificate %d: %v", c+1, pos+1, err)
		}
		out = append(out, der)
		want = want[1:]
	}
	return out, nil
}

// all inflates every chunk into one buffer and splits it.
func (t *table) all(dict []byte) ([][]byte, error) {
	total, z := 0, 0
	for _, ch := range t.chunks {
		total += ch.raw
		z += len(ch.z)
	}
	// Certificates compress to a sixth or so: room for that at once (not
	// regrown a dozen times), but never more than the input can justify.
	guess := total
	if guess > 16*z {
		guess = 16 * z
	}
	buf := make([]byte, 0, guess)
	out := make([][]byte, 0, t.n)
	for c, ch := range t.chunks {
		start := len(buf)
		var err error
		if buf, err = readExactly(buf, ch.z, dict, ch.raw, fmt.Sprintf("chunk %d", c+1)); err != nil {
			return nil, err
		}
		raw := buf[start:len(buf):len(buf)]
		for pos := 0; pos < t.count(c); pos++ {
			if len(raw) < 4 {
				return nil, errorf("chunk %d, certificate %d: truncated length", c+1, pos+1)
			}
			n := binary.BigEndian.Uint32(raw)
			raw = raw[4:]
			if n == 0 || n > maxCert || int(n) > len(raw) {
				return nil, errorf("chunk %d, certificate %d: bad length %d", c+1, pos+1, n)
			}
			out = append(out, raw[:n:n])
			raw = raw[n:]
		}
		if len(raw) != 0 {
			return nil, errorf("chunk %d: %d bytes after its %d certificates", c+1, len(raw), t.count(c))
		}
	}
	return out, nil
}

// Decode splits the stored form into DER certificates, within the limits.
func Decode(data []byte) ([][]byte, error) {
	t, err := open(data)
	if err != nil {
		return nil, err
	}
	dict, err := t.dictionary()
	if err != nil {
		return nil, err
	}
	return t.all(dict)
}

// indexKeys computes the three index keys of a certificate.
func indexKeys(der []byte) [columns][keyLen]byte {
	var k [columns][keyLen]byte
	s := sha1.Sum(der)
	copy(k[colSHA1][:], s[:])
	if ski := pki.SubjectKeyIDOf(der); len(ski) > 0 {
		k[colSKI] = hashKey(ski)
	}
	if c, err := pki.ParseDER(der); err == nil {
		k[colSubject] = hashKey(c.RawSubject)
	}
	return k
}

// dictionaryOf picks the preset dictionary: certificates taken evenly
// across the bundle, the last 32 KiB of them.
func dictionaryOf(ders [][]byte) []byte {
	if len(ders) == 0 {
		return nil
	}
	step := len(ders) / dictEvery
	if step == 0 {
		step = 1
	}
	var d []byte
	for i := 0; len(d) < dictSize && i < len(ders)*dictEvery; i++ {
		d = append(d, ders[(i*step)%len(ders)]...)
	}
	if len(d) > dictSize {
		d = d[len(d)-dictSize:]
	}
	return d
}

func deflate(raw, dict []byte) ([]byte, error) {
	var out bytes.Buffer
	w, err := flate.NewWriterDict(&out, flate.BestCompression, dict)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Encode is the inverse of Decode (used by the generator).
func Encode(ders [][]byte) ([]byte, error) {
	return encode(ders, perChunk)
}

// encode writes chunks of k certificates.
func encode(ders [][]byte, k int) ([]byte, error) {
	if k < 1 || k > maxPerChunk {
		return nil, fmt.Errorf("encode CA bundle: %d certificates per chunk", k)
	}
	total := 0
	for i, d := range ders {
		if len(d) == 0 || len(d) > maxCert {
			return nil, fmt.Errorf("encode CA bundle: certificate %d of %d bytes", i+1, len(d))
		}
		total += 4 + len(d)
	}
	if total > maxTotal {
		return nil, fmt.Errorf("encode CA bundle: %d bytes, more than %d", total, maxTotal)
	}
	dict := dictionaryOf(ders)
	dictZ, err := deflate(dict, nil)
	if err != nil {
		return nil, err
	}
	if len(dict) == 0 {
		dictZ = nil
	}
	var keys [columns]bytes.Buffer
	for _, d := range ders {
		k := indexKeys(d)
		for c := range keys {
			keys[c].Write(k[c][:])
		}
	}
	var list, data bytes.Buffer
	for i := 0; i < len(ders); i += k {
		j := i + k
		if j > len(ders) {
			j = len(ders)
		}
		var raw bytes.Buffer
		for _, d := range ders[i:j] {
			binary.Write(&raw, binary.BigEndian, uint32(len(d)))
			raw.Write(d)
		}
		z, err := deflate(raw.Bytes(), dict)
		if err != nil {
			return nil, err
		}
		binary.Write(&list, binary.BigEndian, [2]uint32{uint32(len(z)), uint32(raw.Len())})
		data.Write(z)
	}
	var out bytes.Buffer
	out.WriteString(magic)
	binary.Write(&out, binary.BigEndian, uint32(len(ders)))
	binary.Write(&out, binary.BigEndian, uint16(k))
	binary.Write(&out, binary.BigEndian, [2]uint32{uint32(len(dictZ)), uint32(len(dict))})
	for c := range keys {
		out.Write(keys[c].Bytes())
	}
	out.Write(list.Bytes())
	out.Write(dictZ)
	out.Write(data.Bytes())
	if _, err := open(out.Bytes()); err != nil {
		return nil, fmt.Errorf("encode CA bundle: the result does not open: %w", err)
	}
	return out.Bytes(), nil
}
