package chain

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite testdata/workstations/certs-*.json")

// certFixtures are the certificate workstations of testdata/workstations,
// for the CLI's end-to-end tests: `check --snapshot FILE`.
var certFixtures = map[string]func(t testing.TB) *host.Snapshot{
	// Windows 10 with the Минцифры 2022 root and the 2025 Treasury-issued
	// leaf, but without the Treasury 2024 intermediate (0x800B010A).
	"certs-missing-treasury-ca-windows.json": func(t testing.TB) *host.Snapshot {
		return doctortest.Windows().At(certtest.Dec2025).
			Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
			Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
			Snapshot()
	},
	// The same on Astra Linux.
	"certs-missing-treasury-ca-linux.json": func(t testing.TB) *host.Snapshot {
		return doctortest.Linux().At(certtest.Dec2025).
			Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
			Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
			Snapshot()
	},
}

// TestCertFixtures keeps the JSON files in step with their builders (run
// with -update to rewrite them) and checks that replaying them gives the
// chain.incomplete finding.
func TestCertFixtures(t *testing.T) {
	for name, build := range certFixtures {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := host.WriteSnapshot(&buf, build(t)); err != nil {
				t.Fatal(err)
			}
			p := testutil.Testdata(t, "workstations", name)
			if *update {
				if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			old, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(old, buf.Bytes()) {
				t.Fatalf("%s is missing or stale (%v); run go test ./checks/chain -run TestCertFixtures -update", p, err)
			}
			s, err := host.LoadSnapshotFile(p)
			if err != nil {
				t.Fatal(err)
			}
			res := doctortest.Run(t, Check, host.NewSnapshotHost(s), doctor.Options{}, nil)
			doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
		})
	}
}
