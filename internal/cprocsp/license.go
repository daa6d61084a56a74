package cprocsp

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
)

// License is what `cpconfig -license -view` says. The layout of that output
// is inferred, not confirmed (research notes §4.6): the parser looks for the
// pieces independently and fails with ErrUnknownLicenseFormat when it finds
// none of them, so a check can report "unknown format" instead of guessing.
type License struct {
	Serial      string // as printed: 25 characters, with or without dashes; may be masked with '*'
	DaysLeft    int    // from "Expires: N day(s)"
	HasDaysLeft bool
	Permanent   bool
	Expired     bool
	Type        string // "Demo", "Server", … (the text after "License type:")
	Raw         string // the decoded output
}

// ErrUnknownLicenseFormat says the licence output was not understood.
var ErrUnknownLicenseFormat = fmt.Errorf("unknown cpconfig -license -view output format")

var (
	serialRE = lazyre.New(`(?i)\b([0-9A-Z*]{5}-[0-9A-Z*]{5}-[0-9A-Z*]{5}-[0-9A-Z*]{5}-[0-9A-Z*]{5}|[0-9A-Z*]{25})\b`)
	// English: "Expires: 94 day(s)". Russian wording is not known; "Истекает
	// через 94 дн." and "Осталось 94 дней" are accepted as guesses.
	daysRE      = lazyre.New(`(?i)(?:expires|истекает(?:\s+через)?|осталось|действительна\s+ещ[её])\s*:?\s*(?:in\s+)?(-?\d{1,6})\s*(?:day|дн|ден|сут)`)
	typeRE      = lazyre.New(`(?i)(?:license\s+type|тип\s+лицензии)\s*:\s*(.+)`)
	permanentRE = lazyre.New(`(?i)permanent|unlimited|never\s+expires|бессрочн|постоянн|не\s+ограничен`)
	expiredRE   = lazyre.New(`(?i)\bexpired\b|истекл|истёк|истек(?:\s|\.|,|$)|просрочен`)
	licErrRE    = lazyre.New(`(?i)error\s*code|errorcode:\s*0x0*[1-9a-f]|ошибка`)
)

// ParseLicense reads `cpconfig -license -view`.
func ParseLicense(out []byte) (License, error) {
	text := DecodeText(out)
	l := License{Raw: text}
	found := false
	if m := serialRE.FindString(text); m != "" {
		l.Serial, found = m, true
	}
	if m := daysRE.FindStringSubmatch(text); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			l.DaysLeft, l.HasDaysLeft, found = n, true, true
			if n <= 0 {
				l.Expired = true
			}
		}
	}
	if m := typeRE.FindStringSubmatch(text); m != nil {
		l.Type = strings.TrimRight(strings.TrimSpace(m[1]), ".")
		found = true
	}
	if permanentRE.MatchString(text) {
		l.Permanent, found = true, true
	}
	if expiredRE.MatchString(text) {
		l.Expired, found = true, true
	}
	if !found {
		if licErrRE.MatchString(text) {
			code, ok := ErrorCode(out)
			if ok {
				return l, fmt.Errorf("read licence: cpconfig reported error 0x%08X", code)
			}
			return l, fmt.Errorf("read licence: cpconfig reported an error")
		}
		return l, ErrUnknownLicenseFormat
	}
	return l, nil
}
