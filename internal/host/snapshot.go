package host

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// SnapshotVersion is the version of the snapshot document this build writes
// and reads. Bump it on incompatible changes.
const SnapshotVersion = 1

// Snapshot is a JSON record of a workstation: everything the checks asked a
// live host, with the answers. It is both the helpdesk's remote-diagnosis
// format (`collect` writes it, `check --snapshot` replays it) and the fixture
// format of the tests (testdata/workstations/*.json).
type Snapshot struct {
	SnapshotVersion int       `json:"snapshot_version"`
	ToolVersion     string    `json:"tool_version,omitempty"`
	CollectedAt     time.Time `json:"collected_at"`
	Facts
	// Env maps variable names to values; a recorded absent variable is null.
	Env        map[string]*string `json:"env,omitempty"`
	CertStores []SnapStore        `json:"cert_stores,omitempty"`
	Registry   []RegKey           `json:"registry,omitempty"`
	Files      []SnapFile         `json:"files,omitempty"`
	Commands   []SnapCommand      `json:"commands,omitempty"`
	// ChainStatus holds CryptoAPI's chain verdicts (Windows only). The
	// section was added after snapshot_version 1 was published; it is
	// optional, and a snapshot made before it simply lacks it (every
	// ChainStatus question then replays as ErrNotRecorded).
	ChainStatus []ChainStatus `json:"chain_status,omitempty"`
	// Network holds the answers of network questions (HTTP, DNS, TCP,
	// TLS; see net.go). Optional, like chain_status: a snapshot without it
	// replays every network question as ErrNotRecorded.
	Network *SnapNetwork `json:"network,omitempty"`
}

// SnapStore is one recorded certificate store.
type SnapStore struct {
	Location     StoreLocation `json:"location"`
	Store        StoreName     `json:"store"`
	Certificates []Certificate `json:"certificates"`
	// Error is a store-level failure (unrecognised format, access denied);
	// replaying it returns an error with this text.
	Error string `json:"error,omitempty"`
}

// SnapFile is one recorded path: what Stat said, and, when the checks read
// it, its content (ReadFile) or its entries (ReadDir).
type SnapFile struct {
	FileInfo
	// Content holds what ReadFile returned (base64 in JSON); nil when the
	// file was not read.
	Content []byte `json:"content,omitempty"`
	// ContentRead is true when Content was recorded (an empty file has
	// ContentRead and no Content).
	ContentRead bool `json:"content_read,omitempty"`
	// ContentLimit is the limit the content was read with when it was cut
	// short; 0 means Content is the whole file.
	ContentLimit int64 `json:"content_limit,omitempty"`
	// Entries lists a directory read with ReadDir; nil when not listed.
	Entries []FileInfo `json:"entries,omitempty"`
	// Listed is true when Entries was recorded (an empty directory has
	// Listed and no Entries).
	Listed bool `json:"listed,omitempty"`
	// ReadError is the error ReadFile or ReadDir returned, if any.
	ReadError string `json:"read_error,omitempty"`
}

// SnapCommand is one recorded command run. Output that is valid UTF-8 is
// stored as text in Stdout/Stderr, anything else (cp1251 tool output) as
// base64 in StdoutBase64/StderrBase64.
type SnapCommand struct {
	Argv         []string `json:"argv"`
	Stdout       string   `json:"stdout,omitempty"`
	StdoutBase64 []byte   `json:"stdout_base64,omitempty"`
	Stderr       string   `json:"stderr,omitempty"`
	StderrBase64 []byte   `json:"stderr_base64,omitempty"`
	ExitCode     int      `json:"exit_code"`
	TimedOut     bool     `json:"timed_out,omitempty"`
	Truncated    bool     `json:"truncated,omitempty"`
	// Error is set when the command could not be started; NotFound when its
	// executable does not exist.
	Error    string `json:"error,omitempty"`
	NotFound bool   `json:"not_found,omitempty"`
	// NotRun is set when the back end runs no programs (collect --root:
	// the inspected disk's programs are never executed); replayed as
	// ErrNoExec.
	NotRun bool `json:"not_run,omitempty"`
}

