package host

import (
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"sync"
)

// Streaming snapshot loading: one pass over the document, each certificate
// decoded on its own, so that memory holds the decoded snapshot and one
// certificate's JSON at a time, not the file plus copies of it (a store of
// 2,400 CA certificates is a 6.7 MB document).
//
// The streaming reader takes only the plain road: the keys as WriteSnapshot
// spells them, each once, in any order, and any section Snapshot declares
// (a newly added optional section needs no change here). On anything else
// (a JSON mistake, an unknown or repeated key, a wrong version, a case
// variant of a key, an oversized file) it gives up, and the caller reads
// the document again with the whole-document decoder, whose messages name
// the line and column. Both roads end in the same Snapshot.validate.

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
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, path)
				continue
			}
			if !f.IsExported() || name == "-" {
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

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// streamSnapshot decodes a snapshot document in one pass. ok is false when
// the document is not on the plain road (see above); s is then nil.
func streamSnapshot(r io.Reader) (s *Snapshot, ok bool) {
	cr := &countingReader{r: io.LimitReader(r, MaxSnapshotSize+1)}
	dec := json.NewDecoder(cr)
	dec.DisallowUnknownFields()
	if !delim(dec, '{') {
		return nil, false
	}
	snap := &Snapshot{}
	fields := snapshotFields()
	v := reflect.ValueOf(snap).Elem()
	seen := map[string]bool{}
	first := true
	for dec.More() {
		t, err := dec.Token()
		key, isKey := t.(string)
		if err != nil || !isKey || seen[key] {
			return nil, false
		}
		seen[key] = true
		path, known := fields[key]
		if !known {
			return nil, false
		}
		switch key {
		case "cert_stores":
			if snap.CertStores, ok = streamStores(dec); !ok {
				return nil, false
			}
		default:
			if err := dec.Decode(v.FieldByIndex(path).Addr().Interface()); err != nil {
				return nil, false
			}
		}
		// A document written by collect names its version first: a newer
		// one is turned away before anything else is decoded.
		if first && key == "snapshot_version" && snap.SnapshotVersion != SnapshotVersion {
			return nil, false
		}
		first = false
	}
	if !delim(dec, '}') || !seen["snapshot_version"] || snap.SnapshotVersion != SnapshotVersion {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF || cr.n > MaxSnapshotSize {
		return nil, false
	}
	return snap, true
}

// delim reads one token and reports whether it is the delimiter d.
func delim(dec *json.Decoder, d json.Delim) bool {
	t, err := dec.Token()
	got, ok := t.(json.Delim)
	return err == nil && ok && got == d
}

// arrayStart reads the token that opens an array: null is a valid empty
// answer (null true), anything but '[' is not ok.
func arrayStart(dec *json.Decoder) (null, ok bool) {
	t, err := dec.Token()
	if err != nil {
		return false, false
	}
	if t == nil {
		return true, true
	}
	d, isDelim := t.(json.Delim)
	return false, isDelim && d == '['
}

// streamStores decodes the cert_stores array store by store and
// certificate by certificate.
func streamStores(dec *json.Decoder) ([]SnapStore, bool) {
	if null, ok := arrayStart(dec); null || !ok {
		return nil, ok
	}
	out := []SnapStore{}
	for dec.More() {
		st, ok := streamStore(dec)
		if !ok {
			return nil, false
		}
		out = append(out, st)
	}
	return out, delim(dec, ']')
}

func streamStore(dec *json.Decoder) (SnapStore, bool) {
	var st SnapStore
	if !delim(dec, '{') {
		return st, false
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		key, isKey := t.(string)
		if err != nil || !isKey || seen[key] {
			return st, false
		}
		seen[key] = true
		switch key {
		case "location":
			err = dec.Decode(&st.Location)
		case "store":
			err = dec.Decode(&st.Store)
		case "error":
			err = dec.Decode(&st.Error)
		case "certificates":
			var ok bool
			if st.Certificates, ok = streamCerts(dec); !ok {
				return st, false
			}
		default:
			return st, false
		}
		if err != nil {
			return st, false
		}
	}
	return st, delim(dec, '}')
}

func streamCerts(dec *json.Decoder) ([]Certificate, bool) {
	if null, ok := arrayStart(dec); null || !ok {
		return nil, ok
	}
	out := []Certificate{}
	for dec.More() {
		var c Certificate
		if err := dec.Decode(&c); err != nil {
			return nil, false
		}
		out = append(out, c)
	}
	return out, delim(dec, ']')
}
