package browsercache

import (
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
)

// The rm -rf command must delete exactly the cache directory: characters the
// shell expands inside double quotes ($, `, \, !) must not reach it unquoted.
func TestClearCommandQuotesShellCharacters(t *testing.T) {
	b := &browsers.Browser{ID: "chromium-gost", Name: "Chromium-Gost"}
	for path, want := range map[string]string{
		"/home/ivanov/.cache/chromium-gost/Default/Cache":       `rm -rf "/home/ivanov/.cache/chromium-gost/Default/Cache"`,
		"/home/ivanov/.cache/chromium-gost/Profile $(id)/Cache": `rm -rf '/home/ivanov/.cache/chromium-gost/Profile $(id)/Cache'`,
		"/home/ivanov/.cache/x/Profile `id`/Cache":              "rm -rf '/home/ivanov/.cache/x/Profile `id`/Cache'",
		"/home/o'brien/.cache/x/Default/Cache":                  `rm -rf "/home/o'brien/.cache/x/Default/Cache"`,
		"/home/o'brien/.cache/x/Profile $1/Cache":               `rm -rf '/home/o'\''brien/.cache/x/Profile $1/Cache'`,
		"/home/u/.cache/x/Profile\t1/Cache":                     "rm -rf '/home/u/.cache/x/Profile\t1/Cache'",
	} {
		got, _ := clearCommand(false, b, path)
		if got != want {
			t.Errorf("clearCommand(%q) = %q, want %q", path, got, want)
		}
	}
}
