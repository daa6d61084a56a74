package doctortest

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// DefaultTime is when the machines of Windows(), Linux() and Darwin() were
// "collected": 2025-10-01 12:00 Moscow time. The real certificates in
// testdata/certs/realworld that a healthy 2025 workstation holds are valid
// then (Минцифры 2022 root, Treasury 2024 CA, the 2025 leaf issued by it,
// valid from 2025-07-03); use At to move the clock.
var DefaultTime = time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC)

// SnapBuilder builds an in-memory snapshot step by step. Every method
// returns the builder, so calls chain. Methods record answers exactly as the
// recorder would, so a built snapshot replays like a collected one.
type SnapBuilder struct {
	s host.Snapshot
}

// Windows starts a healthy-looking Windows 10 22H2 x64 workstation in
// Moscow time with the six certificate stores (CurrentUser/LocalMachine ×
// Root/CA/My) recorded and empty. Registry keys, files and commands are not
// recorded: asking for them gives host.ErrNotRecorded until added.
func Windows() *SnapBuilder {
	return newBuilder(host.Facts{
		OS: "windows", Arch: "amd64", ProcessArch: "amd64",
		Version: "10.0.19045", Build: "19045.3803", ProductName: "Windows 10 Pro",
		Hostname: "WS-BUH-01", User: `WS-BUH-01\buh`, Home: `C:\Users\buh`,
		UILanguage: "ru-RU", TimeZone: "Russian Standard Time", UTCOffsetSeconds: 3 * 3600,
	})
}

// Linux starts an Astra Linux 1.7 x64 workstation in Moscow time with the
// six (CryptoPro) certificate stores recorded and empty.
func Linux() *SnapBuilder {
	return newBuilder(host.Facts{
		OS: "linux", Arch: "amd64", ProcessArch: "amd64",
		Version: "1.7.5", ProductName: "Astra Linux 1.7 (Smolensk)", Distro: "astra",
		Hostname: "arm-buh", User: "buh", Home: "/home/buh",
		UILanguage: "ru_RU.UTF-8", TimeZone: "Europe/Moscow", UTCOffsetSeconds: 3 * 3600,
	})
}

// Darwin starts a macOS 14 arm64 machine with the six stores recorded and
// empty.
func Darwin() *SnapBuilder {
	return newBuilder(host.Facts{
		OS: "darwin", Arch: "arm64", ProcessArch: "arm64",
		Version: "14.5", ProductName: "macOS 14.5",
		Hostname: "mac-buh", User: "buh", Home: "/Users/buh",
		TimeZone: "Europe/Moscow", UTCOffsetSeconds: 3 * 3600,
	})
}

// newBuilder starts a snapshot with these facts, collected at DefaultTime,
// with the six core stores recorded and empty.
func newBuilder(f host.Facts) *SnapBuilder {
	b := &SnapBuilder{s: host.Snapshot{
		SnapshotVersion: host.SnapshotVersion,
		ToolVersion:     "test",
		CollectedAt:     DefaultTime,
		Facts:           f,
	}}
	for _, loc := range host.Locations {
		for _, st := range host.CoreStores {
			b.s.CertStores = append(b.s.CertStores, host.SnapStore{Location: loc, Store: st, Certificates: []host.Certificate{}})
		}
	}
	return b
}

// From starts from a copy of an existing snapshot (a fixture loaded with
// host.LoadSnapshotFile) to vary it.
func From(s *host.Snapshot) *SnapBuilder {
	b := &SnapBuilder{}
	deepCopy(&b.s, s)
	return b
}

// At sets the workstation clock (Host.Now) and the collection time.
func (b *SnapBuilder) At(t time.Time) *SnapBuilder {
	b.s.CollectedAt = t
	return b
}

// With changes the facts: doctortest.Windows().With(func(f *host.Facts) { f.Arch = "386" }).
func (b *SnapBuilder) With(change func(f *host.Facts)) *SnapBuilder {
	change(&b.s.Facts)
	return b
}

