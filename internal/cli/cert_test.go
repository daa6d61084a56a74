package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

func realworld(t *testing.T, name string) string {
	return testutil.Testdata(t, "certs", "realworld", name)
}

const (
	certLeaf2025 = "ee-gost2012-spb-zhilkom-2025-by-fk-2024.der"
	certFK2024   = "fk-ca-gost2012-2024-by-mincifry-2022.pem"
	certRoot2022 = "guc-root-gost2012-mincifry-2022.pem"
	certAt       = "--at=2025-12-01T00:00:00Z"
)

func decodeCertJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("JSON: %v\n%s", err, s)
	}
	for _, k := range []string{"status", "chain", "missing", "reason"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, s)
		}
	}
	if len(m) != 4 {
		t.Errorf("JSON has %d keys, want 4: %s", len(m), s)
	}
	return m
}

func TestCertVerifyValidJSON(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "cert", "verify", realworld(t, certLeaf2025), "--ca", realworld(t, certFK2024),
		"--root", realworld(t, certRoot2022), certAt, "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := decodeCertJSON(t, r.stdout)
	if m["status"] != "valid" || m["missing"] != nil {
		t.Errorf("status %v missing %v", m["status"], m["missing"])
	}
	chain, _ := m["chain"].([]any)
	if len(chain) != 3 {
		t.Fatalf("chain %v", chain)
	}
	wantSHA := []string{"E9330312A07663D6DF19B21F6C8F8AAC784C0FDC", "12BC42082D3F6027A29B7A87FE09B0329631C076", "2F0CB09BE3550EF17EC4F29C90ABD18BFCAAD63A"}
	for i, l := range chain {
		link := l.(map[string]any)
		if link["sha1"] != wantSHA[i] || link["signature_valid"] != true {
			t.Errorf("link %d: %v", i, link)
		}
		for _, k := range []string{"subject", "issuer", "not_before", "not_after"} {
			if s, _ := link[k].(string); s == "" {
				t.Errorf("link %d: empty %s", i, k)
			}
		}
	}
	if !strings.Contains(m["reason"].(string), "Минцифры России") {
		t.Errorf("reason %q", m["reason"])
	}
}

