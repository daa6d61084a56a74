package i18n

// Messages of the platform checks: csp, csp-license, plugin, ie-zones,
// capicom, browser-cache, gost-tls-browser.
func init() { add(EN, enChecksPlatform) }

func enChecksPlatform() map[string]string {
	return map[string]string{
		"platform.note.inferred":            "for %s, the need for «%s» is inferred from indirect evidence, not confirmed by the site's documentation; hence the findings are warnings",
		"platform.req.csp":                  "CryptoPro CSP",
		"platform.req.plugin":               "the CryptoPro CAdES browser plug-in",
		"platform.req.ifc_plugin":           "the Gosuslugi plug-in",
		"platform.req.ie_zone":              "the site in Internet Explorer's Trusted sites zone",
		"platform.req.capicom":              "CAPICOM",
		"platform.req.gost_tls":             "a GOST TLS browser",
		"platform.req.russian_trusted_root": "the Russian Trusted Root CA certificate",
		"platform.req.browser_cache_advice": "clearing the browser cache on error 400",

		"check.csp.title": "CryptoPro CSP",
		"check.csp.doc": "Whether CryptoPro CSP is installed, its build, CryptoAPI registration and conflicts.\n" +
			"Checks the build and class, the providers' CryptoAPI registration and whether another CSP sits next to it. " +
			"Windows: the MSI InstallProperties, HKLM\\SOFTWARE\\Crypto Pro, the providers in HKLM\\SOFTWARE\\Microsoft\\Cryptography\\Defaults\\Provider, csptest.exe. " +
			"Linux: /opt/cprocsp/bin/<arch>/csptest -keyset -verifycontext and the lsb-cprocsp-base package version. " +
			"Settings: min_build, min_build_gost_tls (5.0), known_bad_builds, ignore_providers.",
		"csp.summary":                      "%s %s",
		"csp.summary.unknown-version":      "version unknown",
		"csp.note.found":                   "CryptoPro CSP %s (class %s), found at %s",
		"csp.note.package":                 "package %s: version %s",
		"csp.version-unknown":              "CryptoPro CSP is installed (%s) but its version could not be determined; csptest said: %s",
		"csp.version-unknown.hint":         "Run the command below to see whether CryptoPro CSP works; reinstall it if it fails",
		"csp.not-installed":                "CryptoPro CSP is not installed (looked for %s)",
		"csp.not-installed.hint.windows":   "Download CryptoPro CSP from cryptopro.ru (registration required) and run the installer as Administrator with the command below",
		"csp.not-installed.hint.linux":     "Download the CryptoPro CSP archive for Linux from cryptopro.ru (registration required), unpack it and install with the commands below",
		"csp.upgrade.hint":                 "Install a newer CryptoPro CSP build from cryptopro.ru over the current one",
		"csp.too-old-for-site":             "CryptoPro CSP build %s is older than the minimum %s for %s",
		"csp.too-old":                      "CryptoPro CSP build %s is older than the configured minimum %s (checks.csp.min_build)",
		"csp.old-for-gost-tls":             "CryptoPro CSP build %s is older than %s: GOST TLS with current browsers and Windows 11 probably will not work with it",
		"csp.known-problem-build":          "CryptoPro CSP build %s is listed as problematic (checks.csp.known_bad_builds): %s",
		"csp.note.providers-unread":        "could not read %s: %s",
		"csp.provider-not-registered":      "CSP not registered in CryptoAPI: %s (key %s)",
		"csp.provider-not-registered.hint": "Reinstall CryptoPro CSP as Administrator",
		"csp.other-csp":                    "other cryptographic providers are registered in CryptoAPI: %s (key %s); they may conflict with CryptoPro CSP",
		"csp.other-csp.hint":               "If signing fails, turn off the other product's CryptoAPI integration or uninstall it (Programs and Features); hide this warning with checks.csp.ignore_providers",

		"check.csp-license.title": "CryptoPro CSP licence",
		"check.csp-license.doc": "Whether the CryptoPro CSP licence is valid and when it expires.\n" +
			"Runs cpconfig -license -view (Linux: /opt/cprocsp/sbin/<arch>/cpconfig); on Windows without cpconfig.exe only the serial from the MSI properties is known. " +
			"Setting: warn_days (30), how many days before expiry to warn.",
		"csp-license.skip.no-csp":         "CryptoPro CSP is not installed",
		"csp-license.summary.unknown":     "format not recognised",
		"csp-license.format-unknown":      "the output of «%s» was not recognised; first line: %s",
		"csp-license.format-unknown.hint": "Run the command below and check the licence term by hand",
		"csp-license.summary.invalid":     "licence invalid",
		"csp-license.invalid":             "«%s» reports a licence error: %s",
		"csp-license.note.serial":         "serial number: %s",
		"csp-license.type-unknown":        "type not stated",
		"csp-license.expired":             "the CryptoPro CSP licence (%s) has expired (per «%s»)",
		"csp-license.demo-expired":        "the CryptoPro CSP demo licence has expired (per «%s»)",
		"csp-license.summary.expired":     "licence expired",
		"csp-license.summary.permanent":   "%s, permanent",
		"csp-license.summary.days":        "%s, %d days left",
		"csp-license.expires-soon":        "the CryptoPro CSP licence (%s) expires in %d days (warning threshold %d days; per «%s»)",
		"csp-license.note.demo":           "demo licence: %d days left",
		"csp-license.summary.no-expiry":   "%s, no term shown",
		"csp-license.note.no-expiry":      "the output of «%s» shows no term",
		"csp-license.summary.serial-only": "term unknown",
		"csp-license.expiry-unknown":      "a licence serial %s is present (%s), but its expiry cannot be read on Windows without cpconfig.exe (%s not found)",
		"csp-license.expiry-unknown.hint": "Open «КриптоПро CSP» (command below) → «Общие» tab and read the licence term",
		"csp-license.no-cpconfig":         "%s not found, so the licence cannot be checked",
		"csp-license.no-cpconfig.hint":    "Reinstall CryptoPro CSP: cpconfig is part of it",
		"csp-license.set.hint.windows":    "Enter the licence serial as Administrator with the command below (or «КриптоПро CSP» → «Общие» → «Ввод лицензии…»)",
		"csp-license.set.hint.linux":      "Enter the licence serial with the command below (the number is on the licence form)",

		"check.plugin.title": "CryptoPro CAdES browser plug-in",
		"check.plugin.doc": "The CryptoPro plug-in, the browser extension and trusted sites.\n" +
			"Whether the CryptoPro CAdES browser plug-in is installed, every browser has the CryptoPro extension and reaches the native-messaging host, the sites are in the plug-in's trusted sites; for Gosuslugi, the Gosuslugi plug-in. " +
			"Windows: files in Program Files\\Crypto Pro\\CAdES Browser Plug-in, the CAdESCOM.CPSigner registration, the version from the installed programs (HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall), NativeMessagingHosts keys, HKCU\\Software\\Crypto Pro\\CAdESplugin. " +
			"Linux: /opt/cprocsp/lib/<arch>/libnpcades.so, the cprocsp-pki-plugin package, native-messaging-hosts manifests, /etc/opt/cprocsp/config64.ini. " +
			"Settings (where the version is known): min_version (none), known_bad_versions (2.0.13642: PKCS#7 signing fails with 0x80070057).",
		"plugin.skip.not-needed":                "the selected sites do not need the plug-in",
		"plugin.summary.installed":              "installed",
		"plugin.note.found-path":                "plug-in: %s",
		"plugin.summary.missing":                "not installed",
		"plugin.upgrade.hint":                   "Install the current plug-in from cryptopro.ru over this one with the commands below",
		"plugin.too-old":                        "CryptoPro CAdES browser plug-in %s is older than the configured minimum %s (checks.plugin.min_version)",
		"plugin.known-problem-version":          "CryptoPro CAdES browser plug-in %s is a build with a known problem (checks.plugin.known_bad_versions): %s",
		"plugin.note.version-unknown":           "the plug-in version is unknown: the list of installed programs (%s) could not be read: %s",
		"plugin.summary":                        "version %s",
		"plugin.not-installed":                  "the CryptoPro CAdES browser plug-in is not installed (looked for %s)",
		"plugin.note.found":                     "plug-in (version %s): %s",
		"plugin.library-missing":                "library %s is missing although the cprocsp-pki-plugin package (%s) is installed: the installation is incomplete",
		"plugin.install.hint.windows":           "Download the CryptoPro CAdES browser plug-in (cadesplugin.exe) from cryptopro.ru and install it as Administrator with the command below",
		"plugin.install.hint.linux":             "Download the CryptoPro CAdES browser plug-in archive for Linux from cryptopro.ru and install the packages with the commands below",
		"plugin.note.no-browsers":               "no browser that uses extensions was found",
		"plugin.note.no-profiles":               "%s is installed but was never started: the extension cannot be checked",
		"plugin.extension-missing":              "%s has no CryptoPro extension in any profile (profiles: %d; directory %s; looked for IDs %s)",
		"plugin.extension-missing.hint":         "Open the link below in %s, click «Install» and then enable the extension",
		"plugin.extension-missing.hint.firefox": "Open the link below in Firefox and allow the CryptoPro extension to install",
		"plugin.note.extension":                 "%s: the CryptoPro extension is installed",
		"plugin.native-host-missing":            "native-messaging host %s is not registered for %s (looked in %s); the extension cannot reach the plug-in",
		"plugin.native-host-missing.hint":       "Run the commands below; if there are none or they do not help, reinstall the CryptoPro CAdES browser plug-in",
		"plugin.native-host-broken":             "native-messaging host %s for %s is registered (%s) but broken: %s (program: %s)",
		"plugin.note.native-host":               "native-messaging host %s for %s: %s",
		"plugin.problem.no-manifest-path":       "the key names no manifest file",
		"plugin.problem.manifest-missing":       "the manifest file %s does not exist",
		"plugin.problem.manifest-unreadable":    "manifest %s unreadable: %s",
		"plugin.problem.exe-missing":            "the program named in the manifest does not exist",
		"plugin.note.trusted-sites-unknown":     "the plug-in's trusted-sites list was not found in %s (its location on Linux is not known for sure); check it on the plug-in settings page",
		"plugin.note.trusted-sites-ok":          "in the plug-in's trusted sites: %s",
		"plugin.site-not-trusted":               "sites missing from the plug-in's trusted sites: %s (%s); signing will ask «Подтверждение доступа» every time",
		"plugin.site-not-trusted.hint":          "Add the sites to the trusted sites with the command below (it keeps the entries already there) or on the plug-in settings page",

		"check.ie-zones.title": "Internet Explorer trusted sites",
		"check.ie-zones.doc": "The sites in the IE «Trusted sites» zone and that zone's settings.\n" +
			"Whether the sites are in the Internet Explorer «Trusted sites» zone and the zone allows ActiveX, scripting and pop-ups. " +
			"ZoneMap\\Domains and EscDomains in HKCU and HKLM, the Group Policy ZoneMapKey, Security_HKLM_only, the Zones\\2 values (policy wins). " +
			"Setting: actions, the accepted values of zone-2 URL actions (the defaults are the usual support advice, not an official list).",
		"ie-zones.skip.os":            "Internet Explorer exists only on Windows",
		"ie-zones.skip.not-needed":    "the selected sites do not need the «Trusted sites» zone",
		"ie-zones.note.hklm-only":     "the Security_HKLM_only policy is set: only HKLM settings count",
		"ie-zones.note.trusted":       "%s is in «Trusted sites» (%s)",
		"ie-zones.not-trusted":        "%s is not in the «Trusted sites» zone (looked in %s and the policy ZoneMapKey)",
		"ie-zones.not-trusted.hint":   "Add %s in Internet Options → Security → Trusted sites → Sites, or run the command below",
		"ie-zones.wrong-zone":         "%s is mapped to zone %d, not to «Trusted sites» (2): %s",
		"ie-zones.summary":            "trusted sites: %d of %d",
		"ie-zones.note.action-unset":  "«Trusted sites» setting %s is not set explicitly; the Windows default applies",
		"ie-zones.action":             "in «Trusted sites», setting %s («%s») is %d, want %s (%s)",
		"ie-zones.action.hint":        "Change setting %s: Internet Options → Security → Trusted sites → Custom level…, or run the command below",
		"ie-zones.action.hint.policy": "Setting %s comes from Group Policy: ask the domain administrator to change the policy (the command below only helps once the policy is lifted)",
		"ie-zones.action.1200":        "Run ActiveX controls and plug-ins",
		"ie-zones.action.1201":        "Initialize and script ActiveX controls not marked as safe",
		"ie-zones.action.1400":        "Active scripting",
		"ie-zones.action.1406":        "Access data sources across domains",
		"ie-zones.action.1809":        "Use Pop-up Blocker",
		"ie-zones.action.2500":        "Enable Protected Mode",

		"check.capicom.title": "CAPICOM",
		"check.capicom.doc": "Whether the CAPICOM library is installed and registered.\n" +
			"Without the 32-bit CAPICOM, legacy signing pages fail with «Объект не поддерживает это свойство или метод». " +
			"capicom.dll in SysWOW64 (64-bit Windows) or System32, the ProgIDs CAPICOM.Utilities and CAPICOM.Store → CLSID → InprocServer32 in the 32-bit registry view.",
		"capicom.skip.os":              "CAPICOM exists only on Windows",
		"capicom.skip.not-needed":      "the selected sites do not need CAPICOM",
		"capicom.summary.missing":      "not installed",
		"capicom.summary.unregistered": "not registered",
		"capicom.summary.ok":           "installed",
		"capicom.missing":              "%s does not exist",
		"capicom.missing.hint":         "Download CAPICOM 2.1.0.2 from Microsoft, copy capicom.dll to %s and register it with the commands below (Command Prompt as Administrator)",
		"capicom.not-registered":       "CAPICOM is not registered: %s is missing (%s) although %s exists",
		"capicom.register.hint":        "Register capicom.dll with the commands below in a Command Prompt run as Administrator",
		"capicom.server-missing":       "%s is registered (%s) but %s does not exist",
		"capicom.note.registered":      "%s: %s",

		"check.browser-cache.title": "Browser caches",
		"check.browser-cache.doc": "Size and age of browser caches; the clearing command for GMU.\n" +
			"For GMU, where «Ошибка 400» while signing is usually cured by clearing the cache, gives the clearing command. Deletes nothing. " +
			"Internet Explorer INetCache, the profile caches of Chrome, Chromium, Chromium-Gost, Yandex Browser, Edge and Firefox. " +
			"Settings: max_size_mb (300), max_age_days (30), max_entries (20000, files looked at per cache).",
		"browser-cache.note.cache":     "%s, profile %s: %s, %d files, oldest %d days (%s)",
		"browser-cache.stale":          "the %s cache (profile %s) holds %s, oldest file %d days (%s); thresholds: %d MB, %d days. A stale cache is the probable cause of «Ошибка 400» while signing",
		"browser-cache.hint.ie":        "Clear Temporary Internet Files: Internet Options → General → Delete…, or run the command below",
		"browser-cache.hint.close":     "Close %s and delete the cache folder with the command below (or Settings → Privacy → Clear browsing data → Cached images and files)",
		"browser-cache.note.unread":    "%s: could not read: %s",
		"browser-cache.note.capped":    "%s: more profiles than the limit, the first %d were looked at",
		"browser-cache.note.no-advice": "the selected sites need no cache clearing; sizes are for information",
		"browser-cache.summary":        "%s in total, %d stale",
		"browser-cache.size":           "%s MB",
		"browser-cache.size.capped":    "at least %s MB",

		"check.gost-tls-browser.title": "GOST TLS browser",
		"check.gost-tls-browser.doc": "Whether a browser with GOST TLS (Chromium-Gost, Yandex Browser) is present.\n" +
			"Sites served over GOST TLS (FZS) do not open without one. " +
			"Windows: install folders in Program Files and %LOCALAPPDATA%; Linux: /opt/chromium-gost, /usr/bin/chromium-gost, /opt/yandex/browser.",
		"gost-tls-browser.skip.not-needed": "the selected sites do not need GOST TLS",
		"gost-tls-browser.note.found":      "%s: %s",
		"gost-tls-browser.note.data-only":  "found %s user data (%s) but not the program; it is probably installed in a non-standard place",
		"gost-tls-browser.summary":         "%s",
		"gost-tls-browser.summary.none":    "none",
		"gost-tls-browser.missing":         "no GOST TLS browser, which %s needs; browsers installed: %s (Chrome, Edge and Firefox cannot open GOST TLS sites: ERR_SSL_VERSION_OR_CIPHER_MISMATCH)",
		"gost-tls-browser.no-browsers":     "none found",
		"gost-tls-browser.missing.hint":    "Install Chromium-Gost (link below, command for this system) or Yandex Browser (%s)",
	}
}
