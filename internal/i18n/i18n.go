// Package i18n holds every user-facing string of gmu-doctor, one catalogue
// per language: the Russian catalogue is the files ru_*.go, the English one
// en_*.go. Each file adds the messages of one area (core, checks of one kind,
// the knowledge base …) to its language's catalogue, so that areas can be
// edited independently. A test checks that both catalogues have the same
// keys and the same format verbs.
//
// Code never formats a user-facing sentence itself: it builds a Text (a key
// plus arguments) and the renderer formats it in the language the user chose.
package i18n

import (
	"fmt"
	"sort"
	"strings"
)

// Lang is a catalogue language.
type Lang string

// Supported languages. Russian is the default.
const (
	RU Lang = "ru"
	EN Lang = "en"
)

// Langs lists the supported languages.
var Langs = []Lang{RU, EN}

// ParseLang accepts "ru", "en" (any case, also "ru_RU.UTF-8" style locales).
func ParseLang(s string) (Lang, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(l, "_-."); i > 0 {
		l = l[:i]
	}
	switch Lang(l) {
	case RU, EN:
		return Lang(l), nil
	}
	return "", fmt.Errorf("parse language %q: want ru or en", s)
}

var catalogs = map[Lang]map[string]string{RU: {}, EN: {}}

// add registers messages of one area; called from init functions of the
// ru_*.go and en_*.go files only. A key defined twice is a programming error.
func add(lang Lang, msgs map[string]string) {
	c := catalogs[lang]
	for k, v := range msgs {
		if _, dup := c[k]; dup {
			panic("i18n: duplicate key " + k + " in " + string(lang))
		}
		c[k] = v
	}
}

// Text is a translatable message: a catalogue key and its arguments.
// The zero Text is empty.
type Text struct {
	Key  string
	Args []any
}

// T makes a Text.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Raw makes a Text that is shown as is in every language (a file path, a
// value read from the machine). Use sparingly: sentences belong in the
// catalogue.
func Raw(s string) Text { return Text{Key: rawKey, Args: []any{s}} }

const rawKey = "\x00raw"

// Pair makes a Text from data that carries its own wording in both
// languages (a certificate or site name from a data file): Russian in
// Russian, English otherwise.
func Pair(ru, en string) Text { return Text{Key: pairKey, Args: []any{ru, en}} }

const pairKey = "\x00pair"

// IsZero reports whether t is empty.
func (t Text) IsZero() bool { return t.Key == "" }

// In formats t in lang. Arguments that are Texts themselves are formatted in
// the same language first. A key missing from the catalogue renders as
// "!{key}" so that it is visible and caught by tests.
func (t Text) In(lang Lang) string {
	if t.Key == "" {
		return ""
	}
	if t.Key == rawKey {
		if len(t.Args) == 1 {
			if s, ok := t.Args[0].(string); ok {
				return s
			}
		}
		return fmt.Sprint(t.Args...)
	}
	if t.Key == pairKey && len(t.Args) == 2 {
		if lang == RU {
			return fmt.Sprint(t.Args[0])
		}
		return fmt.Sprint(t.Args[1])
	}
	format, ok := Lookup(lang, t.Key)
	if !ok {
		return "!{" + t.Key + "}"
	}
	if len(t.Args) == 0 {
		return format
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch v := a.(type) {
		case Text:
			args[i] = v.In(lang)
		case []Text:
			parts := make([]string, len(v))
			for j, p := range v {
				parts[j] = p.In(lang)
			}
			args[i] = strings.Join(parts, ", ")
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

// String formats t in Russian (for debugging and %v).
func (t Text) String() string { return t.In(RU) }

// Lookup returns the raw format string of key in lang.
func Lookup(lang Lang, key string) (string, bool) {
	s, ok := catalogs[lang][key]
	return s, ok
}

// Has reports whether key exists in every language.
func Has(key string) bool {
	for _, l := range Langs {
		if _, ok := catalogs[l][key]; !ok {
			return false
		}
	}
	return true
}

// Keys returns the sorted keys of a language's catalogue.
func Keys(lang Lang) []string {
	keys := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
