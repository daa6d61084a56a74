package host

import (
	"context"
	"strings"
	"testing"
)

func TestDarwinFacts(t *testing.T) {
	answers := map[string]CommandResult{
		"sw_vers -productName":             {Stdout: []byte("macOS\n")},
		"sw_vers -productVersion":          {Stdout: []byte("14.5\n")},
		"sw_vers -buildVersion":            {Stdout: []byte("23F79\n")},
		"sysctl -n sysctl.proc_translated": {Stdout: []byte("1\n")},
	}
	run := func(ctx context.Context, c Command) (CommandResult, error) {
		res, ok := answers[strings.Join(c.Argv, " ")]
		if !ok {
			return CommandResult{}, ErrCommandNotFound
		}
		return res, nil
	}
	f := darwinFacts(context.Background(), run, "amd64", Facts{OS: "darwin", Arch: "amd64", ProcessArch: "amd64"})
	if f.ProductName != "macOS 14.5" || f.Version != "14.5" || f.Build != "23F79" {
		t.Errorf("facts %+v", f)
	}
	if f.Arch != "arm64" || f.ProcessArch != "amd64" {
		t.Errorf("Rosetta: arch %s, process %s; want arm64, amd64", f.Arch, f.ProcessArch)
	}
	if len(f.Errors) != 1 || f.Errors[0] != storesUnknown {
		t.Errorf("errors %q, want only the stores note", f.Errors)
	}
	// Native arm64 does not ask sysctl; a failing sw_vers is a fact error.
	delete(answers, "sw_vers -buildVersion")
	answers["sw_vers -productVersion"] = CommandResult{ExitCode: 1}
	f = darwinFacts(context.Background(), run, "arm64", Facts{OS: "darwin", Arch: "arm64", Version: "23.5.0"})
	if f.Arch != "arm64" || f.Version != "23.5.0" || f.ProductName != "macOS 23.5.0" || len(f.Errors) != 3 {
		t.Errorf("facts %+v", f)
	}
	if !strings.Contains(strings.Join(f.Errors, "|"), "run sw_vers -productVersion: exit status 1") {
		t.Errorf("errors %q", f.Errors)
	}
}
