package host

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeHost is a deterministic in-memory machine for recorder tests.
type fakeHost struct {
	facts    Facts
	now      time.Time
	env      map[string]string // by EnvIndexKey
	stores   map[string][]Certificate
	storeErr map[string]error
	regs     map[string]RegKey // by RegIndexKey
	regErr   map[string]error
	files    map[string]*fakeFile   // by FileIndexKey
	cmds     map[string]fakeCmd     // by CommandKey
	chains   map[string]ChainStatus // by chainStatusKey
	calls    int
	mu       sync.Mutex
}

type fakeFile struct {
	dir     bool
	content []byte
	entries []FileInfo
	readErr error
	statErr string // Stat cannot tell whether the path exists
}

type fakeCmd struct {
	res CommandResult
	err error
}

func fakeCert(seed string) Certificate {
	der := []byte("DER of " + seed)
	sum := sha1.Sum(der)
	return Certificate{SHA1: strings.ToUpper(hex.EncodeToString(sum[:])), DER: der}
}

func newFakeHost(goos string) *fakeHost {
	h := &fakeHost{
		facts: Facts{OS: goos, Arch: "amd64", Version: "10.0.19045", Hostname: "ws", User: "u",
			TimeZone: "Europe/Moscow", UTCOffsetSeconds: 10800},
		now:      time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC),
		env:      map[string]string{},
		stores:   map[string][]Certificate{},
		storeErr: map[string]error{},
		regs:     map[string]RegKey{},
		regErr:   map[string]error{},
		files:    map[string]*fakeFile{},
		cmds:     map[string]fakeCmd{},
		chains:   map[string]ChainStatus{},
	}
	h.env[EnvIndexKey(goos, "APPDATA")] = `C:\Users\u\AppData\Roaming`
	h.env[EnvIndexKey(goos, "EMPTY")] = ""
	leaf := fakeCert("leaf")
	leaf.Key = &KeyLink{Container: `\\.\HDIMAGE\k`, ProvType: 80, KeySpec: 1}
	h.stores[storeKey(CurrentUser, StoreMy)] = []Certificate{leaf}
	h.stores[storeKey(LocalMachine, StoreRoot)] = []Certificate{fakeCert("root1"), fakeCert("root2")}
	h.stores[storeKey(LocalMachine, StoreCA)] = []Certificate{{SHA1: strings.Repeat("0A", 20), Error: "blob has no certificate property"}}
	h.storeErr[storeKey(CurrentUser, StoreCA)] = errors.New("read store CurrentUser\\CA: access denied")
	h.regs[RegIndexKey(`HKLM\SOFTWARE\Crypto Pro`, RegViewDefault)] = RegKey{Exists: true, SubKeys: []string{"Settings"}}
	h.regs[RegIndexKey(`HKLM\SOFTWARE\Crypto Pro\Settings`, RegViewDefault)] = RegKey{Exists: true, Values: []RegValue{
		{Name: "Version", Type: RegSZ, String: "5.0.13000"},
		{Name: "Flags", Type: RegDWORD, Integer: 7},
		{Name: "List", Type: RegMultiSZ, Strings: []string{"a", "b"}},
		{Name: "Blob", Type: RegBinary, Binary: []byte{1, 2, 3}},
	}}
	h.regs[RegIndexKey(`HKLM\SOFTWARE\Classes\CAPICOM.Utilities`, RegView32)] = RegKey{Exists: true, Error: "open key: Access is denied."}
	h.regErr[RegIndexKey(`HKLM\SOFTWARE\Broken`, RegViewDefault)] = errors.New(`read registry key HKLM\SOFTWARE\Broken: The handle is invalid.`)
	sep, root := "/", "/etc/opt/cprocsp"
	if goos == "windows" {
		sep, root = `\`, `C:\ProgramData\Crypto Pro`
	}
	h.files[FileIndexKey(goos, root)] = &fakeFile{dir: true, entries: []FileInfo{
		{Path: root + sep + "config.ini", Name: "config.ini", Exists: true, Size: 11},
		{Path: root + sep + "sub", Name: "sub", Exists: true, IsDir: true},
	}}
	h.files[FileIndexKey(goos, root+sep+"config.ini")] = &fakeFile{content: []byte("hello world")}
	h.files[FileIndexKey(goos, root+sep+"five")] = &fakeFile{content: []byte("12345")}
	h.files[FileIndexKey(goos, root+sep+"empty")] = &fakeFile{content: []byte{}}
	h.files[FileIndexKey(goos, root+sep+"cp1251")] = &fakeFile{content: []byte{0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2}}
	h.files[FileIndexKey(goos, root+sep+"secret")] = &fakeFile{readErr: errors.New("permission denied")}
	h.files[FileIndexKey(goos, root+sep+"sub")] = &fakeFile{dir: true}
	h.files[FileIndexKey(goos, root+sep+"locked")] = &fakeFile{dir: true, readErr: errors.New("permission denied")}
	h.files[FileIndexKey(goos, root+sep+"unknown")] = &fakeFile{statErr: "stat: permission denied"}
	h.cmds[CommandKey([]string{"csptest", "-keyset", "-verifycontext"})] = fakeCmd{res: CommandResult{Stdout: []byte("CSP (Type:80) v5.0.10013 KC1 Release Ver:5.0.13000\n"), ExitCode: 0}}
	h.cmds[CommandKey([]string{"certmgr", "-list"})] = fakeCmd{res: CommandResult{Stdout: []byte{0xce, 0xf8, 0xe8, 0xe1, 0xea, 0xe0}, Stderr: []byte("warn"), ExitCode: 1, Truncated: true}}
	h.chains[chainStatusKey(CurrentUser, StoreMy, leaf.SHA1)] = ChainStatus{TrustErrorStatus: TrustIsNotSignatureValid, TrustInfoStatus: 0x100, ChainLength: 3}
	h.chains[chainStatusKey(LocalMachine, StoreRoot, fakeCert("root1").SHA1)] = ChainStatus{ChainLength: 1}
	h.cmds[CommandKey([]string{"slow"})] = fakeCmd{res: CommandResult{ExitCode: -1, TimedOut: true}}
	h.cmds[CommandKey([]string{"broken"})] = fakeCmd{err: errors.New("run broken: exec format error")}
	return h
}

func (h *fakeHost) count() {
	h.mu.Lock()
	h.calls++
	h.mu.Unlock()
}

func (h *fakeHost) Facts() Facts   { return h.facts }
func (h *fakeHost) Now() time.Time { return h.now }

func (h *fakeHost) LookupEnv(name string) (string, bool) {
	h.count()
	v, ok := h.env[EnvIndexKey(h.facts.OS, name)]
	return v, ok
}

func (h *fakeHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	h.count()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := h.storeErr[storeKey(loc, store)]; err != nil {
		return nil, err
	}
	return append([]Certificate(nil), h.stores[storeKey(loc, store)]...), nil
}

func (h *fakeHost) RegistryKey(ctx context.Context, p string, view RegView) (RegKey, error) {
	h.count()
	if h.facts.OS != "windows" {
		return RegKey{}, fmt.Errorf("read registry key %s: %w", p, ErrNotSupported)
	}
	if err := ctx.Err(); err != nil {
		return RegKey{}, err
	}
	if err := h.regErr[RegIndexKey(p, view)]; err != nil {
		return RegKey{Path: p, View: view}, err
	}
	k, ok := h.regs[RegIndexKey(p, view)]
	if !ok {
		return RegKey{Path: p, View: view}, nil
	}
	k.Path, k.View = p, view
	return k, nil
}

func (h *fakeHost) Stat(ctx context.Context, p string) (FileInfo, error) {
	h.count()
	f, ok := h.files[FileIndexKey(h.facts.OS, p)]
	switch {
	case !ok:
		return FileInfo{Path: p}, nil
	case f.statErr != "":
		return FileInfo{Path: p, Error: f.statErr}, nil
	}
	return FileInfo{Path: p, Name: baseName(h.facts.OS, p), Exists: true, IsDir: f.dir, Size: int64(len(f.content)),
		ModTime: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}, nil
}

func (h *fakeHost) ReadFile(ctx context.Context, p string, limit int64) ([]byte, error) {
	h.count()
	if limit <= 0 {
		limit = DefaultReadLimit
	}
	f, ok := h.files[FileIndexKey(h.facts.OS, p)]
	switch {
	case !ok:
		return nil, fmt.Errorf("read %s: %w", p, ErrFileNotFound)
	case f.readErr != nil:
		return nil, fmt.Errorf("read %s: %w", p, f.readErr)
	case f.dir:
		return nil, fmt.Errorf("read %s: is a directory", p)
	}
	c := f.content
	if int64(len(c)) > limit {
		c = c[:limit]
	}
	return append([]byte(nil), c...), nil
}

func (h *fakeHost) ReadDir(ctx context.Context, p string) ([]FileInfo, error) {
	h.count()
	f, ok := h.files[FileIndexKey(h.facts.OS, p)]
	switch {
	case !ok:
		return nil, fmt.Errorf("list %s: %w", p, ErrFileNotFound)
	case f.readErr != nil:
		return nil, fmt.Errorf("list %s: %w", p, f.readErr)
	case !f.dir:
		return nil, fmt.Errorf("list %s: not a directory", p)
	}
	return append([]FileInfo(nil), f.entries...), nil
}

func (h *fakeHost) Run(ctx context.Context, cmd Command) (CommandResult, error) {
	h.count()
	if err := ctx.Err(); err != nil {
		return CommandResult{}, err
	}
	c, ok := h.cmds[CommandKey(cmd.Argv)]
	if !ok {
		return CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], ErrCommandNotFound)
	}
	return c.res, c.err
}

func (h *fakeHost) ChainStatus(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (ChainStatus, error) {
	h.count()
	if h.facts.OS != "windows" {
		return ChainStatus{}, fmt.Errorf("build chain of %s: %w", sha1, ErrNotSupported)
	}
	if err := ctx.Err(); err != nil {
		return ChainStatus{}, err
	}
	c, ok := h.chains[chainStatusKey(loc, store, sha1)]
	if !ok {
		c = ChainStatus{Error: "the certificate is not in the store"}
	}
	c.SHA1, c.Location, c.Store = strings.ToUpper(sha1), loc, store
	return c, nil
}

// question is one call on a Host; ask returns a canonical form of the
// answer for comparison.
type question struct {
	name string
	ask  func(ctx context.Context, h Host) string
}

func errClass(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrNotRecorded):
		return "NOT-RECORDED " + err.Error()
	case errors.Is(err, ErrFileNotFound):
		return "file-not-found"
	case errors.Is(err, ErrCommandNotFound):
		return "command-not-found"
	case errors.Is(err, ErrNotSupported):
		return "not-supported"
	}
	return "error: " + err.Error()
}

func canon(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return strings.ReplaceAll(string(b), "null", "[]")
}

// questions returns the pool of questions for a fake host of goos, with
// spelling variants the replay must match the way the live host does.
func questions(goos string) []question {
	var qs []question
	add := func(name string, ask func(ctx context.Context, h Host) string) {
		qs = append(qs, question{name, ask})
	}
	for _, n := range []string{"APPDATA", "appdata", "EMPTY", "UNSET"} {
		n := n
		add("env "+n, func(ctx context.Context, h Host) string {
			v, ok := h.LookupEnv(n)
			return fmt.Sprintf("%q %v", v, ok)
		})
	}
	for _, loc := range Locations {
		for _, st := range append(append([]StoreName(nil), CoreStores...), StoreAuthRoot) {
			loc, st := loc, st
			add(fmt.Sprintf("store %s\\%s", loc, st), func(ctx context.Context, h Host) string {
				c, err := h.Certificates(ctx, loc, st)
				return canon(c) + " " + errClass(err)
			})
		}
	}
	for _, k := range []struct {
		p string
		v RegView
	}{
		{`HKLM\SOFTWARE\Crypto Pro`, RegViewDefault},
		{`HKEY_LOCAL_MACHINE\software\crypto pro\`, RegViewDefault},
		{`HKLM\SOFTWARE\Crypto Pro\Settings`, RegViewDefault},
		{`HKLM\SOFTWARE\Crypto Pro\Settings`, RegView32},
		{`HKLM\SOFTWARE\Missing`, RegViewDefault},
		{`HKLM\SOFTWARE\Missing\Child`, RegViewDefault},
		{`HKLM\SOFTWARE\Classes\CAPICOM.Utilities`, RegView32},
		{`HKLM\SOFTWARE\Broken`, RegViewDefault},
	} {
		k := k
		add("reg "+k.p+" "+string(k.v), func(ctx context.Context, h Host) string {
			key, err := h.RegistryKey(ctx, k.p, k.v)
			key.Path = "" // replay keeps the first spelling
			return canon(key) + " " + errClass(err)
		})
	}
	sep, root := "/", "/etc/opt/cprocsp"
	if goos == "windows" {
		sep, root = `\`, `C:\ProgramData\Crypto Pro`
	}
	files := []string{"config.ini", "five", "empty", "cp1251", "secret", "nothere", "nothere" + sep + "deeper"}
	dirs := []string{"", "sub", "locked", "gone"}
	for _, f := range append(append([]string(nil), files...), "unknown", "sub") {
		p := root + sep + f
		add("stat "+p, func(ctx context.Context, h Host) string {
			fi, err := h.Stat(ctx, p)
			return canon(fi) + " " + errClass(err)
		})
	}
	for _, f := range files {
		for _, limit := range []int64{0, 3, 5, 100} {
			p, limit := root+sep+f, limit
			if goos == "windows" && limit == 3 {
				p = strings.ToUpper(p)
			}
			add(fmt.Sprintf("read %s %d", p, limit), func(ctx context.Context, h Host) string {
				b, err := h.ReadFile(ctx, p, limit)
				return fmt.Sprintf("%q %s", b, errClass(err))
			})
		}
	}
	for _, d := range dirs {
		p := root
		if d != "" {
			p = root + sep + d
		}
		add("list "+p, func(ctx context.Context, h Host) string {
			e, err := h.ReadDir(ctx, p)
			return canon(e) + " " + errClass(err)
		})
	}
	for _, argv := range [][]string{
		{"csptest", "-keyset", "-verifycontext"}, {"certmgr", "-list"}, {"slow"}, {"broken"}, {"nosuchtool", "-v"},
	} {
		argv := argv
		add("run "+strings.Join(argv, " "), func(ctx context.Context, h Host) string {
			r, err := h.Run(ctx, Command{Argv: argv})
			return fmt.Sprintf("%q %q %d %v %v %s", r.Stdout, r.Stderr, r.ExitCode, r.TimedOut, r.Truncated, errClass(err))
		})
	}
	leaf := fakeCert("leaf").SHA1
	for _, q := range []struct {
		loc   StoreLocation
		store StoreName
		sha1  string
	}{
		{CurrentUser, StoreMy, leaf},
		{CurrentUser, "my", strings.ToLower(leaf)},
		{LocalMachine, StoreRoot, fakeCert("root1").SHA1},
		{LocalMachine, StoreMy, leaf},
	} {
		q := q
		add(fmt.Sprintf("chain %s\\%s %s", q.loc, q.store, q.sha1), func(ctx context.Context, h Host) string {
			c, err := h.ChainStatus(ctx, q.loc, q.store, q.sha1)
			c.SHA1, c.Store = strings.ToUpper(c.SHA1), StoreName(strings.ToUpper(string(c.Store)))
			return canon(c) + " " + errClass(err)
		})
	}
	return append(qs, netQuestions()...)
}

// replay writes the recorder's snapshot to JSON, loads it back and returns
// a host replaying it, failing the test on any error.
func replay(t *testing.T, r *Recorder) *SnapshotHost {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, r.Snapshot("test")); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSnapshot(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	return NewSnapshotHost(s)
}

// TestRecorderReplaysIdentically is the recorder's contract: whatever
// sequence of questions the checks ask, the recorded snapshot answers the
// same questions with the same answers.
func TestRecorderReplaysIdentically(t *testing.T) {
	for _, goos := range []string{"windows", "linux"} {
		qs := questions(goos)
		rng := rand.New(rand.NewSource(1))
		for round := 0; round < 200; round++ {
			n := 1 + rng.Intn(40)
			seq := make([]int, n)
			for i := range seq {
				seq[i] = rng.Intn(len(qs))
			}
			if round == 0 { // every question once
				seq = seq[:0]
				for i := range qs {
					seq = append(seq, i)
				}
			}
			ctx := context.Background()
			rec := NewRecorder(newFakeHost(goos))
			live := make([]string, len(seq))
			for i, qi := range seq {
				live[i] = qs[qi].ask(ctx, rec)
			}
			h := replay(t, rec)
			for i, qi := range seq {
				if got := qs[qi].ask(ctx, h); got != live[i] {
					t.Fatalf("%s round %d, question %d (%s):\nlive   %s\nreplay %s", goos, round, i, qs[qi].name, live[i], got)
				}
			}
			if !h.Now().Equal(rec.Now()) || canon(h.Facts()) != canon(rec.Facts()) {
				t.Fatalf("%s: clock or facts differ", goos)
			}
		}
	}
}

func TestRecorderRecordsAbsenceAsAnswers(t *testing.T) {
	ctx := context.Background()
	rec := NewRecorder(newFakeHost("windows"))
	rec.LookupEnv("UNSET")
	rec.Stat(ctx, `C:\nothere`)
	rec.RegistryKey(ctx, `HKLM\SOFTWARE\Missing`, RegViewDefault)
	rec.Run(ctx, Command{Argv: []string{"nosuchtool"}})
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, rec.Snapshot("1.2.3")); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	for _, want := range []string{
		`"UNSET": null`,
		`"path": "C:\\nothere",` + "\n      \"exists\": false",
		`"path": "HKLM\\SOFTWARE\\Missing",` + "\n      \"exists\": false",
		`"not_found": true`,
		`"tool_version": "1.2.3"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("snapshot lacks %q:\n%s", want, doc)
		}
	}
	// A key below the recorded missing key is missing on replay too.
	h := replay(t, rec)
	k, err := h.RegistryKey(ctx, `HKLM\SOFTWARE\Missing\Child`, RegViewDefault)
	if err != nil || k.Exists {
		t.Errorf("child of a missing key: %+v, %v", k, err)
	}
}