// SetOutput stores stdout and stderr in the text or base64 field as fits.
func (c *SnapCommand) SetOutput(stdout, stderr []byte) {
	c.Stdout, c.StdoutBase64 = "", nil
	c.Stderr, c.StderrBase64 = "", nil
	if utf8.Valid(stdout) {
		c.Stdout = string(stdout)
	} else {
		c.StdoutBase64 = append([]byte(nil), stdout...)
	}
	if utf8.Valid(stderr) {
		c.Stderr = string(stderr)
	} else {
		c.StderrBase64 = append([]byte(nil), stderr...)
	}
}

// Output returns stdout and stderr as bytes.
func (c *SnapCommand) Output() (stdout, stderr []byte) {
	stdout, stderr = []byte(c.Stdout), []byte(c.Stderr)
	if c.StdoutBase64 != nil {
		stdout = c.StdoutBase64
	}
	if c.StderrBase64 != nil {
		stderr = c.StderrBase64
	}
	return stdout, stderr
}

// CommandKey is how commands are matched between recording and replay.
func CommandKey(argv []string) string { return strings.Join(argv, "\x00") }

// SnapshotHost replays a Snapshot. Anything not recorded is an error
// wrapping ErrNotRecorded, never "absent".
type SnapshotHost struct {
	snap *Snapshot
	once sync.Once
	// indexes, built lazily
	regs  map[string]*RegKey
	files map[string]*SnapFile
	cmds  map[string]*SnapCommand
	env   map[string]*string
	chain map[string]*ChainStatus
	net   netIndex
}

// NewSnapshotHost returns a Host that answers from snap. snap must not be
// changed afterwards.
func NewSnapshotHost(snap *Snapshot) *SnapshotHost { return &SnapshotHost{snap: snap} }

// Snapshot returns the replayed document.
func (h *SnapshotHost) Snapshot() *Snapshot { return h.snap }

func (h *SnapshotHost) index() {
	h.once.Do(func() {
		s := h.snap
		h.regs = map[string]*RegKey{}
		for i := range s.Registry {
			k := &s.Registry[i]
			h.regs[RegIndexKey(k.Path, k.View)] = k
		}
		h.files = map[string]*SnapFile{}
		for i := range s.Files {
			f := &s.Files[i]
			h.files[FileIndexKey(s.OS, f.Path)] = f
		}
		h.cmds = map[string]*SnapCommand{}
		for i := range s.Commands {
			c := &s.Commands[i]
			h.cmds[CommandKey(c.Argv)] = c
		}
		h.env = map[string]*string{}
		for k, v := range s.Env {
			h.env[EnvIndexKey(s.OS, k)] = v
		}
		h.chain = map[string]*ChainStatus{}
		for i := range s.ChainStatus {
			c := &s.ChainStatus[i]
			h.chain[chainStatusKey(c.Location, c.Store, c.SHA1)] = c
		}
		h.net = newNetIndex(s.Network)
	})
}

// RegIndexKey normalises a registry path and view for lookups: registry
// paths are case-insensitive, root aliases are expanded, and separators are
// single backslashes.
func RegIndexKey(p string, view RegView) string {
	p = NormalizeRegPath(p)
	return strings.ToUpper(p) + "|" + string(view)
}

