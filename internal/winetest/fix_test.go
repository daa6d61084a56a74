package winetest

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// The `gmu-doctor fix` tests under Wine: real CryptoAPI stores and the
// real registry. For each workstation: a dry run changes nothing; fix --yes
// makes the checks pass; a second fix --yes changes nothing; --undo brings
// the stores and the registry back byte for byte; the exported .cmd run by
// Wine's cmd on the undone workstation reaches the same end state; the
// .ps1 embeds the same certificates.

// fixKeys are the registry trees compared before and after (reg export).
var fixKeys = []string{
	`HKLM\SOFTWARE\Microsoft\SystemCertificates`,
	`HKCU\Software\Microsoft\SystemCertificates`,
	`HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap`,
	`HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\Zones`,
	`HKCU\Software\Crypto Pro`,
}

// regState exports the compared trees (UTF-16 .reg text, decoded); an
// absent key is recorded as such.
func regState(t *testing.T, p *Prefix) map[string]string {
	t.Helper()
	out := map[string]string{}
	for i, k := range fixKeys {
		f := filepath.Join(p.Dir, "state-"+string(rune('a'+i))+".reg")
		os.Remove(f)
		res, err := p.Run(context.Background(), time.Minute, "reg", "export", k, HostPath(f), "/y")
		if err != nil {
			t.Fatal(err)
		}
		b, rerr := os.ReadFile(f)
		if res.ExitCode != 0 || rerr != nil {
			out[k] = "(absent)"
			continue
		}
		out[k] = decodeRegExport(b)
	}
	return out
}

func decodeRegExport(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		b = b[2:]
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return string(utf16.Decode(u))
	}
	return string(b)
}

func diffState(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for _, k := range fixKeys {
		if want[k] != got[k] {
			t.Errorf("%s: %s differs:\n%s", what, k, lineDiff(want[k], got[k]))
		}
	}
}

var keyLine = regexp.MustCompile(`(?m)^\[([^\]]*\\Certificates\\[0-9A-F]{40})\]`)

