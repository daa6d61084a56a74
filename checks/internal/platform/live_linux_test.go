//go:build linux

package platform_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/browsercache"
	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/checks/csplicense"
	"github.com/gmu-doctor/gmu-doctor/checks/gosttls"
	"github.com/gmu-doctor/gmu-doctor/checks/plugin"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// The platform checks on the Linux fixture trees of testdata/linux, read by
// the live back end with --root: the same code path as on a workstation.
func live(t *testing.T, tree, user string) host.Host {
	t.Helper()
	h, err := host.NewLive(host.LiveOptions{Root: filepath.Join("..", "..", "..", "testdata", "linux", tree, "root"), User: user})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func opts(t *testing.T, ids ...string) doctor.Options {
	t.Helper()
	s, err := profile.Resolve(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	return doctor.Options{Sites: ids, Profiles: s}
}

func TestLiveAltChromiumGost(t *testing.T) {
	h := live(t, "alt-chromium-gost", "sidorov")
	o := opts(t, "eis", "fzs")
	res := doctortest.Run(t, csp.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(res.Summary.In(i18n.EN), "5.0.13000") {
		t.Errorf("csp summary %q", res.Summary.In(i18n.EN))
	}
	res = doctortest.Run(t, csplicense.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(res.Summary.In(i18n.EN), "permanent") {
		t.Errorf("licence summary %q", res.Summary.In(i18n.EN))
	}
	// Chromium-Gost lacks the extension that Chrome has.
	res = doctortest.Run(t, plugin.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "plugin.extension-missing", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "Chromium-Gost") || !strings.Contains(f.Commands[0], "/opt/chromium-gost/chromium-gost ") {
		t.Errorf("finding %q %q", f.Message.In(i18n.EN), f.Commands)
	}
	doctortest.WantStatus(t, doctortest.Run(t, gosttls.Check, h, o, nil), doctor.StatusOK)
	doctortest.WantStatus(t, doctortest.Run(t, browsercache.Check, h, opts(t, "gmu"), nil), doctor.StatusOK)
}

func TestLiveAstra(t *testing.T) {
	h := live(t, "astra-csp5-ru", "ivanov")
	o := opts(t, "all")
	res := doctortest.Run(t, csp.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "5.0.12455 KC1" {
		t.Errorf("csp summary %q", s)
	}
	res = doctortest.Run(t, csplicense.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(res.Summary.In(i18n.EN), "287 days") {
		t.Errorf("licence summary %q", res.Summary.In(i18n.EN))
	}
	// The CryptoPro side is complete; the Госуслуги plug-in (Госплагин) is
	// not installed.
	res = doctortest.Run(t, plugin.Check, h, o, nil)
	doctortest.WantFinding(t, res, "plugin.gosplugin-missing", doctor.Fail)
	if len(res.Findings) != 1 {
		t.Errorf("findings %v\n%s", doctortest.Codes(res), doctortest.Describe(res, i18n.EN))
	}
	doctortest.WantStatus(t, doctortest.Run(t, gosttls.Check, h, o, nil), doctor.StatusOK)
}

func TestLiveRedOS(t *testing.T) {
	h := live(t, "redos-csp4-en", "petrov")
	o := opts(t, "fzs")
	res := doctortest.Run(t, csp.Check, h, o, nil)
	doctortest.WantFinding(t, res, "csp.old-for-gost-tls", doctor.Warn)
	res = doctortest.Run(t, csplicense.Check, h, o, nil)
	f := doctortest.WantFinding(t, res, "csp-license.expires-soon", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "12 days") {
		t.Errorf("message %q", f.Message.In(i18n.EN))
	}
	doctortest.WantFinding(t, doctortest.Run(t, gosttls.Check, h, o, nil), "gost-tls-browser.missing", doctor.Fail)
}
