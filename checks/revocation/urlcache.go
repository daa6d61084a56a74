package revocation

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// CryptoAPI's URL cache (CryptnetUrlCache). When CryptoAPI downloads a CRL
// it keeps the bytes in …\CryptnetUrlCache\Content\<name> and a record of
// the download in …\CryptnetUrlCache\MetaData\<name> (the same name), per
// profile: the user's, and the SYSTEM, LocalService and NetworkService
// profiles used by services. A cached CRL past its nextUpdate is what
// CryptoAPI holds when the CRL host cannot be reached, so reading it tells
// "the cached list expired on …" even without the network.
//
// The MetaData layout is not documented by Microsoft. What is read here
// follows the public forensic descriptions (AbdulRhman Alfaifi's
// CryptnetUrlCache parsers and his "certutil artifacts" write-up, also used
// by the Kuiper DFIR platform), all little-endian:
//
//	offset  12  uint32   size in bytes of the URL (UTF-16LE, with its NUL)
//	offset  16  FILETIME last download time
//	offset  88  FILETIME the server's Last-Modified      [UNCONFIRMED]
//	offset 100  uint32   size of the ETag/hash string that follows the URL [UNCONFIRMED]
//	offset 112  uint32   size of the cached content
//	offset 116  the URL, then the ETag/hash string
//
// The other bytes are unknown. Only the URL and the download time are relied
// on; the CRL itself is read from Content and verified like a downloaded
// one, so a misread metadata field can at worst hide a cached list.

// URLCacheEntry is one parsed MetaData record.
type URLCacheEntry struct {
	URL          string
	Downloaded   time.Time // zero when the field is not a plausible time
	LastModified time.Time // unconfirmed field; zero when implausible
	Size         uint32
}

const (
	metaHeader  = 116
	maxMetaSize = 64 << 10
	maxURLBytes = 8 << 10
	maxCacheCRL = host.DefaultHTTPMaxBytes
	maxMetaList = 2000
)

// ParseURLCacheMeta parses a CryptnetUrlCache MetaData file.
func ParseURLCacheMeta(b []byte) (URLCacheEntry, error) {
	var e URLCacheEntry
	if len(b) < metaHeader {
		return e, fmt.Errorf("parse URL cache metadata: %d bytes, want at least %d", len(b), metaHeader)
	}
	if len(b) > maxMetaSize {
		return e, fmt.Errorf("parse URL cache metadata: %d bytes, more than %d", len(b), maxMetaSize)
	}
	n := int(binary.LittleEndian.Uint32(b[12:]))
	if n < 2 || n%2 != 0 || n > maxURLBytes || metaHeader+n > len(b) {
		return e, fmt.Errorf("parse URL cache metadata: URL size %d does not fit", n)
	}
	u := make([]uint16, 0, n/2)
	for i := 0; i < n; i += 2 {
		c := binary.LittleEndian.Uint16(b[metaHeader+i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	e.URL = string(utf16.Decode(u))
	l := strings.ToLower(e.URL)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "ldap://") {
		return URLCacheEntry{}, errors.New("parse URL cache metadata: the URL field holds no URL")
	}
	e.Downloaded = fileTime(binary.LittleEndian.Uint64(b[16:]))
	e.LastModified = fileTime(binary.LittleEndian.Uint64(b[88:]))
	e.Size = binary.LittleEndian.Uint32(b[112:])
	return e, nil
}

// fileTime converts a FILETIME; implausible values (before 2000, after
// 2100) give the zero time.
func fileTime(ft uint64) time.Time {
	const epochDiff = 116444736000000000 // 1601-01-01 to 1970-01-01 in 100 ns
	if ft < epochDiff {
		return time.Time{}
	}
	t := time.Unix(0, 0).Add(time.Duration((ft-epochDiff)/10) * time.Microsecond).UTC()
	if t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}
	}
	return t
}

// cachedCRL is a cached list of one certificate's issuer.
type cachedCRL struct {
	cert, issuer *pki.Certificate
	entry        URLCacheEntry
	profile      string // the cache folder
	crl          *pki.CRL
}

