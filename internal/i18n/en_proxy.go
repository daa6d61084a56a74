package i18n

// The proxy check (issue 13).
func init() { add(EN, enProxy) }

func enProxy() map[string]string {
	return map[string]string{
		"check.proxy.title": "Proxy",
		"check.proxy.doc": "Reads the proxy settings of browsers and Windows (WinINet, WinHTTP, group policy) or the *_proxy variables.\n" +
			"Warns when the CRL, OCSP and issuer-certificate hosts of the workstation's certificates are not reachable through the proxy or WinHTTP goes direct.",

		"proxy.skip.not-recorded":         "the snapshot holds no proxy settings (collected by an older gmu-doctor); collect it again to see them",
		"proxy.note.browser":              "browsers: %s (%s)",
		"proxy.note.winhttp":              "WinHTTP (Windows services, CryptoAPI's CRL and OCSP downloads): %s (%s)",
		"proxy.note.per-machine":          "group policy makes the proxy settings per machine (%s, ProxySettingsPerUser = 0)",
		"proxy.note.autodetect":           "automatic proxy detection (WPAD) is on (%s); gmu-doctor cannot tell which proxy it finds",
		"proxy.note.winhttp-unreadable":   "%s cannot be read: %s",
		"proxy.note.env-unreadable":       "%s cannot be read: %s",
		"proxy.note.offline":              "the hosts of the certificates were not tried through the proxy: the network is off (--offline)",
		"proxy.note.not-asked":            "%s not asked: %s",
		"proxy.note.reachable":            "%s reachable (%s, HTTP %s)",
		"proxy.desc.direct":               "direct connection, no proxy",
		"proxy.desc.pac":                  "proxy auto-configuration script %s",
		"proxy.desc.proxy":                "proxy %s",
		"proxy.desc.proxy-bypass":         "proxy %s, exceptions: %s",
		"proxy.summary.direct":            "no proxy: connections go direct",
		"proxy.summary.proxy":             "browsers: %s",
		"proxy.pac":                       "the proxy is chosen by the auto-configuration script %s (%s); gmu-doctor does not run it, so it cannot tell whether the CRL and OCSP hosts go through a proxy",
		"proxy.pac.hint":                  "Ask the network administrator to make sure the script lets every address of the allowlist through",
		"proxy.winhttp-direct":            "browsers use %s (%s), but WinHTTP — through which Windows downloads CRLs, OCSP answers and issuer certificates — goes direct (%s): where only the proxy reaches the Internet, revocation checking fails (0x80092013)",
		"proxy.winhttp-direct.hint":       "Give WinHTTP the browsers' proxy settings (as Administrator)",
		"proxy.auth-required":             "proxy %s asks for authentication (HTTP 407) to reach %s (%s, certificate «%s»): CryptoAPI and CryptoPro download CRLs without the user's password, so revocation checking fails",
		"proxy.bypass.hint":               "Add %s to the proxy exceptions, or ask the proxy administrator to allow it without authentication",
		"proxy.host-unreachable":          "%s (%s, certificate «%s») is not reachable through proxy %s: %s",
		"proxy.host-unreachable.hint":     "Ask the administrator of proxy %[2]s to allow %[1]s, or add %[1]s to the proxy exceptions if it is reachable directly",
		"proxy.bypassed-unreachable":      "%s (%s, certificate «%s») is in the proxy exceptions, so it is fetched directly, but the direct connection fails: %s",
		"proxy.bypassed-unreachable.hint": "Open outgoing TCP to %s in the firewall, or remove it from the proxy exceptions",
	}
}
