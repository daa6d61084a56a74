// Package testutil has helpers shared by tests.
package testutil

import (
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the tests run in CI (CI=true), where tests that need
// an external tool must run instead of skipping.
func InCI() bool { return os.Getenv("CI") == "true" }

// RequireTool returns the path of an executable, or skips the test with a
// clear message when it is missing — except in CI, where a missing tool is a
// failure because scripts/test-all.sh installs it.
func RequireTool(t testing.TB, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed ("+why+"); scripts/test-all.sh installs it")
	}
	return p
}

// Missing skips the test, or fails it in CI, with the reason.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if InCI() {
		t.Fatalf("required in CI: %s", reason)
	}
	t.Skipf("skipped: %s", reason)
}

// RepoRoot returns the repository's root directory (where go.mod is).
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("locate testutil source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Testdata returns the path of a file below the repository's testdata/.
func Testdata(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{RepoRoot(t), "testdata"}, elem...)...)
}

// AccreditedBundlePEM returns the PEM of the 2,403 accredited-CA
// certificates (testdata/certs/accredited-ca-bundle.pem.gz, decompressed).
func AccreditedBundlePEM(t testing.TB) []byte {
	t.Helper()
	f, err := os.Open(Testdata(t, "certs", "accredited-ca-bundle.pem.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ReadTestdata returns the content of a file below the repository's
// testdata/, failing the test when it cannot be read.
func ReadTestdata(t testing.TB, elem ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(Testdata(t, elem...))
	if err != nil {
		t.Fatalf("read test data: %v", err)
	}
	return b
}
