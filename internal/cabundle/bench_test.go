package cabundle

import (
	"sync"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// resetForTest forgets everything decoded, as in a fresh process.
func resetForTest() {
	tabOnce, tab, tabDict, tabErr = sync.Once{}, nil, nil, nil
	once, entries, loadErr = sync.Once{}, nil, nil
	inflaters = sync.Pool{}
}

// fresh runs lookup b.N times, each in a fresh state.
func fresh(b *testing.B, what string, lookup func() bool) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		resetForTest()
		if !lookup() {
			b.Fatal(what + " not found")
		}
	}
}

// A root repair in a fresh process: one certificate by thumbprint (the
// Минцифры 2022 root of known.json).
func BenchmarkBySHA1Fresh(b *testing.B) {
	fresh(b, "root", func() bool {
		_, ok := BySHA1("2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A")
		return ok
	})
}

// A chain repair in a fresh process: the issuer of a real 2025 leaf (the
// Treasury 2024 intermediate), found by key identifier and signature.
func BenchmarkIssuerOfFresh(b *testing.B) {
	leaf, err := pki.ParseDER(testutil.ReadTestdata(b, "certs", "realworld", "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"))
	if err != nil {
		b.Fatal(err)
	}
	fresh(b, "issuer", func() bool {
		_, ok := IssuerOf(leaf)
		return ok
	})
}

// The whole table in a fresh process (what All costs the first time).
func BenchmarkAllFresh(b *testing.B) {
	fresh(b, "the whole table", func() bool {
		all, err := All()
		return err == nil && len(all) == 2403
	})
}
