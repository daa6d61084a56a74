// Package diff compares two workstations — two snapshots, or this
// computer and a snapshot — and keeps only what matters for signing: the
// checks whose status differs, certificates in a store on one side and not
// the other, the CSP, plug-in, browser and OS versions the checks saw, the
// IE zone settings, and every other registry value the checks read. It is
// the "works on her machine, not on his" tool: GOOD is the machine that
// signs, BAD the one that does not.
package diff

import (
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// Side is one workstation: the snapshot of what the checks read, and the
// report of the checks run on it.
type Side struct {
	// Label names the side in the output: a file name, or "live".
	Label  string
	Snap   *host.Snapshot
	Report *doctor.Report
}

// Result lists the differences. Every list is sorted and never nil.
type Result struct {
	Good         string      `json:"good"`
	Bad          string      `json:"bad"`
	GoodHost     string      `json:"good_host"`
	BadHost      string      `json:"bad_host"`
	Checks       []CheckDiff `json:"checks"`
	Versions     []ValueDiff `json:"versions"`
	Certificates []CertDiff  `json:"certificates"`
	Zones        []RegDiff   `json:"ie_zones"`
	Registry     []RegDiff   `json:"registry"`
}

// Empty reports whether the two sides do not differ in anything compared.
func (r *Result) Empty() bool {
	return len(r.Checks)+len(r.Versions)+len(r.Certificates)+len(r.Zones)+len(r.Registry) == 0
}

// CheckDiff is a check that ended differently.
type CheckDiff struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Good       string `json:"good"`
	Bad        string `json:"bad"`
	GoodDetail string `json:"good_detail"`
	BadDetail  string `json:"bad_detail"`
	// Findings are the problems the BAD side has and the GOOD side does
	// not (by finding code), with their fixes.
	Findings []Finding `json:"findings"`
}

// Finding is one problem of the BAD side.
type Finding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint"`
	Commands []string `json:"commands"`
}

// ValueDiff is a version or fact that differs.
type ValueDiff struct {
	What string `json:"what"`
	Good string `json:"good"`
	Bad  string `json:"bad"`
}

// CertDiff is a certificate in a store on one side only.
type CertDiff struct {
	// Side is "good" or "bad": where the certificate is.
	Side     string `json:"side"`
	Location string `json:"location"`
	Store    string `json:"store"`
	SHA1     string `json:"sha1"`
	Subject  string `json:"subject"`
	NotAfter string `json:"not_after"`
	HasKey   bool   `json:"has_key"`
}

// RegDiff is a registry value (or key) that differs. Good or Bad is "" when
// the value is absent on that side.
type RegDiff struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Good string `json:"good"`
	Bad  string `json:"bad"`
}

// versionChecks are the checks whose one-line summary is a version or
// inventory (CSP build, plug-in version, browsers, licence, OS).
var versionChecks = []string{"os-support", "csp", "csp-license", "plugin", "capicom", "gost-tls-browser", "readers"}

// Compare compares good with bad; texts are in lang.
func Compare(good, bad Side, lang i18n.Lang) *Result {
	r := &Result{Good: good.Label, Bad: bad.Label, GoodHost: good.Report.Facts.Hostname, BadHost: bad.Report.Facts.Hostname,
		Checks: []CheckDiff{}, Versions: []ValueDiff{}, Certificates: []CertDiff{}, Zones: []RegDiff{}, Registry: []RegDiff{}}
	r.compareChecks(good.Report, bad.Report, lang)
	r.compareVersions(good.Report, bad.Report, lang)
	r.compareCerts(good.Snap, bad.Snap)
	r.compareRegistry(good.Snap, bad.Snap)
	return r
}

func detail(res *doctor.Result, lang i18n.Lang) string {
	if res == nil {
		return ""
	}
	if res.Status == doctor.StatusError || res.Status == doctor.StatusSkipped {
		return res.Reason.In(lang)
	}
	return res.Summary.In(lang)
}

