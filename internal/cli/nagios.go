package cli

import "strings"

// nagiosWanted reports whether the running command is `check` with
// --format nagios (from the flag, the config or GMU_DOCTOR_FORMAT), so that
// an error becomes the plugin state UNKNOWN. It is decided without the
// config when the config itself is broken.
func (a *App) nagiosWanted() bool {
	if a.cmd == nil || a.cmd.Name() != "check" {
		return false
	}
	if a.cfg != nil {
		return a.cfg.Format == "nagios"
	}
	if f := a.cmd.Flags().Lookup("format"); f != nil && f.Changed {
		return f.Value.String() == "nagios"
	}
	return strings.TrimSpace(a.getenv(EnvPrefix+"_FORMAT")) == "nagios"
}

// nagiosLine makes an error text one plugin status line: no line breaks, no
// '|' (which would start the perfdata).
func nagiosLine(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", "/")
}
