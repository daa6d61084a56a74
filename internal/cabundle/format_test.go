package cabundle

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"strings"
	"sync"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// smallSet is a few real certificates (the Treasury chain), for tables
// small enough to damage byte by byte.
func smallSet(t testing.TB) [][]byte {
	var out [][]byte
	for _, name := range []string{"ee-gost2012-spb-zhilkom-2025-by-fk-2024.der", "ee-gost2001-fk-2017-by-fk-2017.der",
		"ee-gost2012-miac-ugra-2021-by-fk-2021.der", "rfc9215-example1-gost2012-256-testparamset-selfsigned.der",
		"ee-gost2012-mincifry-smev-2021-by-fk-2021.der"} {
		out = append(out, testutil.ReadTestdata(t, "certs", "realworld", name))
	}
	return out
}

func mustEncode(t testing.TB, ders [][]byte, k int) []byte {
	enc, err := encode(ders, k)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	ders := smallSet(t)
	for k := 1; k <= len(ders)+1; k++ {
		enc := mustEncode(t, ders, k)
		got, err := Decode(enc)
		if err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		if len(got) != len(ders) {
			t.Fatalf("k=%d: %d certificates back, %d in", k, len(got), len(ders))
		}
		for i := range ders {
			if !bytes.Equal(got[i], ders[i]) {
				t.Fatalf("k=%d: certificate %d differs", k, i+1)
			}
		}
		// A lookup of any set of certificates gives the same DER.
		tb, err := open(enc)
		if err != nil {
			t.Fatal(err)
		}
		dict, err := tb.dictionary()
		if err != nil {
			t.Fatal(err)
		}
		for _, idx := range [][]int{{0}, {4}, {1, 3}, {0, 1, 2, 3, 4}, {2, 4}, nil} {
			part, err := tb.fetch(dict, idx)
			if err != nil {
				t.Fatalf("k=%d fetch %v: %v", k, idx, err)
			}
			for j, i := range idx {
				if !bytes.Equal(part[j], ders[i]) {
					t.Fatalf("k=%d fetch %v: certificate %d differs", k, idx, i+1)
				}
			}
		}
		for i, der := range ders {
			keys := indexKeys(der)
			found := false
			for _, j := range tb.find(colSHA1, keys[colSHA1]) {
				found = found || j == i
			}
			if !found {
				t.Fatalf("k=%d: certificate %d not found by its SHA-1 key", k, i+1)
			}
		}
	}
	empty := mustEncode(t, nil, perChunk)
	if got, err := Decode(empty); err != nil || len(got) != 0 {
		t.Fatalf("empty table: %d certificates, %v", len(got), err)
	}
	if _, err := Encode([][]byte{{}}); err == nil {
		t.Fatal("an empty certificate was encoded")
	}
}

// put rewrites a big-endian integer of size bytes at off in a copy of b.
func put(b []byte, off, size int, v uint32) []byte {
	c := append([]byte(nil), b...)
	switch size {
	case 2:
		binary.BigEndian.PutUint16(c[off:], uint16(v))
	case 4:
		binary.BigEndian.PutUint32(c[off:], v)
	}
	return c
}

// bomb is a DEFLATE stream of about 1 MB that inflates to 1 GiB of zeros:
// one flushed (byte-aligned) run of compressed zeros repeated.
func bomb(t testing.TB) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, 1<<20))
	w.Flush()
	run := append([]byte(nil), b.Bytes()...)
	b.Reset()
	w.Close()
	end := b.Bytes()
	return append(bytes.Repeat(run, 1024), end...)
}

