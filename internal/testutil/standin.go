package testutil

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrNoStandIn: StandIn has no recorded answer for the command (not a
// CryptoPro tool or pcsc_scan of a fixture tree).
var ErrNoStandIn = errors.New("no stand-in for this command")

// StandIn answers a command of a Linux fixture tree (testdata/linux/<tree>,
// root is its root/ directory) the way the real tool answered on that
// workstation: from the recorded outputs in <tree>/outputs, chosen by the
// tool and its arguments. Nothing is executed: gmu-doctor never runs an
// inspected tree's programs, and tests that want the tools' answers get
// them here, through a seam only tests can reach (host.hosttest and the
// host package's own tests).
//
// argv[0] must be an absolute path of the inspected system whose file
// exists in the tree (removing the file from a copy of the tree makes the
// tool missing); `rpm -q PKG` says every package is absent. exit is the
// tool's exit status; an unsupported argument
// list is exit 1 with a message on stderr, like the old shell stand-ins.
func StandIn(root string, argv []string) (stdout, stderr []byte, exit int, err error) {
	if len(argv) >= 3 && argv[0] == "rpm" && argv[1] == "-q" {
		// The RPM trees record no package database: every package is
		// absent, as rpm says it.
		pkg := argv[len(argv)-1]
		return []byte("package " + pkg + " is not installed\n"), nil, 1, nil
	}
	if len(argv) == 0 || !strings.HasPrefix(argv[0], "/") {
		return nil, nil, 0, ErrNoStandIn
	}
	tool := path.Base(argv[0])
	switch tool {
	case "csptest", "certmgr", "cpconfig", "pcsc_scan":
	default:
		return nil, nil, 0, ErrNoStandIn
	}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(path.Clean(argv[0])))); err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", argv[0], os.ErrNotExist)
	}
	out := filepath.Join(root, "..", "outputs")
	args := " " + strings.Join(argv[1:], " ") + " "
	file := ""
	switch {
	case tool == "csptest" && strings.Contains(args, " -enum_cont "):
		file = "csptest-enum-cont.txt"
	case tool == "csptest" && strings.Contains(args, " -keyset "):
		file = "csptest-keyset-verifycontext.txt"
	case tool == "cpconfig" && strings.Contains(args, " -license ") && strings.Contains(args, " -view "):
		file = "cpconfig-license-view.txt"
	case tool == "certmgr" && strings.Contains(args, " -list "):
		store := ""
		for i := 1; i+1 < len(argv); i++ {
			if argv[i] == "-store" {
				store = strings.ToLower(argv[i+1])
			}
		}
		file = "certmgr-list-" + store + ".txt"
		if _, err := os.Stat(filepath.Join(out, file)); err != nil {
			file = "certmgr-list-empty.txt"
		}
	case tool == "pcsc_scan" && strings.Contains(args, " -r "):
		return []byte("0: Aktiv Rutoken ECP 00 00\n"), nil, 0, nil
	default:
		return nil, []byte(tool + " stand-in: unsupported arguments:" + args + "\n"), 1, nil
	}
	b, err := os.ReadFile(filepath.Join(out, file))
	if err != nil {
		return nil, nil, 0, err
	}
	return b, nil, 0, nil
}