// cacheDirs are the CryptnetUrlCache folders of the user and the service
// profiles.
func cacheDirs(h host.Host) []string {
	f := h.Facts()
	sys, ok := h.LookupEnv("SystemRoot")
	if !ok || sys == "" {
		sys = `C:\Windows`
	}
	const tail = `\AppData\LocalLow\Microsoft\CryptnetUrlCache`
	var dirs []string
	if f.Home != "" {
		dirs = append(dirs, strings.TrimRight(f.Home, `\`)+tail)
	}
	return append(dirs,
		sys+`\System32\config\systemprofile`+tail,
		sys+`\ServiceProfiles\LocalService`+tail,
		sys+`\ServiceProfiles\NetworkService`+tail)
}

// readURLCache finds the cached CRLs of the chains' certificates (Windows).
func readURLCache(ctx context.Context, h host.Host, chains []Chain) []cachedCRL {
	if h.Facts().OS != "windows" {
		return nil
	}
	type want struct{ cert, issuer *pki.Certificate }
	wanted := map[string][]want{}
	for _, ch := range chains {
		for i := 0; i+1 < len(ch); i++ {
			for _, u := range ch[i].CRLDistributionPoints {
				wanted[strings.ToLower(strings.TrimSpace(u))] = append(wanted[strings.ToLower(strings.TrimSpace(u))], want{ch[i], ch[i+1]})
			}
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	var out []cachedCRL
	for _, dir := range cacheDirs(h) {
		list, err := h.ReadDir(ctx, dir+`\MetaData`)
		if err != nil {
			continue
		}
		if len(list) > maxMetaList {
			list = list[:maxMetaList]
		}
		for _, fi := range list {
			if fi.IsDir || fi.Size > maxMetaSize || ctx.Err() != nil {
				continue
			}
			b, err := h.ReadFile(ctx, dir+`\MetaData\`+fi.Name, maxMetaSize)
			if err != nil {
				continue
			}
			e, err := ParseURLCacheMeta(b)
			if err != nil {
				continue
			}
			ws := wanted[strings.ToLower(e.URL)]
			if len(ws) == 0 {
				continue
			}
			body, err := h.ReadFile(ctx, dir+`\Content\`+fi.Name, maxCacheCRL)
			if err != nil {
				continue
			}
			l, err := pki.ParseCRL(body)
			if err != nil {
				continue
			}
			for _, w := range ws {
				if l.CheckSignatureFrom(w.issuer) != nil {
					continue
				}
				out = append(out, cachedCRL{cert: w.cert, issuer: w.issuer, entry: e, profile: dir, crl: l})
			}
		}
	}
	return out
}

// reportURLCache turns the cached lists into findings and notes. statuses
// are the online results (nil offline): an expired cached list matters when
// no fresh list could be fetched.
func reportURLCache(pass *doctor.Pass, cached []cachedCRL, statuses []*Status) int {
	facts := pass.Host.Facts()
	show := pass.Options.ShowPersonal
	now := pass.Host.Now()
	at := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return certs.LocalTime(facts, t)
	}
	byCert := map[string]*Status{}
	for _, s := range statuses {
		byCert[s.Cert.SHA1] = s
	}
	n := 0
	for _, c := range cached {
		label := certs.Label(c.cert, show)
		if e, revoked := c.crl.Lookup(c.cert.Serial); revoked {
			pass.Report(doctor.Finding{Severity: doctor.Fail, Code: "revocation.revoked", Subject: "sha1:" + c.cert.SHA1, URL: c.entry.URL,
				Message: i18n.T("revocation.cached-revoked.msg", label, c.cert.SHA1, at(e.RevocationDate), orDash(pki.ReasonName(e.Reason)), c.entry.URL, c.profile),
				Hint:    i18n.T("revocation.revoked.leaf.hint")})
			n++
			continue
		}
		if !c.crl.ExpiredAt(now) {
			pass.Note(i18n.T("revocation.note.cached", label, c.cert.SHA1, c.entry.URL, c.profile, at(c.entry.Downloaded), at(c.crl.NextUpdate)))
			continue
		}
		st := byCert[c.cert.SHA1]
		if st != nil && st.Verdict == VerdictGood {
			pass.Note(i18n.T("revocation.note.cached-stale", label, c.cert.SHA1, c.entry.URL, at(c.crl.NextUpdate)))
			continue
		}
		h := host.URLHost(c.entry.URL)
		f := doctor.Finding{Severity: doctor.Fail, Code: "revocation.cached-expired", Subject: "sha1:" + c.cert.SHA1, URL: c.entry.URL,
			Commands: []string{"certutil -urlcache " + quoteWin(c.entry.URL) + " delete", `certutil -setreg chain\ChainCacheResyncFiletime @now`}}
		if st != nil && len(st.Hosts(OutUnreachable)) > 0 {
			hosts := strings.Join(st.Hosts(OutUnreachable), ", ")
			f.Message = i18n.T("revocation.cached-expired.unreachable.msg", label, c.cert.SHA1, c.entry.URL, c.profile, at(c.entry.Downloaded), at(c.crl.NextUpdate), hosts)
			f.Hint = i18n.T("revocation.cached-expired.hint", hosts)
		} else {
			f.Message = i18n.T("revocation.cached-expired.msg", label, c.cert.SHA1, c.entry.URL, c.profile, at(c.entry.Downloaded), at(c.crl.NextUpdate))
			f.Hint = i18n.T("revocation.cached-expired.hint", h)
		}
		pass.Report(f)
		n++
	}
	return n
}
