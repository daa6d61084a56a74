package platform

import (
	"strings"
	"testing"
)

// A dpkg status database as dpkg writes it (field order and the
// multi-line Description as on Debian 12; the CryptoPro package names and
// versions as the CSP 5.0 .deb packages install them).
const dpkgStatusSample = `Package: pcscd
Status: install ok installed
Priority: optional
Section: misc
Installed-Size: 257
Maintainer: Debian Smart Card Maintainers <pkg-opensc-maint@lists.alioth.debian.org>
Architecture: amd64
Multi-Arch: foreign
Source: pcsc-lite
Version: 1.9.9-2
Description: Middleware to access a smart card using PC/SC (daemon side)
 The PC/SC daemon is used to dynamically allocate/deallocate reader
 Package: not-a-package

Package: lsb-cprocsp-base
Status: install ok installed
Architecture: all
Version: 5.0.12455-6
Description: CryptoPro CSP base

Package: libfoo
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9

Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9
`

func TestDpkgPackage(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		data := dpkgStatusSample
		if crlf {
			data = strings.ReplaceAll(data, "\n", "\r\n")
		}
		cases := []struct{ pkg, want string }{
			{"pcscd", "1.9.9-2"},
			{"lsb-cprocsp-base", "5.0.12455-6"},
			{"libfoo", ""},        // configuration files left: not installed
			{"not-a-package", ""}, // only a Description line mentions it
			{"absent", ""},
			{"libc6", "2.36-9"},
		}
		for _, c := range cases {
			sv, _ := DpkgPackage([]byte(data), c.pkg)
			if got := dpkgInstalledVersion(sv); got != c.want {
				t.Errorf("crlf %v %s: %q (%q), want %q", crlf, c.pkg, got, sv, c.want)
			}
		}
	}
	if _, found := DpkgPackage([]byte(dpkgStatusSample), "not-a-package"); found {
		t.Error("a continuation line was taken for a Package field")
	}
}

func FuzzDpkgPackage(f *testing.F) {
	f.Add([]byte(dpkgStatusSample), "pcscd")
	f.Add([]byte("Package: x\nStatus: install ok installed\nVersion: 1\n\nPackage: x\n"), "x")
	f.Fuzz(func(t *testing.T, data []byte, pkg string) {
		sv, found := DpkgPackage(data, pkg)
		if !found && sv != "" {
			t.Fatalf("not found but %q", sv)
		}
		if v := dpkgInstalledVersion(sv); v != "" && !strings.Contains(string(data), v) {
			t.Fatalf("version %q is not in the input", v)
		}
	})
}
