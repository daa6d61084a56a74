package pki

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func wrap76(s string, eol string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + eol)
		s = s[76:]
	}
	b.WriteString(s + eol)
	return b.String()
}

func TestParseForms(t *testing.T) {
	root := realCert(t, rootMincifry22)
	fk := realCert(t, fk2024)
	b64 := base64.StdEncoding.EncodeToString(root.Raw)
	pem := func(c *Certificate, eol string) string {
		return "-----BEGIN CERTIFICATE-----" + eol + wrap76(base64.StdEncoding.EncodeToString(c.Raw), eol) + "-----END CERTIFICATE-----" + eol
	}
	cases := []struct {
		name string
		in   string
		want []*Certificate
	}{
		{"DER", string(root.Raw), []*Certificate{root}},
		{"PEM", pem(root, "\n"), []*Certificate{root}},
		{"PEM CRLF", pem(root, "\r\n"), []*Certificate{root}},
		{"two PEM blocks with text around", "Bag Attributes\n  friendlyName: x\n" + pem(fk, "\n") + "garbage ☺\n" + pem(root, "\r\n") + "trailer", []*Certificate{fk, root}},
		{"PEM with a key block skipped", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" + pem(root, "\n"), []*Certificate{root}},
		{"base64 one line", b64, []*Certificate{root}},
		{"base64 Windows export CRLF", wrap76(b64, "\r\n"), []*Certificate{root}},
		{"base64 without padding and with spaces", "  " + strings.TrimRight(b64, "=") + " \n", []*Certificate{root}},
		{"PEM X509 CERTIFICATE", strings.ReplaceAll(pem(root, "\n"), "CERTIFICATE", "X509 CERTIFICATE"), []*Certificate{root}},
		{"UTF-8 BOM", "\xef\xbb\xbf" + pem(root, "\n"), []*Certificate{root}},
		{"UTF-16LE (PowerShell)", utf16le(pem(root, "\r\n")), []*Certificate{root}},
	}
	for _, tc := range cases {
		got, err := Parse([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d certificates, want %d", tc.name, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if !bytes.Equal(got[i].Raw, tc.want[i].Raw) {
				t.Errorf("%s: certificate %d differs", tc.name, i)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	root := realCert(t, rootMincifry22)
	good := "-----BEGIN CERTIFICATE-----\n" + base64.StdEncoding.EncodeToString(root.Raw) + "\n-----END CERTIFICATE-----\n"
	cases := map[string]string{
		"empty":                  "",
		"spaces":                 " \r\n ",
		"text":                   "hello, world",
		"PEM without END":        "-----BEGIN CERTIFICATE-----\nMIIB\n",
		"PEM bad base64":         "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
		"PEM of a non-cert DER":  "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n",
		"no certificate block":   "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"second block broken":    good + "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
		"DER with trailing byte": string(append(append([]byte{}, root.Raw...), 0x00)),
		"truncated DER":          string(root.Raw[:100]),
	}
	for name, in := range cases {
		if cs, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: accepted (%d certificates)", name, len(cs))
		}
	}
	if _, err := Parse(nil); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("nil input: %v", err)
	}
}

// TestStrictStructure: lengths, indefinite forms and tags are checked.
func TestStrictStructure(t *testing.T) {
	der := realDER(t, "rfc9215-example1-gost2012-256-testparamset-selfsigned.der")
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), der...)) }
	cases := map[string][]byte{
		"indefinite length": mutate(func(b []byte) []byte { b[1] = 0x80; return b }),
		"outer tag SET":     mutate(func(b []byte) []byte { b[0] = 0x31; return b }),
		"length too long":   mutate(func(b []byte) []byte { b[3]++; return b }),
		"TBS tag changed":   mutate(func(b []byte) []byte { b[4] = 0x31; return b }),
	}
	for name, in := range cases {
		if _, err := ParseDER(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNameDecoding(t *testing.T) {
	// names built programmatically so that the lengths are right
	name := seq(
		set(seq(oidBytes(t, "2.5.4.3"), tlv(0x1e, []byte{0x04, 0x22, 0x04, 0x35, 0x04, 0x41, 0x04, 0x42}))),
		set(seq(oidBytes(t, "1.2.643.100.3"), tlv(0x12, []byte("12345678901")))),
		set(seq(oidBytes(t, "2.5.4.16"), seq(tlv(0x0c, []byte("ул. Ленина")), tlv(0x13, []byte("1"))))),
		set(seq(oidBytes(t, "1.2.3.4"), tlv(0x02, []byte{0x05}))),
		set(seq(oidBytes(t, "2.5.4.10"), tlv(0x14, []byte{'A', 0xe9}))),
	)
	e, err := single(name)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	n, err := parseName(e, &notes)
	if err != nil {
		t.Fatal(err)
	}
	if n.Get("CN") != "Тест" || n.Get("SNILS") != "12345678901" || n.Get("postalAddress") != "ул. Ленина, 1" {
		t.Errorf("decoded %q", n)
	}
	if n.Get("1.2.3.4") != "#020105" || n.Get("O") != "Aé" {
		t.Errorf("unknown attribute %q, T61 %q", n.Get("1.2.3.4"), n.Get("O"))
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "SEQUENCE-typed attribute 2.5.4.16") {
		t.Errorf("notes %v", notes)
	}
	want := `CN=Тест, SNILS=12345678901, postalAddress=ул. Ленина\, 1, 1.2.3.4=#020105, O=Aé`
	if n.String() != want {
		t.Errorf("String() = %q, want %q", n.String(), want)
	}
}

func tlv(tag byte, body []byte) []byte {
	var l []byte
	switch {
	case len(body) < 0x80:
		l = []byte{byte(len(body))}
	case len(body) < 0x100:
		l = []byte{0x81, byte(len(body))}
	default:
		l = []byte{0x82, byte(len(body) >> 8), byte(len(body))}
	}
	return append(append([]byte{tag}, l...), body...)
}

func seq(parts ...[]byte) []byte { return tlv(0x30, bytes.Join(parts, nil)) }
func set(parts ...[]byte) []byte { return tlv(0x31, bytes.Join(parts, nil)) }

func oidBytes(t testing.TB, dotted string) []byte {
	t.Helper()
	var arcs []int
	for _, p := range strings.Split(dotted, ".") {
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
		}
		arcs = append(arcs, n)
	}
	body := []byte{byte(arcs[0]*40 + arcs[1])}
	for _, a := range arcs[2:] {
		var enc []byte
		enc = append(enc, byte(a&0x7f))
		for a >>= 7; a > 0; a >>= 7 {
			enc = append([]byte{byte(a&0x7f | 0x80)}, enc...)
		}
		body = append(body, enc...)
	}
	got, err := parseOID(body)
	if err != nil || got != dotted {
		t.Fatalf("oid round trip %s: %s %v", dotted, got, err)
	}
	return tlv(0x06, body)
}

func TestOIDNames(t *testing.T) {
	for oid, want := range map[string]string{
		"1.3.6.1.5.5.7.3.2":               "Проверка подлинности клиента",
		"1.2.643.100.113.2":               "Класс средства ЭП КС2",
		"1.2.643.3.61.502710.1.6.3.4.1.1": "ЕИС: Администратор организации",
		"1.2.643.7.1.1.3.2":               "ГОСТ Р 34.11-2012/34.10-2012 256 бит",
	} {
		ru, en, ok := OIDName(oid)
		if !ok || ru != want || en == "" {
			t.Errorf("OIDName(%s) = %q, %q, %v", oid, ru, en, ok)
		}
	}
	if _, _, ok := OIDName("1.2.643.3.251.1.1"); ok {
		t.Error("an OID of unknown meaning has a name")
	}
	for oid, e := range oidNames {
		if e.ru == "" || e.en == "" {
			t.Errorf("%s: empty name", oid)
		}
	}
}

func TestParsePKCS7(t *testing.T) {
	leaf, fk, root := realCert(t, leafZhilkom), realCert(t, fk2024), realCert(t, rootMincifry22)
	// ContentInfo { signedData, [0] SignedData { 1, {}, {data}, [0] certs, {} } }
	signed := seq(tlv(0x02, []byte{1}), set(), seq(oidBytes(t, "1.2.840.113549.1.7.1")),
		tlv(0xa0, bytes.Join([][]byte{leaf.Raw, fk.Raw, root.Raw}, nil)), set())
	p7b := seq(oidBytes(t, "1.2.840.113549.1.7.2"), tlv(0xa0, signed))
	pemText := "-----BEGIN PKCS7-----\r\n" + wrap76(base64.StdEncoding.EncodeToString(p7b), "\r\n") + "-----END PKCS7-----\r\n"
	for name, in := range map[string][]byte{"DER": p7b, "PEM": []byte(pemText), "base64": []byte(base64.StdEncoding.EncodeToString(p7b))} {
		cs, err := Parse(in)
		if err != nil || len(cs) != 3 || cs[0].SHA1 != leaf.SHA1 || cs[2].SHA1 != root.SHA1 {
			t.Errorf("%s: %d certificates, %v", name, len(cs), err)
		}
	}
	// without certificates: an error, not an empty list
	empty := seq(oidBytes(t, "1.2.840.113549.1.7.2"), tlv(0xa0, seq(tlv(0x02, []byte{1}), set(), seq(oidBytes(t, "1.2.840.113549.1.7.1")), set())))
	if cs, err := Parse(empty); err == nil {
		t.Errorf("empty SignedData: %d certificates", len(cs))
	}
	// a broken certificate inside is an error
	broken := seq(oidBytes(t, "1.2.840.113549.1.7.2"), tlv(0xa0, seq(tlv(0x02, []byte{1}), set(), seq(oidBytes(t, "1.2.840.113549.1.7.1")), tlv(0xa0, seq(tlv(0x02, []byte{1}))), set())))
	if _, err := Parse(broken); err == nil {
		t.Error("broken certificate inside PKCS #7 accepted")
	}
}

// TestMalformedExtensions: a broken non-critical extension is noted and
// ignored, a broken critical one rejects the certificate.
func TestMalformedExtensions(t *testing.T) {
	build := func(critical bool) []byte {
		ext := [][]byte{oidBytes(t, "2.5.29.19")}
		if critical {
			ext = append(ext, tlv(0x01, []byte{0xff}))
		}
		ext = append(ext, tlv(0x04, []byte{0x30, 0x03, 0x02, 0x01})) // truncated
		alg := seq(oidBytes(t, "1.2.840.10045.4.3.2"))
		name := seq(set(seq(oidBytes(t, "2.5.4.3"), tlv(0x0c, []byte("x")))))
		tbs := seq(tlv(0xa0, tlv(0x02, []byte{2})), tlv(0x02, []byte{1}), alg, name,
			seq(tlv(0x17, []byte("250101000000Z")), tlv(0x17, []byte("260101000000Z"))), name,
			seq(seq(oidBytes(t, "1.2.840.10045.2.1"), oidBytes(t, "1.2.840.10045.3.1.7")), tlv(0x03, []byte{0, 4, 1, 2})),
			tlv(0xa3, seq(seq(ext...))))
		return seq(tbs, alg, tlv(0x03, []byte{0, 1}))
	}
	c, err := ParseDER(build(false))
	if err != nil {
		t.Fatal(err)
	}
	if c.BasicConstraintsPresent || len(c.NonCanonical) != 1 || !strings.Contains(c.NonCanonical[0], "malformed non-critical extension 2.5.29.19") {
		t.Errorf("present %v, notes %v", c.BasicConstraintsPresent, c.NonCanonical)
	}
	if _, err := ParseDER(build(true)); err == nil {
		t.Error("malformed critical extension accepted")
	}
}

func utf16le(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}
