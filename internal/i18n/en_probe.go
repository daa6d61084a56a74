package i18n

// The probe and net allowlist commands (issue 13).
func init() { add(EN, enProbe) }

func enProbe() map[string]string {
	return map[string]string{
		"probe.short":           "diagnose one HTTPS or GOST-TLS address: DNS, TCP, TLS, chain, interception",
		"probe.long":            "Connects to URL (https://host[:port] or host[:port]) the way the sites check does: DNS, TCP, a TLS handshake (GOST-TLS with our own ClientHello, or standard TLS), then verifies the chain the server presents against the workstation's own Root stores (or the --root files) and names the root it ends in, a missing root or TLS interception. A site of the profiles is judged against its own roots; another address is tried with GOST first, then standard TLS (--tls).\nExit codes: 0 reachable and trusted, 1 any other verdict, 2 a usage error or an unreadable file.",
		"probe.flag.root":       "trust only these root certificates: file or directory (repeatable); default: the workstation's Root stores",
		"probe.flag.tls":        "TLS kind: auto, gost or standard",
		"probe.flag.timeout":    "time limit of each network step",
		"probe.error.tls":       "unknown --tls %q; valid: auto, gost, standard",
		"probe.error.url":       "%q is not an https:// address (https://host[:port] or host[:port])",
		"probe.error.offline":   "probe needs the network, which is disabled (--offline, offline: true or GMU_DOCTOR_OFFLINE)",
		"probe.error.run":       "probe stopped: %s",
		"probe.mode.standard":   "standard TLS",
		"probe.mode.gost":       "GOST-TLS",
		"probe.addr":            "Address: %s (%s)",
		"probe.tcp.ok":          "connected to %s in %d ms",
		"probe.proxy":           "through proxy %s",
		"probe.standard-answer": "standard TLS answers instead: %s, %s",
		"probe.clock":           "Server time: %s (workstation clock − server clock: %s)",
		"probe.verdict":         "Verdict: %s",

		"probe.verdict.trusted":      "reachable and trusted",
		"probe.verdict.dns":          "the name does not resolve",
		"probe.verdict.unreachable":  "unreachable",
		"probe.verdict.tls":          "TLS handshake failed",
		"probe.verdict.no-gost":      "the server does not offer GOST",
		"probe.verdict.root-missing": "the chain ends in a root this workstation lacks",
		"probe.verdict.intercepted":  "TLS interception",
		"probe.verdict.chain":        "the chain is not valid",
		"probe.verdict.name":         "the certificate is for another name",

		"net.short":                 "network requirements of this workstation",
		"net.allowlist.short":       "every host:port this workstation needs open (sites, CRL, OCSP, AIA)",
		"net.allowlist.long":        "Lists every host:port the workstation needs to reach, for the firewall or proxy administrator: the addresses of the selected sites, and the CRL distribution points, OCSP responders and issuer-certificate (AIA) addresses of its personal certificates and of every certificate of their chains. Nothing is contacted.",
		"net.flag.format":           "format: text, json or csv",
		"net.allowlist.store-error": "some certificate stores could not be read: %s",
		"net.allowlist.header":      "Addresses to allow (%d):",
		"net.purpose.site":          "site (HTTPS / GOST-TLS)",
		"net.purpose.crl":           "CRL (CDP)",
		"net.purpose.ocsp":          "OCSP",
		"net.purpose.aia":           "issuer certificates (AIA)",
	}
}
