package proxy

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
)

var offline = doctor.Options{Offline: true}

func TestWindowsBrowserProxyWinHTTPDirect(t *testing.T) {
	h := doctortest.Windows().
		RegValue(UserKey, "", doctortest.DWORD("ProxyEnable", 1)).
		RegValue(UserKey, "", doctortest.SZ("ProxyServer", "proxy.corp:3128")).
		RegValue(UserKey, "", doctortest.SZ("ProxyOverride", "<local>;*.corp")).
		RegKeyMissing(MachinePolicyKey, "").RegKeyMissing(UserPolicyKey, "").
		RegKeyMissing(UserKey+`\Connections`, "").
		RegKey(WinHTTPKey, "").
		Host()
	res := doctortest.Run(t, Check, h, offline, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	f := doctortest.WantFinding(t, res, "proxy.winhttp-direct", doctor.Warn)
	if f.Commands[0] != "netsh winhttp import proxy source=ie" || !strings.Contains(f.Message.In(i18n.EN), "http://proxy.corp:3128") {
		t.Errorf("finding %q %v", f.Message.In(i18n.EN), f.Commands)
	}
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "exceptions: <local>; *.corp") || !strings.Contains(all, "--offline") {
		t.Errorf("notes:\n%s", all)
	}
}

func TestWindowsPolicyPerMachineAndWinHTTP(t *testing.T) {
	h := doctortest.Windows().
		RegValue(MachinePolicyKey, "", doctortest.DWORD("ProxySettingsPerUser", 0)).
		RegKeyMissing(UserPolicyKey, "").
		RegValue(MachineKey, "", doctortest.DWORD("ProxyEnable", 1)).
		RegValue(MachineKey, "", doctortest.SZ("ProxyServer", "http=10.0.0.1:8080;https=10.0.0.1:8443")).
		RegValue(MachineKey+`\Connections`, "", doctortest.Bin("DefaultConnectionSettings", blob(flagDirect|flagProxy|flagAutoDetect, "10.0.0.1:8080", "", ""))).
		RegValue(WinHTTPKey, "", doctortest.Bin("WinHttpSettings", blob(flagDirect|flagProxy, "10.0.0.1:8080", "<local>"))).
		Host()
	res := doctortest.Run(t, Check, h, offline, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	all := doctortest.AllText(res, i18n.EN)
	for _, want := range []string{"ProxySettingsPerUser = 0", MachineKey, "WPAD", "WinHTTP (Windows services, CryptoAPI's CRL and OCSP downloads): proxy http://10.0.0.1:8080"} {
		if !strings.Contains(all, want) {
			t.Errorf("report lacks %q:\n%s", want, all)
		}
	}
}

func TestWindowsDirectAndPAC(t *testing.T) {
	direct := doctortest.Windows().RegKey(UserKey, "").RegKeyMissing(MachinePolicyKey, "").RegKeyMissing(UserPolicyKey, "").
		RegKeyMissing(UserKey+`\Connections`, "").RegKeyMissing(WinHTTPKey, "")
	res := doctortest.Run(t, Check, direct.Host(), offline, nil)
	doctortest.WantStatus(t, res, doctor.StatusOK)
	if got := res.Summary.In(i18n.EN); got != "no proxy: connections go direct" {
		t.Errorf("summary %q", got)
	}
	pac := direct.RegValue(UserPolicyKey, "", doctortest.SZ("AutoConfigURL", "http://wpad.corp/proxy.pac")).Host()
	res = doctortest.Run(t, Check, pac, offline, nil)
	doctortest.WantFinding(t, res, "proxy.pac", doctor.Warn)
	doctortest.WantFinding(t, res, "proxy.winhttp-direct", doctor.Warn)
}

func TestLinuxEnvironment(t *testing.T) {
	h := doctortest.Linux().Env("https_proxy", "http://squid:3128").Env("no_proxy", ".corp,10.0.0.0/8").Host()
	res := doctortest.Run(t, Check, h, offline, nil)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "proxy http://squid:3128") && !strings.Contains(all, "https http://squid:3128") {
		t.Errorf("env proxy not reported:\n%s", all)
	}
	h = doctortest.Linux().File(EnvironmentFile, "# system\nexport http_proxy=\"http://10.1.1.1:3128\"\nHTTPS_PROXY='http://10.1.1.1:3128'\nno_proxy=localhost\n").Host()
	res = doctortest.Run(t, Check, h, offline, nil)
	if all := doctortest.AllText(res, i18n.EN); !strings.Contains(all, "http://10.1.1.1:3128") || !strings.Contains(all, EnvironmentFile) {
		t.Errorf("/etc/environment proxy not reported:\n%s", all)
	}
}

// netHost: snapshot stores and settings, live loopback network.
type netHost struct {
	host.Host
	net host.Host
}

func (h *netHost) HTTPGet(ctx context.Context, req host.HTTPRequest) (host.HTTPResponse, error) {
	return h.net.HTTPGet(ctx, req)
}

// TestCRLHostsThroughProxy: a loopback proxy that wants a password: the
// Treasury CRL host of the personal certificate is reported with the
// bypass command.
func TestCRLHostsThroughProxy(t *testing.T) {
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Host)
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	defer proxy.Close()
	live, err := host.NewLive(host.LiveOptions{Net: host.NetOptions{Proxy: proxy.URL, LoopbackOnly: true}})
	if err != nil {
		t.Fatal(err)
	}
	snap := doctortest.Linux().At(certtest.Dec2025).Env("http_proxy", proxy.URL).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), &host.KeyLink{Container: `\\.\HDIMAGE\k`}).
		Host()
	res := doctortest.Run(t, Check, &netHost{Host: snap, net: live}, doctor.Options{NetBudget: 10 * time.Second}, nil)
	f := doctortest.WantFinding(t, res, "proxy.auth-required", doctor.Warn)
	if !strings.Contains(f.Message.In(i18n.EN), "HTTP 407") || !strings.HasPrefix(f.Commands[0], `export no_proxy="${no_proxy:+$no_proxy,}`) {
		t.Errorf("finding %q %v", f.Message.In(i18n.EN), f.Commands)
	}
	if len(asked) == 0 {
		t.Error("the proxy was never asked")
	}
}
