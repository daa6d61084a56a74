package checks

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func TestSuiteIsValid(t *testing.T) {
	all := All()
	if len(all) < 2 {
		t.Fatalf("suite has %d checks, want at least os-support and clock", len(all))
	}
	if err := doctor.Validate(all); err != nil {
		t.Fatal(err)
	}
	if all[0].ID != "os-support" {
		t.Errorf("first check is %q, want os-support (its facts head the report)", all[0].ID)
	}
}

func TestEveryCheckIsInBothCatalogues(t *testing.T) {
	for _, c := range All() {
		for what, tx := range map[string]i18n.Text{"title": c.Title, "doc": c.Doc} {
			if tx.Key != "check."+c.ID+"."+what {
				t.Errorf("%s: %s key is %q, want %q", c.ID, what, tx.Key, "check."+c.ID+"."+what)
			}
			if !i18n.Has(tx.Key) {
				t.Errorf("%s: %s key %q is missing from a catalogue", c.ID, what, tx.Key)
			}
		}
		for _, l := range i18n.Langs {
			doc := c.Doc.In(l)
			first := strings.SplitN(doc, "\n", 2)[0]
			if first == "" || len(first) > 200 {
				t.Errorf("%s: %s doc must start with a one-sentence summary line, got %q", c.ID, l, first)
			}
		}
	}
}

// checkDirs lists the directories below checks/ that hold Go files.
func checkDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			matches, _ := filepath.Glob(filepath.Join(p, "*.go"))
			if len(matches) > 0 {
				dirs = append(dirs, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	return dirs
}

func TestEveryCheckPackageHasTests(t *testing.T) {
	dirs := checkDirs(t)
	if len(dirs) < len(All()) {
		t.Fatalf("found %d check packages, fewer than the %d checks of the suite", len(dirs), len(All()))
	}
	for _, d := range dirs {
		tests, _ := filepath.Glob(filepath.Join(d, "*_test.go"))
		if len(tests) == 0 {
			t.Errorf("checks/%s has no _test.go file", filepath.ToSlash(d))
		}
	}
}

// forbidden are imports that would let a check touch the machine around
// internal/host (or drag the CLI into the checks).
var forbidden = []string{
	"os", "os/exec", "os/user", "os/signal", "syscall", "unsafe", "net", "net/http",
	"golang.org/x/sys", "github.com/spf13/viper", "github.com/spf13/cobra",
	"github.com/gmu-doctor/gmu-doctor/internal/cli",
}

func forbiddenImport(path string) bool {
	for _, f := range forbidden {
		if path == f || strings.HasPrefix(path, f+"/") {
			return true
		}
	}
	return false
}

func TestChecksSeeTheMachineOnlyThroughHost(t *testing.T) {
	scanned := 0
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		// Tests may read fixtures from disk; production code may not.
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		scanned++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImport(path) {
				t.Errorf("checks/%s imports %q; checks must reach the machine only through internal/host", filepath.ToSlash(p), path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 3 {
		t.Fatalf("scanned %d files, the walk is broken", scanned)
	}
}

func TestForbiddenImportMatcher(t *testing.T) {
	for path, want := range map[string]bool{
		"os": true, "os/exec": true, "golang.org/x/sys/windows/registry": true, "github.com/spf13/viper": true,
		"strings": false, "osext": false, "github.com/gmu-doctor/gmu-doctor/internal/host": false,
	} {
		if got := forbiddenImport(path); got != want {
			t.Errorf("forbiddenImport(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestCollectThenReplayGivesTheSameReport runs the whole suite the way
// `collect` does (through a host.Recorder, here around a fixture instead of
// a live machine), writes and loads the recorded snapshot, and runs the
// suite again on it, the way `check --snapshot` does: both reports must say
// the same thing. It catches checks that look at the machine around the
// Host, read the real clock, or ask questions the recorder cannot write
// down.
func TestCollectThenReplayGivesTheSameReport(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "workstations", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, p := range files {
		t.Run(filepath.Base(p), func(t *testing.T) {
			fixture, err := host.LoadSnapshotFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rec := host.NewRecorder(host.NewSnapshotHost(fixture))
			if err := rec.RecordStores(context.Background()); err != nil {
				t.Logf("fixture without all six stores: %v", err)
			}
			live := (&doctor.Runner{Host: rec}).Run(context.Background(), All())
			var buf bytes.Buffer
			if err := host.WriteSnapshot(&buf, rec.Snapshot("test")); err != nil {
				t.Fatal(err)
			}
			snap, err := host.LoadSnapshot(&buf)
			if err != nil {
				t.Fatal(err)
			}
			replayed := (&doctor.Runner{Host: host.NewSnapshotHost(snap)}).Run(context.Background(), All())
			for _, lang := range i18n.Langs {
				if a, b := describe(live, lang), describe(replayed, lang); a != b {
					t.Errorf("%s: collect and replay differ\n--- collect\n%s\n--- replay\n%s", lang, a, b)
				}
			}
		})
	}
}

func describe(rep *doctor.Report, lang i18n.Lang) string {
	var b strings.Builder
	for _, r := range rep.Results {
		if r.Reason.Key == "doctor.error.panic" {
			r.Notes = nil // the stack trace differs between runs
		}
		b.WriteString(doctortest.Describe(r, lang))
	}
	return b.String()
}
