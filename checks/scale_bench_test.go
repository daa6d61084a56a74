package checks

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// scaleSnapshot is the Windows 10 fixture with the 2,403 accredited-CA
// certificates in LocalMachine\CA (the N = 2,403 snapshot of
// scripts/bench-scale.sh, without its extra personal certificates).
func scaleSnapshot(b *testing.B) []byte { return scaleSnapshotN(b, 0) }

// scaleSnapshotN is scaleSnapshot with n CA certificates (0: the bundle as
// it is). Beyond the bundle, copy k of a certificate has the last byte of
// its signature XOR-ed with k, as scripts/scalesnap derives them: distinct
// DER and thumbprints, enough for loading.
func scaleSnapshotN(b *testing.B, n int) []byte {
	b.Helper()
	cas, err := pki.Parse(testutil.AccreditedBundlePEM(b))
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
			for i := len(cas); i < n; i++ {
				c := cas[i%len(cas)]
				der := append([]byte(nil), c.Raw...)
				der[len(der)-1] ^= byte(1 + i/len(cas))
				st.Certificates = append(st.Certificates, host.Certificate{SHA1: host.Thumbprint(der), DER: der})
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
// workstation (one streaming pass). der-MB is the certificates' DER in it,
// live-MB the heap the loaded snapshot keeps.
func BenchmarkLoadScaleSnapshot(b *testing.B) { benchLoad(b, scaleSnapshot(b)) }

// BenchmarkLoadScaleSnapshot10000: the same with 10,000 CA certificates
// (27 MB): loading is linear in the store.
func BenchmarkLoadScaleSnapshot10000(b *testing.B) { benchLoad(b, scaleSnapshotN(b, 10000)) }

func benchLoad(b *testing.B, data []byte) {
	// What the snapshot keeps: the heap freed when it is dropped.
	var with, without runtime.MemStats
	snap, err := host.LoadSnapshot(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	der := 0
	for _, st := range snap.CertStores {
		for _, c := range st.Certificates {
			der += len(c.DER)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(snap)
	snap = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := host.LoadSnapshot(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(der)/1e6, "der-MB")
	b.ReportMetric(float64(int64(with.HeapAlloc)-int64(without.HeapAlloc))/1e6, "live-MB")
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
