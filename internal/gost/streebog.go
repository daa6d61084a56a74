package gost

import (
	"encoding/binary"
	"hash"
)

// streebog implements GOST R 34.11-2012 (RFC 6986). The 512-bit state is
// kept as eight little-endian 64-bit words: word 0 holds the first eight
// bytes of the byte-string form, i.e. the least significant bits in RFC
// notation.
type streebog struct {
	size  int // 32 or 64
	h     [8]uint64
	n     [8]uint64 // bits processed so far, 512-bit counter
	sigma [8]uint64 // sum of the blocks mod 2^512
	buf   [64]byte
	nbuf  int
}

// NewStreebog256 returns a GOST R 34.11-2012 hash with a 256-bit output.
// The output bytes are those `openssl dgst -md_gost12_256` prints.
func NewStreebog256() hash.Hash {
	streebogTablesOnce.Do(initStreebogTables)
	d := &streebog{size: 32}
	d.Reset()
	return d
}

// NewStreebog512 returns a GOST R 34.11-2012 hash with a 512-bit output.
// The output bytes are those `openssl dgst -md_gost12_512` prints.
func NewStreebog512() hash.Hash {
	streebogTablesOnce.Do(initStreebogTables)
	d := &streebog{size: 64}
	d.Reset()
	return d
}

func (d *streebog) Size() int      { return d.size }
func (d *streebog) BlockSize() int { return 64 }

func (d *streebog) Reset() {
	iv := uint64(0)
	if d.size == 32 {
		iv = 0x0101010101010101 // IV of the 256-bit variant: every byte 0x01
	}
	for i := range d.h {
		d.h[i] = iv
		d.n[i] = 0
		d.sigma[i] = 0
	}
	d.nbuf = 0
}

func (d *streebog) Write(p []byte) (int, error) {
	d.nbuf = bufferBlocks(d.buf[:], d.nbuf, p, d.block)
	return len(p), nil
}

// bufferBlocks feeds p to block in whole blocks of len(buf) bytes, using buf
// (holding nbuf bytes from earlier writes) for the pieces between; it
// returns the new number of buffered bytes.
func bufferBlocks(buf []byte, nbuf int, p []byte, block func([]byte)) int {
	size := len(buf)
	if nbuf > 0 {
		c := copy(buf[nbuf:], p)
		nbuf += c
		p = p[c:]
		if nbuf < size {
			return nbuf
		}
		block(buf)
	}
	for len(p) >= size {
		block(p[:size])
		p = p[size:]
	}
	return copy(buf, p)
}

// block processes one full 64-byte message block (stage 2 of RFC 6986 §8).
func (d *streebog) block(b []byte) {
	var m [8]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	streebogG(&d.h, &d.n, &m)
	add512(&d.n, 512)
	addWords512(&d.sigma, &m)
}

func (d *streebog) Sum(in []byte) []byte {
	// Work on a copy so that Sum does not change the running state.
	h := d.h
	n := d.n
	sigma := d.sigma
	var last [64]byte
	copy(last[:], d.buf[:d.nbuf])
	last[d.nbuf] = 0x01
	var m [8]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(last[8*i:])
	}
	streebogG(&h, &n, &m)
	add512(&n, uint64(d.nbuf)*8)
	addWords512(&sigma, &m)
	var zero [8]uint64
	streebogG(&h, &zero, &n)
	streebogG(&h, &zero, &sigma)

	var out [64]byte
	for i, w := range h {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
	if d.size == 32 {
		return append(in, out[32:]...)
	}
	return append(in, out[:]...)
}

// add512 adds a small number to a 512-bit little-endian word array.
func add512(x *[8]uint64, v uint64) {
	for i := range x {
		old := x[i]
		x[i] += v
		if x[i] >= old {
			return
		}
		v = 1
	}
}

// addWords512 sets x = x + y mod 2^512.
func addWords512(x, y *[8]uint64) {
	var carry uint64
	for i := range x {
		s := x[i] + y[i]
		c1 := uint64(0)
		if s < x[i] {
			c1 = 1
		}
		s2 := s + carry
		if s2 < s {
			c1 = 1
		}
		x[i] = s2
		carry = c1
	}
}

