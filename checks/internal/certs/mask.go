package certs

import (
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// OIDs of the identity attributes of Приказ ФСБ № 795.
const (
	OIDSNILS  = "1.2.643.100.3"
	OIDINN    = "1.2.643.3.131.1.1"
	OIDINNLE  = "1.2.643.100.4"
	OIDOGRN   = "1.2.643.100.1"
	OIDOGRNIP = "1.2.643.100.5"
)

// Mask hides a personal number the same way everywhere in gmu-doctor
// (pki.MaskDigits: all digits but the last three).
func Mask(v string) string { return pki.MaskDigits(v, 3) }

// IsPersonalINN reports whether an ИНН value is a person's (12 digits, not
// the "00"-padded form of an organisation's 10-digit ИНН).
func IsPersonalINN(v string) bool {
	return pki.IsPersonal(pki.Attr{OID: OIDINN, Value: v})
}

// SafeName formats a name with СНИЛС and a personal ИНН masked, unless show.
func SafeName(n pki.Name, show bool) string { return n.MaskedString(show) }

// SafeText masks, unless show, every run of exactly 11 digits (a СНИЛС)
// and of 12 digits not starting with "00" (a personal ИНН) in free text
// such as a chain verdict that quotes names. A run touching a Latin letter
// is part of a hex thumbprint or key identifier and is kept.
func SafeText(s string, show bool) string {
	if show {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); {
		if b[i] < '0' || b[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		run := string(b[i:j])
		inHex := (i > 0 && isLatin(b[i-1])) || (j < len(b) && isLatin(b[j]))
		if !inHex && (len(run) == 11 || IsPersonalINN(run)) {
			copy(b[i:j], Mask(run))
		}
		i = j
	}
	return string(b)
}

func isLatin(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// Label is the short name of a certificate for messages and metric labels:
// its CN (or O, or subject), with personal numbers masked unless show.
func Label(c *pki.Certificate, show bool) string {
	return SafeText(c.DisplayName(), show)
}
