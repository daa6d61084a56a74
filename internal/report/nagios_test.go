package report

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func certMetric(days float64, cn string) doctor.Metric {
	return doctor.Metric{Name: "cert_days_left", Value: days, Labels: map[string]string{"sha1": "AA", "store": `CurrentUser\My`, "subject_cn": cn}}
}

func TestNagiosState(t *testing.T) {
	withCert := func(rep *doctor.Report, days float64) *doctor.Report {
		rep.Results = append(rep.Results, &doctor.Result{ID: "personal-certs", Status: doctor.StatusOK,
			Metrics: []doctor.Metric{certMetric(days+100, "B"), certMetric(days, "A")}})
		return rep
	}
	cases := []struct {
		name string
		rep  *doctor.Report
		want int
	}{
		{"healthy", healthyReport(), NagiosOK},
		{"warning", warnOnlyReport(), NagiosWarning},
		{"fail and error", mixedReport(), NagiosCritical},
		{"error only", func() *doctor.Report {
			r := mixedReport()
			r.Results = []*doctor.Result{r.Results[0], r.Results[2], r.Results[4]}
			return r
		}(), NagiosUnknown},
		{"cert 40 days", withCert(healthyReport(), 40), NagiosOK},
		{"cert 29 days", withCert(healthyReport(), 29), NagiosWarning},
		{"cert 7 days", withCert(healthyReport(), 7), NagiosWarning},
		{"cert 6 days", withCert(healthyReport(), 6), NagiosCritical},
		{"cert expired", withCert(healthyReport(), -2), NagiosCritical},
	}
	for _, c := range cases {
		if got := NagiosState(c.rep, Options{}); got != c.want {
			t.Errorf("%s: state %s, want %s", c.name, NagiosStateName(got), NagiosStateName(c.want))
		}
	}
	rep := withCert(healthyReport(), 20)
	if got := NagiosState(rep, Options{Thresholds: Thresholds{WarnDays: 10, CritDays: 5}}); got != NagiosOK {
		t.Errorf("20 days with thresholds 10/5: %s", NagiosStateName(got))
	}
}

func TestNagiosOutput(t *testing.T) {
	rep := mixedReport()
	rep.Facts.Hostname = "BUH|01\n\x1b[31mevil\u202e"
	rep.Results = append(rep.Results, &doctor.Result{ID: "personal-certs", Status: doctor.StatusOK,
		Metrics: []doctor.Metric{certMetric(12, "Иванова | ООО"), {Name: "private_key_days_left", Value: 3, Labels: map[string]string{"subject_cn": "Иванова | ООО"}}}})
	out := string(render(t, "nagios", rep, Options{Lang: i18n.EN}))
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	first := lines[0]
	if !strings.HasPrefix(first, "GMU-DOCTOR CRITICAL - BUH/01 [31mevil: failed: root-certs; did not complete: capicom; warnings: clock;") {
		t.Errorf("status line: %q", first)
	}
	if strings.Count(first, "|") != 1 || strings.ContainsAny(first, "\x1b\u202e") {
		t.Errorf("the status line holds more than the perfdata '|' or control characters: %q", first)
	}
	perf := first[strings.Index(first, "|")+2:]
	if perf != "fail=1;;0;0;6 warn=1;0;;0;6 error=1;;;0;6 cert_days_left=12;30:;7: key_days_left=3;30:;7:" {
		t.Errorf("perfdata %q", perf)
	}
	for _, l := range lines[1:] {
		if strings.Contains(l, "|") {
			t.Errorf("long output line with '|': %q", l)
		}
	}
	if !strings.Contains(out, "[fail] root-certs: Root \"GUC 2022\" <is missing> from LocalMachine\\Root and from CurrentUser\\Root — Install it as Administrator & re-run") {
		t.Errorf("finding line missing:\n%s", out)
	}
	if !strings.Contains(out, "[error] capicom: ") {
		t.Errorf("error line missing:\n%s", out)
	}
	ok := string(render(t, "nagios", healthyReport(), Options{Lang: i18n.RU}))
	if ok != "GMU-DOCTOR OK - BUH-01: рабочее место готово к подписи (проверок: 1) | fail=0;;0;0;1 warn=0;0;;0;1 error=0;;;0;1\n" {
		t.Errorf("healthy: %q", ok)
	}
}

func TestThresholdsValidate(t *testing.T) {
	for _, th := range []Thresholds{{WarnDays: -1}, {WarnDays: 5, CritDays: 6}, {CritDays: -2}} {
		if th.Validate() == nil {
			t.Errorf("%+v accepted", th)
		}
	}
	if err := DefaultThresholds().Validate(); err != nil {
		t.Error(err)
	}
}
