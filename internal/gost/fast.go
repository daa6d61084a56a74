package gost

import (
	"math/big"
	"sync"
	"sync/atomic"
)

// Fast verification: fixed-width field arithmetic (field.go), Jacobian
// coordinates, and Straus–Shamir simultaneous multiplication u1·G + u2·Q
// with width-w NAF digits of both scalars sharing one doubling chain. G's
// odd multiples are precomputed once per curve in affine form (mixed
// additions); Q's are computed per verification in Jacobian form. The
// final check x(C) mod q = r compares X with candidate·Z², so no field
// inversion is needed. Formulas: dbl-2001-b (a = −3), dbl-2007-bl,
// add-2007-bl and madd-2007-bl from the Explicit-Formulas Database.

const (
	wG = 7 // NAF width for the base point: 2^(wG-2) = 32 precomputed points
	wQ = 5 // NAF width for the public key: 8 points per verification
)

type fastCurve struct {
	f       *field
	a       fe   // curve coefficient a, in the field's internal form
	aMinus3 bool // a ≡ −3 (mod p): cheaper doubling
	c       *Curve

	gOnce sync.Once
	gTab  []affine     // G, 3G, 5G, …, (2^(wG-1)−1)·G
	uses  atomic.Int32 // verifications so far (baseTableAfter)
}

type affine struct{ x, y fe }

// jac is a point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is infinity.
type jac struct{ x, y, z fe }

// newFastCurve prepares the fixed-width arithmetic for c, or returns nil
// (use the math/big path) if p does not fit the limbs or is even.
func newFastCurve(c *Curve) *fastCurve {
	n := c.Size / 8
	if c.P.BitLen() > 64*n || c.P.Bit(0) == 0 {
		return nil
	}
	f := newField(c.P, n)
	fc := &fastCurve{f: f, c: c, a: f.toMont(c.A)}
	m3 := new(big.Int).Sub(c.P, big.NewInt(3))
	fc.aMinus3 = m3.Cmp(c.A) == 0
	return fc
}

// oddMultiples sets tab to P, 3P, 5P, … for P = (x, y) in the field's
// internal form.
func (fc *fastCurve) oddMultiples(tab *[1 << (wQ - 2)]jac, x, y fe) {
	tab[0] = jac{x, y, fc.f.one}
	p2 := tab[0]
	fc.double(&p2)
	for i := 1; i < len(tab); i++ {
		tab[i] = tab[i-1]
		fc.add(&tab[i], &p2)
	}
}

// baseTableAfter is how many verifications on a curve compute G's odd
// multiples on the fly before its affine table is built: the table pays
// for itself over many signatures (a store, cert verify --all), not over
// the two or three of one chain.
const baseTableAfter = 4

// baseTable returns G's odd multiples, computed on first use.
func (fc *fastCurve) baseTable() []affine {
	fc.gOnce.Do(func() {
		c := fc.c
		count := 1 << (wG - 2)
		tab := make([]affine, count)
		x, y := c.X, c.Y
		x2, y2, _ := addBig(c, x, y, x, y)
		for i := 0; i < count; i++ {
			tab[i] = affine{fc.f.toMont(x), fc.f.toMont(y)}
			x, y, _ = addBig(c, x, y, x2, y2)
		}
		fc.gTab = tab
	})
	return fc.gTab
}

