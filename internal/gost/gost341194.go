package gost

import (
	"encoding/binary"
	"hash"
	"sync"
)

// GOST R 34.11-94 (RFC 5831) with the GOST 28147-89 block cipher as its
// step function. Values are handled in byte-string order: byte 0 is the
// least significant byte of the standard's 256-bit numbers, which is also
// the order `openssl dgst -md_gost94` prints.

// gost28147Sbox is the eight 4-bit substitution boxes; box i maps nibble i
// (counting from the least significant) of the 32-bit round value.
type gost28147Sbox [8][16]byte

// S-boxes of RFC 4357 §11.2: id-GostR3411-94-CryptoProParamSet
// (1.2.643.2.2.30.1, used by X.509 GOST 2001 signatures) and
// id-GostR3411-94-TestParamSet (1.2.643.2.2.30.0, the RFC 5831 examples).
var (
	sboxGostR341194CryptoPro = gost28147Sbox{
		{10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15},
		{5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8},
		{7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13},
		{4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3},
		{7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5},
		{7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3},
		{13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11},
		{1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12},
	}
	sboxGostR341194Test = gost28147Sbox{
		{4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3},
		{14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9},
		{5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11},
		{7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3},
		{6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2},
		{4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14},
		{13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12},
		{1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12},
	}
)

// sboxTables expands an S-box into four byte-wise tables that already
// include the 11-bit rotation of the round function.
type sboxTables [4][256]uint32

func expandSbox(s *gost28147Sbox) *sboxTables {
	t := new(sboxTables)
	for b := 0; b < 4; b++ {
		for v := 0; v < 256; v++ {
			lo := uint32(s[2*b][v&15])
			hi := uint32(s[2*b+1][v>>4])
			x := (lo | hi<<4) << (8 * uint(b))
			t[b][v] = x<<11 | x>>21
		}
	}
	return t
}

// The expanded S-boxes of the two parameter sets, built by the first hash
// that uses them (not at start-up).
var (
	tablesCryptoPro, tablesTest         *sboxTables
	tablesCryptoProOnce, tablesTestOnce sync.Once
)

// gost28147KeyOrder is the subkey index of each of the 32 rounds: k1..k8
// three times, then k8..k1 (GOST 28147-89 basic mode).
var gost28147KeyOrder = [32]uint8{
	0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7,
	0, 1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1, 0,
}

// encrypt28147 encrypts one 64-bit block (low half n1, high half n2) with
// the 256-bit key k (k[0] = k1, the least significant word) in the basic
// (ECB) mode of GOST 28147-89. Each round adds the subkey to one half,
// substitutes, rotates left by 11 (folded into the tables) and XORs the
// result into the other half; two rounds per iteration avoid the swap.
func encrypt28147(t *sboxTables, k *[8]uint32, block uint64) uint64 {
	n1, n2 := uint32(block), uint32(block>>32)
	for r := 0; r < 32; r += 2 {
		x := n1 + k[gost28147KeyOrder[r]&7]
		n2 ^= t[0][byte(x)] ^ t[1][byte(x>>8)] ^ t[2][byte(x>>16)] ^ t[3][byte(x>>24)]
		x = n2 + k[gost28147KeyOrder[r+1]&7]
		n1 ^= t[0][byte(x)] ^ t[1][byte(x>>8)] ^ t[2][byte(x>>16)] ^ t[3][byte(x>>24)]
	}
	// The standard's last round does not swap the halves, so the result is
	// (low = n2, high = n1) in this two-rounds-per-step form.
	return uint64(n1)<<32 | uint64(n2)
}

type gost94 struct {
	t     *sboxTables
	h     [32]byte
	sigma [32]byte
	bits  [32]byte // message length in bits, 256-bit little-endian
	buf   [32]byte
	nbuf  int
}

// New341194 returns a GOST R 34.11-94 hash with the CryptoPro parameter set
// (1.2.643.2.2.30.1), the hash of GOST R 34.10-2001 certificate
// signatures. The output bytes are those `openssl dgst -md_gost94` prints,
// except for the empty message, where the Debian gost-engine 3.0.1 result
// differs from the standard's; this package follows the standard
// (981e5f3c…4cd656c0).
func New341194() hash.Hash {
	tablesCryptoProOnce.Do(func() { tablesCryptoPro = expandSbox(&sboxGostR341194CryptoPro) })
	return &gost94{t: tablesCryptoPro}
}

// new341194Test returns GOST R 34.11-94 with the test parameter set
// (1.2.643.2.2.30.0), used by the RFC 5831 examples.
func new341194Test() hash.Hash {
	tablesTestOnce.Do(func() { tablesTest = expandSbox(&sboxGostR341194Test) })
	return &gost94{t: tablesTest}
}

func (d *gost94) Size() int      { return 32 }
func (d *gost94) BlockSize() int { return 32 }

func (d *gost94) Reset() {
	d.h = [32]byte{}
	d.sigma = [32]byte{}
	d.bits = [32]byte{}
	d.nbuf = 0
}

