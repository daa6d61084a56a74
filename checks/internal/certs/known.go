// Package certs is what the certificate checks (root-certs, personal-certs,
// chain, qualified-profile, site-oids) share: reading and parsing the
// certificate stores through the host, the table of known trust anchors and
// Treasury CA certificates, masking of personal data, and the exact
// commands that install or remove a certificate on each OS.
package certs

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/tsl"
)

//go:embed known.json
var knownJSON []byte

// Root is a trust anchor gmu-doctor knows by name. The list is data
// (known.json), overridable with checks.root-certs.roots.
type Root struct {
	ID     string `json:"id"`
	NameRU string `json:"name_ru"`
	NameEN string `json:"name_en"`
	// SHA1 is the upper-case hex thumbprint of the DER certificate.
	SHA1 string `json:"sha1"`
	// SKI is its subject key identifier (upper-case hex), "" when unknown.
	SKI       string `json:"ski,omitempty"`
	NotBefore string `json:"not_before,omitempty"` // RFC 3339
	NotAfter  string `json:"not_after,omitempty"`  // RFC 3339
	// Role says when the root is needed: "required" (always), "if-used"
	// (when a personal certificate chains to it), "need:<requirement>"
	// (when a selected site profile needs that requirement, e.g.
	// need:russian_trusted_root).
	Role string `json:"role"`
	// Kind says which trust store the root belongs in: "qualified" (GOST
	// roots of qualified signatures: the CryptoAPI / CryptoPro Root
	// stores; the default when empty) or "tls" (RSA roots of the sites'
	// HTTPS certificates: on Linux the system CA bundle and the browsers'
	// NSS databases, not CryptoPro's stores).
	Kind        string `json:"kind,omitempty"`
	Confidence  string `json:"confidence,omitempty"` // V or I
	Source      string `json:"source,omitempty"`
	DownloadURL string `json:"download_url,omitempty"`
	// File is the suggested local file name in the fix commands.
	File string `json:"file,omitempty"`
}

// Roles of a Root.
const (
	RoleRequired = "required"
	RoleIfUsed   = "if-used"
	RoleNeedPfx  = "need:"
)

// Kinds of a Root.
const (
	KindQualified = "qualified"
	KindTLS       = "tls"
)

// TLS reports whether the root anchors HTTPS certificates (Kind "tls").
func (r Root) TLS() bool { return r.Kind == KindTLS }

// Name returns the root's name as a translatable text.
func (r Root) Name() i18n.Text { return i18n.Pair(r.NameRU, r.NameEN) }

// Expiry returns NotAfter parsed, or the zero time.
func (r Root) Expiry() time.Time {
	t, err := time.Parse(time.RFC3339, r.NotAfter)
	if err != nil {
		return time.Time{}
	}
	return t
}

// FileName returns File, or a name made from the thumbprint.
func (r Root) FileName() string {
	if r.File != "" {
		return r.File
	}
	return strings.ToLower(r.SHA1) + ".cer"
}

// Validate reports a root entry that cannot be used (from a config file).
func (r Root) Validate() error {
	if r.ID == "" {
		return fmt.Errorf("root without id")
	}
	if len(NormHex(r.SHA1)) != 40 {
		return fmt.Errorf("root %s: sha1 %q is not 40 hex digits", r.ID, r.SHA1)
	}
	switch {
	case r.Role == RoleRequired, r.Role == RoleIfUsed, strings.HasPrefix(r.Role, RoleNeedPfx) && len(r.Role) > len(RoleNeedPfx):
	default:
		return fmt.Errorf("root %s: role %q: want required, if-used or need:<requirement>", r.ID, r.Role)
	}
	if r.Kind != "" && r.Kind != KindQualified && r.Kind != KindTLS {
		return fmt.Errorf("root %s: kind %q: want qualified or tls", r.ID, r.Kind)
	}
	if r.NotAfter != "" {
		if _, err := time.Parse(time.RFC3339, r.NotAfter); err != nil {
			return fmt.Errorf("root %s: not_after: %w", r.ID, err)
		}
	}
	return nil
}

// CA is a known intermediate CA certificate (the Treasury generations and
// cross certificates), found by its key identifier.
type CA struct {
	SKI        string `json:"ski"`
	AKI        string `json:"aki"` // SKI of the certificate that issued it
	SHA1       string `json:"sha1"`
	NameRU     string `json:"name_ru"`
	NameEN     string `json:"name_en"`
	URL        string `json:"url,omitempty"` // where the Treasury publishes the file
	File       string `json:"file"`
	Confidence string `json:"confidence,omitempty"`
	Source     string `json:"source,omitempty"`
}

// Name returns the CA's generation name as a translatable text.
func (c CA) Name() i18n.Text { return i18n.Pair(c.NameRU, c.NameEN) }

// Known is the embedded table.
type Known struct {
	Roots []Root `json:"roots"`
	CAs   []CA   `json:"cas"`
}

// LoadKnown returns a fresh copy of the embedded table.
func LoadKnown() *Known {
	var k Known
	if err := json.Unmarshal(knownJSON, &k); err != nil {
		panic("certs: embedded known.json is invalid: " + err.Error())
	}
	return &k
}

// CAByKeyID returns the known CA whose SKI is ski (any hex form).
func (k *Known) CAByKeyID(ski string) (CA, bool) {
	ski = NormHex(ski)
	for _, c := range k.CAs {
		if c.SKI == ski && ski != "" {
			return c, true
		}
	}
	return CA{}, false
}

// RootBySHA1 returns the known root with that thumbprint.
func RootBySHA1(roots []Root, sha1 string) (Root, bool) {
	sha1 = NormHex(sha1)
	for _, r := range roots {
		if NormHex(r.SHA1) == sha1 {
			return r, true
		}
	}
	return Root{}, false
}

// RootBySKI returns the known root with that key identifier.
func RootBySKI(roots []Root, ski string) (Root, bool) {
	ski = NormHex(ski)
	for _, r := range roots {
		if ski != "" && NormHex(r.SKI) == ski {
			return r, true
		}
	}
	return Root{}, false
}

// ETrustURL is the e-trust download address of a CA certificate by its
// SHA-1 thumbprint.
func ETrustURL(sha1 string) string {
	return "https://e-trust.gosuslugi.ru/app/scc/portal/api/v1/portal/ca/download/" + NormHex(sha1)
}

// NormHex upper-cases hex and drops separators (spaces, colons).
func NormHex(s string) string { return tsl.NormHex(s) }

// LocalDate formats t as a date in the workstation's time zone (its UTC
// offset at collection), so that an expiry near midnight shows the day the
// workstation's user sees.
func LocalDate(f host.Facts, t time.Time) string {
	return t.In(time.FixedZone("", f.UTCOffsetSeconds)).Format("2006-01-02")
}

// LocalTime formats t to the minute in the workstation's time zone, with
// the offset: "2025-06-01 03:00 UTC+03:00".
func LocalTime(f host.Facts, t time.Time) string {
	return t.In(time.FixedZone("", f.UTCOffsetSeconds)).Format("2006-01-02 15:04") + " " + platform.UTCOffset(f.UTCOffsetSeconds)
}
