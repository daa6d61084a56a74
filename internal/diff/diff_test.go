package diff

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const zoneMap = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains`

func side(label string, reg []host.RegKey, results ...*doctor.Result) Side {
	return Side{Label: label, Snap: &host.Snapshot{Registry: reg},
		Report: &doctor.Report{Facts: host.Facts{Hostname: strings.ToUpper(label), ProductName: "Windows 10 Pro", Version: "10.0.19045"}, Results: results}}
}

func TestCompareRegistryAndZones(t *testing.T) {
	csp := `HKLM\SOFTWARE\Crypto Pro\Settings`
	good := side("good", []host.RegKey{
		{Path: zoneMap, Exists: true, SubKeys: []string{"gov.ru"}},
		{Path: zoneMap + `\gov.ru\bus`, Exists: true, Values: []host.RegValue{{Name: "https", Type: host.RegDWORD, Integer: 2}}},
		{Path: csp, Exists: true, Values: []host.RegValue{{Name: "Version", Type: host.RegSZ, String: "5.0.13000"}, {Name: "Same", Type: host.RegSZ, String: "x"}}},
		{Path: `HKLM\SOFTWARE\Only\Good`, Exists: true, Values: []host.RegValue{{Name: "v", Type: host.RegSZ, String: "1"}}},
	})
	bad := side("bad", []host.RegKey{
		{Path: zoneMap, Exists: true},
		{Path: strings.ToLower(csp), Exists: true, Values: []host.RegValue{{Name: "version", Type: host.RegSZ, String: "4.0.9944"}, {Name: "Same", Type: host.RegSZ, String: "x"}}},
	})
	r := Compare(good, bad, i18n.EN)
	var zones []string
	for _, z := range r.Zones {
		zones = append(zones, z.Key+"|"+z.Name+"|"+z.Good+"|"+z.Bad)
	}
	want := zoneMap + `\gov.ru||(key)|(no key) ` + zoneMap + `\gov.ru\bus|https|2|`
	if got := strings.Join(zones, " "); got != want {
		t.Errorf("zones:\n%s\nwant\n%s", got, want)
	}
	if len(r.Registry) != 1 || r.Registry[0].Name != "Version" || r.Registry[0].Good != "5.0.13000" || r.Registry[0].Bad != "4.0.9944" {
		t.Errorf("registry (paths and names compared without case, a key only one side read left out): %+v", r.Registry)
	}
	if r.Empty() {
		t.Error("differences reported as empty")
	}
	if same := Compare(good, good, i18n.EN); !same.Empty() {
		t.Errorf("a side differs from itself: %+v", same)
	}
}

func TestCompareChecksAndVersions(t *testing.T) {
	g := &doctor.Result{ID: "chain", Title: i18n.Raw("Chains"), Status: doctor.StatusOK, Summary: i18n.Raw("1 of 1")}
	b := &doctor.Result{ID: "chain", Title: i18n.Raw("Chains"), Status: doctor.StatusFail, Summary: i18n.Raw("0 of 1"),
		Findings: []doctor.Finding{{Severity: doctor.Fail, Code: "chain.incomplete", Message: i18n.Raw("no CA"), Hint: i18n.Raw("install it"), Commands: []string{"certutil -addstore CA x.crt"}}}}
	gc := &doctor.Result{ID: "csp", Status: doctor.StatusOK, Summary: i18n.Raw("5.0.13000")}
	bc := &doctor.Result{ID: "csp", Status: doctor.StatusOK, Summary: i18n.Raw("5.0.12000")}
	// Same status but a new finding code on BAD: still a difference.
	gw := &doctor.Result{ID: "plugin", Status: doctor.StatusWarn, Findings: []doctor.Finding{{Severity: doctor.Warn, Code: "plugin.a"}}}
	bw := &doctor.Result{ID: "plugin", Status: doctor.StatusWarn, Findings: []doctor.Finding{{Severity: doctor.Warn, Code: "plugin.a"}, {Severity: doctor.Warn, Code: "plugin.b"}}}
	r := Compare(side("g", nil, g, gc, gw), side("b", nil, b, bc, bw), i18n.EN)
	if len(r.Checks) != 2 || r.Checks[0].ID != "chain" || r.Checks[0].Good != "ok" || r.Checks[0].Bad != "fail" ||
		r.Checks[0].Findings[0].Commands[0] != "certutil -addstore CA x.crt" || r.Checks[1].ID != "plugin" || len(r.Checks[1].Findings) != 1 {
		t.Errorf("checks: %+v", r.Checks)
	}
	if len(r.Versions) != 1 || r.Versions[0].What != "csp" || r.Versions[0].Bad != "5.0.12000" {
		t.Errorf("versions: %+v", r.Versions)
	}
}