// double sets p = 2p.
func (fc *fastCurve) double(p *jac) {
	f := fc.f
	if f.isZero(&p.z) {
		return
	}
	if fc.aMinus3 {
		// dbl-2001-b
		var delta, gamma, beta, alpha, t1, t2 fe
		f.sqr(&delta, &p.z)
		f.sqr(&gamma, &p.y)
		f.mul(&beta, &p.x, &gamma)
		f.sub(&t1, &p.x, &delta)
		f.add(&t2, &p.x, &delta)
		f.mul(&alpha, &t1, &t2)
		f.add(&t1, &alpha, &alpha)
		f.add(&alpha, &t1, &alpha)
		// Z3 = (Y1+Z1)² − gamma − delta
		f.add(&t1, &p.y, &p.z)
		f.sqr(&t1, &t1)
		f.sub(&t1, &t1, &gamma)
		f.sub(&p.z, &t1, &delta)
		// X3 = alpha² − 8·beta
		f.add(&beta, &beta, &beta)
		f.add(&beta, &beta, &beta) // 4·beta
		f.add(&t2, &beta, &beta)   // 8·beta
		f.sqr(&t1, &alpha)
		f.sub(&p.x, &t1, &t2)
		// Y3 = alpha·(4·beta − X3) − 8·gamma²
		f.sub(&t1, &beta, &p.x)
		f.mul(&t1, &alpha, &t1)
		f.sqr(&gamma, &gamma)
		f.add(&gamma, &gamma, &gamma)
		f.add(&gamma, &gamma, &gamma)
		f.add(&gamma, &gamma, &gamma)
		f.sub(&p.y, &t1, &gamma)
		return
	}
	// dbl-2007-bl, any a
	var xx, yy, yyyy, zz, s, m, t, t1 fe
	f.sqr(&xx, &p.x)
	f.sqr(&yy, &p.y)
	f.sqr(&yyyy, &yy)
	f.sqr(&zz, &p.z)
	f.add(&t1, &p.x, &yy)
	f.sqr(&t1, &t1)
	f.sub(&t1, &t1, &xx)
	f.sub(&t1, &t1, &yyyy)
	f.add(&s, &t1, &t1)
	f.add(&m, &xx, &xx)
	f.add(&m, &m, &xx)
	f.sqr(&t1, &zz)
	f.mul(&t1, &t1, &fc.a)
	f.add(&m, &m, &t1)
	f.sqr(&t, &m)
	f.sub(&t, &t, &s)
	f.sub(&t, &t, &s)
	// Z3 = (Y1+Z1)² − YY − ZZ
	f.add(&t1, &p.y, &p.z)
	f.sqr(&t1, &t1)
	f.sub(&t1, &t1, &yy)
	f.sub(&p.z, &t1, &zz)
	// Y3 = M·(S − T) − 8·YYYY
	f.sub(&t1, &s, &t)
	f.mul(&t1, &m, &t1)
	f.add(&yyyy, &yyyy, &yyyy)
	f.add(&yyyy, &yyyy, &yyyy)
	f.add(&yyyy, &yyyy, &yyyy)
	f.sub(&p.y, &t1, &yyyy)
	p.x = t
}

// addMixed sets p = p + (x2, y2) for an affine point (add-2007-bl with Z2 = 1).
func (fc *fastCurve) addMixed(p *jac, x2, y2 *fe) {
	f := fc.f
	if f.isZero(&p.z) {
		p.x, p.y, p.z = *x2, *y2, f.one
		return
	}
	var z1z1, u2, s2, h, hh, i, j, r, v, t fe
	f.sqr(&z1z1, &p.z)
	f.mul(&u2, x2, &z1z1)
	f.mul(&s2, y2, &p.z)
	f.mul(&s2, &s2, &z1z1)
	f.sub(&h, &u2, &p.x)
	f.sub(&r, &s2, &p.y)
	if f.isZero(&h) {
		if f.isZero(&r) {
			fc.double(p)
		} else {
			p.z = fe{}
		}
		return
	}
	f.add(&r, &r, &r)
	f.sqr(&hh, &h)
	f.add(&i, &hh, &hh)
	f.add(&i, &i, &i)
	f.mul(&j, &h, &i)
	f.mul(&v, &p.x, &i)
	// X3 = r² − J − 2V
	f.sqr(&t, &r)
	f.sub(&t, &t, &j)
	f.sub(&t, &t, &v)
	f.sub(&t, &t, &v)
	// Y3 = r·(V − X3) − 2·Y1·J
	f.sub(&v, &v, &t)
	f.mul(&v, &r, &v)
	f.mul(&j, &p.y, &j)
	f.add(&j, &j, &j)
	f.sub(&p.y, &v, &j)
	// Z3 = (Z1 + H)² − Z1Z1 − HH
	f.add(&u2, &p.z, &h)
	f.sqr(&u2, &u2)
	f.sub(&u2, &u2, &z1z1)
	f.sub(&p.z, &u2, &hh)
	p.x = t
}

