package certs

import (
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// Cmds builds the exact fix commands for one OS: certutil on Windows,
// CryptoPro certmgr elsewhere.
type Cmds struct {
	OS   string
	Arch string // CryptoPro directory name: amd64, ia32, aarch64, e2k64
	// Distro is the Linux os-release ID (astra, redos, altlinux …); it
	// picks the system CA bundle commands (see sysbundle.go).
	Distro string
}

// For returns the command builder of the inspected machine.
func For(f host.Facts) Cmds {
	return Cmds{OS: f.OS, Arch: cprocsp.ArchDir(f.Arch), Distro: f.Distro}
}

// Windows reports whether the commands are Windows ones.
func (c Cmds) Windows() bool { return c.OS == "windows" }

// Certmgr is the path of CryptoPro certmgr.
func (c Cmds) Certmgr() string {
	if c.OS == "darwin" {
		return "/opt/cprocsp/bin/certmgr"
	}
	return cprocsp.BinDir(c.Arch) + "/certmgr"
}

// Csptest is the path of CryptoPro csptest.
func (c Cmds) Csptest() string {
	if c.OS == "darwin" {
		return "/opt/cprocsp/bin/csptest"
	}
	return cprocsp.BinDir(c.Arch) + "/csptest"
}

func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"\\$`&|;<>()*?!#") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func wquote(s string) string {
	if s != "" && !strings.ContainsAny(s, " &|<>^()") {
		return s
	}
	return `"` + s + `"`
}

// Download fetches url into file.
func (c Cmds) Download(url, file string) string {
	if c.Windows() {
		return "certutil -urlcache -split -f " + wquote(url) + " " + wquote(file)
	}
	return "curl -fLo " + quote(file) + " " + quote(url)
}

// Install adds the certificate in file to a store. Machine stores need
// Administrator (Windows) or root (sudo) rights.
func (c Cmds) Install(loc host.StoreLocation, store host.StoreName, file string) string {
	if c.Windows() {
		if loc == host.CurrentUser {
			return "certutil -user -addstore " + string(store) + " " + wquote(file)
		}
		return "certutil -addstore " + string(store) + " " + wquote(file)
	}
	cmd := c.Certmgr() + " -inst -store " + cprocsp.StoreArg(loc == host.LocalMachine, string(store)) + " -file " + quote(file)
	if loc == host.LocalMachine {
		return "sudo " + cmd
	}
	return cmd
}

// Delete removes the certificate with that thumbprint from a store.
func (c Cmds) Delete(loc host.StoreLocation, store host.StoreName, sha1 string) string {
	if c.Windows() {
		if loc == host.CurrentUser {
			return "certutil -user -delstore " + string(store) + " " + sha1
		}
		return "certutil -delstore " + string(store) + " " + sha1
	}
	cmd := c.Certmgr() + " -delete -store " + cprocsp.StoreArg(loc == host.LocalMachine, string(store)) + " -thumbprint " + sha1
	if loc == host.LocalMachine {
		return "sudo " + cmd
	}
	return cmd
}

// List prints the certificates of a store.
func (c Cmds) List(loc host.StoreLocation, store host.StoreName) string {
	if c.Windows() {
		if loc == host.CurrentUser {
			return "certutil -user -store " + string(store)
		}
		return "certutil -store " + string(store)
	}
	return c.Certmgr() + " -list -store " + cprocsp.StoreArg(loc == host.LocalMachine, string(store))
}

// InstallFromContainer installs the certificate kept in a key container
// into CurrentUser\My with its private-key link (not on Windows: there it
// is done in the CryptoPro CSP panel).
func (c Cmds) InstallFromContainer(container string) string {
	return c.Certmgr() + " -inst -store uMy -cont " + quote(container)
}

// ListContainers is the command that lists the key containers.
func (c Cmds) ListContainers() []string {
	return []string{c.Csptest(), "-keyset", "-enum_cont", "-fqcn", "-verifycontext"}
}

// InstallRoot returns the commands that download a root and put it into
// the Root store of the location.
func (c Cmds) InstallRoot(r Root, loc host.StoreLocation) []string {
	var out []string
	if r.DownloadURL != "" && strings.HasPrefix(r.DownloadURL, "https://e-trust.") {
		out = append(out, c.Download(r.DownloadURL, r.FileName()))
	}
	return append(out, c.Install(loc, host.StoreRoot, r.FileName()))
}
