package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := map[string]string{
		"arm-buh-07":             "arm-buh-07",
		"Иванов И.И.":            "Иванов И.И.",
		"\x1b]0;pwned\x07host":   `\x1b]0;pwned\x07host`,
		"a\x1b[2Jb":              `a\x1b[2Jb`,
		"nul\x00byte":            `nul\x00byte`,
		"two\nlines\ttab\r":      `two\x0alines\x09tab\x0d`,
		"evil\u202egnp.exe":      `evil\u202egnp.exe`,
		"\u2066iso\u2069 \u200f": `\u2066iso\u2069 \u200f`,
		"c1 \u009b31m":           `c1 \u009b31m`,
		"bad \xff utf8":          `bad \xff utf8`,
		"del\x7f":                `del\x7f`,
		"ГУЦ Минцифры «Казначейство» – ✓ ✗": "ГУЦ Минцифры «Казначейство» – ✓ ✗",
	}
	for in, want := range cases {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	in := "first\r\nsecond\x1b[31m\n\tindented \u202e\n"
	want := "first\nsecond\\x1b[31m\n\tindented \\u202e\n"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestLongValuesAreShortened(t *testing.T) {
	host := strings.Repeat("h", 50<<20)
	got := Line(host)
	if len(got) > MaxLine+64 || !strings.HasSuffix(got, "…(52427776 more bytes)") {
		t.Errorf("50 MB line: %d bytes, ends %q", len(got), got[len(got)-40:])
	}
	// A multi-line text: each line is capped, and the whole.
	long := strings.Repeat("x", 5000) + "\nnext\n" + strings.Repeat("y\n", 100000)
	got = Text(long)
	lines := strings.Split(got, "\n")
	if len(lines[0]) > MaxLine+64 || lines[1] != "next" || len(got) > MaxText+64 || !strings.Contains(got, "more bytes)") {
		t.Errorf("Text: first line %d bytes, second %q, total %d", len(lines[0]), lines[1], len(got))
	}
	// Cyrillic is cut on a rune boundary.
	if s := Line(strings.Repeat("ж", 3000)); !utf8.ValidString(s) {
		t.Errorf("invalid UTF-8 after cut")
	}
	if s := Shorten(strings.Repeat("ж", 10), 5); s != "жж…(16 more bytes)" {
		t.Errorf("Shorten = %q", s)
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "a\x1b[0m", "\u202e", "\xff\xfe", strings.Repeat("я", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Text(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 from %q", s)
			}
			for _, r := range out {
				if Unsafe(r) && r != '\n' && r != '\t' {
					t.Fatalf("unsafe %U left in output of %q", r, s)
				}
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line kept a newline or tab: %q", s)
		}
		sameAsRewrite(t, s)
	})
}

// sameAsRewrite: the fast path (a value kept as it is) answers exactly as
// the rune-by-rune rewrite.
func sameAsRewrite(t *testing.T, s string) {
	t.Helper()
	for _, multi := range []bool{false, true} {
		for _, max := range []int{MaxLine, MaxText, 8} {
			if got, want := clean(s, multi, max), rewrite(s, multi, max); got != want {
				t.Fatalf("clean(%q, %v, %d) = %q, the rewrite gives %q", s, multi, max, got, want)
			}
		}
	}
}

// TestFastPathBoundaries: Cyrillic, unsafe and invalid runes, and runes
// that start just before, at and after the line cap.
func TestFastPathBoundaries(t *testing.T) {
	cases := []string{"", "abc", "Минцифры России", "ИНН 7710474375", "a\u202eb", "ж\u0085", "\ufffd", "\xd0", "я\xd0",
		"\u2028", "x\ufeff", "tab\there", "line\nnext", "cr\r\nlf"}
	for _, pre := range []int{MaxLine - 3, MaxLine - 2, MaxLine - 1, MaxLine, MaxLine + 1} {
		for _, tail := range []string{"я", "ab", "€", "я\nяя", "\n" + strings.Repeat("я", 600)} {
			cases = append(cases, strings.Repeat("a", pre)+tail, strings.Repeat("ж", pre/2)+tail)
		}
	}
	for _, s := range cases {
		sameAsRewrite(t, s)
	}
	if s := "Федеральное казначейство"; Line(s) != s {
		t.Errorf("Line changed %q", s)
	}
}
