package i18n

// Monitoring outputs (Nagios) and the fleet commands (report, diff).
func init() {
	add(RU, map[string]string{
		"report.nagios.failed":                       "не пройдены: %s",
		"report.nagios.errors":                       "не выполнены: %s",
		"report.nagios.warnings":                     "предупреждения: %s",
		"report.nagios.expiry.cert_days_left":        "личный сертификат %s: осталось дней — %d",
		"report.nagios.expiry.private_key_days_left": "закрытый ключ %s: осталось дней — %d",
		"report.nagios.expiry.license_days_left":     "лицензия КриптоПро CSP%.0s: осталось дней — %d",
		"report.nagios.none":                         "проверки не выполнялись",
		"report.nagios.ok":                           "рабочее место готово к подписи (проверок: %d)",
		"report.nagios.details":                      "Подробности: %s",
		"report.prom.metric.license_days_left":       "Секунд до окончания лицензии КриптоПро CSP, целые дни × 86400 (0 — истекла).",
		"cli.config.key.monitoring":                  "Пороги для мониторинга: если до окончания личного сертификата, закрытого ключа или лицензии CSP осталось меньше cert_warn_days дней — предупреждение (--format nagios, gmu-doctor report), меньше cert_crit_days — авария.",
	})
}
