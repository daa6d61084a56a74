package fix

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// ExportFormats are the script formats of --export.
var ExportFormats = []string{"sh", "cmd", "ps1"}

// ExportOptions say what the script is for.
type ExportOptions struct {
	Lang i18n.Lang
	// Arch is the CryptoPro directory of the target (amd64, ia32 …) for sh.
	Arch string
	// Generated is a line saying by what and when.
	Generated string
}

// Export writes the plan as a standalone script: certificates embedded
// (base64), each step idempotent (safe to run again), stopping at the first
// failure. Manual and unverifiable steps become comments. The script is
// meant to be run with the rights the steps need (Administrator, root).
func Export(w io.Writer, p *Plan, format string, o ExportOptions) error {
	var e exporter
	switch format {
	case "sh":
		e = &shExport{arch: o.Arch}
	case "cmd":
		e = &cmdExport{}
	case "ps1":
		e = &psExport{}
	default:
		return fmt.Errorf("unknown export format %q (want %s)", format, strings.Join(ExportFormats, ", "))
	}
	var b strings.Builder
	e.header(&b, p, o)
	for _, s := range p.Steps {
		e.comment(&b, fmt.Sprintf("step %d [%s] %s", s.N, s.Code, s.Describe(o.Lang)))
		e.comment(&b, "  "+oneLine(s.Finding))
		if s.Skip == SkipManual || s.Skip == SkipUnverified || s.Skip == SkipRemoveExpired {
			e.comment(&b, "  "+i18n.T("fix.export.not-scripted", s.Skip).In(o.Lang))
			continue
		}
		if err := e.step(&b, s); err != nil {
			return fmt.Errorf("export step %d: %w", s.N, err)
		}
	}
	e.footer(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

type exporter interface {
	header(b *strings.Builder, p *Plan, o ExportOptions)
	comment(b *strings.Builder, s string)
	step(b *strings.Builder, s *Step) error
	footer(b *strings.Builder)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// wrap64 splits base64 text into lines of 64 characters.
func wrap64(der []byte) []string {
	s := base64.StdEncoding.EncodeToString(der)
	var out []string
	for len(s) > 64 {
		out = append(out, s[:64])
		s = s[64:]
	}
	return append(out, s)
}

// CertBlobFor is the registry Blob CryptoAPI keeps for a certificate
// without properties (CERT_CERT_PROP_ID only).
func CertBlobFor(der []byte) []byte {
	h := make([]byte, 12)
	binary.LittleEndian.PutUint32(h[0:], 32)
	binary.LittleEndian.PutUint32(h[4:], 1)
	binary.LittleEndian.PutUint32(h[8:], uint32(len(der)))
	return append(h, der...)
}

// StoreRegKey is the registry key of a certificate in a system store.
func StoreRegKey(loc host.StoreLocation, store host.StoreName, sha1 string) string {
	root := `HKCU\Software`
	if loc == host.LocalMachine {
		root = `HKLM\SOFTWARE`
	}
	return root + `\Microsoft\SystemCertificates\` + string(store) + `\Certificates\` + strings.ToUpper(sha1)
}

// ---------------------------------------------------------------- sh

type shExport struct{ arch string }

func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (e *shExport) header(b *strings.Builder, p *Plan, o ExportOptions) {
	b.WriteString("#!/bin/sh\n")
	e.comment(b, "gmu-doctor fix plan for "+p.Host+" ("+p.OS+"). "+o.Generated)
	e.comment(b, "Idempotent: every step checks the current state first. Stops at the first failure.")
	b.WriteString("set -eu\numask 022\ngmu_tmp=$(mktemp -d)\ntrap 'rm -rf \"$gmu_tmp\"' EXIT\n\n")
	if e.arch == "" {
		e.arch = "amd64"
	}
}

func (e *shExport) comment(b *strings.Builder, s string) { b.WriteString("# " + s + "\n") }

func (e *shExport) certFile(b *strings.Builder, der []byte, sha string) string {
	f := `"$gmu_tmp/` + sha + `.cer"`
	b.WriteString("base64 -d > " + f + " <<'GMU_CERT'\n" + strings.Join(wrap64(der), "\n") + "\nGMU_CERT\n")
	return f
}

func (e *shExport) step(b *strings.Builder, s *Step) error {
	r := s.Repair
	certmgr := cprocsp.BinDir(e.arch) + "/certmgr"
	switch r.Kind {
	case doctor.RepairAddCert:
		if r.Location == host.SystemBundle {
			b.WriteString("{ printf '%s\\n' '-----BEGIN CERTIFICATE-----'\n")
			for _, l := range wrap64(r.DER) {
				b.WriteString("  printf '%s\\n' '" + l + "'\n")
			}
			b.WriteString("  printf '%s\\n' '-----END CERTIFICATE-----'; } > \"$gmu_tmp/anchor.pem\"\n")
			name := "gmu-doctor-" + strings.ToLower(r.SHA1)
			b.WriteString("if [ -d /usr/local/share/ca-certificates ] && command -v update-ca-certificates >/dev/null; then\n" +
				"  cmp -s \"$gmu_tmp/anchor.pem\" /usr/local/share/ca-certificates/" + name + ".crt || { cp \"$gmu_tmp/anchor.pem\" /usr/local/share/ca-certificates/" + name + ".crt; update-ca-certificates; }\n" +
				"elif [ -d /etc/pki/ca-trust/source/anchors ] && command -v update-ca-trust >/dev/null; then\n" +
				"  cmp -s \"$gmu_tmp/anchor.pem\" /etc/pki/ca-trust/source/anchors/" + name + ".pem || { cp \"$gmu_tmp/anchor.pem\" /etc/pki/ca-trust/source/anchors/" + name + ".pem; update-ca-trust extract; }\n" +
				"else echo 'gmu-doctor: no update-ca-certificates or update-ca-trust' >&2; exit 1; fi\n\n")
			return nil
		}
		f := e.certFile(b, r.DER, r.SHA1)
		st := cprocsp.StoreArg(r.Location == host.LocalMachine, string(r.Store))
		b.WriteString("if ! " + certmgr + " -list -store " + st + " 2>/dev/null | grep -qi " + r.SHA1 + "; then\n  " +
			certmgr + " -inst -store " + st + " -file " + f + "\nfi\n\n")
	case doctor.RepairRemoveCert:
		st := cprocsp.StoreArg(r.Location == host.LocalMachine, string(r.Store))
		b.WriteString("if " + certmgr + " -list -store " + st + " 2>/dev/null | grep -qi " + r.SHA1 + "; then\n  " +
			certmgr + " -delete -store " + st + " -thumbprint " + strings.ToLower(r.SHA1) + "\nfi\n\n")
	case doctor.RepairRun:
		q := make([]string, len(r.Argv))
		for i, a := range r.Argv {
			q[i] = shq(a)
		}
		b.WriteString(strings.Join(q, " ") + "\n\n")
	case doctor.RepairRemoveDir:
		if r.Process != "" {
			b.WriteString("if pgrep -x " + shq(r.Process) + " >/dev/null 2>&1; then echo " + shq("gmu-doctor: close "+r.Process+" first") + " >&2; exit 1; fi\n")
		}
		b.WriteString("rm -rf -- " + shq(r.Path) + "\n\n")
	default:
		return fmt.Errorf("%s cannot be scripted for Linux", r.Kind)
	}
	return nil
}

func (e *shExport) footer(b *strings.Builder) { b.WriteString("echo 'gmu-doctor: plan applied'\n") }

// ---------------------------------------------------------------- cmd

type cmdExport struct{}

func (e *cmdExport) header(b *strings.Builder, p *Plan, o ExportOptions) {
	b.WriteString("@echo off\r\n")
	e.comment(b, "gmu-doctor fix plan for "+p.Host+" ("+p.OS+"). "+o.Generated)
	e.comment(b, "Idempotent: safe to run again. Stops at the first failure (exit code 1).")
	b.WriteString("setlocal\r\nset \"GMU_TMP=%TEMP%\\gmu-doctor-fix\"\r\nif not exist \"%GMU_TMP%\" mkdir \"%GMU_TMP%\"\r\n\r\n")
}

func (e *cmdExport) comment(b *strings.Builder, s string) {
	// (cmd treats % and ^ specially even in rem lines' arguments of echo;
	// rem itself is safe, but keep the line free of line breaks)
	b.WriteString("rem " + strings.NewReplacer("\r", " ", "\n", " ").Replace(s) + "\r\n")
}

// cmdq quotes a value for cmd (no expansion of %: doubled).
func cmdq(s string) string { return `"` + strings.ReplaceAll(s, "%", "%%") + `"` }

func regView(v host.RegView) string {
	switch v {
	case host.RegView32:
		return " /reg:32"
	case host.RegView64:
		return " /reg:64"
	}
	return ""
}

func (e *cmdExport) step(b *strings.Builder, s *Step) error {
	r := s.Repair
	fail := "if errorlevel 1 goto gmu_failed\r\n\r\n"
	switch r.Kind {
	case doctor.RepairAddCert:
		if r.Location == host.SystemBundle {
			return fmt.Errorf("the Linux system bundle cannot be scripted for Windows")
		}
		f := `"%GMU_TMP%\` + r.SHA1 + `.cer"`
		// (redirection first: a line ending in a digit must not become a
		// stream number)
		b.WriteString(">" + f + " echo -----BEGIN CERTIFICATE-----\r\n")
		for _, l := range wrap64(r.DER) {
			b.WriteString(">>" + f + " echo " + l + "\r\n")
		}
		b.WriteString(">>" + f + " echo -----END CERTIFICATE-----\r\n")
		user := ""
		if r.Location == host.CurrentUser {
			user = "-user "
		}
		// The store's registry entry is both the test of "already there"
		// and the proof that certutil worked; where certutil is missing or
		// does nothing (Windows PE, Wine's stub) the entry is written as
		// CryptoAPI itself writes it.
		key := cmdq(StoreRegKey(r.Location, r.Store, r.SHA1))
		blob := fmt.Sprintf("%X", CertBlobFor(r.DER))
		b.WriteString("reg query " + key + " /v Blob >nul 2>&1\r\nif errorlevel 1 (\r\n" +
			"  if exist \"%SystemRoot%\\System32\\certutil.exe\" certutil -f " + user + "-addstore " + string(r.Store) + " " + f + " >nul\r\n" +
			"  reg query " + key + " /v Blob >nul 2>&1\r\n")
		if len(blob) <= 7000 {
			b.WriteString("  if errorlevel 1 reg add " + key + " /v Blob /t REG_BINARY /d " + blob + " /f >nul\r\n")
		}
		b.WriteString(")\r\nreg query " + key + " /v Blob >nul 2>&1\r\n" + fail)
	case doctor.RepairRemoveCert:
		k := cmdq(StoreRegKey(r.Location, r.Store, r.SHA1))
		user := ""
		if r.Location == host.CurrentUser {
			user = "-user "
		}
		b.WriteString("reg query " + k + " >nul 2>&1\r\nif not errorlevel 1 (\r\n" +
			"  if exist \"%SystemRoot%\\System32\\certutil.exe\" certutil " + user + "-delstore " + string(r.Store) + " " + r.SHA1 + " >nul\r\n" +
			"  reg query " + k + " >nul 2>&1\r\n  if not errorlevel 1 reg delete " + k + " /f >nul\r\n)\r\n" +
			"reg query " + k + " >nul 2>&1\r\nif not errorlevel 1 goto gmu_failed\r\n\r\n")
	case doctor.RepairSetRegValue:
		v := r.Value
		if v == nil {
			return fmt.Errorf("no value")
		}
		var data string
		switch v.Type {
		case host.RegDWORD, host.RegQWORD:
			data = strconv.FormatUint(v.Integer, 10)
		case host.RegSZ, host.RegExpandSZ:
			data = v.String
		case host.RegMultiSZ:
			data = strings.Join(v.Strings, `\0`)
		case host.RegBinary:
			data = fmt.Sprintf("%X", v.Binary)
		default:
			return fmt.Errorf("type %s", v.Type)
		}
		name := "/v " + cmdq(v.Name)
		if v.Name == "" {
			name = "/ve"
		}
		b.WriteString("reg add " + cmdq(r.Key) + " " + name + " /t " + string(v.Type) + " /d " + cmdq(data) + " /f" + regView(r.View) + " >nul\r\n" + fail)
	case doctor.RepairRun:
		q := make([]string, len(r.Argv))
		for i, a := range r.Argv {
			q[i] = a
			if strings.ContainsAny(a, " &|<>^()%") {
				q[i] = cmdq(a)
			}
		}
		b.WriteString(strings.Join(q, " ") + "\r\n" + fail)
	case doctor.RepairRemoveDir:
		if r.Process != "" {
			b.WriteString("tasklist /fi \"imagename eq " + r.Process + "\" 2>nul | find /i " + cmdq(r.Process) + " >nul\r\nif not errorlevel 1 (echo gmu-doctor: close " + r.Process + " first 1>&2 & goto gmu_failed)\r\n")
		}
		b.WriteString("if exist " + cmdq(r.Path) + " rmdir /s /q " + cmdq(r.Path) + "\r\n" + fail)
	default:
		return fmt.Errorf("%s cannot be scripted for Windows", r.Kind)
	}
	return nil
}

func (e *cmdExport) footer(b *strings.Builder) {
	b.WriteString("rmdir /s /q \"%GMU_TMP%\" 2>nul\r\necho gmu-doctor: plan applied\r\nexit /b 0\r\n:gmu_failed\r\nrmdir /s /q \"%GMU_TMP%\" 2>nul\r\necho gmu-doctor: a step failed 1>&2\r\nexit /b 1\r\n")
}

// ---------------------------------------------------------------- ps1

type psExport struct{}

func psq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (e *psExport) header(b *strings.Builder, p *Plan, o ExportOptions) {
	e.comment(b, "gmu-doctor fix plan for "+p.Host+" ("+p.OS+"). "+o.Generated)
	e.comment(b, "Idempotent: safe to run again. Stops at the first failure.")
	b.WriteString("$ErrorActionPreference = 'Stop'\r\n\r\n")
}

func (e *psExport) comment(b *strings.Builder, s string) {
	b.WriteString("# " + strings.NewReplacer("\r", " ", "\n", " ").Replace(s) + "\r\n")
}

func psRegPath(key string) string {
	root, sub := host.SplitRegPath(key)
	return root + `:\` + sub
}

func (e *psExport) step(b *strings.Builder, s *Step) error {
	r := s.Repair
	switch r.Kind {
	case doctor.RepairAddCert:
		if r.Location == host.SystemBundle {
			return fmt.Errorf("the Linux system bundle cannot be scripted for Windows")
		}
		b.WriteString("$der = [Convert]::FromBase64String(" + psq(strings.Join(wrap64(r.DER), "")) + ")\r\n")
		b.WriteString("$cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2(,$der)\r\n")
		b.WriteString("$store = New-Object System.Security.Cryptography.X509Certificates.X509Store(" + psq(string(r.Store)) + ", " + psq(string(r.Location)) + ")\r\n")
		b.WriteString("$store.Open('ReadWrite')\r\nif ($store.Certificates.Find('FindByThumbprint', " + psq(r.SHA1) + ", $false).Count -eq 0) { $store.Add($cert) }\r\n$store.Close()\r\n\r\n")
	case doctor.RepairRemoveCert:
		b.WriteString("$store = New-Object System.Security.Cryptography.X509Certificates.X509Store(" + psq(string(r.Store)) + ", " + psq(string(r.Location)) + ")\r\n")
		b.WriteString("$store.Open('ReadWrite')\r\nforeach ($c in $store.Certificates.Find('FindByThumbprint', " + psq(r.SHA1) + ", $false)) { $store.Remove($c) }\r\n$store.Close()\r\n\r\n")
	case doctor.RepairSetRegValue:
		v := r.Value
		if v == nil {
			return fmt.Errorf("no value")
		}
		var typ, val string
		switch v.Type {
		case host.RegDWORD:
			typ, val = "DWord", strconv.FormatUint(v.Integer, 10)
		case host.RegQWORD:
			typ, val = "QWord", strconv.FormatUint(v.Integer, 10)
		case host.RegSZ:
			typ, val = "String", psq(v.String)
		case host.RegExpandSZ:
			typ, val = "ExpandString", psq(v.String)
		case host.RegMultiSZ:
			q := make([]string, len(v.Strings))
			for i, x := range v.Strings {
				q[i] = psq(x)
			}
			typ, val = "MultiString", "@("+strings.Join(q, ", ")+")"
		default:
			return fmt.Errorf("type %s", v.Type)
		}
		if r.View == host.RegView32 {
			return fmt.Errorf("the 32-bit registry view is not scripted for PowerShell")
		}
		p := psq(psRegPath(r.Key))
		b.WriteString("if (-not (Test-Path -LiteralPath " + p + ")) { New-Item -Path " + p + " -Force | Out-Null }\r\n")
		b.WriteString("New-ItemProperty -LiteralPath " + p + " -Name " + psq(v.Name) + " -PropertyType " + typ + " -Value " + val + " -Force | Out-Null\r\n\r\n")
	case doctor.RepairRun:
		q := make([]string, len(r.Argv))
		for i, a := range r.Argv {
			q[i] = psq(a)
		}
		b.WriteString("& " + strings.Join(q, " ") + "\r\nif ($LASTEXITCODE -ne 0) { throw " + psq("gmu-doctor: step "+strconv.Itoa(s.N)+" failed") + " }\r\n\r\n")
	case doctor.RepairRemoveDir:
		if r.Process != "" {
			b.WriteString("if (Get-Process -Name " + psq(strings.TrimSuffix(r.Process, ".exe")) + " -ErrorAction SilentlyContinue) { throw " + psq("gmu-doctor: close "+r.Process+" first") + " }\r\n")
		}
		b.WriteString("if (Test-Path -LiteralPath " + psq(r.Path) + ") { Remove-Item -LiteralPath " + psq(r.Path) + " -Recurse -Force }\r\n\r\n")
	default:
		return fmt.Errorf("%s cannot be scripted for Windows", r.Kind)
	}
	return nil
}

func (e *psExport) footer(b *strings.Builder) {
	b.WriteString("Write-Output 'gmu-doctor: plan applied'\r\n")
}
