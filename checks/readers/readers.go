// Package readers is the readers check (Linux): the PC/SC daemon pcscd that
// CryptoPro CSP reaches tokens and smart cards through (Рутокен, JaCarta…)
// is installed and listening, and which readers PC/SC sees. Without pcscd
// a key on a token is invisible: the certificate picker is empty or signing
// fails with «Набор ключей не существует» (0x80090016), while keys kept on
// disk (HDIMAGE) keep working.
package readers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Check is the readers check.
var Check = &doctor.Check{
	ID:       "readers",
	Title:    i18n.T("check.readers.title"),
	Doc:      i18n.T("check.readers.doc"),
	OS:       []string{"linux"},
	Requires: []string{"csp"},
	Run:      run,
}

// Sockets are where pcscd listens: the systemd socket unit of pcsc-lite
// (pcscd.socket, ListenStream=/run/pcscd/pcscd.comm, seen on Debian 12) and
// the same path through the /var/run link of older systems. The socket is
// there both while pcscd runs and while systemd waits to start it on the
// first client, so it is what decides whether CryptoPro can reach a token.
var Sockets = []string{"/run/pcscd/pcscd.comm", "/var/run/pcscd/pcscd.comm"}

// PCSCScan is pcsc_scan from pcsc-tools; `pcsc_scan -r` lists the readers
// and exits (pcsc-tools 1.6; older builds may wait for a reader instead,
// which the timeout ends).
const PCSCScan = "/usr/bin/pcsc_scan"

// ScanTimeout bounds `pcsc_scan -r`.
const ScanTimeout = 5 * time.Second

// procMarker exists on a running Linux system and not on a mounted disk
// inspected with --root, where the daemon's state means nothing.
const procMarker = "/proc/1"

func run(ctx context.Context, pass *doctor.Pass) error {
	if !profile.AnyNeeds(pass.Options.Profiles, profile.NeedCSP) {
		return doctor.Skip(i18n.T("readers.skip.not-needed"))
	}
	h := pass.Host
	in, err := csp.Detect(ctx, h)
	if err != nil {
		return err
	}
	if !in.Installed {
		return doctor.Skip(i18n.T("readers.skip.no-csp"))
	}
	f := h.Facts()
	proc, err := h.Stat(ctx, procMarker)
	if err != nil {
		return fmt.Errorf("look for %s: %w", procMarker, err)
	}
	if !proc.Exists {
		pass.Summary(i18n.T("readers.summary.offline"))
		pass.Note(i18n.T("readers.note.offline", procMarker))
		return nil
	}
	socket, err := findSocket(ctx, h)
	if err != nil {
		return err
	}
	pkg := Package(f)
	if socket == "" {
		version, err := platform.PackageVersion(ctx, h, pkg)
		if errors.Is(err, host.ErrNoExec) {
			pass.Summary(i18n.T("readers.summary.mounted"))
			pass.Note(i18n.T("readers.note.mounted-package", pkg, err.Error(), strings.Join(platform.PackageQuery(f, pkg), " ")))
			return nil
		}
		if err != nil {
			return err
		}
		where := strings.Join(Sockets, ", ")
		if version == "" {
			pass.Summary(i18n.T("readers.summary.no-pcscd"))
			pass.Report(doctor.Finding{
				Severity: doctor.Warn, Code: "readers.pcscd-missing",
				Message:  i18n.T("readers.pcscd-missing", pkg, where),
				Hint:     i18n.T("readers.pcscd-missing.hint"),
				Commands: append(InstallCommands(f), EnableCommand),
				Subject:  pkg,
			})
			return nil
		}
		pass.Summary(i18n.T("readers.summary.stopped"))
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "readers.pcscd-stopped",
			Message:  i18n.T("readers.pcscd-stopped", pkg, version, where),
			Hint:     i18n.T("readers.pcscd-stopped.hint"),
			Commands: []string{EnableCommand, "sudo systemctl restart pcscd"},
			Subject:  Sockets[0],
			Repairs:  []doctor.Repair{EnableRepair},
		})
		return nil
	}
	pass.Note(i18n.T("readers.note.socket", socket))
	return listReaders(ctx, pass, h)
}

func findSocket(ctx context.Context, h host.Host) (string, error) {
	for _, p := range Sockets {
		fi, err := h.Stat(ctx, p)
		if err != nil {
			return "", fmt.Errorf("look for the pcscd socket: %w", err)
		}
		if fi.Exists {
			return p, nil
		}
	}
	return "", nil
}

