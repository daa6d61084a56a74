package rootcerts

import (
	"encoding/pem"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

const (
	gostExe  = "/opt/chromium-gost/chromium-gost"
	ffDir    = "/home/buh/.mozilla/firefox"
	ffProf   = ffDir + "/abcd1234.default-release"
	chromium = "/usr/bin/chromium"
)

func rtrDER(t *testing.T) []byte {
	p, _ := pem.Decode([]byte(rtrPEM(t)))
	if p == nil {
		t.Fatal("no PEM")
	}
	return p.Bytes
}

// withBrowsers records the browsers given as installed (Chromium-Gost,
// Chromium, Firefox with one profile whose cert9.db is db, or none when
// db is "-") and every other browser location as missing.
func withBrowsers(b *doctortest.SnapBuilder, ids []string, db string) *doctortest.SnapBuilder {
	for _, id := range ids {
		switch id {
		case browsers.ChromiumGOST:
			b.File(gostExe, "ELF").Missing("/home/buh/.config/chromium-gost")
		case browsers.Chromium:
			b.File(chromium, "ELF").Missing("/home/buh/.config/chromium")
		case browsers.Firefox:
			b.File("/usr/bin/firefox", "ELF").
				File(ffDir+"/profiles.ini", "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n").
				Dir(ffProf).Missing(ffProf + "/extensions")
			if db == "-" {
				b.Missing(ffProf + "/cert9.db")
			} else {
				b.File(ffProf+"/cert9.db", db)
			}
		}
	}
	h := host.NewSnapshotHost(b.Snapshot())
	for id, paths := range browsers.Probes(h) {
		keep := false
		for _, k := range ids {
			keep = keep || k == id
		}
		if keep {
			continue
		}
		for _, p := range paths {
			b.Missing(p)
		}
	}
	return b
}

// Chromium-Gost takes HTTPS roots from CryptoPro: the Russian Trusted Root
// CA in the system bundle only is not enough for it.
func TestLinuxChromiumGostNeedsCryptoProRoot(t *testing.T) {
	b := withBrowsers(astra(t, string(publicBundle(t))+rtrPEM(t)), []string{browsers.ChromiumGOST}, "")
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing-cprocsp", doctor.Fail)
	// The download page is not the file: no curl for it, the hint says
	// where to get it.
	if f.Subject != "sha1:"+rtrSHA1 || len(f.Commands) != 1 ||
		f.Commands[0] != "/opt/cprocsp/bin/amd64/certmgr -inst -store uRoot -file russian_trusted_root_ca.cer" ||
		!strings.Contains(f.Hint.In(i18n.RU), "https://www.gosuslugi.ru/crt") {
		t.Errorf("finding %+v", f)
	}
	if msg := f.Message.In(i18n.RU); !strings.Contains(msg, "Chromium-Gost") || !strings.Contains(msg, "uRoot") {
		t.Errorf("message %s", msg)
	}
	for _, r := range f.Repairs {
		if r.Location != host.CurrentUser || r.Store != host.StoreRoot || r.SHA1 != rtrSHA1 {
			t.Errorf("repair %+v", r)
		}
	}
	// Only Chromium-Gost: the system bundle is not judged (no finding
	// about it), the absence there is a note at most.
	for _, f := range res.Findings {
		if f.Code == "root-certs.tls-missing" {
			t.Errorf("system bundle judged for Chromium-Gost alone: %+v", f)
		}
	}

	// In uRoot: fine, and said so.
	b = withBrowsers(astra(t, string(publicBundle(t))), []string{browsers.ChromiumGOST}, "").
		Cert(host.CurrentUser, host.StoreRoot, rtrDER(t), nil)
	res = doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "which Chromium-Gost checks HTTPS against") || !strings.Contains(all, "no browser found here uses it") {
		t.Errorf("notes:\n%s", all)
	}
}

// Chromium next to Chromium-Gost: each browser's store is judged.
func TestLinuxChromiumAndChromiumGost(t *testing.T) {
	b := withBrowsers(astra(t, string(publicBundle(t))), []string{browsers.ChromiumGOST, browsers.Chromium}, "")
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantFinding(t, res, "root-certs.tls-missing-cprocsp", doctor.Fail)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing", doctor.Fail)
	if !strings.Contains(strings.Join(f.Commands, "\n"), "update-ca-certificates") {
		t.Errorf("system bundle fix %q", f.Commands)
	}
}

// Firefox reads its profile's NSS database: the root found there (inside
// the SQLite file), missing there, or no database yet.
func TestLinuxFirefoxProfileStore(t *testing.T) {
	withRoot := "SQLite format 3\x00" + strings.Repeat("\x00", 100) + string(rtrDER(t)) + strings.Repeat("\x00", 50)
	b := withBrowsers(astra(t, string(publicBundle(t))), []string{browsers.Firefox}, withRoot)
	res := doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "is in Firefox's certificate database (profile default-release)") {
		t.Errorf("notes:\n%s", all)
	}

	b = withBrowsers(astra(t, string(publicBundle(t))+rtrPEM(t)), []string{browsers.Firefox}, "SQLite format 3\x00")
	res = doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	f := doctortest.WantFinding(t, res, "root-certs.tls-missing-firefox", doctor.Warn)
	want := `certutil -d sql:'` + ffProf + `' -A -t "C,," -n "Russian Trusted Root CA" -i 'russian_trusted_root_ca.cer'`
	if len(f.Commands) != 1 || f.Commands[0] != want {
		t.Errorf("commands %q, want %q", f.Commands, want)
	}
	if msg := f.Message.In(i18n.RU); !strings.Contains(msg, ffProf+"/cert9.db") {
		t.Errorf("message %s", msg)
	}

	b = withBrowsers(astra(t, string(publicBundle(t))), []string{browsers.Firefox}, "-")
	res = doctortest.Run(t, Check, b.Host(), certtest.Sites(t, nil, "fzs"), nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "no certificate database cert9.db yet") {
		t.Errorf("notes:\n%s", all)
	}
}
