// Package platform holds small helpers shared by the platform checks (csp,
// csp-license, plugin, ie-zones, capicom, browser-cache, gost-tls-browser):
// how sure a site profile is about a requirement, package versions on Linux,
// and matching a site's domain against host masks.
package platform

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Severity is Fail when a selected site is known ([V]) to need req, and
// Warn when the need is only inferred ([I]): checks never call an inferred
// requirement certain.
func Severity(sites []*profile.Site, req string) doctor.Severity {
	for _, s := range profile.Needing(sites, req) {
		if s.Confidence(req) == "V" {
			return doctor.Fail
		}
	}
	return doctor.Warn
}

// Inferred reports whether no selected site is known for sure to need req.
func Inferred(sites []*profile.Site, req string) bool {
	return Severity(sites, req) == doctor.Warn
}

// SiteNames joins the names of the sites needing req ("ГМУ (bus.gov.ru), …").
func SiteNames(sites []*profile.Site, req, lang string) string {
	var names []string
	for _, s := range profile.Needing(sites, req) {
		names = append(names, s.Name(lang))
	}
	return strings.Join(names, ", ")
}

// Domains returns the domains of the sites needing req, without duplicates.
func Domains(sites []*profile.Site, req string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range profile.Needing(sites, req) {
		for _, d := range s.Domains {
			d = strings.ToLower(strings.TrimSpace(d))
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// Unanswered reports whether err means the host could not answer (a
// snapshot that did not record the item, a cancelled run), as opposed to a
// per-item problem a check may note and go on.
func Unanswered(err error) bool {
	return errors.Is(err, host.ErrNotRecorded) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// UTCOffset renders seconds east of UTC as "UTC+03:00".
func UTCOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, sec/3600, sec%3600/60)
}

// rpmDistros are os-release IDs of RPM-based distributions.
var rpmDistros = map[string]bool{
	"redos": true, "altlinux": true, "rhel": true, "centos": true, "fedora": true, "rosa": true,
	"ol": true, "almalinux": true, "rocky": true, "msvsphere": true, "sles": true, "opensuse-leap": true,
}

// UsesRPM reports whether the Linux distribution installs .rpm packages.
func UsesRPM(f host.Facts) bool { return rpmDistros[strings.ToLower(f.Distro)] }

// PackageQuery is the command that prints the installed version of pkg. On
// Debian-based systems it also prints the package's status ("install ok
// installed"), because dpkg-query answers for a removed package whose
// configuration files remain ("deinstall ok config-files") as well.
func PackageQuery(f host.Facts, pkg string) []string {
	if UsesRPM(f) {
		return []string{"rpm", "-q", "--qf", "%{VERSION}-%{RELEASE}", pkg}
	}
	return []string{"dpkg-query", "-W", "-f", "${Status} ${Version}", pkg}
}

// PackageVersion returns the installed version of a Linux package, "" when
// it is not installed or the package tool is missing. An error means the
// host could not answer. Under --root (the host runs no programs) the
// answer comes from dpkg's database file; an RPM database is not read, and
// then the error wraps host.ErrNoExec: not determinable from a mounted disk.
func PackageVersion(ctx context.Context, h host.Host, pkg string) (string, error) {
	argv := PackageQuery(h.Facts(), pkg)
	res, err := h.Run(ctx, host.Command{Argv: argv})
	if errors.Is(err, host.ErrNoExec) {
		return packageFromFiles(ctx, h, pkg, err)
	}
	if err != nil {
		if errors.Is(err, host.ErrCommandNotFound) {
			return "", nil
		}
		return "", fmt.Errorf("query package %s: %w", pkg, err)
	}
	if res.ExitCode != 0 || res.TimedOut {
		return "", nil
	}
	out := strings.TrimSpace(string(res.Stdout))
	if UsesRPM(h.Facts()) {
		if strings.ContainsAny(out, " \n") || strings.HasPrefix(out, "package ") {
			return "", nil
		}
		return out, nil
	}
	return dpkgInstalledVersion(out), nil
}

// packageFromFiles answers PackageVersion from the package database file
// of the inspected system (DpkgStatus on Debian-based systems).
func packageFromFiles(ctx context.Context, h host.Host, pkg string, runErr error) (string, error) {
	if UsesRPM(h.Facts()) {
		return "", fmt.Errorf("query package %s: the RPM database is not read from a disk: %w", pkg, runErr)
	}
	data, err := h.ReadFile(ctx, DpkgStatus, MaxDpkgStatus)
	if errors.Is(err, host.ErrFileNotFound) {
		return "", fmt.Errorf("query package %s: no %s: %w", pkg, DpkgStatus, host.ErrNoExec)
	}
	if err != nil {
		return "", fmt.Errorf("query package %s: %w", pkg, err)
	}
	sv, _ := DpkgPackage(data, pkg)
	return dpkgInstalledVersion(sv), nil
}

// dpkgInstalledVersion reads "${Status} ${Version}" as dpkg-query prints it
// ("install ok installed 5.0.12455-6") and returns the version only when the
// package is installed: a removed package with its configuration files left
// ("deinstall ok config-files"), a half-installed or an unpacked one is not.
func dpkgInstalledVersion(out string) string {
	f := strings.Fields(out)
	if len(f) != 4 || f[2] != "installed" {
		return ""
	}
	return f[3]
}

// HostOf reduces a trusted-site entry or URL ("https://*.gov.ru:443/x") to
// its lower-case host mask ("*.gov.ru").
func HostOf(entry string) string {
	s := strings.ToLower(strings.TrimSpace(entry))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(s, ".")
}

// Covers reports whether a host mask ("bus.gov.ru", "*.gov.ru") covers the
// domain; a wildcard mask covers the domain below it and its subdomains.
func Covers(mask, domain string) bool {
	mask, domain = HostOf(mask), strings.ToLower(domain)
	if mask == "" {
		return false
	}
	if strings.HasPrefix(mask, "*.") {
		base := mask[2:]
		return domain == base || strings.HasSuffix(domain, "."+base)
	}
	if mask == "*" {
		return true
	}
	return mask == domain
}

// NoteIfInferred adds a note to the pass when no selected site is known for
// sure to need req, naming the sites whose need is inferred.
func NoteIfInferred(pass *doctor.Pass, req string) {
	sites := pass.Options.Profiles
	if !profile.AnyNeeds(sites, req) || !Inferred(sites, req) {
		return
	}
	var names []i18n.Text
	for _, s := range profile.Needing(sites, req) {
		names = append(names, i18n.Pair(s.NameRU, s.NameEN))
	}
	what := i18n.Raw(req)
	if k := "platform.req." + req; i18n.Has(k) {
		what = i18n.T(k)
	}
	pass.Note(i18n.T("platform.note.inferred", names, what))
}

// FirstLine returns the first non-blank line of a tool's output, cut to 200
// bytes, or "-" when there is none.
func FirstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 200 {
				l = strings.ToValidUTF8(l[:200], "")
			}
			return l
		}
	}
	return "-"
}
