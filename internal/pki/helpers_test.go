package pki

import (
	"os"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func realFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "certs", "realworld", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func realCert(t testing.TB, name string) *Certificate {
	t.Helper()
	cs, err := Parse(realFile(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(cs) != 1 {
		t.Fatalf("%s: %d certificates", name, len(cs))
	}
	return cs[0]
}

func realDER(t testing.TB, name string) []byte { return realCert(t, name).Raw }

func mustParse(t testing.TB, der []byte) *Certificate {
	t.Helper()
	c, err := ParseDER(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
