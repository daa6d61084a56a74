package testutil

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// CopyTree copies a directory (files, directories, symbolic links as
// links) into a new temporary directory, so that a test can damage it.
func CopyTree(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// PlantMarkers replaces every program of a Linux tree that gmu-doctor
// could be tempted to run under --root (the CryptoPro tools, pcsc_scan,
// the package tools, and the same under plain names at the tree's root)
// with a script that appends its command line to a marker file when it
// runs. It returns the marker's path, which exists only if one ran.
func PlantMarkers(t testing.TB, root string) string {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "ran")
	script := "#!/bin/sh\necho \"$0 $*\" >> " + marker + "\n"
	for _, p := range []string{
		"opt/cprocsp/bin/amd64/csptest", "opt/cprocsp/bin/amd64/certmgr", "opt/cprocsp/sbin/amd64/cpconfig",
		"usr/bin/pcsc_scan", "usr/bin/dpkg-query", "usr/bin/rpm", "dpkg-query", "rpm", "uname", "bin/sh",
	} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return marker
}
