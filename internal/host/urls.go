package host

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// SchemePorts are the default ports of the URL schemes certificates and
// sites use.
var SchemePorts = map[string]int{"http": 80, "https": 443, "ldap": 389, "ldaps": 636}

// SplitURL returns the scheme (lower case), host name and port a URL
// needs (the scheme's default port when none is given); ok is false for a
// malformed URL or a scheme without a network port (file:, mailto:).
func SplitURL(raw string) (scheme, hostName string, port int, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Hostname() == "" {
		return "", "", 0, false
	}
	scheme = strings.ToLower(u.Scheme)
	port, ok = SchemePorts[scheme]
	if !ok {
		return "", "", 0, false
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return "", "", 0, false
		}
		port = n
	}
	return scheme, u.Hostname(), port, true
}

// JoinHostPort is host:port, with brackets around an IPv6 address.
func JoinHostPort(hostName string, port int) string {
	return net.JoinHostPort(hostName, strconv.Itoa(port))
}

// IsIP reports whether s is an IP address literal.
func IsIP(s string) bool { return net.ParseIP(strings.Trim(s, "[]")) != nil }
