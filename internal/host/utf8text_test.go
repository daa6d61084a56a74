package host

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf8TextReference is UTF8Text as internal/fleet first wrote it, through
// unicode/utf16.Decode.
func utf8TextReference(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		body := data[2:]
		if len(body)%2 != 0 {
			return nil, errors.New("UTF-16 text with an odd number of bytes")
		}
		units := make([]uint16, len(body)/2)
		for i := range units {
			if data[0] == 0xFF {
				units[i] = uint16(body[2*i]) | uint16(body[2*i+1])<<8
			} else {
				units[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
			}
		}
		return []byte(string(utf16.Decode(units))), nil
	}
	return data, nil
}

func utf16Of(s string, little bool) []byte {
	out := []byte{0xFE, 0xFF}
	if little {
		out = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if little {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}

// A snapshot saved through a PowerShell redirect (UTF-16LE with a BOM) or
// by Notepad (UTF-8 BOM) loads as the file collect wrote, on every road.
func TestLoadSnapshotWithByteOrderMark(t *testing.T) {
	f := filepath.Join("..", "..", "testdata", "workstations", "windows10-healthy.json")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := LoadSnapshot(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{
		"utf-8 bom":  append([]byte{0xEF, 0xBB, 0xBF}, data...),
		"utf-16le":   utf16Of(string(data), true),
		"utf-16be":   utf16Of(string(data), false),
		"utf-16 odd": append(utf16Of(string(data), true), '}'),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := loadBothWays(t, doc)
			if name == "utf-16 odd" {
				if err == nil || err.Error() != "load snapshot: UTF-16 text with an odd number of bytes" {
					t.Fatalf("err %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Error("loads differently from the file without a byte order mark")
			}
		})
	}
	// A broken one still names the place (in the decoded text).
	_, err = loadBothWays(t, utf16Of(strings.Replace(string(data), `"os":`, `"os" `, 1), true))
	if err == nil || !strings.Contains(err.Error(), "line 5, column") {
		t.Errorf("err %v", err)
	}
}

func FuzzUTF8Text(f *testing.F) {
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	f.Add(utf16Of("Личное 🔑 \U0010FFFF", true))
	f.Add(utf16Of("Личное 🔑", false))
	f.Add([]byte{0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x00, 0xD8})
	f.Add([]byte{0xFE, 0xFF, 0xD8, 0x00, 0xDC, 0x00, 0xDB, 0xFF})
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := UTF8Text(data)
		want, werr := utf8TextReference(data)
		if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) || !bytes.Equal(got, want) {
			t.Fatalf("UTF8Text(%q) = %q, %v; reference %q, %v", data, got, err, want, werr)
		}
	})
}
