package checks

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// scaleSnapshot is the Windows 10 fixture with the 2,403 accredited-CA
// certificates in LocalMachine\CA (the N = 2,403 snapshot of
// scripts/bench-scale.sh, without its extra personal certificates).
func scaleSnapshot(b *testing.B) []byte {
	b.Helper()
	f, err := os.Open(testutil.Testdata(b, "certs", "accredited-ca-bundle.pem.gz"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	pemData, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	cas, err := pki.Parse(pemData)
	if err != nil {
		b.Fatal(err)
	}
	snap, err := host.LoadSnapshotFile(filepath.Join(testutil.Testdata(b, "workstations"), "windows10-healthy.json"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range snap.CertStores {
		st := &snap.CertStores[i]
		if st.Location == host.LocalMachine && st.Store == host.StoreCA {
			for _, c := range cas {
				st.Certificates = append(st.Certificates, host.Certificate{SHA1: c.SHA1, DER: c.Raw})
			}
		}
	}
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, snap); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkLoadScaleSnapshot: loading the 6.7 MB snapshot of a 2,403-CA
// workstation (one streaming pass).
func BenchmarkLoadScaleSnapshot(b *testing.B) {
	data := scaleSnapshot(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := host.LoadSnapshot(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckRunScale: every check of the suite over that workstation,
// as `check --snapshot` runs them (the snapshot already loaded).
func BenchmarkCheckRunScale(b *testing.B) {
	snap, err := host.LoadSnapshot(bytes.NewReader(scaleSnapshot(b)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := &doctor.Runner{Host: host.NewSnapshotHost(snap), Source: "snapshot"}
		rep := r.Run(context.Background(), All())
		if len(rep.Results) != len(All()) {
			b.Fatal("results missing")
		}
	}
}
