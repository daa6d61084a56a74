//go:build gostengine && cgo

package gost

import (
	"bytes"
	"encoding/asn1"
	"runtime"
	"testing"
	"time"
)

// Side-by-side benchmarks: the same operations through OpenSSL's gost engine
// (EVP API via cgo), in the same process and run as our benchmarks.
// Run with scripts/bench-gost.sh or
//   CGO_ENABLED=1 go test -tags gostengine -bench . ./internal/gost/

// spkiDER builds the SubjectPublicKeyInfo of a GOST 2012 key.
func spkiDER(t testing.TB, k *PublicKey, algOID, digestOID asn1.ObjectIdentifier) []byte {
	t.Helper()
	curveOID := parseOID(t, k.Curve.OIDs[0])
	params, err := asn1.Marshal([]asn1.ObjectIdentifier{curveOID, digestOID})
	if err != nil {
		t.Fatal(err)
	}
	keyOctets, err := asn1.Marshal(k.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		Alg struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}
		Key asn1.BitString
	}{
		Alg: struct {
			OID    asn1.ObjectIdentifier
			Params asn1.RawValue
		}{algOID, asn1.RawValue{FullBytes: params}},
		Key: asn1.BitString{Bytes: keyOctets, BitLength: 8 * len(keyOctets)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func parseOID(t testing.TB, s string) asn1.ObjectIdentifier {
	t.Helper()
	var oid asn1.ObjectIdentifier
	var n int
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			oid = append(oid, n)
			n = 0
			continue
		}
		n = n*10 + int(s[i]-'0')
	}
	return oid
}

var (
	oidGost2012_256 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1}
	oidGost2012_512 = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2}
	oidStreebog256  = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2}
	oidStreebog512  = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3}
)

func engineVerifierFor(b *testing.B, k *PublicKey, digest, sig []byte) *engineVerifier {
	if err := engineLoad(); err != nil {
		b.Skip(err)
	}
	alg, dig := oidGost2012_256, oidStreebog256
	if k.Curve.Size == 64 {
		alg, dig = oidGost2012_512, oidStreebog512
	}
	v, err := newEngineVerifier(spkiDER(b, k, alg, dig))
	if err != nil {
		b.Fatal(err)
	}
	if !v.verify(digest, sig) {
		b.Fatal("engine rejects the benchmark signature")
	}
	bad := append([]byte(nil), sig...)
	bad[len(bad)-1] ^= 1
	if v.verify(digest, bad) {
		b.Fatal("engine accepts a corrupted signature")
	}
	return v
}

func benchEngineVerify(b *testing.B, k *PublicKey, digest, sig []byte) {
	v := engineVerifierFor(b, k, digest, sig)
	defer v.close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !v.verify(digest, sig) {
			b.Fatal("engine verify failed")
		}
	}
}

func BenchmarkEngineVerify2012_256(b *testing.B) {
	k, digest, sig := sigVectors[4].parts(b)
	benchEngineVerify(b, k, digest, sig)
}

func BenchmarkEngineVerify2012_512(b *testing.B) {
	k, digest, sig := openSSL512AParts(b)
	benchEngineVerify(b, k, digest, sig)
}

func benchEngineHash(b *testing.B, md string, ours []byte) {
	if err := engineLoad(); err != nil {
		b.Skip(err)
	}
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	got, err := engineDigest(md, buf)
	if err != nil {
		b.Fatal(err)
	}
	_ = ours
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := engineDigest(md, buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if ours != nil && !bytes.Equal(got, ours) {
		b.Fatalf("engine %s %x, ours %x", md, got, ours)
	}
}

func mib() []byte {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	return buf
}

func BenchmarkEngineStreebog256(b *testing.B) {
	benchEngineHash(b, "md_gost12_256", digestOf(NewStreebog256(), mib()))
}

func BenchmarkEngineStreebog512(b *testing.B) {
	benchEngineHash(b, "md_gost12_512", digestOf(NewStreebog512(), mib()))
}

func BenchmarkEngineGOST341194(b *testing.B) {
	benchEngineHash(b, "md_gost94", digestOf(New341194(), mib()))
}

// BenchmarkSideBySide alternates our implementation and the engine on every
// iteration, so both see the same machine load (the build machine is
// shared); it reports both times and their ratio as metrics.
func BenchmarkSideBySide(b *testing.B) {
	type op struct {
		name         string
		ours, engine func()
		bytesPerOp   int64
	}
	k256, d256, s256 := sigVectors[4].parts(b)
	k512, d512, s512 := openSSL512AParts(b)
	v256 := engineVerifierFor(b, k256, d256, s256)
	v512 := engineVerifierFor(b, k512, d512, s512)
	buf := mib()
	h256, h512, h94 := NewStreebog256(), NewStreebog512(), New341194()
	hashOp := func(h interface {
		Reset()
		Write([]byte) (int, error)
		Sum([]byte) []byte
	}) func() {
		return func() { h.Reset(); h.Write(buf); h.Sum(nil) }
	}
	engOp := func(md string) func() {
		return func() {
			if _, err := engineDigest(md, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	ops := []op{
		{"verify256-CryptoProA", func() { _ = k256.VerifyDigest(d256, s256) }, func() { v256.verify(d256, s256) }, 0},
		{"verify512-TC26A", func() { _ = k512.VerifyDigest(d512, s512) }, func() { v512.verify(d512, s512) }, 0},
		{"streebog256-1MiB", hashOp(h256), engOp("md_gost12_256"), int64(len(buf))},
		{"streebog512-1MiB", hashOp(h512), engOp("md_gost12_512"), int64(len(buf))},
		{"gost94-1MiB", hashOp(h94), engOp("md_gost94"), int64(len(buf))},
	}
	for _, o := range ops {
		o := o
		b.Run(o.name, func(b *testing.B) {
			// Thread CPU time (CLOCK_THREAD_CPUTIME_ID) is the main figure:
			// wall time on a loaded machine also counts time spent waiting
			// for a core. The goroutine is pinned to its thread for this.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var ours, eng time.Duration
			var oursCPU, engCPU int64
			for i := 0; i < b.N; i++ {
				c0, t0 := threadCPU(), time.Now()
				o.ours()
				c1, t1 := threadCPU(), time.Now()
				o.engine()
				c2, t2 := threadCPU(), time.Now()
				ours += t1.Sub(t0)
				eng += t2.Sub(t1)
				oursCPU += c1 - c0
				engCPU += c2 - c1
			}
			n := float64(b.N)
			b.ReportMetric(float64(oursCPU)/n, "ours-cpu-ns/op")
			b.ReportMetric(float64(engCPU)/n, "engine-cpu-ns/op")
			b.ReportMetric(float64(oursCPU)/float64(engCPU), "cpu-ours/engine")
			b.ReportMetric(float64(ours)/float64(eng), "wall-ours/engine")
			if o.bytesPerOp > 0 {
				b.ReportMetric(float64(o.bytesPerOp)*n/(float64(oursCPU)/1e9)/1e6, "ours-cpu-MB/s")
				b.ReportMetric(float64(o.bytesPerOp)*n/(float64(engCPU)/1e9)/1e6, "engine-cpu-MB/s")
			}
		})
	}
}
