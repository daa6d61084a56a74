package gost

import "math/big"

// This file is the simple math/big implementation of GOST R 34.10
// verification. It is the reference the fixed-width fast path is tested
// against, and the fallback for curves without a fast path.

// verifyBig checks r, s (already in 1..q-1) against e for key (qx, qy):
// v = e⁻¹, z1 = s·v, z2 = −r·v (mod q), C = z1·G + z2·Q, valid iff
// x(C) mod q == r (GOST R 34.10-2012 §6.2). e ≡ 0 (mod q) is replaced by 1.
func verifyBig(c *Curve, qx, qy, e, r, s *big.Int) bool {
	u1, u2, ok := verifyScalars(c, e, r, s)
	if !ok {
		return false
	}
	x, _, inf := combineBig(c, qx, qy, u1, u2)
	if inf {
		return false
	}
	x = new(big.Int).Mod(x, c.Q)
	return x.Cmp(r) == 0
}

// verifyScalars returns z1 = s·v and z2 = −r·v mod q with v = e⁻¹ mod q
// (e ≡ 0 is replaced by 1, GOST R 34.10-2012 §6.2 step 3).
func verifyScalars(c *Curve, e, r, s *big.Int) (z1, z2 *big.Int, ok bool) {
	e = new(big.Int).Mod(e, c.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	v := new(big.Int).ModInverse(e, c.Q)
	if v == nil {
		return nil, nil, false
	}
	z1 = new(big.Int).Mul(s, v)
	z1.Mod(z1, c.Q)
	z2 = new(big.Int).Mul(r, v)
	z2.Mod(z2, c.Q)
	z2.Sub(c.Q, z2)
	z2.Mod(z2, c.Q)
	return z1, z2, true
}

// combineBig returns u1·G + u2·(qx, qy) in affine coordinates.
func combineBig(c *Curve, qx, qy, u1, u2 *big.Int) (x, y *big.Int, inf bool) {
	x1, y1, inf1 := scalarMultBig(c, c.X, c.Y, u1)
	x2, y2, inf2 := scalarMultBig(c, qx, qy, u2)
	switch {
	case inf1 && inf2:
		return nil, nil, true
	case inf1:
		return x2, y2, false
	case inf2:
		return x1, y1, false
	}
	return addBig(c, x1, y1, x2, y2)
}

// addBig adds two affine points that are not the point at infinity.
func addBig(c *Curve, x1, y1, x2, y2 *big.Int) (x, y *big.Int, inf bool) {
	p := c.P
	var l *big.Int
	if x1.Cmp(x2) == 0 {
		sum := new(big.Int).Add(y1, y2)
		if sum.Mod(sum, p).Sign() == 0 {
			return nil, nil, true
		}
		// tangent: λ = (3x² + a) / 2y
		num := new(big.Int).Mul(x1, x1)
		num.Mul(num, big.NewInt(3))
		num.Add(num, c.A)
		den := new(big.Int).Lsh(y1, 1)
		den.ModInverse(den.Mod(den, p), p)
		l = num.Mul(num, den)
	} else {
		num := new(big.Int).Sub(y2, y1)
		den := new(big.Int).Sub(x2, x1)
		den.Mod(den, p)
		den.ModInverse(den, p)
		l = num.Mul(num, den)
	}
	l.Mod(l, p)
	x = new(big.Int).Mul(l, l)
	x.Sub(x, x1)
	x.Sub(x, x2)
	x.Mod(x, p)
	y = new(big.Int).Sub(x1, x)
	y.Mul(y, l)
	y.Sub(y, y1)
	y.Mod(y, p)
	return x, y, false
}

// scalarMultBig computes k·(x, y) by double-and-add in affine coordinates.
func scalarMultBig(c *Curve, x, y, k *big.Int) (rx, ry *big.Int, inf bool) {
	inf = true
	for i := k.BitLen() - 1; i >= 0; i-- {
		if !inf {
			rx, ry, inf = addBig(c, rx, ry, rx, ry)
		}
		if k.Bit(i) == 1 {
			if inf {
				rx, ry, inf = new(big.Int).Set(x), new(big.Int).Set(y), false
			} else {
				rx, ry, inf = addBig(c, rx, ry, x, y)
			}
		}
	}
	return rx, ry, inf
}
