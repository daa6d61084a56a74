package i18n

// What checks say about a mounted disk (--root), where gmu-doctor never runs
// the inspected system's programs, and the chain search limits.
func init() { add(EN, enMounted) }

func enMounted() map[string]string {
	return map[string]string{
		"csp.summary.mounted":           "installed; version not determinable from a mounted disk",
		"csp.note.mounted":              "gmu-doctor does not run the inspected disk's programs, and the version of package %s is in no file it reads (%s); on the workstation itself run: %s",
		"csp.note.mounted-package":      "version from the package database %s (package %s %s), not from csptest: gmu-doctor does not run the inspected disk's programs",
		"csp-license.skip.mounted":      "the licence is not determinable from a mounted disk (gmu-doctor does not run the inspected disk's programs); on the workstation itself run: %s",
		"readers.summary.mounted":       "not determinable from a mounted disk",
		"readers.note.mounted-package":  "whether package %s is installed is not determinable from a mounted disk (%s); on the workstation itself run: %s",
		"readers.note.mounted-scan":     "the readers are not listed from a mounted disk (gmu-doctor does not run the inspected disk's programs); on the workstation itself run: %s",
		"personal-certs.note.mounted":   "the key containers are not listed from a mounted disk (gmu-doctor does not run the inspected disk's programs); on the workstation itself run: %s",
		"plugin.note.mounted-package":   "the version of package %s is not determinable from a mounted disk (%s)",
		"cert.problem.too-many-issuers": "Too many certificates could have issued «%s»: the stores hold more CA certificates with its issuer's name and key identifier than the chain search looks at (%d), which is a damaged or tampered store, not a chain.",
		"cert.fix.too-many-issuers":     "Remove the duplicate CA certificates from the stores and keep the one from the CA's site.",
		"cert.error.timeout":            "no verdict on %s within %s: the certificates given make the chain search too long; give fewer CA certificates (--ca, --root) or a larger --timeout",
		"chain.too-many-issuers.msg":    "The chain of certificate \"%s\" (SHA-1 %s) cannot be built. %s",
		"chain.too-many-issuers.hint":   "List the CA stores with the command below and delete the duplicates that share the issuer's name; install the issuer's certificate from the CA's site.",
	}
}
