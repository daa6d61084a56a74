package gost

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestFieldCodeIsGenerated: field_unrolled.go is exactly what gen_field.go
// writes, so a hand edit or a stale generator cannot slip in.
func TestFieldCodeIsGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run")
	}
	goTool := testutil.RequireTool(t, "go", "the generator runs with go run")
	out := filepath.Join(t.TempDir(), "field_unrolled.go")
	cmd := exec.Command(goTool, "run", "gen_field.go", "-o", out)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen_field.go: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("field_unrolled.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("field_unrolled.go differs from what gen_field.go writes; run go generate ./internal/gost/")
	}
}
