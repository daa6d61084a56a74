package host

// Pure decoders for Windows data structures. They live in a file without an
// OS suffix so that they are unit-tested and fuzzed on every OS; the Windows
// back end (live_windows.go) feeds them the raw bytes it got from the
// registry and from CryptoAPI.

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Windows registry value types (winnt.h REG_*).
const (
	regTypeNone                     = 0
	regTypeSZ                       = 1
	regTypeExpandSZ                 = 2
	regTypeBinary                   = 3
	regTypeDWORD                    = 4
	regTypeDWORDBigEndian           = 5
	regTypeLink                     = 6
	regTypeMultiSZ                  = 7
	regTypeResourceList             = 8
	regTypeFullResourceDescriptor   = 9
	regTypeResourceRequirementsList = 10
	regTypeQWORD                    = 11
)

// RegTypeName returns the Windows name of a registry value type number;
// numbers Windows does not define become "REG_TYPE_0x…".
func RegTypeName(t uint32) RegType {
	switch t {
	case regTypeNone:
		return RegNone
	case regTypeSZ:
		return RegSZ
	case regTypeExpandSZ:
		return RegExpandSZ
	case regTypeBinary:
		return RegBinary
	case regTypeDWORD:
		return RegDWORD
	case regTypeDWORDBigEndian:
		return "REG_DWORD_BIG_ENDIAN"
	case regTypeLink:
		return "REG_LINK"
	case regTypeMultiSZ:
		return RegMultiSZ
	case regTypeResourceList:
		return "REG_RESOURCE_LIST"
	case regTypeFullResourceDescriptor:
		return "REG_FULL_RESOURCE_DESCRIPTOR"
	case regTypeResourceRequirementsList:
		return "REG_RESOURCE_REQUIREMENTS_LIST"
	case regTypeQWORD:
		return RegQWORD
	}
	return RegType(fmt.Sprintf("REG_TYPE_0x%X", t))
}

// DecodeRegValue turns the raw data of a registry value into a RegValue.
// It never fails as a whole: data that does not fit its type (a DWORD of 3
// bytes, a string of odd length or with broken UTF-16) is kept in Binary
// and explained in RegValue.Error, together with whatever could be decoded.
// Strings are returned unexpanded (REG_EXPAND_SZ keeps its %VARIABLES%).
func DecodeRegValue(name string, typ uint32, data []byte) RegValue {
	v := RegValue{Name: name, Type: RegTypeName(typ)}
	bad := func(format string, args ...interface{}) RegValue {
		v.Error = fmt.Sprintf(format, args...)
		v.Binary = append([]byte(nil), data...)
		return v
	}
	switch typ {
	case regTypeSZ, regTypeExpandSZ:
		s, err := decodeUTF16Z(data)
		v.String = s
		if err != nil {
			return bad("decode %s: %v", v.Type, err)
		}
	case regTypeMultiSZ:
		ss, err := decodeMultiSZ(data)
		v.Strings = ss
		if err != nil {
			return bad("decode %s: %v", v.Type, err)
		}
	case regTypeDWORD:
		if len(data) != 4 {
			return bad("decode %s: %d bytes of data, want 4", v.Type, len(data))
		}
		v.Integer = uint64(binary.LittleEndian.Uint32(data))
	case regTypeQWORD:
		if len(data) != 8 {
			return bad("decode %s: %d bytes of data, want 8", v.Type, len(data))
		}
		v.Integer = binary.LittleEndian.Uint64(data)
	default:
		// REG_BINARY, REG_NONE and every other type keep their raw bytes.
		v.Binary = append([]byte(nil), data...)
	}
	return v
}

// errOddLength is returned for UTF-16 data with an odd number of bytes.
var errOddLength = errors.New("odd number of bytes in UTF-16 data")

// utf16Units converts little-endian bytes to UTF-16 code units. A final odd
// byte is dropped and reported.
func utf16Units(b []byte) ([]uint16, error) {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	if len(b)%2 != 0 {
		return u, errOddLength
	}
	return u, nil
}

// utf16String decodes code units, reporting unpaired surrogates (which are
// replaced by U+FFFD in the result).
func utf16String(u []uint16) (string, error) {
	var err error
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 0xD800 && c < 0xDC00:
			if i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000 {
				i++
				continue
			}
			err = fmt.Errorf("unpaired UTF-16 surrogate 0x%04X at unit %d", c, i)
		case c >= 0xDC00 && c < 0xE000:
			err = fmt.Errorf("unpaired UTF-16 surrogate 0x%04X at unit %d", c, i)
		}
		if err != nil {
			break
		}
	}
	return string(utf16.Decode(u)), err
}

