package host

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// Streaming snapshot loading: one pass over the document through a small
// window, so that memory holds the decoded snapshot and little else (a
// store of 2,400 CA certificates is a 6.7 MB document with 4.6 MB of DER).
//
// The certificate stores, nearly all of a big document, are read by a
// scanner written for them: a certificate object whose keys are sha1,
// der, source and error, each once, with string values, is decoded here,
// the base64 straight into a slice of the exact size. Any other certificate
// object (a key link, a \u escape, invalid UTF-8, a case variant of a key,
// a repeated key, null) is captured as it stands and handed to
// encoding/json, which decodes it exactly as it would inside the whole
// document. Every other section is captured the same way and decoded by
// encoding/json into its field of Snapshot, so a newly added optional
// section needs no change here.
//
// The streaming reader takes only the plain road: the top-level and store
// keys as WriteSnapshot spells them, each once, in any order. On anything
// else (a JSON mistake, an unknown or repeated key, a wrong version, a case
// variant of a key, an oversized file) it gives up, and the caller reads the
// document again with the whole-document decoder, whose messages name the
// line and column. Both roads end in the same Snapshot.validate.
//
// Bounds: the input is read through a limit of MaxSnapshotSize+1 bytes, the
// window grows only to hold the largest single value it must keep (a
// certificate object, a section handed to encoding/json), every byte is
// looked at a bounded number of times, and nothing recurses.

// snapshotFields maps the JSON names of Snapshot's fields (those of the
// embedded Facts included) to their index paths.
var (
	snapshotFieldsOnce sync.Once
	snapshotFieldsMap  map[string][]int
)

func snapshotFields() map[string][]int {
	snapshotFieldsOnce.Do(func() { snapshotFieldsMap = listSnapshotFields() })
	return snapshotFieldsMap
}

func listSnapshotFields() map[string][]int {
	out := map[string][]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			path := append(append([]int(nil), prefix...), i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, path)
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if strings.Contains(","+opts+",", ",string,") {
				// Quoted on the wire: left to the whole-document
				// decoder (the key is then unknown here).
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[name] = path
		}
	}
	walk(reflect.TypeOf(Snapshot{}), nil)
	return out
}

// scanWindow is the first size of the scanner's window.
const scanWindow = 64 << 10

// streamSnapshot decodes a snapshot document in one pass. ok is false when
// the document is not on the plain road (see above); s is then nil.
func streamSnapshot(r io.Reader) (s *Snapshot, ok bool) {
	s, _, ok = streamSnapshotWindow(r, scanWindow)
	return s, ok
}

// scanStats tells the tests which road the certificates took.
type scanStats struct {
	plainCerts, jsonCerts int
}

// streamSnapshotWindow is streamSnapshot with the window's first size.
func streamSnapshotWindow(r io.Reader, window int) (*Snapshot, scanStats, bool) {
	sc := &scanner{r: io.LimitReader(r, MaxSnapshotSize+1), buf: make([]byte, 0, window), mark: -1}
	snap, ok := sc.snapshot()
	return snap, sc.stats, ok
}

func (sc *scanner) snapshot() (*Snapshot, bool) {
	if !sc.next('{') {
		return nil, false
	}
	snap := &Snapshot{}
	fields := snapshotFields()
	v := reflect.ValueOf(snap).Elem()
	seen := map[string]bool{}
	first := true
	for !sc.next('}') {
		if !first && !sc.next(',') {
			return nil, false
		}
		key, ok := sc.key()
		if !ok {
			return nil, false
		}
		path, known := fields[key]
		if !known || seen[key] {
			return nil, false
		}
		seen[key] = true
		if key == "cert_stores" {
			if snap.CertStores, ok = sc.stores(); !ok {
				return nil, false
			}
		} else if !sc.decodeValue(v.FieldByIndex(path).Addr().Interface()) {
			return nil, false
		}
		// A document written by collect names its version first: a newer
		// one is turned away before anything else is decoded.
		if first && key == "snapshot_version" && snap.SnapshotVersion != SnapshotVersion {
			return nil, false
		}
		first = false
	}
	if !seen["snapshot_version"] || snap.SnapshotVersion != SnapshotVersion {
		return nil, false
	}
	// Nothing but white space may follow, and the whole is within the cap.
	if sc.ws() || sc.n > MaxSnapshotSize {
		return nil, false
	}
	return snap, true
}