// lps applies S, P and L to the state (a0..a7), using the combined
// tables: output word i gathers byte i of every input word.
//
// The table arrives as a parameter so that the compiler keeps its address
// in a register and folds the row offsets into the loads (with a global it
// recomputes the address for every lookup).
func lps(t *[8][256]uint64, a0, a1, a2, a3, a4, a5, a6, a7 uint64) (r0, r1, r2, r3, r4, r5, r6, r7 uint64) {
	r0 = t[0][byte(a0)] ^ t[1][byte(a1)] ^ t[2][byte(a2)] ^ t[3][byte(a3)] ^
		t[4][byte(a4)] ^ t[5][byte(a5)] ^ t[6][byte(a6)] ^ t[7][byte(a7)]
	r1 = t[0][byte(a0>>8)] ^ t[1][byte(a1>>8)] ^ t[2][byte(a2>>8)] ^ t[3][byte(a3>>8)] ^
		t[4][byte(a4>>8)] ^ t[5][byte(a5>>8)] ^ t[6][byte(a6>>8)] ^ t[7][byte(a7>>8)]
	r2 = t[0][byte(a0>>16)] ^ t[1][byte(a1>>16)] ^ t[2][byte(a2>>16)] ^ t[3][byte(a3>>16)] ^
		t[4][byte(a4>>16)] ^ t[5][byte(a5>>16)] ^ t[6][byte(a6>>16)] ^ t[7][byte(a7>>16)]
	r3 = t[0][byte(a0>>24)] ^ t[1][byte(a1>>24)] ^ t[2][byte(a2>>24)] ^ t[3][byte(a3>>24)] ^
		t[4][byte(a4>>24)] ^ t[5][byte(a5>>24)] ^ t[6][byte(a6>>24)] ^ t[7][byte(a7>>24)]
	r4 = t[0][byte(a0>>32)] ^ t[1][byte(a1>>32)] ^ t[2][byte(a2>>32)] ^ t[3][byte(a3>>32)] ^
		t[4][byte(a4>>32)] ^ t[5][byte(a5>>32)] ^ t[6][byte(a6>>32)] ^ t[7][byte(a7>>32)]
	r5 = t[0][byte(a0>>40)] ^ t[1][byte(a1>>40)] ^ t[2][byte(a2>>40)] ^ t[3][byte(a3>>40)] ^
		t[4][byte(a4>>40)] ^ t[5][byte(a5>>40)] ^ t[6][byte(a6>>40)] ^ t[7][byte(a7>>40)]
	r6 = t[0][byte(a0>>48)] ^ t[1][byte(a1>>48)] ^ t[2][byte(a2>>48)] ^ t[3][byte(a3>>48)] ^
		t[4][byte(a4>>48)] ^ t[5][byte(a5>>48)] ^ t[6][byte(a6>>48)] ^ t[7][byte(a7>>48)]
	r7 = t[0][byte(a0>>56)] ^ t[1][byte(a1>>56)] ^ t[2][byte(a2>>56)] ^ t[3][byte(a3>>56)] ^
		t[4][byte(a4>>56)] ^ t[5][byte(a5>>56)] ^ t[6][byte(a6>>56)] ^ t[7][byte(a7>>56)]
	return
}

// streebogG is the compression function g_N(h, m) = E(LPS(h ⊕ N), m) ⊕ h ⊕ m,
// where E runs twelve rounds X[K]·LPS with keys K(i+1) = LPS(K(i) ⊕ C(i)).
func streebogG(h, n, m *[8]uint64) {
	t := &streebogLPS
	k0, k1, k2, k3, k4, k5, k6, k7 := lps(t, h[0]^n[0], h[1]^n[1], h[2]^n[2], h[3]^n[3],
		h[4]^n[4], h[5]^n[5], h[6]^n[6], h[7]^n[7])
	s0, s1, s2, s3, s4, s5, s6, s7 := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]
	for r := range streebogCW {
		c := &streebogCW[r]
		s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7)
		k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^c[0], k1^c[1], k2^c[2], k3^c[3], k4^c[4], k5^c[5], k6^c[6], k7^c[7])
	}
	h[0] ^= s0 ^ k0 ^ m[0]
	h[1] ^= s1 ^ k1 ^ m[1]
	h[2] ^= s2 ^ k2 ^ m[2]
	h[3] ^= s3 ^ k3 ^ m[3]
	h[4] ^= s4 ^ k4 ^ m[4]
	h[5] ^= s5 ^ k5 ^ m[5]
	h[6] ^= s6 ^ k6 ^ m[6]
	h[7] ^= s7 ^ k7 ^ m[7]
}
