package sites

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/tlsprobe/tlsprobetest"
)

// netHost is a snapshot workstation (its stores) whose network questions
// go to a live, loopback-only network.
type netHost struct {
	host.Host
	net host.Host
}

func (h *netHost) LookupHost(ctx context.Context, name string) (host.DNSAnswer, error) {
	return h.net.LookupHost(ctx, name)
}
func (h *netHost) DialTCP(ctx context.Context, addr string, timeout time.Duration) (host.TCPAnswer, error) {
	return h.net.DialTCP(ctx, addr, timeout)
}
func (h *netHost) TLSHandshake(ctx context.Context, req host.TLSRequest) (host.TLSRecord, error) {
	return h.net.TLSHandshake(ctx, req)
}
func (h *netHost) HTTPGet(ctx context.Context, req host.HTTPRequest) (host.HTTPResponse, error) {
	return h.net.HTTPGet(ctx, req)
}

// loopbackNet is a live network where name:port pairs resolve to loopback
// servers and nothing else can be reached.
func loopbackNet(t *testing.T, resolve map[string]string) host.Host {
	t.Helper()
	h, err := host.NewLive(host.LiveOptions{Net: host.NetOptions{Resolve: resolve, LoopbackOnly: true, Proxy: host.NetProxyDirect}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestSitesAgainstRealServers: the fzs site's GOST-TLS address is pointed
// at OpenSSL's GOST s_server (and at an RSA crypto/tls server, and at a
// closed port) through the resolver seam; each case is then collected and
// replayed from the snapshot with the servers gone.
func TestSitesAgainstRealServers(t *testing.T) {
	bin := tlsprobetest.RequireGOST(t)
	good := tlsprobetest.NewPKI(t, bin, "Test GOST Root", "lk-fzs.roskazna.ru")
	dlp := tlsprobetest.NewPKI(t, bin, "Corporate DLP Root", "lk-fzs.roskazna.ru")
	goodSrv := tlsprobetest.StartGOSTServer(t, bin, good)
	dlpSrv := tlsprobetest.StartGOSTServer(t, bin, dlp)
	rsa := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer rsa.Close()
	dates := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://lk-fzs.roskazna.ru/", http.StatusMovedPermanently)
	}))
	defer dates.Close()
	closed := tlsprobetest.ClosedPort(t)
	goodRoot := parse(t, good.RootDER)

	cases := []struct {
		name   string
		addr   string
		roots  [][]byte
		skew   time.Duration
		status doctor.Status
		codes  string
		text   string
	}{
		{"trusted", goodSrv.Addr, [][]byte{good.RootDER}, 0, doctor.StatusOK, "", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC"},
		{"clock off", goodSrv.Addr, [][]byte{good.RootDER}, time.Hour, doctor.StatusWarn, "sites.clock", "1h0m0s ahead of"},
		{"root missing", goodSrv.Addr, nil, 0, doctor.StatusFail, "sites.root-missing", "Test GOST Root"},
		{"intercepted", dlpSrv.Addr, [][]byte{good.RootDER, dlp.RootDER}, 0, doctor.StatusFail, "sites.intercepted", "Corporate DLP Root"},
		{"no GOST", strings.TrimPrefix(rsa.URL, "https://"), [][]byte{good.RootDER}, 0, doctor.StatusFail, "sites.no-gost", "handshake_failure (40)"},
		{"port closed", closed, [][]byte{good.RootDER}, 0, doctor.StatusFail, "sites.unreachable", "refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := certtest.Sites(t, map[string]any{"fzs": map[string]any{"endpoints": []any{map[string]any{
				"host": "lk-fzs.roskazna.ru", "port": 443, "tls": "gost", "roots": []any{goodRoot.SHA1},
				"confidence": "V", "source": "test"}}}}, "fzs")
			b := doctortest.Linux().At(time.Now().Add(tc.skew))
			for _, der := range tc.roots {
				b = b.Cert(host.LocalMachine, host.StoreRoot, der, nil)
			}
			live := loopbackNet(t, map[string]string{
				"lk-fzs.roskazna.ru:443": tc.addr,
				"lk-fzs.roskazna.ru:80":  strings.TrimPrefix(dates.URL, "http://"),
			})
			rec := host.NewRecorder(&netHost{Host: b.Host(), net: live})
			res := doctortest.Run(t, Check, rec, opts, nil)
			check := func(res *doctor.Result, where string) {
				t.Helper()
				if res.Status != tc.status || strings.Join(doctortest.Codes(res), ",") != tc.codes {
					t.Fatalf("%s: status %v codes %v, want %v %q\n%s", where, res.Status, doctortest.Codes(res), tc.status, tc.codes, doctortest.Describe(res, i18n.EN))
				}
				if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, tc.text) {
					t.Errorf("%s: report lacks %q:\n%s", where, tc.text, all)
				}
			}
			check(res, "live")
			// collect → check --snapshot: the same verdicts with no server.
			snap := rec.Snapshot("test")
			replayed := doctortest.Run(t, Check, host.NewSnapshotHost(snap), opts, nil)
			check(replayed, "replay")
			if a, b := doctortest.AllText(res, i18n.RU), doctortest.AllText(replayed, i18n.RU); a != b {
				t.Errorf("replay differs:\nlive:   %s\nreplay: %s", a, b)
			}
		})
	}
}

// TestOffline: with --offline the check skips without touching the network.
func TestOffline(t *testing.T) {
	opts := certtest.Sites(t, nil, "fzs")
	opts.Offline = true
	res := doctortest.Run(t, Check, doctortest.Linux().Host(), opts, nil)
	doctortest.WantStatus(t, res, doctor.StatusSkipped)
}
