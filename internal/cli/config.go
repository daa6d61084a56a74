package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// EnvPrefix prefixes the environment variables that override the config
// file: GMU_DOCTOR_LANG, GMU_DOCTOR_SITE, GMU_DOCTOR_ROOT …
const EnvPrefix = "GMU_DOCTOR"

// Config is the resolved configuration of one run. Precedence: flag >
// GMU_DOCTOR_* environment variable > config file > default.
type Config struct {
	// File is the config file that was read ("" when none).
	File         string
	Lang         i18n.Lang
	Sites        []string // site IDs in display order
	Format       string
	Strict       bool
	Timeout      time.Duration // 0: each check's own timeout
	ShowPersonal bool
	TSL          string
	Root         string
	User         string
	// At replaces the live clock (--at): the checks judge expiry and days
	// left as of this moment. Zero: the machine's clock.
	At time.Time
	// SiteOverrides is the raw sites.<id> section, for profile.Resolve.
	SiteOverrides map[string]any
	// Checks is the raw checks.<id> section, decoded per check with
	// doctor.DecodeConfig.
	Checks map[string]map[string]any
	// Monitoring holds the days-left thresholds of the monitoring outputs
	// (section monitoring: cert_warn_days, cert_crit_days).
	Monitoring report.Thresholds
	// Offline disables every network question (--offline, offline: true,
	// GMU_DOCTOR_OFFLINE).
	Offline bool
	// NetBudget bounds all online work of a run (--net-budget,
	// net_budget); 0 means doctor.DefaultNetBudget.
	NetBudget time.Duration
	// NetResolve is net.resolve: host or host:port → ip[:port] to dial
	// instead (pin a host, or point it at a test server).
	NetResolve map[string]string
	// NetProxy is net.proxy: a proxy URL, or "direct", overriding the
	// workstation's proxy settings.
	NetProxy string
}

// scalarKeys are the top-level settings with the flag that overrides each.
var scalarKeys = []struct{ key, flag string }{
	{"lang", "lang"},
	{"site", "site"},
	{"format", "format"},
	{"strict", "strict"},
	{"timeout", "timeout"},
	{"show_personal", "show-personal"},
	{"tsl", "tsl"},
	{"root", "root"},
	{"user", "user"},
	{"at", "at"},
	{"offline", "offline"},
	{"net_budget", "net-budget"},
}

// mapKeys are the top-level sections.
var mapKeys = []string{"sites", "checks", "monitoring", "net"}

// TopLevelKeys lists every key a config file may have at the top level.
func TopLevelKeys() []string {
	var out []string
	for _, k := range scalarKeys {
		out = append(out, k.key)
	}
	return append(out, mapKeys...)
}

// Config returns the configuration of the running command, reading the
// config file on first use. Errors are exit-2 errors naming the file and
// key.
func (a *App) Config() (*Config, error) {
	if !a.cfgLoaded {
		a.cfgLoaded = true
		var fl *pflag.FlagSet
		if a.cmd != nil {
			fl = a.cmd.Flags()
		}
		a.cfg, a.cfgErr = a.loadConfig(fl)
	}
	return a.cfg, a.cfgErr
}

// configPath returns the config file to read: --config, else
// GMU_DOCTOR_CONFIG, else the default file when it exists. explicit is
// true when the user named the file (then it must exist).
func (a *App) configPath(fl *pflag.FlagSet) (path string, explicit bool) {
	if fl != nil {
		if f := fl.Lookup("config"); f != nil && f.Value.String() != "" {
			return f.Value.String(), true
		}
	}
	if p := a.getenv(EnvPrefix + "_CONFIG"); p != "" {
		return p, true
	}
	if a.UserConfigDir == nil {
		return "", false
	}
	dir, err := a.UserConfigDir()
	if err != nil || dir == "" {
		return "", false
	}
	p := filepath.Join(dir, "gmu-doctor", "config.yaml")
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p, false
}

// DefaultConfigPath is where gmu-doctor looks for its config file.
func (a *App) DefaultConfigPath() string {
	if a.UserConfigDir == nil {
		return ""
	}
	dir, err := a.UserConfigDir()
	if err != nil || dir == "" {
		return ""
	}
	return filepath.Join(dir, "gmu-doctor", "config.yaml")
}

