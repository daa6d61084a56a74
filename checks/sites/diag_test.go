package sites

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// fakeNet answers the diagnosis's network questions from fields.
type fakeNet struct {
	dns  host.DNSAnswer
	tcp  host.TCPAnswer
	tls  map[host.TLSMode]host.TLSRecord
	http host.HTTPResponse
}

func (f *fakeNet) LookupHost(ctx context.Context, name string) (host.DNSAnswer, error) {
	a := f.dns
	a.Name = name
	return a, nil
}
func (f *fakeNet) DialTCP(ctx context.Context, addr string, _ time.Duration) (host.TCPAnswer, error) {
	a := f.tcp
	a.Addr = addr
	return a, nil
}
func (f *fakeNet) TLSHandshake(ctx context.Context, req host.TLSRequest) (host.TLSRecord, error) {
	r := f.tls[req.Mode]
	r.Addr, r.Mode = req.Addr, req.Mode
	return r, nil
}
func (f *fakeNet) HTTPGet(ctx context.Context, req host.HTTPRequest) (host.HTTPResponse, error) {
	r := f.http
	r.URL = req.URL
	return r, nil
}

type ca struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newCA(t *testing.T, name string) *ca {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name, Organization: []string{name}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: []byte(name)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &ca{c, k}
}

