package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// mkTree makes a --root tree with the given files (content "" and name
// ending in "|fifo" makes a FIFO).
func mkTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		fifo := strings.HasSuffix(name, "|fifo")
		name = strings.TrimSuffix(name, "|fifo")
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if fifo {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func inTime(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after 10 s", what)
	}
}

// A FIFO or a device in an inspected tree is refused, not read: reading a
// FIFO without a writer blocks forever.
func TestRootSpecialFilesDoNotHang(t *testing.T) {
	root := mkTree(t, map[string]string{
		"etc/os-release|fifo":                        "",
		"etc/hostname|fifo":                          "",
		"etc/passwd":                                 "ivanov:x:1000:1000::/home/ivanov:/bin/bash\n",
		"opt/cprocsp/bin/amd64/.keep":                "",
		"var/opt/cprocsp/users/stores/root.sto|fifo": "",
	})
	if err := os.Symlink("/dev/zero", filepath.Join(root, "etc", "timezone")); err != nil {
		t.Fatal(err)
	}
	var h Host
	inTime(t, "NewLive", func() {
		var err error
		h, err = NewLive(LiveOptions{Root: root, User: "ivanov"})
		if err != nil {
			t.Error(err)
		}
	})
	if h == nil {
		return
	}
	f := h.Facts()
	if !strings.Contains(strings.Join(f.Errors, "\n"), "read /etc/os-release: not a regular file: it is a named pipe (FIFO)") {
		t.Errorf("facts errors %q", f.Errors)
	}
	inTime(t, "Certificates", func() {
		_, err := h.Certificates(context.Background(), LocalMachine, StoreRoot)
		if err == nil || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), "root.sto") {
			t.Errorf("store file FIFO: %v", err)
		}
	})
	// /etc/timezone -> /dev/zero is resolved inside the tree (absent there).
	inTime(t, "ReadFile /dev/zero", func() {
		if _, err := h.ReadFile(context.Background(), "/dev/zero", 0); err == nil {
			t.Errorf("read /dev/zero under --root: no error")
		}
	})
}

// Live (no --root): devices are refused as well.
func TestLiveReadFileRefusesDevices(t *testing.T) {
	h, err := NewLive(LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	inTime(t, "ReadFile /dev/zero", func() {
		_, err := h.ReadFile(context.Background(), "/dev/zero", 0)
		if err == nil || !strings.Contains(err.Error(), "read /dev/zero: not a regular file: it is a character device") {
			t.Errorf("read /dev/zero: %v", err)
		}
	})
}

// Under --root nothing of the tree runs, not even through the certmgr
// fallback for a store file in an unknown format; the stores are still
// read from their files.
func TestRootNeverRunsTreePrograms(t *testing.T) {
	dir := copyTree(t, "astra-csp5-ru")
	root := filepath.Join(dir, "root")
	marker := testutil.PlantMarkers(t, root)
	// An unrecognised uRoot file would make a live host ask certmgr.
	if err := os.WriteFile(filepath.Join(root, "var/opt/cprocsp/users/ivanov/stores/root.sto"), []byte("not a store"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newProductionTreeHost(t, root, "ivanov")
	ctx := context.Background()
	for _, argv := range [][]string{
		{"/opt/cprocsp/bin/amd64/csptest", "-keyset", "-verifycontext"},
		{"/opt/cprocsp/bin/amd64/certmgr", "-list", "-store", "uMy"},
		{"/opt/cprocsp/sbin/amd64/cpconfig", "-license", "-view"},
		{"/usr/bin/pcsc_scan", "-r"},
		{"dpkg-query", "-W", "pcscd"},
		{"rpm", "-q", "pcsc-lite"},
		{"uname"},
	} {
		if _, err := h.Run(ctx, Command{Argv: argv}); !errors.Is(err, ErrNoExec) || !strings.Contains(err.Error(), "not determinable from a mounted disk") {
			t.Errorf("Run %q under --root: %v", argv, err)
		}
	}
	my, err := h.Certificates(ctx, CurrentUser, StoreMy)
	if err != nil || len(my) != 1 || len(my[0].DER) == 0 || my[0].Key == nil {
		t.Errorf("uMy from its file: %+v %v", my, err)
	}
	if _, err := h.Certificates(ctx, CurrentUser, StoreRoot); !errors.Is(err, cprocsp.ErrUnrecognisedStore) {
		t.Errorf("unrecognised uRoot: %v", err)
	}
	if b, err := os.ReadFile(marker); err == nil {
		t.Errorf("programs of the inspected tree ran:\n%s", b)
	}
}

// collect --root records that a command was not run, and the replay says
// so again (not "command not found", not "not recorded").
func TestRecordedNotRun(t *testing.T) {
	h := newProductionTreeHost(t, treeRoot(t, "astra-csp5-ru"), "ivanov")
	rec := NewRecorder(h)
	argv := []string{"/opt/cprocsp/bin/amd64/csptest", "-keyset", "-verifycontext"}
	if _, err := rec.Run(context.Background(), Command{Argv: argv}); !errors.Is(err, ErrNoExec) {
		t.Fatalf("record: %v", err)
	}
	replay := NewSnapshotHost(rec.Snapshot("test"))
	if _, err := replay.Run(context.Background(), Command{Argv: argv}); !errors.Is(err, ErrNoExec) {
		t.Errorf("replay: %v", err)
	}
}
