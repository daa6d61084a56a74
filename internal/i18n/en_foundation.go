package i18n

// Checks os-support and clock.
func init() { add(EN, enFoundation) }

func enFoundation() map[string]string {
	return map[string]string{
		"check.os-support.title": "Operating system",
		"check.os-support.doc": "Which OS is installed and whether the signing software supports it.\n" +
			"Shows the OS, version, build and architecture. Windows 7 and 32-bit systems are flagged as legacy, " +
			"Windows older than 7 and unknown systems as unsupported. On Linux the distribution is named " +
			"(Astra Linux, RED OS and ALT are recognised).",
		"os-support.summary":              "%s, %s, %s",
		"os-support.summary.wow64":        "%s, %s, %s (gmu-doctor runs as %s)",
		"os-support.unknown-os":           "Operating system \"%s\" is not supported: gmu-doctor checks Windows, Linux and macOS",
		"os-support.unknown-os.hint":      "Run gmu-doctor on a workstation with Windows 10/11 or Linux (Astra Linux, RED OS, ALT).",
		"os-support.windows-too-old":      "%s (version %s) is older than Windows 7: CryptoPro CSP, the sites' plug-ins and current browsers do not run on it",
		"os-support.windows-too-old.hint": "Install Windows 10 or 11 (64-bit) and set the workstation up again.",
		"os-support.windows7": "%s (version %s, the Windows 7 generation) is legacy: only the legacy gmu-doctor build runs on it; " +
			"reportedly (not verified), CryptoPro CSP 5.0 R3 and later and current browsers no longer support it",
		"os-support.windows7.hint":         "Plan the move to Windows 10 or 11 (64-bit); until then, do not update CryptoPro CSP or the browser without checking that the new version still supports Windows 7.",
		"os-support.32bit-windows":         "32-bit Windows is installed (%s): CAPICOM (which is 32-bit only) and the 32-bit plug-in install on it, but the system sees at most 4 GB of memory and cannot be upgraded to Windows 11 (which is 64-bit only)",
		"os-support.32bit-windows.hint":    "Choose 64-bit Windows 10 or 11 at the next reinstallation.",
		"os-support.32bit-os":              "A 32-bit system is installed (%s): new releases of signing software are more and more often 64-bit only",
		"os-support.32bit-os.hint":         "Choose the 64-bit edition of the distribution at the next reinstallation.",
		"os-support.note.fact-error":       "could not read system information: %s",
		"os-support.note.macos":            "macOS: CryptoPro CSP for macOS exists, but the instructions of government sites are written mostly for Windows",
		"os-support.note.wow64":            "gmu-doctor runs as a %s program on a %s system; for the full picture use the gmu-doctor build that matches the bitness of Windows",
		"os-support.note.elevated-windows": "gmu-doctor runs as Administrator; the stores of user %s are inspected",
		"os-support.note.root":             "gmu-doctor runs as root: the personal stores (uMy, uRoot, uCA) are those of %s, not of the employee; run the check as the user who signs",
		"os-support.note.version-unknown":  "could not parse the Windows version \"%s\"",
		"os-support.note.windows8":         "Windows 8/8.1 (version %s) is out of Microsoft support since January 2023",
		"os-support.note.windows11-name":   "the registry says \"%s\", but build %d is Windows 11",
		"os-support.note.distro-known":     "distribution %s is supported by CryptoPro CSP for Linux",
		"os-support.note.distro-other":     "gmu-doctor does not recognise distribution \"%s\" (it recognises Astra Linux, RED OS, ALT); the checks run, but package commands in the hints may need adapting",

		"check.clock.title": "System clock",
		"check.clock.doc": "Whether the computer's clock is right.\n" +
			"When the clock is behind, recently issued certificates look not yet valid and signing fails with " +
			"a chain or validity error. The check compares the time with 2020-01-01 and with the start of validity " +
			"of the newest certificate in the stores. The time zone is shown but is not a problem by itself.",
		"clock.summary":            "%s %s (%s)",
		"clock.before-2020":        "The computer's clock shows %s, before 2020: every valid certificate looks not yet valid, signing will fail",
		"clock.behind-certificate": "The computer's clock shows %s, but certificate \"%s\" (%s) in store %s\\%s becomes valid only at %s: the clock is behind, signing and chain checks will fail",
		"clock.fix.windows":        "Synchronise the clock: run the command in a Command Prompt opened as Administrator (if the time service is stopped, run net start w32time first), or open Settings → Time & Language → Date & time → Sync now.",
		"clock.fix.linux":          "Turn on time synchronisation and step the clock now.",
		"clock.fix.darwin":         "Set the clock: System Settings → General → Date & Time → \"Set time and date automatically\", or run the command.",
		"clock.note.foreign-zone":  "time zone %s is not a Russian one; that does not matter for signing as long as the clock shows the right time",
		"clock.note.store-unread":  "store %s\\%s was not read: %s",
		"clock.note.cert-unparsed": "certificate %s in %s\\%s could not be parsed and was skipped: %s",
		"clock.note.no-certs":      "the stores hold no certificates to compare the clock with",
		"clock.note.newest":        "the newest certificate \"%s\" is valid from %s; the clock is not behind it",
	}
}
