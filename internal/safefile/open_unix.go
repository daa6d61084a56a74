//go:build !windows

package safefile

import (
	"os"
	"syscall"
)

// openNonblocking opens with O_NONBLOCK, so that a FIFO without a writer
// does not block the open; O_NOCTTY keeps a terminal from becoming ours.
// Reads of a regular file ignore O_NONBLOCK.
func openNonblocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}
