package sites

import (
	"context"
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Purposes of an allowlist entry.
const (
	PurposeSite = "site" // a site's TLS address
	PurposeCRL  = certs.URLCRL
	PurposeOCSP = certs.URLOCSP
	PurposeAIA  = certs.URLAIA
)

// AllowEntry is one host:port the workstation needs to reach.
type AllowEntry struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Purposes []string `json:"purposes"`
	// URLs are the addresses that need it (a site's https:// URL, the
	// CRL, OCSP and AIA URLs of the certificates), sorted.
	URLs []string `json:"urls"`
	// Certificates name the certificates whose URLs these are.
	Certificates []string `json:"certificates,omitempty"`
}

// Allowlist lists every host:port the workstation needs open: the
// endpoints of the selected sites, and the CDP, OCSP and AIA hosts of its
// personal certificates and of every certificate of their chains (built
// through the CA and Root stores). errs lists stores that could not be
// read.
func Allowlist(ctx context.Context, h host.Host, profiles []*profile.Site) ([]AllowEntry, []string) {
	var entries []AllowEntry
	byAddr := map[string]*AllowEntry{}
	add := func(hostName string, port int, purpose, u, cert string) {
		hostName = strings.ToLower(strings.TrimSuffix(hostName, "."))
		if hostName == "" || port <= 0 {
			return
		}
		k := host.JoinHostPort(hostName, port)
		e := byAddr[k]
		if e == nil {
			e = &AllowEntry{Host: hostName, Port: port}
			byAddr[k] = e
		}
		e.Purposes = addUnique(e.Purposes, purpose)
		if u != "" {
			e.URLs = addUnique(e.URLs, u)
		}
		if cert != "" {
			e.Certificates = addUnique(e.Certificates, cert)
		}
	}
	for _, s := range profiles {
		for _, ep := range s.Endpoints {
			add(ep.Host, ep.Port, PurposeSite, "https://"+ep.Addr()+"/", "")
		}
	}
	urls, errs := certs.PersonalChainURLs(ctx, h)
	for _, u := range urls {
		hh, p, ok := urlHostPort(u.URL)
		if !ok {
			continue
		}
		name := ""
		if u.Cert != nil {
			name = u.Cert.DisplayName() + " (SHA-1 " + u.Cert.SHA1 + ")"
		}
		add(hh, p, u.Kind, u.URL, name)
	}
	for _, e := range byAddr {
		entries = append(entries, *e)
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Host != entries[j].Host {
			return entries[i].Host < entries[j].Host
		}
		return entries[i].Port < entries[j].Port
	})
	return entries, errs
}

// urlHostPort returns the host and port a URL needs.
func urlHostPort(raw string) (string, int, bool) {
	_, h, p, ok := host.SplitURL(raw)
	return h, p, ok
}

func addUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	list = append(list, v)
	sort.Strings(list)
	return list
}
