//go:build !windows

package cli

import "os"

// syncDir flushes a directory entry (a rename) to the disk; best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