// add sets p = p + q (add-2007-bl).
func (fc *fastCurve) add(p, q *jac) {
	f := fc.f
	if f.isZero(&q.z) {
		return
	}
	if f.isZero(&p.z) {
		*p = *q
		return
	}
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, r, v, t fe
	f.sqr(&z1z1, &p.z)
	f.sqr(&z2z2, &q.z)
	f.mul(&u1, &p.x, &z2z2)
	f.mul(&u2, &q.x, &z1z1)
	f.mul(&s1, &p.y, &q.z)
	f.mul(&s1, &s1, &z2z2)
	f.mul(&s2, &q.y, &p.z)
	f.mul(&s2, &s2, &z1z1)
	f.sub(&h, &u2, &u1)
	f.sub(&r, &s2, &s1)
	if f.isZero(&h) {
		if f.isZero(&r) {
			fc.double(p)
		} else {
			p.z = fe{}
		}
		return
	}
	f.add(&r, &r, &r)
	f.add(&i, &h, &h)
	f.sqr(&i, &i)
	f.mul(&j, &h, &i)
	f.mul(&v, &u1, &i)
	f.sqr(&t, &r)
	f.sub(&t, &t, &j)
	f.sub(&t, &t, &v)
	f.sub(&t, &t, &v)
	f.sub(&v, &v, &t)
	f.mul(&v, &r, &v)
	f.mul(&j, &s1, &j)
	f.add(&j, &j, &j)
	f.sub(&p.y, &v, &j)
	f.add(&u1, &p.z, &q.z)
	f.sqr(&u1, &u1)
	f.sub(&u1, &u1, &z1z1)
	f.sub(&u1, &u1, &z2z2)
	f.mul(&p.z, &u1, &h)
	p.x = t
}

func (fc *fastCurve) neg(y *fe) fe {
	var z, zero fe
	fc.f.sub(&z, &zero, y)
	return z
}

// wnaf returns the width-w NAF digits of k (0 ≤ k < 2^512), least
// significant first: every nonzero digit is odd, |digit| < 2^(w−1), and
// any w consecutive digits hold at most one nonzero.
func wnaf(k *big.Int, w uint) []int8 {
	var d [9]uint64
	kl := limbsOf(k)
	copy(d[:8], kl[:])
	n := k.BitLen() + 1
	out := make([]int8, n)
	mask := uint64(1)<<w - 1
	half := uint64(1) << (w - 1)
	for i := 0; i < n; {
		limb, sh := i/64, uint(i%64)
		if d[limb]>>sh&1 == 0 {
			i++
			continue
		}
		val := d[limb] >> sh
		if sh+w > 64 {
			val |= d[limb+1] << (64 - sh)
		}
		val &= mask
		// Clear the w window bits, then add 2^(i+w) for a negative digit.
		d[limb] &^= mask << sh
		if sh+w > 64 {
			d[limb+1] &^= mask >> (64 - sh)
		}
		if val >= half {
			out[i] = int8(int64(val) - int64(mask+1))
			j, bitPos := (i+int(w))/64, uint((i+int(w))%64)
			add := uint64(1) << bitPos
			for ; j < len(d); j++ {
				old := d[j]
				d[j] += add
				if d[j] >= old {
					break
				}
				add = 1
			}
		} else {
			out[i] = int8(val)
		}
		i += int(w)
	}
	return out
}

