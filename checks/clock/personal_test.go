package clock

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// A certificate without a CN is named by its subject; the holder's СНИЛС in
// that subject must not reach the report, not even hex-encoded.
func TestNewestCertificateWithoutCNHidesSNILS(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject: pkix.Name{Organization: []string{"ГБУ Тест"}, ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: asn1.ObjectIdentifier{1, 2, 643, 100, 3}, Value: "11223344595"},
		}},
		NotBefore: now.Add(48 * time.Hour), NotAfter: now.Add(400 * 24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	h := doctortest.Windows().At(now).Cert(host.CurrentUser, host.StoreMy, der, nil).Host()
	res := check(t, h, nil)
	f := doctortest.WantFinding(t, res, "clock.behind-certificate", doctor.Fail)
	for _, lang := range []i18n.Lang{i18n.RU, i18n.EN} {
		msg := f.Message.In(lang)
		for _, secret := range []string{"11223344595", hex.EncodeToString([]byte("11223344595"))} {
			if strings.Contains(strings.ToLower(msg), secret) {
				t.Errorf("%s message shows the СНИЛС (%s): %s", lang, secret, msg)
			}
		}
		if !strings.Contains(msg, "ГБУ Тест") {
			t.Errorf("%s message does not name the certificate: %s", lang, msg)
		}
	}
}
