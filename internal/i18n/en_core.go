package i18n

func init() { add(EN, enCore) }

func enCore() map[string]string {
	return map[string]string{
		"doctor.skip.os":               "not applicable on %s",
		"doctor.skip.offline":          "network checks are off (--offline, offline: true or GMU_DOCTOR_OFFLINE)",
		"doctor.skip.requires":         "requires %s, which ended %s",
		"doctor.skip.requires-not-run": "requires %s, which was not run",
		"doctor.error.config":          "invalid check configuration: %s",
		"doctor.error.panic":           "internal error in the check (panic): %s",
		"doctor.error.timeout":         "did not complete within %s",
		"doctor.error.canceled":        "interrupted",
		"doctor.error.run":             "could not complete: %s",
	}
}