// decodeUTF16Z decodes a REG_SZ: UTF-16LE, cut at the first NUL (data
// written without a terminating NUL is accepted, as Windows does).
func decodeUTF16Z(b []byte) (string, error) {
	u, oddErr := utf16Units(b)
	for i, c := range u {
		if c == 0 {
			u = u[:i]
			// bytes after the terminator do not matter, an odd tail neither
			oddErr = nil
			break
		}
	}
	s, err := utf16String(u)
	if err != nil {
		return s, err
	}
	return s, oddErr
}

// decodeMultiSZ decodes a REG_MULTI_SZ: NUL-separated strings ended by an
// empty string. Trailing NULs are dropped; an empty string in the middle is
// kept.
func decodeMultiSZ(b []byte) ([]string, error) {
	u, oddErr := utf16Units(b)
	for len(u) > 0 && u[len(u)-1] == 0 {
		u = u[:len(u)-1]
	}
	if len(u) == 0 {
		return nil, oddErr
	}
	var out []string
	var firstErr error
	start := 0
	for i := 0; i <= len(u); i++ {
		if i == len(u) || u[i] == 0 {
			s, err := utf16String(u[start:i])
			if err != nil && firstErr == nil {
				firstErr = err
			}
			out = append(out, s)
			start = i + 1
		}
	}
	if firstErr != nil {
		return out, firstErr
	}
	return out, oddErr
}

// DecodeKeyProvInfo decodes a CRYPT_KEY_PROV_INFO structure (the value of
// CERT_KEY_PROV_INFO_PROP_ID, the link from a certificate to its private-key
// container) from b.
//
// The structure holds pointers to two NUL-terminated UTF-16 strings. In the
// buffer CertGetCertificateContextProperty fills they are addresses inside
// the buffer, so base is the address of b[0] and ptrSize the pointer size
// of the process (4 or 8). In a serialized certificate (a registry Blob)
// they are 32-bit offsets from the start of the structure: base 0, ptrSize
// 4. A null pointer is an empty string; a pointer outside b, a string
// without its NUL or broken UTF-16 is an error. Provider parameters
// (cProvParam, rgProvParam) are ignored: they never hold anything the
// checks need.
func DecodeKeyProvInfo(b []byte, base uint64, ptrSize int) (KeyLink, error) {
	var offContainer, offProv, offProvType, offKeySpec, size int
	switch ptrSize {
	case 4:
		// ptr, ptr, DWORD provType, DWORD flags, DWORD cProvParam, ptr rgProvParam, DWORD keySpec
		offContainer, offProv, offProvType, offKeySpec, size = 0, 4, 8, 24, 28
	case 8:
		// ptr, ptr, DWORD, DWORD, DWORD, pad, ptr, DWORD, pad
		offContainer, offProv, offProvType, offKeySpec, size = 0, 8, 16, 40, 44
	default:
		return KeyLink{}, fmt.Errorf("decode key provider info: pointer size %d", ptrSize)
	}
	if len(b) < size {
		return KeyLink{}, fmt.Errorf("decode key provider info: %d bytes, want at least %d", len(b), size)
	}
	ptr := func(off int) uint64 {
		if ptrSize == 8 {
			return binary.LittleEndian.Uint64(b[off:])
		}
		return uint64(binary.LittleEndian.Uint32(b[off:]))
	}
	var k KeyLink
	k.ProvType = binary.LittleEndian.Uint32(b[offProvType:])
	k.KeySpec = binary.LittleEndian.Uint32(b[offKeySpec:])
	var err error
	if k.Container, err = stringAt(b, base, ptr(offContainer)); err != nil {
		return k, fmt.Errorf("decode key container name: %w", err)
	}
	if k.Provider, err = stringAt(b, base, ptr(offProv)); err != nil {
		return k, fmt.Errorf("decode key provider name: %w", err)
	}
	return k, nil
}

// stringAt reads a NUL-terminated UTF-16LE string at address p of a buffer
// that starts at address base. A zero pointer (or offset: the structure's
// header is there, never a string) means "no string".
func stringAt(b []byte, base, p uint64) (string, error) {
	if p == 0 {
		return "", nil
	}
	if p < base || p-base >= uint64(len(b)) {
		return "", fmt.Errorf("string pointer 0x%X outside the %d-byte structure", p, len(b))
	}
	off := int(p - base)
	for i := off; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			u, _ := utf16Units(b[off:i])
			return utf16String(u)
		}
	}
	return "", fmt.Errorf("string at offset %d has no terminating NUL", off)
}

// Serialized certificate property IDs (wincrypt.h CERT_*_PROP_ID).
const (
	certKeyProvInfoPropID = 2
	certCertPropID        = 32
)

// CertBlob is a decoded registry certificate Blob (a serialized
// certificate context: the DER plus its properties).
type CertBlob struct {
	DER []byte
	// Key is the private-key link (property 2), nil when absent.
	Key *KeyLink
	// KeyError explains a property 2 that could not be decoded.
	KeyError string
}