// scanner reads a JSON document from r through a window: buf[pos:] is read
// but not consumed; bytes from mark on (when mark >= 0) are kept too.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int
	mark int
	done bool  // r has ended or failed
	n    int64 // bytes read from r
	// text is scratch space for unescaping strings.
	text  []byte
	arena derArena
	stats scanStats
	// lastSource is the previous certificate's source: most entries of a
	// store name the same one, and share its string.
	lastSource string
}

// more reads more input into the window, keeping buf[min(pos, mark):];
// false when there is no more.
func (s *scanner) more() bool {
	if s.done {
		return false
	}
	keep := s.pos
	if s.mark >= 0 && s.mark < keep {
		keep = s.mark
	}
	if keep > 0 {
		n := copy(s.buf[:cap(s.buf)], s.buf[keep:])
		s.buf = s.buf[:n]
		s.pos -= keep
		if s.mark >= 0 {
			s.mark -= keep
		}
	}
	if len(s.buf) == cap(s.buf) {
		grown := make([]byte, len(s.buf), 2*cap(s.buf)+16)
		copy(grown, s.buf)
		s.buf = grown
	}
	// A reader that keeps answering nothing is given up on, as bufio does.
	for i := 0; i < 100; i++ {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		if n < 0 || n > cap(s.buf)-len(s.buf) {
			s.done = true
			return false
		}
		s.buf = s.buf[:len(s.buf)+n]
		s.n += int64(n)
		if err != nil {
			s.done = true
		}
		if n > 0 {
			return true
		}
		if s.done {
			return false
		}
	}
	s.done = true
	return false
}

// ws skips white space and reports whether a byte follows.
func (s *scanner) ws() bool {
	for {
		for s.pos < len(s.buf) {
			switch s.buf[s.pos] {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return true
			}
		}
		if !s.more() {
			return false
		}
	}
}

