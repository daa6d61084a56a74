package i18n

// Messages of the network: --offline, the online budget, the progress line,
// the revocation check and AIA.
func init() {
	add(EN, map[string]string{
		"revocation.src.offline":             "%s: not asked (offline)",
		"revocation.unreachable.mirror.hint": "Open %s (HTTP, port %s) in the firewall, VPN or proxy of this workstation, then check again; one working list address is enough (the certificate names %s); the command below tests the address by hand",
		"check.revocation.title":             "Certificate revocation (CRL, OCSP)",
		"check.revocation.doc": "Whether every certificate of every personal chain can be checked for revocation, and is not revoked.\n" +
			"For each certificate (the personal one and its CA certificates) downloads the CRLs from the addresses in the certificate (CRL distribution points) and asks its OCSP responder when it names one, " +
			"verifies each list's and answer's signature against the issuer with gmu-doctor's own GOST engine, and reports a revoked certificate (date, reason), " +
			"an expired list (nextUpdate passed), a list signed by another key, and every address that could not be reached and why (DNS, refused connection, timeout, proxy, HTTP status). " +
			"These are the causes of 0x80092013 «The revocation function was unable to check revocation because the revocation server was offline» and 0x80092010 «certificate revoked». " +
			"On Windows it also reads CryptoAPI's URL cache, so a stale cached list is named even with --offline. Uses the network (skipped with --offline).",
		"revocation.skip.no-personal":         "no personal GOST certificate",
		"revocation.skip.not-recorded":        "the snapshot holds no network answers (collected with --offline or by an older gmu-doctor): collect it again on the workstation",
		"revocation.summary":                  "%d of %d certificates checked",
		"revocation.sep":                      "%s; %s",
		"revocation.revoked.msg":              "Certificate %s (SHA-1 %s) is revoked since %s, reason: %s (according to the %s %s).",
		"revocation.revoked.leaf.hint":        "Stop using it: request a new certificate from your certification authority and install it; a revoked certificate cannot sign (0x80092010)",
		"revocation.revoked.ca.hint":          "The CA certificate %s is revoked: install the certification authority's current certificate (from its site or e-trust.gosuslugi.ru) and ask the authority whether the personal certificates it issued must be replaced",
		"revocation.unknown.msg":              "The revocation status of %s (SHA-1 %s) cannot be established, so CryptoAPI reports 0x80092013 «The revocation function was unable to check revocation because the revocation server was offline»: %s.",
		"revocation.unreachable.hint":         "Open %s (HTTP, port %s) in the firewall, VPN or proxy of this workstation, then check again; the command below tests the address by hand",
		"revocation.expired.hint":             "The certification authority has not published a newer list, or a cache or proxy serves an old copy: clear the cached copy (Windows: the commands below) and check again; if the list at the address itself is old, tell the certification authority",
		"revocation.expired.unreachable.hint": "A newer list could not be fetched because %s is unreachable: open it in the firewall, VPN or proxy, then clear the cached copy and check again",
		"revocation.wrong-signer.hint":        "The address %s serves a list that is not signed by the issuer's key %s: a proxy or captive portal substitutes it, or a mirror is wrong. Open the issuer's own address, or remove the substitution in the proxy",
		"revocation.malformed.hint":           "The address %s returns something that is not a CRL or OCSP answer (often a proxy's block or login page): allow it in the proxy, then check again",
		"revocation.unknown.hint":             "Check that the certification authority's CRL and OCSP addresses are reachable from this workstation, then check again",
		"revocation.partial.msg":              "%s (SHA-1 %s): the revocation status was established through the %s, but: %s. CryptoAPI tries the addresses in order and waits for each timeout, so signing may be slow.",
		"revocation.partial.hint":             "Open %s in the firewall, VPN or proxy as well (or ignore this if those addresses are closed on purpose)",
		"revocation.partial.other.hint":       "Nothing to do now; tell the certification authority if its list or responder keeps failing",
		"revocation.note.good":                "%s (SHA-1 %s): not revoked (%s %s, valid until %s)",
		"revocation.note.no-urls":             "%s (SHA-1 %s) names no CRL or OCSP address: its revocation cannot be checked (normal for a root)",
		"revocation.note.no-issuer":           "%s (SHA-1 %s): the issuer certificate is missing, so no list can be verified (see the chain check)",
		"revocation.src.good":                 "%s: not revoked (issued %s, valid until %s)",
		"revocation.src.revoked":              "%s: revoked %s, reason %s",
		"revocation.src.expired":              "%s: the list issued %s expired %s (nextUpdate)",
		"revocation.src.wrong-signer":         "%s: signed by another key than the issuer's (the list names key %s)",
		"revocation.src.malformed":            "%s: the answer is not a valid CRL or OCSP answer (Content-Type %s): %s",
		"revocation.src.unusable":             "%s: cannot be used alone: %s",
		"revocation.src.unknown":              "%s: the responder does not know this certificate",
		"revocation.src.not-recorded":         "%s: not in the snapshot",
		"revocation.src.dns":                  "%s: the name %s does not resolve (DNS)",
		"revocation.src.refused":              "%s: %s refused the connection (port closed or blocked)",
		"revocation.src.timeout":              "%s: no answer from %s in time (blocked by a firewall or VPN?)",
		"revocation.src.proxy":                "%s: the proxy %s failed: %s",
		"revocation.src.http":                 "%s: the server answered %s",
		"revocation.src.http-proxy":           "%s: %s (through the proxy %s)",
		"revocation.src.too-large":            "%s: %s",
		"revocation.src.redirect":             "%s: redirect refused: %s",
		"revocation.src.tls":                  "%s: TLS error: %s",
		"revocation.src.failed":               "%s: %s",
		"cli.config.key.offline":              "true: do not use the network; the online checks (revocation, sites, AIA) are skipped.",
		"cli.config.key.net_budget":           "Overall time for all online work of a run, e.g. 30s.",
		"cli.config.key.net":                  "Network: proxy overrides the computer's proxy (a URL, or direct); resolve sends a host name to another address (ip or ip:port).",
		"cli.flag.offline":                    "do not use the network: skip the online checks (also offline: true or GMU_DOCTOR_OFFLINE=1)",
		"cli.flag.net-budget":                 "overall time for all online work, e.g. 30s (default 20s)",
		"cli.progress.net":                    "network:",
	})
}
