// Package termsafe makes text from untrusted data safe to print on a
// terminal. A snapshot's hostname, a certificate's subject, a path quoted
// in an error may carry escape sequences (ESC, OSC, CSI), BEL, NUL, C1
// controls or Unicode bidi overrides that would recolour, retitle or
// rearrange the operator's terminal, or hide text. Every text renderer
// passes data through Text or Line; JSON output keeps its own escaping.
//
// Such characters are shown, not dropped: ESC becomes `\x1b`, U+202E
// becomes `\u202e`, an invalid UTF-8 byte `\xff`, so the operator sees
// that the value holds them. Very long values are shortened with a note of
// how much was left out.
package termsafe

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Caps on what one value prints.
const (
	// MaxLine is the most bytes one line of a value prints (a 50 MB
	// hostname prints its first 1 KiB and a note).
	MaxLine = 1024
	// MaxText is the most bytes a multi-line value prints in all.
	MaxText = 64 << 10
)

// Line returns s as one safe line: every control character, including
// newline and tab, is shown escaped; at most MaxLine bytes are kept.
func Line(s string) string { return clean(s, false, MaxLine) }

// Text returns s safe for a terminal, keeping its line breaks (CR LF
// becomes LF) and tabs: for messages and hints that have several lines.
// Each line is capped at MaxLine bytes and the whole at MaxText.
func Text(s string) string { return clean(s, true, MaxText) }

// Shorten caps s at max bytes (on a UTF-8 boundary), noting how many bytes
// were left out; it does not escape anything.
func Shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…(%d more bytes)", len(s)-cut)
}

// Unsafe reports whether r must not reach a terminal as it is: C0 and C1
// controls, DEL, the bidi embedding, override and isolate controls, and
// the line and paragraph separators.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	case r == 0x2028, r == 0x2029, r == 0xfeff:
		return true
	}
	return false
}

// safe reports whether s can be printed as it is (the common case: no
// allocation).
func safe(s string, multiline bool, max int) bool {
	if len(s) > max {
		return false
	}
	line := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			// A rune of Cyrillic text and the like is kept as is unless
			// it is invalid or unsafe, or starts beyond the line's cap.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || Unsafe(r) || line >= MaxLine {
				return false
			}
			line += size
			i += size - 1
			continue
		}
		if multiline && c == '\n' {
			line = 0
			continue
		}
		if multiline && c == '\t' {
			line++
			continue
		}
		if c < 0x20 || c == 0x7f {
			return false
		}
		line++
		if line > MaxLine {
			return false
		}
	}
	return true
}

func clean(s string, multiline bool, max int) string {
	if safe(s, multiline, max) {
		return s
	}
	return rewrite(s, multiline, max)
}

// rewrite is clean for a value that needs changing: unsafe runes escaped,
// long lines and the whole cut.
func rewrite(s string, multiline bool, max int) string {
	var b strings.Builder
	line := 0
	for i := 0; i < len(s); {
		if b.Len() >= max {
			b.WriteString(fmt.Sprintf("…(%d more bytes)", len(s)-i))
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if multiline && r == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
			continue
		}
		if multiline && r == '\n' {
			b.WriteByte('\n')
			line = 0
			i += size
			continue
		}
		if line >= MaxLine {
			// Skip to the end of this line, noting what was left out.
			end := len(s)
			if multiline {
				if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
					end = i + j
				}
			}
			b.WriteString(fmt.Sprintf("…(%d more bytes)", end-i))
			line = 0
			i = end
			continue
		}
		var out string
		switch {
		case r == utf8.RuneError && size == 1:
			out = fmt.Sprintf(`\x%02x`, s[i])
		case multiline && r == '\t':
			out = "\t"
		case Unsafe(r) && r < 0x80:
			out = fmt.Sprintf(`\x%02x`, r)
		case Unsafe(r):
			out = fmt.Sprintf(`\u%04x`, r)
		default:
			out = s[i : i+size]
		}
		b.WriteString(out)
		line += len(out)
		i += size
	}
	return b.String()
}

// Writer sanitises, line by line, what is written through it (as Text
// does); call Flush at the end for a last line without a newline. For
// renderers without colours whose every line may quote data.
type Writer struct {
	w   io.Writer
	buf []byte
	err error
}

// NewWriter returns a Writer that writes safe text to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write implements io.Writer. Complete lines are written at once; a long
// line without a newline is held only up to MaxText bytes.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	w.buf = append(w.buf, p...)
	if i := bytes.LastIndexByte(w.buf, '\n'); i >= 0 {
		w.emit(w.buf[:i+1])
		w.buf = append(w.buf[:0], w.buf[i+1:]...)
	} else if len(w.buf) > MaxText {
		w.emit(w.buf)
		w.buf = w.buf[:0]
	}
	return len(p), w.err
}

// Flush writes what is left without a final newline.
func (w *Writer) Flush() error {
	if len(w.buf) > 0 && w.err == nil {
		w.emit(w.buf)
		w.buf = w.buf[:0]
	}
	return w.err
}

func (w *Writer) emit(b []byte) {
	if w.err == nil {
		_, w.err = io.WriteString(w.w, Text(string(b)))
	}
}
