package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// cleanEnv removes the environment that would change the CLI's behaviour.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, k := range scalarKeys {
		t.Setenv(EnvPrefix+"_"+strings.ToUpper(k.key), "")
	}
	t.Setenv(EnvPrefix+"_CONFIG", "")
	t.Setenv("NO_COLOR", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ru_RU.UTF-8")
}

type result struct {
	code           int
	stdout, stderr string
}

// newTestApp returns an App with the real suite, no terminal and an empty
// user config directory.
func newTestApp(t *testing.T) (*App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	a := NewApp(&out, &errb)
	a.Stdin = strings.NewReader("")
	dir := t.TempDir()
	a.UserConfigDir = func() (string, error) { return dir, nil }
	a.IsTerminal = func(io.Writer) bool { return false }
	a.VT = func(io.Writer) bool { return true }
	// Tests never reach a real host: the live network is off and, should
	// a test turn it on, limited to loopback.
	a.NewLive = func(o host.LiveOptions) (host.Host, error) {
		o.Net.Offline, o.Net.LoopbackOnly = true, true
		return host.NewLive(o)
	}
	return a, &out, &errb
}

func run(t *testing.T, a *App, out, errb *bytes.Buffer, args ...string) result {
	t.Helper()
	code := a.Run(args)
	return result{code, out.String(), errb.String()}
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	a, out, errb := newTestApp(t)
	return run(t, a, out, errb, args...)
}

func workstation(t *testing.T, name string) string {
	return testutil.Testdata(t, "workstations", name)
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeReport(t *testing.T, s string) *report.Document {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var d report.Document
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("decode report JSON: %v\n%s", err, s)
	}
	return &d
}

func wantOneLine(t *testing.T, r result, contains ...string) {
	t.Helper()
	if r.code != 2 {
		t.Errorf("exit code %d, want 2; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "gmu-doctor: ") {
		t.Errorf("stderr is not one line starting with gmu-doctor: %q", r.stderr)
	}
	for _, c := range contains {
		if !strings.Contains(r.stderr, c) {
			t.Errorf("stderr %q does not contain %q", r.stderr, c)
		}
	}
	for _, bad := range []string{"panic", "goroutine", "Usage:", "Использование:"} {
		if strings.Contains(r.stderr+r.stdout, bad) {
			t.Errorf("output contains %q:\n%s%s", bad, r.stdout, r.stderr)
		}
	}
}

func TestBrokenClockExit1(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "check", "clock", "--snapshot", workstation(t, "broken-clock.json"), "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1; stderr %q", r.code, r.stderr)
	}
	d := decodeReport(t, r.stdout)
	if d.ExitCode != 1 || d.Host.Source != "snapshot" {
		t.Errorf("exit_code %d source %q", d.ExitCode, d.Host.Source)
	}
	var clock *report.CheckDoc
	for i := range d.Checks {
		if d.Checks[i].ID == "clock" {
			clock = &d.Checks[i]
		}
	}
	if clock == nil || clock.Status != "fail" || len(clock.Findings) == 0 || !strings.HasPrefix(clock.Findings[0].Code, "clock.") {
		t.Fatalf("clock result = %+v", clock)
	}
	// The same in text: the fail box and the next step.
	r = runCLI(t, "check", "clock", "--snapshot", workstation(t, "broken-clock.json"))
	if r.code != 1 || !strings.Contains(r.stdout, "[✗] ") || !strings.Contains(r.stdout, "Исправьте отмеченное ✗") {
		t.Errorf("text run: code %d\n%s", r.code, r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("exit 1 printed to stderr: %q", r.stderr)
	}
}

