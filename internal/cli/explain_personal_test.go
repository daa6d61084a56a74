package cli

import (
	"io"
	"strings"
	"testing"
)

// An error text pasted from a signing dialog may quote the holder's СНИЛС
// or personal ИНН; explain echoes it (and --support makes a block to send
// to a third party), so both are masked unless --show-personal.
func TestExplainMasksPersonalNumbersInTheEcho(t *testing.T) {
	cleanEnv(t)
	snap := workstation(t, "certs-missing-treasury-ca-windows.json")
	input := "0x800B010A СНИЛС=11223344595 ИНН=500100732259 ИНН ЮЛ=007710474375"
	for _, args := range [][]string{
		{"explain", "--snapshot", snap, "--support", input},
		{"explain", "--snapshot", snap, "--format", "json", input},
		{"explain", "--snapshot", snap, "--", "СНИЛС 11223344595 ИНН 500100732259"}, // unknown: echoed back
		{"explain", "--snapshot", snap, "--support", "0x800B010A СНИЛС 112-233-445 95, 11223344595; ИНН 500100732259"},
	} {
		r := runCLI(t, args...)
		for _, secret := range []string{"11223344595", "500100732259", "112-233-445"} {
			if strings.Contains(r.stdout, secret) {
				t.Errorf("%q: output shows %s:\n%s", args, secret, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, "595") {
			t.Errorf("%q: output lacks the masked СНИЛС:\n%s", args, r.stdout)
		}
	}
	r := runCLI(t, "explain", "--snapshot", snap, "--support", "--show-personal", input)
	if !strings.Contains(r.stdout, "11223344595") || !strings.Contains(r.stdout, "007710474375") {
		t.Errorf("--show-personal: the input is not shown as is:\n%s", r.stdout)
	}
}

// On a legacy console (Windows 7) explain prints the report of the related
// checks with ASCII marks, as check does.
func TestExplainLegacyConsoleASCII(t *testing.T) {
	cleanEnv(t)
	a, out, errb := newTestApp(t)
	a.IsTerminal = func(io.Writer) bool { return true }
	a.VT = func(io.Writer) bool { return false }
	r := run(t, a, out, errb, "explain", "--snapshot", workstation(t, "certs-missing-treasury-ca-windows.json"), "0x800B010A")
	if strings.ContainsAny(r.stdout, "✓✗") || strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("legacy console output:\n%s", r.stdout)
	}
}
