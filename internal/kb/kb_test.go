package kb

import (
	"strings"
	"testing"
)

func mustLoad(t testing.TB) *Base {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEveryEntryHasSourceAndConfidence is the rule from the issue: an entry
// without its source or confidence fails the build.
func TestEveryEntryHasSourceAndConfidence(t *testing.T) {
	b := mustLoad(t)
	if len(b.Entries) < 15 {
		t.Fatalf("only %d entries", len(b.Entries))
	}
	for _, e := range b.Entries {
		if e.Source == "" || (e.Confidence != "V" && e.Confidence != "I") {
			t.Errorf("entry %s: source %q confidence %q", e.ID, e.Source, e.Confidence)
		}
	}
	// parse rejects entries without them.
	for _, bad := range []string{
		`{"entries":[{"id":"x","patterns":["a"],"cause_ru":"a","cause_en":"a","fix_ru":"a","fix_en":"a","confidence":"V"}]}`,
		`{"entries":[{"id":"x","patterns":["a"],"cause_ru":"a","cause_en":"a","fix_ru":"a","fix_en":"a","source":"s"}]}`,
		`{"entries":[{"id":"x","codes":["0xZZ"],"cause_ru":"a","cause_en":"a","fix_ru":"a","fix_en":"a","source":"s","confidence":"V"}]}`,
		`{"entries":[{"id":"x","cause_ru":"a","cause_en":"a","fix_ru":"a","fix_en":"a","source":"s","confidence":"V"}]}`,
		`{"entries":[`,
	} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse accepted %s", bad)
		}
	}
}

func TestMatch(t *testing.T) {
	b := mustLoad(t)
	cases := []struct{ in, want string }{
		{"Произошла внутренняя ошибка в цепочке сертификатов", "chain-incomplete"},
		{"ошибка: «произошла ВНУТРЕННЯЯ ошибка в цепочке сертификатов.» (подпись не создана)", "chain-incomplete"},
		{"Не удается построить цепочку сертификатов для доверенного корневого центра. (0x800B010A)", "chain-incomplete"},
		{"0x800b010a", "chain-incomplete"},
		{"800B010A", "chain-incomplete"},
		{"error -2146762486", "chain-incomplete"},
		{"2148204810", "chain-incomplete"},
		{"CERT_E_CHAINING", "chain-incomplete"},
		{"0x800B0109", "untrusted-root"},
		{"Набор ключей не существует", "bad-keyset"},
		{"0x80090016", "bad-keyset"},
		{"0x8009200B", "no-key-link"},
		{"0x80090010", "key-period-expired"},
		{"0x80092013", "revocation-offline"},
		{"Cannot sign data. Error description. Объект не поддерживает это свойство или метод", "activex-not-created"},
		{"объект не поддерживает это свойство", "activex-not-created"},
		{"Не установлен объект Capicom", "capicom-missing"},
		{"Плагин недоступен", "plugin-unavailable"},
		{"HTTP 400 при подписании на bus.gov.ru", "gmu-http-400"},
		{"ошибка 400", "gmu-http-400"},
		{"Пользователь заблокирован", "gmu-user-blocked"},
		{"net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH", "gost-tls-cipher"},
	}
	for _, c := range cases {
		m := b.Match(c.in)
		if len(m) == 0 {
			t.Errorf("Match(%q): nothing, want %s", c.in, c.want)
			continue
		}
		if m[0].Entry.ID != c.want {
			t.Errorf("Match(%q) = %s (%d, %s), want %s", c.in, m[0].Entry.ID, m[0].Score, m[0].By, c.want)
		}
	}
	// The tail of a pasted thumbprint is not an error code (E1DC45E2 would
	// otherwise look like an HRESULT).
	if c := Codes("отпечаток 8CAE88BBFD404A7A53630864F9033606E1DC45E2"); len(c) != 0 {
		t.Errorf("codes from a thumbprint: %x", c)
	}
	for _, in := range []string{"", "hello world", "погода в Москве", "0x00000000", "12345", "thumbprint 4BC6DC14D97010C41A26E058AD851F81800B010A"} {
		if m := b.Match(in); len(m) > 0 {
			t.Errorf("Match(%q) = %s, want nothing", in, m[0].Entry.ID)
		}
	}
}

