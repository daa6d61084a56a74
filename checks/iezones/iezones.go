// Package iezones is the ie-zones check: the selected sites are in the
// Internet Explorer «Надёжные сайты» zone (zone 2) and that zone allows
// what signing pages need (ActiveX, scripting, pop-ups). IE settings also
// govern Edge in IE mode and the COM objects the sites create.
package iezones

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Config of the ie-zones check (checks.ie-zones).
type Config struct {
	// Actions maps a zone-2 URL action (hex, "1201") to the values accepted
	// (0 allow, 1 prompt, 3 disallow). The defaults are the usual support
	// advice for signing sites, not an official list.
	Actions map[string][]int `json:"actions"`
}

// DefaultActions: ActiveX (1200, 1201), scripting (1400), cross-domain data
// (1406), pop-up blocker off (1809 = 3), Protected Mode off (2500 = 3).
func DefaultActions() map[string][]int {
	return map[string][]int{
		"1200": {0}, "1201": {0, 1}, "1400": {0}, "1406": {0, 1}, "1809": {3}, "2500": {3},
	}
}

// Check is the ie-zones check.
var Check = &doctor.Check{
	ID:        "ie-zones",
	Title:     i18n.T("check.ie-zones.title"),
	Doc:       i18n.T("check.ie-zones.doc"),
	OS:        []string{"windows"},
	NewConfig: func() any { return &Config{Actions: DefaultActions()} },
	Run:       run,
}

