// Package monitoring_test proves the files shipped in monitoring/ against
// the real components they are for: the Nagios plugin output as Nagios
// runs it, the Zabbix template against a real zabbix_agentd, the
// Prometheus output and rules with promtool, the Ansible playbook with
// ansible-playbook. The tests run the gmu-doctor binary built once for the
// package, on the fixture snapshots in testdata/workstations.
package monitoring_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

var (
	binPath  string // the gmu-doctor binary built by TestMain
	buildErr error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gmu-doctor-monitoring-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binPath = filepath.Join(dir, "gmu-doctor")
	if runtime.GOOS == "windows" {
		binPath += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", binPath, "./cmd/gmu-doctor")
	cmd.Dir = repoRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go build ./cmd/gmu-doctor: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), ".."))
}

// gmuDoctor returns the built binary, failing the test when the build failed.
func gmuDoctor(t testing.TB) string {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// fixtures lists the workstation snapshots.
func fixtures(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(), "testdata", "workstations", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixture snapshots: %v", err)
	}
	return files
}

// shipped reads a file of monitoring/.
func shipped(t testing.TB, elem ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{repoRoot(), "monitoring"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// isolatedEnv is the environment for running gmu-doctor in tests: no user
// config, no GMU_DOCTOR_* settings, a fixed locale.
func isolatedEnv(t testing.TB) []string {
	t.Helper()
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if len(kv) >= 11 && kv[:11] == "GMU_DOCTOR_" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "LANG=C.UTF-8", "NO_COLOR=1")
}
