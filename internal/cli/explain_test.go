package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// The acceptance case: on a workstation missing the Treasury
// intermediate, explaining the chain error runs `chain` and prints the same
// fix `check` gives — the missing issuer, its key id, URL and commands.
func TestExplainRunsRelatedChecksAndPrintsTheFixThatApplies(t *testing.T) {
	cleanEnv(t)
	snap := workstation(t, "certs-missing-treasury-ca-windows.json")
	for _, input := range []string{
		"Произошла внутренняя ошибка в цепочке сертификатов",
		"«ПРОИЗОШЛА внутренняя ошибка в цепочке сертификатов.» Подпись не создана",
		"0x800B010A",
		"-2146762486", // negative codes go after "--", as in a shell
	} {
		r := runCLI(t, "explain", "--snapshot", snap, "--", input)
		if r.code != 1 {
			t.Errorf("explain %q: exit %d, want 1 (problems found); stderr %s", input, r.code, r.stderr)
		}
		for _, want := range []string{"CERT_E_CHAINING", "066413A7CEE083E2A67D9F89A7D65619984CD9A7", "http://crl.roskazna.ru/crl/ucfk_2024.crt", "certutil -addstore CA ucfk_2024.crt"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("explain %q: output lacks %q:\n%s", input, want, r.stdout)
			}
		}
	}
	// The fix is the same one `check chain` prints.
	chk := runCLI(t, "check", "chain", "--snapshot", snap)
	if !strings.Contains(chk.stdout, "certutil -addstore CA ucfk_2024.crt") {
		t.Fatalf("check chain does not print the fix:\n%s", chk.stdout)
	}
}

func TestExplainJSON(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "explain", "0x800B010A", "--snapshot", workstation(t, "certs-missing-treasury-ca-windows.json"), "--format", "json", "--lang", "en")
	var doc struct {
		SchemaVersion int `json:"schema_version"`
		Matches       []struct {
			ID, Source, Confidence, Cause string
			Checks                        []string
		} `json:"matches"`
		Report struct {
			Checks []struct {
				ID       string `json:"id"`
				Status   string `json:"status"`
				Findings []struct {
					Code string `json:"code"`
				} `json:"findings"`
			} `json:"checks"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("explain --format json: %v\n%s", err, r.stdout)
	}
	if doc.SchemaVersion != 1 || len(doc.Matches) != 1 || doc.Matches[0].ID != "chain-incomplete" || doc.Matches[0].Source == "" {
		t.Fatalf("matches = %+v", doc.Matches)
	}
	if !strings.Contains(doc.Matches[0].Cause, "Treasury") {
		t.Errorf("cause not in English: %q", doc.Matches[0].Cause)
	}
	found := false
	for _, c := range doc.Report.Checks {
		for _, f := range c.Findings {
			if c.ID == "chain" && f.Code == "chain.incomplete" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the report has no chain.incomplete finding: %+v", doc.Report.Checks)
	}
}

func TestExplainHealthyMachineGivesGenericFixAndSupport(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "explain", "пользователь заблокирован", "--snapshot", workstation(t, "windows10-healthy.json"))
	if r.code != 0 {
		t.Errorf("exit %d, want 0; stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "8-800-2222-777") || !strings.Contains(r.stdout, "support_gmu@roskazna.ru") {
		t.Errorf("no support contacts:\n%s", r.stdout)
	}
	s := runCLI(t, "explain", "0x800B010A", "--support", "--snapshot", workstation(t, "certs-missing-treasury-ca-windows.json"))
	for _, want := range []string{"WS-BUH-01", "0x800B010A", "chain.incomplete", "support_gmu@roskazna.ru"} {
		if !strings.Contains(s.stdout, want) {
			t.Errorf("--support text lacks %q:\n%s", want, s.stdout)
		}
	}
}

func TestExplainUnknownAndUsage(t *testing.T) {
	cleanEnv(t)
	if r := runCLI(t, "explain", "погода в Москве"); r.code != 1 || !strings.Contains(r.stdout, "explain --list") {
		t.Errorf("unknown text: exit %d, stdout %s", r.code, r.stdout)
	}
	if r := runCLI(t, "explain"); r.code != 2 || r.stderr == "" {
		t.Errorf("no input: exit %d, stderr %q", r.code, r.stderr)
	}
	r := runCLI(t, "explain", "--list", "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "chain-incomplete") || !strings.Contains(r.stdout, "gmu-http-400") {
		t.Errorf("--list: exit %d\n%s", r.code, r.stdout)
	}
}

// For a snapshot the support text gives the moment it was collected, not
// when the helpdesk analysed it.
func TestExplainSupportUsesWorkstationTime(t *testing.T) {
	cleanEnv(t)
	r := runCLI(t, "explain", "0x800B010A", "--support", "--lang", "en", "--snapshot", workstation(t, "wine-no-intermediate.json"))
	if !strings.Contains(r.stdout, "Workstation time: 2025-12-01 06:00:00 UTC") {
		t.Errorf("support text lacks the collection time:\n%s", r.stdout)
	}
}
