package host_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures in testdata/workstations")

// realCert reads a certificate (PEM or DER) from testdata/certs/realworld.
func realCert(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(testutil.Testdata(t, "certs", "realworld", name))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := pem.Decode(data); b != nil {
		return b.Bytes
	}
	return data
}

// The real public certificates of a healthy 2025 workstation (provenance in
// testdata/certs/realworld/README.md).
const (
	rootMincifry2022 = "guc-root-gost2012-mincifry-2022.pem"
	caTreasury2024   = "fk-ca-gost2012-2024-by-mincifry-2022.pem"
	leafTreasury2025 = "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"
)

// gostKey is the private-key link of the leaf: a CryptoPro container.
var gostKey = &host.KeyLink{
	Container: `\\.\HDIMAGE\zhilkom-2025`,
	Provider:  "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider",
	ProvType:  80,
	KeySpec:   1,
}

// withHealthyCerts puts the Минцифры 2022 root in LocalMachine\Root, the
// Treasury 2024 CA in LocalMachine\CA and the 2025 Treasury-issued leaf,
// linked to its key container, in CurrentUser\My.
func withHealthyCerts(t testing.TB, b *doctortest.SnapBuilder) *doctortest.SnapBuilder {
	return b.
		Cert(host.LocalMachine, host.StoreRoot, realCert(t, rootMincifry2022), nil).
		Cert(host.LocalMachine, host.StoreCA, realCert(t, caTreasury2024), nil).
		Cert(host.CurrentUser, host.StoreMy, realCert(t, leafTreasury2025), gostKey)
}

// workstationFixtures are the generated files of testdata/workstations.
// To add one: add an entry here (build it with doctortest), then run
//
//	go test ./internal/host -run TestGenerateFixtures -update
//
// Files not listed here may be written by hand; TestWorkstationFixturesLoad
// checks that every *.json there loads.
var workstationFixtures = map[string]func(t testing.TB) *host.Snapshot{
	// Windows 10 22H2 x64, everything in place for signing.
	"windows10-healthy.json": func(t testing.TB) *host.Snapshot {
		return withHealthyCerts(t, doctortest.Windows()).
			Env("APPDATA", `C:\Users\buh\AppData\Roaming`).
			Env("USERPROFILE", `C:\Users\buh`).
			Snapshot()
	},
	// 32-bit Windows 7 SP1 with the root and CA, no personal certificate.
	"windows7-386.json": func(t testing.TB) *host.Snapshot {
		return doctortest.Windows().
			With(func(f *host.Facts) {
				f.Arch, f.ProcessArch = "386", "386"
				f.Version, f.Build, f.ProductName = "6.1.7601", "7601", "Windows 7 Professional"
				f.Hostname, f.User, f.Home = "BUH-OLD", `BUH-OLD\buh`, `C:\Users\buh`
			}).
			Cert(host.LocalMachine, host.StoreRoot, realCert(t, rootMincifry2022), nil).
			Cert(host.LocalMachine, host.StoreCA, realCert(t, caTreasury2024), nil).
			Snapshot()
	},
	// Astra Linux 1.7 with CryptoPro stores (mRoot, mCA, uMy) filled.
	"linux-astra.json": func(t testing.TB) *host.Snapshot {
		return withHealthyCerts(t, doctortest.Linux()).
			Env("HOME", "/home/buh").
			EnvUnset("http_proxy").
			Snapshot()
	},
	// The healthy Windows 10 workstation with its clock set to 2015.
	"broken-clock.json": func(t testing.TB) *host.Snapshot {
		return withHealthyCerts(t, doctortest.Windows()).
			At(time.Date(2015, 3, 10, 7, 30, 0, 0, time.UTC)).
			Snapshot()
	},
}

func fixturePath(t testing.TB, name string) string {
	return testutil.Testdata(t, "workstations", name)
}

func TestGenerateFixtures(t *testing.T) {
	names := make([]string, 0, len(workstationFixtures))
	for n := range workstationFixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := host.WriteSnapshot(&buf, workstationFixtures[name](t)); err != nil {
				t.Fatal(err)
			}
			p := fixturePath(t, name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			old, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v; run go test ./internal/host -run TestGenerateFixtures -update", err)
			}
			if !bytes.Equal(old, buf.Bytes()) {
				t.Fatalf("%s is stale; run go test ./internal/host -run TestGenerateFixtures -update", p)
			}
		})
	}
}

// workstationFiles lists testdata/workstations/*.json.
func workstationFiles(t testing.TB) []string {
	files, err := filepath.Glob(fixturePath(t, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < len(workstationFixtures) {
		t.Fatalf("found %d fixtures in testdata/workstations, want at least %d", len(files), len(workstationFixtures))
	}
	return files
}

func TestWorkstationFixturesLoad(t *testing.T) {
	for _, p := range workstationFiles(t) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			s, err := host.LoadSnapshotFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Writing and loading again gives the same document.
			var buf bytes.Buffer
			if err := host.WriteSnapshot(&buf, s); err != nil {
				t.Fatal(err)
			}
			again, err := host.LoadSnapshot(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s, again) {
				t.Fatal("write+load changed the snapshot")
			}
		})
	}
}

func TestHealthyFixtureHasTheRealChain(t *testing.T) {
	s, err := host.LoadSnapshotFile(fixturePath(t, "windows10-healthy.json"))
	if err != nil {
		t.Fatal(err)
	}
	h := host.NewSnapshotHost(s)
	want := map[host.StoreName]string{
		host.StoreRoot: "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A",
		host.StoreCA:   "12BC42082D3F6027A29B7A87FE09B0329631C076",
	}
	for st, sha := range want {
		certs, err := h.Certificates(context.Background(), host.LocalMachine, st)
		if err != nil || len(certs) != 1 || certs[0].SHA1 != sha {
			t.Errorf("LocalMachine\\%s = %+v, %v; want one certificate %s", st, certs, err, sha)
		}
	}
	my, err := h.Certificates(context.Background(), host.CurrentUser, host.StoreMy)
	if err != nil || len(my) != 1 || my[0].SHA1 != "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" || my[0].Key == nil {
		t.Errorf("CurrentUser\\My = %+v, %v; want the 2025 leaf with a key link", my, err)
	}
}