func TestRecorderSkipsNonAnswers(t *testing.T) {
	// Registry off Windows: not recorded (the replay says not supported).
	rec := NewRecorder(newFakeHost("linux"))
	if _, err := rec.RegistryKey(context.Background(), `HKLM\SOFTWARE\Crypto Pro`, RegViewDefault); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("err = %v", err)
	}
	if n := len(rec.Snapshot("").Registry); n != 0 {
		t.Errorf("recorded %d registry keys off Windows", n)
	}
	// A cancelled caller: nothing recorded.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec = NewRecorder(newFakeHost("windows"))
	rec.Certificates(ctx, CurrentUser, StoreMy)
	rec.Run(ctx, Command{Argv: []string{"slow"}})
	rec.RegistryKey(ctx, `HKLM\SOFTWARE\Crypto Pro`, RegViewDefault)
	rec.ReadFile(ctx, `C:\ProgramData\Crypto Pro\five`, 0)
	s := rec.Snapshot("")
	if len(s.CertStores)+len(s.Commands)+len(s.Registry)+len(s.Files) != 0 {
		t.Errorf("recorded answers to a cancelled caller: %+v", s)
	}
	// ErrNotRecorded from a wrapped snapshot host: not recorded.
	inner := NewSnapshotHost(&Snapshot{SnapshotVersion: SnapshotVersion, CollectedAt: time.Now(), Facts: Facts{OS: "windows"}})
	rec = NewRecorder(inner)
	rec.Certificates(context.Background(), CurrentUser, StoreMy)
	rec.Stat(context.Background(), `C:\x`)
	rec.Run(context.Background(), Command{Argv: []string{"x"}})
	s = rec.Snapshot("")
	if len(s.CertStores)+len(s.Commands)+len(s.Files) != 0 {
		t.Errorf("recorded ErrNotRecorded answers: %+v", s)
	}
	// Empty questions are forwarded but not recorded (they would make an
	// invalid snapshot).
	rec = NewRecorder(newFakeHost("windows"))
	rec.Stat(context.Background(), "")
	rec.ReadFile(context.Background(), "", 0)
	rec.LookupEnv("")
	if err := rec.Snapshot("").Validate(); err != nil {
		t.Error(err)
	}
}

