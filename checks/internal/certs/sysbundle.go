package certs

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// Families of Linux distributions by the tool that rebuilds the system CA
// bundle.
const (
	// FamilyDebian: Debian, Ubuntu, Astra Linux — update-ca-certificates,
	// which takes PEM files named *.crt in /usr/local/share/ca-certificates
	// (update-ca-certificates(8), confirmed).
	FamilyDebian = "debian"
	// FamilyCATrust: Fedora/RHEL and RED OS, ALT — update-ca-trust, which
	// takes PEM or DER files in /etc/pki/ca-trust/source/anchors
	// (update-ca-trust(8), confirmed for Fedora/RHEL; RED OS and ALT are
	// inferred from their RHEL-style layout).
	FamilyCATrust = "ca-trust"
)

// BundlePath is a system CA bundle file and the family that writes it.
type BundlePath struct {
	Path   string
	Family string
}

// SystemBundlePaths are the concatenated-PEM CA bundles Linux TLS clients
// read. Confirmed from the tools' manuals: /etc/ssl/certs/ca-certificates.crt
// (Debian family, update-ca-certificates(8)); /etc/pki/tls/certs/ca-bundle.crt
// and /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem (Fedora/RHEL,
// update-ca-trust(8)). Inferred, not confirmed: that RED OS and ALT Linux
// use the same two /etc/pki paths.
var SystemBundlePaths = []BundlePath{
	{Path: "/etc/ssl/certs/ca-certificates.crt", Family: FamilyDebian},
	{Path: "/etc/pki/tls/certs/ca-bundle.crt", Family: FamilyCATrust},
	{Path: "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", Family: FamilyCATrust},
}

// MaxBundleSize bounds the read of one bundle (a distribution's bundle is
// about 200 KB).
const MaxBundleSize = 8 << 20

// DistroFamily maps an os-release ID to its bundle family, "" when unknown.
func DistroFamily(distro string) string {
	switch strings.ToLower(distro) {
	case "debian", "ubuntu", "astra", "linuxmint":
		return FamilyDebian
	case "redos", "fedora", "rhel", "centos", "rocky", "almalinux", "altlinux":
		return FamilyCATrust
	}
	return ""
}

// BundleHit is a certificate found in a bundle file.
type BundleHit struct {
	Path string
	Cert *pki.Certificate
}

// SystemBundles is what was read from the system CA bundle files.
type SystemBundles struct {
	// Read lists the files read, in SystemBundlePaths order.
	Read []string
	// Missing lists the files that do not exist.
	Missing []string
	// Errors holds the files that exist (or were not recorded in a
	// snapshot) but could not be read or parsed, by path. A file parsed
	// only in part is in Read and in Errors.
	Errors map[string]error
	hits   []BundleHit
	family string
}

// LoadSystemBundles reads and parses every file of SystemBundlePaths.
func LoadSystemBundles(ctx context.Context, h host.Host) *SystemBundles {
	b := &SystemBundles{Errors: map[string]error{}}
	for _, bp := range SystemBundlePaths {
		data, err := h.ReadFile(ctx, bp.Path, MaxBundleSize)
		switch {
		case errors.Is(err, host.ErrFileNotFound):
			b.Missing = append(b.Missing, bp.Path)
			continue
		case err != nil:
			b.Errors[bp.Path] = err
			continue
		}
		list, err := ParseBundle(data)
		if err != nil {
			b.Errors[bp.Path] = err
			if len(list) == 0 {
				continue
			}
		}
		b.Read = append(b.Read, bp.Path)
		if b.family == "" {
			b.family = bp.Family
		}
		for _, c := range list {
			b.hits = append(b.hits, BundleHit{Path: bp.Path, Cert: c})
		}
	}
	return b
}

// ParseBundle parses a concatenated-PEM CA bundle. When one block does not
// decode (or the file was cut at the read limit) the others are still
// returned, with an error that counts the skipped blocks.
func ParseBundle(data []byte) ([]*pki.Certificate, error) {
	list, err := pki.Parse(data)
	if err == nil {
		return list, nil
	}
	if errors.Is(err, pki.ErrNoCertificate) {
		return nil, fmt.Errorf("parse CA bundle: %w", err)
	}
	list = nil
	bad := 0
	rest := data
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, perr := pki.ParseDER(blk.Bytes)
		if perr != nil {
			bad++
			continue
		}
		list = append(list, c)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("parse CA bundle: %w", err)
	}
	// pem.Decode silently skips blocks whose base64 is damaged: count the
	// BEGIN lines to notice them.
	if begun := bytes.Count(data, []byte("-----BEGIN CERTIFICATE-----")); bad > 0 || len(list) < begun {
		return list, fmt.Errorf("parse CA bundle: %d certificates read, the rest skipped: %w", len(list), err)
	}
	return list, nil
}

// AnyRead reports whether at least one bundle was read.
func (b *SystemBundles) AnyRead() bool { return len(b.Read) > 0 }

