package host

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// onlyReader hides Seek: LoadSnapshot then reads the document as a whole.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// loadBothWays loads data through the streaming road (a seekable reader)
// and the whole-document road, and fails unless both give the same
// snapshot or the same error. Non-seekable input, and the scanner with a
// tiny window fed a byte or a few at a time, must agree too.
func loadBothWays(t *testing.T, data []byte) (*Snapshot, error) {
	t.Helper()
	streamed, serr := LoadSnapshot(bytes.NewReader(data))
	whole, werr := loadWhole(bytes.NewReader(data))
	sameLoad(t, "stream", streamed, serr, whole, werr)
	inMem, merr := LoadSnapshot(onlyReader{bytes.NewReader(data)})
	sameLoad(t, "non-seekable", inMem, merr, whole, werr)
	_, streamOK := streamSnapshot(bytes.NewReader(data))
	plain, ok, perr := LoadPlainSnapshot(data)
	if ok != streamOK {
		t.Fatalf("LoadPlainSnapshot ok %v, the streaming road %v", ok, streamOK)
	}
	if ok {
		sameLoad(t, "LoadPlainSnapshot", plain, perr, whole, werr)
	}
	if len(data) <= 8<<10 {
		// (bigger documents: TestStreamingLoadMatchesWholeOnFixtures; a
		// byte at a time is slow under the fuzzer)
		tinyWindows(t, data)
	}
	return streamed, serr
}

// tinyWindows fails unless the scanner reads data the same through a
// window of a few bytes fed a byte or a few at a time as through a big one.
func tinyWindows(t *testing.T, data []byte) {
	t.Helper()
	big, bigStats, bigOK := streamSnapshotWindow(bytes.NewReader(data), scanWindow)
	for _, tiny := range []struct {
		window int
		r      io.Reader
	}{
		{1, iotest.OneByteReader(bytes.NewReader(data))},
		{7, iotest.HalfReader(bytes.NewReader(data))},
		{3, &trickle{data: data}},
	} {
		got, stats, ok := streamSnapshotWindow(tiny.r, tiny.window)
		if ok != bigOK || stats != bigStats || !reflect.DeepEqual(got, big) {
			t.Fatalf("window %d: the scanner reads differently (ok %v, %+v) than with a big window (ok %v, %+v)", tiny.window, ok, stats, bigOK, bigStats)
		}
	}
}

func sameLoad(t *testing.T, road string, got *Snapshot, gerr error, whole *Snapshot, werr error) {
	t.Helper()
	if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
		t.Fatalf("%s and whole-document loads disagree:\n%s: %v\nwhole:  %v", road, road, gerr, werr)
	}
	if gerr == nil && !reflect.DeepEqual(got, whole) {
		t.Fatalf("%s and whole-document loads give different snapshots", road)
	}
}

// trickle answers 0 to 3 bytes per Read (sometimes none, with no error).
type trickle struct {
	data []byte
	n    int
}

func (r *trickle) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	r.n++
	k := r.n % 4
	if k > len(r.data) {
		k = len(r.data)
	}
	if k > len(p) {
		k = len(p)
	}
	n := copy(p, r.data[:k])
	r.data = r.data[n:]
	return n, nil
}

func TestStreamingLoadMatchesWholeOnFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "workstations", "*.json"))
	if len(files) < 10 {
		t.Fatalf("only %d fixture snapshots found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, stats, ok := streamSnapshotWindow(bytes.NewReader(data), scanWindow)
		if !ok {
			t.Errorf("%s: a fixture written by WriteSnapshot leaves the streaming road", filepath.Base(f))
		}
		if stats.plainCerts == 0 && stats.jsonCerts > 0 {
			t.Errorf("%s: no certificate took the scanner's plain road (%+v)", filepath.Base(f), stats)
		}
		if _, err := loadBothWays(t, data); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
		tinyWindows(t, data)
	}
}

