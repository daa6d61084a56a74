package host

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

// Writing a snapshot. encoding/json would encode the whole document into
// memory and then indent it into a second copy, growing both as it goes:
// for a store of 2,400 CA certificates (a 6.7 MB document) that is some
// 44 MB allocated and most of collect's writing time. Here the document
// without its certificate stores is encoded by encoding/json as before
// (it is small), and the stores are written straight to the output in
// exactly the form the Encoder would give them, then put in their place
// among the top-level members. The tests compare the two byte for byte.

// writeSnapshot writes c (prepared by prepareSnapshot).
func writeSnapshot(w io.Writer, c *Snapshot) error {
	rest := *c
	if storeShapeKnown() {
		rest.CertStores = nil
	}
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&rest); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	doc := head.Bytes()
	bw := bufio.NewWriterSize(w, 64<<10)
	if len(rest.CertStores) > 0 || len(c.CertStores) == 0 {
		bw.Write(doc)
	} else {
		// The stores go before the first top-level member that follows
		// them in Snapshot, or last. A top-level key is the only thing on
		// a line indented by exactly two spaces (strings hold no raw line
		// breaks), so the search cannot hit a nested key.
		at, last := -1, false
		for _, name := range membersAfterStores() {
			if i := bytes.Index(doc, []byte("\n  \""+name+"\": ")); i >= 0 && (at < 0 || i < at) {
				at = i + 1
			}
		}
		if at < 0 {
			// doc ends with "\n}\n": the stores become the last member,
			// and that line break ends them.
			at, last = len(doc)-3, true
		}
		bw.Write(doc[:at])
		if last {
			bw.WriteString(",\n")
		}
		bw.WriteString(`  "cert_stores": `)
		sw := storeWriter{w: bw}
		sw.stores(c.CertStores)
		if !last {
			bw.WriteString(",\n")
		}
		bw.Write(doc[at:])
		if sw.err != nil {
			return fmt.Errorf("write snapshot: %w", sw.err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// storeShape is SnapStore and Certificate as storeWriter writes them:
// field name, type and json tag. A field added to either makes
// storeShapeKnown false, and the whole document goes through the Encoder
// again (slower, never wrong) until storeWriter learns it
// (TestStoreWriterKnowsTheTypes says so).
var storeShape = []string{
	"SnapStore.Location host.StoreLocation location",
	"SnapStore.Store host.StoreName store",
	"SnapStore.Certificates []host.Certificate certificates",
	"SnapStore.Error string error,omitempty",
	"Certificate.SHA1 string sha1",
	"Certificate.DER []uint8 der,omitempty",
	"Certificate.Key *host.KeyLink key,omitempty",
	"Certificate.Source string source,omitempty",
	"Certificate.Error string error,omitempty",
}

var (
	storeShapeOnce sync.Once
	storeShapeOK   bool
)

func storeShapeKnown() bool {
	storeShapeOnce.Do(func() { storeShapeOK = strings.Join(storeShapeOf(), "\n") == strings.Join(storeShape, "\n") })
	return storeShapeOK
}

func storeShapeOf() []string {
	var out []string
	for _, t := range []reflect.Type{reflect.TypeOf(SnapStore{}), reflect.TypeOf(Certificate{})} {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			out = append(out, t.Name()+"."+f.Name+" "+f.Type.String()+" "+f.Tag.Get("json"))
		}
	}
	return out
}

var (
	afterStoresOnce sync.Once
	afterStores     []string
)

// membersAfterStores lists the JSON names of Snapshot's fields declared
// after CertStores.
func membersAfterStores() []string {
	afterStoresOnce.Do(func() {
		t := reflect.TypeOf(Snapshot{})
		f, _ := t.FieldByName("CertStores")
		for i := f.Index[0] + 1; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" {
				name = t.Field(i).Name
			}
			if name != "-" {
				afterStores = append(afterStores, name)
			}
		}
	})
	return afterStores
}

