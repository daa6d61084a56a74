package revocation_test

import (
	"encoding/binary"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/gmu-doctor/gmu-doctor/checks/revocation"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// metaFile lays out a CryptnetUrlCache MetaData record the way the public
// forensic descriptions give it (see urlcache.go; no real sample was
// available, so the layout itself is the unconfirmed part).
func metaFile(url string, downloaded time.Time, size int) []byte {
	u := utf16.Encode([]rune(url + "\x00"))
	b := make([]byte, 116+2*len(u))
	binary.LittleEndian.PutUint32(b[12:], uint32(2*len(u)))
	ft := uint64(downloaded.UnixNano()/100) + 116444736000000000
	binary.LittleEndian.PutUint64(b[16:], ft)
	binary.LittleEndian.PutUint32(b[112:], uint32(size))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[116+2*i:], c)
	}
	return b
}

const cacheDir = `C:\Users\buh\AppData\LocalLow\Microsoft\CryptnetUrlCache`

func cachedWorkstation(t *testing.T, crl string) *doctortest.SnapBuilder {
	body := file(t, crl)
	downloaded := time.Date(2020, 12, 20, 10, 0, 0, 0, time.UTC)
	return windows(t, "leaf-good.pem").
		Dir(cacheDir+`\MetaData`, "5E0C3A8D1F").
		File(cacheDir+`\MetaData\5E0C3A8D1F`, string(metaFile("http://crl.ca.test/int.crl", downloaded, len(body)))).
		File(cacheDir+`\Content\5E0C3A8D1F`, string(body))
}

func TestParseURLCacheMeta(t *testing.T) {
	at := time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)
	e, err := revocation.ParseURLCacheMeta(metaFile("http://crl.roskazna.ru/crl/ucfk_2024.crl", at, 4096))
	if err != nil || e.URL != "http://crl.roskazna.ru/crl/ucfk_2024.crl" || !e.Downloaded.Equal(at) || e.Size != 4096 {
		t.Fatalf("%+v %v", e, err)
	}
	bad := metaFile("http://a/", at, 1)
	binary.LittleEndian.PutUint32(bad[12:], 1<<30)
	for name, b := range map[string][]byte{"short": make([]byte, 50), "url size": bad, "no url": metaFile("garbage", at, 1)} {
		if _, err := revocation.ParseURLCacheMeta(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// Offline, the stale cached list is named with its dates.
func TestCachedCRLExpiredOffline(t *testing.T) {
	res := run(t, cachedWorkstation(t, "int-expired.crl").Host(), doctor.Options{Offline: true})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := wantFinding(t, res, "revocation.cached-expired", "http://crl.ca.test/int.crl", "expired on 2021-01-01", "downloaded 2020-12-20", cacheDir, "certutil -urlcache http://crl.ca.test/int.crl delete")
	if !strings.Contains(f.Message.In(i18n.RU), "истекла 2021-01-01") {
		t.Errorf("ru: %s", f.Message.In(i18n.RU))
	}
	// A cached list signed by another key is not taken for the issuer's.
	res = run(t, cachedWorkstation(t, "int-wrong-signer.crl").Host(), doctor.Options{Offline: true})
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}

// Online, with the CRL host unreachable: "the cached list expired on … and
// crl.ca.test is unreachable".
func TestCachedCRLExpiredAndHostUnreachable(t *testing.T) {
	leaf, inter := cert(t, "leaf-good.pem"), cert(t, "int.pem")
	req, _ := pki.OCSPRequest(leaf, inter)
	snap := cachedWorkstation(t, "int-expired.crl").Snapshot()
	snap.Network = &host.SnapNetwork{HTTP: []host.HTTPResponse{
		{URL: "http://crl.ca.test/int.crl", Error: "dial tcp: i/o timeout", ErrorKind: host.NetTimeout},
		{URL: "http://crl-mirror.ca.test/int.crl", Error: "lookup: no such host", ErrorKind: host.NetDNS},
		{URL: "http://ocsp.ca.test/ocsp", Method: "POST", RequestBody: req, Error: "dial tcp: i/o timeout", ErrorKind: host.NetTimeout},
		{URL: "http://crl.root.test/root.crl", Status: 200, Body: file(t, "root.crl")},
	}}
	res := run(t, host.NewSnapshotHost(snap), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusFail)
	wantFinding(t, res, "revocation.cached-expired", "expired on 2021-01-01", "and crl-mirror.ca.test, crl.ca.test, ocsp.ca.test is unreachable")
	wantFinding(t, res, "revocation.unreachable", "crl.ca.test")
	// A fresh list online makes the stale copy a note.
	s := newPKIServer(t)
	res = run(t, s.host(t, cachedWorkstation(t, "int-expired.crl")), doctor.Options{})
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if !strings.Contains(texts(res), "a fresh list can be downloaded") {
		t.Errorf("notes:\n%s", texts(res))
	}
}

func FuzzParseURLCacheMeta(f *testing.F) {
	f.Add(metaFile("http://crl.roskazna.ru/crl/ucfk_2024.crl", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 100))
	f.Add(make([]byte, 116))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := revocation.ParseURLCacheMeta(b)
		if err == nil && e.URL == "" {
			t.Fatal("no URL and no error")
		}
	})
}
