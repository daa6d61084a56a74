package host

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fullSnapshot uses every kind of record.
func fullSnapshot() *Snapshot {
	v := "C:\\Users\\u"
	return &Snapshot{
		SnapshotVersion: SnapshotVersion,
		ToolVersion:     "1.0.0",
		CollectedAt:     time.Date(2025, 10, 1, 12, 0, 0, 0, time.FixedZone("", 3*3600)),
		Facts:           Facts{OS: "windows", Arch: "amd64", Version: "10.0.19045", Hostname: "ws", User: "u", Errors: []string{"read UBR: access denied"}},
		Env:             map[string]*string{"USERPROFILE": &v, "HTTP_PROXY": nil},
		CertStores: []SnapStore{
			{Location: LocalMachine, Store: StoreAuthRoot, Certificates: []Certificate{}},
			{Location: LocalMachine, Store: StoreMy, Certificates: []Certificate{}, Error: "access denied"},
			{Location: CurrentUser, Store: StoreMy, Certificates: []Certificate{
				fakeCert("leaf"),
				{SHA1: strings.Repeat("AB", 20), Error: "blob has no certificate property", Source: `HKCU\…\Certificates\ABAB…`},
			}},
			{Location: CurrentUser, Store: StoreRoot, Certificates: []Certificate{}},
		},
		Registry: []RegKey{
			{Path: `HKLM\SOFTWARE\Z`, Exists: false},
			{Path: `HKLM\SOFTWARE\Crypto Pro\Settings`, View: RegView32, Exists: true, SubKeys: []string{"A"}, Values: []RegValue{
				{Name: "s", Type: RegSZ, String: "x"}, {Name: "e", Type: RegExpandSZ, String: "%TEMP%"},
				{Name: "m", Type: RegMultiSZ, Strings: []string{"a", ""}}, {Name: "d", Type: RegDWORD, Integer: 0xFFFFFFFF},
				{Name: "q", Type: RegQWORD, Integer: 1 << 40}, {Name: "b", Type: RegBinary, Binary: []byte{0, 1}},
				{Name: "n", Type: RegNone}, {Name: "odd", Type: "REG_TYPE_0x2A", Binary: []byte{9}},
				{Name: "bad", Type: RegDWORD, Binary: []byte{1, 2, 3}, Error: "3 bytes, want 4"},
			}},
		},
		Files: []SnapFile{
			{FileInfo: FileInfo{Path: `C:\b.txt`, Exists: true, Size: 3}, Content: []byte("abc"), ContentRead: true},
			{FileInfo: FileInfo{Path: `C:\a`, Exists: true, IsDir: true}, Listed: true, Entries: []FileInfo{{Path: `C:\a\x`, Name: "x", Exists: true}}},
			{FileInfo: FileInfo{Path: `C:\big.log`, Exists: true, Size: 1 << 30}, Content: []byte("head"), ContentRead: true, ContentLimit: 4},
			{FileInfo: FileInfo{Path: `C:\missing`}},
		},
		Commands: []SnapCommand{
			{Argv: []string{"z"}, NotFound: true},
			{Argv: []string{"certmgr", "-list"}, StdoutBase64: []byte{0xce, 0xf8}, Stderr: "w", ExitCode: 1},
		},
		ChainStatus: []ChainStatus{
			{SHA1: strings.Repeat("AB", 20), Location: CurrentUser, Store: StoreMy, Error: "the certificate is not in the store"},
			{SHA1: fakeCert("leaf").SHA1, Location: CurrentUser, Store: StoreMy, TrustErrorStatus: TrustIsNotSignatureValid, TrustInfoStatus: 0x102, ChainLength: 3},
		},
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	s := fullSnapshot()
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, s); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSnapshot(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteSnapshot(&again, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("write → load → write changed the document:\n%s\n---\n%s", buf.String(), again.String())
	}
	if !got.CollectedAt.Equal(s.CollectedAt) || got.Env["HTTP_PROXY"] != nil || *got.Env["USERPROFILE"] != `C:\Users\u` {
		t.Errorf("lost data: %+v", got)
	}
	// WriteSnapshot does not reorder its argument.
	if s.CertStores[0].Store != StoreAuthRoot {
		t.Error("WriteSnapshot changed its argument")
	}
}

func TestWriteSnapshotOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, fullSnapshot()); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	if !strings.HasPrefix(doc, "{\n  \"snapshot_version\": 1,\n") {
		t.Errorf("not 2-space indented or version not first:\n%.80s", doc)
	}
	s, err := LoadSnapshot(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var stores []string
	for _, st := range s.CertStores {
		stores = append(stores, string(st.Location)+`\`+string(st.Store))
	}
	if got, want := strings.Join(stores, " "), `CurrentUser\Root CurrentUser\My LocalMachine\My LocalMachine\AuthRoot`; got != want {
		t.Errorf("stores in order %s, want %s", got, want)
	}
	if s.Registry[0].Path != `HKLM\SOFTWARE\Crypto Pro\Settings` || s.Files[0].Path != `C:\a` || s.Commands[0].Argv[0] != "certmgr" {
		t.Errorf("registry, files or commands not sorted: %s %s %s", s.Registry[0].Path, s.Files[0].Path, s.Commands[0].Argv[0])
	}
	if strings.Contains(doc, `\u003e`) || strings.Contains(doc, `\u0026`) {
		t.Error("HTML escaping in the document")
	}
}

func TestLoadNormalisesThumbprints(t *testing.T) {
	s := fullSnapshot()
	s.CertStores[2].Certificates[0].SHA1 = strings.ToLower(s.CertStores[2].Certificates[0].SHA1)
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, s); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSnapshot(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if sha := got.CertStores[1].Certificates[0].SHA1; sha != fakeCert("leaf").SHA1 {
		t.Errorf("thumbprint %q, want upper case %q", sha, fakeCert("leaf").SHA1)
	}
}

// minimal is a valid document to break in the table below.
const minimal = `{
  "snapshot_version": 1,
  "collected_at": "2025-10-01T09:00:00Z",
  "os": "windows",
  "hostname": "ws",
  "user": "u",
  "os_version": "10.0",
  "arch": "amd64",
  "utc_offset_seconds": 0
}`

func replace(old, new string) string { return strings.Replace(minimal, old, new, 1) }

func withField(field string) string {
	return strings.Replace(minimal, `"os": "windows",`, `"os": "windows",`+"\n  "+field+",", 1)
}

func TestLoadSnapshotErrors(t *testing.T) {
	if _, err := LoadSnapshot(strings.NewReader(minimal)); err != nil {
		t.Fatalf("minimal document: %v", err)
	}
	der := []byte("DER of leaf")
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"empty", "  \n", "file is empty"},
		{"truncated", minimal[:40], "truncated"},
		{"not json", "PK\x03\x04 zip file", "line 1, column 1: invalid JSON"},
		{"garbage later", "{\n  \"os\": windows}", "line 2, column 9: invalid JSON: invalid character 'w'"},
		{"array", "[1,2]", "cannot use a JSON array here, want an object"},
		{"no version", replace(`"snapshot_version": 1,`, ""), "no snapshot_version; this build reads snapshot_version 1"},
		{"newer version", replace(`"snapshot_version": 1`, `"snapshot_version": 2`), "unsupported snapshot_version 2; this build reads snapshot_version 1"},
		{"string version", replace(`"snapshot_version": 1`, `"snapshot_version": "1"`), `unsupported snapshot_version "1"`},
		{"unknown field", replace(`"hostname": "ws",`, `"hostname": "ws", "exist": false,`), `line 5, column 21: unknown field "exist"`},
		{"unknown field named", replace(`"hostname": "ws",`, `"hostname": "ws", "exist": false,`), `unknown field "exist"`},
		{"wrong type", replace(`"os": "windows"`, `"os": 5`), `line 4, column 9: os: cannot use a JSON number here, want a string`},
		{"wrong time", replace(`"2025-10-01T09:00:00Z"`, `"yesterday"`), `line 3, column 19: not an RFC 3339 time (like 2025-10-01T09:00:00Z): "yesterday"`},
		{"no os", replace(`"os": "windows",`, ""), "os is missing"},
		{"no collected_at", replace(`"collected_at": "2025-10-01T09:00:00Z",`, ""), "collected_at is missing"},
		{"trailing data", minimal + `{}`, "unexpected data after the snapshot document"},
		{"sha1 mismatch", withField(`"cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [{"sha1": "` + strings.Repeat("00", 20) + `", "der": "` + b64(der) + `"}]}]`), "cert_stores[0].certificates[0]: sha1 0000000000000000000000000000000000000000 does not match the der"},
		{"sha1 short", withField(`"cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [{"sha1": "ABC"}]}]`), "not 40 hex digits"},
		{"sha1 not hex", withField(`"cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [{"sha1": "` + strings.Repeat("ZZ", 20) + `"}]}]`), "not hexadecimal"},
		{"empty cert", withField(`"cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [{}]}]`), "neither der, sha1 nor error"},
		{"der not base64", withField(`"cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [{"der": "!!"}]}]`), "illegal base64"},
		{"store twice", withField(`"cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": []}, {"location": "currentuser", "store": "my", "certificates": []}]`), "recorded twice"},
		{"store without name", withField(`"cert_stores": [{"location": "CurrentUser", "certificates": []}]`), "location and store are required"},
		{"reg type", withField(`"registry": [{"path": "HKLM\\X", "exists": true, "values": [{"name": "v", "type": "REG_SZZ"}]}]`), `registry[0].values[0] ("v"): unknown type "REG_SZZ"`},
		{"reg no type", withField(`"registry": [{"path": "HKLM\\X", "exists": true, "values": [{"name": "v"}]}]`), `type is missing`},
		{"reg data mismatch", withField(`"registry": [{"path": "HKLM\\X", "exists": true, "values": [{"name": "v", "type": "REG_DWORD", "string": "1"}]}]`), `only have integer data`},
		{"reg dword overflow", withField(`"registry": [{"path": "HKLM\\X", "exists": true, "values": [{"name": "v", "type": "REG_DWORD", "integer": 4294967296}]}]`), `does not fit in 32 bits`},
		{"reg empty path", withField(`"registry": [{"path": "", "exists": false}]`), `registry[0]: path is empty`},
		{"reg view", withField(`"registry": [{"path": "HKLM\\X", "view": "16", "exists": false}]`), `view "16"`},
		{"reg twice", withField(`"registry": [{"path": "HKLM\\X", "exists": false}, {"path": "HKEY_LOCAL_MACHINE\\x\\", "exists": false}]`), `recorded twice`},
		{"reg missing with values", withField(`"registry": [{"path": "HKLM\\X", "exists": false, "subkeys": ["a"]}]`), `exists false but values or subkeys`},
		{"file empty path", withField(`"files": [{"path": "", "exists": false}]`), `files[0]: path is empty`},
		{"file twice", withField(`"files": [{"path": "C:\\A", "exists": false}, {"path": "c:/a", "exists": false}]`), `recorded twice`},
		{"content unread", withField(`"files": [{"path": "C:\\A", "exists": true, "content": "YQ=="}]`), `content_read is false`},
		{"missing with content", withField(`"files": [{"path": "C:\\A", "exists": false, "content_read": true}]`), `exists false but also content`},
		{"negative limit", withField(`"files": [{"path": "C:\\A", "exists": true, "content_read": true, "content_limit": -1}]`), `negative content_limit`},
		{"entries unlisted", withField(`"files": [{"path": "C:\\A", "exists": true, "entries": [{"path": "C:\\A\\b", "exists": true}]}]`), `listed is false`},
		{"empty argv", withField(`"commands": [{"argv": [], "exit_code": 0}]`), `commands[0]: argv is empty`},
		{"argv blank", withField(`"commands": [{"argv": [""], "exit_code": 0}]`), `commands[0]: argv is empty`},
		{"output twice", withField(`"commands": [{"argv": ["x"], "stdout": "a", "stdout_base64": "YQ==", "exit_code": 0}]`), `both as text and as base64`},
		{"command twice", withField(`"commands": [{"argv": ["x"], "exit_code": 0}, {"argv": ["x"], "exit_code": 1}]`), `recorded twice`},
		{"several problems", withField(`"commands": [{"argv": []}, {"argv": [""]}]`), `(and 1 more problems)`},
		{"env empty name", withField(`"env": {"": "x"}`), `env: empty variable name`},
		{"env wrong type", withField(`"env": {"A": 1}`), `line 5, column 16: env: cannot use a JSON number here, want a string`},
		{"deep garbage", strings.Repeat("[", 100000), "invalid JSON"},
		{"chain sha1 short", withField(`"chain_status": [{"sha1": "AB", "location": "CurrentUser", "store": "My", "chain_length": 1}]`), `chain_status[0]: sha1 "AB" is not 40 hex digits`},
		{"chain no store", withField(`"chain_status": [{"sha1": "` + strings.Repeat("AB", 20) + `", "location": "CurrentUser", "chain_length": 1}]`), `chain_status[0]: location and store are required`},
		{"chain empty", withField(`"chain_status": [{"sha1": "` + strings.Repeat("AB", 20) + `", "location": "CurrentUser", "store": "My"}]`), `chain_length is 0`},
		{"chain error with flags", withField(`"chain_status": [{"sha1": "` + strings.Repeat("AB", 20) + `", "location": "CurrentUser", "store": "My", "trust_error_status": 8, "error": "x"}]`), `a verdict with an error has no flags`},
		{"chain twice", withField(`"chain_status": [{"sha1": "` + strings.Repeat("AB", 20) + `", "location": "CurrentUser", "store": "My", "chain_length": 1}, {"sha1": "` + strings.Repeat("ab", 20) + `", "location": "currentuser", "store": "MY", "chain_length": 2}]`), `recorded twice (also chain_status[0])`},
		{"chain flags not a number", withField(`"chain_status": [{"sha1": "` + strings.Repeat("AB", 20) + `", "location": "CurrentUser", "store": "My", "trust_error_status": -1, "chain_length": 1}]`), `want a non-negative integer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSnapshot(strings.NewReader(tc.doc))
			if err == nil {
				t.Fatalf("loaded without error:\n%s", tc.doc)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
			checkOneLine(t, msg)
		})
	}
}

func checkOneLine(t testing.TB, msg string) {
	t.Helper()
	if !strings.HasPrefix(msg, "load snapshot: ") || strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error is not one line starting with \"load snapshot: \": %q", msg)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// endless yields n bytes of a repeated pattern without holding them.
type endless struct {
	pattern []byte
	left    int64
	block   []byte
}

func (e *endless) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if e.block == nil {
		e.block = bytes.Repeat(e.pattern, 32<<10/len(e.pattern))
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n := 0
	for n < len(p) {
		n += copy(p[n:], e.block)
	}
	e.left -= int64(n)
	return n, nil
}

func TestLoadSnapshotSizeCap(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	for _, tc := range []struct {
		name string
		r    io.Reader
	}{
		{"100 MB of garbage", &endless{pattern: []byte("\x00\xffgarbage"), left: 100 << 20}},
		{"64 MiB + 1 of spaces around a valid document", io.MultiReader(strings.NewReader(minimal), &endless{pattern: []byte(" "), left: MaxSnapshotSize})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSnapshot(tc.r)
			if err == nil || !strings.Contains(err.Error(), "snapshot is larger than 64 MiB") {
				t.Fatalf("err = %v", err)
			}
			checkOneLine(t, err.Error())
		})
	}
	runtime.GC()
}

func TestLoadSnapshotFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ws.json")
	if err := os.WriteFile(p, []byte(minimal), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSnapshotFile(p)
	if err != nil || s.OS != "windows" {
		t.Fatalf("%+v, %v", s, err)
	}
	_, err = LoadSnapshotFile(filepath.Join(dir, "nope.json"))
	if err == nil || !strings.HasPrefix(err.Error(), "load snapshot: ") {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(p, []byte(minimal[:20]), 0o644)
	_, err = LoadSnapshotFile(p)
	if err == nil || !strings.Contains(err.Error(), p+": load snapshot: ") {
		t.Errorf("bad file error does not name the file: %v", err)
	}
}

func TestWriteSnapshotRejectsInvalid(t *testing.T) {
	s := fullSnapshot()
	s.Files = append(s.Files, SnapFile{})
	var buf bytes.Buffer
	err := WriteSnapshot(&buf, s)
	if err == nil || !strings.Contains(err.Error(), "path is empty") || buf.Len() != 0 {
		t.Errorf("err = %v, wrote %d bytes", err, buf.Len())
	}
	if err := WriteSnapshot(&buf, nil); err == nil {
		t.Error("nil snapshot written")
	}
	if err := s.Validate(); err == nil {
		t.Error("Validate accepted an empty path")
	}
}

// seedSnapshots are the fuzz seeds: the fixtures plus small documents.
func seedSnapshots(t testing.TB) [][]byte {
	seeds := [][]byte{[]byte(minimal), []byte(minimal[:50]), []byte(withField(`"env": {"A": null}`))}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "workstations", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, fullSnapshot()); err != nil {
		t.Fatal(err)
	}
	// Small stores with every kind of certificate object the scanner
	// meets: plain, escaped, a key link, odd base64.
	leaf := fakeCert("leaf")
	b64 := base64.StdEncoding.EncodeToString(leaf.DER)
	store := func(certs string) []byte {
		return []byte(`{"snapshot_version": 1, "collected_at": "2025-10-01T09:00:00Z", "os": "windows", "cert_stores": [{"location": "CurrentUser", "store": "My", "certificates": [` + certs + `]}]}`)
	}
	seeds = append(seeds,
		store(`{"sha1": "`+leaf.SHA1+`", "der": "`+b64+`", "source": "LocalMachine\\CA \"x\""}, {"sha1": "`+strings.ToLower(leaf.SHA1)+`", "error": "e"}`),
		store(`{"der":"`+b64+`","sha1":"`+leaf.SHA1+`","key":{"container":"\\\\.\\HDIMAGE\\x","prov_type":80}}`),
		store(`{"sha1": "`+leaf.SHA1+`", "der": "`+b64[:4]+`\n\/`+b64[4:]+`"}, null, {}`),
	)
	return append(seeds, buf.Bytes())
}

func FuzzLoadSnapshot(f *testing.F) {
	for _, s := range seedSnapshots(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The streaming and the whole-document roads agree on everything.
		s, err := loadBothWays(t, data)
		if err != nil {
			checkOneLine(t, err.Error())
			return
		}
		// Whatever loads can be written, exactly as encoding/json's
		// Encoder writes it, and loads back the same.
		var buf bytes.Buffer
		if err := WriteSnapshot(&buf, s); err != nil {
			t.Fatalf("loaded but cannot be written: %v", err)
		}
		sameAsEncoder(t, "fuzz input", s)
		again, err := LoadSnapshot(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("written document does not load: %v\n%s", err, buf.String())
		}
		var b2 bytes.Buffer
		if err := WriteSnapshot(&b2, again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), b2.Bytes()) {
			t.Fatalf("write → load → write is not stable:\n%s\n---\n%s", buf.String(), b2.String())
		}
		// And it replays without panicking.
		h, ctx := NewSnapshotHost(again), context.Background()
		h.Now()
		h.LookupEnv("PATH")
		for _, st := range again.CertStores {
			h.Certificates(ctx, st.Location, st.Store)
		}
		for _, k := range again.Registry {
			h.RegistryKey(ctx, k.Path+`\sub`, k.View)
		}
		for _, fl := range again.Files {
			h.Stat(ctx, fl.Path+"/x")
			h.ReadFile(ctx, fl.Path, 3)
			h.ReadDir(ctx, fl.Path)
		}
		for _, c := range again.Commands {
			h.Run(ctx, Command{Argv: c.Argv})
		}
		for _, c := range again.ChainStatus {
			h.ChainStatus(ctx, c.Location, c.Store, c.SHA1)
		}
	})
}