func TestHealthyExit0(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "check", "os-support", "clock", "--snapshot", workstation(t, "windows10-healthy.json"), "--lang", "en")
	if r.code != 0 {
		t.Fatalf("exit code %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "No problems found") || strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestStrictOnlyChangesWarnings(t *testing.T) {
	cleanEnv(t)
	win7 := workstation(t, "windows7-386.json")
	if r := runCLI(t, "check", "os-support", "--snapshot", win7); r.code != 0 || !strings.Contains(r.stdout, "[!] ") {
		t.Fatalf("warnings only: exit %d, want 0 and a [!] line\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "check", "os-support", "--snapshot", win7, "--strict"); r.code != 1 {
		t.Errorf("--strict on warnings: exit %d, want 1", r.code)
	}
	healthy := workstation(t, "windows10-healthy.json")
	if r := runCLI(t, "check", "os-support", "clock", "--snapshot", healthy, "--strict"); r.code != 0 {
		t.Errorf("--strict on a healthy snapshot: exit %d, want 0", r.code)
	}
	broken := workstation(t, "broken-clock.json")
	if r := runCLI(t, "check", "clock", "--snapshot", broken, "--strict"); r.code != 1 {
		t.Errorf("--strict on a failure: exit %d, want 1", r.code)
	}
	// The same through the environment and the config file.
	t.Setenv("GMU_DOCTOR_STRICT", "true")
	if r := runCLI(t, "check", "os-support", "--snapshot", win7); r.code != 1 {
		t.Errorf("GMU_DOCTOR_STRICT=true: exit %d, want 1", r.code)
	}
	if r := runCLI(t, "check", "os-support", "--snapshot", win7, "--strict=false"); r.code != 0 {
		t.Errorf("--strict=false over GMU_DOCTOR_STRICT=true: exit %d, want 0", r.code)
	}
	t.Setenv("GMU_DOCTOR_STRICT", "")
	cfg := writeFile(t, "c.yaml", "strict: true\n")
	if r := runCLI(t, "check", "os-support", "--snapshot", win7, "--config", cfg); r.code != 1 {
		t.Errorf("strict: true in the config: exit %d, want 1", r.code)
	}
}

func TestListJSON(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "list", "--format", "json", "--lang", "en")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var entries []listEntry
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		t.Fatalf("decode: %v\n%s", err, r.stdout)
	}
	suite := checks.All()
	if len(entries) != len(suite) {
		t.Fatalf("%d entries, suite has %d", len(entries), len(suite))
	}
	for i, c := range suite {
		e := entries[i]
		if e.ID != c.ID || e.Title != c.Title.In(i18n.EN) || e.Doc == "" || strings.Contains(e.Doc, "\n") || e.OS == nil {
			t.Errorf("entry %d = %+v, want check %s", i, e, c.ID)
		}
	}
	lld := runCLI(t, "list", "--format", "zabbix-lld")
	var macros []map[string]string
	if err := json.Unmarshal([]byte(lld.stdout), &macros); err != nil || lld.code != 0 {
		t.Fatalf("zabbix-lld: exit %d, %v\n%s", lld.code, err, lld.stdout)
	}
	if len(macros) != len(suite) || macros[0]["{#CHECK.ID}"] != suite[0].ID || macros[0]["{#CHECK.TITLE}"] == "" {
		t.Errorf("zabbix-lld = %v", macros)
	}
	text := runCLI(t, "list")
	for _, c := range suite {
		if !strings.Contains(text.stdout, c.ID+" ") || !strings.Contains(text.stdout, c.Title.In(i18n.RU)) {
			t.Errorf("text list misses %s:\n%s", c.ID, text.stdout)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	cleanEnv(t)
	var ids []string
	for _, c := range checks.All() {
		ids = append(ids, c.ID)
	}
	healthy := workstation(t, "windows10-healthy.json")
	t.Run("unknown ID lists valid IDs", func(t *testing.T) {
		r := runCLI(t, "check", "no-such-check", "--snapshot", healthy)
		wantOneLine(t, r, append([]string{"no-such-check", "gmu-doctor check --help"}, ids...)...)
		if r.stdout != "" {
			t.Errorf("stdout not empty: %q", r.stdout)
		}
	})
	t.Run("unknown --skip ID", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--skip", "nope", "--snapshot", healthy), "nope")
	})
	t.Run("English", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "nope", "--lang", "en"), "unknown check nope; valid IDs: ", "see gmu-doctor check --help")
	})
	t.Run("bad flag", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--bogus"), "--bogus", "--help")
	})
	t.Run("bad format", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--format", "xml", "--snapshot", healthy), `"xml"`)
	})
	t.Run("bad language", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--lang", "de"), `"de"`)
	})
	t.Run("bad site", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--site", "mos", "--snapshot", healthy), `"mos"`, "--site")
	})
	t.Run("bad timeout", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--timeout", "soon"), "--timeout")
	})
	t.Run("unknown command", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "chek"), "chek")
	})
	t.Run("collect without -o", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "collect"), "-o")
	})
}

