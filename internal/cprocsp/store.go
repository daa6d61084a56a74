package cprocsp

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Store files.
//
// CryptoPro CSP for Linux keeps certificate stores in
// /var/opt/cprocsp/users/<user>/stores/*.sto. That these files use the
// Windows "serialized certificate store" format (CertSaveStore with
// CERT_STORE_SAVE_AS_STORE) is UNCONFIRMED: it is inferred ([I] in the
// research notes) and no document or captured file was found. ParseStore
// therefore checks the 8-byte header and returns ErrUnrecognisedStore for
// anything else, and the Linux back end then falls back to certmgr.
//
// The Windows format (MS-OSHARED, wincrypt.h): a header of two little-endian
// DWORDs, version 0 and the magic "CERT"; then elements
// { DWORD propId; DWORD encodingType; DWORD cb; BYTE data[cb] }. A
// certificate is a group of property elements followed by the element with
// propId 32 holding the DER (CertSaveStore writes the properties first and
// leaves out the hash properties); an element with propId 0 ends the store.

// ErrUnrecognisedStore says a store file is not in the serialized format.
var ErrUnrecognisedStore = errors.New("unrecognised store format")

// ErrTruncatedStore says a store file ends in the middle of an element.
var ErrTruncatedStore = errors.New("truncated store file")

// Property ids used in store files (wincrypt.h).
const (
	PropKeyProvInfo = 2  // CERT_KEY_PROV_INFO_PROP_ID
	PropSHA1        = 3  // CERT_SHA1_HASH_PROP_ID
	PropFriendly    = 11 // CERT_FRIENDLY_NAME_PROP_ID
	PropKeyID       = 20 // CERT_KEY_IDENTIFIER_PROP_ID
	PropCert        = 32 // the certificate itself
	PropCRL         = 33
	PropCTL         = 34
)

// storeMagic is the file header: version 0, then "CERT".
var storeMagic = []byte{0, 0, 0, 0, 'C', 'E', 'R', 'T'}

// KeyLink names the container of a certificate's private key
// (CRYPT_KEY_PROV_INFO). It has the same fields as host.KeyLink, so a
// conversion host.KeyLink(*e.Key) works; it never holds key material.
type KeyLink struct {
	Container string `json:"container"`
	Provider  string `json:"provider,omitempty"`
	ProvType  uint32 `json:"prov_type,omitempty"`
	KeySpec   uint32 `json:"key_spec,omitempty"`
	Error     string `json:"error,omitempty"`
}

// StoreEntry is one certificate of a store file.
type StoreEntry struct {
	DER   []byte
	SHA1  string   // upper-case hex SHA-1 of DER (computed, not trusted from the file)
	Key   *KeyLink // nil when the entry has no CRYPT_KEY_PROV_INFO
	Error string   // per-entry problem; the entry is still returned
}

// maxElements bounds the work on a hostile file.
const maxElements = 1 << 16

// ParseStore reads a serialized store. A file with the wrong header is
// ErrUnrecognisedStore. A file cut short returns the entries read so far and
// an error wrapping ErrTruncatedStore. CRLs and CTLs are skipped.
func ParseStore(data []byte) ([]StoreEntry, error) {
	if len(data) < len(storeMagic) || string(data[:len(storeMagic)]) != string(storeMagic) {
		return nil, ErrUnrecognisedStore
	}
	var (
		entries []StoreEntry
		pending []prop
		pos     = len(storeMagic)
	)
	for n := 0; ; n++ {
		if pos == len(data) {
			// No end marker: tolerated (the marker is required on Windows,
			// but nothing is lost without it).
			break
		}
		if n >= maxElements {
			return entries, fmt.Errorf("parse store: more than %d elements", maxElements)
		}
		if len(data)-pos < 12 {
			return entries, fmt.Errorf("parse store: element header at offset %d: %w", pos, ErrTruncatedStore)
		}
		id := binary.LittleEndian.Uint32(data[pos:])
		enc := binary.LittleEndian.Uint32(data[pos+4:])
		cb := binary.LittleEndian.Uint32(data[pos+8:])
		if id == 0 {
			break
		}
		start := pos + 12
		if uint64(cb) > uint64(len(data)-start) {
			return entries, fmt.Errorf("parse store: element %d at offset %d claims %d bytes, %d left: %w", id, pos, cb, len(data)-start, ErrTruncatedStore)
		}
		body := data[start : start+int(cb)]
		pos = start + int(cb)
		switch id {
		case PropCert:
			entries = append(entries, makeEntry(body, enc, pending))
			pending = nil
		case PropCRL, PropCTL:
			pending = nil
		default:
			pending = append(pending, prop{id: id, data: body})
		}
	}
	if len(pending) > 0 {
		if len(entries) == 0 {
			return nil, fmt.Errorf("parse store: %d properties without a certificate", len(pending))
		}
		// Properties after the last certificate: tolerate a layout where
		// properties follow their certificate by attaching them to it.
		last := &entries[len(entries)-1]
		applyProps(last, pending)
	}
	return entries, nil
}

