package host

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func u16z(s string) []byte {
	u := append(utf16.Encode([]rune(s)), 0)
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

func le32(v uint32) []byte { var b [4]byte; binary.LittleEndian.PutUint32(b[:], v); return b[:] }

// serializedKeyProvInfo builds the form Wine and Windows write into a
// registry Blob: seven DWORDs with 32-bit offsets, then the two strings.
func serializedKeyProvInfo(container, provider string, provType, keySpec uint32) []byte {
	c, p := u16z(container), u16z(provider)
	var b []byte
	for _, v := range []uint32{28, uint32(28 + len(c)), provType, 0, 0, 0, keySpec} {
		b = append(b, le32(v)...)
	}
	b = append(b, c...)
	return append(b, p...)
}

// memoryKeyProvInfo64 builds the in-memory amd64 form at address base.
func memoryKeyProvInfo64(base uint64, container, provider string, provType, keySpec uint32) []byte {
	c, p := u16z(container), u16z(provider)
	b := make([]byte, 48)
	binary.LittleEndian.PutUint64(b[0:], base+48)
	binary.LittleEndian.PutUint64(b[8:], base+48+uint64(len(c)))
	binary.LittleEndian.PutUint32(b[16:], provType)
	binary.LittleEndian.PutUint32(b[40:], keySpec)
	b = append(b, c...)
	return append(b, p...)
}

const gostProv = "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider"

func TestDecodeKeyProvInfo(t *testing.T) {
	want := KeyLink{Container: `\\.\HDIMAGE\ключ-ГМУ`, Provider: gostProv, ProvType: 80, KeySpec: 2}
	got, err := DecodeKeyProvInfo(serializedKeyProvInfo(want.Container, want.Provider, 80, 2), 0, 4)
	if err != nil || got != want {
		t.Fatalf("serialized: got %+v, %v; want %+v", got, err, want)
	}
	const base = 0x7ff612340000
	got, err = DecodeKeyProvInfo(memoryKeyProvInfo64(base, want.Container, want.Provider, 80, 2), base, 8)
	if err != nil || got != want {
		t.Fatalf("amd64 memory: got %+v, %v; want %+v", got, err, want)
	}
	// null provider pointer: empty provider, no error
	b := serializedKeyProvInfo("c", "p", 24, 1)
	copy(b[4:], le32(0))
	if got, err := DecodeKeyProvInfo(b, 0, 4); err != nil || got.Provider != "" || got.Container != "c" {
		t.Fatalf("null provider: %+v, %v", got, err)
	}
}

func TestDecodeKeyProvInfoErrors(t *testing.T) {
	good := serializedKeyProvInfo("cont", "prov", 80, 1)
	cases := map[string]struct {
		b    []byte
		want string
	}{
		"short":           {good[:20], "want at least 28"},
		"pointer outside": {append(le32(1000), good[4:]...), "outside"},
		"no NUL":          {good[:len(good)-2], "no terminating NUL"},
		"surrogate":       {append(append([]byte(nil), good[:28]...), 0x00, 0xD8, 0x41, 0x00, 0, 0, 0x41, 0, 0, 0), "surrogate"},
	}
	for name, c := range cases {
		if _, err := DecodeKeyProvInfo(c.b, 0, 4); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want it to mention %q", name, err, c.want)
		}
	}
	if _, err := DecodeKeyProvInfo(good, 0, 3); err == nil {
		t.Error("pointer size 3 accepted")
	}
	// amd64 pointer below the buffer's base address
	if _, err := DecodeKeyProvInfo(memoryKeyProvInfo64(0x1000, "a", "b", 1, 1), 0x2000, 8); err == nil {
		t.Error("pointer below base accepted")
	}
}

