package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// within runs f and fails the test when it has not returned in 20 s: a
// read that blocks on a FIFO must not hang the test binary.
func within(t *testing.T, f func() result) result {
	t.Helper()
	done := make(chan result, 1)
	go func() { done <- f() }()
	select {
	case r := <-done:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("gmu-doctor still running after 20 s")
		return result{}
	}
}

func TestConfigShapeLimits(t *testing.T) {
	cleanEnv(t)
	healthy := workstation(t, "windows10-healthy.json")
	var many strings.Builder
	for i := 0; i < 40000; i++ {
		fmt.Fprintf(&many, "k%d: 1\n", i)
	}
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	var nested strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&nested, "%sk%d:\n", strings.Repeat(" ", i), i)
	}
	cases := []struct {
		name, content string
		want          []string
	}{
		{"40k keys", many.String(), []string{"c.yaml", "more than 5000 entries"}},
		{"5000 brackets", "lang: " + deep, []string{"c.yaml", "nested more than 32 levels"}},
		{"100 indentation levels", nested.String(), []string{"c.yaml", "nested more than 32 levels"}},
		{"dashes", "site:\n" + strings.Repeat("- ", 100) + "gmu\n", []string{"nested more than 32 levels"}},
		{"unknown key with an empty value", "lnag:\n", []string{`"lnag"`}},
		{"unknown key with null", "lang: ru\nlnag: null\n", []string{`"lnag"`}},
		{"too large", "# " + strings.Repeat("x", 2<<20) + "\n", []string{"c.yaml", "too large", "the limit is 1 MiB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, "c.yaml", c.content)
			start := time.Now()
			wantOneLine(t, within(t, func() result { return runCLI(t, "check", "--snapshot", healthy, "--config", p) }), c.want...)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
	// The example config and a realistic one pass the shape check.
	for _, ok := range []string{"lang: ru\nsite: [gmu, eis]\nchecks:\n  clock:\n    tolerance_minutes: 5\n", `{"lang": "en", "checks": {"clock": {"tolerance_minutes": 5}}}`} {
		if err := checkConfigShape([]byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

func FuzzConfigShape(f *testing.F) {
	f.Add([]byte("lang: ru\nchecks:\n  clock:\n    tolerance_minutes: 5\n"))
	f.Add([]byte(`{"a": [1, {"b": "c\"]"}]}`))
	f.Add([]byte("[checks.clock]\ntolerance_minutes = 5 # [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = checkConfigShape(data)
	})
}
