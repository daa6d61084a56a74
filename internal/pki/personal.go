package pki

import "strings"

// Personal data in certificates: СНИЛС and the ИНН of an individual
// (12 digits; a legal entity's old-style ИНН is padded to 12 with "00")
// identify a person and are masked in output unless the user asks.
// ИНН ЮЛ, ОГРН and ОГРНИП are public registry numbers and are shown.

// IsPersonal reports whether the attribute holds a personal identifier.
func IsPersonal(a Attr) bool {
	switch a.OID {
	case "1.2.643.100.3": // СНИЛС
		return true
	case "1.2.643.3.131.1.1": // ИНН
		v := strings.TrimSpace(a.Value)
		return len(v) == 12 && !strings.HasPrefix(v, "00")
	}
	return false
}

// MaskDigits replaces every digit except the last keep ones with '*'.
func MaskDigits(s string, keep int) string {
	r := []rune(s)
	seen := 0
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] < '0' || r[i] > '9' {
			continue
		}
		seen++
		if seen > keep {
			r[i] = '*'
		}
	}
	return string(r)
}

// Masked returns the attribute value, masked (all but the last 3 digits)
// when it is personal and show is false.
func (a Attr) Masked(show bool) string {
	if show || !IsPersonal(a) {
		return a.Value
	}
	return MaskDigits(a.Value, 3)
}

// MaskedString is Name.String with personal identifiers masked unless
// show is true.
func (n Name) MaskedString(show bool) string {
	attrs := n.Attrs()
	parts := make([]string, 0, len(attrs))
	for _, a := range attrs {
		parts = append(parts, a.Short+"="+escapeValue(a.Masked(show)))
	}
	return strings.Join(parts, ", ")
}
