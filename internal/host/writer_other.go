//go:build !windows && !linux

package host

// NewWriter returns the live Writer of this OS: none outside Windows and
// Linux (gmu-doctor fix then only plans and exports).
func NewWriter() (Writer, error) { return nil, ErrNotSupported }