func (d *gost94) Write(p []byte) (int, error) {
	d.nbuf = bufferBlocks(d.buf[:], d.nbuf, p, d.fullBlock)
	return len(p), nil
}

func (d *gost94) fullBlock(b []byte) {
	var m [32]byte
	copy(m[:], b)
	d.block(&m, 256)
}

func (d *gost94) block(m *[32]byte, nbits uint64) {
	d.h = gost94Step(d.t, &d.h, m)
	add256(&d.sigma, m)
	var l [32]byte
	binary.LittleEndian.PutUint64(l[:], nbits)
	add256(&d.bits, &l)
}

func (d *gost94) Sum(in []byte) []byte {
	dd := *d
	if dd.nbuf > 0 {
		var m [32]byte
		copy(m[:], dd.buf[:dd.nbuf])
		dd.block(&m, uint64(dd.nbuf)*8)
	}
	h := gost94Step(dd.t, &dd.h, &dd.bits)
	h = gost94Step(dd.t, &h, &dd.sigma)
	return append(in, h[:]...)
}

// add256 sets x = x + y mod 2^256 (little-endian byte strings).
func add256(x, y *[32]byte) {
	var c uint16
	for i := range x {
		c += uint16(x[i]) + uint16(y[i])
		x[i] = byte(c)
		c >>= 8
	}
}

// gost94A is the transformation A(y4‖y3‖y2‖y1) = (y1⊕y2)‖y4‖y3‖y2 on
// 64-bit words, y1 least significant.
func gost94A(x [32]byte) [32]byte {
	var out [32]byte
	copy(out[:24], x[8:])
	for i := 0; i < 8; i++ {
		out[24+i] = x[i] ^ x[8+i]
	}
	return out
}

// gost94P is the byte permutation P with φ(i + 1 + 4(k−1)) = 8i + k: byte
// t of the result is byte 8·(t mod 4) + t/4 of the input.
func gost94P(x [32]byte) (k [8]uint32) {
	var out [32]byte
	for t := 0; t < 32; t++ {
		out[t] = x[8*(t%4)+t/4]
	}
	for i := range k {
		k[i] = binary.LittleEndian.Uint32(out[4*i:])
	}
	return k
}

// gost94C3 is the constant C3 of RFC 5831 §6.1 in byte-string order.
var gost94C3 = [32]byte{
	0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff,
	0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00,
	0x00, 0xff, 0xff, 0x00, 0xff, 0x00, 0x00, 0xff,
	0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0xff,
}

// gost94Step is the step function f(H, M) of RFC 5831 §6.
func gost94Step(t *sboxTables, h, m *[32]byte) [32]byte {
	// Key generation.
	var keys [4][8]uint32
	u, v := *h, *m
	var w [32]byte
	for i := range w {
		w[i] = u[i] ^ v[i]
	}
	keys[0] = gost94P(w)
	for j := 1; j < 4; j++ {
		u = gost94A(u)
		if j == 2 {
			for i := range u {
				u[i] ^= gost94C3[i]
			}
		}
		v = gost94A(gost94A(v))
		for i := range w {
			w[i] = u[i] ^ v[i]
		}
		keys[j] = gost94P(w)
	}
	// Encryption: s_i = E_{K_i}(h_i), h1 the least significant 64 bits.
	var s [16]uint16
	for i := 0; i < 4; i++ {
		hi := binary.LittleEndian.Uint64(h[8*i:])
		si := encrypt28147(t, &keys[i], hi)
		for j := 0; j < 4; j++ {
			s[4*i+j] = uint16(si >> (16 * uint(j)))
		}
	}
	// Mixing: ψ^61(H ⊕ ψ(M ⊕ ψ^12(S))). ψ shifts the sixteen 16-bit words
	// (y1 least significant) down by one and puts y1⊕y2⊕y3⊕y4⊕y13⊕y16 on
	// top, so applying it repeatedly just extends a sequence:
	// w[i+16] = w[i]⊕w[i+1]⊕w[i+2]⊕w[i+3]⊕w[i+12]⊕w[i+15], and after j
	// applications the state is w[j..j+15].
	var seq [16 + 12 + 1 + 61]uint16
	copy(seq[:], s[:])
	pos := 0
	step := func(count int) {
		for ; count > 0; count-- {
			seq[pos+16] = seq[pos] ^ seq[pos+1] ^ seq[pos+2] ^ seq[pos+3] ^ seq[pos+12] ^ seq[pos+15]
			pos++
		}
	}
	step(12)
	for j := 0; j < 16; j++ {
		seq[pos+j] ^= binary.LittleEndian.Uint16(m[2*j:])
	}
	step(1)
	for j := 0; j < 16; j++ {
		seq[pos+j] ^= binary.LittleEndian.Uint16(h[2*j:])
	}
	step(61)
	copy(s[:], seq[pos:pos+16])
	var out [32]byte
	for j := range s {
		binary.LittleEndian.PutUint16(out[2*j:], s[j])
	}
	return out
}
