package chain_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/chain"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// AIA: the intermediate is missing; the leaf's caIssuers address
// (http://pki.ca.test/int.crt, from scripts/gen-revocation-pki.sh) is
// served on loopback with the real issuer, an imposter with the same name,
// or nothing.
func aiaCert(t *testing.T, name string) *pki.Certificate {
	b, err := os.ReadFile(filepath.Join(testutil.Testdata(t, "revocation"), name))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := pki.Parse(b)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%s: %v", name, err)
	}
	return cs[0]
}

func aiaRun(t *testing.T, serve http.HandlerFunc, opts doctor.Options) *doctor.Result {
	srv := httptest.NewServer(serve)
	defer srv.Close()
	snap := doctortest.Linux().At(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)).
		Cert(host.CurrentUser, host.StoreRoot, aiaCert(t, "root.pem").Raw, nil).
		Cert(host.CurrentUser, host.StoreMy, aiaCert(t, "leaf-good.pem").Raw, &host.KeyLink{Container: `\\.\HDIMAGE\k`})
	h := doctortest.WithNetwork(snap.Host(), doctortest.LoopbackNet(t, map[string]string{"pki.ca.test": srv.Listener.Addr().String()}, opts.Offline))
	return doctortest.Run(t, chain.Check, h, opts, nil)
}

func incomplete(t *testing.T, res *doctor.Result) doctor.Finding {
	t.Helper()
	for _, f := range res.Findings {
		if f.Code == "chain.incomplete" {
			return f
		}
	}
	t.Fatalf("no chain.incomplete: %+v", res.Findings)
	return doctor.Finding{}
}

func TestAIADownloadsAndVerifiesTheIssuer(t *testing.T) {
	inter := aiaCert(t, "int.pem")
	res := aiaRun(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/int.crt" {
			w.Write(inter.Raw)
		}
	}, doctor.Options{})
	f := incomplete(t, res)
	msg := f.Message.In(i18n.EN)
	if !strings.Contains(msg, "downloaded from http://pki.ca.test/int.crt") || !strings.Contains(msg, inter.SHA1) || !strings.Contains(msg, inter.SubjectKeyIDHex()) {
		t.Errorf("message: %s", msg)
	}
	if len(f.Repairs) == 0 || !bytes.Equal(f.Repairs[0].DER, inter.Raw) || f.Repairs[0].SHA1 != inter.SHA1 || f.Repairs[0].URL != "http://pki.ca.test/int.crt" {
		t.Fatalf("repair: %+v", f.Repairs)
	}
	if !strings.Contains(f.Message.In(i18n.RU), "скачан по адресу http://pki.ca.test/int.crt") {
		t.Errorf("ru: %s", f.Message.In(i18n.RU))
	}
}

func TestAIARejectsAnImposter(t *testing.T) {
	imp := aiaCert(t, "imposter.pem")
	res := aiaRun(t, func(w http.ResponseWriter, r *http.Request) { w.Write(imp.Raw) }, doctor.Options{})
	f := incomplete(t, res)
	if msg := f.Message.In(i18n.EN); !strings.Contains(msg, "failed: no certificate there has the key identifier") {
		t.Errorf("imposter: %s", msg)
	}
	if len(f.Repairs) > 0 && len(f.Repairs[0].DER) > 0 && bytes.Equal(f.Repairs[0].DER, imp.Raw) {
		t.Error("the imposter went into the repair")
	}
	res = aiaRun(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>proxy</html>")) }, doctor.Options{})
	if msg := incomplete(t, res).Message.In(i18n.EN); !strings.Contains(msg, "not a certificate") {
		t.Errorf("html: %s", msg)
	}
	res = aiaRun(t, http.NotFound, doctor.Options{})
	if msg := incomplete(t, res).Message.In(i18n.EN); !strings.Contains(msg, "HTTP 404") {
		t.Errorf("404: %s", msg)
	}
}

func TestAIAOffline(t *testing.T) {
	hit := false
	res := aiaRun(t, func(w http.ResponseWriter, r *http.Request) { hit = true }, doctor.Options{Offline: true})
	f := incomplete(t, res)
	if hit || strings.Contains(f.Message.In(i18n.EN), "pki.ca.test/int.crt (its caIssuers") {
		t.Errorf("offline fetched: %s", f.Message.In(i18n.EN))
	}
}
