package monitoring_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestReadmeShowsShippedFiles: every file of monitoring/ is linked from
// the README, and every monitoring/ link in the README exists.
func TestReadmeShowsShippedFiles(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\((monitoring/[^)#\s]+)\)`).FindAllStringSubmatch(string(readme), -1) {
		linked[m[1]] = true
		if _, err := os.Stat(filepath.Join(repoRoot(), filepath.FromSlash(m[1]))); err != nil {
			t.Errorf("README links %s, which does not exist", m[1])
		}
	}
	err = filepath.Walk(filepath.Join(repoRoot(), "monitoring"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(p) == ".go" {
			return err
		}
		rel, _ := filepath.Rel(repoRoot(), p)
		if !linked[filepath.ToSlash(rel)] {
			t.Errorf("%s is shipped but the README does not show it", filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