func (a *App) loadConfig(fl *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	cfg := &Config{}
	path, explicit := a.configPath(fl)
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) && !explicit {
				path = ""
			} else {
				return nil, a.Fail("cli.error.config-read", path, err.Error())
			}
		}
	}
	if path != "" {
		// Read the file ourselves: only a regular file, at most
		// safefile.ConfigLimit bytes, and no more keys or nesting than a
		// config can sensibly have (viper's cost grows steeply with both).
		data, err := safefile.ReadFile(path, safefile.ConfigLimit)
		if err != nil {
			return nil, a.Fail("cli.error.config-read", path, oneLine(err.Error()))
		}
		if err := checkConfigShape(data); err != nil {
			return nil, a.Fail("cli.error.config-read", path, err.Error())
		}
		switch ext := strings.ToLower(filepath.Ext(path)); ext {
		case ".json", ".toml":
			v.SetConfigType(ext[1:])
		default:
			v.SetConfigType("yaml")
		}
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, a.Fail("cli.error.config-read", path, oneLine(err.Error()))
		}
		cfg.File = path
		if err := checkTopLevel(v.AllKeys()); err != nil {
			return nil, a.Fail("cli.error.config", path, err.Error())
		}
	}
	where := path
	if where == "" {
		where = EnvPrefix + "_*"
	}
	v.SetEnvPrefix(EnvPrefix)
	for _, k := range scalarKeys {
		if err := v.BindEnv(k.key); err != nil {
			return nil, fmt.Errorf("bind env %s: %w", k.key, err)
		}
		if fl != nil {
			if f := fl.Lookup(k.flag); f != nil {
				if err := v.BindPFlag(k.key, f); err != nil {
					return nil, fmt.Errorf("bind flag %s: %w", k.flag, err)
				}
			}
		}
	}
	v.SetDefault("format", "text")
	changed := func(flag string) bool {
		if fl == nil {
			return false
		}
		f := fl.Lookup(flag)
		return f != nil && f.Changed
	}
	// bad reports a wrong value: a usage error when it came from a flag,
	// else a config error naming the key.
	bad := func(key, flag string, err error) error {
		if changed(flag) {
			return a.UsageError("cli.error.flag-value", "--"+flag, err.Error())
		}
		return a.Fail("cli.error.config", where, key+": "+err.Error())
	}

	var err error
	if s := getString(v, "lang"); s != "" {
		if cfg.Lang, err = i18n.ParseLang(s); err != nil {
			return nil, bad("lang", "lang", err)
		}
	} else {
		cfg.Lang = a.localeLang()
	}
	if cfg.Sites, err = profile.ParseSelection(getStrings(v, "site")); err != nil {
		return nil, bad("site", "site", err)
	}
	cfg.Format = getString(v, "format")
	if cfg.Strict, err = getBool(v, "strict"); err != nil {
		return nil, bad("strict", "strict", err)
	}
	if cfg.ShowPersonal, err = getBool(v, "show_personal"); err != nil {
		return nil, bad("show_personal", "show-personal", err)
	}
	if cfg.Timeout, err = getDuration(v, "timeout"); err != nil {
		return nil, bad("timeout", "timeout", err)
	}
	cfg.TSL = getString(v, "tsl")
	cfg.Root = getString(v, "root")
	cfg.User = getString(v, "user")
	if at := getString(v, "at"); at != "" {
		t, err := parseAt(at)
		if err != nil {
			return nil, bad("at", "at", err)
		}
		cfg.At = t
	}

	if cfg.Offline, err = getBool(v, "offline"); err != nil {
		return nil, bad("offline", "offline", err)
	}
	if cfg.NetBudget, err = getDuration(v, "net_budget"); err != nil {
		return nil, bad("net_budget", "net-budget", err)
	}
	if raw := v.Get("net"); raw != nil {
		if err := cfg.readNet(raw); err != nil {
			return nil, a.Fail("cli.error.config", where, err.Error())
		}
	}
	if raw := v.Get("sites"); raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, a.Fail("cli.error.config", where, fmt.Sprintf("sites: want a map of site IDs, got %s", typeName(raw)))
		}
		cfg.SiteOverrides = m
		if _, err := profile.Resolve(nil, m); err != nil {
			return nil, a.Fail("cli.error.config", where, strings.TrimPrefix(err.Error(), "config: "))
		}
	}
	if raw := v.Get("checks"); raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, a.Fail("cli.error.config", where, fmt.Sprintf("checks: want a map of check IDs, got %s", typeName(raw)))
		}
		cfg.Checks = map[string]map[string]any{}
		for id, sec := range m {
			sm, ok := sec.(map[string]any)
			if !ok && sec != nil {
				return nil, a.Fail("cli.error.config", where, fmt.Sprintf("checks.%s: want a map of settings, got %s", id, typeName(sec)))
			}
			cfg.Checks[id] = sm
		}
	}
	cfg.Monitoring = report.DefaultThresholds()
	if raw := v.Get("monitoring"); raw != nil {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, a.Fail("cli.error.config", where, fmt.Sprintf("monitoring: want a map of settings, got %s", typeName(raw)))
		}
		if err := doctor.DecodeConfig(m, &cfg.Monitoring); err != nil {
			return nil, a.Fail("cli.error.config", where, "monitoring: "+strings.TrimPrefix(err.Error(), "decode config: "))
		}
		if err := cfg.Monitoring.Validate(); err != nil {
			return nil, a.Fail("cli.error.config", where, "monitoring: "+err.Error())
		}
	}
	return cfg, nil
}