func TestDecodeBad(t *testing.T) {
	ders := smallSet(t)
	good := mustEncode(t, ders, 2) // 3 chunks
	tb, err := open(good)
	if err != nil {
		t.Fatal(err)
	}
	n := len(ders)
	list := headerLen + columns*keyLen*n // the chunk list
	dictZ := len(tb.dictZ)
	var oldFormat bytes.Buffer
	w, _ := flate.NewWriter(&oldFormat, flate.BestCompression)
	w.Write([]byte{0, 0, 0, 5})
	w.Close()

	// The bomb as the only chunk of a one-certificate table that claims
	// 100 bytes.
	z := bomb(t)
	var bombed bytes.Buffer
	bombed.WriteString(magic)
	binary.Write(&bombed, binary.BigEndian, uint32(1))
	binary.Write(&bombed, binary.BigEndian, uint16(1))
	binary.Write(&bombed, binary.BigEndian, [2]uint32{0, 0})
	bombed.Write(make([]byte, columns*keyLen))
	binary.Write(&bombed, binary.BigEndian, [2]uint32{uint32(len(z)), 100})
	bombed.Write(z)

	cases := map[string][]byte{
		"nil":                           nil,
		"garbage":                       []byte("garbage"),
		"the old single stream":         oldFormat.Bytes(),
		"another magic":                 append([]byte("GMUCAB\x00\x02"), good[len(magic):]...),
		"a trailing byte":               append(append([]byte(nil), good...), 0),
		"no certificates per chunk":     put(good, len(magic)+4, 2, 0),
		"too many certificates":         put(good, len(magic), 4, 1<<30),
		"one certificate more":          put(good, len(magic), 4, uint32(n+1)),
		"one certificate less":          put(good, len(magic), 4, uint32(n-1)),
		"dictionary longer than 32K":    put(good, len(magic)+10, 4, 40000),
		"dictionary inflates to less":   put(good, len(magic)+10, 4, uint32(tb.dictN+1)),
		"dictionary inflates to more":   put(good, len(magic)+10, 4, uint32(tb.dictN-1)),
		"dictionary cut":                put(good, len(magic)+6, 4, uint32(dictZ-1)),
		"chunk length lies":             put(good, list, 4, uint32(len(tb.chunks[0].z)+1)),
		"chunk inflates to less":        put(good, list+4, 4, uint32(tb.chunks[0].raw+1)),
		"chunk inflates to more":        put(good, list+4, 4, uint32(tb.chunks[0].raw-1)),
		"impossible inflated length":    put(good, list+4, 4, uint32(maxRatio*len(tb.chunks[0].z)+1)),
		"a chunk of 1 GiB claiming 100": bombed.Bytes(),
	}
	for name, in := range cases {
		out, err := Decode(in)
		if err == nil {
			t.Errorf("%s: %d certificates, no error", name, len(out))
			continue
		}
		if !strings.HasPrefix(err.Error(), "decode CA bundle: ") {
			t.Errorf("%s: error %q does not say what failed", name, err)
		}
	}
	// Every truncation and every single damaged byte: an error or (when
	// the damage is in the index or a key) certificates, never a panic.
	for i := 0; i < len(good); i++ {
		if _, err := Decode(good[:i]); err == nil {
			t.Fatalf("cut at %d of %d: no error", i, len(good))
		}
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x5a
		checkBounded(t, bad)
	}
	// The bomb through a lookup: the first record's length (0) is refused.
	bt, err := open(bombed.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bt.fetch(nil, []int{0}); err == nil || !strings.Contains(err.Error(), "bad length 0") {
		t.Fatalf("lookup in the bomb: %v", err)
	}
}

// checkBounded decodes data both ways (whole, and lookups of the keys it
// holds) and checks the limits and that both ways agree.
func checkBounded(t *testing.T, data []byte) {
	all, allErr := Decode(data)
	if allErr == nil {
		total := 0
		for _, d := range all {
			if len(d) == 0 || len(d) > maxCert {
				t.Fatalf("certificate of %d bytes", len(d))
			}
			total += len(d)
		}
		if total > maxTotal {
			t.Fatalf("%d bytes decoded", total)
		}
	}
	tb, err := open(data)
	if err != nil {
		if allErr == nil {
			t.Fatalf("Decode succeeded, open failed: %v", err)
		}
		return
	}
	dict, err := tb.dictionary()
	if err != nil {
		return
	}
	for c := 0; c < columns; c++ {
		for i := 0; i < tb.n && i < 3; i++ {
			var key [keyLen]byte
			copy(key[:], tb.keys[c][i*keyLen:])
			idx := tb.find(c, key)
			got, err := tb.fetch(dict, idx)
			if err != nil {
				continue
			}
			if len(got) != len(idx) {
				t.Fatalf("%d certificates fetched for %d numbers", len(got), len(idx))
			}
			for j, d := range got {
				if len(d) == 0 || len(d) > maxCert {
					t.Fatalf("certificate of %d bytes", len(d))
				}
				if allErr == nil && !bytes.Equal(d, all[idx[j]]) {
					t.Fatalf("certificate %d: the lookup and the whole decode differ", idx[j]+1)
				}
			}
		}
	}
}

func FuzzDecode(f *testing.F) {
	ders := smallSet(f)
	f.Add(mustEncode(f, ders, 2))
	f.Add(mustEncode(f, ders[:1], 1))
	f.Add(mustEncode(f, [][]byte{{0x30, 0x03, 0x02, 0x01, 0x01}, {0x30, 0x00}}, 1))
	f.Add(mustEncode(f, nil, 1))
	f.Add([]byte{})
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkBounded(t, data)
	})
}

// Lookups from many goroutines at once (cert verify --all and concurrent
// checks do that) share the table, the dictionary and the inflaters.
func TestConcurrentLookups(t *testing.T) {
	resetForTest()
	leaf, err := pki.ParseDER(testutil.ReadTestdata(t, "certs", "realworld", "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				iss, ok := IssuerOf(leaf)
				if !ok {
					errs <- "issuer not found"
					return
				}
				if e, ok := BySHA1(iss.SHA1); !ok || !bytes.Equal(e.DER, iss.DER) {
					errs <- "BySHA1 of the issuer differs"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