// Sections may come in any order (version last included) and sections this
// reader never names (any field Snapshot declares) are decoded too.
func TestStreamingLoadAnyOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, fullSnapshot()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	// reverse alphabetical: snapshot_version comes late
	for i := 0; i < len(keys); i++ {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] > keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteString(":")
		b.Write(doc[k])
	}
	b.WriteString("}")
	data := []byte(b.String())
	got, ok := streamSnapshot(bytes.NewReader(data))
	if !ok {
		t.Fatal("a reordered document leaves the streaming road")
	}
	if err := got.validate(true); err != nil {
		t.Fatal(err)
	}
	want, err := loadBothWays(t, data)
	if err != nil {
		t.Fatal(err)
	}
	tinyWindows(t, data)
	if !reflect.DeepEqual(got, want) {
		t.Error("reordered document decodes differently")
	}
	if len(got.CertStores) == 0 || len(got.Registry) == 0 || len(got.Files) == 0 || len(got.Commands) == 0 || got.OS == "" {
		t.Errorf("sections lost: %+v", got)
	}
}

// Every way off the plain road gives exactly the whole-document answer.
func TestStreamingLoadFallsBackWithTheSameMessages(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, fullSnapshot()); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	cases := map[string]string{
		"newer version first":  strings.Replace(good, `"snapshot_version": 1`, `"snapshot_version": 2, "future": {"x": 1}`, 1),
		"version as text":      strings.Replace(good, `"snapshot_version": 1`, `"snapshot_version": "1"`, 1),
		"no version":           strings.Replace(good, `"snapshot_version": 1,`, ``, 1),
		"unknown section":      strings.Replace(good, `"os":`, `"osx": 1, "os":`, 1),
		"unknown store field":  strings.Replace(good, `"location":`, `"place": "x", "location":`, 1),
		"unknown cert field":   strings.Replace(good, `"sha1":`, `"sha256": "x", "sha1":`, 1),
		"repeated section":     strings.Replace(good, `"os":`, `"os": "linux", "os":`, 1),
		"case variant":         strings.Replace(good, `"os":`, `"OS":`, 1),
		"stores null":          strings.Replace(good, `"cert_stores": [`, `"cert_stores": null, "x": [`, 1),
		"trailing data":        good + "{}",
		"truncated":            good[:len(good)/2],
		"bad base64":           strings.Replace(good, `"der": "`, `"der": "!!`, 1),
		"wrong thumbprint":     strings.Replace(good, `"sha1": "`, `"sha1": "00`, 1),
		"empty":                "",
		"not an object":        "[1]",
		"certificates null":    strings.Replace(good, `"certificates": []`, `"certificates": null`, 1),
		"string as store list": strings.Replace(good, `"cert_stores": [`, `"cert_stores": "x", "y": [`, 1),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			_, _ = loadBothWays(t, []byte(doc))
		})
	}
}

func TestStreamingLoadSizeCap(t *testing.T) {
	big := append([]byte(`{"snapshot_version": 1, "tool_version": "`), bytes.Repeat([]byte("a"), MaxSnapshotSize)...)
	big = append(big, `"}`...)
	_, err := loadBothWays(t, big)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized document: %v", err)
	}
}

