package qualified

import (
	"context"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// A malformed ИНН is quoted in the finding. When it is not an organisation's
// (10 digits, or 12 starting with "00"), it may be a person's ИНН with a
// digit lost or added, so it is masked like one.
func TestMalformedINNIsMasked(t *testing.T) {
	for _, c := range []struct {
		inn    string
		masked bool
	}{
		{"50010073225", true},   // 11 digits: a personal ИНН missing a digit
		{"5001007322591", true}, // 13 digits
		{"500100732258", true},  // a personal ИНН with a wrong check digit
		{"7710568761", false},   // an organisation's ИНН with a wrong check digit
		{"007710568761", false}, // the same, padded
	} {
		leaf := certtest.Cert(t, certtest.Leaf2025)
		cp := *leaf
		cp.Subject = pki.NewName(append(append([]pki.Attr(nil), leaf.Subject.Attrs()...),
			pki.Attr{OID: certs.OIDINN, Short: "INN", Value: c.inn})...)
		check := &doctor.Check{ID: "qualified-profile", Title: i18n.Raw("probe"), Doc: i18n.Raw("probe"),
			Run: func(ctx context.Context, pass *doctor.Pass) error {
				s := &state{pass: pass}
				s.checkOne(&cp)
				return nil
			}}
		res := doctortest.Run(t, check, doctortest.Windows().Host(), doctor.Options{}, nil)
		f := doctortest.WantFinding(t, res, "qualified-profile.bad-inn", doctor.Fail)
		for _, lang := range []i18n.Lang{i18n.RU, i18n.EN} {
			msg := f.Message.In(lang)
			if got := strings.Contains(msg, c.inn); got == c.masked {
				t.Errorf("ИНН %s (masked %v): %s message %q", c.inn, c.masked, lang, msg)
			}
		}
	}
}
