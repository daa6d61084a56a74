package cli

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestCommandList: every entry of the command list builds the command of
// its name, with no alias (newRootCmdFor finds commands by name only).
func TestCommandList(t *testing.T) {
	a, _, _ := newTestApp(t)
	seen := map[string]bool{}
	for _, c := range commands {
		cmd := c.build(a)
		if cmd.Name() != c.name {
			t.Errorf("entry %q builds command %q", c.name, cmd.Name())
		}
		if len(cmd.Aliases) > 0 {
			t.Errorf("command %q has aliases %v: list them in newRootCmdFor's probe", c.name, cmd.Aliases)
		}
		if seen[c.name] {
			t.Errorf("command %q listed twice", c.name)
		}
		seen[c.name] = true
	}
	if got := len(newRootCmd(a).Commands()); got != len(commands) {
		t.Errorf("the whole tree has %d commands, the list %d", got, len(commands))
	}
}

// TestPrunedTreeSameOutput: building only the command a command line runs
// changes nothing a user sees — stdout, stderr and exit code are those of
// the whole tree, for ordinary runs, help, errors, root flags with values
// before the command, and the lines that need the whole tree.
func TestPrunedTreeSameOutput(t *testing.T) {
	rw := testutil.Testdata(t, "certs", "realworld")
	leaf := filepath.Join(rw, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	ca := filepath.Join(rw, "fk-ca-gost2012-2024-by-mincifry-2022.pem")
	root := filepath.Join(rw, "guc-root-gost2012-mincifry-2022.pem")
	snap := workstation(t, "windows10-healthy.json")
	lines := [][]string{
		{"cert", "verify", leaf, "--ca", ca, "--root", root, "--at", "2025-12-01"},
		{"cert", "verify", leaf, "--ca", ca, "--root", root, "--at", "2025-12-01", "--format", "json", "--lang", "en"},
		{"--lang", "en", "cert", "verify", leaf, "--root", root},
		{"--lang=en", "--no-color", "cert", "show", ca},
		{"--config", "/nonexistent/config.yaml", "cert", "show", ca},
		{"-h", "cert"},
		{"cert", "--help"},
		{"cert", "verify", "--help"},
		{"--lang", "en", "cert", "verify", "-h"},
		{"cert", "bogus"},
		{"cert", "verify"},
		{"cert", "show", "explain", "-5"},
		{"cert", "verify", leaf, "--bogus"},
		{"--lang", "de", "version"},
		{"version"},
		{"version", "extra"},
		{"list", "--lang", "en"},
		{"explain", "0x800B010A"},
		{"--lang", "en", "explain", "-2146762486"},
		{"check", "--snapshot", snap, "--format", "json", "--offline"},
		{"config", "path"},
		{"net", "allowlist", "--lang", "en"},
		{},
		{"--help"},
		{"help", "cert"},
		{"bogus"},
		{"--lang", "cert"},
		{"--lang"},
		{"--", "cert"},
		{"completion", "bash"},
	}
	dir := t.TempDir()
	now := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	runIn := func(args []string) result {
		a, out, errb := newTestApp(t)
		a.UserConfigDir = func() (string, error) { return dir, nil }
		a.Clock = func() time.Time { return now }
		return run(t, a, out, errb, args...)
	}
	defer func(old bool) { pruneCommands = old }(pruneCommands)
	for _, args := range lines {
		pruneCommands = false
		want := runIn(args)
		pruneCommands = true
		got := runIn(args)
		if got != want {
			t.Errorf("%q:\npruned tree: exit %d\n%s\n%s\nwhole tree: exit %d\n%s\n%s", args, got.code, got.stdout, got.stderr, want.code, want.stdout, want.stderr)
		}
	}
}

// TestPrunedTreeBuildsOne: a command line that runs one of our commands
// builds that command alone; the others build everything.
func TestPrunedTreeBuildsOne(t *testing.T) {
	a, _, _ := newTestApp(t)
	for _, tc := range []struct {
		args []string
		want string // "" = the whole tree
	}{
		{[]string{"cert", "verify", "x.pem", "--root", "r.pem"}, "cert"},
		{[]string{"--lang", "en", "--config", "c.yaml", "--no-color", "-h", "check", "--snapshot", "s.json"}, "check"},
		{[]string{"--lang=en", "version"}, "version"},
		{[]string{"explain", "-5"}, "explain"},
		{[]string{"cert", "show", "explain"}, ""},
		{[]string{"--lang", "cert"}, ""},
		{[]string{"help", "cert"}, ""},
		{[]string{"completion", "bash"}, ""},
		{[]string{"bogus"}, ""},
		{nil, ""},
	} {
		got := newRootCmdFor(a, tc.args).Commands()
		if tc.want == "" {
			if len(got) != len(commands) {
				t.Errorf("%q: %d commands built, want all %d", tc.args, len(got), len(commands))
			}
			continue
		}
		if len(got) != 1 || got[0].Name() != tc.want {
			t.Errorf("%q: built %v, want only %s", tc.args, got, tc.want)
		}
	}
}