// certKeys lists the certificate entries of the exported store trees.
func certKeys(st map[string]string) []string {
	var out []string
	for _, k := range fixKeys[:2] {
		for _, m := range keyLine.FindAllStringSubmatch(st[k], -1) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// zonesMissing is a workstation like the healthy one without the sites in
// IE's trusted zone and without the plug-in's trusted sites.
func zonesMissing(t *testing.T) *workstation {
	c := loadCerts(t)
	ws := &workstation{name: "fix-zones", files: map[string][]byte{}, fileSizes: map[string]int64{}, checks: map[string]checkWant{}}
	plantCSP(ws)
	ws.reg.Drop(zoneDomains)
	ws.reg.Drop(`HKCU\Software\Crypto Pro\CAdESplugin`)
	ws.reg.AddCert(host.LocalMachine, host.StoreRoot, c.root, nil)
	ws.reg.AddCert(host.LocalMachine, host.StoreCA, c.ca, nil)
	ws.reg.AddCert(host.CurrentUser, host.StoreMy, c.leaf, gostKey)
	ws.checks["ie-zones"] = checkWant{statuses: []string{"ok"}}
	ws.checks["plugin"] = checkWant{statuses: []string{"ok"}}
	return ws
}

func TestWineFix(t *testing.T) {
	s := getSuite(t)
	if s.doctor != nil {
		t.Skip(s.doctor)
	}
	exe, ok := s.exes["doctor-go126"]
	if !ok {
		t.Fatalf("doctor-go126: %v", s.buildErr["doctor-go126"])
	}
	var noCA *workstation
	for _, ws := range workstations(t) {
		if ws.name == "no-intermediate" {
			noCA = ws
		}
	}
	noCA.name = "fix-no-intermediate"
	cases := []struct {
		ws     *workstation
		ids    []string // checks fixed and asserted
		before map[string]string
		codes  []string // finding codes the plan must name
	}{
		{ws: noCA, ids: []string{"chain"}, codes: []string{"chain.incomplete"}},
		{ws: zonesMissing(t), ids: []string{"ie-zones", "plugin"}, codes: []string{"ie-zones.not-trusted", "plugin.site-not-trusted"}},
	}
	for _, c := range cases {
		c := c
		t.Run(c.ws.name, func(t *testing.T) {
			t.Parallel()
			runFixWorkstation(t, s, exe, c.ws, c.ids, c.codes)
		})
	}
}

func runFixWorkstation(t *testing.T, s *suite, exe string, ws *workstation, ids, codes []string) {
	ctx := context.Background()
	p, err := s.wine.Clone(ctx, s.template, ws.name)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(os.Getenv("GMU_WINE_KEEP") == "1")
	plantWorkstation(ctx, t, p, ws)
	journal := filepath.Join(p.Dir, "journal-home")
	p.Env = append(p.Env, "LOCALAPPDATA="+HostPath(journal))
	base := []string{"--site", "gmu", "--at", judgedAt, "--lang", "en"}
	doctor := func(args ...string) Result {
		t.Helper()
		res, err := p.Run(ctx, 3*time.Minute, exe, append(args, base...)...)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	check := func(what string, wantOK bool) {
		t.Helper()
		got := runCheck(t, p, exe, append(append([]string{"check"}, ids...), append(base, "--format", "json")...)...)
		for _, id := range ids {
			if ok := got[id].status == "ok"; ok != wantOK {
				t.Errorf("%s: check %s is %s %v", what, id, got[id].status, got[id].codes)
			}
		}
	}

	// The first check lets CryptoAPI create the empty stores it always
	// creates; from then on only fix may change anything.
	check("before", false)
	before := regState(t, p)

	res := doctor(append([]string{"fix", "--dry-run"}, ids...)...)
	plan := string(res.Stdout)
	for _, c := range codes {
		if !strings.Contains(plan, "["+c+"]") {
			t.Errorf("dry run: no step for %s in\n%s%s", c, plan, res.Stderr)
		}
	}
	diffState(t, "after --dry-run", before, regState(t, p))

	res = doctor(append([]string{"fix", "--yes"}, ids...)...)
	if res.ExitCode != 0 {
		t.Fatalf("fix --yes: exit code %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	t.Logf("fix --yes:\n%s", res.Stdout)
	check("after fix --yes", true)
	fixed := regState(t, p)

	res = doctor(append([]string{"fix", "--yes"}, ids...)...)
	if res.ExitCode != 0 || !strings.Contains(string(res.Stdout), "Nothing to repair") {
		t.Errorf("second fix --yes: exit code %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	diffState(t, "after the second fix --yes", fixed, regState(t, p))

	res = doctor("fix", "--undo", "--yes")
	if res.ExitCode != 0 {
		t.Fatalf("fix --undo: exit code %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	diffState(t, "after fix --undo", before, regState(t, p))
	check("after undo", false)

	// The exported scripts, made on the undone workstation: the .ps1 (no
	// PowerShell on Debian) embeds exactly the certificates the plan
	// installs; the .cmd run twice by Wine's cmd reaches the end state of
	// fix --yes.
	ps := filepath.Join(p.Dir, "fix.ps1")
	res = doctor(append([]string{"fix", "--export", "ps1", "-o", HostPath(ps)}, ids...)...)
	if res.ExitCode != 0 {
		t.Fatalf("fix --export ps1: exit code %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	text, err := os.ReadFile(ps)
	if err != nil {
		t.Fatal(err)
	}
	var embedded []string
	for _, m := range psCert.FindAllSubmatch(text, -1) {
		der, err := base64.StdEncoding.DecodeString(string(m[1]))
		if err != nil {
			t.Fatalf("fix.ps1: embedded certificate does not decode: %v", err)
		}
		embedded = append(embedded, host.Thumbprint(der))
	}
	var installed []string
	for _, k := range certKeys(fixed) {
		if !contains(certKeys(before), k) {
			installed = append(installed, k[len(k)-40:])
		}
	}
	sort.Strings(embedded)
	sort.Strings(installed)
	if strings.Join(embedded, " ") != strings.Join(installed, " ") {
		t.Errorf("fix.ps1 embeds %v, fix --yes installed %v", embedded, installed)
	}
	if !bytes.Contains(text, []byte("$ErrorActionPreference = 'Stop'")) {
		t.Error("fix.ps1 does not stop on errors")
	}

	script := filepath.Join(p.Dir, "fix.cmd")
	res = doctor(append([]string{"fix", "--export", "cmd", "-o", HostPath(script)}, ids...)...)
	if res.ExitCode != 0 {
		t.Fatalf("fix --export cmd: exit code %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	for i := 0; i < 2; i++ { // twice: the script is idempotent
		run, err := p.Run(ctx, 2*time.Minute, "cmd", "/c", HostPath(script))
		if err != nil {
			t.Fatal(err)
		}
		if run.ExitCode != 0 {
			t.Fatalf("fix.cmd run %d: exit code %d\n%s%s", i+1, run.ExitCode, run.Stdout, run.Stderr)
		}
	}
	byScript := regState(t, p)
	check("after fix.cmd", true)
	for _, k := range fixKeys[2:] {
		if byScript[k] != fixed[k] {
			t.Errorf("fix.cmd: %s differs from fix --yes:\n%s", k, lineDiff(fixed[k], byScript[k]))
		}
	}
	if a, b := strings.Join(certKeys(fixed), "\n"), strings.Join(certKeys(byScript), "\n"); a != b {
		t.Errorf("fix.cmd: certificate entries differ from fix --yes:\n%s\n---\n%s", a, b)
	}
}

var psCert = regexp.MustCompile(`FromBase64String\('([A-Za-z0-9+/=]+)'\)`)

// lineDiff shows the lines only one side has (a few of each).
func lineDiff(want, got string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	w, g := count(want), count(got)
	var b strings.Builder
	n := 0
	for _, l := range strings.Split(want, "\n") {
		if g[l] < w[l] && n < 12 {
			b.WriteString("- " + l + "\n")
			n++
			g[l]++
		}
	}
	w2, g2 := count(want), count(got)
	n = 0
	for _, l := range strings.Split(got, "\n") {
		if w2[l] < g2[l] && n < 12 {
			b.WriteString("+ " + l + "\n")
			n++
			w2[l]++
		}
	}
	return b.String()
}
