package main

import (
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// Every certificate of the fixture's stores becomes a Blob under its
// thumbprint in the right hive, with its key link; the empty standard
// stores exist as keys.
func TestRegFileHoldsTheStores(t *testing.T) {
	s, err := host.LoadSnapshotFile(filepath.Join("..", "..", "testdata", "workstations", "windows10-healthy.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg, n, err := regFile(s)
	if err != nil {
		t.Fatal(err)
	}
	text := reg.Text()
	want := 0
	for _, st := range s.CertStores {
		root := `HKEY_CURRENT_USER\Software`
		if st.Location == host.LocalMachine {
			root = `HKEY_LOCAL_MACHINE\SOFTWARE`
		}
		for _, c := range st.Certificates {
			want++
			key := "[" + root + `\Microsoft\SystemCertificates\` + string(st.Store) + `\Certificates\` + c.SHA1 + "]"
			i := strings.Index(text, key)
			if i < 0 {
				t.Fatalf("no key %s in\n%.2000s", key, text)
			}
			// the DER's first bytes follow in the Blob of that key
			head := hexList(c.DER[:16])
			if !strings.Contains(text[i:], head) {
				t.Errorf("%s: Blob does not hold the certificate", key)
			}
			if c.Key != nil && !strings.Contains(text[i:], hexList(utf16le(c.Key.Container))) {
				t.Errorf("%s: Blob lacks the key link %s", key, c.Key.Container)
			}
		}
	}
	if n != want || n == 0 {
		t.Fatalf("planted %d certificates, the snapshot has %d", n, want)
	}
	for _, k := range []string{`[HKEY_CURRENT_USER\Software\Microsoft\SystemCertificates\CA\Certificates]`, `[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\SystemCertificates\Disallowed\Certificates]`} {
		if !strings.Contains(text, k) {
			t.Errorf("standard store key %s missing", k)
		}
	}
	if _, _, err := regFile(&host.Snapshot{}); err == nil {
		t.Error("a snapshot without certificates was accepted")
	}
}

func hexList(b []byte) string {
	h := hex.EncodeToString(b)
	var parts []string
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ",")
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s { // ASCII container names in the fixture
		b = append(b, byte(r), 0)
	}
	return b
}

// The printed environment survives a POSIX shell unchanged, quotes and all.
func TestShellEnvQuotes(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	odd := `/tmp/it's a "prefix" $HOME`
	script := shellEnv([]string{"WINEPREFIX=" + odd, "PATH=/bin", "LC_ALL=C.UTF-8"}, "/usr/lib/wine/wine64", "/usr/lib/wine/wineserver64") +
		"\nprintf '%s|%s|%s' \"$WINEPREFIX\" \"$WINE_LOADER\" \"$LC_ALL\""
	out, err := exec.Command(sh, "-c", script).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), odd+"|/usr/lib/wine/wine64|C.UTF-8"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if strings.Contains(script, "PATH=") {
		t.Error("variables the harness does not control are printed")
	}
}
