package host

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func sha1Of(t testing.TB, certFile string) string {
	sum := sha1.Sum(loadRealCert(t, certFile))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func treeRoot(t testing.TB, name string) string {
	return testutil.Testdata(t, "linux", name, "root")
}

// newTreeHost is the back end of a fixture tree whose CryptoPro tools
// answer from the tree's recorded outputs (the test seam; nothing runs).
func newTreeHost(t testing.TB, root, user string) *linuxHost {
	t.Helper()
	h := newProductionTreeHost(t, root, user)
	h.treeRun = standIns(root)
	return h
}

// newProductionTreeHost is the back end exactly as `--root root` makes it:
// no command runs.
func newProductionTreeHost(t testing.TB, root, user string) *linuxHost {
	t.Helper()
	h, err := NewLive(LiveOptions{Root: root, User: user})
	if err != nil {
		t.Fatalf("NewLive(root %s): %v", root, err)
	}
	return h.(*linuxHost)
}

func TestLinuxTreeFacts(t *testing.T) {
	cases := []struct {
		tree, user string
		want       Facts
	}{
		{"astra-csp5-ru", "ivanov", Facts{Distro: "astra", Version: "1.7.5", ProductName: "Astra Linux 1.7 x86-64", Hostname: "arm-buh-07",
			User: "ivanov", Home: "/home/ivanov", TimeZone: "Europe/Moscow", UTCOffsetSeconds: 3 * 3600, UILanguage: "ru-RU", Build: "6.1.90-1-generic"}},
		{"redos-csp4-en", "petrov", Facts{Distro: "redos", Version: "7.3.4", ProductName: "RED OS MUROM (7.3.4)", Hostname: "kazna-ws-12",
			User: "petrov", Home: "/home/petrov", TimeZone: "Asia/Yekaterinburg", UTCOffsetSeconds: 5 * 3600, UILanguage: "en-US", Build: "5.15.131-1.el7.3.x86_64"}},
		{"alt-chromium-gost", "sidorov", Facts{Distro: "altlinux", Version: "10.2", ProductName: "ALT Workstation 10.2 (Sorbaronia Mumbaza)", Hostname: "mfc-okno-3",
			User: "sidorov", Home: "/home/sidorov", TimeZone: "Europe/Moscow", UTCOffsetSeconds: 3 * 3600, UILanguage: "ru-RU", Build: "6.1.79-un-def-alt1"}},
	}
	for _, c := range cases {
		f := newTreeHost(t, treeRoot(t, c.tree), c.user).Facts()
		got := Facts{Distro: f.Distro, Version: f.Version, ProductName: f.ProductName, Hostname: f.Hostname, User: f.User, Home: f.Home,
			TimeZone: f.TimeZone, UTCOffsetSeconds: f.UTCOffsetSeconds, UILanguage: f.UILanguage, Build: f.Build}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s facts:\n got %+v\nwant %+v", c.tree, got, c.want)
		}
		if f.OS != "linux" || len(f.Errors) != 0 {
			t.Errorf("%s: OS %q, errors %q", c.tree, f.OS, f.Errors)
		}
	}
	// An unknown --user is reported, not fatal.
	f := newTreeHost(t, treeRoot(t, "astra-csp5-ru"), "nosuchuser").Facts()
	if f.User != "nosuchuser" || f.Home != "/home/nosuchuser" || len(f.Errors) != 1 || !strings.Contains(f.Errors[0], "nosuchuser") {
		t.Errorf("unknown user: %+v", f)
	}
}

type storeWant struct {
	loc   StoreLocation
	store StoreName
	certs []fixtureCert
}

