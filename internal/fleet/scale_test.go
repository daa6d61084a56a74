package fleet

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
)

// caCerts makes n throw-away CA certificates: a workstation's
// intermediate store holds dozens of CAs, so generated snapshots carry
// realistic weight for the store readers and the chain builder.
func caCerts(t testing.TB, n int) []host.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]host.Certificate, 0, n)
	for i := 0; i < n; i++ {
		tpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(i + 1)),
			Subject:               pkix.Name{CommonName: fmt.Sprintf("Test Regional CA %03d", i), Organization: []string{"gmu-doctor scale test"}, Country: []string{"RU"}},
			NotBefore:             time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:              time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha1.Sum(der)
		out = append(out, host.Certificate{SHA1: strings.ToUpper(hex.EncodeToString(sum[:])), DER: der, Source: "scale test"})
	}
	return out
}

// GenerateFleet writes n snapshots to dir, made from the fixture
// snapshots in testdata/workstations (round robin) with distinct
// hostnames and cas added to the computer's CA store.
func GenerateFleet(t testing.TB, dir string, n int, cas []host.Certificate) {
	t.Helper()
	fixtures, err := filepath.Glob(filepath.Join("..", "..", "testdata", "workstations", "*.json"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("fixtures: %v", err)
	}
	var bases []*host.Snapshot
	for _, f := range fixtures {
		s, err := host.LoadSnapshotFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bases = append(bases, s)
	}
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		base := bases[i%len(bases)]
		s := *base
		s.Facts.Hostname = fmt.Sprintf("WS-%04d", i)
		s.CertStores = append([]host.SnapStore(nil), base.CertStores...)
		added := false
		for j, st := range s.CertStores {
			if st.Location == host.LocalMachine && st.Store == host.StoreCA && st.Error == "" {
				have := map[string]bool{}
				for _, c := range st.Certificates {
					have[c.SHA1] = true
				}
				certs := append([]host.Certificate(nil), st.Certificates...)
				for _, c := range cas {
					if !have[c.SHA1] {
						certs = append(certs, c)
					}
				}
				s.CertStores[j].Certificates = certs
				added = true
			}
		}
		if !added {
			s.CertStores = append(s.CertStores, host.SnapStore{Location: host.LocalMachine, Store: host.StoreCA, Certificates: cas})
		}
		buf.Reset()
		if err := host.WriteSnapshot(&buf, &s); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("ws-%04d.json", i)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGenerateFleet writes the snapshots of scripts/bench-fleet.sh when
// GMU_DOCTOR_FLEET_DIR is set (GMU_DOCTOR_FLEET_N of them, default 1000).
func TestGenerateFleet(t *testing.T) {
	dir := os.Getenv("GMU_DOCTOR_FLEET_DIR")
	if dir == "" {
		t.Skip("set GMU_DOCTOR_FLEET_DIR to generate a fleet (scripts/bench-fleet.sh does)")
	}
	n := 1000
	if v := os.Getenv("GMU_DOCTOR_FLEET_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("GMU_DOCTOR_FLEET_N=%q", v)
		}
	}
	GenerateFleet(t, dir, n, caCerts(t, 80))
}

// TestGeneratedFleetSmoke is the CI-sized run of the scale path: a few
// generated snapshots analysed concurrently, each one loadable and checked.
func TestGeneratedFleetSmoke(t *testing.T) {
	dir := t.TempDir()
	GenerateFleet(t, dir, 12, caCerts(t, 20))
	files, err := Expand([]string{dir})
	if err != nil || len(files) != 12 {
		t.Fatalf("expand: %v %d", err, len(files))
	}
	var mu = make(chan struct{}, 1)
	checked := 0
	s, err := Build(context.Background(), files, Options{Jobs: 4, Now: fixedNow, Check: func(ctx context.Context, snap *host.Snapshot) (*report.Document, error) {
		mu <- struct{}{}
		checked++
		<-mu
		ca := 0
		for _, st := range snap.CertStores {
			if st.Location == host.LocalMachine && st.Store == host.StoreCA {
				ca += len(st.Certificates)
			}
		}
		if ca < 20 {
			t.Errorf("%s: %d CA certificates", snap.Hostname, ca)
		}
		return doc(snap.Hostname, nil), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if checked != 12 || s.Totals[StatusOK] != 12 || s.Workstations[0].Name != "WS-0000" {
		t.Fatalf("checked %d, totals %v, first %s", checked, s.Totals, s.Workstations[0].Name)
	}
}