// Certificate objects off the scanner's plain road are decoded by
// encoding/json from the same bytes, and give what the whole-document
// decoder gives; the plain ones never reach encoding/json.
func TestStreamingCertificateRoads(t *testing.T) {
	leaf := fakeCert("leaf")
	b64 := base64.StdEncoding.EncodeToString(leaf.DER) // one '=' of padding
	if !strings.HasSuffix(b64, "=") || strings.HasSuffix(b64, "==") {
		t.Fatalf("the test wants one '=' of padding: %s", b64)
	}
	two := fakeCert("leaf2")
	b64two := base64.StdEncoding.EncodeToString(two.DER)
	slashDER := []byte{0xff, 0xff, 0xff, 'a', 'b', 'c'}
	slash := Certificate{SHA1: Thumbprint(slashDER), DER: slashDER}
	b64slash := base64.StdEncoding.EncodeToString(slashDER) // "////YWJj"
	const (
		plain = iota
		viaJSON
		whole // off the road altogether: the whole-document decoder answers
	)
	cases := []struct {
		name, cert string
		road       int
		ok         bool
	}{
		{"plain", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `"}`, plain, true},
		{"keys reordered, compact", `{"der":"` + b64 + `","sha1":"` + leaf.SHA1 + `"}`, plain, true},
		{"lower-case thumbprint", `{"sha1": "` + strings.ToLower(leaf.SHA1) + `", "der": "` + b64 + `"}`, plain, true},
		{"no padding needed", `{"sha1": "` + two.SHA1 + `", "der": "` + b64two + `"}`, plain, true},
		{"source with escapes", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "source": "LocalMachine\\CA \"x\" \/ \t"}`, plain, true},
		{"source in Cyrillic", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "source": "Личное"}`, plain, true},
		{"thumbprint only, with error", `{"sha1": "` + leaf.SHA1 + `", "error": "blob has no certificate property"}`, plain, true},
		{"empty object", `{}`, plain, false},
		{"empty der", `{"sha1": "` + leaf.SHA1 + `", "der": ""}`, plain, true},
		{"key link", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "key": {"container": "\\\\.\\HDIMAGE\\x", "prov_type": 80}}`, viaJSON, true},
		{"empty key link", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "key": {}}`, viaJSON, false},
		{"source with \\u escape", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "source": "\u0041\ud800"}`, viaJSON, true},
		{"source with invalid UTF-8", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "source": "a` + "\xff\xfe" + `b"}`, viaJSON, true},
		{"key in capitals", `{"SHA1": "` + leaf.SHA1 + `", "Der": "` + b64 + `"}`, viaJSON, true},
		{"repeated der", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64two + `", "der": "` + b64 + `"}`, viaJSON, true},
		{"der null", `{"sha1": "` + leaf.SHA1 + `", "der": null}`, viaJSON, true},
		{"null element", `null`, viaJSON, false},
		{"escaped newline in der", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64[:8] + `\n` + b64[8:] + `"}`, viaJSON, true},
		{"escaped slash in der", `{"sha1": "` + slash.SHA1 + `", "der": "` + strings.Replace(b64slash, "/", `\/`, -1) + `"}`, viaJSON, true},
		{"\\u escape in der", `{"sha1": "` + slash.SHA1 + `", "der": "\u002f` + b64slash[1:] + `"}`, viaJSON, true},
		{"der not a multiple of 4", `{"sha1": "` + leaf.SHA1 + `", "der": "` + strings.TrimRight(b64, "=") + `"}`, whole, false},
		{"padding inside der", `{"sha1": "` + leaf.SHA1 + `", "der": "QQ==` + b64 + `"}`, whole, false},
		{"der with a space", `{"sha1": "` + leaf.SHA1 + `", "der": "` + b64[:4] + ` ` + b64[4:] + `"}`, whole, false},
		{"der as a number", `{"sha1": "` + leaf.SHA1 + `", "der": 5}`, whole, false},
		{"unknown field", `{"sha1": "` + leaf.SHA1 + `", "sha256": "x"}`, whole, false},
		{"raw tab in error", `{"sha1": "` + leaf.SHA1 + `", "error": "a` + "\t" + `b"}`, whole, false},
		{"unknown escape", `{"sha1": "` + leaf.SHA1 + `", "error": "a\qb"}`, whole, false},
		{"trailing comma", `{"sha1": "` + leaf.SHA1 + `",}`, whole, false},
		{"missing colon", `{"sha1" "` + leaf.SHA1 + `"}`, whole, false},
		{"unclosed", `{"sha1": "` + leaf.SHA1 + `"`, whole, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"snapshot_version": 1, "collected_at": "2025-10-01T09:00:00Z", "os": "windows",
  "cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [` + tc.cert + `]}]}`
			s, err := loadBothWays(t, []byte(doc))
			if (err == nil) != tc.ok {
				t.Fatalf("load: %v, want ok %v", err, tc.ok)
			}
			_, stats, ok := streamSnapshotWindow(strings.NewReader(doc), scanWindow)
			road := whole
			switch {
			case ok && stats == (scanStats{plainCerts: 1}):
				road = plain
			case ok && stats == (scanStats{jsonCerts: 1}):
				road = viaJSON
			}
			if road != tc.road {
				t.Errorf("road %d (%+v, ok %v), want %d", road, stats, ok, tc.road)
			}
			if want := leaf.SHA1; err == nil && s.CertStores[0].Certificates[0].SHA1 != want &&
				s.CertStores[0].Certificates[0].SHA1 != two.SHA1 && s.CertStores[0].Certificates[0].SHA1 != slash.SHA1 {
				t.Errorf("thumbprint %q", s.CertStores[0].Certificates[0].SHA1)
			}
		})
	}
}