// ValidateChecks decodes every checks.<id> section into the check's config
// so that a typo or a wrong type is an error before anything runs.
func (a *App) ValidateChecks(cfg *Config, suite []*doctor.Check) error {
	byID := map[string]*doctor.Check{}
	var ids []string
	for _, c := range suite {
		byID[c.ID] = c
		ids = append(ids, c.ID)
	}
	where := cfg.where()
	var secs []string
	for id := range cfg.Checks {
		secs = append(secs, id)
	}
	sort.Strings(secs)
	for _, id := range secs {
		c, ok := byID[id]
		if !ok {
			return a.Fail("cli.error.config", where, fmt.Sprintf("checks.%s: unknown check; valid IDs: %s", id, strings.Join(ids, ", ")))
		}
		var into any
		if c.NewConfig != nil {
			into = c.NewConfig()
		}
		if err := doctor.DecodeConfig(cfg.Checks[id], into); err != nil {
			return a.Fail("cli.error.config", where, fmt.Sprintf("checks.%s: %s", id, strings.TrimPrefix(err.Error(), "decode config: ")))
		}
	}
	return nil
}

// where names the source of the settings for error messages.
func (cfg *Config) where() string {
	if cfg.File == "" {
		return EnvPrefix + "_*"
	}
	return cfg.File
}

// DecodeFunc returns the doctor.Runner.DecodeConfig hook for cfg.
func (cfg *Config) DecodeFunc() func(id string, into any) error {
	return func(id string, into any) error {
		sec := cfg.Checks[id]
		if len(sec) == 0 {
			return nil
		}
		if err := doctor.DecodeConfig(sec, into); err != nil {
			return fmt.Errorf("checks.%s: %w", id, err)
		}
		return nil
	}
}