func TestDecodeRegValue(t *testing.T) {
	cases := []struct {
		name string
		typ  uint32
		data []byte
		want RegValue
	}{
		{"sz", 1, u16z("КриптоПро CSP"), RegValue{Type: RegSZ, String: "КриптоПро CSP"}},
		{"sz-no-nul", 1, u16z("abc")[:6], RegValue{Type: RegSZ, String: "abc"}},
		{"sz-garbage-after-nul", 1, append(u16z("ab"), 0x41), RegValue{Type: RegSZ, String: "ab"}},
		{"expand", 2, u16z(`%SystemRoot%\SysWOW64\capicom.dll`), RegValue{Type: RegExpandSZ, String: `%SystemRoot%\SysWOW64\capicom.dll`}},
		{"multi", 7, append(append(u16z("https://bus.gov.ru"), u16z("*.roskazna.ru")...), 0, 0), RegValue{Type: RegMultiSZ, Strings: []string{"https://bus.gov.ru", "*.roskazna.ru"}}},
		{"multi-empty", 7, []byte{0, 0}, RegValue{Type: RegMultiSZ}},
		{"dword", 4, []byte{2, 0, 0, 0}, RegValue{Type: RegDWORD, Integer: 2}},
		{"qword", 11, []byte{1, 0, 0, 0, 0, 0, 0, 0x80}, RegValue{Type: RegQWORD, Integer: 0x8000000000000001}},
		{"binary", 3, []byte{1, 2, 0xff}, RegValue{Type: RegBinary, Binary: []byte{1, 2, 0xff}}},
		{"none", 0, nil, RegValue{Type: RegNone}},
		{"big-endian", 5, []byte{0, 0, 0, 1}, RegValue{Type: "REG_DWORD_BIG_ENDIAN", Binary: []byte{0, 0, 0, 1}}},
		{"unknown", 0x7f, []byte{9}, RegValue{Type: "REG_TYPE_0x7F", Binary: []byte{9}}},
	}
	for _, c := range cases {
		got := DecodeRegValue(c.name, c.typ, c.data)
		c.want.Name = c.name
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestDecodeRegValueBadData(t *testing.T) {
	cases := []struct {
		typ  uint32
		data []byte
		want string
	}{
		{4, []byte{1, 2}, "2 bytes of data, want 4"},
		{4, []byte{1, 2, 3, 4, 5}, "5 bytes of data, want 4"},
		{11, []byte{1, 2, 3}, "3 bytes of data, want 8"},
		{1, []byte{0x41, 0, 0x42}, "odd number of bytes"},
		{1, []byte{0x00, 0xDC, 0, 0}, "unpaired UTF-16 surrogate"},
		{7, []byte{0x41, 0, 0, 0, 0x00, 0xD8, 0x42, 0, 0, 0, 0, 0}, "unpaired UTF-16 surrogate"},
		{2, []byte{0x41}, "odd number of bytes"},
	}
	for _, c := range cases {
		v := DecodeRegValue("x", c.typ, c.data)
		if !strings.Contains(v.Error, c.want) {
			t.Errorf("type %d % x: error %q, want %q", c.typ, c.data, v.Error, c.want)
		}
		if !bytes.Equal(v.Binary, c.data) {
			t.Errorf("type %d % x: raw bytes not kept: % x", c.typ, c.data, v.Binary)
		}
	}
}

func realCert(t testing.TB) []byte {
	t.Helper()
	der, err := os.ReadFile(filepath.Join("..", "..", "testdata", "wine", "certs", "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return der
}

func blobElem(id uint32, data []byte) []byte {
	b := append(append(le32(id), le32(1)...), le32(uint32(len(data)))...)
	return append(b, data...)
}

func TestDecodeCertBlob(t *testing.T) {
	der := realCert(t)
	key := serializedKeyProvInfo(`\\.\HDIMAGE\zhilkom`, gostProv, 80, 2)
	// property order as Windows writes it: others first, the certificate last
	blob := append(append(blobElem(3, make([]byte, 20)), blobElem(2, key)...), blobElem(32, der)...)
	cb, err := DecodeCertBlob(blob)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cb.DER, der) || cb.Key == nil || cb.Key.Container != `\\.\HDIMAGE\zhilkom` || cb.Key.ProvType != 80 || cb.Key.KeySpec != 2 {
		t.Fatalf("got %+v", cb)
	}
	if Thumbprint(der) != "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" {
		t.Fatalf("thumbprint %q", Thumbprint(der))
	}
	// broken key link: certificate still decoded, KeyError set
	cb, err = DecodeCertBlob(append(blobElem(2, key[:10]), blobElem(32, der)...))
	if err != nil || cb.KeyError == "" || cb.Key != nil || cb.DER == nil {
		t.Fatalf("broken key link: %+v, %v", cb, err)
	}
	bad := map[string][]byte{
		"garbage cert":    blobElem(32, []byte("this is not a certificate")),
		"no cert":         blobElem(3, make([]byte, 20)),
		"truncated":       blobElem(32, der)[:100],
		"stray bytes":     append(blobElem(32, der), 1, 2, 3),
		"length mismatch": blobElem(32, append(append([]byte(nil), der...), 0)),
		"empty":           nil,
	}
	for name, b := range bad {
		if _, err := DecodeCertBlob(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDecodeCP866(t *testing.T) {
	// "Ошибка: ключ не найден" in cp866
	in := []byte{0x8e, 0xe8, 0xa8, 0xa1, 0xaa, 0xa0, ':', ' ', 0xaa, 0xab, 0xee, 0xe7, ' ', 0xad, 0xa5, ' ', 0xad, 0xa0, 0xa9, 0xa4, 0xa5, 0xad, ' ', 0xf0, 0xf1, 0xfc}
	if got := string(DecodeCP866(in)); got != "Ошибка: ключ не найден Ёё№" {
		t.Fatalf("got %q", got)
	}
	if len(cp866High) != 128 {
		t.Fatalf("table has %d entries", len(cp866High))
	}
}

func FuzzDecodeKeyProvInfo(f *testing.F) {
	f.Add(serializedKeyProvInfo(`\\.\HDIMAGE\ключ`, gostProv, 80, 2), uint64(0), 4)
	f.Add(memoryKeyProvInfo64(0x10000, "c", "p", 24, 1), uint64(0x10000), 8)
	f.Add([]byte{}, uint64(0), 4)
	f.Fuzz(func(t *testing.T, b []byte, base uint64, ptrSize int) {
		k, err := DecodeKeyProvInfo(b, base, ptrSize)
		if err == nil && (ptrSize != 4 && ptrSize != 8) {
			t.Fatalf("pointer size %d accepted: %+v", ptrSize, k)
		}
	})
}

func FuzzDecodeRegValue(f *testing.F) {
	f.Add(uint32(1), u16z("КриптоПро CSP"))
	f.Add(uint32(7), append(u16z("a"), u16z("b")...))
	f.Add(uint32(4), []byte{1, 2, 3})
	f.Add(uint32(11), []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(uint32(3), []byte{0xde, 0xad})
	f.Fuzz(func(t *testing.T, typ uint32, data []byte) {
		v := DecodeRegValue("v", typ, data)
		if v.Error != "" && !bytes.Equal(v.Binary, data) {
			t.Fatalf("error %q but raw data not kept", v.Error)
		}
		if v.Type == "" {
			t.Fatal("empty type")
		}
	})
}

func FuzzDecodeCertBlob(f *testing.F) {
	der := realCert(f)
	f.Add(append(blobElem(2, serializedKeyProvInfo("c", gostProv, 80, 1)), blobElem(32, der)...))
	f.Add(blobElem(32, []byte{0x30, 0x03, 1, 2, 3}))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cb, err := DecodeCertBlob(b)
		if err == nil && len(cb.DER) < 2 {
			t.Fatalf("accepted %d-byte certificate", len(cb.DER))
		}
	})
}

// Thumbprint is the upper-case hex SHA-1, for any input (it names registry
// subkeys and keys every certificate table).
func TestThumbprintIsUpperHexSHA1(t *testing.T) {
	data := []byte{}
	for i := 0; i < 300; i++ {
		sum := sha1.Sum(data)
		if got, want := Thumbprint(data), strings.ToUpper(hex.EncodeToString(sum[:])); got != want {
			t.Fatalf("Thumbprint(% x) = %s, want %s", data, got, want)
		}
		data = append(data, byte(i*37+11))
	}
	if got := Thumbprint(nil); got != "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709" {
		t.Fatalf("Thumbprint(nil) = %s", got)
	}
}