func (b *SnapBuilder) store(loc host.StoreLocation, store host.StoreName) *host.SnapStore {
	for i := range b.s.CertStores {
		s := &b.s.CertStores[i]
		if strings.EqualFold(string(s.Location), string(loc)) && strings.EqualFold(string(s.Store), string(store)) {
			return s
		}
	}
	b.s.CertStores = append(b.s.CertStores, host.SnapStore{Location: loc, Store: store, Certificates: []host.Certificate{}})
	return &b.s.CertStores[len(b.s.CertStores)-1]
}

// Cert adds a certificate (DER) to a store, with a private-key link or nil.
// The thumbprint is computed from der.
func (b *SnapBuilder) Cert(loc host.StoreLocation, store host.StoreName, der []byte, key *host.KeyLink) *SnapBuilder {
	sum := sha1.Sum(der)
	return b.CertEntry(loc, store, host.Certificate{
		SHA1: strings.ToUpper(hex.EncodeToString(sum[:])),
		DER:  append([]byte(nil), der...),
		Key:  key,
	})
}

// CertEntry adds a store entry as is (for entries with an Error, or a
// Source).
func (b *SnapBuilder) CertEntry(loc host.StoreLocation, store host.StoreName, c host.Certificate) *SnapBuilder {
	s := b.store(loc, store)
	s.Certificates = append(s.Certificates, c)
	return b
}

// EmptyStore records a store as present and empty (the default for the six
// core stores); use it for AuthRoot, TrustedPublisher ….
func (b *SnapBuilder) EmptyStore(loc host.StoreLocation, store host.StoreName) *SnapBuilder {
	b.store(loc, store)
	return b
}

// StoreError makes reading a store fail with msg.
func (b *SnapBuilder) StoreError(loc host.StoreLocation, store host.StoreName, msg string) *SnapBuilder {
	s := b.store(loc, store)
	s.Certificates = []host.Certificate{}
	s.Error = msg
	return b
}

// DropStore removes a store from the record, so that reading it gives
// host.ErrNotRecorded.
func (b *SnapBuilder) DropStore(loc host.StoreLocation, store host.StoreName) *SnapBuilder {
	out := b.s.CertStores[:0]
	for _, s := range b.s.CertStores {
		if !(strings.EqualFold(string(s.Location), string(loc)) && strings.EqualFold(string(s.Store), string(store))) {
			out = append(out, s)
		}
	}
	b.s.CertStores = out
	return b
}

func (b *SnapBuilder) regKey(path string, view host.RegView) *host.RegKey {
	want := host.RegIndexKey(path, view)
	for i := range b.s.Registry {
		k := &b.s.Registry[i]
		if host.RegIndexKey(k.Path, k.View) == want {
			return k
		}
	}
	b.s.Registry = append(b.s.Registry, host.RegKey{Path: host.NormalizeRegPath(path), View: view})
	return &b.s.Registry[len(b.s.Registry)-1]
}

// RegKey records an existing key with these subkeys (added to any already
// recorded) and no values yet.
func (b *SnapBuilder) RegKey(path string, view host.RegView, subkeys ...string) *SnapBuilder {
	k := b.regKey(path, view)
	k.Exists = true
	k.SubKeys = append(k.SubKeys, subkeys...)
	return b
}

// RegValue records a value of an existing key (the key is created; a value
// of the same name is replaced). Build values with SZ, DWORD, MultiSZ, Bin.
func (b *SnapBuilder) RegValue(path string, view host.RegView, v host.RegValue) *SnapBuilder {
	k := b.regKey(path, view)
	k.Exists = true
	for i := range k.Values {
		if strings.EqualFold(k.Values[i].Name, v.Name) {
			k.Values[i] = v
			return b
		}
	}
	k.Values = append(k.Values, v)
	return b
}

// RegKeyMissing records that a key does not exist (keys below it are then
// missing too).
func (b *SnapBuilder) RegKeyMissing(path string, view host.RegView) *SnapBuilder {
	k := b.regKey(path, view)
	*k = host.RegKey{Path: k.Path, View: view, Exists: false}
	return b
}

// SZ is a REG_SZ value.
func SZ(name, s string) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegSZ, String: s}
}