// next consumes c (after white space) if it comes next.
func (s *scanner) next(c byte) bool {
	if s.ws() && s.buf[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// peek returns the next byte after white space, 0 at the end.
func (s *scanner) peek() byte {
	if !s.ws() {
		return 0
	}
	return s.buf[s.pos]
}

// key reads an object key and its colon. The key must be plain (no escape,
// no control character).
func (s *scanner) key() (string, bool) {
	if s.peek() != '"' {
		return "", false
	}
	raw, esc, ok := s.str()
	if !ok || esc {
		return "", false
	}
	for _, c := range raw {
		if c < 0x20 {
			return "", false
		}
	}
	k := string(raw)
	return k, s.next(':')
}

// str reads a string starting at the quote at buf[pos] and returns its
// raw content (between the quotes; valid until the window moves) and
// whether it holds a backslash. The content is not checked.
func (s *scanner) str() (raw []byte, esc bool, ok bool) {
	off := 1 // from pos
	// Fast road: the closing quote with no backslash before it.
	for {
		seg := s.buf[s.pos+off:]
		q := bytes.IndexByte(seg, '"')
		lim := q
		if q < 0 {
			lim = len(seg)
		}
		if b := bytes.IndexByte(seg[:lim], '\\'); b >= 0 {
			off += b
			esc = true
			break
		}
		if q >= 0 {
			raw = s.buf[s.pos+1 : s.pos+off+q]
			s.pos += off + q + 1
			return raw, false, true
		}
		off += len(seg)
		if !s.more() {
			return nil, false, false
		}
	}
	// Escapes: byte by byte, a backslash taking the byte after it.
	for {
		if s.pos+off >= len(s.buf) && !s.more() {
			return nil, false, false
		}
		switch s.buf[s.pos+off] {
		case '"':
			raw = s.buf[s.pos+1 : s.pos+off]
			s.pos += off + 1
			return raw, esc, true
		case '\\':
			if s.pos+off+1 >= len(s.buf) && !s.more() {
				return nil, false, false
			}
			off += 2
		default:
			off++
		}
	}
}

// value skips one JSON value (after white space) and returns its bytes,
// valid until the window moves. Only its extent is found here (strings,
// and brackets counted); whether it is valid JSON is for the decoder.
func (s *scanner) value() ([]byte, bool) {
	if !s.ws() {
		return nil, false
	}
	s.mark = s.pos
	depth := 0
scan:
	for {
		if s.pos >= len(s.buf) && !s.more() {
			if depth > 0 {
				s.mark = -1
				return nil, false
			}
			break
		}
		switch s.buf[s.pos] {
		case '"':
			if _, _, ok := s.str(); !ok {
				s.mark = -1
				return nil, false
			}
			if depth == 0 {
				break scan
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				break scan
			}
			depth--
			if depth == 0 {
				s.pos++
				break scan
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				break scan
			}
		}
		s.pos++
	}
	raw := s.buf[s.mark:s.pos]
	s.mark = -1
	return raw, len(raw) > 0
}

// decodeValue decodes the next value into v with encoding/json, strictly
// (unknown fields are errors), as the whole-document decoder would.
func (s *scanner) decodeValue(v any) bool {
	raw, ok := s.value()
	if !ok {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return false
	}
	_, err := dec.Token()
	return err == io.EOF
}

// arrayStart reads what opens an array: null is a valid empty answer
// (null true); anything but '[' is not ok.
func (s *scanner) arrayStart() (null, ok bool) {
	switch s.peek() {
	case '[':
		s.pos++
		return false, true
	case 'n':
		raw, ok := s.value()
		null = ok && string(raw) == "null"
		return null, null
	}
	return false, false
}

// stores reads the cert_stores array store by store.
func (s *scanner) stores() ([]SnapStore, bool) {
	if null, ok := s.arrayStart(); null || !ok {
		return nil, ok
	}
	out := []SnapStore{}
	for first := true; !s.next(']'); first = false {
		if !first && !s.next(',') {
			return nil, false
		}
		st, ok := s.store()
		if !ok {
			return nil, false
		}
		out = append(out, st)
	}
	return out, true
}

// store reads one store object; its keys as WriteSnapshot writes them,
// each once.
func (s *scanner) store() (SnapStore, bool) {
	var st SnapStore
	if !s.next('{') {
		return st, false
	}
	var seen [4]bool
	for first := true; !s.next('}'); first = false {
		if !first && !s.next(',') {
			return st, false
		}
		key, ok := s.key()
		if !ok {
			return st, false
		}
		k := -1
		switch key {
		case "location":
			k = 0
		case "store":
			k = 1
		case "error":
			k = 2
		case "certificates":
			k = 3
		}
		if k < 0 || seen[k] {
			return st, false
		}
		seen[k] = true
		var text string
		switch k {
		case 3:
			if st.Certificates, ok = s.certs(); !ok {
				return st, false
			}
			continue
		default:
			if s.peek() != '"' {
				return st, false
			}
			if text, ok = s.text1(); !ok {
				return st, false
			}
		}
		switch k {
		case 0:
			st.Location = StoreLocation(text)
		case 1:
			st.Store = StoreName(text)
		case 2:
			st.Error = text
		}
	}
	return st, true
}

// text1 reads a string value on the plain road: simple escapes are
// decoded here; \u escapes, control characters and invalid UTF-8 are not
// (not ok).
func (s *scanner) text1() (string, bool) {
	raw, esc, ok := s.str()
	if !ok {
		return "", false
	}
	if !esc {
		ascii := true
		for _, c := range raw {
			if c < 0x20 {
				return "", false
			}
			if c >= 0x80 {
				ascii = false
			}
		}
		if !ascii && !utf8.Valid(raw) {
			return "", false
		}
		return string(raw), true
	}
	t, ok := unescape(s.text[:0], raw)
	s.text = t
	if !ok {
		return "", false
	}
	return string(t), true
}

// unescape appends the content of a JSON string with the escapes \" \\ \/
// \b \f \n \r \t to dst; anything else off the plain road is not ok.
func unescape(dst, raw []byte) ([]byte, bool) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c < 0x20:
			return dst, false
		case c != '\\':
			dst = append(dst, c)
			continue
		}
		i++
		if i >= len(raw) {
			return dst, false
		}
		switch raw[i] {
		case '"', '\\', '/':
			dst = append(dst, raw[i])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		default:
			return dst, false
		}
	}
	return dst, utf8.Valid(dst)
}

// certChunk is how many certificates are gathered before a new block is
// started; the blocks are copied once into a slice of the exact length.
const certChunk = 128

