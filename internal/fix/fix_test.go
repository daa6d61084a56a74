package fix

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/fix/fixtest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func realCerts(t *testing.T) (root, ca, leaf []byte) {
	t.Helper()
	read := func(name string) []byte {
		b := testutil.ReadTestdata(t, "certs", "realworld", name)
		if bytes.HasPrefix(b, []byte("-----")) {
			s := string(b)
			s = s[strings.Index(s, "\n")+1 : strings.Index(s, "-----END")]
			d, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.ReplaceAll(s, "\n", ""), "\r", ""))
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		return b
	}
	return read("guc-root-gost2012-mincifry-2022.pem"), read("fk-ca-gost2012-2024-by-mincifry-2022.pem"), read("ee-gost2012-spb-zhilkom-2025-by-fk-2024.der")
}

// report builds a report with one finding carrying the repairs.
func report(elevated bool, goos string, code string, reps ...doctor.Repair) *doctor.Report {
	return &doctor.Report{Facts: host.Facts{OS: goos, Hostname: "WS", Elevated: elevated},
		Results: []*doctor.Result{{ID: strings.SplitN(code, ".", 2)[0], Findings: []doctor.Finding{{Code: code, Message: i18n.Raw("m"), Repairs: reps}}}}}
}

func TestVerificationRules(t *testing.T) {
	root, ca, leaf := realCerts(t)
	// the right issuer, proven by its signature over the leaf
	good := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca, Child: leaf}
	// a certificate that did not sign the leaf (the root) offered as its issuer
	wrong := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: root, Child: leaf}
	// nothing vouches for it: no thumbprint, no child
	bare := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca}
	// a known thumbprint that does not match the body
	badSHA := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreRoot, DER: ca, SHA1: host.Thumbprint(root)}
	p := Build(report(false, "windows", "chain.incomplete", good, wrong, bare, badSHA), Options{Lang: i18n.EN})
	want := []string{"", SkipUnverified, SkipUnverified, SkipUnverified}
	for i, s := range p.Steps {
		if s.Skip != want[i] {
			t.Errorf("step %d: skip %q, want %q", i+1, s.Skip, want[i])
		}
	}
	if p.Steps[0].Repair.Location != host.CurrentUser || p.Steps[0].Repair.SHA1 != host.Thumbprint(ca) {
		t.Errorf("step 1: %s %s", p.Steps[0].Repair.Location, p.Steps[0].Repair.SHA1)
	}
	// --cert supplies a certificate the check did not have, verified the same way
	need := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreCA, Child: leaf, URL: "http://x/ca.crt"}
	certs, _ := parseAll(t, root, ca)
	p = Build(report(true, "windows", "chain.incomplete", need), Options{Certs: certs, CertFiles: []string{"a.pem", "a.pem"}})
	if s := p.Steps[0]; s.Skip != "" || s.Source != "--cert a.pem" || !bytes.Equal(s.Repair.DER, ca) || s.Repair.Location != host.LocalMachine {
		t.Fatalf("--cert: %+v", s)
	}
}

func TestOnlyAndDedupe(t *testing.T) {
	_, ca, leaf := realCerts(t)
	r := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca, Child: leaf}
	rep := report(true, "windows", "chain.incomplete", r, r)
	if n := len(Build(rep, Options{}).Steps); n != 1 {
		t.Fatalf("%d steps for one change", n)
	}
	for only, n := range map[string]int{"chain.incomplete": 1, "chain.": 1, "chain": 1, "root-certs.missing": 0, "chain.incompl": 0} {
		if got := len(Build(rep, Options{Only: []string{only}}).Steps); got != n {
			t.Errorf("--only %s: %d steps, want %d", only, got, n)
		}
	}
}

