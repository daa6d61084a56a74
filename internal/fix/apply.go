package fix

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// Progress is told about each step as it ends.
type Progress func(e *Entry)

// StepError is the failure that stopped a run.
type StepError struct {
	Step *Step
	Err  error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %d (%s): %v", e.Step.N, e.Step.Code, e.Err)
}
func (e *StepError) Unwrap() error { return e.Err }

// Apply carries out the applicable steps of the plan in order through w,
// saving the run after every step. The first failing step stops the run:
// what was applied before it stays journalled for undo.
func Apply(ctx context.Context, w host.Writer, p *Plan, run *Run, now func() time.Time, progress Progress) error {
	defer func() {
		run.Finished = now()
		_ = run.Save()
	}()
	for _, st := range p.Steps {
		e := &Entry{Step: st, Time: now()}
		if !st.Applicable() {
			e.Status = StatusSkipped
			run.Entries = append(run.Entries, e)
			if err := run.Save(); err != nil {
				return err
			}
			if progress != nil {
				progress(e)
			}
			continue
		}
		if busy := busyProcess(ctx, w, st); busy != "" {
			// (a browser holds its cache: not an error, the rest goes on)
			e.Status, e.Error = StatusSkipped, busy
			run.Entries = append(run.Entries, e)
			if err := run.Save(); err != nil {
				return err
			}
			if progress != nil {
				progress(e)
			}
			continue
		}
		// The step, and for a removal the certificate itself, are on disk
		// before the machine changes: a crash leaves a pending entry.
		e.Status = StatusPending
		run.Entries = append(run.Entries, e)
		if err := run.Save(); err != nil {
			return err
		}
		err := applyOne(ctx, w, e)
		if err != nil {
			e.Status, e.Error = StatusFailed, err.Error()
		}
		if serr := run.Save(); serr != nil {
			return serr
		}
		if progress != nil {
			progress(e)
		}
		if err != nil {
			return &StepError{Step: st, Err: err}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// busyProcess names the process that must be closed before the step.
func busyProcess(ctx context.Context, w host.Writer, st *Step) string {
	if st.Repair.Kind != doctor.RepairRemoveDir || st.Repair.Process == "" {
		return ""
	}
	if running, err := w.ProcessRunning(ctx, st.Repair.Process); err != nil || running {
		return st.Repair.Process
	}
	return ""
}

func applyOne(ctx context.Context, w host.Writer, e *Entry) error {
	r := e.Step.Repair
	e.Status = StatusUnchanged
	switch r.Kind {
	case doctor.RepairAddCert:
		added, err := w.AddCertificate(ctx, r.Location, r.Store, r.DER)
		if err != nil {
			return err
		}
		if added {
			e.Added, e.Status = true, StatusApplied
		}
	case doctor.RepairRemoveCert:
		rc, err := w.RemoveCertificate(ctx, r.Location, r.Store, r.SHA1)
		if err != nil {
			return err
		}
		if rc != nil {
			if len(rc.DER) == 0 {
				rc.DER = r.DER // (certmgr does not hand it back; the check read it)
			}
			if rc.Container == "" && len(rc.Blob) == 0 {
				rc.Container = r.Container
			}
			e.Removed, e.Status = rc, StatusApplied
		}
	case doctor.RepairSetRegValue:
		if r.Value == nil {
			return errors.New("no registry value in the repair")
		}
		ch, err := w.SetRegistryValue(ctx, r.Key, r.View, *r.Value)
		if err != nil {
			return err
		}
		if ch.Changed {
			e.Reg, e.Status = &ch, StatusApplied
		}
	case doctor.RepairRun:
		res, err := w.RunFixed(ctx, r.Argv)
		if err != nil {
			return err
		}
		if res.ExitCode != 0 || res.TimedOut {
			return fmt.Errorf("%s: exit code %d: %s", strings.Join(r.Argv, " "), res.ExitCode, firstLine(res.Stderr, res.Stdout))
		}
		e.Status = StatusApplied
	case doctor.RepairRemoveDir:
		existed, err := w.RemoveDir(ctx, r.Path)
		if err != nil {
			return err
		}
		if existed {
			e.Status = StatusApplied
		}
	default:
		return fmt.Errorf("repair kind %q cannot be applied", r.Kind)
	}
	return nil
}

func firstLine(bs ...[]byte) string {
	for _, b := range bs {
		s := strings.TrimSpace(string(b))
		if s == "" {
			continue
		}
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[:i]
		}
		if len(s) > 300 {
			s = s[:300] + "…"
		}
		return s
	}
	return "no output"
}

// Undo reverts the applied entries of run, newest first, saving the run
// after each. A step that cannot be reverted (a removed cache) is
// reported in the returned list and left as it is; an undo that fails
// stops there (the rest stays applied and a second --undo resumes).
func Undo(ctx context.Context, w host.Writer, run *Run, now func() time.Time, progress Progress) (notUndoable []*Entry, err error) {
	applied := run.Applied()
	for i := len(applied) - 1; i >= 0; i-- {
		e := applied[i]
		ok, uerr := undoOne(ctx, w, e)
		switch {
		case uerr != nil:
			e.Status, e.Error = StatusUndoFailed, uerr.Error()
		case !ok:
			notUndoable = append(notUndoable, e)
			continue
		default:
			e.Status, e.Error = StatusUndone, ""
		}
		e.Time = now()
		if serr := run.Save(); serr != nil {
			return notUndoable, serr
		}
		if progress != nil {
			progress(e)
		}
		if uerr != nil {
			return notUndoable, &StepError{Step: e.Step, Err: uerr}
		}
	}
	run.UndoneAt = now()
	return notUndoable, run.Save()
}

func undoOne(ctx context.Context, w host.Writer, e *Entry) (bool, error) {
	r := e.Step.Repair
	switch r.Kind {
	case doctor.RepairAddCert:
		if !e.Added {
			return true, nil
		}
		_, err := w.RemoveCertificate(ctx, r.Location, r.Store, r.SHA1)
		return true, err
	case doctor.RepairRemoveCert:
		if e.Removed == nil {
			return true, nil
		}
		return true, w.RestoreCertificate(ctx, r.Location, r.Store, e.Removed)
	case doctor.RepairSetRegValue:
		if e.Reg == nil {
			return true, nil
		}
		return true, w.RestoreRegistryValue(ctx, *e.Reg)
	case doctor.RepairRun:
		if len(r.UndoArgv) == 0 {
			return false, nil
		}
		res, err := w.RunFixed(ctx, r.UndoArgv)
		if err == nil && (res.ExitCode != 0 || res.TimedOut) {
			err = fmt.Errorf("%s: exit code %d: %s", strings.Join(r.UndoArgv, " "), res.ExitCode, firstLine(res.Stderr, res.Stdout))
		}
		return true, err
	}
	return false, nil
}
