package doctortest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

type probeConfig struct {
	Threshold int      `json:"threshold"`
	Names     []string `json:"names"`
}

// probe reports what it sees so the test can compare with what was built.
var probe = &doctor.Check{
	ID:    "probe",
	Title: i18n.Raw("probe"),
	Doc:   i18n.Raw("probe"),
	NewConfig: func() any {
		return &probeConfig{Threshold: 7}
	},
	Requires: []string{"never-run"},
	Run: func(ctx context.Context, pass *doctor.Pass) error {
		cfg := pass.Config.(*probeConfig)
		h := pass.Host
		var out []string
		add := func(s string) { out = append(out, s) }
		add(pass.Host.Now().UTC().Format(time.RFC3339))
		certs, err := h.Certificates(ctx, host.LocalMachine, host.StoreRoot)
		add(errString(err))
		for _, c := range certs {
			add(c.SHA1)
			if c.Key != nil {
				add(c.Key.Container)
			}
		}
		k, err := h.RegistryKey(ctx, `HKEY_LOCAL_MACHINE\SOFTWARE\Crypto Pro\Settings`, host.RegViewDefault)
		add(errString(err))
		if v, ok := k.Value("version"); ok {
			add(v.Text())
		}
		k, err = h.RegistryKey(ctx, `HKLM\SOFTWARE\Classes\CAPICOM.Utilities\CLSID`, host.RegView32)
		add(errString(err) + " " + boolString(k.Exists))
		data, err := h.ReadFile(ctx, `c:\temp\a.txt`, 0)
		add(errString(err) + " " + string(data))
		fi, err := h.Stat(ctx, `C:\Missing\x\y`)
		add(errString(err) + " " + boolString(fi.Exists))
		ents, err := h.ReadDir(ctx, `C:\temp`)
		add(errString(err))
		for _, e := range ents {
			add(e.Name + boolString(e.IsDir))
		}
		res, err := h.Run(ctx, host.Command{Argv: []string{"csptest", "-keyset"}})
		add(errString(err) + " " + string(res.Stdout) + " " + string(rune('0'+res.ExitCode)))
		_, err = h.Run(ctx, host.Command{Argv: []string{"certmgr"}})
		add(errString(err))
		v, ok := h.LookupEnv("appdata")
		add(v + boolString(ok))
		add(strings.Join(cfg.Names, "+"))
		if cfg.Threshold > 5 {
			pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "probe.threshold", Message: i18n.Raw(strings.Join(out, "|"))})
		}
		pass.Summary(i18n.Raw(strings.Join(out, "|")))
		return nil
	},
}

func errString(err error) string {
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, host.ErrNotRecorded):
		return "not-recorded"
	case errors.Is(err, host.ErrFileNotFound):
		return "no-file"
	case errors.Is(err, host.ErrCommandNotFound):
		return "no-command"
	case errors.Is(err, host.ErrNotSupported):
		return "not-supported"
	}
	return "error"
}

func boolString(b bool) string {
	if b {
		return "T"
	}
	return "F"
}

