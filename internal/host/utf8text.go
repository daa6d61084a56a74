package host

import (
	"bytes"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// UTF8Text returns data as UTF-8 without a byte order mark. Windows
// PowerShell 5.1 writes "gmu-doctor collect -o - > ws.json" (and any other
// redirected output) as UTF-16LE with a BOM, and Notepad may add a UTF-8
// BOM: such files are what helpdesks collect, so they are read, not
// rejected. Text without a BOM is returned as it is. In UTF-16, a
// surrogate without its pair becomes U+FFFD (as unicode/utf16.Decode
// does).
func UTF8Text(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		body := data[2:]
		if len(body)%2 != 0 {
			return nil, errors.New("UTF-16 text with an odd number of bytes")
		}
		little := data[0] == 0xFF
		unit := func(i int) rune {
			if little {
				return rune(body[i]) | rune(body[i+1])<<8
			}
			return rune(body[i])<<8 | rune(body[i+1])
		}
		// Mostly ASCII: half the bytes; grows if not.
		out := make([]byte, 0, len(body)/2)
		for i := 0; i < len(body); i += 2 {
			r := unit(i)
			switch {
			case !utf16.IsSurrogate(r):
			case r < 0xDC00 && i+3 < len(body):
				if lo := unit(i + 2); lo >= 0xDC00 && lo < 0xE000 {
					r = utf16.DecodeRune(r, lo)
					i += 2
				} else {
					r = utf8.RuneError
				}
			default:
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		}
		return out, nil
	}
	return data, nil
}

// hasUTF16BOM reports whether head starts with a UTF-16 byte order mark.
func hasUTF16BOM(head []byte) bool {
	return bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})
}
