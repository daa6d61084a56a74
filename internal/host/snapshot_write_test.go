package host

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// referenceWrite is what WriteSnapshot wrote before the stores were
// written directly: the whole prepared document through encoding/json's
// Encoder.
func referenceWrite(t testing.TB, s *Snapshot) []byte {
	t.Helper()
	c, err := prepareSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sameAsEncoder fails unless WriteSnapshot writes s exactly as the
// Encoder does.
func sameAsEncoder(t testing.TB, name string, s *Snapshot) []byte {
	t.Helper()
	want := referenceWrite(t, s)
	var got bytes.Buffer
	if err := WriteSnapshot(&got, s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		i := 0
		for i < len(want) && i < got.Len() && want[i] == got.Bytes()[i] {
			i++
		}
		from := i - 80
		if from < 0 {
			from = 0
		}
		t.Fatalf("%s: WriteSnapshot differs from the Encoder at byte %d:\ngot:  %q\nwant: %q", name, i,
			got.Bytes()[from:minInt(got.Len(), i+80)], want[from:minInt(len(want), i+80)])
	}
	return want
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func TestWriteSnapshotMatchesEncoder(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "workstations", "*.json"))
	if len(files) < 10 {
		t.Fatalf("only %d fixture snapshots found", len(files))
	}
	for _, f := range files {
		s, err := LoadSnapshotFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// The committed fixtures were written by the Encoder.
		if got := sameAsEncoder(t, filepath.Base(f), s); !bytes.Equal(got, data) {
			t.Errorf("%s: the fixture is not what WriteSnapshot writes", filepath.Base(f))
		}
	}
	sameAsEncoder(t, "full", fullSnapshot())

	// Strings the Encoder escapes its own way, in every place of a store.
	odd := []string{"plain", `LocalMachine\CA`, `a"b`, "tab\there", "nl\n", "\x00\x1f\x7f", "<&>", "Личное",
		"\u2028\u2029", "bad \xff\xfe utf-8", "\ufffd", strings.Repeat(`\`, 300), strings.Repeat("я", 100)}
	s := &Snapshot{SnapshotVersion: SnapshotVersion, CollectedAt: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC), Facts: Facts{OS: "linux"}}
	for i, v := range odd {
		leaf := fakeCert(v)
		leaf.Source = v
		leaf.Key = &KeyLink{Container: v, Provider: v, ProvType: 80, Error: v}
		s.CertStores = append(s.CertStores, SnapStore{
			Location: StoreLocation("L" + v), Store: StoreName(strings.Repeat("s", i+1) + v), Error: v,
			Certificates: []Certificate{leaf, {SHA1: strings.Repeat("AB", 20), Error: v, Source: v}},
		})
	}
	sameAsEncoder(t, "odd strings", s)
	// The stores as the last member, and before each member that may follow them.
	s.Registry = []RegKey{{Path: `HKLM\X`}}
	sameAsEncoder(t, "before registry", s)
	s.Registry = nil
	s.Network = &SnapNetwork{}
	sameAsEncoder(t, "before network", s)
	s.CertStores = []SnapStore{{Location: LocalMachine, Store: StoreCA}}
	sameAsEncoder(t, "empty store", s)
	s.CertStores = nil
	sameAsEncoder(t, "no stores", s)
}

// BenchmarkWriteSnapshot: writing a store of 20,000 certificates of 1.5 KB
// (a 40 MB document), the Encoder alone ("encoder") and WriteSnapshot.
func BenchmarkWriteSnapshot(b *testing.B) {
	s := &Snapshot{SnapshotVersion: SnapshotVersion, CollectedAt: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC), Facts: Facts{OS: "windows"}}
	st := SnapStore{Location: LocalMachine, Store: StoreCA}
	for i := 0; i < 2400; i++ {
		der := bytes.Repeat([]byte{byte(i), byte(i >> 8), 7}, 650)
		st.Certificates = append(st.Certificates, Certificate{SHA1: Thumbprint(der), DER: der, Source: `LocalMachine\CA`})
	}
	s.CertStores = []SnapStore{st}
	b.Run("encoder", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			referenceWrite(b, s)
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for i := 0; i < b.N; i++ {
			buf.Reset()
			if err := WriteSnapshot(&buf, s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// storeWriter writes SnapStore and Certificate field by field: a field
// added to either must be taught to it (and to the loader's plainCert,
// which until then hands such objects to encoding/json). Until then
// WriteSnapshot encodes everything with the Encoder, which this test
// would not notice by itself.
func TestStoreWriterKnowsTheTypes(t *testing.T) {
	if got := storeShapeOf(); strings.Join(got, "\n") != strings.Join(storeShape, "\n") {
		t.Fatalf("SnapStore or Certificate changed; update storeWriter (snapshot_write.go), plainCert (snapshot_stream.go) and storeShape:\n%s", strings.Join(got, "\n"))
	}
	if !storeShapeKnown() {
		t.Fatal("storeShapeKnown is false")
	}
}

// With types storeWriter does not know, the Encoder writes everything.
func TestWriteSnapshotStoreShapeUnknown(t *testing.T) {
	if !storeShapeKnown() {
		t.Fatal("storeShapeKnown is false")
	}
	storeShapeOK = false
	defer func() { storeShapeOK = true }()
	sameAsEncoder(t, "full, without storeWriter", fullSnapshot())
}
