package doctor

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func testHost(goos string) host.Host {
	return host.NewSnapshotHost(&host.Snapshot{
		SnapshotVersion: host.SnapshotVersion,
		CollectedAt:     time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC),
		Facts:           host.Facts{OS: goos, Arch: "amd64"},
	})
}

// mk makes a check that reports the given findings.
func mk(id string, sevs ...Severity) *Check {
	return &Check{
		ID: id, Title: i18n.Raw(id), Doc: i18n.Raw(id),
		Run: func(ctx context.Context, pass *Pass) error {
			for i, s := range sevs {
				pass.Report(Finding{Severity: s, Code: fmt.Sprintf("%s.f%d", id, i), Message: i18n.Raw("m")})
			}
			pass.Summary(i18n.Raw("summary of " + id))
			return nil
		},
	}
}

func statuses(rep *Report) string {
	var out []string
	for _, r := range rep.Results {
		out = append(out, r.ID+"="+r.Status.String())
	}
	return strings.Join(out, " ")
}

func TestStatusFromFindings(t *testing.T) {
	r := &Runner{Host: testHost("linux")}
	rep := r.Run(context.Background(), []*Check{
		mk("none"), mk("warn", Warn), mk("fail", Fail), mk("both", Warn, Fail, Warn), mk("fail-first", Fail, Warn),
	})
	if got, want := statuses(rep), "none=ok warn=warn fail=fail both=fail fail-first=fail"; got != want {
		t.Errorf("statuses %q, want %q", got, want)
	}
	if res := rep.Result("both"); len(res.Findings) != 3 || res.Summary.In(i18n.EN) != "summary of both" {
		t.Errorf("result %+v", res)
	}
	if rep.Result("nope") != nil {
		t.Error("Result of an unknown ID is not nil")
	}
	c := rep.Counts()
	if c[StatusOK] != 1 || c[StatusWarn] != 1 || c[StatusFail] != 3 {
		t.Errorf("counts %v", c)
	}
	if !rep.Unhealthy(false) {
		t.Error("a failing report is healthy")
	}
	okRep := r.Run(context.Background(), []*Check{mk("a"), mk("b", Warn)})
	if okRep.Unhealthy(false) || !okRep.Unhealthy(true) {
		t.Error("warn must be unhealthy only with strict")
	}
}

func TestPanicAndHangDoNotStopTheRun(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	panics := &Check{ID: "panics", Title: i18n.Raw("p"), Doc: i18n.Raw("p"),
		Run: func(ctx context.Context, pass *Pass) error {
			pass.Note(i18n.Raw("before the panic"))
			var m map[string]int
			m["x"]++ // nil map write
			return nil
		}}
	hangs := &Check{ID: "hangs", Title: i18n.Raw("h"), Doc: i18n.Raw("h"), Timeout: 30 * time.Millisecond,
		Run: func(ctx context.Context, pass *Pass) error {
			pass.Report(Finding{Severity: Warn, Code: "hangs.early", Message: i18n.Raw("found before hanging")})
			<-release // ignores ctx
			return nil
		}}
	honours := &Check{ID: "honours", Title: i18n.Raw("c"), Doc: i18n.Raw("c"), Timeout: 30 * time.Millisecond,
		Run: func(ctx context.Context, pass *Pass) error {
			<-ctx.Done()
			return fmt.Errorf("wait: %w", ctx.Err())
		}}
	exits := &Check{ID: "exits", Title: i18n.Raw("e"), Doc: i18n.Raw("e"),
		Run: func(ctx context.Context, pass *Pass) error {
			runtime.Goexit()
			return nil
		}}
	r := &Runner{Host: testHost("windows")}
	start := time.Now()
	rep := r.Run(context.Background(), []*Check{mk("first"), panics, hangs, honours, exits, mk("last", Warn)})
	if time.Since(start) > 10*time.Second {
		t.Errorf("run took %v; a Goexit or hang waited for the default timeout", time.Since(start))
	}
	if got, want := statuses(rep), "first=ok panics=error hangs=error honours=error exits=error last=warn"; got != want {
		t.Fatalf("statuses %q, want %q", got, want)
	}
	p := rep.Result("panics")
	if p.Reason.Key != "doctor.error.panic" || !strings.Contains(p.Reason.In(i18n.EN), "nil map") {
		t.Errorf("panic reason %v", p.Reason.In(i18n.EN))
	}
	if len(p.Notes) != 2 || !strings.Contains(p.Notes[1].In(i18n.EN), "runner_test.go") {
		t.Errorf("panic notes lack the note or the stack: %v", p.Notes)
	}
	h := rep.Result("hangs")
	if h.Reason.Key != "doctor.error.timeout" || !strings.Contains(h.Reason.In(i18n.EN), "30ms") {
		t.Errorf("hang reason %q", h.Reason.In(i18n.EN))
	}
	if len(h.Findings) != 1 {
		t.Errorf("findings reported before the timeout were lost: %v", h.Findings)
	}
	if rep.Result("honours").Reason.Key != "doctor.error.timeout" {
		t.Errorf("ctx-honouring check reason %v", rep.Result("honours").Reason)
	}
	if e := rep.Result("exits"); e.Reason.Key != "doctor.error.run" || !strings.Contains(e.Reason.In(i18n.EN), "Goexit") {
		t.Errorf("Goexit reason %v", e.Reason.In(i18n.EN))
	}
}