func TestCodes(t *testing.T) {
	got := Codes("errors 0x800B010A, -2146762487 and 80090016; build 12345678")
	want := []uint32{0x800B010A, 0x80090016, 0x800B0109}
	if len(got) != len(want) {
		t.Fatalf("Codes = %x, want %x", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Codes[%d] = %x, want %x", i, got[i], want[i])
		}
	}
}

func TestEveryPatternMatchesItsEntry(t *testing.T) {
	b := mustLoad(t)
	for _, e := range b.Entries {
		for _, p := range append(append([]string{}, e.Patterns...), e.GenericPatterns...) {
			m := b.Match(strings.ToUpper(p))
			if len(m) == 0 {
				t.Errorf("pattern %q of %s matches nothing", p, e.ID)
				continue
			}
			found := false
			for _, x := range m {
				if x.Entry.ID == e.ID && x.Score == m[0].Score {
					found = true
				}
			}
			if !found {
				t.Errorf("pattern %q of %s: best match is %s", p, e.ID, m[0].Entry.ID)
			}
		}
		for _, c := range e.Codes {
			in := c
			if e.RequiresText {
				// Its codes count only with one of its wordings.
				if m := b.Match(c); len(m) > 0 && m[0].Entry == e {
					t.Errorf("code %s of %s matches it without its wording", c, e.ID)
				}
				in = c + " " + e.Patterns[0]
			}
			found := false
			for _, m := range best(b, in) {
				found = found || m.Entry == e
			}
			if !found {
				t.Errorf("code %s of %s does not match it first", c, e.ID)
			}
		}
	}
}

func FuzzMatch(f *testing.F) {
	b, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range b.Entries {
		for _, p := range append(append([]string{}, e.Patterns...), e.GenericPatterns...) {
			f.Add(p)
		}
		for _, c := range e.Codes {
			f.Add(c)
		}
	}
	f.Add("\xff\xfe garbage 0x")
	f.Fuzz(func(t *testing.T, in string) {
		for _, m := range b.Match(in) {
			if m.Entry == nil || m.Score <= 0 {
				t.Fatalf("bad match %+v", m)
			}
		}
		_ = Codes(in)
	})
}

