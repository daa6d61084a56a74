package gost

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

func hexInt(t testing.TB, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(strings.ReplaceAll(s, " ", ""), 16)
	if !ok {
		t.Fatalf("bad hex integer %q", s)
	}
	return v
}

// leBytes encodes v as n little-endian bytes.
func leBytes(v *big.Int, n int) []byte {
	b := v.FillBytes(make([]byte, n))
	reverse(b)
	return b
}

func rawKey(x, y *big.Int, n int) []byte {
	return append(leBytes(x, n), leBytes(y, n)...)
}

func sigBytes(r, s *big.Int, n int) []byte {
	return append(s.FillBytes(make([]byte, n)), r.FillBytes(make([]byte, n))...)
}

type sigVector struct {
	name   string
	oid    string
	digest string // hash output bytes, hex (interpreted little-endian)
	e      string // big-endian e, used when digest is empty
	qx, qy string
	r, s   string
}

// RFC 7091 §7 examples and gost-testdata.md §4 worked values.
var sigVectors = []sigVector{
	{
		name: "RFC 7091 example 1 (256)", oid: "1.2.643.2.2.35.0",
		e:  "2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5",
		qx: "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
		qy: "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
		r:  "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
		s:  "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40",
	},
	{
		name: "RFC 7091 example 2 (512)", oid: "1.2.643.7.1.2.1.2.0",
		e:  "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
		qx: "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
		qy: "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
		r:  "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
		s:  "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
	},
	{
		name: "RFC 9215 example 1 certificate", oid: "1.2.643.2.2.35.0",
		digest: "afecc67f740bfc461f87bfa2f5e4185e68dde304efe6a98b777cdc031ffd8743",
		qx:     "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
		qy:     "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
		r:      "41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493",
		s:      "4d53f012fe081776507d4d9bb81f00efdb4eefd4ab83bac4bacf735173cfa81c",
	},
	{
		name: "RFC 9215 example 3 certificate (512)", oid: "1.2.643.7.1.2.1.2.0",
		digest: "69a619dca6c5d3f009cf6d1b5d089ec351c32659f9890f7eec1b1d98aae6561f10252ff421971235217b30f7105202ecdb7d803bb65ab1db8cc15e4cb7793990",
		qx:     "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
		qy:     "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
		r:      "2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36",
		s:      "415703d892f1a5f3f68c4353189a7ee207b80b5631ef9d49529a4d6b542c2cfa15aa2eacf11f470fde7d954856903c35fd8f955ef300d95c77534a724a0eee70",
	},
	{
		name: "Минцифры России 2022 root self-signature", oid: "1.2.643.2.2.35.1",
		digest: "8a0dc7d06f7663accae401e1edcfb56a610523da7643c6056f658211821314c3",
		qx:     "ddfc283e51f6e01aaf8f7f83bfab16df6e33f6bc76bf5a8c0b8f6b1da46b4a5a",
		qy:     "8e40eaa6f495db554f1b5aec630c4368eea22f99206af749196eade3c247f46e",
		r:      "2376ab498f47307fa3aafd3178c6a9dcdf606b42aead65e45b1764e23973fd92",
		s:      "824978480a0dd267f4d30ad449a4116e5c64b2dcf7994c478ec1d38722fd2d5a",
	},
	{
		name: "ФК 2017 leaf (GOST 2001, 34.11-94)", oid: "1.2.643.2.2.35.1",
		digest: "a405ecbccd8d20b0ade9d31443792c8a2d92309d312be1dccd8054409a8760d6",
		qx:     "3aa354daa3048a0b904fad9be4906aecd98e94fcfa3e89a8c044341cd46591a1",
		qy:     "cf12dcc65d2c1c0295d5a610570dc9fddf1c002be73471b5a791f48fd2f20df2",
		r:      "bfcf4762b8c4f3fdfcf11583e2768c94d3a800440841ca020a125d144bb0c8cd",
		s:      "295bde983c65dbc352ebe008e15bcdcdd3731d1514901cc7119b03b1e1846a55",
	},
}

