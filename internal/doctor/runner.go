package doctor

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// DefaultTimeout bounds a check that declares no timeout of its own.
const DefaultTimeout = 30 * time.Second

// Runner executes checks. The zero value is not usable: Host is required.
type Runner struct {
	Host host.Host
	// DefaultTimeout applies to checks without their own; 0 means
	// DefaultTimeout. A non-zero MaxTimeout caps every check's timeout.
	DefaultTimeout time.Duration
	MaxTimeout     time.Duration
	// Timeout, when non-zero, is every check's timeout in place of its own
	// (--timeout): it raises a limit as well as lowering it.
	Timeout time.Duration
	// DecodeConfig fills a check's config (from Check.NewConfig) with the
	// user's settings for checks.<id>; nil keeps the defaults.
	DecodeConfig func(id string, into any) error
	Options      Options
	ToolVersion  string
	Source       string // "live" or "snapshot"
	// Clock measures durations and the start time; nil means time.Now.
	Clock func() time.Time
}

func (r *Runner) now() time.Time {
	if r.Clock != nil {
		return r.Clock()
	}
	return time.Now()
}

// Run executes checks in order and never stops early: a panic, an error or
// a timeout becomes StatusError for that check only. A check whose required
// check did not end ok or warn (or was not run) is skipped with the reason.
func (r *Runner) Run(ctx context.Context, checks []*Check) *Report {
	facts := r.Host.Facts()
	rep := &Report{
		ToolVersion: r.ToolVersion,
		Facts:       facts,
		Source:      r.Source,
		StartedAt:   r.now(),
		HostTime:    r.Host.Now(),
		Sites:       append([]string(nil), r.Options.Sites...),
	}
	// One Shared per run: the checks of this run share what they read and
	// parse (the certificate stores), and nothing leaks into the next run.
	shared := &Shared{}
	ctx = WithShared(ctx, shared)
	done := map[string]*Result{}
	budget := newNetBudget(r.Options.NetBudget)
	for _, c := range checks {
		res := r.runOne(ctx, c, facts.OS, done, budget)
		done[c.ID] = res
		rep.Results = append(rep.Results, res)
	}
	return rep
}

func (r *Runner) runOne(ctx context.Context, c *Check, goos string, done map[string]*Result, budget *netBudget) *Result {
	res := &Result{ID: c.ID, Title: c.Title}
	if !c.AppliesTo(goos) {
		res.Status = StatusSkipped
		res.Reason = i18n.T("doctor.skip.os", goos)
		return res
	}
	for _, dep := range c.Requires {
		d, ok := done[dep]
		switch {
		case !ok:
			res.Status = StatusSkipped
			res.Reason = i18n.T("doctor.skip.requires-not-run", dep)
			return res
		case d.Status != StatusOK && d.Status != StatusWarn:
			res.Status = StatusSkipped
			res.Reason = i18n.T("doctor.skip.requires", dep, d.Status.String())
			return res
		}
	}
	var cfg any
	if c.NewConfig != nil {
		cfg = c.NewConfig()
		if r.DecodeConfig != nil {
			if err := r.DecodeConfig(c.ID, cfg); err != nil {
				res.Status = StatusError
				res.Reason = i18n.T("doctor.error.config", err.Error())
				return res
			}
		}
	}
	results := make(map[string]*Result, len(done))
	for k, v := range done {
		results[k] = v
	}
	pass := &Pass{Check: c, Host: r.Host, Config: cfg, Options: r.Options, Results: results, shared: SharedFrom(ctx), budget: budget}

	timeout := c.Timeout
	if timeout <= 0 {
		timeout = r.DefaultTimeout
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if r.MaxTimeout > 0 && timeout > r.MaxTimeout {
		timeout = r.MaxTimeout
	}
	if r.Timeout > 0 {
		timeout = r.Timeout
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	start := r.now()
	type outcome struct {
		err   error
		panic any
		stack []byte
	}
	ch := make(chan outcome, 1) // buffered: an abandoned check must not block
	go func() {
		returned := false
		defer func() {
			if p := recover(); p != nil {
				ch <- outcome{panic: p, stack: debug.Stack()}
			} else if !returned {
				// runtime.Goexit (t.FailNow in a test helper) ends the
				// goroutine without a panic; do not wait for the timeout.
				ch <- outcome{err: errors.New("check exited without returning (runtime.Goexit)")}
			}
		}()
		err := c.Run(cctx, pass)
		returned = true
		ch <- outcome{err: err}
	}()
	var out outcome
	timedOut := false
	select {
	case out = <-ch:
	case <-cctx.Done():
		// Give a check that honours ctx a moment to return its own error.
		select {
		case out = <-ch:
		case <-time.After(50 * time.Millisecond):
		}
		timedOut = true
	}
	res.Duration = r.now().Sub(start)
	findings, notes, summary, metrics := pass.snapshot()
	res.Findings, res.Notes, res.Summary, res.Metrics = findings, notes, summary, metrics

	var skip *SkipError
	switch {
	case out.panic != nil:
		res.Status = StatusError
		res.Reason = i18n.T("doctor.error.panic", fmt.Sprint(out.panic))
		res.Notes = append(res.Notes, i18n.Raw(string(out.stack)))
	case timedOut && (out.err == nil || errors.Is(out.err, context.DeadlineExceeded) || errors.Is(out.err, context.Canceled)):
		res.Status = StatusError
		if ctx.Err() != nil {
			res.Reason = i18n.T("doctor.error.canceled")
		} else {
			res.Reason = i18n.T("doctor.error.timeout", timeout.String())
		}
	case errors.As(out.err, &skip):
		res.Status = StatusSkipped
		res.Reason = skip.Reason
	case out.err != nil:
		res.Status = StatusError
		res.Reason = i18n.T("doctor.error.run", out.err.Error())
	default:
		res.Status = StatusOK
		for _, f := range res.Findings {
			switch f.Severity {
			case Fail:
				res.Status = StatusFail
			case Warn:
				if res.Status == StatusOK {
					res.Status = StatusWarn
				}
			}
		}
	}
	return res
}
