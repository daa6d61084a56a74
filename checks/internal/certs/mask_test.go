package certs

import "testing"

// TestSafeTextKeepsThumbprints: a thumbprint or key identifier quoted in a
// chain verdict can hold a run of 11 or 12 decimal digits between hex
// letters; it is not a personal number and must come out unchanged (it is
// what the operator copies into certutil -delstore).
func TestSafeTextKeepsThumbprints(t *testing.T) {
	for _, s := range []string{
		`the signature of "Иванов" (SHA-1 A12345678901BCDEF0123ABCDEF0123ABCDEF012) does not verify`,
		"AKI 4F123456789012EEAA00",
		"sha1:12345678901ABCDEF0123456ABCDEF0123ABCDE",
	} {
		if got := SafeText(s, false); got != s {
			t.Errorf("SafeText(%q) = %q", s, got)
		}
	}
	// personal numbers next to punctuation or Cyrillic are still masked
	for in, want := range map[string]string{
		"SNILS=11223344595, CN=Иванов":     "SNILS=********595, CN=Иванов",
		"СНИЛС11223344595":                 "СНИЛС********595",
		`"Иванов 500100732259" (SHA-1 AB)`: `"Иванов *********259" (SHA-1 AB)`,
	} {
		if got := SafeText(in, false); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}