func TestRecorderContentLimit(t *testing.T) {
	ctx := context.Background()
	rec := NewRecorder(newFakeHost("linux"))
	const p = "/etc/opt/cprocsp/config.ini"
	if b, _ := rec.ReadFile(ctx, p, 5); string(b) != "hello" {
		t.Fatalf("read %q", b)
	}
	s := rec.Snapshot("")
	if len(s.Files) != 1 || s.Files[0].ContentLimit != 5 || string(s.Files[0].Content) != "hello" {
		t.Fatalf("files = %+v", s.Files)
	}
	h := replay(t, rec)
	if _, err := h.ReadFile(ctx, p, 100); !errors.Is(err, ErrNotRecorded) {
		t.Errorf("replay beyond the recorded limit: %v, want ErrNotRecorded", err)
	}
	// Reading the whole file later replaces the cut content.
	rec.ReadFile(ctx, p, 0)
	rec.ReadFile(ctx, p, 2)
	s = rec.Snapshot("")
	if s.Files[0].ContentLimit != 0 || string(s.Files[0].Content) != "hello world" {
		t.Fatalf("files = %+v", s.Files)
	}
}

func TestRecordStores(t *testing.T) {
	f := newFakeHost("windows")
	rec := NewRecorder(f)
	err := rec.RecordStores(context.Background())
	if err == nil || !strings.Contains(err.Error(), `CurrentUser\CA`) {
		t.Errorf("RecordStores error = %v, want the CurrentUser\\CA failure", err)
	}
	s := rec.Snapshot("")
	if len(s.CertStores) != 6 {
		t.Fatalf("recorded %d stores, want 6", len(s.CertStores))
	}
	i := 0
	for _, loc := range Locations {
		for _, st := range CoreStores {
			got := s.CertStores[i]
			if got.Location != loc || got.Store != st {
				t.Errorf("store %d is %s\\%s, want %s\\%s", i, got.Location, got.Store, loc, st)
			}
			i++
		}
	}
	if s.CertStores[1].Error == "" || len(s.CertStores[2].Certificates) != 1 || s.CertStores[2].Certificates[0].Key == nil {
		t.Errorf("stores = %+v", s.CertStores)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewRecorder(f).RecordStores(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled RecordStores: %v", err)
	}
}

func TestRecorderFixesThumbprints(t *testing.T) {
	f := newFakeHost("windows")
	c := fakeCert("x")
	c.SHA1 = strings.ToLower(strings.Repeat("ab", 20))
	f.stores[storeKey(CurrentUser, StoreRoot)] = []Certificate{c}
	rec := NewRecorder(f)
	rec.Certificates(context.Background(), CurrentUser, StoreRoot)
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, rec.Snapshot("")); err != nil {
		t.Fatalf("a wrong thumbprint from a back end made the snapshot unwritable: %v", err)
	}
	if got := rec.Snapshot("").CertStores[0].Certificates[0].SHA1; got != fakeCert("x").SHA1 {
		t.Errorf("thumbprint %s, want %s", got, fakeCert("x").SHA1)
	}
}

func TestRecorderIsSafeForConcurrentUse(t *testing.T) {
	qs := questions("windows")
	rec := NewRecorder(newFakeHost("windows"))
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < len(qs); i++ {
				qs[(i+g*7)%len(qs)].ask(context.Background(), rec)
				if i%10 == 0 {
					rec.Snapshot("")
				}
			}
		}(g)
	}
	wg.Wait()
	h := replay(t, rec)
	// Every question was asked, so every question replays.
	for _, q := range qs {
		if got, want := q.ask(context.Background(), h), q.ask(context.Background(), newFakeHost("windows")); got != want {
			t.Errorf("%s:\nlive   %s\nreplay %s", q.name, want, got)
		}
	}
}