func (r *Result) compareChecks(good, bad *doctor.Report, lang i18n.Lang) {
	for _, b := range bad.Results {
		g := good.Result(b.ID)
		gs := "-"
		if g != nil {
			gs = g.Status.String()
		}
		codes := map[string]bool{}
		if g != nil {
			for _, f := range g.Findings {
				codes[f.Code] = true
			}
		}
		var fs []Finding
		for _, f := range b.Findings {
			if codes[f.Code] {
				continue
			}
			fs = append(fs, Finding{Code: f.Code, Severity: f.Severity.String(), Message: f.Message.In(lang), Hint: f.Hint.In(lang),
				Commands: append([]string{}, f.Commands...)})
		}
		if gs == b.Status.String() && len(fs) == 0 {
			continue
		}
		if fs == nil {
			fs = []Finding{}
		}
		r.Checks = append(r.Checks, CheckDiff{ID: b.ID, Title: b.Title.In(lang), Good: gs, Bad: b.Status.String(),
			GoodDetail: detail(g, lang), BadDetail: detail(b, lang), Findings: fs})
	}
}

func (r *Result) compareVersions(good, bad *doctor.Report, lang i18n.Lang) {
	gf, bf := good.Facts, bad.Facts
	facts := []struct{ what, g, b string }{
		{"os", strings.TrimSpace(gf.ProductName + " " + gf.Version), strings.TrimSpace(bf.ProductName + " " + bf.Version)},
		{"os_build", gf.Build, bf.Build},
		{"arch", gf.Arch, bf.Arch},
	}
	for _, f := range facts {
		if f.g != f.b {
			r.Versions = append(r.Versions, ValueDiff{What: f.what, Good: f.g, Bad: f.b})
		}
	}
	for _, id := range versionChecks {
		g, b := detail(good.Result(id), lang), detail(bad.Result(id), lang)
		if good.Result(id) == nil && bad.Result(id) == nil {
			continue
		}
		if g != b {
			r.Versions = append(r.Versions, ValueDiff{What: id, Good: g, Bad: b})
		}
	}
}

type certKey struct{ loc, store, sha1 string }

func certIndex(s *host.Snapshot) map[certKey]host.Certificate {
	out := map[certKey]host.Certificate{}
	for _, st := range s.CertStores {
		for _, c := range st.Certificates {
			out[certKey{string(st.Location), string(st.Store), strings.ToUpper(c.SHA1)}] = c
		}
	}
	return out
}

func (r *Result) compareCerts(good, bad *host.Snapshot) {
	g, b := certIndex(good), certIndex(bad)
	add := func(side string, k certKey, c host.Certificate) {
		d := CertDiff{Side: side, Location: k.loc, Store: k.store, SHA1: k.sha1, HasKey: c.Key != nil}
		if pc, err := pki.ParseDER(c.DER); err == nil {
			d.Subject = pc.Subject.Get("CN")
			if d.Subject == "" {
				d.Subject = pc.Subject.MaskedString(false)
			}
			d.NotAfter = pc.NotAfter.UTC().Format("2006-01-02")
		}
		r.Certificates = append(r.Certificates, d)
	}
	for k, c := range g {
		if _, ok := b[k]; !ok {
			add("good", k, c)
		}
	}
	for k, c := range b {
		if _, ok := g[k]; !ok {
			add("bad", k, c)
		}
	}
	sort.Slice(r.Certificates, func(i, j int) bool {
		a, c := r.Certificates[i], r.Certificates[j]
		if a.Location+a.Store != c.Location+c.Store {
			return a.Location+a.Store < c.Location+c.Store
		}
		if a.Side != c.Side {
			return a.Side > c.Side // good first
		}
		return a.SHA1 < c.SHA1
	})
}

// regIndex maps "view|path" → key and "view|path|name" → value text.
func regIndex(s *host.Snapshot) (keys map[string]host.RegKey, values map[string]string) {
	keys, values = map[string]host.RegKey{}, map[string]string{}
	for _, k := range s.Registry {
		id := regID(k)
		keys[id] = k
		for _, v := range k.Values {
			values[id+"\x00"+strings.ToLower(v.Name)] = valueText(v)
		}
	}
	return keys, values
}

// regID identifies a key across the two sides: the view and the
// normalised path, without case (the registry ignores it).
func regID(k host.RegKey) string {
	return string(k.View) + "|" + strings.ToLower(host.NormalizeRegPath(k.Path))
}

