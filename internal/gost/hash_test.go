package gost

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math/rand"
	"strings"
	"testing"
)

func mustUnhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func digestOf(h hash.Hash, msg []byte) []byte {
	h.Reset()
	h.Write(msg)
	return h.Sum(nil)
}

// RFC 6986 §10 examples M1 and M2 in byte-string order (gost-testdata.md §1.1).
var streebogVectors = []struct {
	name    string
	msg     string // hex
	want256 string
	want512 string
}{
	{
		name:    "M1",
		msg:     hex.EncodeToString([]byte("012345678901234567890123456789012345678901234567890123456789012")),
		want256: "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500",
		want512: "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48",
	},
	{
		name:    "M2",
		msg:     "d1e520e2e5f2f0e82c20d1f2f0e8e1eee6e820e2edf3f6e82c20e2e5fef2fa20f120eceef0ff20f1f2f0e5ebe0ece820ede020f5f0e0e1f0fbff20efebfaeafb20c8e3eef0e5e2fb",
		want256: "9dd2fe4e90409e5da87f53976d7405b0c0cac628fc669a741d50063c557e8f50",
		want512: "1e88e62226bfca6f9994f1f2d51569e0daf8475a3b0fe61a5300eee46d961376035fe83549ada2b8620fcd7c496ce5b33f0cb9dddc2b6460143b03dabac9fb28",
	},
}

func TestStreebogRFC6986(t *testing.T) {
	for _, v := range streebogVectors {
		msg := mustUnhex(t, v.msg)
		if got := hex.EncodeToString(digestOf(NewStreebog256(), msg)); got != v.want256 {
			t.Errorf("Streebog-256(%s) = %s, want %s", v.name, got, v.want256)
		}
		if got := hex.EncodeToString(digestOf(NewStreebog512(), msg)); got != v.want512 {
			t.Errorf("Streebog-512(%s) = %s, want %s", v.name, got, v.want512)
		}
	}
}

// RFC 6986 prints numbers most significant byte first; reversing both the
// message and the digest of the RFC notation must give the same result.
func TestStreebogRFCNotation(t *testing.T) {
	m1 := mustUnhex(t, "323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130")
	reverse(m1)
	want := mustUnhex(t, "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b")
	reverse(want)
	if got := digestOf(NewStreebog512(), m1); !bytes.Equal(got, want) {
		t.Errorf("Streebog-512(M1 from RFC notation) = %x, want %x", got, want)
	}
	want = mustUnhex(t, "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d")
	reverse(want)
	if got := digestOf(NewStreebog256(), m1); !bytes.Equal(got, want) {
		t.Errorf("Streebog-256(M1 from RFC notation) = %x, want %x", got, want)
	}
}

// gost-testdata.md §1.4, byte-string order (as openssl dgst -md_gost94 prints).
var gost94Vectors = []struct {
	msg       string
	test      string
	cryptoPro string
}{
	{"", "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d", "981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0"},
	{"a", "d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd", "e74c52dd282183bf37af0079c9f78055715a103f17e3133ceff1aacf2f403011"},
	{"abc", "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d", "b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c"},
	{"message digest", "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d", "bc6041dd2aa401ebfa6e9886734174febdb4729aa972d60f549ac39b29721ba0"},
	{"The quick brown fox jumps over the lazy dog", "77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294", "9004294a361a508c586fe53d1f1b02746765e71b765472786e4770d565830a76"},
	{"The quick brown fox jumps over the lazy cog", "a3ebc4daaab78b0be131dab5737a7f67e602670d543521319150d2e14eeec445", ""},
	{"This is message, length=32 bytes", "b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa", "2cefc2f7b7bdc514e18ea57fa74ff357e7fa17d652c75f69cb1be7893ede48eb"},
	{"Suppose the original message has length = 50 bytes", "471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208", "c3730c5cbccacf915ac292676f21e8bd4ef75331d9405e5f1a61dc3130a65011"},
	{strings.Repeat("U", 128), "53a3a3ed25180cef0c1d85a074273e551c25660a87062a52d926a9e8fe5733a4", "1c4ac7614691bbf427fa2316216be8f10d92edfd37cd1027514c1008f649c4e8"},
}

func TestGOST341194Vectors(t *testing.T) {
	for _, v := range gost94Vectors {
		if got := hex.EncodeToString(digestOf(new341194Test(), []byte(v.msg))); got != v.test {
			t.Errorf("34.11-94 test params(%q) = %s, want %s", v.msg, got, v.test)
		}
		if v.cryptoPro == "" {
			continue
		}
		if got := hex.EncodeToString(digestOf(New341194(), []byte(v.msg))); got != v.cryptoPro {
			t.Errorf("34.11-94 CryptoPro params(%q) = %s, want %s", v.msg, got, v.cryptoPro)
		}
	}
}

// Chunked writes of any split must give the one-shot digest, and Sum must
// not disturb the running state.
func TestHashChunking(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	ctors := map[string]func() hash.Hash{
		"streebog256": NewStreebog256, "streebog512": NewStreebog512, "gost94": New341194,
	}
	for name, ctor := range ctors {
		for _, n := range []int{0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000} {
			msg := make([]byte, n)
			rng.Read(msg)
			want := digestOf(ctor(), msg)
			h := ctor()
			rest := msg
			for len(rest) > 0 {
				c := rng.Intn(len(rest)) + 1
				h.Write(rest[:c])
				rest = rest[c:]
				_ = h.Sum(nil) // must not change the state
			}
			if got := h.Sum(nil); !bytes.Equal(got, want) {
				t.Errorf("%s len %d: chunked %x, one-shot %x", name, n, got, want)
			}
			if got := h.Sum([]byte{0xaa}); got[0] != 0xaa || !bytes.Equal(got[1:], want) {
				t.Errorf("%s len %d: Sum does not append", name, n)
			}
		}
	}
}

// TestStreebogLPSDerivation: the LPS table equals the bit-by-bit
// definition (the contribution of byte value v in byte j is the XOR of the
// rows of A that the bits of π(v) select).
func TestStreebogLPSDerivation(t *testing.T) {
	NewStreebog256() // builds the tables
	pi := mustUnhex(t, streebogPi)
	rows := mustUnhex(t, streebogA)
	for j := 0; j < 8; j++ {
		for v := 0; v < 256; v++ {
			var w uint64
			for bit := 0; bit < 8; bit++ {
				if pi[v]>>uint(bit)&1 == 1 {
					w ^= binary.BigEndian.Uint64(rows[8*(63-(8*j+bit)):])
				}
			}
			if streebogLPS[j][v] != w {
				t.Fatalf("LPS[%d][%d] = %016x, want %016x", j, v, streebogLPS[j][v], w)
			}
		}
	}
	for i, s := range streebogC {
		b := mustUnhex(t, s)
		for w := 0; w < 8; w++ {
			if streebogCW[i][w] != binary.LittleEndian.Uint64(b[8*w:]) {
				t.Fatalf("C%d word %d = %016x", i+1, w, streebogCW[i][w])
			}
		}
	}
	for _, bad := range []string{"0", "0g", "00 11 2", "001122"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("unhexInto(%q) into 2 bytes did not panic", bad)
				}
			}()
			var b [2]byte
			unhexInto(b[:], bad)
		}()
	}
}