type prop struct {
	id   uint32
	data []byte
}

func makeEntry(der []byte, enc uint32, props []prop) StoreEntry {
	e := StoreEntry{DER: append([]byte(nil), der...)}
	sum := sha1.Sum(der)
	e.SHA1 = strings.ToUpper(hex.EncodeToString(sum[:]))
	var errs []string
	if enc != 1 && enc != 0x10001 {
		errs = append(errs, fmt.Sprintf("unexpected encoding type 0x%X", enc))
	}
	if len(der) == 0 || der[0] != 0x30 {
		errs = append(errs, "certificate element is not DER (no SEQUENCE)")
	}
	e.Error = strings.Join(errs, "; ")
	applyProps(&e, props)
	return e
}

func applyProps(e *StoreEntry, props []prop) {
	var errs []string
	if e.Error != "" {
		errs = append(errs, e.Error)
	}
	for _, p := range props {
		switch p.id {
		case PropSHA1:
			if !strings.EqualFold(hex.EncodeToString(p.data), e.SHA1) {
				errs = append(errs, "stored SHA-1 property does not match the certificate")
			}
		case PropKeyProvInfo:
			k, err := decodeKeyProvInfo(p.data)
			switch {
			case err != nil:
				k = KeyLink{Error: err.Error()}
			case k.Container == "":
				k.Error = "key link has no container name"
			}
			e.Key = &k
		}
	}
	e.Error = strings.Join(errs, "; ")
}

// The serialized CRYPT_KEY_PROV_INFO is the 32-bit struct with pointers
// replaced by offsets from the start of the struct:
//
//	0 container name offset (UTF-16LE, NUL-terminated)
//	4 provider name offset
//	8 provider type
//	12 flags
//	16 number of provider parameters
//	20 parameters offset
//	24 key spec
const keyProvInfoSize = 28

func decodeKeyProvInfo(b []byte) (KeyLink, error) {
	if len(b) < keyProvInfoSize {
		return KeyLink{}, fmt.Errorf("key link property is %d bytes, want at least %d", len(b), keyProvInfoSize)
	}
	u := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	cont, err := utf16At(b, u(0))
	if err != nil {
		return KeyLink{}, fmt.Errorf("key link container name: %w", err)
	}
	provName, err := utf16At(b, u(4))
	if err != nil {
		return KeyLink{}, fmt.Errorf("key link provider name: %w", err)
	}
	return KeyLink{Container: cont, Provider: provName, ProvType: u(8), KeySpec: u(24)}, nil
}

// utf16At reads a NUL-terminated UTF-16LE string at an offset; offset 0 is
// an absent string.
func utf16At(b []byte, off uint32) (string, error) {
	if off == 0 {
		return "", nil
	}
	if uint64(off) >= uint64(len(b)) {
		return "", fmt.Errorf("offset %d outside the %d-byte property", off, len(b))
	}
	var units []uint16
	for i := int(off); ; i += 2 {
		if i+1 >= len(b) {
			return "", errors.New("string not terminated")
		}
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		units = append(units, c)
	}
	return string(utf16.Decode(units)), nil
}

// MarshalStore writes entries in the serialized store format ParseStore
// reads, the way CertSaveStore(CERT_STORE_SAVE_AS_STORE) lays it out: for
// each entry its key link (when Key is set) and then the certificate (hash
// properties are left out, as Windows does on save), then the end marker.
// Tests and the fixture generator use it; gmu-doctor never writes store files.
func MarshalStore(entries []StoreEntry) []byte {
	out := append([]byte(nil), storeMagic...)
	for _, e := range entries {
		if e.Key != nil {
			out = AppendStoreElement(out, PropKeyProvInfo, encodeKeyProvInfo(*e.Key))
		}
		out = AppendStoreElement(out, PropCert, e.DER)
	}
	return append(out, make([]byte, 12)...)
}

// AppendStoreElement appends one {propId, 1, cb, data} element.
func AppendStoreElement(out []byte, id uint32, data []byte) []byte {
	var h [12]byte
	binary.LittleEndian.PutUint32(h[0:], id)
	binary.LittleEndian.PutUint32(h[4:], 1)
	binary.LittleEndian.PutUint32(h[8:], uint32(len(data)))
	out = append(out, h[:]...)
	return append(out, data...)
}

func encodeKeyProvInfo(k KeyLink) []byte {
	b := make([]byte, keyProvInfoSize)
	put := func(off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
	str := func(s string) uint32 {
		off := uint32(len(b))
		for _, c := range utf16.Encode([]rune(s)) {
			b = append(b, byte(c), byte(c>>8))
		}
		b = append(b, 0, 0)
		return off
	}
	cont := str(k.Container)
	prov := str(k.Provider)
	put(0, cont)
	put(4, prov)
	put(8, k.ProvType)
	put(24, k.KeySpec)
	return b
}
