// Package profile holds the site profiles: what each target site (ГМУ, ЕИС,
// ФЗС, ЕПГУ) needs from a workstation. The profiles are embedded data
// (sites.json) with a confidence mark per requirement; the user's config
// (sites.<id>.*) can override any field.
package profile

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
)

//go:embed sites.json
var sitesJSON []byte

// Requirement names used in Site.Needs.
const (
	NeedCSP                = "csp"
	NeedPlugin             = "plugin"               // CryptoPro CAdES browser plug-in + extension
	NeedIFCPlugin          = "ifc_plugin"           // Госуслуги plug-in (ru.rtlabs.ifcplugin)
	NeedIEZone             = "ie_zone"              // site in the IE trusted zone
	NeedCAPICOM            = "capicom"              // CAPICOM for legacy pages
	NeedGOSTTLS            = "gost_tls"             // a GOST-TLS browser
	NeedRussianTrustedRoot = "russian_trusted_root" // RSA Russian Trusted Root CA for HTTPS
	NeedBrowserCacheAdvice = "browser_cache_advice" // HTTP 400 on signing is a stale cache
)

// Site is one target site's requirements.
type Site struct {
	ID     string `json:"id"`
	NameRU string `json:"name_ru"`
	NameEN string `json:"name_en"`
	URL    string `json:"url"`
	// Domains are the registrable domains whose hosts the site uses (for IE
	// zones and the plug-in's trusted sites).
	Domains []string `json:"domains"`
	// Needs maps a requirement (Need* constants) to its confidence mark
	// ("V" seen in a source, "I" inferred). Absent means not needed.
	Needs map[string]string `json:"needs"`
	// QualifiedCert: the site needs a qualified certificate (Приказ ФСБ № 795).
	QualifiedCert bool `json:"qualified_cert"`
	// RequiresSNILS: the certificate must carry СНИЛС.
	RequiresSNILS bool `json:"requires_snils,omitempty"`
	// RequiredEKU must all be in the certificate's extended key usage.
	RequiredEKU []string `json:"required_eku"`
	// RequiredOIDs must all be present as EKU or certificate policy. An
	// empty list means the site's OIDs are not known (see RequiredOIDsNote).
	RequiredOIDs     []string `json:"required_oids"`
	RequiredOIDsNote string   `json:"required_oids_note,omitempty"`
	// KnownRoleOIDs are authority OIDs the site is known to use; they are
	// shown by name, not required.
	KnownRoleOIDs []string `json:"known_role_oids,omitempty"`
	// MinCSPBuild is the oldest CryptoPro CSP build the site works with
	// ("" = not known).
	MinCSPBuild string   `json:"min_csp_build,omitempty"`
	Support     *Support `json:"support,omitempty"`
	// Endpoints are the host names and ports the site is served from and
	// how (standard or GOST TLS), for the sites check, probe and net
	// allowlist.
	Endpoints []Endpoint `json:"endpoints,omitempty"`
}

// TLS kinds of an Endpoint.
const (
	TLSStandard = "standard" // RSA/ECDSA TLS
	TLSGOST     = "gost"     // GOST-TLS (RFC 9189 / CryptoPro suites)
)

// RootsQualified in Endpoint.Roots stands for any known ГУЦ root (kind
// "qualified" in the known-roots table).
const RootsQualified = "qualified"

// Endpoint is one host:port of a site.
type Endpoint struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	TLS  string `json:"tls"` // TLSStandard or TLSGOST
	// Roots are the known-root IDs (checks/internal/certs known.json) the
	// site's chain ends in, RootsQualified, or SHA-1 thumbprints (40 hex
	// digits, for config overrides); empty when not known. A chain ending
	// elsewhere is TLS interception.
	Roots      []string `json:"roots"`
	Confidence string   `json:"confidence"` // V seen in a source, I inferred
	Source     string   `json:"source"`
}

// Addr is host:port.
func (e Endpoint) Addr() string { return net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) }

// GOST reports whether the endpoint is served over GOST-TLS.
func (e Endpoint) GOST() bool { return e.TLS == TLSGOST }

