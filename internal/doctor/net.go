package doctor

import (
	"context"
	"sync"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// netBudget is the run-wide time for online work (Options.NetBudget). It
// starts with the first network use, so that slow local checks before it
// do not eat it, and every network check of the run shares its deadline.
type netBudget struct {
	d        time.Duration
	once     sync.Once
	deadline time.Time
}

func newNetBudget(d time.Duration) *netBudget {
	if d <= 0 {
		d = DefaultNetBudget
	}
	return &netBudget{d: d}
}

// Online returns a Skip error with the reason when the network is disabled
// (--offline), nil otherwise. Network checks call it first:
//
//	if err := pass.Online(); err != nil { return err }
func (p *Pass) Online() error {
	if p.Options.Offline {
		return Skip(i18n.T("doctor.skip.offline"))
	}
	return nil
}

// NetContext returns ctx bounded by the run's online budget: every network
// question a check asks should use it, so that all online work of a run
// ends within Options.NetBudget however many hosts are unreachable.
func (p *Pass) NetContext(ctx context.Context) (context.Context, context.CancelFunc) {
	p.mu.Lock()
	if p.budget == nil { // a Pass made outside the runner
		p.budget = newNetBudget(p.Options.NetBudget)
	}
	b := p.budget
	p.mu.Unlock()
	b.once.Do(func() { b.deadline = time.Now().Add(b.d) })
	return context.WithDeadline(ctx, b.deadline)
}

// NetBudgetOrDefault is the run's online budget (Options.NetBudget or the default).
func (o Options) NetBudgetOrDefault() time.Duration {
	if o.NetBudget > 0 {
		return o.NetBudget
	}
	return DefaultNetBudget
}
