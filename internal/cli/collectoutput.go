package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// errNotReplaceable: collect -o names something that is not a regular file.
var errNotReplaceable = errors.New("collect writes a snapshot only to a new or a regular file")

// checkOutput decides, before anything is collected, whether a snapshot
// can be written to path: the path must be absent or a regular file (never
// a symbolic link, device, FIFO, socket or directory, which a rename would
// silently replace), and its directory must exist and take a new file.
func checkOutput(path string) error {
	if err := checkTarget(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is %s, not a directory", dir, safefile.Kind(st.Mode()))
	}
	probe, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := probe.Name()
	probe.Close()
	return os.Remove(name)
}

// checkTarget refuses an existing path that is not a regular file.
func checkTarget(path string) error {
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(path)
		return fmt.Errorf("%w: %s is a symbolic link (to %s); name the file itself, or -o - for standard output", errNotReplaceable, path, target)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is %s; use -o - for standard output", errNotReplaceable, path, safefile.Kind(st.Mode()))
	}
	return nil
}

// writeFileAtomic writes data to a temporary file next to path, flushes it
// to the disk and renames it into place, so a reader never sees half a
// snapshot and a crash never leaves an empty one. What is at path is
// checked again just before the rename.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Chmod(name, 0o600); err != nil {
		os.Remove(name)
		return err
	}
	if err := checkTarget(path); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	syncDir(dir)
	return nil
}