// listReaders asks pcsc_scan, where installed, which readers PC/SC sees.
func listReaders(ctx context.Context, pass *doctor.Pass, h host.Host) error {
	fi, err := h.Stat(ctx, PCSCScan)
	if err != nil {
		return fmt.Errorf("look for pcsc_scan: %w", err)
	}
	if !fi.Exists {
		pass.Summary(i18n.T("readers.summary.running"))
		pass.Note(i18n.T("readers.note.no-scan", PCSCScan))
		return nil
	}
	argv := []string{PCSCScan, "-r"}
	cmd := strings.Join(argv, " ")
	res, err := h.Run(ctx, host.Command{Argv: argv, Timeout: ScanTimeout})
	if errors.Is(err, host.ErrNoExec) {
		pass.Summary(i18n.T("readers.summary.running"))
		pass.Note(i18n.T("readers.note.mounted-scan", cmd))
		return nil
	}
	if err != nil {
		if platform.Unanswered(err) {
			return err
		}
		pass.Summary(i18n.T("readers.summary.running"))
		pass.Note(i18n.T("readers.note.scan-failed", cmd, err.Error()))
		return nil
	}
	if res.TimedOut {
		pass.Summary(i18n.T("readers.summary.running"))
		pass.Note(i18n.T("readers.note.scan-timeout", cmd, int(ScanTimeout/time.Second)))
		return nil
	}
	out := append(append([]byte(nil), res.Stdout...), res.Stderr...)
	list, err := ParseScan(out)
	if errors.Is(err, ErrNoService) {
		pass.Summary(i18n.T("readers.summary.stopped"))
		pass.Report(doctor.Finding{
			Severity: doctor.Warn, Code: "readers.pcscd-unavailable",
			Message:  i18n.T("readers.pcscd-unavailable", cmd, clip(strings.TrimSpace(plainText(out)))),
			Hint:     i18n.T("readers.pcscd-stopped.hint"),
			Commands: []string{EnableCommand, "sudo systemctl restart pcscd"},
			Subject:  Sockets[0],
		})
		return nil
	}
	if err != nil {
		pass.Summary(i18n.T("readers.summary.running"))
		pass.Note(i18n.T("readers.note.scan-failed", cmd, err.Error()))
		return nil
	}
	if len(list) == 0 {
		pass.Summary(i18n.T("readers.summary.none"))
		pass.Note(i18n.T("readers.note.none", cmd))
		return nil
	}
	pass.Summary(i18n.T("readers.summary.readers", len(list)))
	pass.Note(i18n.T("readers.note.readers", strings.Join(list, "; ")))
	return nil
}

// Package is the name of the package that installs pcscd.
func Package(f host.Facts) string {
	if platform.UsesRPM(f) {
		return "pcsc-lite"
	}
	return "pcscd"
}

// EnableCommand starts pcscd's socket now and at every boot.
const EnableCommand = "sudo systemctl enable --now pcscd.socket"

// EnableRepair enables and starts pcscd's socket for `gmu-doctor fix`
// (undo disables it again).
var EnableRepair = doctor.Repair{Kind: doctor.RepairRun, Admin: true,
	Argv:     []string{"/usr/bin/systemctl", "enable", "--now", "pcscd.socket"},
	UndoArgv: []string{"/usr/bin/systemctl", "disable", "--now", "pcscd.socket"}}

// InstallCommands install pcscd and the CCID driver most USB tokens use.
// Package names: Debian and Astra pcscd + libccid (Debian 12, seen);
// RPM distributions pcsc-lite + pcsc-lite-ccid (Fedora/RHEL names; RED OS
// and ALT are inferred to follow them).
func InstallCommands(f host.Facts) []string {
	switch {
	case strings.EqualFold(f.Distro, "altlinux"):
		return []string{"sudo apt-get install -y pcsc-lite pcsc-lite-ccid"}
	case platform.UsesRPM(f):
		return []string{"sudo dnf install -y pcsc-lite pcsc-lite-ccid"}
	}
	return []string{"sudo apt install -y pcscd libccid"}
}

var (
	ansi       = lazyre.New("\x1b\\[[0-9;]*[A-Za-z]")
	readerLine = lazyre.New(`^\s*\d+:\s+(\S.*)$`)
)

// ErrScanUnrecognised is returned for pcsc_scan output that is neither a
// reader list nor a "no reader" answer.
var ErrScanUnrecognised = errors.New("unrecognised pcsc_scan output")

// ErrNoService is returned when pcsc_scan could not reach pcscd
// ("SCardEstablishContext: Service not available.", seen with pcsc-tools
// 1.6.2 while pcscd was not running).
var ErrNoService = errors.New("the PC/SC service is not available")

// ParseScan reads the output of `pcsc_scan -r`: one "N: reader name" line
// per reader ("0: Aktiv Rutoken ECP 00 00"), or "No reader found." when
// PC/SC has none; older pcsc_scan (1.4, 1.5) says "Waiting for the first
// reader..." instead, and "…found one" before the list when a reader comes.
// Colour escapes are ignored. Anything else — an error
// from the PC/SC service, a usage text of an older pcsc_scan — is an error
// that quotes the first line.
func ParseScan(out []byte) ([]string, error) {
	text := plainText(out)
	var list []string
	var first string
	none := false
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if first == "" {
			first = line
		}
		if m := readerLine.FindStringSubmatch(line); m != nil {
			list = append(list, strings.TrimSpace(m[1]))
			continue
		}
		low := strings.ToLower(line)
		if strings.HasPrefix(low, "no reader") || strings.HasPrefix(low, "waiting for the first reader") {
			none = true
		}
		if strings.Contains(low, "service not available") {
			return nil, fmt.Errorf("parse pcsc_scan output: %w: %q", ErrNoService, clip(line))
		}
	}
	if len(list) > 0 || none {
		return list, nil
	}
	if first == "" {
		return nil, fmt.Errorf("parse pcsc_scan output: %w: empty", ErrScanUnrecognised)
	}
	return nil, fmt.Errorf("parse pcsc_scan output: %w: %q", ErrScanUnrecognised, clip(first))
}

// plainText is tool output as valid UTF-8 without colour escapes.
func plainText(out []byte) string {
	return ansi.ReplaceAllString(strings.ToValidUTF8(string(out), "?"), "")
}

// clip shortens a line for a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}