// storeWriter writes the cert_stores array as the Encoder indents it at
// the document's first level.
type storeWriter struct {
	w   *bufio.Writer
	err error
	b64 []byte
	q   []byte
	// the last source written and its encoding (a store's entries mostly
	// share one)
	lastSource string
	lastQuoted []byte
	scratch    bytes.Buffer
}

func (s *storeWriter) stores(stores []SnapStore) {
	w := s.w
	w.WriteString("[\n")
	for i := range stores {
		st := &stores[i]
		w.WriteString("    {\n      \"location\": ")
		s.str(string(st.Location))
		w.WriteString(",\n      \"store\": ")
		s.str(string(st.Store))
		w.WriteString(",\n      \"certificates\": ")
		if len(st.Certificates) == 0 {
			if st.Certificates == nil {
				w.WriteString("null")
			} else {
				w.WriteString("[]")
			}
		} else {
			w.WriteString("[\n")
			for j := range st.Certificates {
				s.cert(&st.Certificates[j])
				if j < len(st.Certificates)-1 {
					w.WriteString(",\n")
				} else {
					w.WriteString("\n")
				}
			}
			w.WriteString("      ]")
		}
		if st.Error != "" {
			w.WriteString(",\n      \"error\": ")
			s.str(st.Error)
		}
		if i < len(stores)-1 {
			w.WriteString("\n    },\n")
		} else {
			w.WriteString("\n    }\n")
		}
	}
	w.WriteString("  ]")
}

func (s *storeWriter) cert(c *Certificate) {
	w := s.w
	w.WriteString("        {\n          \"sha1\": ")
	s.str(c.SHA1)
	if len(c.DER) > 0 {
		w.WriteString(",\n          \"der\": \"")
		n := base64.StdEncoding.EncodedLen(len(c.DER))
		if cap(s.b64) < n {
			s.b64 = make([]byte, n)
		}
		base64.StdEncoding.Encode(s.b64[:n], c.DER)
		w.Write(s.b64[:n])
		w.WriteByte('"')
	}
	if c.Key != nil {
		w.WriteString(",\n          \"key\": ")
		s.encoded(c.Key, "          ")
	}
	if c.Source != "" {
		w.WriteString(",\n          \"source\": ")
		if c.Source != s.lastSource || s.lastQuoted == nil {
			q := appendQuoted(s.lastQuoted[:0], c.Source)
			if q == nil {
				q = append(s.lastQuoted[:0], s.encodedBytes(c.Source, "")...)
			}
			s.lastSource, s.lastQuoted = c.Source, q
		}
		w.Write(s.lastQuoted)
	}
	if c.Error != "" {
		w.WriteString(",\n          \"error\": ")
		s.str(c.Error)
	}
	w.WriteString("\n        }")
}

// str writes a JSON string as the Encoder would.
func (s *storeWriter) str(v string) {
	if q := appendQuoted(s.q[:0], v); q != nil {
		s.w.Write(q)
		s.q = q
		return
	}
	s.encoded(v, "")
}

// appendQuoted quotes v when every byte is printable ASCII (only " and \
// need escaping); nil when anything else is in it, for encoding/json to
// decide (control characters, non-ASCII, U+2028, invalid UTF-8).
func appendQuoted(dst []byte, v string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c < 0x20 || c >= 0x7f:
			return nil
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

// encoded writes v as encoding/json's Encoder does at this depth (prefix
// is the indentation of the line v starts on).
func (s *storeWriter) encoded(v any, prefix string) {
	s.w.Write(s.encodedBytes(v, prefix))
}

func (s *storeWriter) encodedBytes(v any, prefix string) []byte {
	s.scratch.Reset()
	enc := json.NewEncoder(&s.scratch)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil && s.err == nil {
		s.err = err
	}
	return bytes.TrimSuffix(s.scratch.Bytes(), []byte("\n"))
}
