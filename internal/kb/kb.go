// Package kb is the error knowledge base behind `gmu-doctor explain`: what a
// message or code the user saw means, and which checks find the cause on a
// machine. The entries are embedded data (kb.json); each names its source and
// a confidence mark (V seen in the source, I inferred).
package kb

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

//go:embed kb.json
var kbJSON []byte

// Entry is one known error.
type Entry struct {
	ID         string   `json:"id"`
	Codes      []string `json:"codes"`  // "0x800B010A", or small numbers such as "438", "400"
	Symbol     string   `json:"symbol"` // CERT_E_CHAINING
	Patterns   []string `json:"patterns"`
	CauseRU    string   `json:"cause_ru"`
	CauseEN    string   `json:"cause_en"`
	FixRU      string   `json:"fix_ru"`
	FixEN      string   `json:"fix_en"`
	Checks     []string `json:"checks"` // checks that find the cause on a machine
	Source     string   `json:"source"`
	Confidence string   `json:"confidence"` // V or I

	codes    []uint32
	small    []string
	patterns []string // normalised
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
		if len(e.Patterns) == 0 && len(e.Codes) == 0 {
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

var (
	hexRe = regexp.MustCompile(`(?i)\b(?:0x)?([0-9a-f]{8})\b`)
	decRe = regexp.MustCompile(`-?\b[0-9]{9,10}\b`)
)

// Codes extracts HRESULT-like codes from s: 0x800B010A, 800B010A, and the
// signed or unsigned decimal forms (-2146762486, 2148204810).
func Codes(s string) []uint32 {
	var out []uint32
	add := func(v uint32) {
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	for _, m := range hexRe.FindAllStringSubmatch(s, -1) {
		// Only 8-digit values that look like HRESULTs (severity bit set) or
		// were written with 0x count.
		v, err := strconv.ParseUint(m[1], 16, 32)
		if err != nil {
			continue
		}
		if strings.HasPrefix(strings.ToLower(m[0]), "0x") || v&0x80000000 != 0 {
			add(uint32(v))
		}
	}
	for _, m := range decRe.FindAllString(s, -1) {
		v, err := strconv.ParseInt(m, 10, 64)
		if err != nil {
			continue
		}
		if v < 0 && v >= -1<<31 {
			add(uint32(int32(v)))
		} else if v >= 1<<31 && v < 1<<32 {
			add(uint32(v))
		}
	}
	return out
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
// wording; wording is matched tolerantly (case, quotes, extra text around).
func (b *Base) Match(input string) []Match {
	norm := Normalize(input)
	codes := Codes(input)
	words := strings.Fields(norm)
	wordSet := map[string]bool{}
	for _, w := range words {
		wordSet[w] = true
	}
	var out []Match
	for _, e := range b.Entries {
		best := Match{Entry: e}
		for _, c := range e.codes {
			for _, in := range codes {
				if c == in && best.Score < 1000 {
					best.Score, best.By = 1000, "code"
				}
			}
		}
		for _, c := range e.small {
			// Small numbers (JScript 438, HTTP 400) only count as a code
			// when they stand alone as a word of the input.
			if wordSet[c] && best.Score < 300 {
				best.Score, best.By = 300, "code"
			}
		}
		if e.Symbol != "" && strings.Contains(norm, Normalize(e.Symbol)) && best.Score < 900 {
			best.Score, best.By = 900, "code"
		}
		for _, p := range e.patterns {
			switch {
			case p == "":
			case strings.Contains(norm, p):
				if s := 500 + len(p); s > best.Score {
					best.Score, best.By = s, "text"
				}
			case len(words) >= 3 && strings.Contains(p, norm):
				if s := 400 + len(norm); s > best.Score {
					best.Score, best.By = s, "text"
				}
			default:
				pw := strings.Fields(p)
				hit := 0
				for _, w := range pw {
					if wordSet[w] || (len([]rune(w)) > 5 && prefixHit(w, words)) {
						hit++
					}
				}
				if len(pw) >= 3 && hit*100 >= len(pw)*60 {
					if s := 100 + hit*100/len(pw); s > best.Score {
						best.Score, best.By = s, "words"
					}
				}
			}
		}
		if best.Score > 0 {
			out = append(out, best)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
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
