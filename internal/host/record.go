package host

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Recorder is a Host that forwards every question to another Host and
// writes down the answers, so that Snapshot returns a document which,
// replayed with NewSnapshotHost, answers the same questions the same way.
// This is how `gmu-doctor collect` works: run the checks on a Recorder
// around the live host, then write Recorder.Snapshot.
//
// What is recorded, per question (the last answer wins when a question is
// asked twice):
//   - LookupEnv: the value, or null for an unset variable.
//   - Certificates: the store's entries, or the store-level error.
//   - RegistryKey: the key (a missing key as exists:false); other errors as
//     a key with exists:false and the error text. ErrNotSupported (no
//     registry on this OS) is not recorded: a replay of a non-Windows
//     snapshot gives ErrNotSupported by itself.
//   - Stat: the FileInfo; ReadFile and ReadDir: the content or entries, a
//     missing path as exists:false, other errors in read_error. Content cut
//     at the read limit keeps the limit in content_limit, so a replay with
//     a larger limit says "not recorded" instead of returning a short file.
//   - Run: the output and exit status, a missing executable as not_found,
//     other start errors in error.
//   - ChainStatus: the verdict (with its Error, if any); other errors as a
//     verdict with only the error text. ErrNotSupported (off Windows) is
//     not recorded.
//   - HTTPGet, LookupHost, DialTCP, TLSHandshake: the answer, failures
//     (Error, ErrorKind) included; ErrOffline is not recorded.
//
// Answers that are not facts about the machine are never recorded:
// context cancellation and timeouts of the caller, and ErrNotRecorded from
// a wrapped snapshot host. Now and Facts are read once, when the Recorder is
// made, so every check of a collect run sees the same clock as the replay
// will.
//
// A known limit: ReadFile and ReadDir of the same path share one read_error
// field; a path where one fails and the other succeeds replays the error
// for both.
type Recorder struct {
	h     Host
	facts Facts
	now   time.Time

	mu     sync.Mutex
	env    map[string]envAnswer
	stores map[string]*SnapStore
	regs   map[string]*RegKey
	files  map[string]*recFile
	cmds   map[string]*SnapCommand
	chain  map[string]*ChainStatus
	net    recNet
}

type envAnswer struct {
	name  string
	value *string
}

type recFile struct {
	f       SnapFile
	statted bool
}

// NewRecorder returns a Recorder around h. It reads h.Facts and h.Now once.
func NewRecorder(h Host) *Recorder {
	return &Recorder{
		h:      h,
		facts:  h.Facts(),
		now:    h.Now(),
		env:    map[string]envAnswer{},
		stores: map[string]*SnapStore{},
		regs:   map[string]*RegKey{},
		files:  map[string]*recFile{},
		cmds:   map[string]*SnapCommand{},
		chain:  map[string]*ChainStatus{},
	}
}

// Facts implements Host.
func (r *Recorder) Facts() Facts {
	f := r.facts
	f.Errors = append([]string(nil), r.facts.Errors...)
	return f
}

// Now implements Host: the wrapped host's clock when the Recorder was made.
func (r *Recorder) Now() time.Time { return r.now }

// LookupEnv implements Host.
func (r *Recorder) LookupEnv(name string) (string, bool) {
	v, ok := r.h.LookupEnv(name)
	if name == "" {
		return v, ok
	}
	var val *string
	if ok {
		s := v
		val = &s
	}
	key := EnvIndexKey(r.facts.OS, name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, seen := r.env[key]; seen {
		name = old.name
	}
	r.env[key] = envAnswer{name: name, value: val}
	return v, ok
}

// unrecordable reports whether an error is not an answer about the machine.
// A question asked with a cancelled or expired ctx is never recorded, even
// when it got an answer: a live command killed by the caller's deadline
// "succeeds" with a made-up exit status.
func unrecordable(ctx context.Context, err error) bool {
	return ctx.Err() != nil || (err != nil && (errors.Is(err, ErrNotRecorded) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)))
}

