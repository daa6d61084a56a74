package gost

//go:generate go run gen_field.go

import (
	"math/big"
	"math/bits"
)

// fe is a field element as little-endian 64-bit limbs: in Montgomery form
// for general primes, in plain form for p = 2^(64·n) − c (see field.pmC).
// Only the first field.n limbs are used (4 for 256-bit, 8 for 512-bit
// curves); the rest stay zero. Values are always fully reduced (< p), so
// equal elements have equal limbs.
type fe [8]uint64

// field is GF(p) with fixed-width arithmetic: Montgomery multiplication
// (R = 2^(64·n)) in general, pseudo-Mersenne reduction when p = 2^(64·n) − c
// for a small c (the curves of every real Russian CA certificate).
type field struct {
	n    int
	p    fe
	pinv uint64 // −p⁻¹ mod 2^64
	r2   fe     // R² mod p (plain form), for conversion into Montgomery form
	one  fe     // R mod p: 1 in Montgomery form
	pBig *big.Int
	// pmC is c when p = 2^(64·n) − c with c < 2^32 (CryptoPro-A, TC26
	// 256-A, TC26 512-A/C): elements are then kept in plain form and
	// products are reduced with 2^(64·n) ≡ c instead of Montgomery's method.
	pmC uint64
}

func newField(p *big.Int, n int) *field {
	f := &field{n: n, pBig: p}
	f.p = limbsOf(p)
	// Newton iteration for p⁻¹ mod 2^64 (p is odd).
	inv := uint64(1)
	for i := 0; i < 6; i++ {
		inv *= 2 - f.p[0]*inv
	}
	f.pinv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*n))
	if c := new(big.Int).Sub(r, p); c.BitLen() <= 32 {
		// Plain representation: conversion multiplies by 1.
		f.pmC = c.Uint64()
		f.one[0], f.r2[0] = 1, 1
		return f
	}
	f.one = limbsOf(new(big.Int).Mod(r, p))
	r2 := new(big.Int).Mul(r, r)
	f.r2 = limbsOf(r2.Mod(r2, p))
	return f
}

// limbsOf converts a non-negative integer below 2^512 to limbs.
func limbsOf(x *big.Int) fe {
	var out fe
	var buf [64]byte
	x.FillBytes(buf[:])
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			out[i] |= uint64(buf[63-8*i-j]) << (8 * uint(j))
		}
	}
	return out
}

func bigOf(x *fe) *big.Int {
	var buf [64]byte
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			buf[63-8*i-j] = byte(x[i] >> (8 * uint(j)))
		}
	}
	return new(big.Int).SetBytes(buf[:])
}

// toMont converts a reduced integer to the internal form (Montgomery form,
// or unchanged for pseudo-Mersenne primes where r2 = 1).
func (f *field) toMont(x *big.Int) fe {
	v := limbsOf(x)
	var z fe
	f.mul(&z, &v, &f.r2)
	return z
}

// fromMont converts back to an ordinary integer.
func (f *field) fromMont(x *fe) *big.Int {
	var one, z fe
	one[0] = 1
	f.mul(&z, x, &one)
	return bigOf(&z)
}

func (f *field) mul(z, x, y *fe) {
	if f.pmC != 0 {
		if f.n == 4 {
			mulPM4(z, x, y, f.pmC)
		} else {
			mulPM8(z, x, y, f.pmC)
		}
		return
	}
	montMul(z, x, y, &f.p, f.pinv, f.n)
}

func (f *field) sqr(z, x *fe) {
	if f.pmC == 0 {
		f.mul(z, x, x)
		return
	}
	if f.n == 4 {
		sqrPM4(z, x, f.pmC)
	} else {
		sqrPM8(z, x, f.pmC)
	}
}

// montMul is Montgomery multiplication (CIOS): z = x·y/R mod p for n
// limbs. Used for the primes that are not pseudo-Mersenne.
func montMul(z, x, y, p *fe, pinv uint64, n int) {
	var t [10]uint64
	for i := 0; i < n; i++ {
		yi := y[i]
		var c, cc, hi, lo uint64
		for j := 0; j < n; j++ {
			hi, lo = bits.Mul64(x[j], yi)
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			t[j], cc = bits.Add64(lo, c, 0)
			c = hi + cc
		}
		t[n], t[n+1] = bits.Add64(t[n], c, 0)
		m := t[0] * pinv
		hi, lo = bits.Mul64(m, p[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo = bits.Mul64(m, p[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			t[j-1], cc = bits.Add64(lo, c, 0)
			c = hi + cc
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	// t < 2p: subtract p once if t ≥ p.
	var s fe
	var b uint64
	for j := 0; j < n; j++ {
		s[j], b = bits.Sub64(t[j], p[j], b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	if b == 0 {
		*z = s
	} else {
		copy(z[:n], t[:n])
	}
}

// add sets z = x + y mod p.
func (f *field) add(z, x, y *fe) {
	if f.n == 4 {
		add4(z, x, y, &f.p)
	} else {
		add8(z, x, y, &f.p)
	}
}

// sub sets z = x − y mod p.
func (f *field) sub(z, x, y *fe) {
	if f.n == 4 {
		sub4(z, x, y, &f.p)
	} else {
		sub8(z, x, y, &f.p)
	}
}

func (f *field) isZero(x *fe) bool {
	var acc uint64
	for i := 0; i < f.n; i++ {
		acc |= x[i]
	}
	return acc == 0
}
