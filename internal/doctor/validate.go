package doctor

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
)

var idRe = lazyre.New(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks a suite: IDs are unique lowercase kebab-case, every check
// has a title, a doc and Run, OS values are known, Requires name earlier
// checks of the suite (which also rules out cycles).
func Validate(checks []*Check) error {
	seen := map[string]int{}
	var errs []string
	for i, c := range checks {
		if c == nil {
			errs = append(errs, fmt.Sprintf("check #%d is nil", i))
			continue
		}
		if !idRe.MatchString(c.ID) {
			errs = append(errs, fmt.Sprintf("check #%d: ID %q is not lowercase kebab-case", i, c.ID))
		}
		if _, dup := seen[c.ID]; dup {
			errs = append(errs, fmt.Sprintf("check %q is listed twice", c.ID))
		}
		if c.Title.IsZero() {
			errs = append(errs, fmt.Sprintf("check %q has no title", c.ID))
		}
		if c.Doc.IsZero() {
			errs = append(errs, fmt.Sprintf("check %q has no doc", c.ID))
		}
		if c.Run == nil {
			errs = append(errs, fmt.Sprintf("check %q has no Run", c.ID))
		}
		if c.NewConfig != nil {
			// The runner decodes settings into what NewConfig returns.
			if cfg := c.NewConfig(); cfg == nil || reflect.TypeOf(cfg).Kind() != reflect.Ptr {
				errs = append(errs, fmt.Sprintf("check %q: NewConfig returns %T, want a pointer", c.ID, cfg))
			}
		}
		for _, o := range c.OS {
			if o != "windows" && o != "linux" && o != "darwin" {
				errs = append(errs, fmt.Sprintf("check %q: unknown OS %q", c.ID, o))
			}
		}
		for _, r := range c.Requires {
			if r == c.ID {
				errs = append(errs, fmt.Sprintf("check %q requires itself", c.ID))
			} else if _, ok := seen[r]; !ok {
				errs = append(errs, fmt.Sprintf("check %q requires %q, which is not listed before it (missing, later, or a cycle)", c.ID, r))
			}
		}
		seen[c.ID] = i
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid suite:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// UnknownIDError is returned by Select for IDs not in the suite.
type UnknownIDError struct {
	Unknown []string
	Valid   []string
}

func (e *UnknownIDError) Error() string {
	return fmt.Sprintf("unknown check ID %s; valid IDs: %s",
		strings.Join(e.Unknown, ", "), strings.Join(e.Valid, ", "))
}

// Select returns the checks to run, in suite order: all of them when only is
// empty, else those named plus what they require; minus skip. Unknown IDs in
// only or skip are an *UnknownIDError listing the valid IDs.
func Select(all []*Check, only, skip []string) ([]*Check, error) {
	byID := map[string]*Check{}
	var valid []string
	for _, c := range all {
		byID[c.ID] = c
		valid = append(valid, c.ID)
	}
	var unknown []string
	for _, id := range append(append([]string(nil), only...), skip...) {
		if _, ok := byID[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, &UnknownIDError{Unknown: unknown, Valid: valid}
	}
	want := map[string]bool{}
	var add func(id string)
	add = func(id string) {
		if want[id] {
			return
		}
		want[id] = true
		for _, r := range byID[id].Requires {
			if _, ok := byID[r]; ok {
				add(r)
			}
		}
	}
	if len(only) == 0 {
		for _, c := range all {
			want[c.ID] = true
		}
	} else {
		for _, id := range only {
			add(id)
		}
	}
	for _, id := range skip {
		delete(want, id)
	}
	var out []*Check
	for _, c := range all {
		if want[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}
