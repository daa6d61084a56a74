package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// `check --root` and `collect --root` on a tree whose CryptoPro tools (and
// any program a plain name could find in it) are replaced by programs that
// leave a marker: no marker appears, and the stores are still read from
// their files.
func TestMountedDiskProgramsNeverRun(t *testing.T) {
	cleanEnv(t)
	for _, tr := range linuxTrees() {
		root := filepath.Join(testutil.CopyTree(t, filepath.Dir(treeRoot(t, tr.name))), "root")
		marker := testutil.PlantMarkers(t, root)
		d := runTree(t, "check", "--root", root, "--user", tr.user, "--at", treeAt, "--format", "json", "--lang", "en")
		snap := filepath.Join(t.TempDir(), "s.json")
		if r := runCLI(t, "collect", "--root", root, "--user", tr.user, "--at", treeAt, "-o", snap); r.code != 0 {
			t.Fatalf("%s: collect exit %d: %s", tr.name, r.code, r.stderr)
		}
		if b, err := os.ReadFile(marker); err == nil {
			t.Fatalf("%s: the inspected tree's programs ran:\n%s", tr.name, b)
		}
		c := checkByID(d)
		// The stores came from their files: the chain check judged the
		// personal certificate (valid, or its known problem).
		if w := tr.want["chain"]; c["chain"].Status != w.status {
			t.Errorf("%s: chain %s, want %s (%s)", tr.name, c["chain"].Status, w.status, c["chain"].Reason)
		}
		if c["csp-license"].Status != "skipped" || !strings.Contains(c["csp-license"].Reason, "not determinable from a mounted disk") {
			t.Errorf("%s: csp-license %s %q", tr.name, c["csp-license"].Status, c["csp-license"].Reason)
		}
	}
}

// The seam through which tests answer for the trees' tools is not part of
// the program: gmu-doctor's dependencies include neither hosttest nor
// testutil.
func TestTestSeamsNotInTheProgram(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/gmu-doctor/gmu-doctor/cmd/gmu-doctor").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, bad := range []string{"internal/host/hosttest", "internal/testutil"} {
		if strings.Contains(string(out), "/"+bad+"\n") {
			t.Errorf("the program depends on %s", bad)
		}
	}
	if !strings.Contains(string(out), "internal/host\n") {
		t.Errorf("go list output unexpected:\n%s", out)
	}
}
