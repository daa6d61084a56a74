package i18n

// The sites check and the probe command (issue 13).
func init() { add(EN, enSites) }

func enSites() map[string]string {
	return map[string]string{
		"check.sites.title": "Sites over TLS",
		"check.sites.doc": "Probes each site address over DNS, TCP and TLS or GOST-TLS and verifies its chain against this workstation's roots.\n" +
			"Names where the connection broke, a root the workstation lacks, TLS interception by an antivirus, DLP or proxy, and a clock that differs from the server's.",

		"sites.skip.none":         "none of the selected sites has an address to probe",
		"sites.skip.not-recorded": "the snapshot holds no network answers for %s (collected offline or by an older gmu-doctor); collect it again online to see the sites",
		"sites.budget":            "%s: not probed: the time for online checks ran out",
		"sites.budget.hint":       "Raise the online time budget (config net_budget) or probe the address on its own: gmu-doctor probe",
		"sites.note.ok":           "%s: %s reachable, %s, chain ends in «%s», trusted",
		"sites.for-site":          "%s: %s",
		"sites.summary":           "%d of %d site addresses reachable and trusted",

		"sites.dns":                     "the name %s does not resolve (%s)",
		"sites.dns.hint":                "Make %s resolvable: check this computer's DNS servers and its hosts file, or ask the network administrator",
		"sites.unreachable":             "%s cannot be reached (%s: %s; connection: %s)",
		"sites.unreachable.hint":        "Open outgoing TCP to %s in the firewall and the proxy (ask the network administrator; the full list: gmu-doctor net allowlist), then check the connection",
		"sites.no-gost":                 "%s refused every GOST cipher suite (TLS alert %s)",
		"sites.no-gost.standard":        "%s refused every GOST cipher suite (TLS alert %s) but answers standard TLS with a certificate issued by «%s»",
		"sites.no-gost.standard.hint":   "If «%[2]s» belongs to your antivirus or proxy, exclude %[1]s from its HTTPS (SSL) scanning; otherwise compare with CryptoPro's own GOST-TLS test",
		"sites.no-gost.hint":            "Check with CryptoPro's own GOST-TLS test whether %s speaks GOST-TLS from this computer; if it does not, a proxy or antivirus in between is likely: exclude the site from its HTTPS scanning",
		"sites.tls":                     "the TLS handshake with %s failed: %s",
		"sites.tls.hint":                "Probe %s again; if it keeps failing, check the proxy and antivirus HTTPS scanning for this site",
		"sites.root-missing":            "the chain of %s ends in «%s», which is not in this workstation's trusted roots (looked in: %s)",
		"sites.root-missing.known.hint": "Install the root «%s» into the trusted roots",
		"sites.root-missing.hint":       "Get the root certificate «%s» from its certification authority and install it into the trusted roots (save it as root.cer first)",
		"sites.intercepted":             "TLS interception: %s presents a chain ending in «%s», not in the site's root (%s): an antivirus, DLP or proxy re-signs this traffic",
		"sites.intercepted.no-gost":     "TLS interception: %s does not speak GOST-TLS; instead «%s» answers with its own certificate (an antivirus, DLP or proxy that re-signs HTTPS and knows no GOST)",
		"sites.intercepted.hint":        "Exclude %s from HTTPS (SSL) scanning in «%s», or ask the proxy administrator to pass it through uninspected; then check again",
		"sites.name":                    "the certificate %s presents is for %s, not for this host name (a wrong address in DNS or the hosts file, or a captive portal)",
		"sites.name.hint":               "Check which address %s resolves to on this computer (DNS, hosts file)",
		"sites.chain":                   "the chain of %s is not valid: %s",
		"sites.chain.hint":              "Probe %s again later; if the site's own chain is broken, tell the site's support",
		"sites.clock":                   "the workstation clock is %s %s the clock of %s (server time %s)",
		"sites.clock.ahead":             "ahead of",
		"sites.clock.behind":            "behind",
		"sites.clock.hint":              "Synchronise the clock with a time server",
	}
}