func TestBadSnapshot(t *testing.T) {
	cleanEnv(t)
	cases := map[string]string{
		"malformed":   `{"snapshot_version": 1, "os": "windows", "cert_stores": [`,
		"not JSON":    "MZ\x90\x00 this is not a snapshot\n\n",
		"wrong shape": `{"snapshot_version": "one"}`,
		"empty":       "",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, "snap.json", content)
			wantOneLine(t, runCLI(t, "check", "--snapshot", p), "snap.json")
		})
	}
	t.Run("missing", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--snapshot", filepath.Join(t.TempDir(), "none.json")), "none.json")
	})
}

func TestBadConfig(t *testing.T) {
	cleanEnv(t)
	healthy := workstation(t, "windows10-healthy.json")
	cases := []struct {
		name, content string
		want          []string
	}{
		{"YAML syntax", "lang: [ru\nstrict: true\n", []string{"c.yaml"}},
		{"unknown top-level key", "lang: ru\ncolour: true\n", []string{`"colour"`}},
		{"unknown check key", "checks:\n  clock:\n    foo: 1\n", []string{"checks.clock", `"foo"`}},
		{"wrong type", "checks:\n  clock:\n    tolerance_minutes: soon\n", []string{"checks.clock", "tolerance_minutes"}},
		{"unknown check", "checks:\n  nosuch:\n    a: 1\n", []string{"checks.nosuch"}},
		{"bad strict", "strict: maybe\n", []string{"strict"}},
		{"bad timeout", "timeout: soon\n", []string{"timeout"}},
		{"bad language", "lang: de\n", []string{"lang"}},
		{"bad site", "site: mos\n", []string{"site", `"mos"`}},
		{"bad site override", "sites:\n  gmu:\n    colour: red\n", []string{"sites.gmu", "colour"}},
		{"unknown site section", "sites:\n  mos:\n    url: x\n", []string{"sites.mos"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, "c.yaml", c.content)
			wantOneLine(t, runCLI(t, "check", "--snapshot", healthy, "--config", p), c.want...)
		})
	}
	t.Run("missing --config file", func(t *testing.T) {
		wantOneLine(t, runCLI(t, "check", "--config", filepath.Join(t.TempDir(), "absent.yaml")), "absent.yaml")
	})
	t.Run("default file is read", func(t *testing.T) {
		a, out, errb := newTestApp(t)
		dir, _ := a.UserConfigDir()
		if err := os.MkdirAll(filepath.Join(dir, "gmu-doctor"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "gmu-doctor", "config.yaml"), []byte("bogus: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		wantOneLine(t, run(t, a, out, errb, "check", "--snapshot", healthy), `"bogus"`, "config.yaml")
	})
	t.Run("version ignores a broken config", func(t *testing.T) {
		p := writeFile(t, "c.yaml", "bogus: 1\n")
		if r := runCLI(t, "version", "--config", p); r.code != 0 {
			t.Errorf("version exit %d: %s", r.code, r.stderr)
		}
	})
}

// probeConfig is the config of the probe check.
type probeConfig struct {
	Threshold int      `json:"threshold"`
	Names     []string `json:"names"`
}

// probe is a check that records what the runner gave it.
type probe struct {
	opts     doctor.Options
	cfg      *probeConfig
	deadline time.Duration
	ran      bool
}

func (p *probe) suite() []*doctor.Check {
	return []*doctor.Check{{
		ID:        "probe",
		Title:     i18n.Raw("Probe"),
		Doc:       i18n.Raw("Records its inputs."),
		Timeout:   time.Hour,
		NewConfig: func() any { return &probeConfig{Threshold: 5, Names: []string{"a"}} },
		Run: func(ctx context.Context, pass *doctor.Pass) error {
			p.ran = true
			p.opts = pass.Options
			p.cfg = pass.Config.(*probeConfig)
			if d, ok := ctx.Deadline(); ok {
				p.deadline = time.Until(d)
			}
			return nil
		},
	}}
}

func runProbe(t *testing.T, args ...string) (*probe, result) {
	t.Helper()
	a, out, errb := newTestApp(t)
	p := &probe{}
	a.Suite = p.suite
	r := run(t, a, out, errb, append([]string{"check", "--snapshot", workstation(t, "windows10-healthy.json")}, args...)...)
	return p, r
}

func TestFlagsToOptions(t *testing.T) {
	cleanEnv(t)
	p, r := runProbe(t, "--site", "eis,fzs", "--show-personal", "--tsl", "/tmp/tsl.xml", "--timeout", "2s")
	if r.code != 0 || !p.ran {
		t.Fatalf("exit %d ran %v: %s", r.code, p.ran, r.stderr)
	}
	if strings.Join(p.opts.Sites, ",") != "eis,fzs" || !p.opts.ShowPersonal || p.opts.TSLPath != "/tmp/tsl.xml" {
		t.Errorf("options = %+v", p.opts)
	}
	if len(p.opts.Profiles) != 2 || p.opts.Profiles[0].ID != "eis" || p.opts.Profiles[1].ID != "fzs" {
		t.Errorf("profiles = %v", p.opts.Profiles)
	}
	if p.deadline <= 0 || p.deadline > 2*time.Second {
		t.Errorf("--timeout 2s gave a deadline in %v", p.deadline)
	}
	if p.cfg.Threshold != 5 || len(p.cfg.Names) != 1 {
		t.Errorf("default config = %+v", p.cfg)
	}
	p, _ = runProbe(t, "--site", "all")
	if strings.Join(p.opts.Sites, ",") != "gmu,eis,fzs,epgu" || p.opts.ShowPersonal {
		t.Errorf("--site all: %+v", p.opts)
	}
	if p.deadline < 59*time.Minute {
		t.Errorf("no --timeout: deadline in %v, want the check's own hour", p.deadline)
	}
}

func TestConfigPrecedence(t *testing.T) {
	cleanEnv(t)
	file := writeFile(t, "c.yaml", `
lang: en
site: [gmu]
show_personal: true
timeout: 3s
sites:
  gmu:
    min_csp_build: "5.0.12000"
checks:
  probe:
    threshold: 7
    names: [x, y]
`)
	// file only
	p, r := runProbe(t, "--config", file)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Join(p.opts.Sites, ",") != "gmu" || !p.opts.ShowPersonal || p.cfg.Threshold != 7 || strings.Join(p.cfg.Names, ",") != "x,y" {
		t.Errorf("file: options %+v config %+v", p.opts, p.cfg)
	}
	if p.opts.Profiles[0].MinCSPBuild != "5.0.12000" {
		t.Errorf("sites override not applied: %+v", p.opts.Profiles[0])
	}
	if p.deadline > 3*time.Second {
		t.Errorf("file timeout 3s: deadline in %v", p.deadline)
	}
	if !strings.Contains(r.stdout, "No problems found") {
		t.Errorf("lang: en from the file not used:\n%s", r.stdout)
	}
	// env beats file
	t.Setenv("GMU_DOCTOR_SITE", "eis")
	t.Setenv("GMU_DOCTOR_LANG", "ru")
	p, r = runProbe(t, "--config", file)
	if strings.Join(p.opts.Sites, ",") != "eis" || !strings.Contains(r.stdout, "Проблем не найдено") {
		t.Errorf("env: sites %v\n%s", p.opts.Sites, r.stdout)
	}
	// flag beats env
	p, r = runProbe(t, "--config", file, "--site", "epgu", "--lang", "en", "--show-personal=false")
	if strings.Join(p.opts.Sites, ",") != "epgu" || p.opts.ShowPersonal || !strings.Contains(r.stdout, "No problems found") {
		t.Errorf("flag: %+v\n%s", p.opts, r.stdout)
	}
	// GMU_DOCTOR_CONFIG names the file
	t.Setenv("GMU_DOCTOR_SITE", "")
	t.Setenv("GMU_DOCTOR_CONFIG", file)
	p, _ = runProbe(t)
	if p.cfg == nil || p.cfg.Threshold != 7 {
		t.Errorf("GMU_DOCTOR_CONFIG not read: %+v", p.cfg)
	}
}

func TestLanguageFromLocale(t *testing.T) {
	cleanEnv(t)
	healthy := workstation(t, "windows10-healthy.json")
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"LANG": "en_US.UTF-8"}, nil, "No problems found"},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, nil, "Проблем не найдено"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, nil, "Проблем не найдено"},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_ALL": "en_GB.UTF-8"}, nil, "No problems found"},
		{map[string]string{"LANG": "en_US.UTF-8"}, []string{"--lang", "ru"}, "Проблем не найдено"},
		{map[string]string{"LANG": "ru_RU.UTF-8", "GMU_DOCTOR_LANG": "en"}, nil, "No problems found"},
	} {
		cleanEnv(t)
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		r := runCLI(t, append([]string{"check", "os-support", "clock", "--snapshot", healthy}, c.args...)...)
		if !strings.Contains(r.stdout, c.want) {
			t.Errorf("env %v args %v: want %q in\n%s%s", c.env, c.args, c.want, r.stdout, r.stderr)
		}
	}
}