// checkTopLevel rejects keys a config file may not have. keys are viper's
// AllKeys (dotted paths), which, unlike AllSettings, include keys with an
// empty value: `lnag:` is as wrong as `lnag: en`.
func checkTopLevel(keys []string) error {
	known := map[string]bool{}
	for _, k := range TopLevelKeys() {
		known[k] = true
	}
	var unknown []string
	for _, k := range keys {
		top, _, _ := strings.Cut(k, ".")
		if !known[top] {
			unknown = append(unknown, top)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("unknown key %q; valid keys: %s", unknown[0], strings.Join(TopLevelKeys(), ", "))
}

func getString(v *viper.Viper, key string) string {
	switch x := v.Get(key).(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case []string:
		return strings.Join(x, ",")
	default:
		return fmt.Sprint(x)
	}
}

// getStrings accepts a list or a comma-separated string.
func getStrings(v *viper.Viper, key string) []string {
	var raw []string
	switch x := v.Get(key).(type) {
	case nil:
	case string:
		raw = strings.Split(x, ",")
	case []string:
		for _, s := range x {
			raw = append(raw, strings.Split(s, ",")...)
		}
	case []any:
		for _, s := range x {
			raw = append(raw, fmt.Sprint(s))
		}
	default:
		raw = []string{fmt.Sprint(x)}
	}
	var out []string
	for _, s := range raw {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func getBool(v *viper.Viper, key string) (bool, error) {
	switch x := v.Get(key).(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(x))
		if err != nil {
			return false, fmt.Errorf("want true or false, got %q", x)
		}
		return b, nil
	default:
		return false, fmt.Errorf("want true or false, got %s", typeName(x))
	}
}

func getDuration(v *viper.Viper, key string) (time.Duration, error) {
	var d time.Duration
	switch x := v.Get(key).(type) {
	case nil:
		return 0, nil
	case time.Duration:
		d = x
	case string:
		s := strings.TrimSpace(x)
		if s == "" || s == "0" {
			return 0, nil
		}
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("want a duration such as 30s or 2m, got %q", x)
		}
	case int:
		d = time.Duration(x) * time.Second
	case int64:
		d = time.Duration(x) * time.Second
	case float64:
		d = time.Duration(x * float64(time.Second))
	default:
		return 0, fmt.Errorf("want a duration such as 30s or 2m, got %s", typeName(x))
	}
	if d < 0 {
		return 0, fmt.Errorf("want a positive duration, got %s", d)
	}
	return d, nil
}

func typeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int64, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

// parseAt reads --at: RFC 3339 ("2025-12-01T09:00:00+03:00") or a date
// ("2025-12-01", midnight UTC).
func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("want a date (2025-12-01) or RFC 3339 time (2025-12-01T09:00:00+03:00), got %q", s)
	}
	return t, nil
}

// readNet reads the net section: resolve (a map of host or host:port to
// ip or ip:port) and proxy (a URL or "direct").
func (cfg *Config) readNet(raw any) error {
	m, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("net: want a map with resolve and proxy, got %s", typeName(raw))
	}
	for k, val := range m {
		switch k {
		case "resolve":
			rm, ok := val.(map[string]any)
			if !ok && val != nil {
				return fmt.Errorf("net.resolve: want a map of host names to addresses, got %s", typeName(val))
			}
			cfg.NetResolve = map[string]string{}
			for name, to := range rm {
				s, ok := to.(string)
				if !ok || strings.TrimSpace(s) == "" {
					return fmt.Errorf("net.resolve.%s: want an address such as 127.0.0.1:8080, got %s", name, typeName(to))
				}
				if err := checkResolveTarget(s); err != nil {
					return fmt.Errorf("net.resolve.%s: %w", name, err)
				}
				cfg.NetResolve[name] = strings.TrimSpace(s)
			}
		case "proxy":
			s, ok := val.(string)
			if !ok && val != nil {
				return fmt.Errorf("net.proxy: want a URL such as http://proxy:3128 or direct, got %s", typeName(val))
			}
			cfg.NetProxy = strings.TrimSpace(s)
		default:
			return fmt.Errorf("net: unknown key %q; valid keys: resolve, proxy", k)
		}
	}
	return nil
}

// checkResolveTarget accepts "ip" or "ip:port" (IPv6 in brackets with a
// port).
func checkResolveTarget(s string) error {
	s = strings.TrimSpace(s)
	h := s
	if hh, port, err := net.SplitHostPort(s); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
			return fmt.Errorf("port %q is not a number from 1 to 65535", port)
		}
		h = hh
	}
	if net.ParseIP(strings.Trim(h, "[]")) == nil {
		return fmt.Errorf("%q is not an IP address (with an optional :port)", s)
	}
	return nil
}

// NetOptions are the live host's network options of this configuration.
func (cfg *Config) NetOptions() host.NetOptions {
	return host.NetOptions{Offline: cfg.Offline, Resolve: cfg.NetResolve, Proxy: cfg.NetProxy}
}
