package fix

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// JournalVersion is the version of the journal document.
const JournalVersion = 1

// maxJournal bounds the size of a journal file that is read back.
const maxJournal = 64 << 20

// Entry is one step of a run as it was applied.
type Entry struct {
	Step *Step `json:"step"`
	// Status: applied (the machine changed), unchanged (it was already so),
	// failed, skipped; after undo: undone, undo-failed.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// What existed before, for undo.
	Added   bool              `json:"added,omitempty"`
	Removed *host.RemovedCert `json:"removed,omitempty"`
	Reg     *host.RegChange   `json:"reg,omitempty"`
	Time    time.Time         `json:"time"`
}

// Entry statuses.
const (
	StatusPending    = "pending" // written before the change; left so by a crash
	StatusApplied    = "applied"
	StatusUnchanged  = "unchanged"
	StatusFailed     = "failed"
	StatusSkipped    = "skipped"
	StatusUndone     = "undone"
	StatusUndoFailed = "undo-failed"
)

// Run is one journalled `fix` run: one JSON file.
type Run struct {
	Version  int       `json:"journal_version"`
	ID       string    `json:"id"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitempty"`
	Host     string    `json:"host"`
	User     string    `json:"user"`
	OS       string    `json:"os"`
	Elevated bool      `json:"elevated"`
	Tool     string    `json:"tool_version"`
	Entries  []*Entry  `json:"entries"`
	// UndoneAt is set when the run was undone.
	UndoneAt time.Time `json:"undone_at,omitempty"`

	path string
}

// Journal is the directory of runs.
type Journal struct{ Dir string }

// DefaultDir is the per-user journal directory: %LOCALAPPDATA%\gmu-doctor\
// journal on Windows, $XDG_STATE_HOME/gmu-doctor/journal (default
// ~/.local/state/gmu-doctor/journal) elsewhere.
func DefaultDir(goos string, getenv func(string) string, home string) (string, error) {
	if goos == "windows" {
		if d := getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "gmu-doctor", "journal"), nil
		}
		return "", errors.New("LOCALAPPDATA is not set")
	}
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "gmu-doctor", "journal"), nil
	}
	if home == "" {
		return "", errors.New("no home directory for the fix journal")
	}
	return filepath.Join(home, ".local", "state", "gmu-doctor", "journal"), nil
}

// NewRun creates the journal file of a new run (it is written before any
// change, so that even a crash leaves a record).
func (j *Journal) NewRun(f host.Facts, tool string, now time.Time) (*Run, error) {
	if err := os.MkdirAll(j.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the fix journal directory %s: %w", j.Dir, err)
	}
	base := now.UTC().Format("20060102T150405Z")
	id := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(j.Dir, id+".json")); errors.Is(err, os.ErrNotExist) {
			break
		}
		id = fmt.Sprintf("%s-%d", base, i)
	}
	r := &Run{Version: JournalVersion, ID: id, Started: now, Host: f.Hostname, User: f.User, OS: f.OS,
		Elevated: f.Elevated, Tool: tool, Entries: []*Entry{}, path: filepath.Join(j.Dir, id+".json")}
	return r, r.Save()
}

// Save writes the run atomically: a temporary file in the same directory,
// fsync, rename, fsync of the directory.
func (r *Run) Save() error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(r.path)
	tmp, err := os.CreateTemp(dir, "."+r.ID+"-*.tmp")
	if err != nil {
		return fmt.Errorf("write the fix journal: %w", err)
	}
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), r.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write the fix journal %s: %w", r.path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // (not supported on Windows; the rename is what counts)
		d.Close()
	}
	return nil
}

// Path is the run's journal file.
func (r *Run) Path() string { return r.path }

// Applied returns the entries that changed the machine and are not undone.
func (r *Run) Applied() []*Entry {
	var out []*Entry
	for _, e := range r.Entries {
		switch {
		case e.Status == StatusApplied || e.Status == StatusUndoFailed:
			out = append(out, e)
		case e.Status == StatusPending && e.Step.Repair.Kind == doctor.RepairRemoveCert && len(e.Step.Repair.DER) > 0:
			// interrupted removal: putting the certificate back is safe
			// (adding is idempotent) whether or not it was removed
			e.Removed = &host.RemovedCert{SHA1: e.Step.Repair.SHA1, DER: e.Step.Repair.DER, Container: e.Step.Repair.Container}
			out = append(out, e)
		}
	}
	return out
}

// Runs lists the journalled runs, oldest first.
func (j *Journal) Runs() ([]*Run, error) {
	ents, err := os.ReadDir(j.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the fix journal %s: %w", j.Dir, err)
	}
	var out []*Run
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".json") || strings.HasPrefix(n, ".") || !e.Type().IsRegular() {
			continue
		}
		r, err := LoadRun(filepath.Join(j.Dir, n))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if !out[a].Started.Equal(out[b].Started) {
			return out[a].Started.Before(out[b].Started)
		}
		return out[a].ID < out[b].ID
	})
	return out, nil
}

// Find returns the run with that ID, or the latest run for "".
func (j *Journal) Find(id string) (*Run, error) {
	runs, err := j.Runs()
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("no fix runs journalled in %s", j.Dir)
	}
	if id == "" {
		return runs[len(runs)-1], nil
	}
	for _, r := range runs {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no fix run %q in %s (gmu-doctor fix --history lists them)", id, j.Dir)
}

// LoadRun reads one journal file (regular files only, size-capped).
func LoadRun(path string) (*Run, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("read fix journal %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read fix journal %s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read fix journal %s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxJournal+1))
	if err != nil {
		return nil, fmt.Errorf("read fix journal %s: %w", path, err)
	}
	r, err := ParseRun(b)
	if err != nil {
		return nil, fmt.Errorf("read fix journal %s: %w", path, err)
	}
	r.path = path
	return r, nil
}

// ParseRun decodes a journal document.
func ParseRun(b []byte) (*Run, error) {
	if len(b) > maxJournal {
		return nil, fmt.Errorf("larger than %d bytes", maxJournal)
	}
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("not a fix journal: %w", err)
	}
	if r.Version != JournalVersion {
		return nil, fmt.Errorf("journal_version %d, this gmu-doctor reads %d", r.Version, JournalVersion)
	}
	if r.ID == "" {
		return nil, errors.New("journal without id")
	}
	for i, e := range r.Entries {
		if e == nil || e.Step == nil {
			return nil, fmt.Errorf("entry %d has no step", i+1)
		}
	}
	return &r, nil
}