func TestBuilderReplaysWhatWasBuilt(t *testing.T) {
	der := []byte("not really a certificate, but the thumbprint is computed anyway")
	snap := doctortest.Windows().
		At(time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)).
		Cert(host.LocalMachine, host.StoreRoot, der, &host.KeyLink{Container: `\\.\HDIMAGE\k1`}).
		RegValue(`HKLM\SOFTWARE\Crypto Pro\Settings`, host.RegViewDefault, doctortest.SZ("Version", "5.0.13000")).
		RegKeyMissing(`HKLM\SOFTWARE\Classes\CAPICOM.Utilities`, host.RegView32).
		File(`C:\Temp\A.txt`, "hello").
		Missing(`C:\Missing`).
		Dir(`C:\Temp`, "A.txt", "sub/").
		Command([]string{"csptest", "-keyset"}, "ok", 3).
		CommandNotFound([]string{"certmgr"}).
		Env("APPDATA", `C:\Users\buh\AppData\Roaming`)

	res := doctortest.Run(t, probe, snap.Host(), doctor.Options{}, map[string]any{"names": []string{"a", "b"}})
	doctortest.WantStatus(t, res, doctor.StatusWarn)
	doctortest.WantFinding(t, res, "probe.threshold", doctor.Warn)
	got := res.Summary.In(i18n.EN)
	want := strings.Join([]string{
		"2024-03-01T10:00:00Z",
		"nil", "6D1E7D3A0E6AD7F1A1FAE0C5DF6A2F0ED8D8B19B", `\\.\HDIMAGE\k1`,
		"nil", "5.0.13000",
		"nil F",
		"nil hello",
		"nil F",
		"nil", "A.txtF", "subT",
		"nil ok 3",
		"no-command",
		`C:\Users\buh\AppData\RoamingT`,
		"a+b",
	}, "|")
	// The thumbprint is whatever SHA-1 says; compare the rest exactly.
	gotParts, wantParts := strings.Split(got, "|"), strings.Split(want, "|")
	if len(gotParts) != len(wantParts) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for i := range wantParts {
		if i == 2 {
			if len(gotParts[i]) != 40 || strings.ToUpper(gotParts[i]) != gotParts[i] {
				t.Errorf("thumbprint %q is not 40 upper-case hex digits", gotParts[i])
			}
			continue
		}
		if gotParts[i] != wantParts[i] {
			t.Errorf("answer %d: got %q, want %q", i, gotParts[i], wantParts[i])
		}
	}
}

func TestUnrecordedIsNotAbsent(t *testing.T) {
	h := doctortest.Windows().Host()
	if _, err := h.RegistryKey(context.Background(), `HKLM\SOFTWARE\X`, host.RegViewDefault); !errors.Is(err, host.ErrNotRecorded) {
		t.Errorf("registry: %v, want ErrNotRecorded", err)
	}
	if _, err := h.Stat(context.Background(), `C:\x`); !errors.Is(err, host.ErrNotRecorded) {
		t.Errorf("stat: %v, want ErrNotRecorded", err)
	}
	certs, err := h.Certificates(context.Background(), host.CurrentUser, host.StoreMy)
	if err != nil || len(certs) != 0 {
		t.Errorf("core store: %v %v, want empty", certs, err)
	}
	lh := doctortest.Linux().Host()
	if _, err := lh.RegistryKey(context.Background(), `HKLM\SOFTWARE\X`, host.RegViewDefault); !errors.Is(err, host.ErrNotSupported) {
		t.Errorf("linux registry: %v, want ErrNotSupported", err)
	}
}

func TestRunDecodesConfigDefaults(t *testing.T) {
	res := doctortest.Run(t, probe, doctortest.Windows().Host(), doctor.Options{}, map[string]any{"threshold": 1})
	doctortest.WantStatus(t, res, doctor.StatusOK)
	res = doctortest.Run(t, probe, doctortest.Windows().Host(), doctor.Options{}, nil)
	doctortest.WantStatus(t, res, doctor.StatusWarn)
}

// fakeT records failures instead of stopping the real test.
type fakeT struct {
	testing.TB
	failed []string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.failed = append(f.failed, "E")
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = append(f.failed, "F")
	panic(f)
}

func TestRunRejectsUnknownConfigKey(t *testing.T) {
	ft := &fakeT{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil && r != ft {
				panic(r)
			}
		}()
		doctortest.Run(ft, probe, doctortest.Windows().Host(), doctor.Options{}, map[string]any{"treshold": 1})
	}()
	if len(ft.failed) == 0 || ft.failed[0] != "F" {
		t.Fatalf("a misspelt config key did not fail the test: %v", ft.failed)
	}
}

func TestCheckTextsCatchesMissingKeys(t *testing.T) {
	ft := &fakeT{TB: t}
	doctortest.CheckTexts(ft, &doctor.Result{ID: "x", Summary: i18n.T("no.such.key"),
		Findings: []doctor.Finding{{Severity: doctor.Fail, Code: "y.wrong-prefix", Message: i18n.Raw("m")}}})
	if len(ft.failed) != 3 {
		t.Fatalf("got %d failures, want 3 (missing key in ru and en, bad code prefix)", len(ft.failed))
	}
}

func TestBuilderPanicsOnInvalidSnapshot(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("an empty file path did not make Snapshot panic")
		}
	}()
	doctortest.Windows().File("", "x").Snapshot()
}