// ExpandSZ is a REG_EXPAND_SZ value (not expanded).
func ExpandSZ(name, s string) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegExpandSZ, String: s}
}

// MultiSZ is a REG_MULTI_SZ value.
func MultiSZ(name string, ss ...string) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegMultiSZ, Strings: ss}
}

// DWORD is a REG_DWORD value.
func DWORD(name string, n uint32) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegDWORD, Integer: uint64(n)}
}

// QWORD is a REG_QWORD value.
func QWORD(name string, n uint64) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegQWORD, Integer: n}
}

// Bin is a REG_BINARY value.
func Bin(name string, data []byte) host.RegValue {
	return host.RegValue{Name: name, Type: host.RegBinary, Binary: data}
}

func (b *SnapBuilder) file(path string) *host.SnapFile {
	want := host.FileIndexKey(b.s.OS, path)
	for i := range b.s.Files {
		f := &b.s.Files[i]
		if host.FileIndexKey(b.s.OS, f.Path) == want {
			return f
		}
	}
	b.s.Files = append(b.s.Files, host.SnapFile{FileInfo: host.FileInfo{Path: path}})
	return &b.s.Files[len(b.s.Files)-1]
}

func baseName(goos, p string) string {
	seps := "/"
	if goos == "windows" {
		seps = `\/`
	}
	p = strings.TrimRight(p, seps)
	if i := strings.LastIndexAny(p, seps); i >= 0 {
		return p[i+1:]
	}
	return p
}

// File records a regular file with this content (Stat and ReadFile answer).
func (b *SnapBuilder) File(path string, content string) *SnapBuilder {
	f := b.file(path)
	f.FileInfo = host.FileInfo{Path: path, Name: baseName(b.s.OS, path), Exists: true, Size: int64(len(content)), ModTime: b.s.CollectedAt.Add(-24 * time.Hour)}
	f.Content = []byte(content)
	f.ContentRead = true
	f.ContentLimit = 0
	f.Entries, f.Listed, f.ReadError = nil, false, ""
	return b
}

