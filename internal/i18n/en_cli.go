package i18n

func init() { add(EN, enCli) }

func enCli() map[string]string {
	return map[string]string{
		"cli.root.short": "Workstation diagnostics for signing on GMU, EIS, FZS and Gosuslugi",
		"cli.root.long": "gmu-doctor finds out why a workstation cannot sign on bus.gov.ru (GMU), zakupki.gov.ru (EIS),\n" +
			"lk-fzs.roskazna.ru (FZS) and gosuslugi.ru (EPGU), and under every problem shows how to fix it,\n" +
			"with the exact command for this OS. It changes nothing on the computer.\n\n" +
			"Start with: gmu-doctor check",

		"cli.check.short": "Check the workstation (or a snapshot) and show what to fix",
		"cli.check.long": "Runs the checks in order and prints one line per check: [✓] ok, [!] warning, [✗] failed,\n" +
			"[?] did not complete, [-] skipped. Under every problem: what to do and the exact command.\n\n" +
			"Without arguments every check runs; name checks by ID to run only those (list them with\n" +
			"gmu-doctor list); the checks they depend on are added automatically.\n\n" +
			"Exit code: 0 no problems (warnings allowed), 1 problems found (with --strict warnings too),\n" +
			"2 error in the arguments, the config file or the snapshot.",
		"cli.check.example": "  gmu-doctor check\n" +
			"  gmu-doctor check clock --lang en\n" +
			"  gmu-doctor check --site gmu,eis --format json\n" +
			"  gmu-doctor check --snapshot workstation.json -v",

		"cli.list.short":     "List the checks",
		"cli.list.col-id":    "ID",
		"cli.list.col-title": "TITLE",
		"cli.list.col-os":    "OS",
		"cli.list.col-doc":   "WHAT IT CHECKS",
		"cli.list.all-os":    "all",

		"cli.collect.short": "Write a JSON snapshot of the workstation to analyse on another computer",
		"cli.collect.long": "Runs every check on this computer and records everything they read (certificate stores\n" +
			"without private keys, registry keys, files, command output) in a JSON snapshot.\n" +
			"The helpdesk analyses it with: gmu-doctor check --snapshot FILE.\n" +
			"The snapshot contains the user's certificates with personal data: send it to your own helpdesk only.",
		"cli.collect.example": "  gmu-doctor collect -o %COMPUTERNAME%.json\n" +
			"  gmu-doctor collect -o - > snapshot.json",
		"cli.collect.done":   "Snapshot written to %s: checks %d, certificate stores %d, certificates %d, registry keys %d, files %d, commands %d.",
		"cli.collect.stdout": "standard output",

		"cli.version.short":  "Show the program version",
		"cli.version.commit": "commit:",
		"cli.version.date":   "built:",
		"cli.version.go":     "Go:",

		"cli.config.short":         "Work with the config file",
		"cli.config.example.short": "Print an example config file with every setting at its default",
		"cli.config.path.short":    "Show where gmu-doctor looks for its config file",
		"cli.config.header": "gmu-doctor config file (YAML). Read by default from %s,\n" +
			"another file: --config FILE. Environment variables %s_<SETTING> (e.g. GMU_DOCTOR_LANG=en)\n" +
			"override the file; command-line flags override both.",
		"cli.config.key.lang":          "Report language: ru or en (default: from LANG, en* gives en, else ru).",
		"cli.config.key.site":          "Sites to check for: gmu, eis, fzs, epgu separated by commas, or all.",
		"cli.config.key.format":        "Report format: text, json or prometheus.",
		"cli.config.key.strict":        "true: warnings also give exit code 1.",
		"cli.config.key.timeout":       "Time limit for one check, e.g. 30s; 0s: each check's own limit.",
		"cli.config.key.show_personal": "true: do not mask SNILS and personal INN in the report.",
		"cli.config.key.tsl":           "Path to the accredited CA list XML (TSL), if downloaded beforehand.",
		"cli.config.key.root":          "Linux: treat this directory as the file system root (a mounted disk of another machine).",
		"cli.config.key.user":          "Linux: inspect the stores and home directory of this user.",
		"cli.config.key.at":            "Judge expiry as of this moment (2025-12-01 or RFC 3339) instead of the computer clock; empty: the computer clock.",
		"cli.config.key.sites":         "Site profile overrides (%s): any profile field, e.g. the required OIDs.",
		"cli.config.key.checks":        "Check settings: one section per check; the values below are the defaults.",

		"cli.flag.lang":            "report language: ru or en",
		"cli.flag.config":          "config file (YAML)",
		"cli.flag.no-color":        "do not colour the output",
		"cli.flag.help":            "show help",
		"cli.flag.skip":            "do not run these checks (IDs separated by commas)",
		"cli.flag.site":            "sites: gmu, eis, fzs, epgu or all",
		"cli.flag.snapshot":        "check a snapshot (gmu-doctor collect) instead of this computer",
		"cli.flag.format-check":    "format: text, json, prometheus or nagios",
		"cli.flag.format-list":     "format: text or json",
		"cli.flag.strict":          "count warnings as problems (exit code 1)",
		"cli.flag.timeout":         "time limit for one check, e.g. 30s",
		"cli.flag.verbose":         "verbose: notes and the duration of each check",
		"cli.flag.root":            "Linux: file system root to inspect (a mounted disk)",
		"cli.flag.user":            "Linux: inspect another user's stores",
		"cli.flag.at":              "judge expiry as of this moment (2025-12-01 or RFC 3339): what will have expired by then; default: the computer clock",
		"cli.flag.show-personal":   "do not mask SNILS and personal INN",
		"cli.flag.tsl":             "accredited CA list XML (TSL)",
		"cli.flag.format-list-lld": "format: text, json or zabbix-lld (Zabbix low-level discovery)",
		"cli.flag.output":          "where to write the snapshot; - for standard output",

		"cli.help.usage":        "Usage:",
		"cli.help.aliases":      "Aliases:",
		"cli.help.examples":     "Examples:",
		"cli.help.commands":     "Available Commands:",
		"cli.help.additional":   "Additional Commands:",
		"cli.help.global-flags": "Global Flags:",
		"cli.help.flags":        "Flags:",
		"cli.help.topics":       "Additional help topics:",
		"cli.help.more":         "Help on a command: %s",
		"cli.help.cmd-short":    "Help about any command",

		"cli.error.usage":          "bad command line: %s",
		"cli.error.help-hint":      "see %s",
		"cli.error.flag":           "bad flag: %s",
		"cli.error.flag-value":     "bad value of %s: %s",
		"cli.error.lang":           "unknown language %q: use ru or en",
		"cli.error.format":         "unknown format %q: use %s",
		"cli.error.unknown-id":     "unknown check %s; valid IDs: %s",
		"cli.error.config":         "configuration error (%s): %s",
		"cli.error.config-read":    "cannot read config file %s: %s",
		"cli.error.snapshot":       "cannot read the snapshot: %s",
		"cli.error.live":           "cannot open this computer for checking: %s",
		"cli.error.output":         "cannot write %s: %s",
		"cli.error.output-missing": "no file for the snapshot: -o FILE (or -o - for standard output)",
	}
}
