package i18n

func init() { add(EN, enReport) }

func enReport() map[string]string {
	return map[string]string{
		"report.header.live":                       "Workstation %s (%s)",
		"report.header.snapshot":                   "Snapshot of workstation %s (%s)",
		"report.subject":                           "Object: %s",
		"report.url":                               "More: %s",
		"report.counts":                            "Summary: ok %d, warnings %d, failed %d, did not complete %d, skipped %d.",
		"report.next.healthy":                      "No problems found: this workstation is ready to sign.",
		"report.next.warnings":                     "Nothing critical; fix the warnings marked ! and run the check again: %s",
		"report.next.fix":                          "Fix what is marked ✗ and run the check again: %s",
		"report.next.fix-strict":                   "Fix what is marked ✗ and ! and run the check again: %s",
		"report.next.errors":                       "Some checks did not complete (?); see the details with %s",
		"report.next.none":                         "No checks ran; list the checks with: gmu-doctor list",
		"report.prom.status":                       "Status of a gmu-doctor check: 1 on the status label it ended with, else 0.",
		"report.prom.checks":                       "Number of gmu-doctor checks by status.",
		"report.prom.findings":                     "Number of problems found, by check and severity.",
		"report.prom.exit":                         "Exit code of gmu-doctor check: 0 healthy, 1 problems found.",
		"report.prom.time":                         "Start time of the run, Unix seconds.",
		"report.prom.metric":                       "Value of %s reported by gmu-doctor checks.",
		"report.prom.metric.cert_days_left":        "Seconds until the personal certificate expires, whole days × 86400 (negative: expired).",
		"report.prom.metric.private_key_days_left": "Seconds until the private key of the personal certificate expires, whole days × 86400 (negative: expired).",
		"report.prom.metric.root_days_left":        "Seconds until the root certificate expires, whole days × 86400 (negative: expired).",
	}
}
