package cli

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/kb"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// Every check an entry of the knowledge base names exists in the suite, so
// that explain runs it rather than silently leaving it out.
func TestKnowledgeBaseChecksExist(t *testing.T) {
	base, err := kb.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, _, _ := newTestApp(t)
	have := map[string]bool{}
	for _, c := range a.suite() {
		have[c.ID] = true
	}
	for _, e := range base.Entries {
		for _, id := range e.Checks {
			if !have[id] {
				t.Errorf("entry %s names check %q, which is not in the suite", e.ID, id)
			}
		}
	}
}

// Issue 11's themes: explain on each theme's real wording prints the right
// cause and runs the related checks.
func TestExplainThemes(t *testing.T) {
	cleanEnv(t)
	snap := workstation(t, "windows10-healthy.json")
	cases := []struct {
		in     string
		cause  []string // in the English cause
		checks []string // run on the workstation
	}{
		{"Ошибка при подписании данных", []string{"licence has expired"}, []string{"csp-license", "csp"}},
		{"Internal error. (0x8007065B)", []string{"licence has expired", "0x8007065B = -2147023269 = 2147944027"}, []string{"csp-license"}},
		{"Ошибка: ERR_Failed Страничка: esia.gosuslugi.ru/login/", []string{"too old"}, []string{"csp", "gost-tls-browser"}},
		{"Бесконечная загрузка и надпись \"Подпишите в плагине\"", []string{"two extensions"}, []string{"plugin"}},
		{"Работа Госплагина невозможна. Обновите версию приложения", []string{"outdated Госплагин"}, []string{"plugin"}},
		{"Параметр задан неверно. (0x80070057)", []string{"2.0.13642"}, []string{"plugin"}},
		{"Идёт поиск и проверка сертификатов электронной подписи", []string{"expired certificates"}, []string{"personal-certs"}},
		{"SCARD_W_WRONG_CHV", []string{"wrong token PIN"}, []string{"readers"}},
		{"C_Login failed: rv = CKR_PIN_LOCKED (0xa4)", []string{"PIN is blocked"}, []string{"readers"}},
		{"Insert carrier to open container CLR{0F871D0D-5491-48BA-94DD-715F73280FFD}", []string{"carrier"}, []string{"readers", "personal-certs"}},
		{"В выбранном хранилище отсутствуют ключи", []string{"No certificate with a private key"}, []string{"personal-certs"}},
		{"A certificate was explicitly revoked by its issuer. (0x800B010C)", []string{"revoked"}, []string{"revocation", "chain"}},
		{"-2146885616", []string{"revoked"}, []string{"revocation", "chain"}}, // CRYPT_E_REVOKED
		{"ERR_CERT_NO_REVOCATION_MECHANISM", []string{"revocation"}, []string{"revocation", "chain", "proxy"}},
		{"0x80092013", []string{"stale"}, []string{"revocation", "chain", "proxy"}},
		{"CryptographicException: The certificate chain is incomplete, the self-signed root authority could not be determined.", []string{"Treasury"}, []string{"chain", "root-certs"}},
		{"Ошибка построения пути сертификации", []string{"Treasury"}, []string{"chain"}},
		{"ERR_SSL_CLIENT_AUTH_CERT_NO_PRIVATE_KEY", []string{"no linked private key"}, []string{"personal-certs"}},
		{"Сертификат безопасности этого веб-узла не был выдан доверенным центром сертификации", []string{"not trusted"}, []string{"root-certs"}},
		{"CADESCOM_CADES_X_LONG_TYPE_1 … A certificate chain could not be built to a trusted root authority. (0x800B010A)", []string{"time-stamp", "Treasury"}, []string{"root-certs", "chain"}},
		{"Сайт ecp.sfr.gov.ru отправил недействительный ответ. ERR_SSL_PROTOCOL_ERROR", []string{"TLS 1.3"}, []string{"gost-tls-browser"}},
		{"Failed! Error: Invalid type specified. (0x8009000A)", []string{"not NTE_BAD_ALGID"}, []string{"plugin", "csp"}},
		{"SCRIPT438: Object doesn't support property or method 'find'", []string{"Internet Explorer 11"}, []string{"gost-tls-browser"}},
		{"пользователь заблокирован", []string{"administrator grants them rights in ПОИБ"}, nil},
		{"0x80091007", []string{"does not match the data"}, nil},
		{"After loading Root Certs, loaded==false: NSS error code: -8018", []string{"harmless", "routine lines"}, nil},
	}
	for _, c := range cases {
		r := runCLI(t, "explain", "--lang", "en", "--snapshot", snap, c.in)
		if r.code == 2 {
			t.Errorf("explain %q: exit 2: %s", c.in, r.stderr)
			continue
		}
		for _, want := range c.cause {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("explain %q: no %q in\n%s", c.in, want, r.stdout)
			}
		}
		running := ""
		for _, line := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(line, "Checking this workstation: ") {
				running = line
			}
		}
		if len(c.checks) == 0 && running != "" {
			t.Errorf("explain %q runs checks it has no reason to: %s", c.in, running)
		}
		for _, id := range c.checks {
			if !strings.Contains(running+",", " "+id+",") {
				t.Errorf("explain %q does not run %s: %q", c.in, id, running)
			}
		}
	}
}

