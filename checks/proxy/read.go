package proxy

import (
	"context"
	"errors"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// readWindows reads WinINet's effective settings (group policy first,
// then per machine when ProxySettingsPerUser is 0, else per user) and
// WinHTTP's.
func readWindows(ctx context.Context, h host.Host) (Settings, error) {
	var s Settings
	key := func(path string) (host.RegKey, error) { return h.RegistryKey(ctx, path, host.RegViewDefault) }
	mp, err := key(MachinePolicyKey)
	if err != nil {
		return s, err
	}
	perMachine := false
	if v, ok := mp.Value("ProxySettingsPerUser"); ok && mp.Exists && v.Type == host.RegDWORD && v.Integer == 0 {
		perMachine = true
		s.Notes = append(s.Notes, i18n.T("proxy.note.per-machine", MachinePolicyKey))
	}
	src := UserKey
	if perMachine {
		src = MachineKey
	}
	up, err := key(UserPolicyKey)
	if err != nil {
		return s, err
	}
	if up.Exists && hasAny(up, "ProxyEnable", "ProxyServer", "AutoConfigURL") {
		src = UserPolicyKey
	}
	k := up
	if src != UserPolicyKey {
		if k, err = key(src); err != nil {
			return s, err
		}
	}
	enable := false
	if v, ok := k.Value("ProxyEnable"); ok {
		enable = v.Integer != 0 || strings.TrimSpace(v.String) == "1"
	}
	s.Browser = host.ParseWinINetProxy(enable, text(k, "ProxyServer"), text(k, "ProxyOverride"), text(k, "AutoConfigURL"))
	s.Browser.Source = src
	if c, err := key(src + `\Connections`); err == nil && c.Exists {
		if v, ok := c.Value("DefaultConnectionSettings"); ok && len(v.Binary) > 0 {
			if cs, err := ParseConnSettings(v.Binary); err == nil && cs.AutoDetect() {
				s.Notes = append(s.Notes, i18n.T("proxy.note.autodetect", src+`\Connections\DefaultConnectionSettings`))
			}
		}
	}
	w, err := key(WinHTTPKey)
	if err != nil {
		return s, err
	}
	wh := host.ProxySettings{Source: WinHTTPKey + `\WinHttpSettings`}
	if v, ok := w.Value("WinHttpSettings"); ok && len(v.Binary) > 0 {
		cs, perr := ParseConnSettings(v.Binary)
		if perr != nil {
			s.Notes = append(s.Notes, i18n.T("proxy.note.winhttp-unreadable", WinHTTPKey+`\WinHttpSettings`, perr.Error()))
		} else {
			wh = host.ParseWinINetProxy(cs.UsesProxy(), cs.Proxy, cs.Bypass, "")
			wh.Source = WinHTTPKey + `\WinHttpSettings`
		}
	}
	s.WinHTTP = &wh
	return s, nil
}

func hasAny(k host.RegKey, names ...string) bool {
	for _, n := range names {
		if _, ok := k.Value(n); ok {
			return true
		}
	}
	return false
}

func text(k host.RegKey, name string) string {
	if v, ok := k.Value(name); ok {
		return v.Text()
	}
	return ""
}

// EnvironmentFile is read on Linux for the system-wide proxy that
// pam_env gives every login session.
const EnvironmentFile = "/etc/environment"

// readEnv reads the *_proxy variables of gmu-doctor's environment and,
// when they are unset, /etc/environment's.
func readEnv(ctx context.Context, h host.Host) Settings {
	var s Settings
	s.Browser = host.EnvProxySettings(func(name string) string { v, _ := h.LookupEnv(name); return v })
	if s.Browser.HTTP != "" || s.Browser.HTTPS != "" {
		return s
	}
	data, err := h.ReadFile(ctx, EnvironmentFile, 64<<10)
	if err != nil {
		if !errors.Is(err, host.ErrFileNotFound) {
			s.Notes = append(s.Notes, i18n.T("proxy.note.env-unreadable", EnvironmentFile, err.Error()))
		}
		return s
	}
	vars := ParseEnvironment(string(data))
	fromFile := host.EnvProxySettings(func(name string) string { return vars[name] })
	if fromFile.HTTP != "" || fromFile.HTTPS != "" {
		fromFile.Source = EnvironmentFile
		s.Browser = fromFile
	}
	return s
}

// ParseEnvironment reads KEY=VALUE lines as pam_env does for
// /etc/environment: comments and blank lines skipped, an optional
// "export " prefix, values optionally quoted.
func ParseEnvironment(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		i := strings.IndexByte(line, '=')
		if i <= 0 {
			continue
		}
		k, v := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		out[k] = v
	}
	return out
}
