package platform

import (
	"bytes"
	"strings"
)

// DpkgStatus is /var/lib/dpkg/status: dpkg's database of the packages it
// knows, one stanza per package (and architecture) in deb822 form. It is
// what `dpkg-query` reads; under --root it is read directly, because the
// inspected disk's programs are never run.
const DpkgStatus = "/var/lib/dpkg/status"

// MaxDpkgStatus bounds the read of DpkgStatus (a desktop with 3,000
// packages has a 3-4 MiB file).
const MaxDpkgStatus = 64 << 20

// DpkgPackage finds pkg in the text of a dpkg status database and returns
// what `dpkg-query -W -f '${Status} ${Version}'` would print for it
// ("install ok installed 5.0.12455-6"), preferring an installed stanza when
// the package is there for several architectures. found is false when no
// stanza names the package. One pass, no allocation per line beyond the
// fields kept.
func DpkgPackage(data []byte, pkg string) (statusVersion string, found bool) {
	var name, status, version string
	best := ""
	flush := func() {
		if name == pkg && name != "" {
			sv := strings.TrimSpace(status) + " " + strings.TrimSpace(version)
			if !found || dpkgInstalledVersion(sv) != "" && dpkgInstalledVersion(best) == "" {
				best = sv
			}
			found = true
		}
		name, status, version = "", "", ""
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			flush()
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // a continuation line of a multi-line field
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		switch string(k) {
		case "Package":
			name = strings.TrimSpace(string(v))
		case "Status":
			status = string(v)
		case "Version":
			version = string(v)
		}
	}
	flush()
	return best, found
}
