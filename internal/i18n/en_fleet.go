package i18n

// Monitoring outputs (Nagios) and the fleet commands (report, diff).
func init() {
	add(EN, map[string]string{
		"report.nagios.failed":                       "failed: %s",
		"report.nagios.errors":                       "did not complete: %s",
		"report.nagios.warnings":                     "warnings: %s",
		"report.nagios.expiry.cert_days_left":        "personal certificate %s: %d days left",
		"report.nagios.expiry.private_key_days_left": "private key of %s: %d days left",
		"report.nagios.expiry.license_days_left":     "CryptoPro CSP licence%.0s: %d days left",
		"report.nagios.none":                         "no checks ran",
		"report.nagios.ok":                           "ready to sign (%d checks)",
		"report.nagios.details":                      "Details: %s",
		"report.prom.metric.license_days_left":       "Seconds until the CryptoPro CSP licence expires, whole days × 86400 (0: expired).",
		"cli.config.key.monitoring":                  "Monitoring thresholds: days left of a personal certificate, private key or CSP licence below which --format nagios and gmu-doctor report warn (cert_warn_days) and alert (cert_crit_days).",
	})
}
