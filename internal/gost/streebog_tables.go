package gost

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// Constant data of GOST R 34.11-2012 (Streebog) as published in RFC 6986
// ("constant values": π', A, C1..C12) and in the standard itself. The
// tables are kept as hex strings; the combined lookup tables are derived at
// start-up.

// streebogPi is the byte substitution π' as 256 bytes π'(0..255).
const streebogPi = "" +
	"fceedd11cf6e3116fbc4fada23c5044de977f0db932e99ba1736f1bb14cd5fc1" +
	"f918655ae25cef21811c3c428b018e4f058402aee36a8fa0060bed987fd4d31f" +
	"eb342c51eac848abf22a68a2fd3acecc b5700e56080c7612bf7213479cb75d87" +
	"15a19629107b9ac7f391786f9d9eb2b13275193dff358a7e6d54c680c3bd0d57" +
	"dff524a93ea843c9d779d6f67c22b903e00fecde7a94b0bcdce828504e330a4a" +
	"a79760731e0062441ab83882649f2641ad454692275e552f8ca3a57d69d5953b" +
	"0758b34086ac1df730376be488d9e789e11b83494c3ff8fe8d53aa90cad88561" +
	"207167a42d2b095bcb9b25d0bee56c5259a674d2e6f4b4c0d166afc2394b63b6"

// streebogA is the matrix A of the linear transformation l, rows A[0..63] as 64-bit numbers, most significant digit first.
const streebogA = "" +
	"8e20faa72ba0b470 47107ddd9b505a38 ad08b0e0c3282d1c d8045870ef14980e" +
	"6c022c38f90a4c07 3601161cf205268d 1b8e0b0e798c13c8 83478b07b2468764" +
	"a011d380818e8f40 5086e740ce47c920 2843fd2067adea10 14aff010bdd87508" +
	"0ad97808d06cb404 05e23c0468365a02 8c711e02341b2d01 46b60f011a83988e" +
	"90dab52a387ae76f 486dd4151c3dfdb9 24b86a840e90f0d2 125c354207487869" +
	"092e94218d243cba 8a174a9ec8121e5d 4585254f64090fa0 accc9ca9328a8950" +
	"9d4df05d5f661451 c0a878a0a1330aa6 60543c50de970553 302a1e286fc58ca7" +
	"18150f14b9ec46dd 0c84890ad27623e0 0642ca05693b9f70 0321658cba93c138" +
	"86275df09ce8aaa8 439da0784e745554 afc0503c273aa42a d960281e9d1d5215" +
	"e230140fc0802984 71180a8960409a42 b60c05ca30204d21 5b068c651810a89e" +
	"456c34887a3805b9 ac361a443d1c8cd2 561b0d22900e4669 2b838811480723ba" +
	"9bcf4486248d9f5d c3e9224312c8c1a0 effa11af0964ee50 f97d86d98a327728" +
	"e4fa2054a80b329c 727d102a548b194e 39b008152acb8227 9258048415eb419d" +
	"492c024284fbaec0 aa16012142f35760 550b8e9e21f7a530 a48b474f9ef5dc18" +
	"70a6a56e2440598e 3853dc371220a247 1ca76e95091051ad 0edd37c48a08a6d8" +
	"07e0956245045 36c 8d70c431ac02a736 c838629656 01dd1b 641c314b2b8ee083"