func TestColorDecision(t *testing.T) {
	cleanEnv(t)
	healthy := workstation(t, "windows10-healthy.json")
	tty := func(args ...string) string {
		a, out, errb := newTestApp(t)
		a.IsTerminal = func(io.Writer) bool { return true }
		return run(t, a, out, errb, append([]string{"check", "os-support", "--snapshot", healthy}, args...)...).stdout
	}
	if out := tty(); !strings.Contains(out, "\x1b[") {
		t.Errorf("no colour on a terminal:\n%q", out)
	}
	if out := tty("--no-color"); strings.Contains(out, "\x1b[") {
		t.Errorf("colour with --no-color:\n%q", out)
	}
	if out := tty("--format", "json"); strings.Contains(out, "\x1b[") {
		t.Errorf("colour in JSON:\n%q", out)
	}
	t.Setenv("NO_COLOR", "1")
	if out := tty(); strings.Contains(out, "\x1b[") {
		t.Errorf("colour with NO_COLOR:\n%q", out)
	}
	t.Setenv("NO_COLOR", "")
	// A legacy console (Windows 7): no escapes, ASCII marks.
	a, out, errb := newTestApp(t)
	a.IsTerminal = func(io.Writer) bool { return true }
	a.VT = func(io.Writer) bool { return false }
	legacy := run(t, a, out, errb, "check", "os-support", "--snapshot", healthy).stdout
	if strings.Contains(legacy, "\x1b[") || strings.Contains(legacy, "✓") || !strings.Contains(legacy, "[+] ") {
		t.Errorf("legacy console output:\n%q", legacy)
	}
}

