package kb

import (
	"strings"
	"testing"
)

// «пользователь заблокирован» on bus.gov.ru is missing ПОИБ rights, not a
// blocked account or a workstation fault (issue 11 §4).
func TestUserBlockedExplainsPOIB(t *testing.T) {
	b := mustLoad(t)
	for _, in := range []string{"Ошибка авторизации: пользователь заблокирован", "User is blocked"} {
		m := b.Match(in)
		if len(m) == 0 || m[0].Entry.ID != "gmu-user-blocked" {
			t.Fatalf("%q: matches %+v", in, m)
		}
		e := m[0].Entry
		for _, want := range []string{"ПОИБ", "63-ФЗ"} {
			if !strings.Contains(e.Cause("ru"), want) {
				t.Errorf("cause lacks %q: %s", want, e.Cause("ru"))
			}
		}
		if !strings.Contains(e.Fix("ru"), "в ПОИБ") || !strings.Contains(e.Fix("en"), "in ПОИБ") {
			t.Errorf("fix does not say who grants rights: %s / %s", e.Fix("ru"), e.Fix("en"))
		}
	}
}