func TestLinuxTreeStores(t *testing.T) {
	for _, tr := range fixtureTrees {
		h := newTreeHost(t, treeRoot(t, tr.name), tr.user)
		ctx := context.Background()
		for _, loc := range Locations {
			for _, st := range CoreStores {
				var want []fixtureCert
				for _, s := range tr.stores {
					if s.machine == (loc == LocalMachine) && s.store == st {
						want = s.certs
					}
				}
				got, err := h.Certificates(ctx, loc, st)
				if err != nil {
					t.Fatalf("%s %s\\%s: %v", tr.name, loc, st, err)
				}
				if len(got) != len(want) {
					t.Fatalf("%s %s\\%s: %d certificates, want %d", tr.name, loc, st, len(got), len(want))
				}
				for i, w := range want {
					g := got[i]
					if g.SHA1 != sha1Of(t, w.file) || len(g.DER) == 0 || g.Error != "" || !strings.HasSuffix(g.Source, ".sto") {
						t.Errorf("%s %s\\%s[%d]: %s %q %q", tr.name, loc, st, i, g.SHA1, g.Error, g.Source)
					}
					switch {
					case w.key == nil && g.Key != nil:
						t.Errorf("%s: unexpected key link %+v", tr.name, g.Key)
					case w.key != nil && (g.Key == nil || *g.Key != *w.key):
						t.Errorf("%s: key link %+v, want %+v", tr.name, g.Key, w.key)
					}
				}
			}
		}
		// Stores CryptoPro for Linux does not have are empty.
		if got, err := h.Certificates(ctx, LocalMachine, StoreAuthRoot); err != nil || len(got) != 0 {
			t.Errorf("%s AuthRoot: %v %v", tr.name, got, err)
		}
	}
}

func TestLinuxTreeCommands(t *testing.T) {
	ctx := context.Background()
	for _, tr := range fixtureTrees {
		h := newTreeHost(t, treeRoot(t, tr.name), tr.user)
		bin := cprocsp.BinDir("amd64")
		res, err := h.Run(ctx, Command{Argv: []string{bin + "/csptest", "-keyset", "-verifycontext"}})
		if err != nil || res.ExitCode != 0 {
			t.Fatalf("%s csptest: %+v %v", tr.name, res, err)
		}
		v, err := cprocsp.ParseVersion(res.Stdout)
		if err != nil || !strings.Contains(tr.version, "Release Ver:"+v.Build+" ") {
			t.Errorf("%s version %+v %v", tr.name, v, err)
		}
		res, err = h.Run(ctx, Command{Argv: []string{bin + "/csptest", "-keyset", "-enum_cont", "-fqcn", "-verifycontext", "-unique"}})
		if err != nil {
			t.Fatal(err)
		}
		conts, err := cprocsp.ParseContainers(res.Stdout)
		if err != nil || len(conts) != len(tr.contLine) {
			t.Fatalf("%s containers %+v %v", tr.name, conts, err)
		}
		if !strings.HasPrefix(tr.contLine[0], conts[0].FQCN+" | "+conts[0].Unique) || conts[0].Reader != "HDIMAGE" {
			t.Errorf("%s container %+v", tr.name, conts[0])
		}
		res, err = h.Run(ctx, Command{Argv: []string{cprocsp.SbinDir("amd64") + "/cpconfig", "-license", "-view"}})
		if err != nil {
			t.Fatal(err)
		}
		if lic, err := cprocsp.ParseLicense(res.Stdout); err != nil || lic.Serial == "" {
			t.Errorf("%s licence %+v %v", tr.name, lic, err)
		}
		// The certmgr listing of every store names the same certificates
		// and key containers as the store file.
		for _, s := range tr.stores {
			arg := cprocsp.StoreArg(s.machine, string(s.store))
			res, err := h.Run(ctx, Command{Argv: []string{bin + "/certmgr", "-list", "-store", arg}})
			if err != nil {
				t.Fatal(err)
			}
			recs, err := cprocsp.ParseCertmgrList(res.Stdout)
			if err != nil || len(recs) != len(s.certs) {
				t.Fatalf("%s certmgr %s: %d records, %v", tr.name, arg, len(recs), err)
			}
			for i, c := range s.certs {
				if recs[i].SHA1 != sha1Of(t, c.file) || recs[i].HasPrivateKey != (c.key != nil) {
					t.Errorf("%s certmgr %s[%d]: %+v", tr.name, arg, i, recs[i])
				}
			}
		}
		// A plain command name is never looked up, in the tree or here.
		if _, err := h.Run(ctx, Command{Argv: []string{"uname", "-r"}}); !errors.Is(err, ErrNoExec) {
			t.Errorf("%s: relative command under --root: %v", tr.name, err)
		}
	}
}