// certs reads a certificates array.
func (s *scanner) certs() ([]Certificate, bool) {
	if null, ok := s.arrayStart(); null || !ok {
		return nil, ok
	}
	var blocks [][]Certificate
	cur := make([]Certificate, 0, 16)
	total := 0
	for first := true; !s.next(']'); first = false {
		if !first && !s.next(',') {
			return nil, false
		}
		c, ok := s.cert()
		if !ok {
			return nil, false
		}
		if len(cur) == cap(cur) {
			blocks = append(blocks, cur)
			cur = make([]Certificate, 0, certChunk)
		}
		cur = append(cur, c)
		total++
	}
	if blocks == nil && len(cur) == cap(cur) {
		return cur, true
	}
	out := make([]Certificate, 0, total)
	for _, b := range blocks {
		out = append(out, b...)
	}
	return append(out, cur...), true
}

// cert reads one certificate: on the plain road here, otherwise with
// encoding/json from the same bytes.
func (s *scanner) cert() (Certificate, bool) {
	if !s.ws() {
		return Certificate{}, false
	}
	start := s.pos
	s.mark = start
	c, ok := s.plainCert()
	if ok {
		s.mark = -1
		s.stats.plainCerts++
		return c, true
	}
	s.stats.jsonCerts++
	// Back to the object's first byte (kept in the window by mark).
	s.pos = s.mark
	return s.jsonCert()
}

// jsonCert decodes the next certificate with encoding/json.
func (s *scanner) jsonCert() (Certificate, bool) {
	c := new(Certificate)
	ok := s.decodeValue(c)
	return *c, ok
}

// plainCert reads a certificate object whose keys are sha1, der, source
// and error, each at most once, all with string values.
func (s *scanner) plainCert() (Certificate, bool) {
	var c Certificate
	if !s.next('{') {
		return c, false
	}
	var seen [4]bool
	for first := true; !s.next('}'); first = false {
		if !first && !s.next(',') {
			return c, false
		}
		if s.peek() != '"' {
			return c, false
		}
		raw, esc, ok := s.str()
		if !ok || esc {
			return c, false
		}
		k := -1
		switch string(raw) {
		case "sha1":
			k = 0
		case "der":
			k = 1
		case "source":
			k = 2
		case "error":
			k = 3
		}
		if k < 0 || seen[k] || !s.next(':') || s.peek() != '"' {
			return c, false
		}
		seen[k] = true
		if k == 1 {
			if c.DER, ok = s.der(); !ok {
				return c, false
			}
			continue
		}
		text, ok := s.text1()
		if !ok {
			return c, false
		}
		switch k {
		case 0:
			c.SHA1 = text
		case 2:
			if text == s.lastSource {
				text = s.lastSource
			}
			s.lastSource = text
			c.Source = text
		case 3:
			c.Error = text
		}
	}
	return c, true
}

// der decodes a base64 string value into a slice of its exact length.
// encoding/json decodes []byte with base64.StdEncoding, which skips \r and
// \n; raw ones cannot stand in a JSON string and escaped ones are left to
// encoding/json, so here the text holds neither.
func (s *scanner) der() ([]byte, bool) {
	raw, esc, ok := s.str()
	if !ok || esc || len(raw)%4 != 0 || bytes.IndexByte(raw, '\n') >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
		return nil, false
	}
	// Padding only at the very end: then the decoded length is known and
	// the decoder never writes past it.
	n := len(raw) / 4 * 3
	if i := bytes.IndexByte(raw, '='); i >= 0 {
		if i < len(raw)-2 {
			return nil, false
		}
		n -= len(raw) - i
	}
	out := s.arena.alloc(n)
	got, err := base64.StdEncoding.Decode(out, raw)
	if err != nil || got != n {
		return nil, false
	}
	return out, true
}

// derArena hands out the certificates' DER from shared blocks: one
// allocation per block instead of one per certificate, and no rounding up
// to the allocator's size classes. Each slice is capped at its length, so
// an append to one never writes into the next.
type derArena struct {
	free []byte
	size int
}

const (
	arenaFirst = 4 << 10
	arenaMax   = 64 << 10
)

func (a *derArena) alloc(n int) []byte {
	if n == 0 {
		// As encoding/json decodes "": empty, not nil.
		return []byte{}
	}
	if n > len(a.free) {
		if a.size < arenaMax {
			if a.size == 0 {
				a.size = arenaFirst
			} else {
				a.size *= 2
			}
		}
		if n > a.size/4 {
			// A big one gets its own allocation; the block stays.
			return make([]byte, n)
		}
		a.free = make([]byte, a.size)
	}
	b := a.free[:n:n]
	a.free = a.free[n:]
	return b
}
