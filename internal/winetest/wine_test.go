package winetest

import (
	"bytes"
	"context"
	"debug/pe"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// The suite: a template prefix (wineboot + bcryptprimitives forwarder +
// Windows 10) is made once while the Windows binaries are cross-compiled;
// every workstation is a hard-link clone of it with its own registry and
// files. GMU_WINE_KEEP=1 keeps the prefixes and prints where they are.

const (
	legacyToolchain = "go1.20.14" // the Windows 7 build
	cspProductKey   = `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Installer\UserData\S-1-5-18\Products\08F19F05793DC7340B8C2621D83E5BE5\InstallProperties`
	cspProvider     = "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider"
	capicomCLSID    = "{22A85CE1-F011-4231-B9E4-7E7A0438F71B}"
	zoneDomains     = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains`
	badKey          = `HKLM\SOFTWARE\GMU Test\Bad`
	// judgedAt is the moment every `collect` and `check` is run for
	// (--at): inside the validity of the real 2025 Treasury leaf
	// (2025-07-03 … 2026-09-26), so that expiry does not mask the
	// workstations' real problems whatever the real clock says.
	judgedAt = "2025-12-01T09:00:00+03:00"
)

// updateWine rewrites testdata/workstations/wine-<workstation>.json from
// what gmu-doctor.exe collect recorded under Wine.
var updateWine = flag.Bool("update-wine-snapshots", false, "write each Wine workstation's collected snapshot to testdata/workstations/wine-<workstation>.json")

// suite is the shared, lazily built state of the Wine tests.
type suite struct {
	wine      *Wine
	template  string
	exes      map[string]string // "probe-go126", "probe-go120", "doctor-go126", "doctor-go120" → path
	doctor    error             // cmd/gmu-doctor does not exist yet (nil when it does)
	buildErr  map[string]error  // exe name → why it did not build
	timings   []string
	timingsMu sync.Mutex
	err       error
	missing   string // the legacy toolchain is missing: its builds are skipped (fail in CI)
}

var (
	suiteOnce sync.Once
	theSuite  suite
	workDir   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if theSuite.template != "" {
		theSuite.wine.kill(theSuite.template)
	}
	if workDir != "" && os.Getenv("GMU_WINE_KEEP") != "1" {
		os.RemoveAll(workDir)
	}
	os.Exit(code)
}

// lap records a timing; the template prefix and the builds run in parallel.
func (s *suite) lap(what string, start time.Time) {
	s.timingsMu.Lock()
	defer s.timingsMu.Unlock()
	s.timings = append(s.timings, fmt.Sprintf("%-44s %6.1fs", what, time.Since(start).Seconds()))
}

// getSuite builds the binaries and the template prefix once.
func getSuite(t *testing.T) *suite {
	t.Helper()
	if _, _, err := FindWine(); err != nil {
		testutil.Missing(t, "the Windows back end is tested under Wine: "+err.Error()+"; scripts/test-all.sh installs it")
	}
	suiteOnce.Do(func() { theSuite.build(testutil.RepoRoot(t)) })
	if theSuite.err != nil {
		t.Fatal(theSuite.err)
	}
	return &theSuite
}

func (s *suite) build(repo string) {
	start := time.Now()
	var err error
	workDir, err = os.MkdirTemp("", "gmu-wine-")
	if err != nil {
		s.err = err
		return
	}
	if s.wine, err = NewWine(workDir); err != nil {
		s.err = err
		return
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	ctx := context.Background()
	stub, err := ForwarderDLL("amd64", "bcryptprimitives.dll", BcryptPrimitivesForwards)
	if err != nil {
		s.err = err
		return
	}

	// The template prefix and the builds run side by side: wineboot mostly
	// waits, the compiler mostly computes.
	var wg sync.WaitGroup
	var tmplErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		t0 := time.Now()
		s.template, tmplErr = s.wine.MakeTemplate(ctx, map[string][]byte{"drive_c/windows/system32/bcryptprimitives.dll": stub})
		s.lap("template prefix (wineboot, stub, win10)", t0)
	}()

	s.exes = map[string]string{}
	s.buildErr = map[string]error{}
	bin := filepath.Join(workDir, "bin")
	type job struct{ name, toolchain, arch, pkg string }
	jobs := []job{
		{"probe-go126", "local", "amd64", "./internal/winetest/probe"},
		{"probe-go120", legacyToolchain, "amd64", "./internal/winetest/probe"},
		{"probe-go120-386", legacyToolchain, "386", "./internal/winetest/probe"},
	}
	doctorJobs := []job{
		{"doctor-go126", "local", "amd64", "./cmd/gmu-doctor"},
		{"doctor-go120", legacyToolchain, "amd64", "./cmd/gmu-doctor"},
		{"doctor-go120-386", legacyToolchain, "386", "./cmd/gmu-doctor"},
	}
	if hasGoFiles(filepath.Join(repo, "cmd", "gmu-doctor")) {
		jobs = append(jobs, doctorJobs...)
	} else {
		s.doctor = errors.New("cmd/gmu-doctor has no Go files yet")
	}
	// Is the legacy toolchain there? (scripts/test-all.sh fetches it.)
	if out, err := exec.Command(goTool, "version").CombinedOutput(); err == nil {
		cmd := exec.Command(goTool, "version")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN="+legacyToolchain)
		if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), legacyToolchain) {
			s.missing = fmt.Sprintf("toolchain %s is not available (%v: %s; running %s); scripts/test-all.sh downloads it", legacyToolchain, err, tail(b), strings.TrimSpace(string(out)))
		}
	}
	for _, j := range jobs {
		if s.missing != "" && j.toolchain == legacyToolchain {
			continue
		}
		t0 := time.Now()
		out := filepath.Join(bin, j.name+".exe")
		if err := GoBuild(ctx, goTool, repo, j.toolchain, j.arch, j.pkg, out); err != nil {
			s.buildErr[j.name] = err
			continue
		}
		s.exes[j.name] = out
		s.lap(fmt.Sprintf("build %s (windows/%s, %s)", j.pkg, j.arch, j.toolchain), t0)
	}
	wg.Wait()
	if s.err == nil && tmplErr != nil {
		s.err = fmt.Errorf("make template prefix: %w", tmplErr)
	}
	s.lap("suite setup total", start)
}

func hasGoFiles(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(m) > 0
}

// ---------------------------------------------------------------- fixtures

func certDER(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testutil.Testdata(t, "wine", "certs", name))
	if err != nil {
		t.Fatal(err)
	}
	if blk, _ := pem.Decode(b); blk != nil {
		return blk.Bytes
	}
	return b
}

type certs struct{ root, ca, leaf []byte }

func loadCerts(t *testing.T) certs {
	return certs{
		root: certDER(t, "guc-root-gost2012-mincifry-2022.pem"),
		ca:   certDER(t, "fk-ca-gost2012-2024-by-mincifry-2022.pem"),
		leaf: certDER(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"),
	}
}

// certWant is a certificate that must (or must not) be in a store.
type certWant struct {
	loc   host.StoreLocation
	store host.StoreName
	sha1  string
	key   *host.KeyLink // nil: no key link expected
	err   string        // non-empty: a per-item error containing this
}

// valueWant is a registry value the back end must read back.
type valueWant struct {
	key     string
	view    host.RegView
	value   host.RegValue // Name, Type and data; Error is matched as a substring
	missing bool          // the whole key must not exist
}

type workstation struct {
	name      string
	reg       RegFile
	files     map[string][]byte
	certs     []certWant
	noCerts   []certWant // thumbprints that must be absent
	values    []valueWant
	fileSizes map[string]int64 // Windows path (with %VARS%) → size, -1 = absent
	hive      string           // raw lines for badKey, written into system.reg
	russian   bool             // run under ru_RU.UTF-8: code pages 1251/866 like a Russian Windows
	win7      bool             // `winecfg -v win7`; only the Windows 7 (Go 1.20) builds run
	// checks: check id → what `check --site <site> --format json` must say
	checks map[string]checkWant
	// site is the --site of the checks ("" = gmu)
	site string
	// chains: CryptoAPI chain verdicts collect must record (asked by the
	// chain check for each personal certificate)
	chains []chainWant
}

// chainWant is a chain_status record collect must hold.
type chainWant struct {
	loc    host.StoreLocation
	store  host.StoreName
	sha1   string
	length int    // minimum chain length
	flags  uint32 // error flags that must be set
}

var gostKey = &host.KeyLink{Container: `\\.\HDIMAGE\жилком-2025`, Provider: cspProvider, ProvType: 80, KeySpec: 1}

// plantCSP registers CryptoPro CSP 5.0, CAPICOM (32-bit) and the IE zones.
func plantCSP(ws *workstation) {
	r := &ws.reg
	r.Key(cspProductKey).SZ("DisplayName", "КриптоПро CSP").SZ("DisplayVersion", "5.0.13000").
		SZ("ProductID", "TEST0-00000-00000-00000-00000").SZ("InstallLocation", `C:\Program Files\Crypto Pro\CSP\`)
	r.Key(`HKLM\SOFTWARE\Crypto Pro\Settings`).SZ("Описание", "Тестовая установка КриптоПро CSP").
		SZ("InstallPath", `C:\Program Files\Crypto Pro\CSP\`).
		ExpandSZ("LogPath", `%ProgramData%\Crypto Pro\log`).QWORD("InstallTime", 0x01DB2C3D4E5F6071)
	r.Key(`HKLM\SOFTWARE\WOW6432Node\Crypto Pro\Settings`).SZ("InstallPath", `C:\Program Files (x86)\Crypto Pro\CSP\`)
	r.Key(`HKLM\SOFTWARE\Crypto Pro\Cryptography\CurrentVersion\Parameters`).DWORD("ControlKeyTimeValidity", 0)
	for typ, name := range map[uint32]string{75: "Crypto-Pro GOST R 34.10-2001 Cryptographic Service Provider", 80: cspProvider, 81: "Crypto-Pro GOST R 34.10-2012 Strong Cryptographic Service Provider"} {
		r.Key(`HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider\`+name).SZ("Image Path", "cpcspi.dll").DWORD("Type", typ)
		r.Key(fmt.Sprintf(`HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider Types\Type %03d`, typ)).SZ("Name", name)
	}
	// CAPICOM: the classes are registered in the 32-bit view only. ProgIDs
	// are shared between the views on Windows 7+; Wine redirects all of
	// HKCR, so they go into both places, as Windows would show them.
	for progID, clsid := range map[string]string{"CAPICOM.Utilities": capicomCLSID, "CAPICOM.Store": "{78E61E52-0E57-4456-A2F2-517492BCBF8F}"} {
		for _, classes := range []string{`HKLM\SOFTWARE\Classes\`, `HKLM\SOFTWARE\Classes\WOW6432Node\`} {
			r.Key(classes+progID+`\CLSID`).SZ("", clsid)
			r.Key(classes+progID+`.1\CLSID`).SZ("", clsid)
		}
		r.Key(`HKLM\SOFTWARE\Classes\WOW6432Node\CLSID\`+clsid+`\InprocServer32`).
			SZ("", `C:\Windows\SysWOW64\capicom.dll`).SZ("ThreadingModel", "Apartment")
	}
	r.Key(zoneDomains+`\gov.ru\bus`).DWORD("https", 2)
	r.Key(zoneDomains+`\roskazna.ru\lk-fzs`).DWORD("https", 2)
	r.Key(zoneDomains+`\zakupki.gov.ru`).DWORD("*", 2)
	r.Key(`HKCU\Software\Crypto Pro\CAdESplugin`).MultiSZ("TrustedSites", "https://bus.gov.ru", "https://*.roskazna.ru")
	ws.files[`C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in\nmcades.exe`] = fakePE("nmcades.exe", 4096)
	// The plug-in among the installed programs (32-bit view); its name is
	// the one the plugin check looks for (inferred, see IsPluginEntry).
	r.Key(pluginUninstallKey).SZ("DisplayName", "КриптоПро ЭЦП Browser plug-in").SZ("DisplayVersion", "2.0.15400").SZ("Publisher", "Crypto-Pro")
	ws.values = append(ws.values, valueWant{key: strings.Replace(pluginUninstallKey, `WOW6432Node\`, "", 1), view: host.RegView32,
		value: host.RegValue{Name: "DisplayVersion", Type: host.RegSZ, String: "2.0.15400"}})

	ws.files[`C:\Windows\SysWOW64\capicom.dll`] = fakePE("capicom.dll", 1536)
	ws.files[`C:\Program Files\Crypto Pro\CSP\csptest.exe`] = fakePE("csptest.exe", 2048)
	ws.files[`C:\Program Files\Crypto Pro\CSP\cpconfig.exe`] = fakePE("cpconfig.exe", 1024)
	ws.files[`C:\Program Files\Crypto Pro\CSP\certmgr.exe`] = fakePE("certmgr.exe", 3072)
	ws.fileSizes[`%SystemRoot%\SysWOW64\capicom.dll`] = 1536
	ws.fileSizes[`C:\Program Files\Crypto Pro\CSP\csptest.exe`] = 2048
	ws.fileSizes[`%ProgramFiles%\Crypto Pro\CSP\certmgr.exe`] = 3072

	ws.values = append(ws.values,
		valueWant{key: cspProductKey, view: host.RegView64, value: host.RegValue{Name: "DisplayVersion", Type: host.RegSZ, String: "5.0.13000"}},
		valueWant{key: cspProductKey, value: host.RegValue{Name: "ProductID", Type: host.RegSZ, String: "TEST0-00000-00000-00000-00000"}},
		valueWant{key: cspProductKey, value: host.RegValue{Name: "DisplayName", Type: host.RegSZ, String: "КриптоПро CSP"}},
		valueWant{key: `HKLM\SOFTWARE\Crypto Pro\Settings`, value: host.RegValue{Name: "Описание", Type: host.RegSZ, String: "Тестовая установка КриптоПро CSP"}},
		valueWant{key: `HKLM\SOFTWARE\Crypto Pro\Settings`, view: host.RegView64, value: host.RegValue{Name: "InstallPath", Type: host.RegSZ, String: `C:\Program Files\Crypto Pro\CSP\`}},
		valueWant{key: `HKLM\SOFTWARE\Crypto Pro\Settings`, view: host.RegView32, value: host.RegValue{Name: "InstallPath", Type: host.RegSZ, String: `C:\Program Files (x86)\Crypto Pro\CSP\`}},
		valueWant{key: `HKLM\SOFTWARE\Crypto Pro\Settings`, value: host.RegValue{Name: "LogPath", Type: host.RegExpandSZ, String: `%ProgramData%\Crypto Pro\log`}},
		valueWant{key: `HKLM\SOFTWARE\Crypto Pro\Settings`, value: host.RegValue{Name: "InstallTime", Type: host.RegQWORD, Integer: 0x01DB2C3D4E5F6071}},
		valueWant{key: `HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider\` + cspProvider, value: host.RegValue{Name: "Type", Type: host.RegDWORD, Integer: 80}},
		valueWant{key: `HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider Types\Type 080`, value: host.RegValue{Name: "Name", Type: host.RegSZ, String: cspProvider}},
		valueWant{key: `HKCR\CAPICOM.Utilities\CLSID`, value: host.RegValue{Name: "", Type: host.RegSZ, String: capicomCLSID}},
		valueWant{key: `HKCR\CLSID\` + capicomCLSID + `\InprocServer32`, view: host.RegView32, value: host.RegValue{Name: "ThreadingModel", Type: host.RegSZ, String: "Apartment"}},
		valueWant{key: `HKCR\CLSID\` + capicomCLSID + `\InprocServer32`, view: host.RegView64, missing: true},
		valueWant{key: `HKLM\SOFTWARE\Classes\CLSID\` + capicomCLSID + `\InprocServer32`, view: host.RegView32, value: host.RegValue{Name: "", Type: host.RegSZ, String: `C:\Windows\SysWOW64\capicom.dll`}},
		valueWant{key: `HKLM\SOFTWARE\Classes\CLSID\` + capicomCLSID + `\InprocServer32`, view: host.RegView64, missing: true},
		valueWant{key: zoneDomains + `\gov.ru\bus`, value: host.RegValue{Name: "https", Type: host.RegDWORD, Integer: 2}},
		valueWant{key: zoneDomains + `\roskazna.ru\lk-fzs`, value: host.RegValue{Name: "https", Type: host.RegDWORD, Integer: 2}},
		valueWant{key: zoneDomains + `\zakupki.gov.ru`, value: host.RegValue{Name: "*", Type: host.RegDWORD, Integer: 2}},
		valueWant{key: `HKCU\Software\Crypto Pro\CAdESplugin`, value: host.RegValue{Name: "TrustedSites", Type: host.RegMultiSZ, Strings: []string{"https://bus.gov.ru", "https://*.roskazna.ru"}}},
	)
}

// fakePE is a file that starts like a PE image, of an exact size.
func fakePE(name string, size int) []byte {
	b := make([]byte, size)
	copy(b, "MZ fake "+name+" for gmu-doctor tests\n")
	return b
}

// queried lists every key the probe reads in every workstation, so that a
// workstation without CryptoPro proves the keys are reported missing.
func queried(all []*workstation) []string {
	seen := map[string]bool{}
	var out []string
	for _, ws := range all {
		for _, v := range ws.values {
			q := v.key + "|" + string(v.view)
			if !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	return out
}

func workstations(t *testing.T) []*workstation {
	c := loadCerts(t)
	rootTP, caTP, leafTP := host.Thumbprint(c.root), host.Thumbprint(c.ca), host.Thumbprint(c.leaf)
	newWS := func(name string) *workstation {
		return &workstation{name: name, files: map[string][]byte{}, fileSizes: map[string]int64{}, checks: map[string]checkWant{}}
	}

	healthy := newWS("healthy")
	healthy.russian = true
	healthy.files[`C:\gmu\cp866.txt`] = encodeCP866(t, cp866Text)
	plantCSP(healthy)
	healthy.reg.AddCert(host.LocalMachine, host.StoreRoot, c.root, nil)
	healthy.reg.AddCert(host.LocalMachine, host.StoreCA, c.ca, nil)
	healthy.reg.AddCert(host.CurrentUser, host.StoreMy, c.leaf, gostKey)
	healthy.certs = []certWant{
		{loc: host.LocalMachine, store: host.StoreRoot, sha1: rootTP},
		{loc: host.LocalMachine, store: host.StoreCA, sha1: caTP},
		{loc: host.CurrentUser, store: host.StoreMy, sha1: leafTP, key: gostKey},
	}
	// (Windows also shows LocalMachine Root inside CurrentUser Root; Wine
	// does so only once HKCU's Root key exists. The back end opens stores
	// with CERT_STORE_OPEN_EXISTING_FLAG so as never to create one, but
	// Wine's chain engine, asked by the chain check through ChainStatus,
	// creates the empty HKCU store keys that real Windows always has, so
	// the collected snapshot may show the root in CurrentUser Root too.)
	healthy.noCerts = []certWant{{loc: host.LocalMachine, store: host.StoreMy, sha1: leafTP}}
	// Wine's crypt32 builds the chain from the planted stores but has no
	// GOST signature support: every GOST chain gets
	// CERT_TRUST_IS_NOT_SIGNATURE_VALID (REPORT.md §3). Other flags are
	// not asserted.
	healthy.chains = []chainWant{{loc: host.CurrentUser, store: host.StoreMy, sha1: leafTP, length: 1, flags: host.TrustIsNotSignatureValid}}

	noCA := newWS("no-intermediate")
	plantCSP(noCA)
	noCA.reg.AddCert(host.LocalMachine, host.StoreRoot, c.root, nil)
	noCA.reg.AddCert(host.CurrentUser, host.StoreMy, c.leaf, gostKey)
	noCA.certs = []certWant{
		{loc: host.LocalMachine, store: host.StoreRoot, sha1: rootTP},
		{loc: host.CurrentUser, store: host.StoreMy, sha1: leafTP, key: gostKey},
	}
	noCA.noCerts = []certWant{{loc: host.LocalMachine, store: host.StoreCA, sha1: caTP}, {loc: host.CurrentUser, store: host.StoreCA, sha1: caTP}}
	// bad input: a store Blob whose certificate property is garbage, and a
	// real certificate filed under a thumbprint that is not its own
	garbage := []byte("this is not a DER certificate, just bytes in property 32")
	garbageTP := host.Thumbprint(garbage)
	noCA.reg.Key(StoreKey(host.LocalMachine, host.StoreCA, garbageTP)).Binary("Blob", CertBlob(garbage, nil))
	const wrongTP = "0123456789ABCDEF0123456789ABCDEF01234567"
	noCA.reg.Key(StoreKey(host.LocalMachine, host.StoreTrustedPublisher, wrongTP)).Binary("Blob", CertBlob(c.root, nil))
	noCA.certs = append(noCA.certs,
		certWant{loc: host.LocalMachine, store: host.StoreCA, sha1: garbageTP, err: "not a certificate"},
		certWant{loc: host.LocalMachine, store: host.StoreTrustedPublisher, sha1: wrongTP, err: "not the SHA-1"},
	)
	// bad input: registry values whose data does not fit their type
	noCA.reg.Key(badKey).Raw("ShortDword", 4, []byte{1, 2, 3}).Raw("LongQword", 11, []byte{1, 2, 3}).
		Raw("Surrogate", 1, []byte{0x00, 0xD8, 0x41, 0, 0, 0}).
		Raw("Weird", 0x7f, []byte{9, 8}).SZ("Fine", "ok")
	// `reg import` repairs an odd-length REG_SZ, so that one goes straight
	// into the hive file (the wineserver is down until the import).
	noCA.hive = `"OddString"=hex(1):41,00,42,00,43`
	noCA.values = append(noCA.values,
		valueWant{key: badKey, value: host.RegValue{Name: "ShortDword", Type: host.RegDWORD, Binary: []byte{1, 2, 3}, Error: "3 bytes of data, want 4"}},
		valueWant{key: badKey, value: host.RegValue{Name: "LongQword", Type: host.RegQWORD, Binary: []byte{1, 2, 3}, Error: "want 8"}},
		valueWant{key: badKey, value: host.RegValue{Name: "OddString", Type: host.RegSZ, String: "AB", Binary: []byte{0x41, 0, 0x42, 0, 0x43}, Error: "odd number of bytes"}},
		valueWant{key: badKey, value: host.RegValue{Name: "Surrogate", Type: host.RegSZ, String: "\uFFFDA", Binary: []byte{0x00, 0xD8, 0x41, 0, 0, 0}, Error: "unpaired UTF-16 surrogate"}},
		valueWant{key: badKey, value: host.RegValue{Name: "Weird", Type: "REG_TYPE_0x7F", Binary: []byte{9, 8}}},
		valueWant{key: badKey, value: host.RegValue{Name: "Fine", Type: host.RegSZ, String: "ok"}},
	)

	noCSP := newWS("no-csp")
	noCSP.reg.AddCert(host.CurrentUser, host.StoreRoot, c.root, nil)
	noCSP.reg.AddCert(host.CurrentUser, host.StoreCA, c.ca, nil)
	noCSP.reg.AddCert(host.CurrentUser, host.StoreMy, c.leaf, nil)
	noCSP.certs = []certWant{
		{loc: host.CurrentUser, store: host.StoreRoot, sha1: rootTP},
		{loc: host.CurrentUser, store: host.StoreCA, sha1: caTP},
		{loc: host.CurrentUser, store: host.StoreMy, sha1: leafTP}, // no key link
	}
	noCSP.noCerts = []certWant{{loc: host.LocalMachine, store: host.StoreRoot, sha1: rootTP}, {loc: host.LocalMachine, store: host.StoreCA, sha1: caTP}}
	for _, k := range []string{cspProductKey, `HKLM\SOFTWARE\Crypto Pro\Settings`, `HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider\` + cspProvider, `HKCR\CAPICOM.Utilities\CLSID`} {
		noCSP.values = append(noCSP.values, valueWant{key: k, missing: true})
	}
	noCSP.fileSizes[`%SystemRoot%\SysWOW64\capicom.dll`] = -1
	noCSP.fileSizes[`C:\Program Files\Crypto Pro\CSP\csptest.exe`] = -1

	// What the checks must conclude (for bus.gov.ru) as of judgedAt, when
	// the real end-entity certificate (2025-07-03 … 2026-09-26) is valid.
	// A check not in the suite yet is logged, not failed — except
	// os-support, clock, chain and personal-certs.
	for _, ws := range []*workstation{healthy, noCA, noCSP} {
		ws.checks["clock"] = checkWant{statuses: []string{"ok"}, required: true}
		ws.checks["os-support"] = checkWant{statuses: []string{"ok", "warn"}, required: true}
	}
	for _, ws := range []*workstation{healthy, noCA} {
		ws.checks["csp"] = checkWant{statuses: []string{"ok", "warn"}, notCodes: []string{"csp.not-installed", "csp.provider-not-registered"}}
		ws.checks["capicom"] = checkWant{statuses: []string{"ok", "skipped"}}
		ws.checks["root-certs"] = checkWant{statuses: []string{"ok"}}
		ws.checks["ie-zones"] = checkWant{statuses: []string{"ok"}}
		ws.checks["plugin"] = checkWant{statuses: []string{"ok"}, summary: "2.0.15400"}
	}
	healthy.checks["chain"] = checkWant{statuses: []string{"ok"}, required: true}
	healthy.checks["personal-certs"] = checkWant{statuses: []string{"ok"}, required: true}
	noCA.checks["chain"] = checkWant{statuses: []string{"fail"}, codes: []string{"chain.incomplete"}, notCodes: []string{"chain.expired"}, required: true}
	noCA.checks["personal-certs"] = checkWant{notCodes: []string{"personal-certs.expired"}, required: true}
	// Browsers through a proxy (WinINet, per user) while WinHTTP — the
	// path of CryptoAPI's CRL downloads — stays direct.
	noCA.reg.Key(`HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`).
		DWORD("ProxyEnable", 1).SZ("ProxyServer", "proxy.corp.test:3128").SZ("ProxyOverride", "<local>;*.corp.test")
	noCA.checks["proxy"] = checkWant{statuses: []string{"warn"}, codes: []string{"proxy.winhttp-direct"}, summary: "http://proxy.corp.test:3128", required: true}
	healthy.checks["proxy"] = checkWant{statuses: []string{"ok"}, notCodes: []string{"proxy.winhttp-direct"}, required: true}
	noCSP.checks["csp"] = checkWant{statuses: []string{"fail"}, codes: []string{"csp.not-installed"}}
	noCSP.checks["capicom"] = checkWant{statuses: []string{"fail", "warn"}, codes: []string{"capicom.missing"}}
	// the chain is complete in the CurrentUser stores; the leaf has no
	// key link, as without CryptoPro nothing could make one
	noCSP.checks["chain"] = checkWant{statuses: []string{"ok"}, notCodes: []string{"chain.expired", "chain.incomplete", "chain.untrusted"}, required: true}
	noCSP.checks["personal-certs"] = checkWant{statuses: []string{"fail", "warn"}, codes: []string{"personal-certs.no-key-link"}, notCodes: []string{"personal-certs.expired"}, required: true}
	noCSP.checks["ie-zones"] = checkWant{statuses: []string{"warn", "fail"}, codes: []string{"ie-zones.not-trusted"}}
	noCSP.checks["plugin"] = checkWant{statuses: []string{"warn", "fail"}, codes: []string{"plugin.not-installed"}}
	// Windows 7 SP1 with the legacy build: the version facts come from
	// RtlGetVersion (6.1.7601) and os-support warns.
	win7 := newWS("windows7")
	win7.win7 = true
	plantCSP(win7)
	win7.reg.AddCert(host.LocalMachine, host.StoreRoot, c.root, nil)
	win7.reg.AddCert(host.LocalMachine, host.StoreCA, c.ca, nil)
	win7.reg.AddCert(host.CurrentUser, host.StoreMy, c.leaf, gostKey)
	win7.certs = healthy.certs
	win7.checks["os-support"] = checkWant{statuses: []string{"warn"}, codes: []string{"os-support.windows7"}, required: true}
	win7.checks["csp"] = healthy.checks["csp"]
	win7.checks["chain"] = healthy.checks["chain"]
	win7.checks["personal-certs"] = healthy.checks["personal-certs"]
	return []*workstation{healthy, noCA, noCSP, win7, gospluginWorkstation(c)}
}

// gospluginWorkstation: healthy for ГМУ, plus the Госуслуги plug-in as
// users meet it (issue 11): Госплагин registered for Chrome machine-wide
// (HKLM, its manifest and program present, listed among the installed
// programs), a stale per-user registration (HKCU) pointing at a manifest
// that is gone — the browser reads HKCU first, so it shadows the good
// one —, the outdated IFCPlugin still registered, and Chrome installed
// without the Госплагин extension. Checked for ГМУ and Госуслуги.
func gospluginWorkstation(c certs) *workstation {
	ws := &workstation{name: "gosplugin", site: "gmu,epgu", files: map[string][]byte{}, fileSizes: map[string]int64{}, checks: map[string]checkWant{}}
	plantCSP(ws)
	ws.reg.AddCert(host.LocalMachine, host.StoreRoot, c.root, nil)
	ws.reg.AddCert(host.LocalMachine, host.StoreCA, c.ca, nil)
	ws.reg.AddCert(host.CurrentUser, host.StoreMy, c.leaf, gostKey)
	const (
		nm      = `SOFTWARE\Google\Chrome\NativeMessagingHosts\`
		gosDir  = `C:\Program Files\Gosplugin`
		ifcDir  = `C:\Program Files\Rostelecom\IFCPlugin`
		staleNM = `C:\users\Public\gosplugin-1.2\chrome.gosuslugi.plugin.json`
	)
	ws.files[`C:\Program Files\Google\Chrome\Application\chrome.exe`] = fakePE("chrome.exe", 2048)
	// the CAdES plug-in's host for Chrome, as its installer registers it
	ws.reg.Key(`HKLM\`+nm+`ru.cryptopro.nmcades`).SZ("", `C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in\nmcades.json`)
	ws.files[`C:\Program Files (x86)\Crypto Pro\CAdES Browser Plug-in\nmcades.json`] = []byte(`{"name":"ru.cryptopro.nmcades","path":"nmcades.exe","type":"stdio"}`)
	ws.reg.Key(`HKLM\`+nm+`chrome.gosuslugi.plugin`).SZ("", gosDir+`\chrome.gosuslugi.plugin.json`)
	ws.files[gosDir+`\chrome.gosuslugi.plugin.json`] = []byte(`{"name":"chrome.gosuslugi.plugin","description":"chrome.gosuslugi.plugin","path":"gosuslugi_plugin.exe","type":"stdio","allowed_origins":["chrome-extension://jabjbhgjaidecageckilhonbggakppme/"]}`)
	ws.files[gosDir+`\gosuslugi_plugin.exe`] = fakePE("gosuslugi_plugin.exe", 4096)
	ws.reg.Key(`HKCU\`+nm+`chrome.gosuslugi.plugin`).SZ("", staleNM)
	ws.reg.Key(`HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\Gosplugin`).SZ("DisplayName", "Госплагин").SZ("DisplayVersion", "1.3.42.0")
	ws.reg.Key(`HKLM\`+nm+`ru.rtlabs.ifcplugin`).SZ("", ifcDir+`\ru.rtlabs.ifcplugin.json`)
	ws.files[ifcDir+`\ru.rtlabs.ifcplugin.json`] = []byte(`{"name":"ru.rtlabs.ifcplugin","path":"ifc_chrome_host.exe","type":"stdio"}`)
	ws.files[ifcDir+`\ifc_chrome_host.exe`] = fakePE("ifc_chrome_host.exe", 1024)
	ws.checks["plugin"] = checkWant{statuses: []string{"warn"}, summary: "2.0.15400",
		codes:    []string{"plugin.gosplugin-user-manifest-shadows", "plugin.gosplugin-extension-missing"},
		notCodes: []string{"plugin.gosplugin-missing", "plugin.ifc-outdated", "plugin.gosplugin-too-old", "plugin.not-installed"}, required: true}
	ws.checks["clock"] = checkWant{statuses: []string{"ok"}, required: true}
	return ws
}

// checkWant is what one check must report.
type checkWant struct {
	summary  string   // a text the check's summary must contain ("" = any)
	statuses []string // acceptable statuses (empty: any)
	codes    []string // finding codes that must be there
	notCodes []string // finding codes that must not
	required bool     // the check must be in the report
}

// pluginUninstallKey is the plug-in's entry among the installed programs,
// as a .reg file names it (the 32-bit view under WOW6432Node).
const pluginUninstallKey = `HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\{0E3B2A0C-1C31-4F4C-A1B4-7A7E93E0E3A0}`

// checkResult is one check of a JSON report.
type checkResult struct {
	status  string
	summary string
	codes   []string
}

// ---------------------------------------------------------------- the tests

// TestWindowsBuilds: the Windows binaries build with the current Go and
// with the Windows 7 toolchain, for amd64 and 386. (A 386 exe cannot run
// under a wine64-only Wine: it exits 0 without doing anything.)
func TestWindowsBuilds(t *testing.T) {
	s := getSuite(t)
	if s.missing != "" {
		testutil.Missing(t, s.missing)
	}
	machines := map[string]uint16{"probe-go126": pe.IMAGE_FILE_MACHINE_AMD64, "probe-go120": pe.IMAGE_FILE_MACHINE_AMD64, "probe-go120-386": pe.IMAGE_FILE_MACHINE_I386}
	if s.doctor == nil {
		machines["doctor-go126"] = pe.IMAGE_FILE_MACHINE_AMD64
		machines["doctor-go120"] = pe.IMAGE_FILE_MACHINE_AMD64
		machines["doctor-go120-386"] = pe.IMAGE_FILE_MACHINE_I386
	} else {
		t.Logf("gmu-doctor.exe not tested: %v", s.doctor)
	}
	for name, machine := range machines {
		path, ok := s.exes[name]
		if !ok {
			t.Errorf("%s was not built: %v", name, s.buildErr[name])
			continue
		}
		f, err := pe.Open(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.Machine != machine {
			t.Errorf("%s: machine 0x%X, want 0x%X", name, f.Machine, machine)
		}
		f.Close()
	}
}

// TestBcryptStub: without the forwarder a Go ≥ 1.22 exe dies at start-up on
// Wine 8, the Windows 7 build does not need it, and with it (every other
// test) both run.
func TestBcryptStub(t *testing.T) {
	s := getSuite(t)
	ctx := context.Background()
	p, err := s.wine.Clone(ctx, s.template, "no-stub")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(false)
	if err := os.Remove(filepath.Join(p.Dir, "drive_c", "windows", "system32", "bcryptprimitives.dll")); err != nil {
		t.Fatal(err)
	}
	exe, ok := s.exes["probe-go126"]
	if !ok {
		t.Fatalf("probe-go126 was not built: %v", s.buildErr["probe-go126"])
	}
	res, err := p.Run(ctx, time.Minute, exe, "-o", HostPath(filepath.Join(p.Dir, "x.json")))
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode == 0 || !strings.Contains(string(res.Stderr), "bcryptprimitives") {
		t.Errorf("Go 1.26 exe without the stub: exit %d, stderr %q; want a bcryptprimitives.dll failure", res.ExitCode, tail(res.Stderr))
	}
	legacy, ok := s.exes["probe-go120"]
	if !ok {
		return
	}
	runSnapshot(t, p, filepath.Join(p.Dir, "legacy.json"), legacy)
}

// runSnapshot runs exe with args and "-o out" (the probe and `collect`
// take the same flag) and returns the snapshot it wrote. Exit code 0 alone
// proves nothing (a 386 exe under wine64 exits 0 without running): the
// file must be there and parse.
func runSnapshot(t *testing.T, p *Prefix, out, exe string, args ...string) *host.Snapshot {
	t.Helper()
	t1 := time.Now()
	res, err := p.Run(context.Background(), 2*time.Minute, exe, append(args, "-o", HostPath(out))...)
	t.Logf("timing: %s %s %.2fs", filepath.Base(exe), strings.Join(args, " "), time.Since(t1).Seconds())
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("%s: exit code %d, stderr: %s", filepath.Base(exe), res.ExitCode, tail(res.Stderr))
	}
	return readSnapshot(t, out)
}

func TestWineWorkstations(t *testing.T) {
	s := getSuite(t)
	all := workstations(t)
	regArgs := queried(all)
	t.Cleanup(func() {
		for _, l := range s.timings {
			t.Log("timing: " + l)
		}
	})
	for _, ws := range all {
		ws := ws
		t.Run(ws.name, func(t *testing.T) {
			t.Parallel()
			runWorkstation(t, s, ws, regArgs)
		})
	}
}

func runWorkstation(t *testing.T, s *suite, ws *workstation, regArgs []string) {
	ctx := context.Background()
	t0 := time.Now()
	lap := func(what string, start time.Time) { t.Logf("timing: %-36s %5.2fs", what, time.Since(start).Seconds()) }
	p, err := s.wine.Clone(ctx, s.template, ws.name)
	if err != nil {
		t.Fatal(err)
	}
	keep := os.Getenv("GMU_WINE_KEEP") == "1"
	defer func() {
		t1 := time.Now()
		p.Close(keep)
		lap("wineserver -k", t1)
		lap("workstation total", t0)
		if keep {
			t.Logf("prefix kept: %s", p.Dir)
		}
	}()
	lap("clone template", t0)
	if ws.win7 {
		res, err := p.Run(ctx, time.Minute, "winecfg", "-v", "win7")
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("winecfg -v win7: %v %d %s", err, res.ExitCode, tail(res.Stderr))
		}
	}
	if ws.russian {
		env, err := s.wine.RussianLocale(ctx)
		if err != nil {
			testutil.Missing(t, "a Russian locale for Wine: "+err.Error())
		}
		p.Env = env
	}

	t1 := time.Now()
	plantWorkstation(ctx, t, p, ws)
	lap("reg import + files", t1)

	var args []string
	for _, r := range regArgs {
		args = append(args, "-reg", r)
	}
	for f := range ws.fileSizes {
		args = append(args, "-file", f)
	}
	args = append(args, "-env", "SystemRoot", "-env", "GMU_NOT_SET")
	if ws.russian {
		args = append(args, "-run", `cmd /c type C:\gmu\cp866.txt`)
	}
	for _, exe := range []string{"probe-go126", "probe-go120"} {
		path, ok := s.exes[exe]
		if ws.win7 && exe == "probe-go126" {
			continue
		}
		if !ok {
			if err := s.buildErr[exe]; err != nil {
				t.Errorf("%s: %v", exe, err)
			}
			continue // the legacy toolchain is missing: reported by getSuite
		}
		t.Run(exe, func(t *testing.T) {
			snap := runSnapshot(t, p, filepath.Join(p.Dir, exe+".json"), path, args...)
			checkFacts(t, ws, snap)
			if ws.russian {
				checkRussian(t, snap)
			}
			checkCerts(t, ws, snap, true)
			checkRegistry(t, ws, snap, true)
			checkFiles(t, ws, snap)
			if v := snap.Env["GMU_NOT_SET"]; v != nil {
				t.Errorf("unset variable recorded as %q", *v)
			}
			if v := snap.Env["SystemRoot"]; v == nil || !strings.EqualFold(*v, `C:\windows`) {
				t.Errorf("SystemRoot = %v", v)
			}
		})
	}
	if s.doctor != nil {
		t.Logf("gmu-doctor.exe collect/check not run: %v", s.doctor)
		return
	}
	for _, exe := range []string{"doctor-go126", "doctor-go120"} {
		path, ok := s.exes[exe]
		if ws.win7 && exe == "doctor-go126" {
			continue
		}
		if !ok {
			if err := s.buildErr[exe]; err != nil {
				t.Errorf("%s: %v", exe, err)
			}
			continue
		}
		// The fixture comes from the newest build that runs on the
		// workstation (the Windows 7 one only runs the Go 1.20 build).
		write := *updateWine && (exe == "doctor-go126" || ws.win7)
		t.Run(exe, func(t *testing.T) { runDoctor(t, p, path, ws, write) })
	}
}

func readSnapshot(t *testing.T, path string) *host.Snapshot {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no output written (a silent exit?): %v", err)
	}
	var s host.Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("output is not a snapshot: %v", err)
	}
	if s.OS != "windows" {
		t.Fatalf("snapshot os = %q", s.OS)
	}
	return &s
}

func checkFacts(t *testing.T, ws *workstation, s *host.Snapshot) {
	t.Helper()
	version, product := "10.0.18362", "Windows 10" // what `winecfg -v win10` sets
	if ws.win7 {
		version, product = "6.1.7601", "Windows 7"
	}
	if s.Version != version || s.Arch != "amd64" || s.ProcessArch != "amd64" {
		t.Errorf("facts: version %q arch %q process %q, want %s amd64", s.Version, s.Arch, s.ProcessArch, version)
	}
	if !strings.Contains(s.ProductName, product) || s.Hostname == "" || s.User == "" || s.Home == "" || s.UILanguage == "" || s.TimeZone == "" {
		t.Errorf("facts incomplete: %+v", s.Facts)
	}
}

// cp866Text is what a Russian console tool prints, in the OEM code page.
const cp866Text = "Ошибка: цепочка сертификатов не построена (УЦ ФК) №1\r\n"

func encodeCP866(t *testing.T, s string) []byte {
	enc := map[rune]byte{}
	for b := 0x80; b < 0x100; b++ {
		r := []rune(string(host.DecodeCP866([]byte{byte(b)})))
		enc[r[0]] = byte(b)
	}
	var out []byte
	for _, r := range s {
		switch b, ok := enc[r]; {
		case r < 0x80:
			out = append(out, byte(r))
		case ok:
			out = append(out, b)
		default:
			t.Fatalf("%q has no cp866 byte", r)
		}
	}
	return out
}

// checkRussian: a Russian Windows (OEM code page 866) — the tool's output is
// decoded to UTF-8 and the UI language is Russian.
func checkRussian(t *testing.T, s *host.Snapshot) {
	t.Helper()
	if s.UILanguage != "ru-RU" {
		t.Errorf("UI language %q, want ru-RU", s.UILanguage)
	}
	if len(s.Commands) != 1 {
		t.Fatalf("%d commands recorded", len(s.Commands))
	}
	c := s.Commands[0]
	if c.Error != "" || c.ExitCode != 0 || c.Stdout != cp866Text {
		t.Errorf("cmd /c type (cp866 file): exit %d error %q stdout %q (base64 %x), want %q", c.ExitCode, c.Error, c.Stdout, c.StdoutBase64, cp866Text)
	}
}

func findStore(s *host.Snapshot, loc host.StoreLocation, store host.StoreName) (*host.SnapStore, bool) {
	for i := range s.CertStores {
		if s.CertStores[i].Location == loc && strings.EqualFold(string(s.CertStores[i].Store), string(store)) {
			return &s.CertStores[i], true
		}
	}
	return nil, false
}

// checkCerts asserts planted certificates by thumbprint (never by count:
// Wine's Root holds the host's CA bundle, CurrentUser stores include
// LocalMachine ones). all: every store must be in the snapshot.
func checkCerts(t *testing.T, ws *workstation, s *host.Snapshot, all bool) {
	t.Helper()
	for _, w := range ws.certs {
		st, ok := findStore(s, w.loc, w.store)
		if !ok {
			if all || w.store == host.StoreRoot || w.store == host.StoreCA || w.store == host.StoreMy {
				t.Errorf("store %s\\%s not in the snapshot", w.loc, w.store)
			}
			continue
		}
		if st.Error != "" {
			t.Errorf("store %s\\%s: %s", w.loc, w.store, st.Error)
		}
		var got *host.Certificate
		for i := range st.Certificates {
			if strings.EqualFold(st.Certificates[i].SHA1, w.sha1) {
				got = &st.Certificates[i]
				break
			}
		}
		if got == nil {
			t.Errorf("%s\\%s: %s missing", w.loc, w.store, w.sha1)
			continue
		}
		if w.err != "" {
			if !strings.Contains(got.Error, w.err) || len(got.DER) != 0 {
				t.Errorf("%s\\%s %s: error %q (DER %d bytes), want an error about %q", w.loc, w.store, w.sha1, got.Error, len(got.DER), w.err)
			}
			continue
		}
		if got.Error != "" || host.Thumbprint(got.DER) != w.sha1 {
			t.Errorf("%s\\%s %s: error %q, DER thumbprint %s", w.loc, w.store, w.sha1, got.Error, host.Thumbprint(got.DER))
		}
		switch {
		case w.key == nil && got.Key != nil:
			t.Errorf("%s\\%s %s: unexpected key link %+v", w.loc, w.store, w.sha1, *got.Key)
		case w.key != nil && (got.Key == nil || *got.Key != *w.key):
			t.Errorf("%s\\%s %s: key link %+v, want %+v", w.loc, w.store, w.sha1, got.Key, *w.key)
		}
	}
	for _, w := range ws.noCerts {
		st, ok := findStore(s, w.loc, w.store)
		if !ok {
			continue
		}
		for _, c := range st.Certificates {
			if strings.EqualFold(c.SHA1, w.sha1) {
				t.Errorf("%s\\%s: %s present, planted elsewhere only", w.loc, w.store, w.sha1)
			}
		}
	}
}

// checkRegistry compares planted values with what the back end read. all:
// every key must be recorded (the probe); otherwise only recorded keys are
// compared (collect records what the checks asked).
func checkRegistry(t *testing.T, ws *workstation, s *host.Snapshot, all bool) int {
	t.Helper()
	compared := 0
	for _, w := range ws.values {
		var k *host.RegKey
		for i := range s.Registry {
			r := &s.Registry[i]
			if host.RegIndexKey(r.Path, r.View) == host.RegIndexKey(w.key, w.view) {
				k = r
			}
		}
		if k == nil {
			if all {
				t.Errorf("registry key %s (view %q) not recorded", w.key, w.view)
			}
			continue
		}
		compared++
		if k.Error != "" {
			t.Errorf("%s (view %q): %s", w.key, w.view, k.Error)
		}
		if w.missing {
			if k.Exists {
				t.Errorf("%s (view %q) exists, want missing", w.key, w.view)
			}
			continue
		}
		if !k.Exists {
			t.Errorf("%s (view %q) missing", w.key, w.view)
			continue
		}
		v, ok := k.Value(w.value.Name)
		if !ok {
			t.Errorf("%s (view %q): no value %q", w.key, w.view, w.value.Name)
			continue
		}
		want := w.value
		if want.Error != "" {
			if !strings.Contains(v.Error, want.Error) {
				t.Errorf("%s\\%s: error %q, want %q", w.key, want.Name, v.Error, want.Error)
			}
			v.Error, want.Error = "", ""
		}
		if !reflect.DeepEqual(v, want) {
			t.Errorf("%s (view %q):\n got  %+v\n want %+v", w.key, w.view, v, want)
		}
	}
	return compared
}

func checkFiles(t *testing.T, ws *workstation, s *host.Snapshot) {
	t.Helper()
	for path, size := range ws.fileSizes {
		var f *host.SnapFile
		for i := range s.Files {
			if s.Files[i].Path == path {
				f = &s.Files[i]
			}
		}
		switch {
		case f == nil:
			t.Errorf("file %s not recorded", path)
		case size < 0 && f.Exists:
			t.Errorf("file %s exists, want absent", path)
		case size >= 0 && (!f.Exists || f.Size != size || f.Error != ""):
			t.Errorf("file %s: exists %v size %d error %q, want size %d", path, f.Exists, f.Size, f.Error, size)
		}
	}
}

// ---------------------------------------------------------------- gmu-doctor.exe

func runDoctor(t *testing.T, p *Prefix, exe string, ws *workstation, write bool) {
	ctx := context.Background()
	help, err := p.Run(ctx, time.Minute, exe, "--help")
	if err != nil {
		t.Fatal(err)
	}
	if help.ExitCode != 0 && len(help.Stdout) == 0 {
		// The first program started in a freshly cloned prefix sometimes
		// fails inside Wine's own start-up on a loaded machine (exit code 1
		// in a few milliseconds, nothing from the program). Once more, and
		// say so; a gmu-doctor that fails --help fails it again.
		t.Logf("gmu-doctor.exe --help: exit code %d, stderr %q: once more", help.ExitCode, tail(help.Stderr))
		if help, err = p.Run(ctx, time.Minute, exe, "--help"); err != nil {
			t.Fatal(err)
		}
	}
	if help.ExitCode != 0 || len(help.Stdout)+len(help.Stderr) == 0 {
		t.Fatalf("gmu-doctor.exe --help: exit code %d, no output (stdout %q, stderr %q)", help.ExitCode, tail(help.Stdout), tail(help.Stderr))
	}
	has := func(cmd string) bool {
		return strings.Contains(string(help.Stdout)+string(help.Stderr), "\n  "+cmd+" ")
	}
	if !has("collect") || !has("check") {
		t.Skipf("gmu-doctor.exe has no collect/check commands yet (help: %s)", tail(help.Stdout))
	}
	name := strings.TrimSuffix(filepath.Base(exe), ".exe")
	snapPath := filepath.Join(p.Dir, name+"-collect.json")
	// --offline: tests never reach real CRL/OCSP hosts (the planted
	// certificates name the real Treasury addresses).
	snap := runSnapshot(t, p, snapPath, exe, "collect", "--at", judgedAt, "--offline")
	checkFacts(t, ws, snap)
	checkCerts(t, ws, snap, false)
	n := checkRegistry(t, ws, snap, false)
	t.Logf("collect recorded %d of the planted registry keys (the checks ask for the rest)", n)
	at, err := time.Parse(time.RFC3339, judgedAt)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.CollectedAt.Equal(at) {
		t.Errorf("collect --at %s: collected_at %s", judgedAt, snap.CollectedAt)
	}
	checkChains(t, ws, snap)
	if write {
		writeWineSnapshot(t, snapPath, ws)
	}

	// The replay takes its clock from the snapshot's collected_at, so it
	// gets no --at: an equal verdict proves collect recorded the moment.
	site := ws.site
	if site == "" {
		site = "gmu"
	}
	live := runCheck(t, p, exe, "check", "--site", site, "--at", judgedAt, "--format", "json", "--offline")
	replay := runCheck(t, p, exe, "check", "--site", site, "--snapshot", HostPath(snapPath), "--format", "json", "--offline")
	if len(live) == 0 {
		t.Fatal("check --format json reported no checks")
	}
	ids := make([]string, 0, len(live))
	for id := range live {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Logf("check %-16s %-8s %v", id, live[id].status, live[id].codes)
		if live[id].status == "error" {
			t.Errorf("check %s ended with status error (the back end gave it something it could not use?)", id)
		}
	}
	for id, r := range live {
		if replay[id].status != r.status || strings.Join(replay[id].codes, " ") != strings.Join(r.codes, " ") {
			t.Errorf("check %s: live %+v, replayed snapshot %+v", id, r, replay[id])
		}
	}
	for id, w := range ws.checks {
		r, present := live[id]
		if !present {
			if w.required {
				t.Errorf("check %s is not in the report", id)
			} else {
				t.Logf("check %s not in the report (not in the suite yet?)", id)
			}
			continue
		}
		if len(w.statuses) > 0 && !contains(w.statuses, r.status) {
			t.Errorf("check %s: status %q (findings %v), want one of %v", id, r.status, r.codes, w.statuses)
		}
		if w.summary != "" && !strings.Contains(r.summary, w.summary) {
			t.Errorf("check %s: summary %q, want it to contain %q", id, r.summary, w.summary)
		}
		for _, c := range w.codes {
			if !contains(r.codes, c) {
				t.Errorf("check %s: no finding %s (findings %v)", id, c, r.codes)
			}
		}
		for _, c := range w.notCodes {
			if contains(r.codes, c) {
				t.Errorf("check %s: unexpected finding %s", id, c)
			}
		}
	}
}

// checkChains: collect recorded CryptoAPI's chain verdicts, and their
// flags decode to known CERT_TRUST_* names.
func checkChains(t *testing.T, ws *workstation, s *host.Snapshot) {
	t.Helper()
	for _, w := range ws.chains {
		var got *host.ChainStatus
		for i := range s.ChainStatus {
			c := &s.ChainStatus[i]
			if strings.EqualFold(string(c.Location), string(w.loc)) && strings.EqualFold(string(c.Store), string(w.store)) && strings.EqualFold(c.SHA1, w.sha1) {
				got = c
			}
		}
		if got == nil {
			t.Errorf("no chain_status for %s in %s\\%s (recorded: %+v)", w.sha1, w.loc, w.store, s.ChainStatus)
			continue
		}
		names := host.DescribeTrustError(got.TrustErrorStatus)
		t.Logf("CryptoAPI chain of %s: length %d, error status 0x%08X %v, info status 0x%08X, error %q",
			w.sha1, got.ChainLength, got.TrustErrorStatus, names, got.TrustInfoStatus, got.Error)
		if got.Error != "" || got.ChainLength < w.length {
			t.Errorf("chain of %s: error %q, length %d (want at least %d)", w.sha1, got.Error, got.ChainLength, w.length)
		}
		if got.TrustErrorStatus&w.flags != w.flags {
			t.Errorf("chain of %s: error status 0x%08X lacks 0x%08X", w.sha1, got.TrustErrorStatus, w.flags)
		}
		for _, n := range names {
			if strings.HasPrefix(n, "0x") {
				t.Errorf("chain of %s: error status 0x%08X has bits without a name: %s", w.sha1, got.TrustErrorStatus, n)
			}
		}
	}
}

// runCheck runs a check command and returns check id → status and finding
// codes, parsed tolerantly: any JSON object with string fields "id" and
// "status", and the "code" fields of objects below it.
func runCheck(t *testing.T, p *Prefix, exe string, args ...string) map[string]checkResult {
	t.Helper()
	t1 := time.Now()
	res, err := p.Run(context.Background(), 2*time.Minute, exe, args...)
	t.Logf("timing: %s %.2fs", strings.Join(args, " "), time.Since(t1).Seconds())
	if err != nil {
		t.Fatal(err)
	}
	var doc interface{}
	if err := json.Unmarshal(res.Stdout, &doc); err != nil {
		t.Fatalf("%s: exit code %d, output is not JSON (%v): %s / %s", strings.Join(args, " "), res.ExitCode, err, tail(res.Stdout), tail(res.Stderr))
	}
	out := map[string]checkResult{}
	var walk func(v interface{}, cur *checkResult)
	walk = func(v interface{}, cur *checkResult) {
		switch x := v.(type) {
		case map[string]interface{}:
			id, ok1 := x["id"].(string)
			st, ok2 := x["status"].(string)
			if ok1 && ok2 {
				r := checkResult{status: st}
				r.summary, _ = x["summary"].(string)
				for _, c := range x {
					walk(c, &r)
				}
				sort.Strings(r.codes)
				out[id] = r
				return
			}
			if code, ok := x["code"].(string); ok && cur != nil {
				cur.codes = append(cur.codes, code)
			}
			for _, c := range x {
				walk(c, cur)
			}
		case []interface{}:
			for _, c := range x {
				walk(c, cur)
			}
		}
	}
	walk(doc, nil)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeWineSnapshot normalises the snapshot collect wrote (LoadSnapshotFile
// validates it, WriteSnapshot orders it) and writes it to
// testdata/workstations/wine-<workstation>.json.
//
// Filtering, so that the file is small and the same on every machine:
// Wine's crypt32 fills the Root store with the CA bundle of the Linux
// host, and the back end reports those entries exactly like registry ones
// (Source is the store name for everything CryptoAPI lists), so in the
// LocalMachine and CurrentUser Root stores only the certificates this test
// planted are kept (by thumbprint, ws.certs); every other store is kept
// whole. The host name (also the domain part of the user name) is replaced
// by a fixed one, file times are pinned (Snapshot.PinModTimes). Nothing else is
// changed: the files are what
// gmu-doctor.exe collect recorded (the Unix user running Wine shows as the
// Windows user, root in CI, and Wine reports the host's time zone).
func writeWineSnapshot(t *testing.T, path string, ws *workstation) {
	t.Helper()
	snap, err := host.LoadSnapshotFile(path)
	if err != nil {
		t.Fatalf("collected snapshot does not load: %v", err)
	}
	planted := map[string]bool{}
	for _, c := range ws.certs {
		planted[strings.ToUpper(c.sha1)] = true
	}
	dropped := 0
	for i := range snap.CertStores {
		st := &snap.CertStores[i]
		if !strings.EqualFold(string(st.Store), string(host.StoreRoot)) {
			continue
		}
		kept := []host.Certificate{}
		for _, c := range st.Certificates {
			if planted[strings.ToUpper(c.SHA1)] {
				kept = append(kept, c)
			} else {
				dropped++
			}
		}
		st.Certificates = kept
	}
	snap.Hostname = "WINE-" + strings.ToUpper(ws.name)
	snap.PinModTimes()
	if i := strings.LastIndex(snap.User, `\`); i >= 0 {
		snap.User = snap.Hostname + snap.User[i:]
	}
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, snap); err != nil {
		t.Fatal(err)
	}
	out := testutil.Testdata(t, "workstations", "wine-"+ws.name+".json")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes; %d host Root certificates left out)", out, buf.Len(), dropped)
}

// plantWorkstation puts a workstation into a prefix: its extra system hive
// entries, its registry import and its files.
func plantWorkstation(ctx context.Context, t *testing.T, p *Prefix, ws *workstation) {
	t.Helper()
	if ws.hive != "" {
		if err := p.AppendHive("system.reg", strings.TrimPrefix(badKey, `HKLM\`), ws.hive); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Import(ctx, &ws.reg); err != nil {
		t.Fatal(err)
	}
	for path, data := range ws.files {
		if err := p.WriteFile(path, data); err != nil {
			t.Fatal(err)
		}
	}
}
