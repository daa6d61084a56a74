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

// TestIntermediateInRootIsNoAnchor: the Treasury CA put into the Root
// store (a common mistake) does not make the chain valid while the
// Минцифры root is missing; the check names the missing root.
func TestIntermediateInRootIsNoAnchor(t *testing.T) {
	h := doctortest.Windows().At(certtest.Dec2025).
		Cert(host.LocalMachine, host.StoreRoot, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), key).
		Host()
	res := doctortest.Run(t, Check, h, doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusFail)
	f := doctortest.WantFinding(t, res, "chain.incomplete", doctor.Fail)
	if msg := f.Message.In(i18n.EN); !strings.Contains(msg, "root certificate") {
		t.Errorf("message does not name the missing root: %s", msg)
	}
	if len(f.Commands) == 0 || !strings.Contains(f.Commands[len(f.Commands)-1], "-addstore Root") {
		t.Errorf("commands %q", f.Commands)
	}
}