func TestConfigExampleLoadsBack(t *testing.T) {
	cleanEnv(t)
	a, out, errb := newTestApp(t)
	p := &probe{}
	a.Suite = p.suite
	if r := run(t, a, out, errb, "config", "example"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	ex := out.String()
	for _, w := range []string{"lang: ru", "site: \"all\"", "checks:", "  probe:", "    threshold: 5", `    names: ["a"]`, "# sites:"} {
		if !strings.Contains(ex, w+"\n") {
			t.Errorf("example lacks %q:\n%s", w, ex)
		}
	}
	for _, k := range TopLevelKeys() {
		// At a line start, commented or not: "at:" must not be found
		// inside "format:".
		if !strings.Contains(ex, "\n"+k+":") && !strings.Contains(ex, "\n# "+k+":") {
			t.Errorf("example lacks key %s", k)
		}
	}
	file := writeFile(t, "example.yaml", ex)
	p2, r := runProbe(t, "--config", file)
	if r.code != 0 || p2.cfg.Threshold != 5 || strings.Join(p2.opts.Sites, ",") != "gmu,eis,fzs,epgu" {
		t.Errorf("example does not load back: exit %d %s config %+v", r.code, r.stderr, p2.cfg)
	}
	// The real suite's example loads back too.
	r = runCLI(t, "config", "example", "--lang", "en")
	file = writeFile(t, "real.yaml", r.stdout)
	if r2 := runCLI(t, "check", "os-support", "--snapshot", workstation(t, "windows10-healthy.json"), "--config", file); r2.code != 0 {
		t.Errorf("real example does not load back: exit %d %s\n%s", r2.code, r2.stderr, r.stdout)
	}
}

func TestCompletion(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "__complete", "check", "clock", "")
	if r.code != 0 {
		t.Fatalf("exit %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "os-support\t") || strings.Contains(r.stdout, "clock\t") {
		t.Errorf("completion after clock:\n%s", r.stdout)
	}
	r = runCLI(t, "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "gmu-doctor") {
		t.Errorf("completion bash: exit %d", r.code)
	}
}

func TestVersion(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "version", "--format", "json")
	var v map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || r.code != 0 {
		t.Fatalf("version json: %v %q", err, r.stdout)
	}
	for _, k := range []string{"version", "go_version", "os", "arch"} {
		if v[k] == "" {
			t.Errorf("version JSON lacks %s: %v", k, v)
		}
	}
	r = runCLI(t, "version")
	if !strings.HasPrefix(r.stdout, "gmu-doctor ") {
		t.Errorf("version text: %q", r.stdout)
	}
}