func TestLinuxTreeFiles(t *testing.T) {
	ctx := context.Background()
	h := newTreeHost(t, treeRoot(t, "alt-chromium-gost"), "sidorov")
	home := h.Facts().Home
	profiles, err := h.ReadDir(ctx, home+"/.config/chromium-gost")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range profiles {
		names = append(names, p.Name)
	}
	if strings.Join(names, "|") != "Default|Local State|NativeMessagingHosts|Profile 1" {
		t.Errorf("chromium-gost dir: %q", names)
	}
	fi, err := h.Stat(ctx, home+"/.config/chromium-gost/Default/Extensions/iifchhfnnmpdbibifmljnfjhpififfog")
	if err != nil || fi.Exists {
		t.Errorf("CryptoPro extension must be absent in chromium-gost: %+v %v", fi, err)
	}
	fi, _ = h.Stat(ctx, home+"/.config/google-chrome/Default/Extensions/iifchhfnnmpdbibifmljnfjhpififfog")
	if !fi.Exists || !fi.IsDir {
		t.Errorf("extension in google-chrome: %+v", fi)
	}
	b, err := h.ReadFile(ctx, "/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", 0)
	if err != nil || !strings.Contains(string(b), "iifchhfnnmpdbibifmljnfjhpififfog") {
		t.Errorf("native messaging manifest: %v", err)
	}
	if _, err := h.ReadFile(ctx, "/etc/chromium/native-messaging-hosts/ru.cryptopro.nmcades.json", 0); !errors.Is(err, ErrFileNotFound) {
		t.Errorf("chromium manifest must be absent: %v", err)
	}
	// Key containers are visible as directories; their files are never read here.
	keys, err := h.ReadDir(ctx, cprocsp.KeysDir+"/sidorov")
	if err != nil || len(keys) != 1 || keys[0].Name != "gisgkh22.000" || !keys[0].IsDir {
		t.Errorf("key containers: %+v %v", keys, err)
	}
	// The symlinked library resolves inside the tree.
	if fi, _ := h.Stat(ctx, "/opt/cprocsp/lib/amd64/libnpcades.so"); !fi.Exists || fi.IsDir {
		t.Errorf("libnpcades.so: %+v", fi)
	}
}

// copyTree copies a fixture tree into a temporary directory so that a test
// can damage it.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	return testutil.CopyTree(t, testutil.Testdata(t, "linux", name))
}

