package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// TestCatalogueKeysExist: every cli.* and report.* key named in the code of
// the CLI and the renderers is in both catalogues.
func TestCatalogueKeysExist(t *testing.T) {
	keyRe := regexp.MustCompile(`"((?:cli|report)\.[a-z0-9.-]+)"`)
	found := 0
	for _, dir := range []string{".", filepath.Join("..", "report")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range keyRe.FindAllStringSubmatch(string(src), -1) {
				key := m[1]
				if strings.HasSuffix(key, ".") {
					continue // a prefix completed at run time
				}
				found++
				if !i18n.Has(key) {
					t.Errorf("%s: key %q is missing from a catalogue", f, key)
				}
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d keys; is the pattern still right?", found)
	}
	for _, k := range scalarKeys {
		if !i18n.Has("cli.config.key." + k.key) {
			t.Errorf("no comment for config key %s", k.key)
		}
	}
}
