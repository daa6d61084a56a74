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
	"github.com/gmu-doctor/gmu-doctor/internal/host/hosttest"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// The platform checks on the Linux fixture trees of testdata/linux, read by
// the live back end with --root, the CryptoPro tools answering from the
// trees' recorded outputs (hosttest: as on the workstation itself).
func live(t *testing.T, tree, user string) host.Host {
	t.Helper()
	h, err := hosttest.NewLive(host.LiveOptions{Root: treeDir(tree), User: user})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func treeDir(tree string) string {
	return filepath.Join("..", "..", "..", "testdata", "linux", tree, "root")
}

// mounted is the tree exactly as `--root` reads a mounted disk: no
// program runs.
func mounted(t *testing.T, tree, user string) host.Host {
	t.Helper()
	h, err := host.NewLive(host.LiveOptions{Root: treeDir(tree), User: user})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// On a mounted disk the CSP version comes from dpkg's database; the
// licence is not determinable and says so; on an RPM system the version is
// not determinable either, and nothing is called broken for it.
func TestMountedDisk(t *testing.T) {
	o := opts(t, "all")
	h := mounted(t, "astra-csp5-ru", "ivanov")
	res := doctortest.Run(t, csp.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if s := res.Summary.In(i18n.EN); s != "5.0.12455 KC1" {
		t.Errorf("csp summary %q", s)
	}
	if d := doctortest.Describe(res, i18n.EN); !strings.Contains(d, "/var/lib/dpkg/status") {
		t.Errorf("no note on where the version came from:\n%s", d)
	}
	res = doctortest.Run(t, csplicense.Check, h, o, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
	if r := res.Reason.In(i18n.EN); !strings.Contains(r, "not determinable from a mounted disk") || !strings.Contains(r, "cpconfig -license -view") {
		t.Errorf("licence reason %q", r)
	}
	if r := res.Reason.In(i18n.RU); !strings.Contains(r, "смонтированному диску") {
		t.Errorf("licence reason ru %q", r)
	}
	h = mounted(t, "redos-csp4-en", "petrov")
	res = doctortest.Run(t, csp.Check, h, opts(t, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if d := doctortest.Describe(res, i18n.EN); !strings.Contains(res.Summary.In(i18n.EN), "not determinable from a mounted disk") || !strings.Contains(d, "RPM database") || !strings.Contains(d, "csptest -keyset -verifycontext") {
		t.Errorf("redos csp:\n%s", d)
	}
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