func TestLinuxUnrecognisedStoreFallsBackToCertmgr(t *testing.T) {
	dir := copyTree(t, "astra-csp5-ru")
	root := filepath.Join(dir, "root")
	my := filepath.Join(root, "var/opt/cprocsp/users/ivanov/stores/my.sto")
	if err := os.WriteFile(my, []byte("\x01\x00\x00\x00CPSTORE v2 something newer"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newTreeHost(t, root, "ivanov")
	got, err := h.Certificates(context.Background(), CurrentUser, StoreMy)
	if err != nil || len(got) != 1 {
		t.Fatalf("fallback: %+v %v", got, err)
	}
	c := got[0]
	if c.SHA1 != sha1Of(t, "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der") || c.DER != nil || c.Source != "certmgr -list -store uMy" ||
		!strings.Contains(c.Error, "not available") || c.Key == nil || c.Key.Container != `HDIMAGE\\ivanov20.000\9F3A` || c.Key.ProvType != 80 {
		t.Errorf("fallback entry: %+v key %+v", c, c.Key)
	}
	// Without certmgr the store is an error that names the file, never empty.
	if err := os.Remove(filepath.Join(root, "opt/cprocsp/bin/amd64/certmgr")); err != nil {
		t.Fatal(err)
	}
	got, err = h.Certificates(context.Background(), CurrentUser, StoreMy)
	if !errors.Is(err, cprocsp.ErrUnrecognisedStore) || !strings.Contains(err.Error(), "/var/opt/cprocsp/users/ivanov/stores/my.sto") || got != nil {
		t.Errorf("no certmgr: %v %v", got, err)
	}
}

func TestLinuxDamagedStores(t *testing.T) {
	dir := copyTree(t, "redos-csp4-en")
	root := filepath.Join(dir, "root")
	rootSto := filepath.Join(root, "var/opt/cprocsp/users/stores/root.sto")
	data, err := os.ReadFile(rootSto)
	if err != nil {
		t.Fatal(err)
	}
	// Cut inside the second certificate: the first is kept, the damage is an entry.
	if err := os.WriteFile(rootSto, data[:len(data)-200], 0o644); err != nil {
		t.Fatal(err)
	}
	h := newTreeHost(t, root, "petrov")
	got, err := h.Certificates(context.Background(), LocalMachine, StoreRoot)
	if err != nil || len(got) != 2 || got[0].SHA1 != sha1Of(t, "guc-root-gost2012-mincifry-2022.pem") ||
		!strings.Contains(got[1].Error, "truncated") || got[1].DER != nil {
		t.Errorf("truncated store: %+v %v", got, err)
	}
	// A header only, then garbage lengths.
	garbage := append([]byte{0, 0, 0, 0, 'C', 'E', 'R', 'T'}, 0x20, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f)
	if err := os.WriteFile(rootSto, garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err = h.Certificates(context.Background(), LocalMachine, StoreRoot)
	if err != nil || len(got) != 1 || !strings.Contains(got[0].Error, "truncated") {
		t.Errorf("garbage lengths: %+v %v", got, err)
	}
	// An unreadable store file is an error, not an empty store.
	if os.Geteuid() != 0 {
		if err := os.Chmod(rootSto, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Certificates(context.Background(), LocalMachine, StoreRoot); err == nil {
			t.Error("unreadable store: no error")
		}
	}
	// No CryptoPro at all: every store is empty, without error.
	if err := os.RemoveAll(filepath.Join(root, "opt/cprocsp")); err != nil {
		t.Fatal(err)
	}
	for _, st := range CoreStores {
		if got, err := h.Certificates(context.Background(), LocalMachine, st); err != nil || len(got) != 0 {
			t.Errorf("no CSP %s: %v %v", st, got, err)
		}
	}
}

func TestLinuxUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("skipped: running as root, file permissions do not apply")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "etc", "secret")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	h := newTreeHost(t, dir, "")
	if _, err := h.ReadFile(context.Background(), "/etc/secret", 0); err == nil || errors.Is(err, ErrFileNotFound) {
		t.Errorf("unreadable file: %v", err)
	}
}

func TestLinuxCommandTimeout(t *testing.T) {
	// A program of this machine (never one of an inspected tree) that
	// hangs: the shell's child keeps the output pipe open.
	tool := filepath.Join(t.TempDir(), "csptest")
	script := "#!/bin/sh\necho 'CSP (Type:80) v5.0.10010 KC1 Release Ver:5.0.12455 OS:Linux CPU:AMD64 FastCode:READY:AVX.'\nsleep 30\n"
	if err := os.WriteFile(tool, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	h, err := NewLive(LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := h.Run(context.Background(), Command{Argv: []string{tool, "-keyset", "-verifycontext"}, Timeout: 300 * time.Millisecond})
	if err != nil || !res.TimedOut || res.ExitCode != -1 {
		t.Fatalf("hanging csptest: %+v %v", res, err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("Run did not return after its timeout (took %v)", time.Since(start))
	}
}

func TestLinuxRootConfinement(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "etc", "hostname"), []byte("inside\n"), 0o644))
	must(os.Symlink("/etc/hostname", filepath.Join(dir, "abs-link")))
	must(os.Symlink("../../../../../../../../../etc/hostname", filepath.Join(dir, "etc", "rel-link")))
	must(os.Symlink("/etc/passwd", filepath.Join(dir, "etc", "passwd-link"))) // no /etc/passwd in the tree
	must(os.Symlink("loop-b", filepath.Join(dir, "loop-a")))
	must(os.Symlink("loop-a", filepath.Join(dir, "loop-b")))
	h := newTreeHost(t, dir, "")
	ctx := context.Background()
	for _, p := range []string{"/etc/hostname", "/../../../etc/hostname", "etc/../../etc/hostname", "/abs-link", "/etc/rel-link"} {
		b, err := h.ReadFile(ctx, p, 0)
		if err != nil || string(b) != "inside\n" {
			t.Errorf("ReadFile(%q) = %q, %v; want the tree's file", p, b, err)
		}
	}
	if _, err := h.ReadFile(ctx, "/etc/passwd-link", 0); !errors.Is(err, ErrFileNotFound) {
		t.Errorf("absolute link to a file missing in the tree: %v", err)
	}
	if _, err := h.ReadFile(ctx, "/loop-a", 0); err == nil {
		t.Error("symlink loop: no error")
	}
	if fi, _ := h.Stat(ctx, "/loop-a/x"); fi.Exists {
		t.Error("symlink loop: exists")
	}
	if _, err := NewLive(LiveOptions{Root: filepath.Join(dir, "etc", "hostname")}); err == nil {
		t.Error("root that is a file: no error")
	}
	if _, err := NewLive(LiveOptions{Root: filepath.Join(dir, "missing")}); err == nil {
		t.Error("missing root: no error")
	}
}

func TestLinuxManyProfiles(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "home", "u", ".config", "chromium-gost")
	const n = 3000
	for i := 0; i < n; i++ {
		if err := os.MkdirAll(filepath.Join(base, fmt.Sprintf("Profile %d", i)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h := newTreeHost(t, dir, "")
	list, err := h.ReadDir(context.Background(), "/home/u/.config/chromium-gost")
	if err != nil || len(list) != n {
		t.Fatalf("%d entries, %v", len(list), err)
	}
	for i := 1; i < len(list); i++ {
		if list[i-1].Name >= list[i].Name || !list[i].IsDir {
			t.Fatalf("entries not sorted directories at %d: %q %q", i, list[i-1].Name, list[i].Name)
		}
	}
}

// TestLinuxLiveThisMachine runs the back end on the machine itself.
func TestLinuxLiveThisMachine(t *testing.T) {
	h, err := NewLive(LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := h.Facts()
	if f.OS != "linux" || f.User == "" || f.Hostname == "" || f.Arch == "" {
		t.Errorf("facts: %+v", f)
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil && f.Build != strings.TrimSpace(string(b)) {
		t.Errorf("kernel %q, want %q", f.Build, strings.TrimSpace(string(b)))
	}
	if os.Geteuid() == 0 && (!f.Elevated || f.User != "root") {
		t.Errorf("as root: Elevated %v User %q", f.Elevated, f.User)
	}
	_, offset := time.Now().Zone()
	if f.UTCOffsetSeconds != offset {
		t.Errorf("offset %d, want %d", f.UTCOffsetSeconds, offset)
	}
	for _, loc := range Locations {
		for _, st := range CoreStores {
			certs, err := h.Certificates(context.Background(), loc, st)
			if _, statErr := os.Stat("/opt/cprocsp"); statErr != nil && (err != nil || len(certs) != 0) {
				t.Errorf("no CryptoPro here, %s\\%s: %d certificates, %v", loc, st, len(certs), err)
			}
		}
	}
}

func TestLinuxPermissionHint(t *testing.T) {
	h := &linuxHost{user: "ivanov", selfUser: "operator"}
	if hint := h.permissionHint(false); !strings.Contains(hint, "run as root or as ivanov") {
		t.Errorf("hint for another user's store: %q", hint)
	}
	if h.permissionHint(true) != "" || h.mayRunCertmgr(false) || !h.mayRunCertmgr(true) {
		t.Error("machine stores need no hint; certmgr must not answer for another user")
	}
	h.selfUser = "ivanov"
	if h.permissionHint(false) != "" || !h.mayRunCertmgr(false) {
		t.Error("own stores")
	}
}

func TestLinuxEnvUnderRoot(t *testing.T) {
	h := newTreeHost(t, treeRoot(t, "astra-csp5-ru"), "ivanov")
	want := map[string]string{"HOME": "/home/ivanov", "USER": "ivanov", "LOGNAME": "ivanov", "LANG": "ru_RU.UTF-8"}
	for k, v := range want {
		if got, ok := h.LookupEnv(k); !ok || got != v {
			t.Errorf("%s = %q, %v; want %q", k, got, ok, v)
		}
	}
	// The process environment is not the inspected system's.
	if _, ok := os.LookupEnv("PATH"); ok {
		if v, ok := h.LookupEnv("PATH"); ok {
			t.Errorf("PATH under --root = %q, want unset", v)
		}
	}
	live, err := NewLive(LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := os.LookupEnv("PATH"); ok {
		if v, _ := live.LookupEnv("PATH"); v != p {
			t.Errorf("live PATH = %q", v)
		}
	}
}

func TestParseOSReleaseAndPasswd(t *testing.T) {
	m := parseOSRelease("# comment\nID=astra\nPRETTY_NAME=\"Astra \\\"SE\\\" 1.7\"\nVERSION_ID='1.7'\nbroken line\n =x\n")
	if m["ID"] != "astra" || m["PRETTY_NAME"] != `Astra "SE" 1.7` || m["VERSION_ID"] != "1.7" || len(m) != 4 {
		t.Errorf("os-release: %q", m)
	}
	text := "root:x:0:0:root:/root:/bin/bash\nbad line\nivanov:x:1000:1000:И:/home/ivanov:/bin/sh\n"
	if l, h, ok := lookupPasswd(text, "ivanov", ""); !ok || l != "ivanov" || h != "/home/ivanov" {
		t.Errorf("by name: %q %q %v", l, h, ok)
	}
	if l, _, ok := lookupPasswd(text, "", "0"); !ok || l != "root" {
		t.Errorf("by uid: %q %v", l, ok)
	}
	if _, _, ok := lookupPasswd(text, "petrov", ""); ok {
		t.Error("missing user found")
	}
	for in, want := range map[string]string{"ru_RU.UTF-8": "ru-RU", "en_US": "en-US", "C": "C", "ru_RU.UTF-8@euro": "ru-RU", "": ""} {
		if got := localeTag(in); got != want {
			t.Errorf("localeTag(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLinuxFactParsers(f *testing.F) {
	for _, tr := range []string{"astra-csp5-ru", "redos-csp4-en", "alt-chromium-gost"} {
		for _, p := range []string{"etc/os-release", "etc/passwd"} {
			if b, err := os.ReadFile(filepath.Join(treeRoot(f, tr), p)); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add("A='unterminated\nB=\"\\\\\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		_ = parseOSRelease(s)
		if l, _, ok := lookupPasswd(s, "ivanov", ""); ok && l != "ivanov" {
			t.Fatalf("found %q for ivanov", l)
		}
		_ = localeTag(s)
	})
}

func FuzzLinuxResolve(f *testing.F) {
	root := f.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.Symlink("../../..", filepath.Join(root, "etc", "up")); err != nil {
		f.Fatal(err)
	}
	if err := os.Symlink("/etc/up/etc", filepath.Join(root, "abs")); err != nil {
		f.Fatal(err)
	}
	h := &linuxHost{root: root}
	for _, s := range []string{"/etc/passwd", "../../x", "/etc/up/up/etc", "/abs/up/abs", "a/./b/../../../c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := h.resolve(p)
		if got != root && !strings.HasPrefix(got, root+string(filepath.Separator)) {
			t.Fatalf("resolve(%q) = %q escapes %q", p, got, root)
		}
	})
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLinuxMissingStoreDirAsksCertmgr(t *testing.T) {
	dir := copyTree(t, "astra-csp5-ru")
	root := filepath.Join(dir, "root")
	if err := os.RemoveAll(filepath.Join(root, "var/opt/cprocsp/users/ivanov")); err != nil {
		t.Fatal(err)
	}
	h := newTreeHost(t, root, "ivanov")
	got, err := h.Certificates(context.Background(), CurrentUser, StoreMy)
	if err != nil || len(got) != 1 || got[0].Source != "certmgr -list -store uMy" || got[0].Key == nil {
		t.Fatalf("uMy from certmgr: %+v %v", got, err)
	}
	// certmgr's empty listing for uCA is an empty store.
	if got, err := h.Certificates(context.Background(), CurrentUser, StoreCA); err != nil || len(got) != 0 {
		t.Errorf("uCA: %+v %v", got, err)
	}
	// uRoot holds the Russian Trusted Root CA (for Chromium-Gost).
	if got, err := h.Certificates(context.Background(), CurrentUser, StoreRoot); err != nil || len(got) != 1 || got[0].SHA1 != "8FF915CCAB7BC16F8C5C8099D53E0E115B3AEC2F" {
		t.Errorf("uRoot: %+v %v", got, err)
	}
}
