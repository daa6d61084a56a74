// Package kb is the error knowledge base behind `gmu-doctor explain`: what a
// message or code the user saw means, and which checks find the cause on a
// machine. The entries are embedded data (kb.json); each names its source and
// a confidence mark (V seen in the source, I inferred).
package kb

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
)

//go:embed kb.json
var kbJSON []byte

// Entry is one known error.
type Entry struct {
	ID       string   `json:"id"`
	Codes    []string `json:"codes"`  // "0x800B010A", or small numbers such as "438", "400"
	Symbol   string   `json:"symbol"` // CERT_E_CHAINING
	Patterns []string `json:"patterns"`
	// GenericPatterns are wrappers' catch-all wordings («Ошибка при
	// подписании данных»): they point at this entry only when nothing more
	// specific in the text does.
	GenericPatterns []string `json:"generic_patterns,omitempty"`
	CauseRU         string   `json:"cause_ru"`
	CauseEN         string   `json:"cause_en"`
	FixRU           string   `json:"fix_ru"`
	FixEN           string   `json:"fix_en"`
	Checks          []string `json:"checks"` // checks that find the cause on a machine
	Source          string   `json:"source"`
	Confidence      string   `json:"confidence"` // V or I
	// RequiresText marks an entry whose codes are shared with a broader
	// entry (the TSP server's chain error is 0x800B010A too): its codes
	// count only together with one of its wordings.
	RequiresText bool `json:"requires_text,omitempty"`
	// Noise marks a harmless message: the user should stop chasing it; the
	// cause says so plainly.
	Noise bool `json:"noise,omitempty"`

	codes    []uint32
	small    []string
	patterns []string // normalised
	generic  []string // normalised
	symbol   string   // normalised
}

// Cause returns the cause in lang ("ru" or "en").
func (e *Entry) Cause(lang string) string {
	if lang == "en" {
		return e.CauseEN
	}
	return e.CauseRU
}

// Fix returns the generic fix in lang ("ru" or "en").
func (e *Entry) Fix(lang string) string {
	if lang == "en" {
		return e.FixEN
	}
	return e.FixRU
}

// Base is the loaded knowledge base.
type Base struct {
	Entries []*Entry
}

// Load parses the embedded knowledge base and validates every entry.
func Load() (*Base, error) { return parse(kbJSON) }

