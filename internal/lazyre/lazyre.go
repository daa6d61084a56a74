// Package lazyre holds regular expressions that are compiled the first time
// they are used instead of at program start-up. A package-level
// regexp.MustCompile runs in every process, whatever the command: the
// parsers of CryptoPro output alone compiled a dozen patterns (~1 ms and
// 120 KB) before `gmu-doctor cert verify` could start. Declare
//
//	var versionRE = lazyre.New(`v([0-9.]+)`)
//
// and call the usual methods on it; an invalid pattern panics on first use,
// as regexp.MustCompile would at start-up (the package's tests exercise
// every pattern).
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled on first use. It is safe for
// concurrent use.
type Regexp struct {
	pattern string
	once    sync.Once
	re      *regexp.Regexp
}

// New returns a Regexp for pattern (regexp syntax); nothing is compiled yet.
func New(pattern string) *Regexp { return &Regexp{pattern: pattern} }

// Get returns the compiled expression, compiling it on the first call.
func (l *Regexp) Get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.pattern) })
	return l.re
}

// String returns the source pattern.
func (l *Regexp) String() string { return l.pattern }

// MatchString is regexp.Regexp.MatchString.
func (l *Regexp) MatchString(s string) bool { return l.Get().MatchString(s) }

// FindString is regexp.Regexp.FindString.
func (l *Regexp) FindString(s string) string { return l.Get().FindString(s) }

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (l *Regexp) FindStringSubmatch(s string) []string { return l.Get().FindStringSubmatch(s) }

// FindAllString is regexp.Regexp.FindAllString.
func (l *Regexp) FindAllString(s string, n int) []string { return l.Get().FindAllString(s, n) }

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (l *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.Get().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex.
func (l *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.Get().FindAllStringSubmatchIndex(s, n)
}

// FindAllSubmatch is regexp.Regexp.FindAllSubmatch.
func (l *Regexp) FindAllSubmatch(b []byte, n int) [][][]byte { return l.Get().FindAllSubmatch(b, n) }

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (l *Regexp) ReplaceAllString(src, repl string) string {
	return l.Get().ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (l *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return l.Get().ReplaceAllStringFunc(src, repl)
}