func TestJournalRoundTrip(t *testing.T) {
	j := &Journal{Dir: filepath.Join(t.TempDir(), "j")}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r1, err := j.NewRun(host.Facts{Hostname: "WS"}, "1.0", now)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := j.NewRun(host.Facts{Hostname: "WS"}, "1.0", now)
	if err != nil {
		t.Fatal(err)
	}
	if r1.ID == r2.ID {
		t.Fatal("two runs in one second share an ID")
	}
	got, err := j.Find("")
	if err != nil || got.ID != r2.ID {
		t.Fatalf("latest = %v, %v", got, err)
	}
	if _, err := j.Find("nope"); err == nil {
		t.Fatal("unknown run found")
	}
	ents, _ := os.ReadDir(j.Dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func FuzzParseRun(f *testing.F) {
	f.Add([]byte(`{"journal_version":1,"id":"x","entries":[{"step":{"n":1,"repair":{"kind":"add-cert"}},"status":"applied"}]}`))
	f.Add([]byte(`{"journal_version":1,"id":"x","entries":[null]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRun(b)
		if err != nil {
			return
		}
		for _, e := range r.Entries {
			if e == nil || e.Step == nil {
				t.Fatal("nil entry accepted")
			}
		}
		_ = r.Applied()
	})
}

var b64Line = regexp.MustCompile(`FromBase64String\('([A-Za-z0-9+/=]+)'\)`)

func TestExportScripts(t *testing.T) {
	_, ca, leaf := realCerts(t)
	reps := []doctor.Repair{
		{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca, Child: leaf},
		{Kind: doctor.RepairSetRegValue, Key: `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains\gov.ru\bus`, Value: &host.RegValue{Name: "https", Type: host.RegDWORD, Integer: 2}},
		{Kind: doctor.RepairManual, Text: i18n.Raw("install CryptoPro CSP")},
	}
	p := Build(report(true, "windows", "chain.incomplete", reps...), Options{})
	var ps, cmd bytes.Buffer
	if err := Export(&ps, p, "ps1", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	m := b64Line.FindAllStringSubmatch(ps.String(), -1)
	if len(m) != 1 {
		t.Fatalf("%d embedded certificates in\n%s", len(m), ps.String())
	}
	der, err := base64.StdEncoding.DecodeString(m[0][1])
	if err != nil || !bytes.Equal(der, ca) {
		t.Fatalf("embedded certificate does not decode to the CA: %v", err)
	}
	for _, want := range []string{"X509Store('CA', 'LocalMachine')", "FindByThumbprint', '" + host.Thumbprint(ca), "New-ItemProperty -LiteralPath 'HKCU:\\Software", "-PropertyType DWord -Value 2", "# step 3 [chain.incomplete]"} {
		if !strings.Contains(ps.String(), want) {
			t.Errorf("ps1 lacks %q", want)
		}
	}
	if err := Export(&cmd, p, "cmd", ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"certutil -f -addstore CA", `if errorlevel 1 reg add "HKLM\SOFTWARE\Microsoft\SystemCertificates\CA\Certificates\` + host.Thumbprint(ca) + `" /v Blob /t REG_BINARY /d 20000000010000`, `/v "https" /t REG_DWORD /d "2" /f`, "goto gmu_failed"} {
		if !strings.Contains(cmd.String(), want) {
			t.Errorf("cmd lacks %q", want)
		}
	}
	if err := Export(&cmd, p, "bat", ExportOptions{}); err == nil {
		t.Error("unknown format accepted")
	}
}

func parseAll(t *testing.T, ders ...[]byte) ([]*pki.Certificate, error) {
	t.Helper()
	var out []*pki.Certificate
	for _, d := range ders {
		c, err := pki.ParseDER(d)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out, nil
}

var heredoc = regexp.MustCompile(`(?s)<<'GMU_CERT'\n(.*?)\nGMU_CERT\n`)

func TestExportShell(t *testing.T) {
	root, ca, leaf := realCerts(t)
	reps := []doctor.Repair{
		{Kind: doctor.RepairAddCert, Store: host.StoreCA, DER: ca, Child: leaf},
		{Kind: doctor.RepairAddCert, Location: host.SystemBundle, DER: root, SHA1: host.Thumbprint(root)},
		{Kind: doctor.RepairRun, Argv: []string{"/usr/bin/systemctl", "enable", "--now", "pcscd.socket"}},
	}
	p := Build(report(true, "linux", "chain.incomplete", reps...), Options{})
	var b bytes.Buffer
	if err := Export(&b, p, "sh", ExportOptions{Arch: "amd64"}); err != nil {
		t.Fatal(err)
	}
	sh := testutil.RequireTool(t, "sh", "the exported script is checked by the shell")
	f := filepath.Join(t.TempDir(), "fix.sh")
	if err := os.WriteFile(f, b.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(sh, "-n", f).CombinedOutput(); err != nil {
		t.Fatalf("sh -n: %v: %s", err, out)
	}
	m := heredoc.FindAllStringSubmatch(b.String(), -1)
	if len(m) != 1 {
		t.Fatalf("%d embedded certificates", len(m))
	}
	der, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(m[0][1], "\n", ""))
	if err != nil || !bytes.Equal(der, ca) {
		t.Fatalf("embedded certificate: %v", err)
	}
	for _, want := range []string{"/opt/cprocsp/bin/amd64/certmgr -list -store mCA 2>/dev/null | grep -qi " + host.Thumbprint(ca),
		"/opt/cprocsp/bin/amd64/certmgr -inst -store mCA -file", "update-ca-certificates", "update-ca-trust extract",
		"'/usr/bin/systemctl' 'enable' '--now' 'pcscd.socket'", "set -eu"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("sh lacks %q", want)
		}
	}
}

// A cache is removed only while its browser is closed; a running browser
// skips the step (saying which process to close) and the run goes on.
func TestRemoveDirWaitsForBrowser(t *testing.T) {
	snap := &host.Snapshot{Facts: host.Facts{OS: "linux"}, Files: []host.SnapFile{
		{FileInfo: host.FileInfo{Path: "/home/u/.cache/chromium/Default/Cache", Exists: true, IsDir: true}},
		{FileInfo: host.FileInfo{Path: "/home/u/.cache/chromium/Default/Cache/data_0", Exists: true}},
	}}
	w := &fixtest.Writer{Snap: snap, Running: []string{"chromium"}, AllowRun: []string{"/usr/bin/systemctl"}}
	rep := report(false, "linux", "browser-cache.stale",
		doctor.Repair{Kind: doctor.RepairRemoveDir, Path: "/home/u/.cache/chromium/Default/Cache", Process: "chromium"},
		doctor.Repair{Kind: doctor.RepairRun, Argv: []string{"/usr/bin/systemctl", "enable", "--now", "pcscd.socket"}})
	p := Build(rep, Options{Lang: i18n.EN})
	if !strings.Contains(p.Steps[0].Note, "close chromium") {
		t.Errorf("note %q", p.Steps[0].Note)
	}
	now := func() time.Time { return time.Unix(0, 0) }
	j := &Journal{Dir: t.TempDir()}
	run, _ := j.NewRun(host.Facts{}, "t", now())
	if err := Apply(context.Background(), w, p, run, now, nil); err != nil {
		t.Fatal(err)
	}
	if e := run.Entries[0]; e.Status != StatusSkipped || e.Error != "chromium" || len(snap.Files) != 2 {
		t.Fatalf("browser running: %s %q, %d files", e.Status, e.Error, len(snap.Files))
	}
	if run.Entries[1].Status != StatusApplied {
		t.Fatalf("the next step did not run: %s", run.Entries[1].Status)
	}
	w.Running = nil
	run, _ = j.NewRun(host.Facts{}, "t", now())
	if err := Apply(context.Background(), w, p, run, now, nil); err != nil {
		t.Fatal(err)
	}
	if e := run.Entries[0]; e.Status != StatusApplied || len(snap.Files) != 1 || snap.Files[0].Exists {
		t.Fatalf("browser closed: %s, files %+v", e.Status, snap.Files)
	}
	// a removed cache (and a command without an undo) cannot be reverted:
	// undo says so instead of failing
	left, err := Undo(context.Background(), w, run, now, nil)
	if err != nil || len(left) != 2 || left[1].Step.Repair.Kind != doctor.RepairRemoveDir {
		t.Fatalf("undo: %v, not undoable %d", err, len(left))
	}
}

// A certificate the bundle lacks is downloaded from the caIssuers address
// (AIA) and installed only when its key verifies the child's signature.
func TestAIASource(t *testing.T) {
	root, ca, leaf := realCerts(t)
	need := doctor.Repair{Kind: doctor.RepairAddCert, Store: host.StoreCA, Child: leaf, URL: "http://crl.roskazna.ru/crl/ucfk_2024.crt"}
	var asked []string
	serve := func(body []byte) func(string) ([]byte, error) {
		return func(url string) ([]byte, error) { asked = append(asked, url); return body, nil }
	}
	p := Build(report(true, "windows", "chain.incomplete", need), Options{Fetch: serve(ca)})
	if s := p.Steps[0]; s.Skip != "" || s.Source != "AIA "+need.URL || !bytes.Equal(s.Repair.DER, ca) {
		t.Fatalf("AIA: %+v", s)
	}
	if len(asked) != 1 || asked[0] != need.URL {
		t.Fatalf("asked %v", asked)
	}
	// a server that answers with another certificate is not believed
	p = Build(report(true, "windows", "chain.incomplete", need), Options{Fetch: serve(root)})
	if s := p.Steps[0]; s.Skip != SkipUnverified || len(s.Repair.DER) != 0 {
		t.Fatalf("wrong certificate from AIA accepted: %+v", s)
	}
	// garbage, and no child to verify against: nothing is fetched or used
	p = Build(report(true, "windows", "chain.incomplete", need), Options{Fetch: serve([]byte("<html>"))})
	if p.Steps[0].Skip != SkipUnverified {
		t.Fatal("garbage accepted")
	}
	asked = nil
	noChild := need
	noChild.Child = nil
	p = Build(report(true, "windows", "chain.incomplete", noChild), Options{Fetch: serve(ca)})
	if p.Steps[0].Skip != SkipUnverified || len(asked) != 0 {
		t.Fatalf("fetched without a certificate to verify against: %v", asked)
	}
}
