package host

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// storesUnknown is the fact error that explains why the macOS back end
// reports every certificate store empty.
const storesUnknown = "certificate stores: the stores of CryptoPro CSP for macOS are not read by this build; all stores are reported empty"

// darwinFacts adds what sw_vers and sysctl say to the common Unix facts.
// It lives in a file without an OS suffix so that its tests run everywhere.
func darwinFacts(ctx context.Context, run func(context.Context, Command) (CommandResult, error), goarch string, f Facts) Facts {
	out := func(argv ...string) (string, bool) {
		res, err := run(ctx, Command{Argv: argv, Timeout: 5 * time.Second, MaxOutput: 4096})
		if err != nil || res.ExitCode != 0 {
			msg := "exit status " + strconv.Itoa(res.ExitCode)
			if err != nil {
				msg = err.Error()
			}
			f.Errors = append(f.Errors, "run "+strings.Join(argv, " ")+": "+msg)
			return "", false
		}
		return strings.TrimSpace(string(res.Stdout)), true
	}
	name, _ := out("sw_vers", "-productName")
	if v, ok := out("sw_vers", "-productVersion"); ok {
		f.Version = v
	}
	if v, ok := out("sw_vers", "-buildVersion"); ok {
		f.Build = v
	}
	if name == "" {
		name = "macOS"
	}
	f.ProductName = strings.TrimSpace(name + " " + f.Version)
	// An amd64 build under Rosetta 2 runs on an arm64 system.
	if goarch == "amd64" {
		res, err := run(ctx, Command{Argv: []string{"sysctl", "-n", "sysctl.proc_translated"}, Timeout: 5 * time.Second, MaxOutput: 64})
		if err == nil && strings.TrimSpace(string(res.Stdout)) == "1" {
			f.Arch = "arm64"
		}
	}
	f.Errors = append(f.Errors, storesUnknown)
	return f
}