// Dir records a directory and its listing. An entry name ending in "/" is
// a subdirectory (the slash is dropped); entries are only listed, record
// their content with File if the check reads them.
func (b *SnapBuilder) Dir(path string, entries ...string) *SnapBuilder {
	f := b.file(path)
	f.FileInfo = host.FileInfo{Path: path, Name: baseName(b.s.OS, path), Exists: true, IsDir: true}
	f.Content, f.ContentRead, f.ContentLimit, f.ReadError = nil, false, 0, ""
	f.Listed = true
	f.Entries = nil
	sep := "/"
	if b.s.OS == "windows" {
		sep = `\`
	}
	for _, e := range entries {
		isDir := strings.HasSuffix(e, "/")
		name := strings.TrimSuffix(e, "/")
		f.Entries = append(f.Entries, host.FileInfo{
			Path: strings.TrimRight(path, `\/`) + sep + name, Name: name, Exists: true, IsDir: isDir,
		})
	}
	return b
}

// Missing records that a path does not exist (paths below it are then
// missing too).
func (b *SnapBuilder) Missing(path string) *SnapBuilder {
	f := b.file(path)
	*f = host.SnapFile{FileInfo: host.FileInfo{Path: path}}
	return b
}

// FileError records a path that exists but cannot be read (msg is the
// error ReadFile/ReadDir return, e.g. "permission denied").
func (b *SnapBuilder) FileError(path string, msg string) *SnapBuilder {
	f := b.file(path)
	*f = host.SnapFile{FileInfo: host.FileInfo{Path: path, Name: baseName(b.s.OS, path), Exists: true}, ReadError: msg}
	return b
}

func (b *SnapBuilder) command(argv []string) *host.SnapCommand {
	key := host.CommandKey(argv)
	for i := range b.s.Commands {
		if host.CommandKey(b.s.Commands[i].Argv) == key {
			return &b.s.Commands[i]
		}
	}
	b.s.Commands = append(b.s.Commands, host.SnapCommand{Argv: append([]string(nil), argv...)})
	return &b.s.Commands[len(b.s.Commands)-1]
}

// Command records that argv printed stdout and exited with exit.
func (b *SnapBuilder) Command(argv []string, stdout string, exit int) *SnapBuilder {
	return b.CommandOutput(argv, []byte(stdout), nil, exit)
}

// CommandOutput records raw stdout and stderr (e.g. cp1251 bytes) and the
// exit status.
func (b *SnapBuilder) CommandOutput(argv []string, stdout, stderr []byte, exit int) *SnapBuilder {
	c := b.command(argv)
	*c = host.SnapCommand{Argv: c.Argv, ExitCode: exit}
	c.SetOutput(stdout, stderr)
	return b
}

// CommandNotFound records that the executable of argv does not exist.
func (b *SnapBuilder) CommandNotFound(argv []string) *SnapBuilder {
	c := b.command(argv)
	*c = host.SnapCommand{Argv: c.Argv, NotFound: true}
	return b
}

// CommandTimedOut records a command that was killed at its timeout.
func (b *SnapBuilder) CommandTimedOut(argv []string) *SnapBuilder {
	c := b.command(argv)
	*c = host.SnapCommand{Argv: c.Argv, ExitCode: -1, TimedOut: true}
	return b
}

// Env records an environment variable.
func (b *SnapBuilder) Env(name, value string) *SnapBuilder {
	if b.s.Env == nil {
		b.s.Env = map[string]*string{}
	}
	v := value
	b.s.Env[name] = &v
	return b
}

// EnvUnset records that a variable is not set.
func (b *SnapBuilder) EnvUnset(name string) *SnapBuilder {
	if b.s.Env == nil {
		b.s.Env = map[string]*string{}
	}
	b.s.Env[name] = nil
	return b
}

// ChainStatus records CryptoAPI's chain verdict for the certificate with
// thumbprint sha1 in loc\store (Windows snapshots only): the
// CERT_TRUST_* error and info flags and the chain length. A verdict with
// errText set records a chain CryptoAPI could not judge (the flags and
// length are then ignored). A verdict already recorded for that
// certificate is replaced.
func (b *SnapBuilder) ChainStatus(loc host.StoreLocation, store host.StoreName, sha1 string, errorStatus, infoStatus uint32, length int, errText string) *SnapBuilder {
	cs := host.ChainStatus{SHA1: strings.ToUpper(sha1), Location: loc, Store: store,
		TrustErrorStatus: errorStatus, TrustInfoStatus: infoStatus, ChainLength: length}
	if errText != "" {
		cs = host.ChainStatus{SHA1: cs.SHA1, Location: loc, Store: store, Error: errText}
	}
	for i := range b.s.ChainStatus {
		c := &b.s.ChainStatus[i]
		if strings.EqualFold(string(c.Location), string(loc)) && strings.EqualFold(string(c.Store), string(store)) && strings.EqualFold(c.SHA1, sha1) {
			*c = cs
			return b
		}
	}
	b.s.ChainStatus = append(b.s.ChainStatus, cs)
	return b
}

// Snapshot returns a copy of the snapshot built so far. It panics when the
// result would not load as a snapshot file (a builder misuse, such as an
// empty path), so that tests only ever use documents collect could write.
func (b *SnapBuilder) Snapshot() *host.Snapshot {
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, &b.s); err != nil {
		panic(fmt.Sprintf("doctortest: write built snapshot: %v", err))
	}
	s, err := host.LoadSnapshot(&buf)
	if err != nil {
		panic(fmt.Sprintf("doctortest: built snapshot is invalid: %v", err))
	}
	return s
}

// Host returns a replaying host for the snapshot built so far.
func (b *SnapBuilder) Host() *host.SnapshotHost { return host.NewSnapshotHost(b.Snapshot()) }

func deepCopy(dst, src *host.Snapshot) {
	data, err := json.Marshal(src)
	if err != nil {
		panic(fmt.Sprintf("doctortest: copy snapshot: %v", err))
	}
	if err := json.Unmarshal(data, dst); err != nil {
		panic(fmt.Sprintf("doctortest: copy snapshot: %v", err))
	}
}
