package cli

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// negativeNumber is an error code written as a negative decimal
// (-2146762486), which the flag parser would take for a short option.
var negativeNumber = lazyre.New(`^-[0-9]+$`)

// explainArgs lets `gmu-doctor explain -2146762486` work without "--": when
// the arguments of explain hold a negative number, its flags stay where they
// are and every positional argument moves, in order, behind a "--". Flags
// that take a value keep it (`--format json`), so real flags keep working.
// Other command lines come back unchanged.
func explainArgs(root *cobra.Command, args []string) []string {
	at := -1
	for i, a := range args {
		if a == "--" {
			return args
		}
		if a == "explain" {
			at = i
			break
		}
	}
	if at < 0 {
		return args
	}
	var cmd *cobra.Command
	for _, c := range root.Commands() {
		if c.Name() == "explain" {
			cmd = c
		}
	}
	if cmd == nil {
		return args
	}
	rest := args[at+1:]
	found := false
	for _, a := range rest {
		if a == "--" {
			break
		}
		found = found || negativeNumber.MatchString(a)
	}
	if !found {
		return args
	}
	lookup := func(a string) *pflag.Flag {
		fs := []*pflag.FlagSet{cmd.Flags(), cmd.InheritedFlags()}
		for _, f := range fs {
			var fl *pflag.Flag
			if strings.HasPrefix(a, "--") {
				fl = f.Lookup(a[2:])
			} else if len(a) == 2 {
				fl = f.ShorthandLookup(a[1:])
			}
			if fl != nil {
				return fl
			}
		}
		return nil
	}
	var flags, pos []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			pos = append(pos, rest[i+1:]...)
			i = len(rest)
		case a == "-" || !strings.HasPrefix(a, "-") || negativeNumber.MatchString(a):
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			if strings.Contains(a, "=") {
				continue
			}
			// A flag that needs a value takes the next word with it.
			if f := lookup(a); f != nil && f.NoOptDefVal == "" && i+1 < len(rest) {
				flags = append(flags, rest[i+1])
				i++
			}
		}
	}
	out := append([]string{}, args[:at+1]...)
	out = append(out, flags...)
	out = append(out, "--")
	return append(out, pos...)
}

// maxEcho is how many characters of the user's input explain repeats.
const maxEcho = 200

// cleanInput removes what must not reach a terminal from text a user
// pasted: terminal escape sequences (CSI, OSC, other ESC sequences) whole,
// and every character termsafe calls unsafe (C0 and C1 controls, bidi
// controls; tabs and line breaks become spaces) and invalid UTF-8. Unlike
// termsafe, which shows such characters escaped in data, explain drops them:
// the input is the user's own paste, and matching needs the words.
func cleanInput(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			i++
			continue
		case r == 0x1b || r == 0x9b || r == 0x9d:
			i += escapeLen(s[i:])
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case termsafe.Unsafe(r) || unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// escapeLen is the length of the escape sequence at the start of s (ESC or
// a C1 introducer): CSI runs to its final byte, OSC/DCS/APC/PM/SOS to BEL
// or ST, any other ESC sequence is two characters.
func escapeLen(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	kind := byte(0)
	switch {
	case r == 0x9b:
		kind = '['
	case r == 0x9d:
		kind = ']'
	case len(s) > size:
		kind = s[size]
		size++
	default:
		return size
	}
	switch kind {
	case '[':
		for i := size; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']', 'P', '_', '^', 'X':
		for i := size; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	return size
}

// echo is the user's input as explain repeats it: clean, on one line, and
// shortened to maxEcho characters.
func echo(s string) string {
	s = strings.Join(strings.Fields(cleanInput(s)), " ")
	if utf8.RuneCountInString(s) <= maxEcho {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxEcho-1])) + "…"
}
