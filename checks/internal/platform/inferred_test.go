package platform

import (
	"context"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/browsers/fakefs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// The note names the requirement in words in both languages, not by its
// internal identifier (ie_zone, browser_cache_advice).
func TestNoteIfInferredNamesRequirementInWords(t *testing.T) {
	for _, req := range []string{profile.NeedIEZone, profile.NeedCAPICOM, profile.NeedBrowserCacheAdvice, profile.NeedGOSTTLS,
		profile.NeedPlugin, profile.NeedIFCPlugin, profile.NeedCSP, profile.NeedRussianTrustedRoot} {
		c := &doctor.Check{ID: "probe", Title: i18n.Raw("probe"), Doc: i18n.Raw("probe"),
			Run: func(ctx context.Context, pass *doctor.Pass) error {
				NoteIfInferred(pass, req)
				return nil
			}}
		res := doctortest.Run(t, c, fakefs.Windows().Host(), fakefs.Sites(t, "all"), nil)
		for _, lang := range []i18n.Lang{i18n.RU, i18n.EN} {
			text := doctortest.AllText(res, lang)
			if strings.Contains(text, "«"+req+"»") {
				t.Errorf("%s note shows the identifier %q: %s", lang, req, text)
			}
		}
	}
}
