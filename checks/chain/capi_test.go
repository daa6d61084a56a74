package chain

import (
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// capiNotes returns the notes of a result that carry CryptoAPI's verdict,
// rendered in lang.
func capiNotes(res *doctor.Result, lang i18n.Lang) []string {
	var out []string
	for _, n := range res.Notes {
		if strings.HasPrefix(n.Key, "capi.") {
			out = append(out, n.In(lang))
		}
	}
	return out
}

// CryptoAPI's verdict is shown next to ours, and never changes the status.
func TestCryptoAPIVerdict(t *testing.T) {
	leaf := certtest.DER(t, certtest.Leaf2025)
	leafTP := host.Thumbprint(leaf)
	complete := func(b *doctortest.SnapBuilder) *doctortest.SnapBuilder {
		return b.At(certtest.Dec2025).
			Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
			Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
			Cert(host.CurrentUser, host.StoreMy, leaf, key)
	}
	for _, tc := range []struct {
		name   string
		b      *doctortest.SnapBuilder
		status doctor.Status
		want   []string // every CryptoAPI note, in English, in order
	}{
		{"no errors", complete(doctortest.Windows()).ChainStatus(host.CurrentUser, host.StoreMy, leafTP, 0, 0x100, 3, ""),
			doctor.StatusOK, []string{"CryptoAPI: chain of 3, no errors"}},
		{"GOST CSP missing", complete(doctortest.Windows()).ChainStatus(host.CurrentUser, host.StoreMy, leafTP, host.TrustIsNotSignatureValid, 0, 3, ""),
			doctor.StatusOK, []string{"CryptoAPI: chain of 3, errors: CERT_TRUST_IS_NOT_SIGNATURE_VALID (0x00000008)", "needs a GOST CSP (CryptoPro CSP)"}},
		{"partial chain agrees with ours",
			doctortest.Windows().At(certtest.Dec2025).
				Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
				Cert(host.CurrentUser, host.StoreMy, leaf, key).
				ChainStatus(host.CurrentUser, host.StoreMy, leafTP, host.TrustIsPartialChain|host.TrustIsNotSignatureValid, 0, 1, ""),
			// our verdict is "incomplete", so no GOST CSP hint: the bad
			// signature flag is explained by the missing issuer
			doctor.StatusFail, []string{"CryptoAPI: chain of 1, errors: CERT_TRUST_IS_NOT_SIGNATURE_VALID, CERT_TRUST_IS_PARTIAL_CHAIN (0x00010008)"}},
		{"CryptoAPI has errors, ours is valid: status stays ok",
			complete(doctortest.Windows()).ChainStatus(host.CurrentUser, host.StoreMy, leafTP, host.TrustIsUntrustedRoot|host.TrustIsNotTimeValid, 0, 3, ""),
			doctor.StatusOK, []string{"errors: CERT_TRUST_IS_NOT_TIME_VALID, CERT_TRUST_IS_UNTRUSTED_ROOT (0x00000021)"}},
		{"CryptoAPI could not judge", complete(doctortest.Windows()).ChainStatus(host.CurrentUser, host.StoreMy, leafTP, 0, 0, 0, "the certificate is not in CurrentUser\\My"),
			doctor.StatusOK, []string{"CryptoAPI verdict not available: the certificate is not in CurrentUser\\My"}},
		{"snapshot from before chain_status", complete(doctortest.Windows()),
			doctor.StatusOK, []string{"snapshot was collected by an older gmu-doctor"}},
		{"a verdict for another store is not used", complete(doctortest.Windows()).ChainStatus(host.LocalMachine, host.StoreMy, leafTP, 0, 0, 3, ""),
			doctor.StatusOK, []string{"snapshot was collected by an older gmu-doctor"}},
		{"LocalMachine My asks LocalMachine",
			doctortest.Windows().At(certtest.Dec2025).
				Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.Root2022), nil).
				Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
				Cert(host.LocalMachine, host.StoreMy, leaf, key).
				ChainStatus(host.CurrentUser, host.StoreMy, leafTP, host.TrustIsPartialChain, 0, 1, "").
				ChainStatus(host.LocalMachine, host.StoreMy, leafTP, 0, 0, 3, ""),
			doctor.StatusOK, []string{"CryptoAPI: chain of 3, no errors"}},
		{"not on Linux", complete(doctortest.Linux()), doctor.StatusOK, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := doctortest.Run(t, Check, tc.b.Host(), doctor.Options{}, nil)
			doctortest.WantStatus(t, res, tc.status)
			got := capiNotes(res, i18n.EN)
			if len(got) != len(tc.want) {
				t.Fatalf("CryptoAPI notes %q, want %d matching %q\n%s", got, len(tc.want), tc.want, doctortest.Describe(res, i18n.EN))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) || !strings.Contains(got[i], leafTP) {
					t.Errorf("note %d = %q, want it to contain %q and the thumbprint", i, got[i], w)
				}
			}
			if ru := strings.Join(capiNotes(res, i18n.RU), "\n"); tc.want != nil && !strings.Contains(ru, "CryptoAPI") {
				t.Errorf("Russian notes lack CryptoAPI: %s", ru)
			}
		})
	}
}
