package doctor

import (
	"context"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// sleeper is a check with its own timeout that needs d to finish.
func sleeper(own, d time.Duration) *Check {
	return &Check{
		ID: "sleeper", Title: i18n.Raw("s"), Doc: i18n.Raw("s"), Timeout: own,
		Run: func(ctx context.Context, pass *Pass) error {
			select {
			case <-time.After(d):
				pass.Summary(i18n.Raw("done"))
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	}
}

// --timeout (Runner.Timeout) means what it says: it raises a check's own
// limit as well as lowering it.
func TestRunnerTimeoutRaisesAndLowers(t *testing.T) {
	rep := (&Runner{Host: testHost("linux"), Timeout: 10 * time.Second}).Run(context.Background(), []*Check{sleeper(20*time.Millisecond, 200*time.Millisecond)})
	if s := rep.Results[0].Status; s != StatusOK {
		t.Errorf("--timeout 10s on a check of 20ms needing 200ms: %s (%s)", s, rep.Results[0].Reason.In(i18n.EN))
	}
	rep = (&Runner{Host: testHost("linux"), Timeout: 20 * time.Millisecond}).Run(context.Background(), []*Check{sleeper(10*time.Second, 5*time.Second)})
	if s := rep.Results[0].Status; s != StatusError {
		t.Errorf("--timeout 20ms on a check needing 5s: %s", s)
	}
}