// maxBlobElements bounds the number of properties DecodeCertBlob walks.
const maxBlobElements = 4096

// DecodeCertBlob decodes the Blob value of a certificate under
// `…\SystemCertificates\<Store>\Certificates\<SHA1>`: a sequence of
// {DWORD propId, DWORD encoding, DWORD length, bytes} elements. The
// certificate itself is property 32. An element running past the end, a
// missing property 32 or a property 32 that is not a DER SEQUENCE is an
// error; a broken key link only sets KeyError.
func DecodeCertBlob(b []byte) (CertBlob, error) {
	var cb CertBlob
	var keyRaw []byte
	haveKey := false
	for n := 0; len(b) > 0; n++ {
		if n >= maxBlobElements {
			return cb, fmt.Errorf("decode certificate blob: more than %d properties", maxBlobElements)
		}
		if len(b) < 12 {
			return cb, fmt.Errorf("decode certificate blob: %d stray bytes at the end", len(b))
		}
		id := binary.LittleEndian.Uint32(b)
		l := binary.LittleEndian.Uint32(b[8:])
		if uint64(l) > uint64(len(b)-12) {
			return cb, fmt.Errorf("decode certificate blob: property %d claims %d bytes, %d left", id, l, len(b)-12)
		}
		data := b[12 : 12+int(l)]
		b = b[12+int(l):]
		switch id {
		case certCertPropID:
			cb.DER = append([]byte(nil), data...)
		case certKeyProvInfoPropID:
			keyRaw, haveKey = data, true
		}
	}
	if cb.DER == nil {
		return cb, errors.New("decode certificate blob: no certificate property (32)")
	}
	if err := checkDERSequence(cb.DER); err != nil {
		return cb, fmt.Errorf("decode certificate blob: property 32 is not a certificate: %w", err)
	}
	if haveKey {
		k, err := DecodeKeyProvInfo(keyRaw, 0, 4)
		if err != nil {
			cb.KeyError = err.Error()
		} else {
			cb.Key = &k
		}
	}
	return cb, nil
}

// checkDERSequence checks that b is exactly one DER SEQUENCE (tag 0x30 with
// a definite length that covers the rest of b). It is a sanity check, not a
// certificate parser.
func checkDERSequence(b []byte) error {
	if len(b) < 2 {
		return fmt.Errorf("%d bytes", len(b))
	}
	if b[0] != 0x30 {
		return fmt.Errorf("tag 0x%02X, want SEQUENCE 0x30", b[0])
	}
	n, hdr := int(b[1]), 2
	if b[1]&0x80 != 0 {
		k := int(b[1] & 0x7f)
		if k == 0 || k > 4 || len(b) < 2+k {
			return errors.New("bad length encoding")
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		hdr = 2 + k
	}
	if n != len(b)-hdr {
		return fmt.Errorf("SEQUENCE length %d, %d bytes follow", n, len(b)-hdr)
	}
	return nil
}

// Thumbprint returns the upper-case hex SHA-1 of der: the certificate's
// thumbprint and the name of its registry subkey.
func Thumbprint(der []byte) string {
	s := sha1.Sum(der)
	const digits = "0123456789ABCDEF"
	var b [2 * sha1.Size]byte
	for i, c := range s {
		b[2*i], b[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(b[:])
}

// cp866High maps bytes 0x80-0xFF of code page 866 (the OEM code page of
// Russian Windows) to Unicode.
var cp866High = []rune("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" +
	"абвгдежзийклмноп" +
	"░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
	"рстуфхцчшщъыьэюя" +
	"ЁёЄєЇїЎў°∙·√№¤■\u00a0")

// DecodeCP866 converts text in code page 866 to UTF-8. Every byte maps to
// one character, so it cannot fail. The Windows back end decodes with the
// system's own tables; this one serves snapshots and tests.
func DecodeCP866(b []byte) []byte {
	out := make([]byte, 0, len(b)*2)
	for _, c := range b {
		if c < 0x80 {
			out = append(out, c)
			continue
		}
		out = utf8.AppendRune(out, cp866High[c-0x80])
	}
	return out
}

// langIDNames are the UI languages a Russian-speaking helpdesk meets; used
// only where Windows cannot name a LANGID itself (LCIDToLocaleName is
// missing before Vista).
var langIDNames = map[uint16]string{
	0x0419: "ru-RU",
	0x0409: "en-US",
	0x0809: "en-GB",
	0x0422: "uk-UA",
	0x0423: "be-BY",
	0x043F: "kk-KZ",
	0x0444: "tt-RU",
	0x0407: "de-DE",
}

// LangIDName names a Windows LANGID ("ru-RU" for 0x0419); unknown ones
// become "0x…".
func LangIDName(id uint16) string {
	if s, ok := langIDNames[id]; ok {
		return s
	}
	return fmt.Sprintf("0x%04X", id)
}
