package cli

import (
	"github.com/gmu-doctor/gmu-doctor/checks"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
)

// defaultSuite is the suite the real program runs.
func defaultSuite() []*doctor.Check { return checks.All() }
