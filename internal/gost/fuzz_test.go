package gost

import (
	"bytes"
	"errors"
	"hash"
	"math/big"
	"testing"
)

func FuzzNewPublicKey(f *testing.F) {
	for _, v := range sigVectors {
		c, _ := CurveByOID(v.oid)
		f.Add(v.oid, rawKey(hexInt(f, v.qx), hexInt(f, v.qy), c.Size))
	}
	f.Add("1.2.643.7.1.2.1.2.1", mustUnhex(f, openSSL512A.key))
	f.Add("1.2.643.2.2.35.1", make([]byte, 64))
	f.Add("1.2.643.2.2.35.1", bytes.Repeat([]byte{0xff}, 64))
	f.Add("1.2.643.2.2.35.9", make([]byte, 64))
	f.Fuzz(func(t *testing.T, oid string, raw []byte) {
		c, err := CurveByOID(oid)
		if err != nil {
			return
		}
		k, err := NewPublicKey(c, raw)
		if err != nil {
			if k != nil {
				t.Fatal("key returned with an error")
			}
			return
		}
		if !c.onCurve(k.X, k.Y) || k.X.Cmp(c.P) >= 0 || k.Y.Cmp(c.P) >= 0 {
			t.Fatalf("accepted invalid point %x, %x", k.X, k.Y)
		}
		if !bytes.Equal(k.Bytes(), raw) {
			t.Fatalf("Bytes() = %x, want %x", k.Bytes(), raw)
		}
	})
}

// FuzzVerifyDigest feeds arbitrary digests and signatures to known keys.
// It must never panic, malformed input must not claim ErrBadSignature, and
// for well-formed input the fast path must agree with the math/big
// reference.
func FuzzVerifyDigest(f *testing.F) {
	keys := make([]*PublicKey, 0, len(sigVectors)+1)
	for i, v := range sigVectors {
		k, digest, sig := v.parts(f)
		keys = append(keys, k)
		f.Add(uint8(i), digest, sig)
		bad := append([]byte(nil), sig...)
		bad[3] ^= 0x10
		f.Add(uint8(i), digest, bad)
	}
	k, digest, sig := openSSL512AParts(f)
	keys = append(keys, k)
	f.Add(uint8(len(keys)-1), digest, sig)
	f.Add(uint8(0), []byte{}, []byte{1})
	f.Add(uint8(1), make([]byte, 64), make([]byte, 128))
	f.Fuzz(func(t *testing.T, which uint8, digest, sig []byte) {
		k := keys[int(which)%len(keys)]
		err := k.VerifyDigest(digest, sig)
		n := k.Curve.Size
		if len(sig) != 2*n || len(digest) == 0 || len(digest) > n {
			if err == nil || errors.Is(err, ErrBadSignature) {
				t.Fatalf("malformed input (digest %d, sig %d bytes): %v", len(digest), len(sig), err)
			}
			return
		}
		s := new(big.Int).SetBytes(sig[:n])
		r := new(big.Int).SetBytes(sig[n:])
		if r.Sign() == 0 || s.Sign() == 0 || r.Cmp(k.Curve.Q) >= 0 || s.Cmp(k.Curve.Q) >= 0 {
			if err == nil || errors.Is(err, ErrBadSignature) {
				t.Fatalf("out-of-range r/s: %v", err)
			}
			return
		}
		if err != nil && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("well-formed input gave %v, want ErrBadSignature", err)
		}
		// The math/big reference takes milliseconds: run it for one input in
		// eight (and always for accepted signatures) to keep the fuzzer fast.
		if err != nil && sig[0]&7 != 0 {
			return
		}
		ref := verifyBig(k.Curve, k.X, k.Y, leToInt(digest), r, s)
		if ref != (err == nil) {
			t.Fatalf("fast path says %v, reference says valid=%v", err, ref)
		}
	})
}

// FuzzHashChunks checks that every hash gives the same digest for one write
// and for the same message written in two pieces.
func FuzzHashChunks(f *testing.F) {
	f.Add([]byte("012345678901234567890123456789012345678901234567890123456789012"), uint16(10))
	f.Add(bytes.Repeat([]byte("U"), 128), uint16(64))
	f.Add([]byte{}, uint16(0))
	f.Fuzz(func(t *testing.T, msg []byte, split uint16) {
		cut := 0
		if len(msg) > 0 {
			cut = int(split) % (len(msg) + 1)
		}
		for name, h := range map[string]func() hash.Hash{
			"streebog256": NewStreebog256, "streebog512": NewStreebog512, "gost94": New341194,
		} {
			one := h()
			one.Write(msg)
			two := h()
			two.Write(msg[:cut])
			two.Write(msg[cut:])
			if a, b := one.Sum(nil), two.Sum(nil); !bytes.Equal(a, b) {
				t.Fatalf("%s: one write %x, split at %d %x", name, a, cut, b)
			}
		}
	})
}
