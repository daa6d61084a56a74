package i18n

// Messages of the readers check (pcscd and PC/SC readers on Linux).
func init() { add(RU, ruChecksReaders) }

func ruChecksReaders() map[string]string {
	return map[string]string{
		"check.readers.title": "Считыватели токенов и смарт-карт",
		"check.readers.doc": "Работает ли служба pcscd, через которую КриптоПро CSP видит токены и смарт-карты, и какие считыватели подключены.\n" +
			"Без pcscd ключ на токене (Рутокен, JaCarta) не виден: список сертификатов пуст или подпись падает с ошибкой «Набор ключей не существует» (0x80090016); " +
			"ключи на диске (HDIMAGE) работают и без неё. Смотрим сокет /run/pcscd/pcscd.comm, пакет pcscd (pcsc-lite в RPM-системах) " +
			"и, если установлен pcsc-tools, вывод pcsc_scan -r. Только Linux.",
		"readers.skip.not-needed":    "выбранным сайтам не нужен КриптоПро CSP",
		"readers.skip.no-csp":        "КриптоПро CSP не установлен",
		"readers.summary.offline":    "не проверялось: не работающая система",
		"readers.note.offline":       "нет %s: это смонтированный диск, а не работающая система, поэтому состояние pcscd не проверялось",
		"readers.summary.no-pcscd":   "pcscd не установлен",
		"readers.pcscd-missing":      "Служба pcscd не установлена (пакет %s не найден, сокета нет: %s): КриптоПро CSP не увидит ключи на токенах и смарт-картах (Рутокен, JaCarta). Ключи на диске (HDIMAGE) работают и без неё.",
		"readers.pcscd-missing.hint": "Если ключ на токене, установите pcscd с драйвером CCID и включите службу командами ниже, затем вставьте токен заново",
		"readers.summary.stopped":    "pcscd не работает",
		"readers.pcscd-stopped":      "Пакет %s (версия %s) установлен, но служба pcscd не слушает (сокета нет: %s): КриптоПро CSP не увидит ключи на токенах и смарт-картах.",
		"readers.pcscd-stopped.hint": "Включите и перезапустите pcscd командами ниже, затем вставьте токен заново",
		"readers.pcscd-unavailable":  "Сокет pcscd есть, но служба не отвечает (%s: %s): КриптоПро CSP не увидит ключи на токенах и смарт-картах.",
		"readers.note.socket":        "pcscd слушает сокет %s",
		"readers.summary.running":    "pcscd работает",
		"readers.note.no-scan":       "%s не установлен (пакет pcsc-tools), поэтому список считывателей не получен",
		"readers.note.scan-failed":   "не удалось получить список считывателей (%s): %s",
		"readers.note.scan-timeout":  "%s не ответил за %d с; так бывает, когда ни одного считывателя нет",
		"readers.summary.none":       "pcscd работает, считывателей нет",
		"readers.note.none":          "%s не нашёл ни одного считывателя: если ключ на токене, вставьте его",
		"readers.summary.readers":    "pcscd работает, считывателей: %d",
		"readers.note.readers":       "считыватели: %s",
	}
}
