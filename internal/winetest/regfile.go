package winetest

import (
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// RegFile builds a "Windows Registry Editor Version 5.00" file: the whole
// simulated registry of a workstation, imported with one `wine reg import`.
type RegFile struct {
	keys  []*RegFileKey
	index map[string]*RegFileKey
}

// RegFileKey is one [KEY] section.
type RegFileKey struct {
	path  string
	lines []string
}

// Key returns the section for path (HKLM\… or HKEY_LOCAL_MACHINE\…),
// creating it on first use. An empty section still creates the key.
func (r *RegFile) Key(path string) *RegFileKey {
	full := longRoot(host.NormalizeRegPath(path))
	if r.index == nil {
		r.index = map[string]*RegFileKey{}
	}
	if k, ok := r.index[strings.ToUpper(full)]; ok {
		return k
	}
	k := &RegFileKey{path: full}
	r.keys = append(r.keys, k)
	r.index[strings.ToUpper(full)] = k
	return k
}

func longRoot(p string) string {
	root, rest := p, ""
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		root, rest = p[:i], p[i:]
	}
	switch root {
	case "HKLM":
		root = "HKEY_LOCAL_MACHINE"
	case "HKCU":
		root = "HKEY_CURRENT_USER"
	case "HKCR":
		root = "HKEY_CLASSES_ROOT"
	case "HKU":
		root = "HKEY_USERS"
	case "HKCC":
		root = "HKEY_CURRENT_CONFIG"
	}
	return root + rest
}

func regQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func (k *RegFileKey) set(name, data string) *RegFileKey {
	n := "@"
	if name != "" {
		n = regQuote(name)
	}
	k.lines = append(k.lines, n+"="+data)
	return k
}

// SZ sets a REG_SZ value ("" is the default value).
func (k *RegFileKey) SZ(name, value string) *RegFileKey {
	if strings.ContainsAny(value, "\r\n") {
		return k.Raw(name, 1, utf16z(value))
	}
	return k.set(name, regQuote(value))
}

// ExpandSZ sets a REG_EXPAND_SZ value.
func (k *RegFileKey) ExpandSZ(name, value string) *RegFileKey { return k.Raw(name, 2, utf16z(value)) }

// MultiSZ sets a REG_MULTI_SZ value.
func (k *RegFileKey) MultiSZ(name string, values ...string) *RegFileKey {
	var b []byte
	for _, v := range values {
		b = append(b, utf16z(v)...)
	}
	return k.Raw(name, 7, append(b, 0, 0))
}

// DWORD sets a REG_DWORD value.
func (k *RegFileKey) DWORD(name string, v uint32) *RegFileKey {
	return k.set(name, fmt.Sprintf("dword:%08x", v))
}

// QWORD sets a REG_QWORD value.
func (k *RegFileKey) QWORD(name string, v uint64) *RegFileKey {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return k.Raw(name, 11, b[:])
}

// Binary sets a REG_BINARY value.
func (k *RegFileKey) Binary(name string, data []byte) *RegFileKey {
	return k.set(name, "hex:"+hexList(data))
}

// Raw sets a value of any type number with exactly these bytes — also
// data that does not fit the type (a 3-byte DWORD), for bad-input tests.
func (k *RegFileKey) Raw(name string, typ uint32, data []byte) *RegFileKey {
	return k.set(name, fmt.Sprintf("hex(%x):", typ)+hexList(data))
}

func hexList(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

func utf16z(s string) []byte {
	u := append(utf16.Encode([]rune(s)), 0)
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// Text returns the file as UTF-8 text with CRLF line ends (for logs).
func (r *RegFile) Text() string {
	var sb strings.Builder
	sb.WriteString("Windows Registry Editor Version 5.00\r\n\r\n")
	for _, k := range r.keys {
		sb.WriteString("[" + k.path + "]\r\n")
		for _, l := range k.lines {
			sb.WriteString(l + "\r\n")
		}
		sb.WriteString("\r\n")
	}
	return sb.String()
}

// Bytes returns the file as `reg import` needs it: UTF-16LE with a byte
// order mark. (Without the BOM Wine reads the file in the ANSI code page
// and Cyrillic turns into mojibake.)
func (r *RegFile) Bytes() []byte {
	u := utf16.Encode([]rune(r.Text()))
	b := make([]byte, 2+2*len(u))
	b[0], b[1] = 0xff, 0xfe
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2+2*i:], c)
	}
	return b
}

// CertBlob serializes a certificate the way CryptoAPI stores it in
// `…\SystemCertificates\<Store>\Certificates\<SHA1>\Blob`: property
// elements {DWORD id, DWORD 1, DWORD length, data}; 2 is the private-key
// link (CRYPT_KEY_PROV_INFO with 32-bit offsets), 32 the DER certificate.
func CertBlob(der []byte, key *host.KeyLink) []byte {
	var b []byte
	elem := func(id uint32, data []byte) {
		var h [12]byte
		binary.LittleEndian.PutUint32(h[0:], id)
		binary.LittleEndian.PutUint32(h[4:], 1)
		binary.LittleEndian.PutUint32(h[8:], uint32(len(data)))
		b = append(append(b, h[:]...), data...)
	}
	if key != nil {
		c, p := utf16z(key.Container), utf16z(key.Provider)
		info := make([]byte, 28)
		binary.LittleEndian.PutUint32(info[0:], 28)
		binary.LittleEndian.PutUint32(info[4:], uint32(28+len(c)))
		binary.LittleEndian.PutUint32(info[8:], key.ProvType)
		binary.LittleEndian.PutUint32(info[24:], key.KeySpec)
		elem(2, append(append(info, c...), p...))
	}
	elem(32, der)
	return b
}

// StoreKey is the registry key of a certificate in a system store; the
// subkey must be the upper-case SHA-1, or CryptoAPI ignores the entry.
func StoreKey(loc host.StoreLocation, store host.StoreName, thumbprint string) string {
	root := `HKCU\Software`
	if loc == host.LocalMachine {
		root = `HKLM\SOFTWARE`
	}
	return root + `\Microsoft\SystemCertificates\` + string(store) + `\Certificates\` + strings.ToUpper(thumbprint)
}

// AddCert plants a certificate (with an optional key link) into a store.
func (r *RegFile) AddCert(loc host.StoreLocation, store host.StoreName, der []byte, key *host.KeyLink) string {
	tp := host.Thumbprint(der)
	r.Key(StoreKey(loc, store, tp)).Binary("Blob", CertBlob(der, key))
	return tp
}

// Drop removes a key's section (and every section below it) from the
// file, so a workstation can be planted without something a helper adds.
func (r *RegFile) Drop(path string) {
	full := strings.ToUpper(longRoot(host.NormalizeRegPath(path)))
	out := r.keys[:0]
	for _, k := range r.keys {
		u := strings.ToUpper(k.path)
		if u == full || strings.HasPrefix(u, full+`\`) {
			delete(r.index, u)
			continue
		}
		out = append(out, k)
	}
	r.keys = out
}