func TestTimeoutSettings(t *testing.T) {
	var got []time.Duration
	probe := func(id string, timeout time.Duration) *Check {
		return &Check{ID: id, Title: i18n.Raw(id), Doc: i18n.Raw(id), Timeout: timeout,
			Run: func(ctx context.Context, pass *Pass) error {
				dl, _ := ctx.Deadline()
				got = append(got, time.Until(dl).Round(time.Second))
				return nil
			}}
	}
	r := &Runner{Host: testHost("linux"), DefaultTimeout: 20 * time.Second, MaxTimeout: 40 * time.Second}
	r.Run(context.Background(), []*Check{probe("own", 10*time.Second), probe("default", 0), probe("capped", time.Hour)})
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("deadlines %v, want %v", got, want)
	}
	got = nil
	(&Runner{Host: testHost("linux")}).Run(context.Background(), []*Check{probe("builtin", 0)})
	if len(got) != 1 || got[0] != DefaultTimeout {
		t.Errorf("built-in default %v, want %v", got, DefaultTimeout)
	}
}

func TestCancelledRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Check{ID: "waits", Title: i18n.Raw("w"), Doc: i18n.Raw("w"),
		Run: func(ctx context.Context, pass *Pass) error {
			cancel()
			<-ctx.Done()
			return ctx.Err()
		}}
	rep := (&Runner{Host: testHost("linux")}).Run(ctx, []*Check{c})
	if res := rep.Results[0]; res.Status != StatusError || res.Reason.Key != "doctor.error.canceled" {
		t.Errorf("cancelled: %v %v", res.Status, res.Reason)
	}
}

func TestRequiresAndOS(t *testing.T) {
	winOnly := mk("win-only")
	winOnly.OS = []string{"windows"}
	needsFail := mk("needs-fail")
	needsFail.Requires = []string{"fail"}
	needsWarn := mk("needs-warn")
	needsWarn.Requires = []string{"warn", "ok"}
	needsWin := mk("needs-win")
	needsWin.Requires = []string{"win-only"}
	needsAbsent := mk("needs-absent")
	needsAbsent.Requires = []string{"not-in-run"}
	chained := mk("chained")
	chained.Requires = []string{"needs-fail"}
	var ran []string
	seeResults := &Check{ID: "sees", Title: i18n.Raw("s"), Doc: i18n.Raw("s"), Requires: []string{"ok"},
		Run: func(ctx context.Context, pass *Pass) error {
			for id := range pass.Results {
				ran = append(ran, id)
			}
			if pass.Results["ok"].Status != StatusOK {
				return errors.New("ok is not ok")
			}
			return nil
		}}
	rep := (&Runner{Host: testHost("linux")}).Run(context.Background(), []*Check{
		mk("ok"), mk("warn", Warn), mk("fail", Fail), winOnly, needsFail, needsWarn, needsWin, needsAbsent, chained, seeResults,
	})
	want := "ok=ok warn=warn fail=fail win-only=skipped needs-fail=skipped needs-warn=ok needs-win=skipped needs-absent=skipped chained=skipped sees=ok"
	if got := statuses(rep); got != want {
		t.Fatalf("statuses\n%s\nwant\n%s", got, want)
	}
	for id, reason := range map[string]string{
		"win-only":     "not applicable on linux",
		"needs-fail":   "requires fail, which ended fail",
		"needs-win":    "requires win-only, which ended skipped",
		"needs-absent": "requires not-in-run, which was not run",
		"chained":      "requires needs-fail, which ended skipped",
	} {
		if got := rep.Result(id).Reason.In(i18n.EN); got != reason {
			t.Errorf("%s: reason %q, want %q", id, got, reason)
		}
	}
	if len(ran) != 9 {
		t.Errorf("Pass.Results had %d entries, want the 9 earlier checks", len(ran))
	}
	// On Windows the Windows-only check runs.
	rep = (&Runner{Host: testHost("windows")}).Run(context.Background(), []*Check{winOnly, needsWin})
	if got := statuses(rep); got != "win-only=ok needs-win=ok" {
		t.Errorf("windows: %s", got)
	}
}

