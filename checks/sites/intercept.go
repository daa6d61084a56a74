package sites

import (
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// interceptors are words in the names of the CA certificates that
// antivirus, DLP and proxy products create to re-sign the HTTPS traffic
// they inspect. The words are the products' names as they appear in those
// certificates' subjects (e.g. "Kaspersky Anti-Virus Personal Root
// Certificate", "ESET SSL Filter CA", "Avast Web/Mail Shield Root",
// "UserGate", "Ideco"); matched case-insensitively in the subject's O, OU
// and CN. Confidence: inferred from the products' public documentation of
// their HTTPS scanning; a root not on this list is still named as an
// interceptor when the site's own roots are known and it is not one.
var interceptors = []struct{ word, product string }{
	{"kaspersky", "Kaspersky"},
	{" eset ", "ESET"},
	{"dr.web", "Dr.Web"},
	{"drweb", "Dr.Web"},
	{"avast", "Avast"},
	{" avg ", "AVG"},
	{"bitdefender", "Bitdefender"},
	{"sophos", "Sophos"},
	{"fortinet", "Fortinet FortiGate"},
	{"fortigate", "Fortinet FortiGate"},
	{"zscaler", "Zscaler"},
	{"check point", "Check Point"},
	{"checkpoint", "Check Point"},
	{"palo alto", "Palo Alto Networks"},
	{"netskope", "Netskope"},
	{"forcepoint", "Forcepoint"},
	{"blue coat", "Blue Coat"},
	{"bluecoat", "Blue Coat"},
	{"mcafee", "McAfee"},
	{"kerio", "Kerio Control"},
	{"usergate", "UserGate"},
	{"ideco", "Ideco"},
	{"infowatch", "InfoWatch"},
	{"searchinform", "SearchInform"},
	{"solar webproxy", "Solar webProxy"},
	{"traffic inspector", "Traffic Inspector"},
	{"континент", "Континент"},
	{"касперск", "Kaspersky"},
}

// interceptionProduct returns the product whose interception CA c is (or
// issued c), "" when c names none.
func interceptionProduct(c *pki.Certificate) string {
	if c == nil {
		return ""
	}
	var parts []string
	for _, n := range []pki.Name{c.Subject, c.Issuer} {
		for _, a := range []string{"O", "OU", "CN"} {
			parts = append(parts, n.Get(a))
		}
	}
	// Padded and with punctuation as spaces, so that " eset " matches a
	// word, not "preset".
	text := " " + strings.Map(func(r rune) rune {
		if r == ',' || r == '/' || r == '(' || r == ')' || r == '-' || r == '_' {
			return ' '
		}
		return r
	}, strings.ToLower(strings.Join(parts, " "))) + " "
	for _, i := range interceptors {
		if strings.Contains(text, i.word) {
			return i.product
		}
	}
	return ""
}
