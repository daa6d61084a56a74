package i18n

// What checks say about a mounted disk (--root), where gmu-doctor never runs
// the inspected system's programs, and the chain search limits.
func init() {
	add(EN, map[string]string{
		"csp.summary.mounted":          "installed; version not determinable from a mounted disk",
		"csp.note.mounted":             "gmu-doctor does not run the inspected disk's programs, and the version of package %s is in no file it reads (%s); on the workstation itself run: %s",
		"csp.note.mounted-package":     "version from the package database %s (package %s %s), not from csptest: gmu-doctor does not run the inspected disk's programs",
		"csp-license.skip.mounted":     "the licence is not determinable from a mounted disk (gmu-doctor does not run the inspected disk's programs); on the workstation itself run: %s",
		"readers.summary.mounted":      "not determinable from a mounted disk",
		"readers.note.mounted-package": "whether package %s is installed is not determinable from a mounted disk (%s); on the workstation itself run: %s",
		"readers.note.mounted-scan":    "the readers are not listed from a mounted disk (gmu-doctor does not run the inspected disk's programs); on the workstation itself run: %s",
		"personal-certs.note.mounted":  "the key containers are not listed from a mounted disk (gmu-doctor does not run the inspected disk's programs); on the workstation itself run: %s",
		"plugin.note.mounted-package":  "the version of package %s is not determinable from a mounted disk (%s)",
	})
}