// Every certificate of a store as collect writes it on Windows takes the
// plain road, and the DER slices are capped: an append to one cannot write
// into its neighbour in the shared block.
func TestStreamingBigStore(t *testing.T) {
	snap := &Snapshot{SnapshotVersion: SnapshotVersion, CollectedAt: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC), Facts: Facts{OS: "windows"}}
	st := SnapStore{Location: LocalMachine, Store: StoreCA}
	for i := 0; i < 1000; i++ {
		der := bytes.Repeat([]byte{byte(i), byte(i >> 8)}, 1+i%900) // up to 1.8 KB, every padding
		c := Certificate{SHA1: Thumbprint(der), DER: der, Source: `LocalMachine\CA`}
		if i%300 == 7 {
			c.DER = bytes.Repeat([]byte{byte(i)}, 40000) // bigger than a block
			c.SHA1 = Thumbprint(c.DER)
		}
		st.Certificates = append(st.Certificates, c)
	}
	snap.CertStores = []SnapStore{st}
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, snap); err != nil {
		t.Fatal(err)
	}
	got, stats, ok := streamSnapshotWindow(bytes.NewReader(buf.Bytes()), scanWindow)
	if !ok || stats != (scanStats{plainCerts: 1000}) {
		t.Fatalf("ok %v, %+v", ok, stats)
	}
	if _, err := loadBothWays(t, buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	tinyWindows(t, buf.Bytes())
	certs := got.CertStores[0].Certificates
	if len(certs) != 1000 || cap(certs) != 1000 {
		t.Fatalf("%d certificates, capacity %d", len(certs), cap(certs))
	}
	for i := range certs {
		if !bytes.Equal(certs[i].DER, st.Certificates[i].DER) || cap(certs[i].DER) != len(certs[i].DER) {
			t.Fatalf("certificate %d: DER differs or is not capped (len %d, cap %d)", i, len(certs[i].DER), cap(certs[i].DER))
		}
	}
	next := append([]byte(nil), certs[1].DER...)
	_ = append(certs[0].DER, 0xEE)
	if !bytes.Equal(certs[1].DER, next) {
		t.Fatal("an append to one DER changed the next")
	}
	if certs[0].Source != certs[1].Source || certs[0].Source != `LocalMachine\CA` {
		t.Errorf("source %q", certs[0].Source)
	}
}

// FuzzSnapshotCertificates aims at the scanner's certificate objects: the
// input is the inside of a store's certificates array, and the streaming
// road (through every window) must agree with the whole-document decoder.
func FuzzSnapshotCertificates(f *testing.F) {
	leaf := fakeCert("leaf")
	b64 := base64.StdEncoding.EncodeToString(leaf.DER)
	for _, seed := range []string{
		`{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `"}`,
		`{"der":"` + b64 + `","sha1":"` + strings.ToLower(leaf.SHA1) + `","source":"LocalMachine\\CA \"q\" \/","error":"x"}`,
		`{"sha1": "` + leaf.SHA1 + `", "der": "` + b64 + `", "key": {"container": "\\\\.\\HDIMAGE\\x", "prov_type": 80}}`,
		`{"sha1": "` + leaf.SHA1 + `", "der": "` + b64[:4] + `\n\/` + b64[4:] + `"}, null, {}`,
		`{"SHA1": "` + leaf.SHA1 + `", "der": null, "der": "` + b64 + `", "source": "\u0041` + "\xff" + `Я"}`,
		`{"sha1": "` + leaf.SHA1 + `", "der": "QQ==` + b64 + `"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, certs string) {
		doc := `{"snapshot_version": 1, "collected_at": "2025-10-01T09:00:00Z", "os": "windows", "cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [` + certs + `]}]}`
		s, err := loadBothWays(t, []byte(doc))
		if err != nil {
			checkOneLine(t, err.Error())
			return
		}
		sameAsEncoder(t, "fuzz input", s)
	})
}
