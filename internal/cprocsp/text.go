// Package cprocsp parses what CryptoPro CSP for Linux leaves on a workstation:
// the output of its command-line tools (csptest, certmgr, cpconfig) and its
// certificate store files. The functions here are pure: they never touch the
// machine, so the Linux live back end and the checks that replay a snapshot
// use the same code.
//
// Confidence of the formats (see docs/ and the research notes): the version
// line, the container list and the certmgr -list layout were seen in real
// output; the cpconfig -license -view layout and the .sto file format are
// inferred, so their parsers are lenient and say so when they do not
// recognise their input.
package cprocsp

import (
	"strings"
	"unicode/utf8"
)

// cp1251High maps bytes 0x80..0xFF of Windows-1251 to Unicode. 0x98 is not
// assigned in cp1251; it decodes to U+FFFD.
var cp1251High = [128]rune{
	// 0x80
	0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
	0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
	// 0x90
	0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
	// 0xA0
	0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
	0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
	// 0xB0
	0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
	0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
	// 0xC0..0xFF: А..я, filled in init
}

func init() {
	for i := 0; i < 64; i++ {
		cp1251High[0x40+i] = rune(0x0410 + i)
	}
}

// DecodeText turns tool output into UTF-8 text: valid UTF-8 is kept as it is,
// anything else is read as Windows-1251 (what CryptoPro tools print on
// Russian-locale Linux up to build 5.0.11455). Carriage returns are removed.
func DecodeText(b []byte) string {
	var s string
	if utf8.Valid(b) {
		s = string(b)
	} else {
		s = decode1251(b)
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r", "")
	}
	return s
}

func decode1251(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) * 2)
	for _, c := range b {
		if c < 0x80 {
			sb.WriteByte(c)
			continue
		}
		sb.WriteRune(cp1251High[c-0x80])
	}
	return sb.String()
}

// EncodeCP1251 converts UTF-8 text to Windows-1251; characters that have no
// cp1251 code become '?'. Tests use it to make cp1251 variants of fixtures.
func EncodeCP1251(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 0x80 {
			out = append(out, byte(r))
			continue
		}
		b := byte('?')
		for i, m := range cp1251High {
			if m == r && r != 0xFFFD {
				b = byte(0x80 + i)
				break
			}
		}
		out = append(out, b)
	}
	return out
}

// lines splits decoded text into lines.
func lines(s string) []string { return strings.Split(s, "\n") }
