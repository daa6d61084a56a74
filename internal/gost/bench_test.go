package gost

import (
	"hash"
	"testing"
)

// openSSL512A is a signature made once by OpenSSL's gost engine
// (`genpkey -algorithm gost2012_512 -pkeyopt paramset:A`, `dgst
// -md_gost12_512 -sign`) over the ASCII message below: raw key bytes as in
// the SubjectPublicKeyInfo, the signature exactly as openssl wrote it.
var openSSL512A = struct{ oid, msg, key, sig string }{
	oid: "1.2.643.7.1.2.1.2.1",
	msg: "gmu-doctor tc26-512-A benchmark vector",
	key: "fb29a2a66fc6ef5e538553a012b4bfc7d2a8f4086a3ef739a491b2a73491a32e88c8b6e6c67063e9e0c758dfaf2570441ea1290ca9bc9ac5604f481484c00b4d" +
		"d276c1a713ac6546efeee0bd39c23816a84a7ea75a0f9d3474e9f11ce55a64597ef4417af4523530f623a9feb23e83a2a1eb39216f9eb5a160bb530fcdfc2916",
	sig: "a143b98fbd794a46b2f0c102cf65890ea8636137a0d8e4c0ab3e0c9b38618c257d1fdd10478c6dca9140d97bb7627b7856491dab7fdf01fe5279dc48f1c2c65a" +
		"c37069e2e6478be8398ac1e3ae190612b629b65169c761e99872c95b447b6647d0d20d91ae5c44822dfc791ff491a3c792dbdead0e0b4914b46ca9550acf6a47",
}

func openSSL512AParts(t testing.TB) (*PublicKey, []byte, []byte) {
	t.Helper()
	c, err := CurveByOID(openSSL512A.oid)
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewPublicKey(c, mustUnhex(t, openSSL512A.key))
	if err != nil {
		t.Fatal(err)
	}
	return k, digestOf(NewStreebog512(), []byte(openSSL512A.msg)), mustUnhex(t, openSSL512A.sig)
}

func TestOpenSSL512AVector(t *testing.T) {
	k, digest, sig := openSSL512AParts(t)
	if got, want := digest[:4], mustUnhex(t, "cc19c4cb"); string(got) != string(want) {
		t.Errorf("Streebog-512 of the vector message starts %x, openssl printed %x", got, want)
	}
	if err := k.VerifyDigest(digest, sig); err != nil {
		t.Fatal(err)
	}
	sig[len(sig)-1] ^= 1
	if err := k.VerifyDigest(digest, sig); err == nil {
		t.Fatal("flipped signature verifies")
	}
}

func benchVerify(b *testing.B, k *PublicKey, digest, sig []byte) {
	if err := k.VerifyDigest(digest, sig); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := k.VerifyDigest(digest, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify2012_256 is one verification with a CryptoPro-A key (the
// curve of every real Russian CA): the Минцифры 2022 root self-signature.
func BenchmarkVerify2012_256(b *testing.B) {
	k, digest, sig := sigVectors[4].parts(b)
	benchVerify(b, k, digest, sig)
}

// BenchmarkVerify2012_512 is one verification with a TC26 512-A key.
func BenchmarkVerify2012_512(b *testing.B) {
	k, digest, sig := openSSL512AParts(b)
	benchVerify(b, k, digest, sig)
}

// BenchmarkVerifyReference256 is the math/big reference path, for scale.
func BenchmarkVerifyReference256(b *testing.B) {
	k, digest, sig := sigVectors[4].parts(b)
	for i := 0; i < b.N; i++ {
		verifyBig(k.Curve, k.X, k.Y, leToInt(digest), leToInt(sig[32:]), leToInt(sig[:32]))
	}
}

func benchHash(b *testing.B, h hash.Hash) {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	var out []byte
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Reset()
		h.Write(buf)
		out = h.Sum(out[:0])
	}
}

func BenchmarkStreebog256(b *testing.B) { benchHash(b, NewStreebog256()) }
func BenchmarkStreebog512(b *testing.B) { benchHash(b, NewStreebog512()) }
func BenchmarkGOST341194(b *testing.B)  { benchHash(b, New341194()) }
