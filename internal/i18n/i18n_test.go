package i18n

import (
	"regexp"
	"testing"
)

var verbRe = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// TestCataloguesMatch: both languages define the same keys, with the same
// formatting verbs in the same order, and no message is empty.
func TestCataloguesMatch(t *testing.T) {
	ru, en := messages(RU), messages(EN)
	if len(ru) == 0 {
		t.Fatal("the Russian catalogue is empty")
	}
	for k, v := range ru {
		e, ok := en[k]
		if !ok {
			t.Errorf("key %q is in the Russian catalogue only", k)
			continue
		}
		if v == "" || e == "" {
			t.Errorf("key %q has an empty message", k)
		}
		rv, ev := verbRe.FindAllString(v, -1), verbRe.FindAllString(e, -1)
		if len(rv) != len(ev) {
			t.Errorf("key %q: ru has verbs %v, en has %v", k, rv, ev)
			continue
		}
		for i := range rv {
			if rv[i] != ev[i] {
				t.Errorf("key %q: verb %d is %s in ru and %s in en", k, i, rv[i], ev[i])
			}
		}
	}
	for k := range en {
		if _, ok := ru[k]; !ok {
			t.Errorf("key %q is in the English catalogue only", k)
		}
	}
}

func TestTextIn(t *testing.T) {
	messages(RU)["test.hello"] = "привет, %s"
	messages(EN)["test.hello"] = "hello, %s"
	messages(RU)["test.world"] = "мир"
	messages(EN)["test.world"] = "world"
	defer func() {
		for _, l := range Langs {
			delete(messages(l), "test.hello")
			delete(messages(l), "test.world")
		}
	}()
	txt := T("test.hello", T("test.world"))
	if got := txt.In(RU); got != "привет, мир" {
		t.Errorf("ru = %q", got)
	}
	if got := txt.In(EN); got != "hello, world" {
		t.Errorf("en = %q", got)
	}
	if got := T("no.such.key").In(EN); got != "!{no.such.key}" {
		t.Errorf("missing key = %q", got)
	}
	if got := Raw("C:\\x 100%").In(EN); got != "C:\\x 100%" {
		t.Errorf("raw = %q", got)
	}
	if !(Text{}).IsZero() || (Text{}).In(RU) != "" {
		t.Error("zero Text is not empty")
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"ru": RU, "EN": EN, "ru_RU.UTF-8": RU, "en-US": EN} {
		got, err := ParseLang(in)
		if err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLang("de"); err == nil {
		t.Error("ParseLang(de) succeeded")
	}
}

func TestPair(t *testing.T) {
	p := Pair("Казначейство", "Treasury")
	if got := p.In(RU); got != "Казначейство" {
		t.Errorf("ru = %q", got)
	}
	if got := p.In(EN); got != "Treasury" {
		t.Errorf("en = %q", got)
	}
	if p.IsZero() {
		t.Error("a pair is not empty")
	}
}

// TestCatalogueBuild: the areas of a language are merged on first use, and a
// key defined by two areas is refused (as when the catalogue was built at
// start-up).
func TestCatalogueBuild(t *testing.T) {
	c := &catalogue{lang: EN}
	c.areas = append(c.areas,
		func() map[string]string { return map[string]string{"a": "1", "b": "2"} },
		func() map[string]string { return map[string]string{"c": "3"} })
	for k, want := range map[string]string{"a": "1", "b": "2", "c": "3", "d": ""} {
		if got, ok := c.lookup(k); got != want || ok != (want != "") {
			t.Errorf("lookup(%q) before the merge = %q, %v", k, got, ok)
		}
	}
	if m := c.all(); len(m) != 3 || m["a"] != "1" || m["c"] != "3" {
		t.Fatalf("merged = %v", m)
	}
	if got, ok := c.lookup("b"); got != "2" || !ok {
		t.Errorf("lookup(b) after the merge = %q, %v", got, ok)
	}
	dup := &catalogue{lang: RU}
	dup.areas = append(dup.areas,
		func() map[string]string { return map[string]string{"a": "1"} },
		func() map[string]string { return map[string]string{"a": "2"} })
	defer func() {
		if r := recover(); r != "i18n: duplicate key a in ru" {
			t.Fatalf("recover() = %v, want the duplicate-key panic", r)
		}
	}()
	dup.all()
}

// TestLookupBeforeAndAfterMerge: every message reads the same through the
// areas' maps as through the merged map, and the maps are merged after
// mergeAfter lookups.
func TestLookupBeforeAndAfterMerge(t *testing.T) {
	for _, l := range Langs {
		c := &catalogue{lang: l, areas: catalogueOf(l).areas}
		keys := Keys(l)
		for i, k := range keys {
			if i >= mergeAfter {
				break
			}
			got, ok := c.lookup(k)
			if want := messages(l)[k]; !ok || got != want {
				t.Fatalf("%s %q before the merge = %q, %v; want %q", l, k, got, ok, want)
			}
		}
		for c.merged.Load() == nil {
			if int(c.lookups.Load()) > 2*mergeAfter {
				t.Fatalf("%s: not merged after %d lookups", l, c.lookups.Load())
			}
			c.lookup("no.such.key")
		}
		for _, k := range keys {
			if got, ok := c.lookup(k); !ok || got != messages(l)[k] {
				t.Fatalf("%s %q after the merge = %q, %v", l, k, got, ok)
			}
		}
	}
}