func TestHelpIsLocalized(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "check", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "Использование:") || !strings.Contains(r.stdout, "--snapshot") {
		t.Errorf("Russian help:\n%s", r.stdout)
	}
	r = runCLI(t, "--lang", "en", "check", "--help")
	if !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "check a snapshot") {
		t.Errorf("English help:\n%s", r.stdout)
	}
	if r := runCLI(t); r.code != 0 || !strings.Contains(r.stdout, "check") {
		t.Errorf("bare command: exit %d\n%s", r.code, r.stdout)
	}
}

// TestCollectReplaysLive: collect on this machine writes a snapshot that
// check --snapshot replays to the statuses and findings of a live check.
func TestCollectReplaysLive(t *testing.T) {
	cleanEnv(t)
	// A live run on this machine must not reach real sites (tests talk to
	// loopback only): the online checks skip.
	t.Setenv(EnvPrefix+"_OFFLINE", "true")
	snap := filepath.Join(t.TempDir(), "ws.json")
	r := runCLI(t, "collect", "-o", snap, "--lang", "en")
	if r.code != 0 {
		t.Fatalf("collect: exit %d %s", r.code, r.stderr)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "Snapshot written to "+snap) {
		t.Errorf("collect summary: %q", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("collect -o FILE wrote to stdout: %q", r.stdout)
	}
	s, err := host.LoadSnapshotFile(snap)
	if err != nil {
		t.Fatalf("the written snapshot does not load: %v", err)
	}
	if len(s.CertStores) < 6 {
		t.Errorf("snapshot has %d stores, want the 6 core stores", len(s.CertStores))
	}
	live := decodeReport(t, runCLI(t, "check", "--format", "json").stdout)
	replay := runCLI(t, "check", "--format", "json", "--snapshot", snap)
	rep := decodeReport(t, replay.stdout)
	if rep.Host.Source != "snapshot" || live.Host.Source != "live" {
		t.Errorf("sources %q %q", live.Host.Source, rep.Host.Source)
	}
	if len(live.Checks) != len(rep.Checks) || len(live.Checks) == 0 {
		t.Fatalf("live has %d checks, replay %d", len(live.Checks), len(rep.Checks))
	}
	for i := range live.Checks {
		l, p := live.Checks[i], rep.Checks[i]
		if l.ID != p.ID || l.Status != p.Status || codes(l) != codes(p) {
			t.Errorf("check %s: live %s %s, replay %s %s (%s)", l.ID, l.Status, codes(l), p.Status, codes(p), p.Reason)
		}
	}
	if live.ExitCode != rep.ExitCode || replay.code != rep.ExitCode {
		t.Errorf("exit codes: live %d, replay %d (process %d)", live.ExitCode, rep.ExitCode, replay.code)
	}
	// -o - writes the snapshot to stdout.
	r = runCLI(t, "collect", "-o", "-")
	if r.code != 0 {
		t.Fatalf("collect -o -: exit %d %s", r.code, r.stderr)
	}
	if _, err := host.LoadSnapshot(strings.NewReader(r.stdout)); err != nil {
		t.Errorf("collect -o - output does not load: %v", err)
	}
}

func codes(c report.CheckDoc) string {
	var out []string
	for _, f := range c.Findings {
		out = append(out, f.Code)
	}
	return strings.Join(out, ",")
}
