//go:build !windows

package cli

import "io"

// enableVT: terminals outside Windows understand ANSI escapes.
func enableVT(w io.Writer) bool { return true }