func (c *ca) leaf(t *testing.T, dns string) []byte {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: dns}, DNSNames: []string{dns},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &k.PublicKey, c.key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func parse(t *testing.T, der []byte) *pki.Certificate {
	t.Helper()
	c, err := pki.ParseDER(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func okNet(chain ...[]byte) *fakeNet {
	return &fakeNet{dns: host.DNSAnswer{Addrs: []string{"192.0.2.1"}}, tcp: host.TCPAnswer{RemoteAddr: "192.0.2.1:443"},
		tls: map[host.TLSMode]host.TLSRecord{host.TLSStandard: {Version: 0x0303, CipherSuite: 0xC02F, PeerCertificates: chain}}}
}

func TestVerdicts(t *testing.T) {
	site := newCA(t, "Russian Trusted Root CA")
	av := newCA(t, "Kaspersky Anti-Virus Personal Root Certificate")
	corp := newCA(t, "Corp Proxy CA")
	siteLeaf, avLeaf, corpLeaf := site.leaf(t, "bus.gov.ru"), av.leaf(t, "bus.gov.ru"), corp.leaf(t, "bus.gov.ru")
	siteRoot := parse(t, site.cert.Raw)
	expected := []ExpectedRoot{{Name: "Russian Trusted Root CA", SHA1: siteRoot.SHA1, SKI: siteRoot.SubjectKeyIDHex()}}
	trustAll := Trust{Roots: pki.NewPool(siteRoot, parse(t, av.cert.Raw), parse(t, corp.cert.Raw)), Where: `LocalMachine\Root`}

	cases := []struct {
		name     string
		net      *fakeNet
		expected []ExpectedRoot
		trust    Trust
		host     string
		want     Verdict
		text     string
	}{
		{"trusted", okNet(siteLeaf), expected, trustAll, "bus.gov.ru", Trusted, ""},
		{"trusted, roots unknown", okNet(corpLeaf), nil, trustAll, "bus.gov.ru", Trusted, ""},
		{"antivirus, roots unknown", okNet(avLeaf), nil, trustAll, "bus.gov.ru", Intercepted, "Kaspersky"},
		{"corporate proxy", okNet(corpLeaf), expected, trustAll, "bus.gov.ru", Intercepted, "Corp Proxy CA"},
		{"interceptor not installed", okNet(corpLeaf), expected, Trust{Roots: pki.NewPool(siteRoot)}, "bus.gov.ru", Intercepted, "Corp Proxy CA"},
		{"root missing", okNet(siteLeaf), expected, Trust{Roots: pki.NewPool(), Where: `LocalMachine\Root`}, "bus.gov.ru", RootMissing, "Russian Trusted Root CA"},
		{"wrong name", okNet(siteLeaf), expected, trustAll, "zakupki.gov.ru", NameMismatch, "bus.gov.ru"},
		{"dns", &fakeNet{dns: host.DNSAnswer{Error: "no such host", ErrorKind: host.NetDNS},
			tls: map[host.TLSMode]host.TLSRecord{host.TLSStandard: {Error: "lookup: no such host", ErrorKind: host.NetDNS}}}, nil, trustAll, "bus.gov.ru", DNSFailed, "no such host"},
		{"refused", &fakeNet{dns: host.DNSAnswer{Addrs: []string{"192.0.2.1"}}, tcp: host.TCPAnswer{Error: "connection refused", ErrorKind: host.NetRefused},
			tls: map[host.TLSMode]host.TLSRecord{host.TLSStandard: {Error: "connection refused", ErrorKind: host.NetRefused}}}, nil, trustAll, "bus.gov.ru", Unreachable, "connection refused"},
		{"reset mid-handshake", &fakeNet{dns: host.DNSAnswer{Addrs: []string{"192.0.2.1"}}, tcp: host.TCPAnswer{RemoteAddr: "192.0.2.1:443"},
			tls: map[host.TLSMode]host.TLSRecord{host.TLSStandard: {Error: "server closed the connection in the middle of a TLS record", ErrorKind: host.NetReset}}}, nil, trustAll, "bus.gov.ru", TLSFailed, "in the middle"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Diagnose(context.Background(), tc.net, Target{Host: tc.host, Port: 443, Expected: tc.expected}, tc.trust, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s (root %q, interceptor %q)", d.Verdict, tc.want, d.RootName, d.Interceptor)
			}
			if tc.want == Trusted {
				return
			}
			f := Finding(d, host.Facts{OS: "windows"})
			for _, lang := range i18n.Langs {
				msg := f.Message.In(lang)
				if !strings.Contains(msg, tc.text) || strings.Contains(msg, "!{") || strings.Contains(f.Hint.In(lang), "!{") || strings.Contains(msg, "%!") {
					t.Errorf("%s message %q lacks %q", lang, msg, tc.text)
				}
			}
			if len(f.Commands) == 0 || f.Code != "sites."+string(tc.want) || f.Severity != doctor.Fail {
				t.Errorf("finding %+v", f)
			}
		})
	}
}

// A GOST site that refuses GOST while an antivirus answers standard TLS
// with its own certificate is interception, named.
func TestGOSTSiteBehindAntivirus(t *testing.T) {
	av := newCA(t, "ESET SSL Filter CA")
	n := okNet(av.leaf(t, "lk-fzs.roskazna.ru"))
	n.tls[host.TLSGOST] = host.TLSRecord{Error: "server sent TLS alert handshake_failure (40)", ErrorKind: host.NetTLS, Alert: "handshake_failure (40)"}
	d, err := Diagnose(context.Background(), n, Target{Host: "lk-fzs.roskazna.ru", Port: 443, GOST: true}, Trust{Roots: pki.NewPool()}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != Intercepted || !strings.Contains(d.Interceptor, "ESET") {
		t.Fatalf("verdict %s, interceptor %q", d.Verdict, d.Interceptor)
	}
	// Without a known product the verdict stays no-gost, naming who answered.
	other := newCA(t, "Some CA")
	n = okNet(other.leaf(t, "lk-fzs.roskazna.ru"))
	n.tls[host.TLSGOST] = host.TLSRecord{Error: "alert", ErrorKind: host.NetTLS, Alert: "handshake_failure (40)"}
	d, _ = Diagnose(context.Background(), n, Target{Host: "lk-fzs.roskazna.ru", Port: 443, GOST: true}, Trust{Roots: pki.NewPool()}, Options{})
	if d.Verdict != NoGOST || !strings.Contains(Finding(d, host.Facts{OS: "linux"}).Message.In(i18n.EN), "Some CA") {
		t.Errorf("verdict %s root %q", d.Verdict, d.RootName)
	}
	if c := Finding(d, host.Facts{OS: "linux", Arch: "amd64"}).Commands[0]; c != "/opt/cprocsp/bin/amd64/csptest -tlsc -server lk-fzs.roskazna.ru -port 443 -exchange 3 -proto 6 -autocheck -verbose" {
		t.Errorf("csptest command %q", c)
	}
}

func TestClock(t *testing.T) {
	site := newCA(t, "Site Root")
	n := okNet(site.leaf(t, "bus.gov.ru"))
	server := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	n.http = host.HTTPResponse{Status: 301, Header: map[string]string{"Date": server.Format(http.TimeFormat)}}
	d, err := Diagnose(context.Background(), n, Target{Host: "bus.gov.ru", Port: 443}, Trust{Roots: pki.NewPool(parse(t, site.cert.Raw))},
		Options{Now: server.Add(-7 * time.Minute), Clock: true})
	if err != nil {
		t.Fatal(err)
	}
	if !d.SkewTooLarge() || d.Skew != -7*time.Minute || d.DateURL != "http://bus.gov.ru/" {
		t.Fatalf("skew %v from %s", d.Skew, d.DateURL)
	}
	f := ClockFinding(d, host.Facts{OS: "windows"})
	if !strings.Contains(f.Message.In(i18n.EN), "7m0s behind") || f.Commands[0] != "w32tm /resync" {
		t.Errorf("clock finding %q %v", f.Message.In(i18n.EN), f.Commands)
	}
	d, _ = Diagnose(context.Background(), n, Target{Host: "bus.gov.ru", Port: 443}, Trust{}, Options{Now: server.Add(time.Minute), Clock: true})
	if d.SkewTooLarge() {
		t.Error("one minute is not too large")
	}
}

func TestInterceptionProduct(t *testing.T) {
	for name, want := range map[string]string{
		"Kaspersky Anti-Virus Personal Root Certificate": "Kaspersky",
		"ESET SSL Filter CA":                             "ESET",
		"Preset Root CA":                                 "",
		"Russian Trusted Root CA":                        "",
		"UserGate":                                       "UserGate",
	} {
		c := newCA(t, name)
		if got := interceptionProduct(parse(t, c.cert.Raw)); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
}
