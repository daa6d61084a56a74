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
	"sync"
	"sync/atomic"
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

// catalogue is one language's messages. The areas register functions
// returning their messages (add, from init); they are called the first time
// the language is used, so a run pays only for the language it shows and
// nothing at start-up (building both catalogues eagerly took ~2 ms and
// 0.4 MB of every process, even `version`). A short run (`cert verify`
// looks up a hundred messages) looks in the areas' maps one after the
// other; after mergeAfter lookups, or when all messages are asked for, the
// areas are merged into one map (a quarter of a millisecond, 80 KB).
type catalogue struct {
	lang      Lang
	areas     []func() map[string]string
	loadOnce  sync.Once
	maps      []map[string]string // the areas' messages, in order
	lookups   atomic.Int32
	mergeOnce sync.Once
	merged    atomic.Pointer[map[string]string]
}

// mergeAfter is how many lookups go through the areas' maps before they
// are merged.
const mergeAfter = 1000

var (
	ruCatalogue = catalogue{lang: RU}
	enCatalogue = catalogue{lang: EN}
)

// catalogueOf returns lang's catalogue, nil for an unknown language.
func catalogueOf(lang Lang) *catalogue {
	switch lang {
	case RU:
		return &ruCatalogue
	case EN:
		return &enCatalogue
	}
	return nil
}

// add registers the messages of one area; called from init functions of the
// ru_*.go and en_*.go files only, with a function that returns the area's
// messages (called once, when the language is first used). A key defined
// twice is a programming error.
func add(lang Lang, msgs func() map[string]string) {
	c := catalogueOf(lang)
	c.areas = append(c.areas, msgs)
}

// messages returns all of lang's messages, merged into one map (built on
// first use); nil for an unknown language.
func messages(lang Lang) map[string]string {
	c := catalogueOf(lang)
	if c == nil {
		return nil
	}
	return c.all()
}

// load calls the areas' functions.
func (c *catalogue) load() {
	c.maps = make([]map[string]string, len(c.areas))
	for i, f := range c.areas {
		c.maps[i] = f()
	}
}

// all returns the merged messages; a key defined by two areas panics.
func (c *catalogue) all() map[string]string {
	c.loadOnce.Do(c.load)
	c.mergeOnce.Do(func() {
		n := 0
		for _, a := range c.maps {
			n += len(a)
		}
		m := make(map[string]string, n)
		for _, a := range c.maps {
			for k, v := range a {
				if _, dup := m[k]; dup {
					panic("i18n: duplicate key " + k + " in " + string(c.lang))
				}
				m[k] = v
			}
		}
		c.merged.Store(&m)
	})
	return *c.merged.Load()
}

// lookup returns the message of key.
func (c *catalogue) lookup(key string) (string, bool) {
	if m := c.merged.Load(); m != nil {
		s, ok := (*m)[key]
		return s, ok
	}
	if c.lookups.Add(1) > mergeAfter {
		s, ok := c.all()[key]
		return s, ok
	}
	c.loadOnce.Do(c.load)
	for _, m := range c.maps {
		if s, ok := m[key]; ok {
			return s, true
		}
	}
	return "", false
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
	c := catalogueOf(lang)
	if c == nil {
		return "", false
	}
	return c.lookup(key)
}

// Has reports whether key exists in every language.
func Has(key string) bool {
	for _, l := range Langs {
		if _, ok := Lookup(l, key); !ok {
			return false
		}
	}
	return true
}

// Keys returns the sorted keys of a language's catalogue.
func Keys(lang Lang) []string {
	msgs := messages(lang)
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
