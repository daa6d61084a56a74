package i18n

// Messages about signing authority (site-oids: whom a certificate was
// issued to, МЧД, ПОИБ), Госплагин (plugin) and roots per browser on Linux
// (root-certs) — issue 11.
func init() { add(EN, enField) }

func enField() map[string]string {
	return map[string]string{
		"site-oids.note.gmu-oids": "ГМУ: OIDs of certificate \"%s\" (SHA-1 %s), for information — key usages (EKU): %s; policies: %s. %s",
		"site-oids.note.gmu-rights": "ГМУ: no authority OIDs are needed in the certificate — since 1 July 2020 operators of state systems may not require them (63-ФЗ art. 17 part 2.1). " +
			"Access to bus.gov.ru is granted by the organisation's administrator in the Электронный бюджет's ПОИБ; until then (typically after a change of head) sign-in ends with «пользователь заблокирован» (user blocked). " +
			"To check OIDs anyway, set them in sites.gmu.required_oids.",
		"site-oids.note.holder":        "Certificate \"%s\" (SHA-1 %s): %s",
		"site-oids.holder.org-head":    "an organisation's certificate naming a person (ОГРН and СНИЛС) — since 2022 issued only to the head",
		"site-oids.holder.org":         "an organisation's certificate naming no person (ОГРН, no СНИЛС) — for an information system or an electronic seal",
		"site-oids.holder.sole-prop":   "a sole proprietor's certificate (ОГРНИП)",
		"site-oids.holder.person":      "a natural person's certificate (СНИЛС, no ОГРН or ОГРНИП)",
		"site-oids.holder.unknown":     "holder unknown: no ОГРН, ОГРНИП or СНИЛС",
		"site-oids.note.eis-org-head":  "ЕИС: only the head signs with the organisation's certificate \"%s\". Since 1 September 2024 employees sign with their own natural-person certificate plus an МЧД (machine-readable power of attorney) that the organisation issues in its ЕИС personal account",
		"site-oids.note.eis-org":       "ЕИС: certificate \"%s\" names no person; ЕИС needs the head's certificate or an employee's (a natural-person certificate plus an МЧД)",
		"site-oids.note.eis-sole-prop": "ЕИС: the entrepreneur signs with the sole proprietor's certificate \"%s\" in person; employees sign with their own natural-person certificate plus an МЧД",
		"site-oids.note.eis-person": "ЕИС: the natural-person certificate \"%s\" serves an employee only together with an МЧД the organisation issued in its ЕИС personal account. " +
			"Whether the МЧД exists and is valid cannot be known on the workstation — check it in the ЕИС personal account",
		"site-oids.note.fzs-org":                      "ФЗС: certificate \"%s\" names no person; the Электронный бюджет needs the head's certificate with ИНН ФЛ or an employee's natural-person certificate, granted rights by the head in ПОИБ",
		"site-oids.note.fzs-head-no-inn":              "ФЗС: the head's certificate \"%s\" (SHA-1 %s) has no personal ИНН, the Электронный бюджет will not accept it; another certificate on this workstation will do for ФЗС",
		"site-oids.fzs-head-no-inn-fl.msg":            "The head's certificate \"%s\" (SHA-1 %s) has no personal ИНН (ИНН ФЛ): the Электронный бюджет (ФЗС, ПОИБ) accepts the head's certificate only with ИНН ФЛ, and the workstation has no other suitable certificate.",
		"site-oids.fzs-head-no-inn-fl.hint":           "Get the head a certificate that states the head's personal ИНН (from the ФНС or Treasury CA) and install it; employees are granted rights in ПОИБ by the head",
		"plugin.gosplugin-missing":                    "Госплагин (the Госуслуги plug-in) is not installed: native messaging host %s not found (looked in: %s). Without it Госуслуги can neither sign a document nor sign in with an electronic signature.",
		"plugin.gosplugin-install.hint":               "Install Госплагин from the Госуслуги page with the commands below and restart the browser; then add the «Госплагин» extension from the extension store",
		"plugin.ifc-outdated":                         "Only the outdated Госуслуги plug-in IFCPlugin is installed (%s, %s); Госплагин (%s) is not (looked in: %s). Госуслуги now works with Госплагин.",
		"plugin.gosplugin-old-host":                   "Госплагин is registered under the old name %s (%s): an old version; the current one registers as %s. The extension may refuse it («Обновите версию приложения», update the application).",
		"plugin.note.ifc-also":                        "the outdated IFCPlugin (%s) is installed too (%s); the Госплагин extension does not use it",
		"plugin.problem.other-program":                "it points to %s while the working registration points to %s",
		"plugin.gosplugin-user-manifest-shadows":      "The per-user Госплагин registration %s (read first by %s) is stale: %s. So the working system registration %s is never used and the extension does not find the plug-in.",
		"plugin.gosplugin-user-manifest-shadows.hint": "Delete the stale per-user registration with the command below (the system one stays) and restart the browser",
		"plugin.note.gosplugin-version":               "Госплагин version %s (%s)",
		"plugin.note.gosplugin-version-unknown":       "Госплагин version unknown (%s not found)",
		"plugin.gosplugin-too-old":                    "Госплагин %s is older than the accepted %s (%s): the extension will refuse it with «Работа Госплагина невозможна. Обновите версию приложения» (update the application).",
		"plugin.note.gosplugin-extension":             "Госплагин extension: %s, profile %s",
		"plugin.gosuslugi-extensions-conflict":        "%s (profile %s, %s) has both Госуслуги extensions: «Госплагин» (%s) and the old «Расширение для плагина Госуслуг» (%s). They get in each other's way: signing stalls on «Подпишите в плагине» (sign in the plug-in).",
		"plugin.gosuslugi-extensions-conflict.hint":   "Open the old extension's page in %s with the command below and remove (or disable) it, keep «Госплагин»; then restart the browser",
		"plugin.gosplugin-extension-missing":          "Госплагин is installed but its extension (%s) is in no profile (%s): the Госуслуги site will not see the plug-in.",
		"plugin.gosplugin-extension-missing.hint":     "Add the «Госплагин» extension from the extension store (the command below opens its page) and restart the browser",
		"root-certs.note.browsers-unknown":            "browsers unknown (%s): HTTPS roots are looked for in the system CA bundle only",
		"root-certs.note.bundle-unused":               "\"%s\" is not in the system CA bundle, but no browser found here uses it (Chromium-Gost takes roots from CryptoPro, Firefox from its NSS database); other programs (curl, updates) may still need it",
		"root-certs.note.tls-cprocsp-ok":              "\"%s\" is in CryptoPro's root store (%s), which %s checks HTTPS against",
		"root-certs.tls-missing-cprocsp.msg":          "The root \"%s\" (SHA-1 %s) is not in CryptoPro's root stores (uRoot, mRoot). On Linux %s hands TLS to CryptoPro, so the root of every HTTPS site it opens, ordinary RSA ones included, must be there or the site is refused as untrusted; %s.",
		"root-certs.tls-missing-cprocsp.hint":         "Download the certificate from the page %s to %s (DER or PEM) and install it into the current user's CryptoPro root store with the command below (no root rights needed), then restart %s. The system CA bundle and NSS do not help this browser",
		"root-certs.note.firefox-db-unreadable":       "Firefox, profile %s: certificate database %s/cert9.db not read: %s",
		"root-certs.note.firefox-no-db":               "Firefox, profile %s (%s): no certificate database cert9.db yet — the profile has not been run",
		"root-certs.note.firefox-ok":                  "\"%s\" is in Firefox's certificate database (profile %s)",
		"root-certs.tls-missing-firefox.msg":          "The root \"%s\" (SHA-1 %s) is not in Firefox's certificate database, profile %s (%s/cert9.db). On Linux Firefox checks HTTPS against its own database and Mozilla's built-in list, which has no Russian roots — the system CA bundle does not help it; %s.",
		"root-certs.tls-missing-firefox.hint":         "Close Firefox, download the certificate from the page %s to %s and add it to the profile's database with the command below (certutil from libnss3-tools or nss-tools); or import it in Firefox: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import, trusting it for websites",
	}
}