// Family is the family of the first bundle read, "" when none was.
func (b *SystemBundles) Family() string { return b.family }

// Find returns the bundle entries with that thumbprint.
func (b *SystemBundles) Find(sha1 string) []BundleHit {
	sha1 = NormHex(sha1)
	var out []BundleHit
	for _, h := range b.hits {
		if h.Cert.SHA1 == sha1 {
			out = append(out, h)
		}
	}
	return out
}

// ErrorText joins the read errors for a message ("path: error; …").
func (b *SystemBundles) ErrorText() string {
	var parts []string
	for _, bp := range SystemBundlePaths {
		if err, ok := b.Errors[bp.Path]; ok {
			parts = append(parts, fmt.Sprintf("%s: %v", bp.Path, err))
		}
	}
	return strings.Join(parts, "; ")
}

// BundlePathList is every path of SystemBundlePaths, comma-separated.
func BundlePathList() string {
	parts := make([]string, 0, len(SystemBundlePaths))
	for _, bp := range SystemBundlePaths {
		parts = append(parts, bp.Path)
	}
	return strings.Join(parts, ", ")
}

// NSSDB describes the user's shared NSS database (~/.pki/nssdb), which
// Chromium-family browsers (Chromium, Chromium-Gost, Google Chrome) may use
// for trust in addition to the system bundle. gmu-doctor does not read it
// (it is SQLite); it only tells whether it exists.
type NSSDB struct {
	Dir string // <home>/.pki/nssdb
	// Exists: cert9.db is there. Known is false when that could not be
	// told (no home directory, a snapshot that did not record it).
	Exists, Known bool
}

// FindNSSDB looks for <home>/.pki/nssdb/cert9.db of the inspected user.
func FindNSSDB(ctx context.Context, h host.Host) NSSDB {
	home := strings.TrimRight(h.Facts().Home, "/")
	if home == "" {
		return NSSDB{}
	}
	db := NSSDB{Dir: home + "/.pki/nssdb"}
	fi, err := h.Stat(ctx, db.Dir+"/cert9.db")
	if err != nil {
		return db
	}
	db.Exists, db.Known = fi.Exists && !fi.IsDir, true
	return db
}

// pemName is the file name of the PEM copy of a downloaded certificate:
// update-ca-certificates only takes *.crt files.
func pemName(file string) string {
	base := file
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	if base+".crt" == file {
		return base + "-pem.crt"
	}
	return base + ".crt"
}

// PEMName is the *.crt name the Debian-family commands convert the root to.
func (r Root) PEMName() string { return pemName(r.FileName()) }

// ShortName is the English name without its parenthesised explanation
// ("Russian Trusted Root CA"), for the NSS nickname.
func (r Root) ShortName() string {
	n := r.NameEN
	if i := strings.Index(n, " ("); i > 0 {
		n = n[:i]
	}
	if n == "" {
		n = r.ID
	}
	return n
}

// InstallSystemTLSRoot returns the commands that add a TLS root, downloaded
// to r.FileName(), to the system CA bundle of the family: for the Debian
// family a conversion to PEM (update-ca-certificates takes only PEM), the
// copy and update-ca-certificates; for the ca-trust family the copy and
// update-ca-trust. An unknown family gives nil.
func (c Cmds) InstallSystemTLSRoot(r Root, family string) []string {
	file := r.FileName()
	switch family {
	case FamilyDebian:
		crt := r.PEMName()
		return []string{
			"openssl x509 -inform DER -in " + quote(file) + " -out " + quote(crt),
			"sudo cp " + quote(crt) + " /usr/local/share/ca-certificates/" + quote(crt) + " && sudo update-ca-certificates",
		}
	case FamilyCATrust:
		return []string{"sudo cp " + quote(file) + " /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust"}
	}
	return nil
}

// AddToNSSDB is the certutil command that adds a TLS root to the user's
// shared NSS database as a trusted TLS authority.
func (c Cmds) AddToNSSDB(r Root) string {
	return `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "` + strings.ReplaceAll(r.ShortName(), `"`, "") + `" -i ` + quote(r.FileName())
}

// NSSToolsPackage is the package with NSS certutil for the family:
// libnss3-tools on the Debian family; nss-tools on Fedora and RED OS
// (inferred for RED OS); unknown elsewhere ("").
func NSSToolsPackage(distro string) string {
	switch strings.ToLower(distro) {
	case "debian", "ubuntu", "astra", "linuxmint":
		return "libnss3-tools"
	case "redos", "fedora", "rhel", "centos", "rocky", "almalinux":
		return "nss-tools"
	}
	return ""
}

// Certs returns every certificate read from the bundles, in file order.
func (b *SystemBundles) Certs() []*pki.Certificate {
	out := make([]*pki.Certificate, 0, len(b.hits))
	for _, h := range b.hits {
		out = append(out, h.Cert)
	}
	return out
}