func (v sigVector) parts(t testing.TB) (*PublicKey, []byte, []byte) {
	t.Helper()
	c, err := CurveByOID(v.oid)
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewPublicKey(c, rawKey(hexInt(t, v.qx), hexInt(t, v.qy), c.Size))
	if err != nil {
		t.Fatalf("%s: NewPublicKey: %v", v.name, err)
	}
	var digest []byte
	if v.digest != "" {
		digest = mustUnhex(t, v.digest)
	} else {
		digest = leBytes(hexInt(t, v.e), c.Size)
	}
	return k, digest, sigBytes(hexInt(t, v.r), hexInt(t, v.s), c.Size)
}

func TestVerifyVectors(t *testing.T) {
	for _, v := range sigVectors {
		k, digest, sig := v.parts(t)
		if err := k.VerifyDigest(digest, sig); err != nil {
			t.Errorf("%s: %v", v.name, err)
		}
		if !verifyBig(k.Curve, k.X, k.Y, leToInt(digest), new(big.Int).SetBytes(sig[k.Curve.Size:]), new(big.Int).SetBytes(sig[:k.Curve.Size])) {
			t.Errorf("%s: math/big reference rejects it", v.name)
		}
		// Negative controls: flipped bit, swapped halves, big-endian digest.
		for i := 0; i < len(sig)*8; i += 37 {
			bad := append([]byte(nil), sig...)
			bad[i/8] ^= 1 << uint(i%8)
			if err := k.VerifyDigest(digest, bad); err == nil {
				t.Errorf("%s: signature with bit %d flipped verifies", v.name, i)
			}
		}
		n := k.Curve.Size
		swapped := append(append([]byte(nil), sig[n:]...), sig[:n]...)
		if err := k.VerifyDigest(digest, swapped); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: swapped s/r: got %v, want ErrBadSignature", v.name, err)
		}
		be := append([]byte(nil), digest...)
		reverse(be)
		if err := k.VerifyDigest(be, sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: reversed digest: got %v, want ErrBadSignature", v.name, err)
		}
	}
}

func TestCurvesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Curves() {
		if !c.onCurve(c.X, c.Y) {
			t.Errorf("%s: base point not on the curve", c.Name)
		}
		if !c.P.ProbablyPrime(20) || !c.Q.ProbablyPrime(20) {
			t.Errorf("%s: p or q not prime", c.Name)
		}
		if c.P.BitLen() > 8*c.Size || c.Q.BitLen() > 8*c.Size {
			t.Errorf("%s: parameters exceed %d bytes", c.Name, c.Size)
		}
		if _, _, inf := scalarMultBig(c, c.X, c.Y, c.Q); !inf {
			t.Errorf("%s: q·G is not the point at infinity", c.Name)
		}
		for _, oid := range c.OIDs {
			if seen[oid] {
				t.Errorf("OID %s listed twice", oid)
			}
			seen[oid] = true
			got, err := CurveByOID(oid)
			if err != nil || got != c {
				t.Errorf("CurveByOID(%s) = %v, %v", oid, got, err)
			}
		}
	}
	want := []string{
		"1.2.643.2.2.35.0", "1.2.643.2.2.35.1", "1.2.643.2.2.35.2", "1.2.643.2.2.35.3",
		"1.2.643.2.2.36.0", "1.2.643.2.2.36.1",
		"1.2.643.7.1.2.1.1.1", "1.2.643.7.1.2.1.1.2", "1.2.643.7.1.2.1.1.3", "1.2.643.7.1.2.1.1.4",
		"1.2.643.7.1.2.1.2.0", "1.2.643.7.1.2.1.2.1", "1.2.643.7.1.2.1.2.2", "1.2.643.7.1.2.1.2.3",
	}
	for _, oid := range want {
		if !seen[oid] {
			t.Errorf("curve OID %s missing", oid)
		}
	}
	if _, err := CurveByOID("1.2.3.4"); err == nil || !strings.Contains(err.Error(), "1.2.3.4") {
		t.Errorf("unknown OID: got %v, want an error naming it", err)
	}
}