func TestSkip(t *testing.T) {
	c := &Check{ID: "skips", Title: i18n.Raw("s"), Doc: i18n.Raw("s"),
		Run: func(ctx context.Context, pass *Pass) error {
			return fmt.Errorf("wrapped: %w", Skip(i18n.Raw("no certificate selected")))
		}}
	rep := (&Runner{Host: testHost("linux")}).Run(context.Background(), []*Check{c})
	res := rep.Results[0]
	if res.Status != StatusSkipped || res.Reason.In(i18n.EN) != "no certificate selected" {
		t.Errorf("skip: %v %q", res.Status, res.Reason.In(i18n.EN))
	}
	if s := Skip(i18n.Raw("x")).Error(); s != "skipped: x" {
		t.Errorf("SkipError.Error() = %q", s)
	}
}

type cfgT struct {
	Days  int      `json:"days"`
	Names []string `json:"names"`
}

func TestConfigDecoding(t *testing.T) {
	var seen atomic.Value
	c := &Check{ID: "configured", Title: i18n.Raw("c"), Doc: i18n.Raw("c"),
		NewConfig: func() any { return &cfgT{Days: 30} },
		Run: func(ctx context.Context, pass *Pass) error {
			seen.Store(*pass.Config.(*cfgT))
			return nil
		}}
	settings := map[string]map[string]any{"configured": {"names": []any{"a"}}}
	r := &Runner{Host: testHost("linux"), DecodeConfig: func(id string, into any) error {
		return DecodeConfig(settings[id], into)
	}}
	rep := r.Run(context.Background(), []*Check{c})
	if rep.Results[0].Status != StatusOK {
		t.Fatalf("status %v: %v", rep.Results[0].Status, rep.Results[0].Reason)
	}
	if got := seen.Load().(cfgT); got.Days != 30 || len(got.Names) != 1 {
		t.Errorf("config %+v, want defaults kept and names set", got)
	}
	settings["configured"] = map[string]any{"dayz": 3}
	rep = r.Run(context.Background(), []*Check{c, mk("after")})
	res := rep.Results[0]
	if res.Status != StatusError || res.Reason.Key != "doctor.error.config" || !strings.Contains(res.Reason.In(i18n.EN), `unknown setting "dayz"`) {
		t.Errorf("bad config: %v %q", res.Status, res.Reason.In(i18n.EN))
	}
	if rep.Results[1].Status != StatusOK {
		t.Error("a config error stopped the run")
	}
	// Without DecodeConfig the defaults are used.
	(&Runner{Host: testHost("linux")}).Run(context.Background(), []*Check{c})
	if got := seen.Load().(cfgT); got.Days != 30 || got.Names != nil {
		t.Errorf("defaults %+v", got)
	}
}

func TestDecodeConfig(t *testing.T) {
	for _, tc := range []struct {
		raw  map[string]any
		want string // error substring, "" for success
	}{
		{nil, ""},
		{map[string]any{"days": 5}, ""},
		{map[string]any{"DAYS": 5}, ""},
		{map[string]any{"days": "five"}, `setting "days": want int, got string`},
		{map[string]any{"names": "a"}, `setting "names"`},
		{map[string]any{"nmaes": []string{"a"}}, `unknown setting "nmaes"`},
		{map[string]any{"days": func() {}}, "decode config"},
		{map[string]any{"names": []any{"a", map[any]any{1: 2}}}, `want string, got object`},
		{map[string]any{"nested": map[any]any{"x": 1}}, `unknown setting "nested"`},
	} {
		into := &cfgT{}
		err := DecodeConfig(tc.raw, into)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.raw, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: error %v, want %q", tc.raw, err, tc.want)
		}
	}
	if err := DecodeConfig(map[string]any{"b": 1, "a": 2}, nil); err == nil || !strings.Contains(err.Error(), "no settings, got a, b") {
		t.Errorf("settings for a check without config: %v", err)
	}
}

func TestStatusText(t *testing.T) {
	for s := StatusOK; s <= StatusSkipped; s++ {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Status
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v round trip: %v %v", s, back, err)
		}
	}
	if _, err := Status(9).MarshalText(); err == nil {
		t.Error("status 9 marshalled")
	}
	var s Status
	if err := s.UnmarshalText([]byte("broken")); err == nil {
		t.Error("unknown status parsed")
	}
	if _, err := Severity(0).MarshalText(); err == nil {
		t.Error("severity 0 marshalled")
	}
	if Fail.String() != "fail" || Severity(7).String() != "severity(7)" || Status(9).String() != "status(9)" {
		t.Error("String forms")
	}
}

func TestOptionsHasSite(t *testing.T) {
	o := Options{Sites: []string{"gmu", "eis"}}
	if !o.HasSite("eis") || o.HasSite("epgu") {
		t.Error("HasSite")
	}
}
