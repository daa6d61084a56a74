package i18n

func init() { add(RU, ruReport) }

func ruReport() map[string]string {
	return map[string]string{
		"report.header.live":                       "Рабочее место %s (%s)",
		"report.header.snapshot":                   "Снимок рабочего места %s (%s)",
		"report.subject":                           "Объект: %s",
		"report.url":                               "Подробнее: %s",
		"report.counts":                            "Итог: в порядке — %d, предупреждений — %d, не пройдено — %d, не выполнено — %d, пропущено — %d.",
		"report.next.healthy":                      "Проблем не найдено: рабочее место готово к подписанию.",
		"report.next.warnings":                     "Критичных проблем нет; устраните предупреждения, отмеченные !, и запустите проверку снова: %s",
		"report.next.fix":                          "Исправьте отмеченное ✗ и запустите проверку снова: %s",
		"report.next.fix-strict":                   "Исправьте отмеченное ✗ и ! и запустите проверку снова: %s",
		"report.next.errors":                       "Часть проверок не выполнилась (?); подробности покажет %s",
		"report.next.none":                         "Ни одна проверка не запускалась; список проверок: gmu-doctor list",
		"report.prom.status":                       "Статус проверки gmu-doctor: 1 у метки status, которой она завершилась, иначе 0.",
		"report.prom.checks":                       "Число проверок gmu-doctor по статусам.",
		"report.prom.findings":                     "Число найденных проблем по проверкам и серьёзности.",
		"report.prom.exit":                         "Код завершения gmu-doctor check: 0 — в порядке, 1 — есть проблемы.",
		"report.prom.time":                         "Время запуска проверки, секунды Unix.",
		"report.prom.metric":                       "Значение %s из проверок gmu-doctor.",
		"report.prom.metric.cert_days_left":        "Секунд до окончания срока действия личного сертификата, целые дни × 86400 (отрицательное — истёк).",
		"report.prom.metric.private_key_days_left": "Секунд до окончания срока действия закрытого ключа личного сертификата, целые дни × 86400 (отрицательное — истёк).",
		"report.prom.metric.root_days_left":        "Секунд до окончания срока действия корневого сертификата, целые дни × 86400 (отрицательное — истёк).",
	}
}
