package gost

import (
	"crypto/rand"
	"math/big"
	mrand "math/rand"
	"testing"
)

// randScalar returns a random integer in 1..q−1.
func randScalar(t testing.TB, q *big.Int) *big.Int {
	for {
		k, err := rand.Int(rand.Reader, q)
		if err != nil {
			t.Fatal(err)
		}
		if k.Sign() > 0 {
			return k
		}
	}
}

// TestFastMatchesReference compares the fixed-width path with the math/big
// reference on random scalars and random keys, on every curve, including
// edge scalars (0, 1, q−1).
func TestFastMatchesReference(t *testing.T) {
	rounds := 6
	if testing.Short() {
		rounds = 2
	}
	for _, c := range Curves() {
		if c.fast == nil {
			t.Errorf("%s: no fast path", c.Name)
			continue
		}
		qm1 := new(big.Int).Sub(c.Q, big.NewInt(1))
		for i := 0; i < rounds; i++ {
			d := randScalar(t, c.Q)
			qx, qy, _ := scalarMultBig(c, c.X, c.Y, d)
			scalars := [][2]*big.Int{
				{randScalar(t, c.Q), randScalar(t, c.Q)},
				{big.NewInt(0), randScalar(t, c.Q)},
				{randScalar(t, c.Q), big.NewInt(0)},
				{big.NewInt(1), qm1},
				{qm1, big.NewInt(1)},
			}
			for _, u := range scalars {
				wx, wy, winf := combineBig(c, qx, qy, u[0], u[1])
				for _, table := range []bool{false, true} {
					gx, gy, ginf := combineWith(c, table, qx, qy, u[0], u[1])
					if winf != ginf || (!winf && (wx.Cmp(gx) != 0 || wy.Cmp(gy) != 0)) {
						t.Fatalf("%s (G table %v): u1=%x u2=%x d=%x: fast (%x, %x, %v), reference (%x, %x, %v)",
							c.Name, table, u[0], u[1], d, gx, gy, ginf, wx, wy, winf)
					}
				}
			}
			// Q = G and Q = −G make the sum hit doubling and infinity.
			u := randScalar(t, c.Q)
			nu := new(big.Int).Sub(c.Q, u)
			negY := new(big.Int).Sub(c.P, c.Y)
			for _, tc := range []struct{ y, u2 *big.Int }{{c.Y, u}, {negY, u}, {c.Y, nu}} {
				wx, wy, winf := combineBig(c, c.X, tc.y, u, tc.u2)
				for _, table := range []bool{false, true} {
					gx, gy, ginf := combineWith(c, table, c.X, tc.y, u, tc.u2)
					if winf != ginf || (!winf && (wx.Cmp(gx) != 0 || wy.Cmp(gy) != 0)) {
						t.Fatalf("%s (G table %v): special case: fast (%v, %v, %v), reference (%v, %v, %v)", c.Name, table, gx, gy, ginf, wx, wy, winf)
					}
				}
			}
		}
	}
}

// combineWith is fast.combine on a fresh fast path of c, with G's affine
// table (as after baseTableAfter verifications) or with G's multiples
// computed on the fly (as in the first ones).
func combineWith(c *Curve, table bool, qx, qy, u1, u2 *big.Int) (x, y *big.Int, inf bool) {
	fc := newFastCurve(c)
	if table {
		fc.uses.Store(baseTableAfter)
	}
	x, y, inf = fc.combine(qx, qy, u1, u2)
	if table != (fc.gTab != nil) {
		panic("combineWith: the G table was not used as asked")
	}
	return x, y, inf
}

// testSign makes a GOST R 34.10 signature with a test key; it exists only
// to produce valid signatures on curves without published vectors.
func testSign(t testing.TB, c *Curve, d *big.Int, digest []byte) []byte {
	e := new(big.Int).Mod(leToInt(digest), c.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	for {
		k := randScalar(t, c.Q)
		x, _, _ := scalarMultBig(c, c.X, c.Y, k)
		r := new(big.Int).Mod(x, c.Q)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, d)
		s.Add(s, new(big.Int).Mul(k, e))
		s.Mod(s, c.Q)
		if s.Sign() == 0 {
			continue
		}
		return sigBytes(r, s, c.Size)
	}
}

func TestFastVerifyRandomSignatures(t *testing.T) {
	rng := mrand.New(mrand.NewSource(7))
	for _, c := range Curves() {
		d := randScalar(t, c.Q)
		qx, qy, _ := scalarMultBig(c, c.X, c.Y, d)
		k, err := NewPublicKey(c, rawKey(qx, qy, c.Size))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			digest := make([]byte, c.Size)
			rng.Read(digest)
			sig := testSign(t, c, d, digest)
			if err := k.VerifyDigest(digest, sig); err != nil {
				t.Errorf("%s: valid signature rejected: %v", c.Name, err)
			}
			sig[rng.Intn(len(sig))] ^= byte(1 + rng.Intn(255))
			fastErr := k.VerifyDigest(digest, sig)
			n := c.Size
			ref := verifyBig(c, qx, qy, leToInt(digest), new(big.Int).SetBytes(sig[n:]), new(big.Int).SetBytes(sig[:n]))
			if fastErr == nil || ref {
				t.Errorf("%s: corrupted signature: fast %v, reference valid=%v", c.Name, fastErr, ref)
			}
		}
	}
}

// TestWNAF checks the digit expansion: Σ dᵢ·2ⁱ = k, digits odd and small,
// and the spacing rule.
func TestWNAF(t *testing.T) {
	rng := mrand.New(mrand.NewSource(3))
	for iter := 0; iter < 2000; iter++ {
		k := new(big.Int).Rand(rng, new(big.Int).Lsh(big.NewInt(1), uint(1+rng.Intn(512))))
		for _, w := range []uint{2, 4, 5, 7, 8} {
			digits := wnaf(k, w)
			sum := new(big.Int)
			last := -int(w)
			for i := len(digits) - 1; i >= 0; i-- {
				sum.Lsh(sum, 1)
				sum.Add(sum, big.NewInt(int64(digits[i])))
			}
			for i, d := range digits {
				if d == 0 {
					continue
				}
				if lim := 1 << (w - 1); d%2 == 0 || int(d) >= lim || int(d) <= -lim {
					t.Fatalf("k=%x w=%d: bad digit %d at %d", k, w, d, i)
				}
				if i-last < int(w) {
					t.Fatalf("k=%x w=%d: digits at %d and %d too close", k, w, last, i)
				}
				last = i
			}
			if sum.Cmp(k) != 0 {
				t.Fatalf("k=%x w=%d: digits sum to %x", k, w, sum)
			}
		}
	}
}

// TestConcurrentVerify uses one key from several goroutines at once (the
// base-point table is built lazily on first use); run with -race.
func TestConcurrentVerify(t *testing.T) {
	k, digest, sig := sigVectors[3].parts(t)
	errs := make(chan error, 8)
	for i := 0; i < cap(errs); i++ {
		go func() { errs <- k.VerifyDigest(digest, sig) }()
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
