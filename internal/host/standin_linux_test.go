package host

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// standIns is the test seam of a fixture tree: commands under --root are
// answered from the tree's recorded outputs (testutil.StandIn) instead of
// ErrNoExec. Production never sets treeRun.
func standIns(root string) func(ctx context.Context, cmd Command) (CommandResult, error) {
	return func(ctx context.Context, cmd Command) (CommandResult, error) {
		stdout, stderr, exit, err := testutil.StandIn(root, cmd.Argv)
		switch {
		case errors.Is(err, testutil.ErrNoStandIn):
			name := "command"
			if len(cmd.Argv) > 0 {
				name = cmd.Argv[0]
			}
			return CommandResult{}, fmt.Errorf("run %s: %w", name, ErrNoExec)
		case errors.Is(err, os.ErrNotExist):
			return CommandResult{}, fmt.Errorf("run %s: %w", cmd.Argv[0], ErrCommandNotFound)
		case err != nil:
			return CommandResult{}, err
		}
		return CommandResult{Stdout: stdout, Stderr: stderr, ExitCode: exit}, nil
	}
}
