package cli

// syncDir: Windows has no directory fsync; the rename is journalled by NTFS.
func syncDir(dir string) {}
