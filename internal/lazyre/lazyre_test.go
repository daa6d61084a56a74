package lazyre

import (
	"reflect"
	"regexp"
	"sync"
	"testing"
)

// TestSameAsRegexp: every forwarded method answers as the compiled regexp.
func TestSameAsRegexp(t *testing.T) {
	const pat = `(\w+)=(\d+)`
	l, re := New(pat), regexp.MustCompile(pat)
	in := "a=1, bb=22; c=x d=4"
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("MatchString", l.MatchString(in), re.MatchString(in))
	check("MatchString(no)", l.MatchString("none"), re.MatchString("none"))
	check("FindString", l.FindString(in), re.FindString(in))
	check("FindStringSubmatch", l.FindStringSubmatch(in), re.FindStringSubmatch(in))
	check("FindAllString", l.FindAllString(in, -1), re.FindAllString(in, -1))
	check("FindAllStringSubmatch", l.FindAllStringSubmatch(in, 2), re.FindAllStringSubmatch(in, 2))
	check("FindAllStringSubmatchIndex", l.FindAllStringSubmatchIndex(in, -1), re.FindAllStringSubmatchIndex(in, -1))
	check("FindAllSubmatch", l.FindAllSubmatch([]byte(in), -1), re.FindAllSubmatch([]byte(in), -1))
	check("ReplaceAllString", l.ReplaceAllString(in, "$2=$1"), re.ReplaceAllString(in, "$2=$1"))
	up := func(s string) string { return "<" + s + ">" }
	check("ReplaceAllStringFunc", l.ReplaceAllStringFunc(in, up), re.ReplaceAllStringFunc(in, up))
	check("String", l.String(), pat)
}

// TestCompiledOnce: concurrent first uses compile one expression.
func TestCompiledOnce(t *testing.T) {
	l := New(`x+`)
	if l.re != nil {
		t.Fatal("compiled before first use")
	}
	var wg sync.WaitGroup
	got := make([]*regexp.Regexp, 8)
	for i := range got {
		wg.Add(1)
		go func(i int) { defer wg.Done(); got[i] = l.Get() }(i)
	}
	wg.Wait()
	for _, r := range got {
		if r == nil || r != got[0] {
			t.Fatalf("Get returned different expressions: %v", got)
		}
	}
}

// TestBadPatternPanicsOnUse: an invalid pattern is found on first use, as
// regexp.MustCompile finds it at start-up.
func TestBadPatternPanicsOnUse(t *testing.T) {
	l := New(`(`)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for an invalid pattern")
		}
	}()
	l.MatchString("x")
}