// Registry locations.
const (
	InternetSettings = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	PolicySettings   = `Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings`
	TrustedZone      = 2
)

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg := pass.Config.(*Config)
	sites := pass.Options.Profiles
	if pass.Host.Facts().OS != "windows" {
		return doctor.Skip(i18n.T("ie-zones.skip.os"))
	}
	if !profile.AnyNeeds(sites, profile.NeedIEZone) {
		return doctor.Skip(i18n.T("ie-zones.skip.not-needed"))
	}
	for action := range cfg.Actions {
		if _, err := strconv.ParseUint(action, 16, 16); err != nil {
			return fmt.Errorf("actions: %q is not a hex URL action", action)
		}
		if len(cfg.Actions[action]) == 0 {
			return fmt.Errorf("actions: %q has no accepted values", action)
		}
	}
	r := &reader{ctx: ctx, h: pass.Host, cache: map[string]host.RegKey{}}
	hklmOnly, err := r.dword(`HKLM\`+PolicySettings, "Security_HKLM_only")
	if err != nil {
		return err
	}
	if hklmOnly == 1 {
		pass.Note(i18n.T("ie-zones.note.hklm-only"))
	}
	sev := platform.Severity(sites, profile.NeedIEZone)
	platform.NoteIfInferred(pass, profile.NeedIEZone)
	domains := platform.Domains(sites, profile.NeedIEZone)
	trusted := 0
	for _, d := range domains {
		z, where, err := r.zoneOf(d, hklmOnly == 1)
		if err != nil {
			return err
		}
		switch {
		case z == TrustedZone:
			trusted++
			pass.Note(i18n.T("ie-zones.note.trusted", d, where))
		case z < 0:
			pass.Report(doctor.Finding{
				Severity: sev, Code: "ie-zones.not-trusted",
				Message:  i18n.T("ie-zones.not-trusted", d, zoneMapRoots(hklmOnly == 1)),
				Hint:     i18n.T("ie-zones.not-trusted.hint", d),
				Commands: []string{addCommand(d, hklmOnly == 1)},
				Subject:  domainKey(rootFor(hklmOnly == 1), "Domains", d),
				Repairs:  zoneRepair(d, hklmOnly == 1, ""),
			})
		default:
			pass.Report(doctor.Finding{
				Severity: sev, Code: "ie-zones.wrong-zone",
				Message:  i18n.T("ie-zones.wrong-zone", d, z, where),
				Hint:     i18n.T("ie-zones.not-trusted.hint", d),
				Commands: []string{addCommand(d, hklmOnly == 1)},
				Subject:  where,
				Repairs:  zoneRepair(d, hklmOnly == 1, where),
			})
		}
	}
	pass.Summary(i18n.T("ie-zones.summary", trusted, len(domains)))
	return checkActions(pass, r, cfg, hklmOnly == 1)
}

// reader caches registry keys.
type reader struct {
	ctx   context.Context
	h     host.Host
	cache map[string]host.RegKey
}

func (r *reader) key(p string) (host.RegKey, error) {
	if k, ok := r.cache[p]; ok {
		return k, nil
	}
	k, err := r.h.RegistryKey(r.ctx, p, host.RegViewDefault)
	if err != nil {
		return k, fmt.Errorf("read IE settings: %w", err)
	}
	r.cache[p] = k
	return k, nil
}

// dword returns a DWORD value, -1 when absent.
func (r *reader) dword(p, name string) (int, error) {
	k, err := r.key(p)
	if err != nil || !k.Exists {
		return -1, err
	}
	v, ok := k.Value(name)
	if !ok {
		return -1, nil
	}
	switch v.Type {
	case host.RegDWORD, host.RegQWORD:
		return int(v.Integer), nil
	case host.RegSZ, host.RegExpandSZ:
		if n, err := strconv.Atoi(strings.TrimSpace(v.String)); err == nil {
			return n, nil
		}
	}
	return -1, nil
}

func rootFor(hklmOnly bool) string {
	if hklmOnly {
		return "HKLM"
	}
	return "HKCU"
}

func zoneMapRoots(hklmOnly bool) string {
	if hklmOnly {
		return `HKLM\` + InternetSettings + `\ZoneMap`
	}
	return `HKCU|HKLM\` + InternetSettings + `\ZoneMap`
}

// split turns "bus.gov.ru" into the ZoneMap layout: key "gov.ru", subkey
// "bus" (empty for a two-label domain).
func split(domain string) (base, sub string) {
	labels := strings.Split(domain, ".")
	if len(labels) <= 2 {
		return domain, ""
	}
	return strings.Join(labels[len(labels)-2:], "."), strings.Join(labels[:len(labels)-2], ".")
}

func domainKey(root, tree, domain string) string {
	base, sub := split(domain)
	k := root + `\` + InternetSettings + `\ZoneMap\` + tree + `\` + base
	if sub != "" {
		k += `\` + sub
	}
	return k
}

func addCommand(domain string, hklmOnly bool) string {
	return `reg add "` + domainKey(rootFor(hklmOnly), "Domains", domain) + `" /v https /t REG_DWORD /d 2 /f`
}

// zoneRepair maps the domain's https to zone 2 for `gmu-doctor fix`;
// none when Group Policy decides the zone (where is a policy key).
func zoneRepair(domain string, hklmOnly bool, where string) []doctor.Repair {
	if strings.Contains(where, `\Policies\`) {
		return nil
	}
	return []doctor.Repair{{Kind: doctor.RepairSetRegValue, Key: domainKey(rootFor(hklmOnly), "Domains", domain),
		Value: &host.RegValue{Name: "https", Type: host.RegDWORD, Integer: TrustedZone}}}
}

// zoneOf returns the zone a domain is mapped to (-1: none) and where.
// Group Policy's ZoneMapKey wins over the user's and the machine's maps.
func (r *reader) zoneOf(domain string, hklmOnly bool) (int, string, error) {
	for _, root := range []string{"HKLM", "HKCU"} {
		if hklmOnly && root == "HKCU" {
			continue
		}
		p := root + `\` + PolicySettings + `\ZoneMapKey`
		k, err := r.key(p)
		if err != nil {
			return -1, "", err
		}
		for _, v := range k.Values {
			if platform.Covers(v.Name, domain) {
				if n, err := strconv.Atoi(strings.TrimSpace(v.Text())); err == nil {
					return n, p + ` "` + v.Name + `"`, nil
				}
			}
		}
	}
	roots := []string{"HKCU", "HKLM"}
	if hklmOnly {
		roots = []string{"HKLM"}
	}
	for _, root := range roots {
		for _, tree := range []string{"Domains", "EscDomains"} {
			z, where, err := r.mapped(root, tree, domain)
			if err != nil || z >= 0 {
				return z, where, err
			}
		}
	}
	return -1, "", nil
}

// mapped looks the domain up in one ZoneMap tree. A host may be stored
// whole (Domains\zakupki.gov.ru, as IE's Trusted sites dialog and many
// set-up scripts write it) or split by its registrable domain
// (Domains\gov.ru\zakupki); within the split form: the exact entry, a "*"
// wildcard subkey, and the parent domain's own entry.
func (r *reader) mapped(root, tree, domain string) (int, string, error) {
	treeKey := root + `\` + InternetSettings + `\ZoneMap\` + tree
	tk, err := r.key(treeKey)
	if err != nil || !tk.Exists {
		return -1, "", err
	}
	base, sub := split(domain)
	if sub != "" && tk.HasSubKey(domain) {
		if z, where, err := r.protoZone(treeKey + `\` + domain); err != nil || z >= 0 {
			return z, where, err
		}
	}
	if !tk.HasSubKey(base) {
		return -1, "", nil
	}
	baseKey := treeKey + `\` + base
	bk, err := r.key(baseKey)
	if err != nil || !bk.Exists {
		return -1, "", err
	}
	var cands []string
	if sub != "" {
		// bus.gov.ru: gov.ru\bus, then wildcards gov.ru\*, then gov.ru itself.
		parts := strings.Split(sub, ".")
		for i := range parts {
			name := strings.Join(parts[i:], ".")
			if bk.HasSubKey(name) {
				cands = append(cands, baseKey+`\`+name)
			}
		}
	}
	if bk.HasSubKey("*") {
		cands = append(cands, baseKey+`\*`)
	}
	cands = append(cands, baseKey)
	for _, p := range cands {
		if z, where, err := r.protoZone(p); err != nil || z >= 0 {
			return z, where, err
		}
	}
	return -1, "", nil
}

// protoZone reads the zone an entry maps https (or every protocol, "*") to;
// -1 when it maps neither.
func (r *reader) protoZone(p string) (int, string, error) {
	k, err := r.key(p)
	if err != nil {
		return -1, "", err
	}
	for _, proto := range []string{"https", "*"} {
		if v, ok := k.Value(proto); ok && (v.Type == host.RegDWORD || v.Type == host.RegQWORD) {
			return int(v.Integer), p, nil
		}
	}
	return -1, "", nil
}

// checkActions compares the effective zone-2 URL actions with the config.
func checkActions(pass *doctor.Pass, r *reader, cfg *Config, hklmOnly bool) error {
	names := make([]string, 0, len(cfg.Actions))
	for a := range cfg.Actions {
		names = append(names, a)
	}
	sort.Strings(names)
	order := []string{
		`HKLM\` + PolicySettings + `\Zones\2`,
		`HKCU\` + PolicySettings + `\Zones\2`,
		`HKCU\` + InternetSettings + `\Zones\2`,
		`HKLM\` + InternetSettings + `\Zones\2`,
	}
	if hklmOnly {
		order = []string{order[0], order[3]}
	}
	for _, a := range names {
		want := cfg.Actions[a]
		val, where := -1, ""
		for _, p := range order {
			n, err := r.dword(p, strings.ToUpper(a))
			if err != nil {
				return err
			}
			if n >= 0 {
				val, where = n, p
				break
			}
		}
		if val < 0 {
			pass.Note(i18n.T("ie-zones.note.action-unset", a))
			continue
		}
		if containsInt(want, val) {
			continue
		}
		policy := strings.Contains(where, `\Policies\`)
		hint := i18n.T("ie-zones.action.hint", a)
		if policy {
			hint = i18n.T("ie-zones.action.hint.policy", a)
		}
		target := `HKCU\` + InternetSettings + `\Zones\2`
		if hklmOnly {
			target = `HKLM\` + InternetSettings + `\Zones\2`
		}
		f := doctor.Finding{
			Severity: doctor.Warn, Code: "ie-zones.action",
			Message:  i18n.T("ie-zones.action", a, actionName(a), val, ints(want), where),
			Hint:     hint,
			Commands: []string{`reg add "` + target + `" /v ` + strings.ToUpper(a) + ` /t REG_DWORD /d ` + strconv.Itoa(want[0]) + ` /f`},
			Subject:  where,
		}
		if !policy {
			f.Repairs = []doctor.Repair{{Kind: doctor.RepairSetRegValue, Key: target,
				Value: &host.RegValue{Name: strings.ToUpper(a), Type: host.RegDWORD, Integer: uint64(want[0])}}}
		}
		pass.Report(f)
	}
	return nil
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func ints(list []int) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "/")
}

// known URL actions with a name in the catalogue.
var known = map[string]bool{"1200": true, "1201": true, "1400": true, "1406": true, "1809": true, "2500": true}

func actionName(a string) i18n.Text {
	if known[strings.ToUpper(a)] {
		return i18n.T("ie-zones.action." + strings.ToLower(a))
	}
	return i18n.Raw(a)
}
