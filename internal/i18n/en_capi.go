package i18n

// CryptoAPI's own chain verdict, shown by the chain check on Windows.
func init() { add(EN, enCapi) }

func enCapi() map[string]string {
	return map[string]string{
		"capi.note.ok":           "\"%s\" (SHA-1 %s): CryptoAPI: chain of %d, no errors",
		"capi.note.errors":       "\"%s\" (SHA-1 %s): CryptoAPI: chain of %d, errors: %s (0x%08X)",
		"capi.note.unavailable":  "\"%s\" (SHA-1 %s): CryptoAPI verdict not available: %s",
		"capi.note.not-recorded": "\"%s\" (SHA-1 %s): CryptoAPI verdict not available: the snapshot was collected by an older gmu-doctor that did not record it; run gmu-doctor collect again on the workstation to get it",
		"capi.note.gost-csp":     "\"%s\" (SHA-1 %s): CryptoAPI reports CERT_TRUST_IS_NOT_SIGNATURE_VALID although the signatures of the chain are valid: Windows needs a GOST CSP (CryptoPro CSP) to verify GOST signatures, so the CSP is most likely missing or broken; check it with: gmu-doctor check csp",
	}
}
