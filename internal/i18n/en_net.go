package i18n

// Messages of the network: --offline, the online budget, the progress line,
// the revocation check and AIA.
func init() {
	add(EN, map[string]string{
		"cli.config.key.offline":    "true: do not use the network; the online checks (revocation, sites, AIA) are skipped.",
		"cli.config.key.net_budget": "Overall time for all online work of a run, e.g. 30s.",
		"cli.config.key.net":        "Network: proxy overrides the computer's proxy (a URL, or direct); resolve sends a host name to another address (ip or ip:port).",
		"cli.flag.offline":          "do not use the network: skip the online checks (also offline: true or GMU_DOCTOR_OFFLINE=1)",
		"cli.flag.net-budget":       "overall time for all online work, e.g. 30s (default 20s)",
		"cli.progress.net":          "network:",
	})
}
