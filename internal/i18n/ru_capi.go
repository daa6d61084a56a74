package i18n

// Собственный вердикт CryptoAPI о цепочке (проверка chain в Windows).
func init() { add(RU, ruCapi) }

func ruCapi() map[string]string {
	return map[string]string{
		"capi.note.ok":           "«%s» (SHA-1 %s): CryptoAPI: длина цепочки %d, ошибок нет",
		"capi.note.errors":       "«%s» (SHA-1 %s): CryptoAPI: длина цепочки %d, ошибки: %s (0x%08X)",
		"capi.note.unavailable":  "«%s» (SHA-1 %s): вердикт CryptoAPI недоступен: %s",
		"capi.note.not-recorded": "«%s» (SHA-1 %s): вердикт CryptoAPI недоступен: снимок сделан старой версией gmu-doctor, которая его не записывала; чтобы получить его, снова выполните на рабочем месте gmu-doctor collect",
		"capi.note.gost-csp":     "«%s» (SHA-1 %s): CryptoAPI сообщает CERT_TRUST_IS_NOT_SIGNATURE_VALID, хотя подписи в цепочке верны: для проверки подписей ГОСТ Windows нужен криптопровайдер ГОСТ (КриптоПро CSP), вероятно, он не установлен или повреждён; проверьте его командой: gmu-doctor check csp",
	}
}