func TestCertVerifyIncomplete(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "cert", "verify", realworld(t, certLeaf2025), "--root", realworld(t, certRoot2022), certAt, "--format=json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := decodeCertJSON(t, r.stdout)
	miss, _ := m["missing"].(map[string]any)
	if m["status"] != "incomplete" || miss == nil {
		t.Fatalf("status %v missing %v", m["status"], m["missing"])
	}
	if !strings.Contains(miss["issuer"].(string), "CN=Федеральное казначейство") || miss["aki"] != "066413A7CEE083E2A67D9F89A7D65619984CD9A7" {
		t.Errorf("missing %v", miss)
	}
	urls, _ := miss["ca_issuers"].([]any)
	if len(urls) == 0 || urls[0] != "http://crl.roskazna.ru/crl/ucfk_2024.crt" {
		t.Errorf("ca_issuers %v", urls)
	}

	// the same in text, Russian and English
	r = runCLI(t, "cert", "verify", realworld(t, certLeaf2025), "--root", realworld(t, certRoot2022), certAt)
	for _, want := range []string{"цепочка неполная", "Федеральное казначейство", "certutil -addstore CA", "ucfk_2024.crt", "066413A7CEE083E2A67D9F89A7D65619984CD9A7"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("ru text lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 1 || r.stderr != "" {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, "cert", "verify", "--lang", "en", realworld(t, certLeaf2025), "--root", realworld(t, certRoot2022), certAt)
	if !strings.Contains(r.stdout, "chain incomplete") || strings.Contains(r.stdout, "цепочка") {
		t.Errorf("en text:\n%s", r.stdout)
	}
}

func TestCertVerifyDirectoriesAndOtherVerdicts(t *testing.T) {
	cleanEnv(t)
	dir := testutil.Testdata(t, "certs", "realworld")
	// a directory as --ca: CSRs, CRLs and the README in it are skipped
	r := runCLI(t, "cert", "verify", realworld(t, certLeaf2025), "--ca", dir, "--root", realworld(t, certRoot2022), certAt, "--format", "json")
	if r.code != 0 || decodeCertJSON(t, r.stdout)["status"] != "valid" {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// no root: the chain ends at an untrusted self-signed certificate
	r = runCLI(t, "cert", "verify", realworld(t, certLeaf2025), "--ca", dir, certAt, "--format", "json")
	if m := decodeCertJSON(t, r.stdout); r.code != 1 || m["status"] != "untrusted" {
		t.Errorf("exit %d status %v", r.code, m["status"])
	}
	// expired
	r = runCLI(t, "cert", "verify", realworld(t, certLeaf2025), "--ca", dir, "--root", realworld(t, certRoot2022), "--at", "2027-01-01T00:00:00Z")
	if r.code != 1 || !strings.Contains(r.stdout, "срок действия истёк") || !strings.Contains(r.stdout, "2026-09-26") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
	// generated fixture with a bad signature
	pki := testutil.Testdata(t, "pki")
	r = runCLI(t, "cert", "verify", pki+"/broken/bad-signature.pem", "--ca", pki+"/gost2012-256-cryptopro-xcha/int.pem",
		"--root", pki+"/gost2012-256-cryptopro-xcha/root.pem", "--format", "json", "--at", "2030-01-01T00:00:00Z")
	if m := decodeCertJSON(t, r.stdout); r.code != 1 || m["status"] != "bad_signature" {
		t.Errorf("exit %d status %v", r.code, m["status"])
	}
}

func TestCertUsageErrors(t *testing.T) {
	cleanEnv(t)
	leaf := realworld(t, certLeaf2025)
	wantOneLine(t, runCLI(t, "cert", "verify", "/nonexistent/leaf.pem"), "/nonexistent/leaf.pem")
	wantOneLine(t, runCLI(t, "cert", "verify", leaf, "--at", "yesterday"), "yesterday")
	wantOneLine(t, runCLI(t, "cert", "verify", leaf, "--format", "xml"), "xml")
	wantOneLine(t, runCLI(t, "cert", "verify", leaf, "--root", "/nonexistent/dir"), "/nonexistent/dir")
	wantOneLine(t, runCLI(t, "cert", "verify", realworld(t, "README.md")), "README.md")
	wantOneLine(t, runCLI(t, "cert", "verify"))
	wantOneLine(t, runCLI(t, "cert", "show"))
}

func TestCertShowMasksPersonalData(t *testing.T) {
	cleanEnv(t)
	leaf := testutil.Testdata(t, "pki", "gost2012-256-cryptopro-xcha", "leaf.pem")
	r := runCLI(t, "cert", "show", leaf)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"********901", "*********890", "Иванов Иван Иванович", "KC1, KC2", "Проверка подлинности клиента", "--show-personal", "1047797019830"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, leak := range []string{"12345678901", "771234567890"} {
		if strings.Contains(r.stdout, leak) {
			t.Errorf("show leaks %s:\n%s", leak, r.stdout)
		}
	}
	r = runCLI(t, "cert", "show", "--show-personal", leaf)
	if !strings.Contains(r.stdout, "12345678901") || !strings.Contains(r.stdout, "771234567890") || strings.Contains(r.stdout, "*****") {
		t.Errorf("--show-personal:\n%s", r.stdout)
	}
}

func TestCertShowRealCertificate(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "cert", "show", "--lang", "en", realworld(t, "ee-gost2012-mincifry-smev-2021-by-fk-2021.der"), realworld(t, certRoot2022))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"Certificate 1 of 2", "Certificate 2 of 2", "1102140957", "unverified", "007710474375",
		"861ECDDB257106C004D963C33FCB7C40C032D8B8", "Юнисерт-ГОСТ", "TLS client authentication", "1.2.643.3.251.1.1",
		"2023-02-02 13:29:38 UTC", "in person"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestCertVerifyAtForms: cert verify takes the time as check does — a plain
// date or RFC 3339, from --at or GMU_DOCTOR_AT.
func TestCertVerifyAtForms(t *testing.T) {
	cleanEnv(t)
	dir := testutil.Testdata(t, "certs", "realworld")
	args := []string{"cert", "verify", realworld(t, certLeaf2025), "--ca", dir, "--root", realworld(t, certRoot2022), "--format", "json"}
	r := runCLI(t, append(args, "--at", "2025-12-01")...)
	if m := decodeCertJSON(t, r.stdout); r.code != 0 || m["status"] != "valid" {
		t.Errorf("--at 2025-12-01: exit %d status %v\n%s", r.code, m["status"], r.stderr)
	}
	t.Setenv(EnvPrefix+"_AT", "2027-01-01")
	r = runCLI(t, args...)
	if m := decodeCertJSON(t, r.stdout); r.code != 1 || m["status"] != "expired" {
		t.Errorf("GMU_DOCTOR_AT=2027-01-01: exit %d status %v", r.code, m["status"])
	}
	// the flag wins over the environment
	r = runCLI(t, append(args, "--at", "2025-12-01T09:00:00+03:00")...)
	if m := decodeCertJSON(t, r.stdout); r.code != 0 || m["status"] != "valid" {
		t.Errorf("--at over GMU_DOCTOR_AT: exit %d status %v", r.code, m["status"])
	}
}