// verify checks r, s (already in 1..q−1) against e for key k.
func (fc *fastCurve) verify(k *PublicKey, e, r, s *big.Int) bool {
	c := fc.c
	u1, u2, ok := verifyScalars(c, e, r, s)
	if !ok {
		return false
	}
	acc := fc.combineJac(k.X, k.Y, u1, u2)
	f := fc.f
	if f.isZero(&acc.z) {
		return false
	}
	// Accept iff x(C) mod q == r, without inverting Z: x(C) = X/Z² is one
	// of r, r+q, r+2q, … below p, so test X == cand·Z² for each candidate.
	var zz, t fe
	f.sqr(&zz, &acc.z)
	cand := new(big.Int).Set(r)
	for cand.Cmp(c.P) < 0 {
		cm := f.toMont(cand)
		f.mul(&t, &cm, &zz)
		if t == acc.x {
			return true
		}
		cand.Add(cand, c.Q)
	}
	return false
}

// combine returns the affine point u1·G + u2·(qx, qy), u1, u2 in 0..q−1.
func (fc *fastCurve) combine(qx, qy, u1, u2 *big.Int) (x, y *big.Int, inf bool) {
	acc := fc.combineJac(qx, qy, u1, u2)
	f := fc.f
	if f.isZero(&acc.z) {
		return nil, nil, true
	}
	// x = X/Z², y = Y/Z³
	zinv := new(big.Int).ModInverse(f.fromMont(&acc.z), fc.c.P)
	zi := f.toMont(zinv)
	var zi2, zi3, xm, ym fe
	f.sqr(&zi2, &zi)
	f.mul(&zi3, &zi2, &zi)
	f.mul(&xm, &acc.x, &zi2)
	f.mul(&ym, &acc.y, &zi3)
	return f.fromMont(&xm), f.fromMont(&ym), false
}

// combineJac returns u1·G + u2·(qx, qy) in Jacobian coordinates
// (Straus–Shamir: one doubling chain, NAF digits of both scalars).
func (fc *fastCurve) combineJac(qx, qy, u1, u2 *big.Int) jac {
	f := fc.f
	// Odd multiples of Q: Q, 3Q, …, (2^(wQ-1)−1)·Q.
	var qTab [1 << (wQ - 2)]jac
	fc.oddMultiples(&qTab, f.toMont(qx), f.toMont(qy))
	// G's: the affine table once the curve has verified baseTableAfter
	// signatures; before that, computed like Q's (a one-shot `cert verify`
	// of a chain of two or three signatures does not pay for the 32-point
	// table, a quarter of a millisecond per curve).
	var gJac [1 << (wQ - 2)]jac
	var gTab []affine
	wg := uint(wG)
	if fc.uses.Add(1) > baseTableAfter {
		gTab = fc.baseTable()
	} else {
		wg = wQ
		fc.oddMultiples(&gJac, f.toMont(fc.c.X), f.toMont(fc.c.Y))
	}

	n1 := wnaf(u1, wg)
	n2 := wnaf(u2, wQ)
	top := len(n1)
	if len(n2) > top {
		top = len(n2)
	}
	var acc jac // infinity
	for i := top - 1; i >= 0; i-- {
		fc.double(&acc)
		if i < len(n1) {
			switch d := n1[i]; {
			case d == 0:
			case gTab == nil && d > 0:
				fc.add(&acc, &gJac[d/2])
			case gTab == nil:
				t := gJac[-d/2]
				t.y = fc.neg(&t.y)
				fc.add(&acc, &t)
			case d > 0:
				fc.addMixed(&acc, &gTab[d/2].x, &gTab[d/2].y)
			default:
				ny := fc.neg(&gTab[-d/2].y)
				fc.addMixed(&acc, &gTab[-d/2].x, &ny)
			}
		}
		if i < len(n2) {
			if d := n2[i]; d > 0 {
				fc.add(&acc, &qTab[d/2])
			} else if d < 0 {
				t := qTab[-d/2]
				t.y = fc.neg(&t.y)
				fc.add(&acc, &t)
			}
		}
	}
	return acc
}