// NormalizeRegPath expands root aliases (HKEY_LOCAL_MACHINE → HKLM …) and
// collapses repeated and trailing backslashes.
func NormalizeRegPath(p string) string {
	p = strings.ReplaceAll(p, "/", `\`)
	for strings.Contains(p, `\\`) {
		p = strings.ReplaceAll(p, `\\`, `\`)
	}
	p = strings.Trim(p, `\`)
	root, rest := p, ""
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		root, rest = p[:i], p[i:]
	}
	switch strings.ToUpper(root) {
	case "HKEY_LOCAL_MACHINE", "HKLM":
		root = "HKLM"
	case "HKEY_CURRENT_USER", "HKCU":
		root = "HKCU"
	case "HKEY_CLASSES_ROOT", "HKCR":
		root = "HKCR"
	case "HKEY_USERS", "HKU":
		root = "HKU"
	case "HKEY_CURRENT_CONFIG", "HKCC":
		root = "HKCC"
	}
	return root + rest
}

// FileIndexKey normalises a path for lookups: case-insensitive with
// backslashes on Windows, cleaned on other systems.
func FileIndexKey(goos, p string) string {
	if goos == "windows" {
		p = strings.ReplaceAll(p, "/", `\`)
		for strings.Contains(p, `\\`) && !strings.HasPrefix(p, `\\`) {
			p = strings.ReplaceAll(p, `\\`, `\`)
		}
		return strings.ToUpper(strings.TrimRight(p, `\`))
	}
	return path.Clean(p)
}

// EnvIndexKey normalises an environment variable name (case-insensitive on
// Windows).
func EnvIndexKey(goos, name string) string {
	if goos == "windows" {
		return strings.ToUpper(name)
	}
	return name
}

func notRecorded(what string) error { return fmt.Errorf("%s: %w", what, ErrNotRecorded) }

// Facts implements Host.
func (h *SnapshotHost) Facts() Facts { return h.snap.Facts }

// Now implements Host: the moment the snapshot was collected.
func (h *SnapshotHost) Now() time.Time { return h.snap.CollectedAt }

// LookupEnv implements Host. A variable the snapshot did not record is
// reported as unset; use EnvRecorded to tell the two apart.
func (h *SnapshotHost) LookupEnv(name string) (string, bool) {
	h.index()
	v, ok := h.env[EnvIndexKey(h.snap.OS, name)]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

// EnvRecorded reports whether the snapshot recorded the variable at all.
func (h *SnapshotHost) EnvRecorded(name string) bool {
	h.index()
	_, ok := h.env[EnvIndexKey(h.snap.OS, name)]
	return ok
}

// Certificates implements Host.
func (h *SnapshotHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	for _, s := range h.snap.CertStores {
		if strings.EqualFold(string(s.Location), string(loc)) && strings.EqualFold(string(s.Store), string(store)) {
			if s.Error != "" {
				return nil, fmt.Errorf("read store %s\\%s: %s", loc, store, s.Error)
			}
			return append([]Certificate(nil), s.Certificates...), nil
		}
	}
	return nil, notRecorded(fmt.Sprintf("certificate store %s\\%s", loc, store))
}

// RegistryKey implements Host.
func (h *SnapshotHost) RegistryKey(ctx context.Context, p string, view RegView) (RegKey, error) {
	if h.snap.OS != "windows" {
		return RegKey{}, fmt.Errorf("read registry key %s: %w", p, ErrNotSupported)
	}
	h.index()
	if k, ok := h.regs[RegIndexKey(p, view)]; ok {
		if !k.Exists && k.Error != "" {
			// The recorder's form of a key that could not be read at all.
			return RegKey{}, fmt.Errorf("read registry key %s: %s", p, k.Error)
		}
		return *k, nil
	}
	// A key below a recorded missing key is missing too.
	norm := NormalizeRegPath(p)
	for parent := norm; ; {
		i := strings.LastIndexByte(parent, '\\')
		if i < 0 {
			break
		}
		parent = parent[:i]
		if k, ok := h.regs[RegIndexKey(parent, view)]; ok && !k.Exists && k.Error == "" {
			return RegKey{Path: p, View: view, Exists: false}, nil
		}
	}
	return RegKey{}, notRecorded(fmt.Sprintf("registry key %s (view %q)", p, view))
}

func (h *SnapshotHost) file(p string) (*SnapFile, bool) {
	h.index()
	f, ok := h.files[FileIndexKey(h.snap.OS, p)]
	return f, ok
}

// Stat implements Host.
func (h *SnapshotHost) Stat(ctx context.Context, p string) (FileInfo, error) {
	if f, ok := h.file(p); ok {
		fi := f.FileInfo
		fi.Path = p
		return fi, nil
	}
	// A path below a recorded missing directory is missing too.
	if h.parentMissing(p) {
		return FileInfo{Path: p}, nil
	}
	return FileInfo{}, notRecorded("file " + p)
}

func (h *SnapshotHost) parentMissing(p string) bool {
	sep := "/"
	if h.snap.OS == "windows" {
		sep = `\`
		p = strings.ReplaceAll(p, "/", `\`)
	}
	for {
		i := strings.LastIndex(p, sep)
		if i <= 0 {
			return false
		}
		p = p[:i]
		if f, ok := h.file(p); ok {
			return !f.Exists
		}
	}
}

// ReadFile implements Host.
func (h *SnapshotHost) ReadFile(ctx context.Context, p string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultReadLimit
	}
	f, ok := h.file(p)
	if !ok {
		if h.parentMissing(p) {
			return nil, fmt.Errorf("read %s: %w", p, ErrFileNotFound)
		}
		return nil, notRecorded("content of file " + p)
	}
	if !f.Exists {
		return nil, fmt.Errorf("read %s: %w", p, ErrFileNotFound)
	}
	if f.ReadError != "" {
		return nil, fmt.Errorf("read %s: %s", p, f.ReadError)
	}
	if !f.ContentRead {
		return nil, notRecorded("content of file " + p)
	}
	if f.ContentLimit > 0 && limit > f.ContentLimit {
		return nil, notRecorded(fmt.Sprintf("content of file %s beyond %d bytes", p, f.ContentLimit))
	}
	c := f.Content
	if int64(len(c)) > limit {
		c = c[:limit]
	}
	return append([]byte(nil), c...), nil
}

// ReadDir implements Host.
func (h *SnapshotHost) ReadDir(ctx context.Context, p string) ([]FileInfo, error) {
	f, ok := h.file(p)
	if !ok {
		if h.parentMissing(p) {
			return nil, fmt.Errorf("list %s: %w", p, ErrFileNotFound)
		}
		return nil, notRecorded("directory " + p)
	}
	if !f.Exists {
		return nil, fmt.Errorf("list %s: %w", p, ErrFileNotFound)
	}
	if f.ReadError != "" {
		return nil, fmt.Errorf("list %s: %s", p, f.ReadError)
	}
	if !f.Listed {
		return nil, notRecorded("directory listing of " + p)
	}
	out := append([]FileInfo(nil), f.Entries...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Run implements Host.
func (h *SnapshotHost) Run(ctx context.Context, cmd Command) (CommandResult, error) {
	h.index()
	c, ok := h.cmds[CommandKey(cmd.Argv)]
	if !ok {
		return CommandResult{}, notRecorded(fmt.Sprintf("command %q", strings.Join(cmd.Argv, " ")))
	}
	if c.NotFound {
		return CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], ErrCommandNotFound)
	}
	if c.NotRun {
		return CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], ErrNoExec)
	}
	if c.Error != "" {
		return CommandResult{}, fmt.Errorf("run %s: %s", cmd.Argv[0], c.Error)
	}
	out, errOut := c.Output()
	return CommandResult{Stdout: out, Stderr: errOut, ExitCode: c.ExitCode, TimedOut: c.TimedOut, Truncated: c.Truncated}, nil
}

// ChainStatus implements Host. Off Windows it is ErrNotSupported, as live;
// on Windows a verdict the snapshot does not hold is ErrNotRecorded.
func (h *SnapshotHost) ChainStatus(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (ChainStatus, error) {
	if h.snap.OS != "windows" {
		return ChainStatus{}, fmt.Errorf("build chain of %s: %w", sha1, ErrNotSupported)
	}
	h.index()
	if c, ok := h.chain[chainStatusKey(loc, store, sha1)]; ok {
		return *c, nil
	}
	return ChainStatus{}, notRecorded(fmt.Sprintf("CryptoAPI chain status of %s in %s\\%s", sha1, loc, store))
}

var _ Host = (*SnapshotHost)(nil)

// PinModTimes sets every recorded modification time (files and directory
// entries) to a day before collected_at. Committed fixtures use it: the real
// times are when a test wrote or checked out the files, which differ on
// every run, and no check reads them.
func (s *Snapshot) PinModTimes() {
	at := s.CollectedAt.Add(-24 * time.Hour)
	for i := range s.Files {
		f := &s.Files[i]
		if !f.ModTime.IsZero() {
			f.ModTime = at
		}
		for j := range f.Entries {
			if !f.Entries[j].ModTime.IsZero() {
				f.Entries[j].ModTime = at
			}
		}
	}
}
