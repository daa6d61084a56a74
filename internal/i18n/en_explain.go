package i18n

func init() { add(EN, enExplain) }

func enExplain() map[string]string {
	return map[string]string{
		"cli.explain.short": "Explain an error message or code and find its cause on this computer",
		"cli.explain.long": "Looks up an error message or code (0x800B010A, «Произошла внутренняя ошибка в цепочке сертификатов»,\n" +
			"«Объект не поддерживает это свойство или метод», HTTP 400 …) in the knowledge base, explains the cause,\n" +
			"then runs the related checks on this computer (or on a --snapshot) and shows the fix that\n" +
			"applies here.\n\n" +
			"Case, quotes, extra text around it and the form of the code (0x…, signed or unsigned decimal) do not matter;\n" +
			"a negative code needs no \"--\": gmu-doctor explain -2146762486.\n" +
			"Exit code: 0 no cause found on the computer, 1 problems found or text not recognised, 2 bad arguments.",
		"cli.explain.example": "  gmu-doctor explain \"Произошла внутренняя ошибка в цепочке сертификатов\"\n" +
			"  gmu-doctor explain 0x800B010A --snapshot workstation.json\n" +
			"  gmu-doctor explain \"пользователь заблокирован\" --support\n" +
			"  gmu-doctor explain --list",
		"cli.explain.flag-list":        "show every knowledge base entry",
		"cli.explain.flag-support":     "print a text for a support request",
		"cli.explain.flag-format":      "output format: text or json",
		"cli.explain.no-input":         "give the error text or its code, e.g. gmu-doctor explain 0x800B010A",
		"cli.explain.unknown":          "The message «%s» is not in the knowledge base.",
		"cli.explain.unknown-hint":     "See the known errors: gmu-doctor explain --list; or check the whole workstation: gmu-doctor check",
		"cli.explain.recognised":       "Recognised: %s",
		"cli.explain.cause":            "Cause: %s",
		"cli.explain.checks":           "Checks: %s",
		"cli.explain.source":           "Source: %s (%s)",
		"cli.explain.confidence-v":     "confirmed by the source",
		"cli.explain.confidence-i":     "inferred, not confirmed directly",
		"cli.explain.running":          "Checking this workstation: %s",
		"cli.explain.no-cause-here":    "The related checks found no cause on this workstation.",
		"cli.explain.generic-fix":      "What usually helps: %s",
		"cli.explain.support-contacts": "If the workstation is fine, contact support: %s, %s.",
		"cli.explain.support-header":   "--- Support request (made by gmu-doctor) ---",
		"cli.explain.support-error":    "Error text: %s",
		"cli.explain.support-match":    "Recognised as: %s %s — %s",
		"cli.explain.support-host":     "Computer: %s, OS: %s, %s",
		"cli.explain.support-time":     "Workstation time: %s, gmu-doctor %s (%s)",
		"cli.explain.noise":            "This message is harmless: stop chasing it, nothing needs fixing because of it.",
		"cli.explain.codes":            "Code: %s",
	}
}
