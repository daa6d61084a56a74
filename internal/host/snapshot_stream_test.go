package host

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// onlyReader hides Seek: LoadSnapshot then reads the document as a whole.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// loadBothWays loads data through the streaming road (a seekable reader)
// and the whole-document road, and fails unless both give the same
// snapshot or the same error.
func loadBothWays(t *testing.T, data []byte) (*Snapshot, error) {
	t.Helper()
	streamed, serr := LoadSnapshot(bytes.NewReader(data))
	whole, werr := LoadSnapshot(onlyReader{bytes.NewReader(data)})
	if (serr == nil) != (werr == nil) || (serr != nil && serr.Error() != werr.Error()) {
		t.Fatalf("streaming and whole-document loads disagree:\nstream: %v\nwhole:  %v", serr, werr)
	}
	if serr == nil && !reflect.DeepEqual(streamed, whole) {
		t.Fatalf("streaming and whole-document loads give different snapshots")
	}
	return streamed, serr
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
		if _, ok := streamSnapshot(bytes.NewReader(data)); !ok {
			t.Errorf("%s: a fixture written by WriteSnapshot leaves the streaming road", filepath.Base(f))
		}
		if _, err := loadBothWays(t, data); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
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