func parse(data []byte) (*Base, error) {
	var doc struct {
		Entries []*Entry `json:"entries"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse knowledge base: %w", err)
	}
	seen := map[string]bool{}
	for i, e := range doc.Entries {
		if e == nil || e.ID == "" {
			return nil, fmt.Errorf("parse knowledge base: entry %d has no id", i)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("parse knowledge base: entry %q is listed twice", e.ID)
		}
		seen[e.ID] = true
		if strings.TrimSpace(e.Source) == "" {
			return nil, fmt.Errorf("parse knowledge base: entry %q has no source", e.ID)
		}
		if e.Confidence != "V" && e.Confidence != "I" {
			return nil, fmt.Errorf("parse knowledge base: entry %q has confidence %q, want V or I", e.ID, e.Confidence)
		}
		if e.CauseRU == "" || e.CauseEN == "" || e.FixRU == "" || e.FixEN == "" {
			return nil, fmt.Errorf("parse knowledge base: entry %q lacks a cause or fix in one language", e.ID)
		}
		if len(e.Patterns) == 0 && len(e.Codes) == 0 && len(e.GenericPatterns) == 0 {
			return nil, fmt.Errorf("parse knowledge base: entry %q has neither patterns nor codes", e.ID)
		}
		for _, c := range e.Codes {
			if strings.HasPrefix(strings.ToLower(c), "0x") {
				v, err := strconv.ParseUint(c[2:], 16, 32)
				if err != nil {
					return nil, fmt.Errorf("parse knowledge base: entry %q: code %q: %w", e.ID, c, err)
				}
				e.codes = append(e.codes, uint32(v))
			} else {
				if _, err := strconv.ParseUint(c, 10, 16); err != nil {
					return nil, fmt.Errorf("parse knowledge base: entry %q: code %q is neither 0x-hex nor a small number", e.ID, c)
				}
				e.small = append(e.small, c)
			}
		}
		for _, p := range e.Patterns {
			e.patterns = append(e.patterns, Normalize(p))
		}
		for _, p := range e.GenericPatterns {
			e.generic = append(e.generic, Normalize(p))
		}
		e.symbol = Normalize(e.Symbol)
	}
	return &Base{Entries: doc.Entries}, nil
}

// Get returns the entry with that ID.
func (b *Base) Get(id string) (*Entry, bool) {
	for _, e := range b.Entries {
		if e.ID == id {
			return e, true
		}
	}
	return nil, false
}

// Match is one entry matching a user's input.
type Match struct {
	Entry *Entry
	Score int
	// By says what matched: "code", "text" or "words".
	By string
}

// Scores. A code or symbol beats any wording; a code that comes with one of
// the entry's wordings beats a code alone, so that a message naming both
// the code and its context (a time-stamp server) picks the entry for that
// context; two entries matched the same way score the same and are both
// shown.
const (
	scoreCode       = 1000
	scoreCodeText   = 1100
	scoreSymbol     = 900
	scoreSmallCode  = 300
	scoreText       = 500 // plus the pattern length, up to maxPatternBonus
	scoreInside     = 400 // the input is part of a pattern (plus its length)
	scoreGeneric    = 300 // a generic wording: below any specific one
	scoreWords      = 100 // plus the share of the pattern's words, in percent
	maxPatternBonus = 99
)

// MaxInput is how much of the input Match reads: a pasted log longer than
// this is cut (the error is near its start in every real report we have).
const MaxInput = 64 << 10

var (
	hexRe = lazyre.New(`(?i)\b(?:0x)?([0-9a-f]{8})\b`)
	decRe = lazyre.New(`-?\b[0-9]{9,10}\b`)
)

// wrapperCodes are exception codes of the runtime that carried the error
// (.NET's CLR exception, a C++ throw), not the error itself: a real report
// reads «Код ошибки: -532462766 … Provider could not perform the action
// since the context was acquired as silent» (CryptoPro/libcore#48).
var wrapperCodes = map[uint32]bool{
	0xE0434352: true, // CLR exception (-532462766)
	0xE06D7363: true, // Microsoft C++ exception
}

// Codes extracts HRESULT-like codes from s: 0x800B010A, 800B010A, and the
// signed or unsigned decimal forms (-2146762486, 2148204810), also the
// signed form written without its minus sign (2146762486).
func Codes(s string) []uint32 {
	all, _ := codesIn(s)
	return all
}

// codesIn returns every code in s and the explicit ones: those written in
// hex or as a negative number, which no ИНН or other number in a pasted
// text produces by chance. Only explicit error codes (severity bit set, not
// a wrapper's exception code) veto a match by wording.
func codesIn(s string) (all, explicit []uint32) {
	add := func(list []uint32, v uint32) []uint32 {
		for _, o := range list {
			if o == v {
				return list
			}
		}
		return append(list, v)
	}
	for _, ix := range hexRe.FindAllStringSubmatchIndex(s, -1) {
		// Only 8-digit values that look like HRESULTs (severity bit set) or
		// were written with 0x count; the first group of a GUID
		// (CLR{B04C8637-10BD-…}) is not a code.
		if ix[1] < len(s) && s[ix[1]] == '-' || ix[0] > 0 && s[ix[0]-1] == '-' && ix[3]-ix[2] == ix[1]-ix[0] {
			continue
		}
		m := s[ix[0]:ix[1]]
		v, err := strconv.ParseUint(s[ix[2]:ix[3]], 16, 32)
		if err != nil {
			continue
		}
		if strings.HasPrefix(strings.ToLower(m), "0x") || v&0x80000000 != 0 {
			all = add(all, uint32(v))
			explicit = add(explicit, uint32(v))
		}
	}
	for _, m := range decRe.FindAllString(s, -1) {
		v, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			continue
		}
		switch {
		case v < 0 && v >= -1<<31:
			all = add(all, uint32(int32(v)))
			explicit = add(explicit, uint32(int32(v)))
		case v >= 1<<31 && v < 1<<32:
			all = add(all, uint32(v))
		case v > 0x70000000 && v < 1<<31:
			// A signed HRESULT that lost its minus sign (a shell took it for
			// an option, or the user dropped it): 2146762486 is 0x800B010A.
			all = add(all, uint32(-v))
		}
	}
	return all, explicit
}

// vetoes reports whether the explicit codes of the input rule out a match
// of e by wording: the input names an error code and e has codes, none of
// them that one. Success (0) and codes without the severity bit (a
// CryptoPro internal 0x0000002F) do not veto.
func vetoes(explicit []uint32, e *Entry) bool {
	if len(e.codes) == 0 {
		return false
	}
	seen := false
	for _, in := range explicit {
		if in&0x80000000 == 0 || wrapperCodes[in] {
			continue
		}
		for _, c := range e.codes {
			if c == in {
				return false
			}
		}
		seen = true
	}
	return seen
}

// Normalize lowercases s, folds ё to е, turns quotes and punctuation into
// spaces and collapses white space, so that user input with other quotes,
// case or extra spaces matches the stored wording.
func Normalize(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if r == 'ё' {
			r = 'е'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// Match returns the entries matching input, best first. Codes win over
// wording; wording is matched tolerantly (case, quotes, extra text around);
// an explicit code in the input that is not one of an entry's codes rules
// out a match of that entry by wording alone.
func (b *Base) Match(input string) []Match {
	if len(input) > MaxInput {
		input = input[:MaxInput]
	}
	norm := Normalize(input)
	codes, explicit := codesIn(input)
	words := strings.Fields(norm)
	wordSet := map[string]bool{}
	for _, w := range words {
		wordSet[w] = true
	}
	var out []Match
	for _, e := range b.Entries {
		codeHit := false
		for _, c := range e.codes {
			for _, in := range codes {
				if c == in {
					codeHit = true
				}
			}
		}
		text := textMatch(e, norm, words, wordSet)
		if text.Score > 0 && !codeHit && vetoes(explicit, e) {
			text = Match{}
		}
		best := text
		switch {
		case codeHit && text.Score > 0:
			best = Match{Score: scoreCodeText, By: "code"}
		case codeHit && !e.RequiresText:
			best = Match{Score: scoreCode, By: "code"}
		}
		for _, c := range e.small {
			// Small numbers (JScript 438, HTTP 400) only count as a code
			// when they stand alone as a word of the input.
			if wordSet[c] && best.Score < scoreSmallCode {
				best = Match{Score: scoreSmallCode, By: "code"}
			}
		}
		if e.symbol != "" && strings.Contains(" "+norm+" ", " "+e.symbol+" ") && best.Score < scoreSymbol {
			best = Match{Score: scoreSymbol, By: "code"}
		}
		if best.Score > 0 {
			best.Entry = e
			out = append(out, best)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// textMatch is the best match of e's wordings in the normalised input.
// Wordings match whole words: ERR_FAILED is not found in
// ERR_FAILED_SOMETHING.
func textMatch(e *Entry, norm string, words []string, wordSet map[string]bool) Match {
	var best Match
	padded := " " + norm + " "
	for _, p := range e.generic {
		if p != "" && strings.Contains(padded, " "+p+" ") {
			best = Match{Score: scoreGeneric, By: "text"}
		}
	}
	for _, p := range e.patterns {
		switch {
		case p == "":
		case strings.Contains(padded, " "+p+" "):
			if s := scoreText + bonus(len(p)); s > best.Score {
				best = Match{Score: s, By: "text"}
			}
		case len(words) >= 3 && strings.Contains(" "+p+" ", padded):
			if s := scoreInside + bonus(len(norm)); s > best.Score {
				best = Match{Score: s, By: "text"}
			}
		default:
			pw := strings.Fields(p)
			hit := 0
			for _, w := range pw {
				if wordSet[w] || (len([]rune(w)) > 5 && prefixHit(w, words)) {
					hit++
				}
			}
			// One word in five may be missing (a typo, another ending);
			// short wordings must match every word: «Сертификат ЭЦП не
			// найден» is not «Сертификат ЭЦП не зарегистрирован», «Не
			// удается получить список сертификатов» is not «Не удалось
			// получить список отзыва».
			if len(pw) >= 3 && len(pw)-hit <= len(pw)/5 {
				if s := scoreWords + hit*100/len(pw); s > best.Score {
					best = Match{Score: s, By: "words"}
				}
			}
		}
	}
	return best
}

func bonus(n int) int {
	if n > maxPatternBonus {
		return maxPatternBonus
	}
	return n
}

// prefixHit tolerates Russian word endings: a pattern word of more than five
// letters matches an input word sharing all but its last two letters.
func prefixHit(w string, words []string) bool {
	r := []rune(w)
	stem := string(r[:len(r)-2])
	for _, x := range words {
		if strings.HasPrefix(x, stem) {
			return true
		}
	}
	return false
}

// CodeForms gives each HRESULT code of e in the three forms users meet:
// hex, signed decimal (what .NET and JavaScript print) and unsigned
// decimal, e.g. "0x800B010A = -2146762486 = 2148204810".
func (e *Entry) CodeForms() []string {
	var out []string
	for i, c := range e.codes {
		out = append(out, fmt.Sprintf("%s = %d = %d", e.Codes[hexIndex(e, i)], int32(c), c))
	}
	return out
}

// hexIndex maps the i-th parsed code of e back to its spelling in Codes.
func hexIndex(e *Entry, i int) int {
	n := -1
	for j, c := range e.Codes {
		if strings.HasPrefix(strings.ToLower(c), "0x") {
			n++
			if n == i {
				return j
			}
		}
	}
	return i
}
