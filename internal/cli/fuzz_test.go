package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzConfigFile: any config file content gives either a config or an
// exit-2 error with one line of text; never a panic.
func FuzzConfigFile(f *testing.F) {
	for _, seed := range []string{
		"lang: en\nsite: [gmu, eis]\nstrict: true\ntimeout: 30s\n",
		"checks:\n  clock:\n    tolerance_minutes: 5\n",
		"sites:\n  gmu:\n    required_oids: [\"1.2.3\"]\n",
		"lang: [ru\n",
		"checks: 5\n",
		"sites:\n  gmu: [1, 2]\n",
		"timeout: -5s\n",
		"site: \"\"\n",
		"\x00\xff",
		"a: &a [*a]\n",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		a, _, _ := newTestApp(t)
		a.args = []string{"--config", p}
		root := newRootCmd(a)
		cmd, _, err := root.Find([]string{"check"})
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.ParseFlags([]string{"--config", p}); err != nil {
			t.Fatal(err)
		}
		a.cmd = cmd
		cfg, err := a.Config()
		if err != nil {
			code := a.exitCode(err)
			if code != 2 {
				t.Errorf("config error gave exit code %d, want 2", code)
			}
			return
		}
		if cfg.Lang == "" || cfg.Timeout < 0 {
			t.Errorf("config = %+v", cfg)
		}
		if err := a.ValidateChecks(cfg, a.suite()); err != nil {
			if code := a.exitCode(err); code != 2 || strings.TrimSpace(a.errorText(err)) == "" {
				t.Errorf("checks section error gave exit code %d, text %q", code, a.errorText(err))
			}
		}
	})
}