func valueText(v host.RegValue) string {
	if v.Error != "" {
		return "(" + v.Error + ")"
	}
	s := v.Text()
	if s == "" && len(v.Binary) > 0 {
		s = strings.ToUpper(hexString(v.Binary))
	}
	return s
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// isZone reports registry keys of the IE security zones: the site-to-zone
// map (ZoneMap\Domains, EscDomains, Ranges) and the zones' settings.
func isZone(path string) bool {
	p := strings.ToLower(path)
	return strings.Contains(p, `\internet settings\zonemap`) || strings.Contains(p, `\internet settings\zones\`)
}

func (r *Result) compareRegistry(good, bad *host.Snapshot) {
	gk, gv := regIndex(good)
	bk, bv := regIndex(bad)
	var out []RegDiff
	keyText := func(k host.RegKey) string {
		if k.Exists {
			return "(key)"
		}
		return "(no key)"
	}
	// Keys both sides read that exist on one side only. A key only one
	// side read is left out: the checks took another path there (no CSP,
	// no plug-in), which the check differences already show.
	for id, g := range gk {
		b, ok := bk[id]
		if !ok || g.Exists == b.Exists {
			continue
		}
		out = append(out, RegDiff{Key: displayPath(g), Good: keyText(g), Bad: keyText(b)})
	}
	// Sites in the IE zone map: subkeys of a zone key on one side only.
	for id, g := range gk {
		b, ok := bk[id]
		if !ok || !g.Exists || !b.Exists || !isZone(id) {
			continue
		}
		gs, bs := lowerSet(g.SubKeys), lowerSet(b.SubKeys)
		for _, sk := range g.SubKeys {
			if !bs[strings.ToLower(sk)] {
				out = append(out, RegDiff{Key: displayPath(g) + `\` + sk, Good: keyText(host.RegKey{Exists: true}), Bad: keyText(host.RegKey{})})
			}
		}
		for _, sk := range b.SubKeys {
			if !gs[strings.ToLower(sk)] {
				out = append(out, RegDiff{Key: displayPath(g) + `\` + sk, Good: keyText(host.RegKey{}), Bad: keyText(host.RegKey{Exists: true})})
			}
		}
	}
	names := map[string]bool{}
	for id := range gv {
		names[id] = true
	}
	for id := range bv {
		names[id] = true
	}
	for id := range names {
		g, b := gv[id], bv[id]
		if g == b {
			continue
		}
		i := strings.IndexByte(id, 0)
		keyID, name := id[:i], id[i+1:]
		// Only values both sides could have read: a key missing on one
		// side is reported as a key above. IE zones are the exception:
		// the site list is read key by key, so a site key only one side
		// has (and therefore read) is exactly the difference.
		gKey, gok := gk[keyID]
		bKey, bok := bk[keyID]
		if (!gok || !bok || !gKey.Exists || !bKey.Exists) && !isZone(keyID) {
			continue
		}
		k := gKey
		if !gok {
			k = bKey
		}
		out = append(out, RegDiff{Key: displayPath(k), Name: originalName(gKey, bKey, name), Good: g, Bad: b})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Name < out[j].Name
	})
	for _, d := range out {
		if isZone(d.Key) {
			r.Zones = append(r.Zones, d)
		} else {
			r.Registry = append(r.Registry, d)
		}
	}
}

func lowerSet(l []string) map[string]bool {
	m := make(map[string]bool, len(l))
	for _, s := range l {
		m[strings.ToLower(s)] = true
	}
	return m
}

// displayPath is the key's path as recorded, with the registry view when
// it is not the default.
func displayPath(k host.RegKey) string {
	if k.View != "" {
		return host.NormalizeRegPath(k.Path) + " (" + string(k.View) + ")"
	}
	return host.NormalizeRegPath(k.Path)
}

func originalName(a, b host.RegKey, lower string) string {
	for _, k := range []host.RegKey{a, b} {
		for _, v := range k.Values {
			if strings.ToLower(v.Name) == lower {
				return v.Name
			}
		}
	}
	return lower
}
