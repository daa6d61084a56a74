package doctor

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func TestValidate(t *testing.T) {
	good := func(id string, requires ...string) *Check {
		c := mk(id)
		c.Requires = requires
		return c
	}
	if err := Validate([]*Check{good("a"), good("b-2", "a"), good("c", "a", "b-2")}); err != nil {
		t.Fatalf("valid suite: %v", err)
	}
	noTitle := good("no-title")
	noTitle.Title = i18n.Text{}
	noDoc := good("no-doc")
	noDoc.Doc = i18n.Text{}
	noRun := good("no-run")
	noRun.Run = nil
	badOS := good("bad-os")
	badOS.OS = []string{"Windows"}
	valueConfig := good("value-config")
	valueConfig.NewConfig = func() any { return cfgT{} }
	nilConfig := good("nil-config")
	nilConfig.NewConfig = func() any { return nil }
	for _, tc := range []struct {
		name   string
		checks []*Check
		want   string
	}{
		{"duplicate", []*Check{good("a"), good("a")}, `check "a" is listed twice`},
		{"upper case", []*Check{good("Root-Certs")}, `ID "Root-Certs" is not lowercase kebab-case`},
		{"underscore", []*Check{good("root_certs")}, `not lowercase kebab-case`},
		{"trailing dash", []*Check{good("root-")}, `not lowercase kebab-case`},
		{"empty id", []*Check{good("")}, `ID "" is not`},
		{"nil", []*Check{nil}, "check #0 is nil"},
		{"no title", []*Check{noTitle}, `"no-title" has no title`},
		{"no doc", []*Check{noDoc}, `"no-doc" has no doc`},
		{"no run", []*Check{noRun}, `"no-run" has no Run`},
		{"bad os", []*Check{badOS}, `unknown OS "Windows"`},
		{"self", []*Check{good("a", "a")}, `"a" requires itself`},
		{"forward", []*Check{good("a", "b"), good("b")}, `"a" requires "b", which is not listed before it`},
		{"cycle", []*Check{good("a", "b"), good("b", "a")}, `"a" requires "b"`},
		{"missing", []*Check{good("a", "ghost")}, `requires "ghost"`},
		{"value config", []*Check{valueConfig}, `"value-config": NewConfig returns doctor.cfgT, want a pointer`},
		{"nil config", []*Check{nilConfig}, `"nil-config": NewConfig returns <nil>, want a pointer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.checks)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate: %v, want %q", err, tc.want)
			}
		})
	}
	// All problems are listed, one per line.
	err := Validate([]*Check{good("A"), noDoc, noRun})
	if err == nil || strings.Count(err.Error(), "\n") != 3 {
		t.Errorf("want 3 problems listed: %v", err)
	}
}

func ids(cs []*Check) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return strings.Join(out, " ")
}

func TestSelect(t *testing.T) {
	with := func(id string, req ...string) *Check {
		c := mk(id)
		c.Requires = req
		return c
	}
	all := []*Check{with("os"), with("csp"), with("license", "csp"), with("roots"), with("chain", "roots", "license"), with("cache")}
	for _, tc := range []struct {
		only, skip []string
		want       string
	}{
		{nil, nil, "os csp license roots chain cache"},
		{[]string{"cache"}, nil, "cache"},
		{[]string{"chain"}, nil, "csp license roots chain"},
		{[]string{"chain", "os", "chain"}, nil, "os csp license roots chain"},
		{nil, []string{"cache", "os"}, "csp license roots chain"},
		{[]string{"chain"}, []string{"csp"}, "license roots chain"},
	} {
		got, err := Select(all, tc.only, tc.skip)
		if err != nil {
			t.Errorf("Select(%v, %v): %v", tc.only, tc.skip, err)
			continue
		}
		if ids(got) != tc.want {
			t.Errorf("Select(%v, %v) = %s, want %s", tc.only, tc.skip, ids(got), tc.want)
		}
	}
	_, err := Select(all, []string{"chian", "os"}, []string{"cahce"})
	var unk *UnknownIDError
	if !errors.As(err, &unk) {
		t.Fatalf("unknown IDs: %v", err)
	}
	if strings.Join(unk.Unknown, ",") != "cahce,chian" || len(unk.Valid) != len(all) {
		t.Errorf("UnknownIDError %+v", unk)
	}
	if msg := err.Error(); msg != "unknown check ID cahce, chian; valid IDs: os, csp, license, roots, chain, cache" {
		t.Errorf("message %q", msg)
	}
	// A dependency skipped on purpose makes its dependent skip at run time.
	sel, _ := Select(all, []string{"license"}, []string{"csp"})
	rep := (&Runner{Host: testHost("linux")}).Run(context.Background(), sel)
	if got := statuses(rep); got != "license=skipped" {
		t.Errorf("run of license without csp: %s", got)
	}
}