// streebogC are the twelve iteration constants C1..C12, each written as the 64-byte string in memory order (least significant
// byte first), i.e. the reverse of the RFC's notation.
var streebogC = [12]string{
	"0745a6f2596580dd234d74cc36747605 15d360a4082a42a2016967929 1e07c4b" +
		"fcc485758db84e7116d0452e43766a2f 1f7c65c0812fcbebe9daca1eda5b08b1",
	"b79bb121700479e656cdcbd71ba2dd55 caa70adbc261b55c5899d6126b17b59a" +
		"3101b5160f5ed561982b230a72eafef3 d7b5700f469de34f1a2f9da98ab5a36f",
	"b20aba0af5961e9931db7a8643f4b6c2 09db6260373ac9c1b19e3590e40fe2d3" +
		"7b7b29b11475eaf28b1f9c525f5ef106 35843d6a28fc390ac72fce2bacdc74f5",
	"2ed1e384bcbe0c22f137e893a1ea5334 be0352933313b7d875d603ed822cd7a9" +
		"3f355e68ad1c729d7d3c5c337e858e48 dde4715da0e148f9d26615e8b3df1fef",
	"57fe6c7cfd581760f563eaa97ea2567a 161a2723b700ffdfa3f53a254717cdbf" +
		"bdff0f80d7359e354a1086161f1c157f 6323a96c0c413f9a994747adac6bea4b",
	"6e7d64467a4068fa354f903672c571bf b6c6bec2661ff20ab4b79a1cb7a6facf" +
		"c68ef09ab49a7f186ca44251f9c4662d c039307a3bc3a46fd9d33a1daeae4fae",
	"93d4143a4d568688f34a3ca24c451735 04054a2883694706372c822dc5ab9209" +
		"c9937a19333e47d3c987bfe6c7c69e39 540924bffe86ac51ecc5aaee160ec7f4",
	"1ee702bfd40d7fa4d9a8515935c2ac36 2fc4a5d12b8dd16990069b92cb2b89f4" +
		"9ac4db4d3b44b4891ede369c71f8b74e 41416e0c02aae703a7c9934d425b1f9b",
	"db5a238351446172602a1fcb92dc380e 549c07a69a8a2b7bb1ceb2db0b440a80" +
		"84090de0b755d93c244289251b3a7d3a de5f16ecd89a4c949b223116545a8f37",
	"ed9c4598fbc7b474c3b63b15d1fa9836 f452763b306c1e7a4b3369af0267e79f" +
		"0361331b8ae1ff1fdb788aff1ce74189 f3f3e4b248e52a38526f0580a6debeab",
	"1b2df381cda4ca6b5dd86fc04a59a2de 986e477d1dcdbaefcab948eaef711d8a" +
		"7966841421800120 6107abebbb6bfad8 94fe5a63cdc60230fb89c8efd09ecd7b",
	"20d71bf14a92bc48991bb2d9d517f4fa 5228e188aaa41de786cc91189def805d" +
		"9b9f2130d41220f8771ddfbc323ca4cd 7ab14904b08013d2ba3116f167e78e37",
}

// Derived tables, computed from the constants above by the first
// NewStreebog256/512 (streebogTablesOnce), not at start-up: a process that
// hashes nothing with Streebog never builds them.
var (
	streebogTablesOnce sync.Once
	// streebogLPS[j][v] is the contribution of byte value v in byte j of
	// an input word to the output of the combined transformation L∘P∘S.
	streebogLPS [8][256]uint64
	// streebogCW holds C1..C12 as little-endian 64-bit words.
	streebogCW [12][8]uint64
)

func initStreebogTables() {
	// The constants are decoded into arrays on the stack: no allocation
	// (each first allocation of a size faults in fresh memory: that, not
	// the arithmetic, was most of the cost of building the tables).
	var pi [256]byte
	var rowsBytes [64 * 8]byte
	unhexInto(pi[:], streebogPi)
	unhexInto(rowsBytes[:], streebogA)
	var a [64]uint64
	for i := range a {
		a[i] = binary.BigEndian.Uint64(rowsBytes[8*i:])
	}
	// l(b63..b0) = XOR over i of b(63-i)·A[i]: the bit with weight 2^k
	// of the 64-bit word selects row A[63-k]. For byte j, sums[x] is the
	// XOR of the rows the bits of x select, each from a smaller one (x
	// without its lowest bit): no data-dependent branch.
	var sums [256]uint64
	for j := 0; j < 8; j++ {
		for x := 1; x < 256; x++ {
			sums[x] = sums[x&(x-1)] ^ a[63-(8*j+bits.TrailingZeros(uint(x)))]
		}
		for v := 0; v < 256; v++ {
			streebogLPS[j][v] = sums[pi[v]]
		}
	}
	var b [64]byte
	for i, s := range streebogC {
		unhexInto(b[:], s)
		for w := 0; w < 8; w++ {
			streebogCW[i][w] = binary.LittleEndian.Uint64(b[8*w:])
		}
	}
}

// unhexInto decodes a hex constant that may contain spaces for
// readability into dst, which it must fill exactly.
func unhexInto(dst []byte, s string) {
	n := 0
	hi := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v int
		switch {
		case c == ' ':
			continue
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'a' && c <= 'f':
			v = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = int(c-'A') + 10
		default:
			panic("gost: malformed constant table")
		}
		if hi < 0 {
			hi = v
			continue
		}
		if n >= len(dst) {
			panic("gost: malformed constant table")
		}
		dst[n] = byte(hi<<4 | v)
		n++
		hi = -1
	}
	if n != len(dst) || hi >= 0 {
		panic("gost: malformed constant table")
	}
}