func storeKey(loc StoreLocation, store StoreName) string {
	return strings.ToUpper(string(loc)) + "\\" + strings.ToUpper(string(store))
}

// Certificates implements Host.
func (r *Recorder) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	certs, err := r.h.Certificates(ctx, loc, store)
	if loc == "" || store == "" || unrecordable(ctx, err) {
		return certs, err
	}
	rec := &SnapStore{Location: loc, Store: store, Certificates: []Certificate{}}
	if err != nil {
		rec.Error = errorText(err, fmt.Sprintf("read store %s\\%s: ", loc, store))
	} else {
		for _, c := range certs {
			rec.Certificates = append(rec.Certificates, copyCert(c))
		}
	}
	r.mu.Lock()
	r.stores[storeKey(loc, store)] = rec
	r.mu.Unlock()
	return certs, err
}

// copyCert copies an entry; the thumbprint is recomputed from the DER, so
// that the record is consistent even if a back end got it wrong.
func copyCert(c Certificate) Certificate {
	out := c
	out.DER = append([]byte(nil), c.DER...)
	if len(c.DER) == 0 {
		out.DER = nil
	} else {
		sum := sha1.Sum(c.DER)
		out.SHA1 = strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	if c.Key != nil {
		k := *c.Key
		out.Key = &k
	}
	return out
}

// RecordStores reads the six core stores (Locations × CoreStores) through
// the Recorder, so that a snapshot always holds them in full even when no
// check asked. A store that cannot be read is recorded with its error; the
// returned error joins those failures (and a cancelled ctx).
func (r *Recorder) RecordStores(ctx context.Context) error {
	var errs []error
	for _, loc := range Locations {
		for _, st := range CoreStores {
			if ctx.Err() != nil {
				return fmt.Errorf("record certificate stores: %w", ctx.Err())
			}
			if _, err := r.Certificates(ctx, loc, st); err != nil {
				errs = append(errs, fmt.Errorf("record store %s\\%s: %w", loc, st, err))
			}
		}
	}
	return errors.Join(errs...)
}

// RegistryKey implements Host.
func (r *Recorder) RegistryKey(ctx context.Context, p string, view RegView) (RegKey, error) {
	k, err := r.h.RegistryKey(ctx, p, view)
	if strings.Trim(p, `\/ `) == "" || (view != RegViewDefault && view != RegView32 && view != RegView64) {
		return k, err
	}
	if errors.Is(err, ErrNotSupported) || unrecordable(ctx, err) {
		return k, err
	}
	rec := RegKey{Path: p, View: view}
	if err != nil {
		rec.Error = errorText(err, "read registry key "+p+": ")
	} else {
		rec = copyRegKey(k)
		rec.Path, rec.View = p, view
		if !rec.Exists {
			rec.SubKeys, rec.Values = nil, nil
		}
	}
	r.mu.Lock()
	r.regs[RegIndexKey(p, view)] = &rec
	r.mu.Unlock()
	return k, err
}

func copyRegKey(k RegKey) RegKey {
	out := k
	out.SubKeys = append([]string(nil), k.SubKeys...)
	out.Values = make([]RegValue, len(k.Values))
	for i, v := range k.Values {
		v.Strings = append([]string(nil), v.Strings...)
		v.Binary = append([]byte(nil), v.Binary...)
		if len(v.Binary) == 0 {
			v.Binary = nil
		}
		if len(v.Strings) == 0 {
			v.Strings = nil
		}
		out.Values[i] = v
	}
	if len(out.Values) == 0 {
		out.Values = nil
	}
	if len(out.SubKeys) == 0 {
		out.SubKeys = nil
	}
	return out
}

// file returns the record of path p, creating it; r.mu must be held.
func (r *Recorder) file(p string) *recFile {
	key := FileIndexKey(r.facts.OS, p)
	f, ok := r.files[key]
	if !ok {
		f = &recFile{f: SnapFile{FileInfo: FileInfo{Path: p}}}
		r.files[key] = f
	}
	return f
}

// markExists makes sure a path that ReadFile or ReadDir could open is
// recorded as existing (Stat may not have been asked).
func (f *recFile) markExists(p string, dir bool, goos string) {
	if f.statted && f.f.Exists {
		return
	}
	f.f.FileInfo = FileInfo{Path: p, Name: baseName(goos, p), Exists: true, IsDir: dir}
	f.statted = false
}

// markMissing records that the path does not exist.
func (f *recFile) markMissing(p string) {
	f.f = SnapFile{FileInfo: FileInfo{Path: p}}
	f.statted = true
}

// Stat implements Host.
func (r *Recorder) Stat(ctx context.Context, p string) (FileInfo, error) {
	fi, err := r.h.Stat(ctx, p)
	if p == "" || err != nil || unrecordable(ctx, err) {
		return fi, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.file(p)
	if !fi.Exists {
		f.markMissing(p)
		f.f.Error = fi.Error
		return fi, err
	}
	f.f.FileInfo = fi
	f.f.Path = p
	f.statted = true
	return fi, err
}

// ReadFile implements Host.
func (r *Recorder) ReadFile(ctx context.Context, p string, limit int64) ([]byte, error) {
	data, err := r.h.ReadFile(ctx, p, limit)
	if p == "" || unrecordable(ctx, err) {
		return data, err
	}
	if limit <= 0 {
		limit = DefaultReadLimit
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.file(p)
	switch {
	case errors.Is(err, ErrFileNotFound):
		f.markMissing(p)
	case err != nil:
		f.markExists(p, f.f.IsDir, r.facts.OS)
		f.f.ReadError = errorText(err, "read "+p+": ")
	default:
		f.markExists(p, false, r.facts.OS)
		cut := int64(0)
		if int64(len(data)) >= limit {
			cut = limit
		}
		// Keep the most complete content: the whole file beats a cut one,
		// a longer cut beats a shorter one.
		if !f.f.ContentRead || (f.f.ContentLimit != 0 && (cut == 0 || cut > f.f.ContentLimit)) {
			f.f.Content = append([]byte(nil), data...)
			if len(data) == 0 {
				f.f.Content = nil
			}
			f.f.ContentRead = true
			f.f.ContentLimit = cut
		}
	}
	return data, err
}

// ReadDir implements Host.
func (r *Recorder) ReadDir(ctx context.Context, p string) ([]FileInfo, error) {
	entries, err := r.h.ReadDir(ctx, p)
	if p == "" || unrecordable(ctx, err) {
		return entries, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.file(p)
	switch {
	case errors.Is(err, ErrFileNotFound):
		f.markMissing(p)
	case err != nil:
		f.markExists(p, true, r.facts.OS)
		f.f.ReadError = errorText(err, "list "+p+": ")
	default:
		f.markExists(p, true, r.facts.OS)
		f.f.Entries = append([]FileInfo(nil), entries...)
		if len(entries) == 0 {
			f.f.Entries = nil
		}
		f.f.Listed = true
	}
	return entries, err
}

// Run implements Host.
func (r *Recorder) Run(ctx context.Context, cmd Command) (CommandResult, error) {
	res, err := r.h.Run(ctx, cmd)
	if len(cmd.Argv) == 0 || cmd.Argv[0] == "" || unrecordable(ctx, err) {
		return res, err
	}
	rec := &SnapCommand{Argv: append([]string(nil), cmd.Argv...)}
	switch {
	case errors.Is(err, ErrCommandNotFound):
		rec.NotFound = true
	case errors.Is(err, ErrNoExec):
		rec.NotRun = true
	case err != nil:
		rec.Error = errorText(err, "run "+cmd.Argv[0]+": ")
	default:
		rec.SetOutput(res.Stdout, res.Stderr)
		rec.ExitCode, rec.TimedOut, rec.Truncated = res.ExitCode, res.TimedOut, res.Truncated
	}
	r.mu.Lock()
	r.cmds[CommandKey(cmd.Argv)] = rec
	r.mu.Unlock()
	return res, err
}

// ChainStatus implements Host.
func (r *Recorder) ChainStatus(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (ChainStatus, error) {
	cs, err := r.h.ChainStatus(ctx, loc, store, sha1)
	if loc == "" || store == "" || errors.Is(err, ErrNotSupported) || unrecordable(ctx, err) {
		return cs, err
	}
	tp := strings.ToUpper(strings.TrimSpace(sha1))
	if len(tp) != 40 {
		return cs, err // not a thumbprint: nothing a snapshot could hold
	}
	if _, herr := hex.DecodeString(tp); herr != nil {
		return cs, err
	}
	rec := ChainStatus{SHA1: tp, Location: loc, Store: store}
	switch {
	case err != nil:
		rec.Error = errorText(err, "build chain of "+sha1+": ")
	case cs.Error != "":
		rec.Error = cs.Error
	case cs.ChainLength <= 0:
		rec.Error = "CryptoAPI returned an empty chain"
	default:
		rec.TrustErrorStatus, rec.TrustInfoStatus, rec.ChainLength = cs.TrustErrorStatus, cs.TrustInfoStatus, cs.ChainLength
	}
	r.mu.Lock()
	r.chain[chainStatusKey(loc, store, tp)] = &rec
	r.mu.Unlock()
	return cs, err
}

// Snapshot returns everything recorded so far as a snapshot document,
// in the order WriteSnapshot uses. toolVersion names the gmu-doctor build.
func (r *Recorder) Snapshot(toolVersion string) *Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := &Snapshot{
		SnapshotVersion: SnapshotVersion,
		ToolVersion:     toolVersion,
		CollectedAt:     r.now,
		Facts:           r.Facts(),
	}
	if len(r.env) > 0 {
		s.Env = map[string]*string{}
		for _, a := range r.env {
			var v *string
			if a.value != nil {
				c := *a.value
				v = &c
			}
			s.Env[a.name] = v
		}
	}
	for _, st := range r.stores {
		c := *st
		c.Certificates = make([]Certificate, len(st.Certificates))
		for i, cert := range st.Certificates {
			c.Certificates[i] = copyCert(cert)
		}
		s.CertStores = append(s.CertStores, c)
	}
	sort.Slice(s.CertStores, func(i, j int) bool { return storeRank(s.CertStores[i]) < storeRank(s.CertStores[j]) })
	for _, k := range r.regs {
		s.Registry = append(s.Registry, copyRegKey(*k))
	}
	sort.Slice(s.Registry, func(i, j int) bool {
		return RegIndexKey(s.Registry[i].Path, s.Registry[i].View) < RegIndexKey(s.Registry[j].Path, s.Registry[j].View)
	})
	for _, f := range r.files {
		c := f.f
		c.Content = append([]byte(nil), f.f.Content...)
		if len(c.Content) == 0 {
			c.Content = nil
		}
		c.Entries = append([]FileInfo(nil), f.f.Entries...)
		if len(c.Entries) == 0 {
			c.Entries = nil
		}
		s.Files = append(s.Files, c)
	}
	sort.Slice(s.Files, func(i, j int) bool {
		return FileIndexKey(s.OS, s.Files[i].Path) < FileIndexKey(s.OS, s.Files[j].Path)
	})
	for _, c := range r.cmds {
		cc := *c
		cc.Argv = append([]string(nil), c.Argv...)
		s.Commands = append(s.Commands, cc)
	}
	sort.Slice(s.Commands, func(i, j int) bool { return CommandKey(s.Commands[i].Argv) < CommandKey(s.Commands[j].Argv) })
	for _, c := range r.chain {
		s.ChainStatus = append(s.ChainStatus, *c)
	}
	sortChainStatus(s.ChainStatus)
	s.Network = r.snapNetwork()
	return s
}

// errorText is the text of err without the prefix the replay adds back
// ("read C:\x: "), so that a replayed error reads like the live one.
func errorText(err error, prefix string) string {
	msg := err.Error()
	if t := strings.TrimPrefix(msg, prefix); t != "" {
		return t
	}
	return msg
}

// baseName is the last element of a path in the convention of goos.
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

var _ Host = (*Recorder)(nil)
