package qualified

import "strings"

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func weighted(s string, w []int) int {
	sum := 0
	for i, k := range w {
		sum += int(s[i]-'0') * k
	}
	return sum
}

// ValidSNILS checks a СНИЛС: 11 digits, the last two a checksum of the
// first nine (numbers up to 001-001-998 have no checksum).
func ValidSNILS(s string) bool {
	s = strings.NewReplacer("-", "", " ", "").Replace(s)
	if !digits(s, 11) {
		return false
	}
	if s[:9] <= "001001998" {
		return true
	}
	sum := weighted(s, []int{9, 8, 7, 6, 5, 4, 3, 2, 1})
	ctrl := sum
	switch {
	case sum < 100:
	case sum == 100 || sum == 101:
		ctrl = 0
	default:
		ctrl = sum % 101
		if ctrl == 100 {
			ctrl = 0
		}
	}
	return int(s[9]-'0')*10+int(s[10]-'0') == ctrl
}

// mod returns the remainder of a decimal string by m.
func mod(s string, m int) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % m
	}
	return r
}

// ValidOGRN checks an ОГРН: 13 digits, the last one the first twelve mod 11
// (mod 10).
func ValidOGRN(s string) bool {
	return digits(s, 13) && mod(s[:12], 11)%10 == int(s[12]-'0')
}

// ValidOGRNIP checks an ОГРНИП: 15 digits, the last one the first
// fourteen mod 13 (mod 10).
func ValidOGRNIP(s string) bool {
	return digits(s, 15) && mod(s[:14], 13)%10 == int(s[14]-'0')
}

// ValidINN10 checks an organisation's ИНН (10 digits).
func ValidINN10(s string) bool {
	return digits(s, 10) && weighted(s, []int{2, 4, 10, 3, 5, 9, 4, 6, 8})%11%10 == int(s[9]-'0')
}

// ValidINN12 checks a person's ИНН (12 digits, two check digits).
func ValidINN12(s string) bool {
	return digits(s, 12) &&
		weighted(s, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8})%11%10 == int(s[10]-'0') &&
		weighted(s, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8})%11%10 == int(s[11]-'0')
}

// ValidINN checks the ИНН attribute (1.2.643.3.131.1.1): a person's 12
// digits, or an organisation's 10 digits, also in the old form padded to
// 12 with "00".
func ValidINN(s string) bool {
	switch {
	case len(s) == 12 && strings.HasPrefix(s, "00"):
		return ValidINN10(s[2:])
	case len(s) == 12:
		return ValidINN12(s)
	}
	return ValidINN10(s)
}
