package host

import (
	"net"
	"net/url"
	"path"
	"strings"
)

// ProxySettings is a workstation's static proxy configuration, as read from
// WinINet's per-user registry values on Windows or from the *_proxy
// environment variables elsewhere. A proxy auto-configuration script (PAC,
// WinINet AutoConfigURL) is only named, never run: a JavaScript engine is
// out of scope, so its verdict is unknown here.
type ProxySettings struct {
	// HTTP and HTTPS are proxy URLs ("http://proxy:3128") for http:// and
	// https:// requests; "" means direct.
	HTTP  string `json:"http,omitempty"`
	HTTPS string `json:"https,omitempty"`
	// Bypass lists the exceptions as written (WinINet ProxyOverride entries
	// separated by ";", or no_proxy entries separated by ",").
	Bypass []string `json:"bypass,omitempty"`
	// BypassLocal: WinINet's "<local>" entry — host names without a dot go
	// direct.
	BypassLocal bool `json:"bypass_local,omitempty"`
	// PAC is WinINet's AutoConfigURL, when set.
	PAC string `json:"pac,omitempty"`
	// Source says where the settings were read ("HKCU\…\Internet
	// Settings", "environment").
	Source string `json:"source,omitempty"`
	// winINet selects WinINet's bypass wildcard rules over no_proxy's
	// suffix rules.
	winINet bool
}

// WinINetProxyKey is where WinINet keeps the per-user proxy settings.
const WinINetProxyKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// ParseWinINetProxy reads WinINet's values: ProxyEnable (DWORD),
// ProxyServer ("host:port" for every protocol, or
// "http=host:port;https=host:port;…"), ProxyOverride ("<local>;*.corp;10.*")
// and AutoConfigURL. A disabled proxy gives empty HTTP and HTTPS.
func ParseWinINetProxy(enable bool, server, override, autoConfigURL string) ProxySettings {
	s := ProxySettings{Source: WinINetProxyKey, PAC: strings.TrimSpace(autoConfigURL), winINet: true}
	for _, e := range strings.Split(override, ";") {
		e = strings.TrimSpace(e)
		switch {
		case e == "":
		case strings.EqualFold(e, "<local>"):
			s.BypassLocal = true
		default:
			s.Bypass = append(s.Bypass, e)
		}
	}
	if !enable {
		return s
	}
	server = strings.TrimSpace(server)
	if server == "" {
		return s
	}
	if !strings.Contains(server, "=") {
		s.HTTP, s.HTTPS = proxyURL(server), proxyURL(server)
		return s
	}
	for _, part := range strings.FieldsFunc(server, func(r rune) bool { return r == ';' || r == ' ' }) {
		i := strings.IndexByte(part, '=')
		if i < 0 {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(part[:i])) {
		case "http":
			s.HTTP = proxyURL(part[i+1:])
		case "https":
			s.HTTPS = proxyURL(part[i+1:])
		}
	}
	return s
}

// EnvProxySettings reads http_proxy, https_proxy and no_proxy (lower case
// first, as curl and wget do, then upper case) through getenv.
func EnvProxySettings(getenv func(string) string) ProxySettings {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return strings.TrimSpace(getenv(strings.ToUpper(name)))
	}
	s := ProxySettings{Source: "environment (http_proxy, https_proxy, no_proxy)"}
	if v := get("http_proxy"); v != "" {
		s.HTTP = proxyURL(v)
	}
	if v := get("https_proxy"); v != "" {
		s.HTTPS = proxyURL(v)
	}
	for _, e := range strings.Split(get("no_proxy"), ",") {
		if e = strings.TrimSpace(e); e != "" {
			s.Bypass = append(s.Bypass, e)
		}
	}
	return s
}

// proxyURL turns "host:port" or "http://host:port/" into a proxy URL; ""
// when it cannot be one.
func proxyURL(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return ""
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	return u.String()
}

// ProxyFor returns the proxy URL for a request to rawURL, or "" for a
// direct connection.
func (s ProxySettings) ProxyFor(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	p := s.HTTP
	if strings.EqualFold(u.Scheme, "https") {
		p = s.HTTPS
	}
	if p == "" || s.Bypasses(u.Hostname(), u.Port()) {
		return ""
	}
	return p
}

// Bypasses reports whether host (and port, "" for the scheme's default)
// goes direct.
func (s ProxySettings) Bypasses(host, port string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if s.BypassLocal && !strings.Contains(host, ".") && !strings.Contains(host, ":") {
		return true
	}
	for _, e := range s.Bypass {
		if s.winINet {
			if winINetBypassMatch(strings.ToLower(e), host, port) {
				return true
			}
		} else if noProxyMatch(strings.ToLower(e), host, port) {
			return true
		}
	}
	return false
}

// winINetBypassMatch: ProxyOverride entries are shell-style wildcards
// matched against the host name (or IP), optionally with a scheme prefix
// ("http://*.corp"); "*" alone bypasses everything.
func winINetBypassMatch(e, host, port string) bool {
	if i := strings.Index(e, "://"); i >= 0 {
		e = e[i+3:]
	}
	if h, p, err := net.SplitHostPort(e); err == nil && p != "*" {
		if port != "" && p != port {
			return false
		}
		e = h
	}
	ok, err := path.Match(e, host)
	return err == nil && ok
}

// noProxyMatch follows curl's no_proxy rules: "*" matches everything,
// "example.com" and ".example.com" match the domain and its subdomains, an
// IP or CIDR matches addresses, "host:port" matches only that port.
func noProxyMatch(e, host, port string) bool {
	if e == "*" {
		return true
	}
	if h, p, err := net.SplitHostPort(e); err == nil {
		if p != port {
			return false
		}
		e = h
	}
	if _, cidr, err := net.ParseCIDR(e); err == nil {
		ip := net.ParseIP(host)
		return ip != nil && cidr.Contains(ip)
	}
	e = strings.TrimPrefix(strings.TrimPrefix(e, "*"), ".")
	if e == "" {
		return false
	}
	return host == e || strings.HasSuffix(host, "."+e)
}
