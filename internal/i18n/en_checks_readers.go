package i18n

// Messages of the readers check (pcscd and PC/SC readers on Linux).
func init() { add(EN, enChecksReaders) }

func enChecksReaders() map[string]string {
	return map[string]string{
		"check.readers.title": "Token and smart-card readers",
		"check.readers.doc": "Whether pcscd, the service CryptoPro CSP reaches tokens and smart cards through, is running, and which readers are connected.\n" +
			"Without pcscd a key on a token (Rutoken, JaCarta) is invisible: the certificate list is empty or signing fails with «Набор ключей не существует» (0x80090016); " +
			"keys on disk (HDIMAGE) work without it. Looks at the socket /run/pcscd/pcscd.comm, the pcscd package (pcsc-lite on RPM systems) " +
			"and, when pcsc-tools is installed, at the output of pcsc_scan -r. Linux only.",
		"readers.skip.not-needed":    "the selected sites do not need CryptoPro CSP",
		"readers.skip.no-csp":        "CryptoPro CSP is not installed",
		"readers.summary.offline":    "not checked: not a running system",
		"readers.note.offline":       "%s is absent: this is a mounted disk, not a running system, so the state of pcscd was not checked",
		"readers.summary.no-pcscd":   "pcscd not installed",
		"readers.pcscd-missing":      "pcscd is not installed (package %s not found, no socket at %s): CryptoPro CSP will not see keys on tokens and smart cards (Rutoken, JaCarta). Keys on disk (HDIMAGE) work without it.",
		"readers.pcscd-missing.hint": "If the key is on a token, install pcscd with the CCID driver and enable the service with the commands below, then re-insert the token",
		"readers.summary.stopped":    "pcscd not running",
		"readers.pcscd-stopped":      "Package %s (version %s) is installed but pcscd is not listening (no socket at %s): CryptoPro CSP will not see keys on tokens and smart cards.",
		"readers.pcscd-stopped.hint": "Enable and restart pcscd with the commands below, then re-insert the token",
		"readers.pcscd-unavailable":  "The pcscd socket exists but the service does not answer (%s: %s): CryptoPro CSP will not see keys on tokens and smart cards.",
		"readers.note.socket":        "pcscd listens on %s",
		"readers.summary.running":    "pcscd running",
		"readers.note.no-scan":       "%s is not installed (package pcsc-tools), so the reader list was not read",
		"readers.note.scan-failed":   "could not list the readers (%s): %s",
		"readers.note.scan-timeout":  "%s did not answer within %d s; this happens when there is no reader at all",
		"readers.summary.none":       "pcscd running, no readers",
		"readers.note.none":          "%s found no reader: if the key is on a token, insert it",
		"readers.summary.readers":    "pcscd running, %d reader(s)",
		"readers.note.readers":       "readers: %s",
	}
}
