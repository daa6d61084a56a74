package fleet_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/fleet"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

// BenchmarkBuild runs the whole suite on every fixture snapshot through
// fleet.Build, as gmu-doctor report does (per op: all fixtures). The
// 1,000-workstation figure comes from scripts/bench-fleet.sh.
func BenchmarkBuild(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "workstations", "*.json"))
	if err != nil || len(files) == 0 {
		b.Fatal("no fixtures")
	}
	profiles, err := profile.Resolve(profile.IDs, nil)
	if err != nil {
		b.Fatal(err)
	}
	suite := checks.All()
	check := func(ctx context.Context, snap *host.Snapshot) (*report.Document, error) {
		r := &doctor.Runner{Host: host.NewSnapshotHost(snap), Source: "snapshot",
			Options: doctor.Options{Sites: profile.IDs, Profiles: profiles}}
		return report.NewDocument(r.Run(ctx, suite), report.Options{}), nil
	}
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := fleet.Build(context.Background(), files, fleet.Options{Check: check})
		if err != nil || s.Totals["total"] != len(files) || s.Totals[fleet.StatusUnreadable] != 0 {
			b.Fatalf("%v %v", err, s.Totals)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(files)), "ms/workstation")
}
