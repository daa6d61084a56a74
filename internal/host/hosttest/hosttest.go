// Package hosttest holds host seams that only tests may use. Production
// code never imports it (a test in internal/cli checks the binary's
// dependencies).
package hosttest

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// WithStandIns wraps the live host of a Linux fixture tree (--root root)
// so that the CryptoPro tools and pcsc_scan answer from the tree's
// recorded outputs (testutil.StandIn), as on the workstation the tree
// stands for. Every other command goes to h, which under --root runs
// nothing (host.ErrNoExec). Nothing is executed either way.
func WithStandIns(h host.Host, root string) host.Host {
	return &standIns{Host: h, root: root}
}

type standIns struct {
	host.Host
	root string
}

func (s *standIns) Run(ctx context.Context, cmd host.Command) (host.CommandResult, error) {
	stdout, stderr, exit, err := testutil.StandIn(s.root, cmd.Argv)
	switch {
	case errors.Is(err, testutil.ErrNoStandIn):
		return s.Host.Run(ctx, cmd)
	case errors.Is(err, os.ErrNotExist):
		return host.CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], host.ErrCommandNotFound)
	case err != nil:
		return host.CommandResult{}, err
	}
	return host.CommandResult{Stdout: stdout, Stderr: stderr, ExitCode: exit}, nil
}

// NewLive is host.NewLive with the stand-ins of WithStandIns when
// opts.Root is set: the NewLive hook of cli.App in tests.
func NewLive(opts host.LiveOptions) (host.Host, error) {
	h, err := host.NewLive(opts)
	if err != nil || opts.Root == "" {
		return h, err
	}
	return WithStandIns(h, opts.Root), nil
}
