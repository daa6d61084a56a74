package chainmsg

import (
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func cert(t *testing.T, name string) *pki.Certificate {
	t.Helper()
	list, err := pki.Parse(testutil.ReadTestdata(t, "certs", "realworld", name))
	if err != nil || len(list) == 0 {
		t.Fatalf("parse %s: %v", name, err)
	}
	return list[0]
}

var dec2025 = time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)

func TestMissingIssuer(t *testing.T) {
	leaf := cert(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	res := pki.Verify(leaf, pki.VerifyOptions{Intermediates: pki.NewPool(), Roots: pki.NewPool(cert(t, "guc-root-gost2012-mincifry-2022.pem")), At: dec2025})
	p, f, ok := Problem(res, dec2025, Style{})
	if !ok {
		t.Fatalf("no problem for %s (%s)", res.Verdict, res.Reason)
	}
	ru, en := p.In(i18n.RU), p.In(i18n.EN)
	for _, s := range []string{ru, en} {
		if !strings.Contains(s, "Федеральное казначейство") || !strings.Contains(s, "066413A7CEE083E2A67D9F89A7D65619984CD9A7") {
			t.Errorf("problem %q", s)
		}
	}
	if ru == en {
		t.Error("the Russian and English texts are the same")
	}
	if fix := f.In(i18n.EN); !strings.Contains(fix, "http://crl.roskazna.ru/crl/ucfk_2024.crt") {
		t.Errorf("fix %q", fix)
	}
}

func TestStyle(t *testing.T) {
	leaf := cert(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	res := pki.Verify(leaf, pki.VerifyOptions{Intermediates: pki.NewPool(cert(t, "fk-ca-gost2012-2024-by-mincifry-2022.pem")),
		Roots: pki.NewPool(cert(t, "guc-root-gost2012-mincifry-2022.pem")), At: at})
	if res.Verdict != pki.NotYetValid {
		t.Fatalf("verdict %s", res.Verdict)
	}
	st := Style{Name: func(*pki.Certificate) string { return "NAME" }, Time: func(x time.Time) string { return "T" + x.Format("0102") }}
	p, _, ok := Problem(res, at, st)
	if got := p.In(i18n.EN); !ok || !strings.Contains(got, "«NAME»") || !strings.Contains(got, "T0703") || !strings.Contains(got, "T0601") {
		t.Errorf("styled problem %q", got)
	}
	p, _, _ = Problem(res, at, Style{})
	if got := p.In(i18n.EN); !strings.Contains(got, "2025-06-01 00:00:00 UTC") {
		t.Errorf("default style %q", got)
	}
}

func TestNoProblemLink(t *testing.T) {
	leaf := cert(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
	valid := pki.Verify(leaf, pki.VerifyOptions{Intermediates: pki.NewPool(cert(t, "fk-ca-gost2012-2024-by-mincifry-2022.pem")),
		Roots: pki.NewPool(cert(t, "guc-root-gost2012-mincifry-2022.pem")), At: dec2025})
	if valid.Verdict != pki.Valid {
		t.Fatalf("verdict %s (%s)", valid.Verdict, valid.Reason)
	}
	for _, res := range []*pki.ChainResult{nil, valid, pki.Verify(nil, pki.VerifyOptions{})} {
		if _, _, ok := Problem(res, dec2025, Style{}); ok {
			t.Errorf("a problem for %+v", res)
		}
	}
}