// Russian is the default: the same themes explain themselves in Russian.
func TestExplainThemesInRussian(t *testing.T) {
	cleanEnv(t)
	snap := workstation(t, "windows10-healthy.json")
	for in, want := range map[string]string{
		"Подпишите в плагине":          "два расширения",
		"Ошибка при подписании данных": "истекла лицензия КриптоПро CSP",
		"-2146434964": "ПИН-код токена заблокирован",
		"пользователь заблокирован":               "администратор организации не выдаст ему права в ПОИБ",
		"After loading Root Certs, loaded==false": "Это сообщение безвредно",
	} {
		r := runCLI(t, "explain", "--snapshot", snap, in)
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain %q: no %q in\n%s", in, want, r.stdout)
		}
	}
}

// `gmu-doctor explain -2146762486` works without "--", wherever the flags
// are, and real flags keep working.
func TestExplainNegativeCodeWithoutDashes(t *testing.T) {
	cleanEnv(t)
	snap := workstation(t, "certs-missing-treasury-ca-windows.json")
	for _, args := range [][]string{
		{"explain", "-2146762486", "--snapshot", snap},
		{"explain", "--snapshot", snap, "-2146762486"},
		{"--lang", "ru", "explain", "-2146762486", "--snapshot=" + snap},
		{"explain", "--snapshot", snap, "-v", "-2146762486"},
		{"explain", "--snapshot", snap, "--", "-2146762486"},
	} {
		r := runCLI(t, args...)
		if r.code != 1 || !strings.Contains(r.stdout, "CERT_E_CHAINING") || !strings.Contains(r.stdout, "certutil -addstore CA ucfk_2024.crt") {
			t.Errorf("%q: exit %d, stderr %q\n%s", args, r.code, r.stderr, r.stdout)
		}
	}
	// A value-taking flag keeps its value; the code is found after it.
	r := runCLI(t, "explain", "--format", "json", "-2146762486", "--snapshot", snap)
	var doc struct {
		Input   string `json:"input"`
		Matches []struct {
			ID        string   `json:"id"`
			CodeForms []string `json:"code_forms"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Matches) != 1 || doc.Matches[0].ID != "chain-incomplete" || doc.Input != "-2146762486" {
		t.Fatalf("json: %v %+v\n%s", err, doc, r.stdout)
	}
	if got := doc.Matches[0].CodeForms; len(got) != 1 || got[0] != "0x800B010A = -2146762486 = 2148204810" {
		t.Errorf("code_forms = %q", got)
	}
	// An unknown short flag is still an error, not an input.
	if r := runCLI(t, "explain", "-q"); r.code != 2 {
		t.Errorf("explain -q: exit %d", r.code)
	}
	if r := runCLI(t, "explain", "--list", "--lang", "en"); r.code != 0 || !strings.Contains(r.stdout, "tsp-chain") ||
		!strings.Contains(r.stdout, "Code: 0x8010006B = -2146434965 = 2148532331") || !strings.Contains(r.stdout, "This message is harmless") {
		t.Errorf("explain --list: exit %d\n%s", r.code, r.stdout)
	}
}

func TestExplainArgs(t *testing.T) {
	a, _, _ := newTestApp(t)
	root := newRootCmd(a)
	cases := []struct{ in, want []string }{
		{[]string{"explain", "0x800B010A"}, []string{"explain", "0x800B010A"}},
		{[]string{"check", "-1"}, []string{"check", "-1"}},
		{[]string{"explain", "-1", "x", "--format", "json", "-v"}, []string{"explain", "--format", "json", "-v", "--", "-1", "x"}},
		{[]string{"--lang", "en", "explain", "a", "-2", "--at=2025-01-01", "b"}, []string{"--lang", "en", "explain", "--at=2025-01-01", "--", "a", "-2", "b"}},
		{[]string{"explain", "--site", "gmu", "-5", "--", "-x"}, []string{"explain", "--site", "gmu", "--", "-5", "-x"}},
		{[]string{"--", "explain", "-1"}, []string{"--", "explain", "-1"}},
	}
	for _, c := range cases {
		if got := explainArgs(root, c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("explainArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// What explain repeats of the input reaches the terminal clean and short.
func TestExplainEchoIsClean(t *testing.T) {
	cleanEnv(t)
	in := "\x1b]0;owned\x07\x1b[31mпогода\x1b[0m в \u202eМоскве\x00\x07\r\nзавтра " + strings.Repeat("дождь ", 500)
	r := runCLI(t, "explain", in)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, bad := range []string{"\x1b", "\x07", "\x00", "\u202e", "owned", "\r"} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("output keeps %q:\n%q", bad, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "погода в Москве завтра дождь") || !strings.Contains(r.stdout, "…") {
		t.Errorf("echo not cleaned and shortened:\n%s", r.stdout)
	}
	if len([]rune(r.stdout)) > 600 {
		t.Errorf("echo not shortened: %d characters", len([]rune(r.stdout)))
	}
	for in, want := range map[string]string{
		"a\x1b[1;31mb":         "ab",
		"a\x1bPqq\x1b\\b":      "ab",
		"a\u009b2Jb":           "ab",
		"a\x1b":                "a",
		"a\xffb":               "ab",
		"a\u200fb\u2066c":      "abc",
		"строка\tи\nещё":       "строка и ещё",
		"ok 0x800B010A ошибка": "ok 0x800B010A ошибка",
	} {
		if got := cleanInput(in); got != want {
			t.Errorf("cleanInput(%q) = %q, want %q", in, got, want)
		}
	}
}

// When two entries match equally, explain shows both.
func TestExplainShowsTiedEntries(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "explain", "--lang", "en", "--snapshot", workstation(t, "windows10-healthy.json"),
		"CADESCOM_CADES_X_LONG_TYPE_1: A certificate chain could not be built to a trusted root authority. (0x800B010A)")
	if strings.Count(r.stdout, "Recognised: ") != 2 || !strings.Contains(r.stdout, "Recognised: CERT_E_CHAINING (0x800B010A)") ||
		!strings.Contains(r.stdout, "Recognised: tsp-chain (0x800B010A)") {
		t.Errorf("want two entries:\n%s", r.stdout)
	}
}

func FuzzCleanInput(f *testing.F) {
	for _, s := range []string{"\x1b]0;t\x07x", "\x1b[", "\u009b", "a\x1bP", "плохо\u202e", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := cleanInput(s)
		for _, r := range out {
			if r == 0x1b || termsafe.Unsafe(r) {
				t.Fatalf("cleanInput(%q) keeps %U", s, r)
			}
		}
		if e := echo(s); len([]rune(e)) > maxEcho {
			t.Fatalf("echo too long: %d", len([]rune(e)))
		}
		_ = explainArgs(newRootCmd(&App{}), strings.Fields(s))
	})
}