func FuzzParse(f *testing.F) {
	f.Add(string(kbJSON))
	f.Add(`{"entries":[{"id":"x","codes":["0x1"],"cause_ru":"a","cause_en":"a","fix_ru":"a","fix_en":"a","source":"s","confidence":"V"}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		b, err := parse([]byte(in))
		if err == nil && b == nil {
			t.Fatal("nil base without error")
		}
	})
}

// The matching rules of issue 11, each with a case that fails without it.
func TestMatchingRules(t *testing.T) {
	b := mustLoad(t)
	ids := func(in string) string {
		var out []string
		for _, m := range best(b, in) {
			out = append(out, m.Entry.ID)
		}
		return strings.Join(out, ",")
	}
	cases := []struct{ name, in, want string }{
		// An explicit code that is not one of the entry's rules out a
		// match by wording: «Access denied» is NTE_PERM's text, but
		// E_ACCESSDENIED is another error.
		{"veto", "Access denied (0x80070005)", ""},
		{"veto negative decimal", "Отказано в доступе. (-2147024891)", ""},
		{"no veto by own code", "Access denied (0x80090010)", "key-period-expired"},
		{"no veto by own code in decimal", "Отказано в доступе -2146893808", "key-period-expired"},
		// A wrapper's exception code (.NET CLR) is not the error.
		{"wrapper code", "Код ошибки: -532462766. Provider could not perform the action since the context was acquired as silent.", "silent-context"},
		// CryptoPro's internal non-HRESULT codes do not veto.
		{"non-HRESULT", "Keyset does not exist CRYPTO[0x0000002F]", "bad-keyset"},
		// Codes in every written form.
		{"hex", "0x800B010A", "chain-incomplete"},
		{"hex without 0x", "800b010a", "chain-incomplete"},
		{"signed decimal", "-2146762486", "chain-incomplete"},
		{"unsigned decimal", "2148204810", "chain-incomplete"},
		{"signed without its minus", "код 2146762486", "chain-incomplete"},
		{"without minus, revocation", "2146885613", "revocation-offline"},
		// An ИНН-like number is no code and vetoes nothing.
		{"unsigned forms do not veto", "ИНН 2130012345 Пользователь заблокирован", "gmu-user-blocked"},
		// Two entries matched the same way are both shown.
		{"tie", "CADESCOM_CADES_X_LONG_TYPE_1: A certificate chain could not be built to a trusted root authority. (0x800B010A)", "chain-incomplete,tsp-chain"},
		// A code with its wording beats the code alone.
		{"code with text", "0x800B010A штамп времени", "tsp-chain"},
		// Wordings match word by word with at most one word in five
		// missing; a short one must match whole.
		{"typo tolerated", "A certificate was explicitily revoked by its issuer", "cert-revoked"},
		{"short wording whole", "Сертификат ЭЦП не найден", ""},
		{"one word in five", "Не удается получить список сертификатов", ""},
		// A wrapper's catch-all wording yields to a specific one.
		{"generic alone", "Ошибка при подписании данных", "csp-license-expired"},
		{"generic yields", "Ошибка при подписании данных: Набор ключей не существует", "bad-keyset"},
		{"generic Госплагин", "Обновите версию приложения", "gosplugin-outdated"},
		{"generic yields to words", "Cannot sign data. Error description: Keyset does not exist", "bad-keyset"},
		// A symbol is matched as a whole word only.
		{"symbol as word", "ERR_FAILED", "csp-too-old"},
		{"symbol inside another", "ERR_FAILED_SOMETHING_ELSE", ""},
	}
	for _, c := range cases {
		if got := ids(c.in); got != c.want {
			t.Errorf("%s: Match(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
	// Only the first MaxInput bytes are read: a huge paste is bounded.
	long := strings.Repeat("шум ", MaxInput) + "0x800B010A"
	if got := ids(long); got != "" {
		t.Errorf("a code after MaxInput was read: %q", got)
	}
	if got := ids("0x800B010A " + strings.Repeat("шум ", MaxInput)); got != "chain-incomplete" {
		t.Errorf("a code before MaxInput: %q", got)
	}
}

func TestCodesForms(t *testing.T) {
	for in, want := range map[string]uint32{
		"-2146762486": 0x800B010A, "2148204810": 0x800B010A, "2146762486": 0x800B010A,
		"0x8010006b": 0x8010006B, "(-2146434965)": 0x8010006B, "rc=80100016": 0x80100016,
	} {
		got := Codes(in)
		if len(got) != 1 || got[0] != want {
			t.Errorf("Codes(%q) = %x, want %x", in, got, want)
		}
	}
	for _, in := range []string{"1234567890", "ИНН 7710474375", "12345678", "-12345", "CLR{B04C8637-10BD-484E-B0DA-B8A039F60024}", "{0F871D0D-5491-48BA-94DD-DEADBEEF1234}"} {
		if got := Codes(in); len(got) != 0 {
			t.Errorf("Codes(%q) = %x, want none", in, got)
		}
	}
}

// Every entry names where the cause shows: codes have a symbol or a
// wording, noise entries say the message can be ignored.
func TestEntriesAreComplete(t *testing.T) {
	b := mustLoad(t)
	for _, e := range b.Entries {
		if len(e.Codes) > 0 && e.Symbol == "" && len(e.Patterns) == 0 {
			t.Errorf("%s: codes without a symbol or wording", e.ID)
		}
		if e.RequiresText && (len(e.Codes) == 0 || len(e.Patterns) == 0) {
			t.Errorf("%s: requires_text needs codes and patterns", e.ID)
		}
		if e.Noise && len(e.Checks) != 0 {
			t.Errorf("%s: a harmless message runs checks %v", e.ID, e.Checks)
		}
	}
}