// Support is who to call for what the workstation cannot fix.
type Support struct {
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Requires reports whether the site needs the requirement (a Need* name).
func (s *Site) Requires(req string) bool { _, ok := s.Needs[req]; return ok }

// Confidence returns the confidence mark of a requirement ("V", "I"), or ""
// when the site does not need it.
func (s *Site) Confidence(req string) string { return s.Needs[req] }

// Name returns the site's name in lang ("ru" or "en").
func (s *Site) Name(lang string) string {
	if lang == "en" {
		return s.NameEN
	}
	return s.NameRU
}

// IDs are the known site IDs in display order.
var IDs = []string{"gmu", "eis", "fzs", "epgu"}

// Defaults returns a fresh copy of the embedded profiles.
func Defaults() []*Site {
	var doc struct {
		Sites []*Site `json:"sites"`
	}
	if err := json.Unmarshal(sitesJSON, &doc); err != nil {
		panic("profile: embedded sites.json is invalid: " + err.Error())
	}
	return doc.Sites
}

// Resolve returns the profiles of the selected site IDs ("all" or empty
// selects every site), with overrides applied. overrides maps a site ID to a
// map of JSON field names (as in sites.json) to values, as read from the
// config file's sites.<id> section; unknown sites or fields are errors.
func Resolve(selected []string, overrides map[string]any) ([]*Site, error) {
	all := Defaults()
	byID := map[string]*Site{}
	for _, s := range all {
		byID[s.ID] = s
	}
	for id, ov := range overrides {
		s, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("config: sites.%s: unknown site; valid sites: %s", id, strings.Join(IDs, ", "))
		}
		if err := applyOverride(s, ov); err != nil {
			return nil, fmt.Errorf("config: sites.%s: %w", id, err)
		}
	}
	ids, err := ParseSelection(selected)
	if err != nil {
		return nil, err
	}
	out := make([]*Site, 0, len(ids))
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out, nil
}

// ParseSelection turns --site values ("gmu,eis", "all", empty) into site
// IDs in display order; unknown IDs are an error listing the valid ones.
func ParseSelection(selected []string) ([]string, error) {
	want := map[string]bool{}
	for _, v := range selected {
		for _, id := range strings.Split(v, ",") {
			id = strings.ToLower(strings.TrimSpace(id))
			switch {
			case id == "":
			case id == "all":
				for _, k := range IDs {
					want[k] = true
				}
			case contains(IDs, id):
				want[id] = true
			default:
				return nil, fmt.Errorf("unknown site %q; valid sites: %s, all", id, strings.Join(IDs, ", "))
			}
		}
	}
	if len(want) == 0 {
		return append([]string(nil), IDs...), nil
	}
	var out []string
	for _, id := range IDs {
		if want[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

func applyOverride(s *Site, ov any) error {
	m, ok := ov.(map[string]any)
	if !ok {
		return fmt.Errorf("want a map of fields, got %T", ov)
	}
	// Validate field names against the JSON form of Site.
	known := map[string]bool{}
	b, _ := json.Marshal(Site{Needs: map[string]string{}, Support: &Support{}})
	var fields map[string]any
	_ = json.Unmarshal(b, &fields)
	for k := range fields {
		known[k] = true
	}
	known["requires_snils"], known["min_csp_build"], known["known_role_oids"], known["required_oids_note"] = true, true, true, true
	known["endpoints"] = true
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "id" || !known[k] {
			return fmt.Errorf("unknown or read-only key %q", k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode override: %w", err)
	}
	if err := json.Unmarshal(b, s); err != nil {
		return fmt.Errorf("decode override: %w", err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// AnyNeeds reports whether any of the sites needs req.
func AnyNeeds(sites []*Site, req string) bool {
	for _, s := range sites {
		if s.Requires(req) {
			return true
		}
	}
	return false
}

// Needing returns the sites that need req.
func Needing(sites []*Site, req string) []*Site {
	var out []*Site
	for _, s := range sites {
		if s.Requires(req) {
			out = append(out, s)
		}
	}
	return out
}
