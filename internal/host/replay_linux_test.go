package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// askLinuxTree asks a host what the checks ask a Linux workstation and
// writes the answers down as text, so that two hosts can be compared.
func askLinuxTree(h Host, tr fixtureTree) []string {
	ctx := context.Background()
	var out []string
	add := func(format string, args ...interface{}) { out = append(out, fmt.Sprintf(format, args...)) }
	errText := func(err error) string {
		switch {
		case err == nil:
			return "<nil>"
		case errors.Is(err, ErrFileNotFound):
			return "file not found"
		case errors.Is(err, ErrCommandNotFound):
			return "command not found"
		}
		return "error"
	}
	f := h.Facts()
	add("facts %+v", f)
	for _, name := range []string{"HOME", "USER", "LANG", "PATH"} {
		v, ok := h.LookupEnv(name)
		add("env %s=%q %v", name, v, ok)
	}
	for _, loc := range Locations {
		for _, st := range CoreStores {
			certs, err := h.Certificates(ctx, loc, st)
			add("store %s\\%s: %d %v", loc, st, len(certs), err)
			for _, c := range certs {
				add("  %s der=%x src=%s err=%q", c.SHA1, c.DER, c.Source, c.Error)
				if c.Key != nil {
					add("  key %+v", *c.Key)
				}
			}
		}
	}
	home := f.Home
	for _, p := range []string{
		"/opt/cprocsp", "/etc/os-release", home + "/.config/chromium-gost", home + "/.config/chromium-gost/Default/Extensions",
		"/etc/opt/chrome/native-messaging-hosts/ru.cryptopro.nmcades.json", "/etc/chromium/native-messaging-hosts/ru.cryptopro.nmcades.json",
		"/var/opt/cprocsp/keys/" + tr.user, "/opt/cprocsp/lib/amd64/libnpcades.so",
	} {
		fi, err := h.Stat(ctx, p)
		add("stat %s: %v %v %v %s %v", p, fi.Exists, fi.IsDir, fi.Size, fi.ModTime, err)
		if fi.Exists && fi.IsDir {
			list, err := h.ReadDir(ctx, p)
			add("list %s: %s", p, errText(err))
			for _, e := range list {
				add("  %s %s %v %v %s", e.Path, e.Name, e.IsDir, e.Size, e.ModTime)
			}
		} else {
			b, err := h.ReadFile(ctx, p, 0)
			add("read %s: %q %s", p, b, errText(err))
		}
	}
	bin := "/opt/cprocsp/bin/amd64/"
	for _, argv := range [][]string{
		{bin + "csptest", "-keyset", "-verifycontext"},
		{bin + "csptest", "-keyset", "-enum_cont", "-fqcn", "-verifycontext", "-unique"},
		{bin + "certmgr", "-list", "-store", "uMy"},
		{bin + "certmgr", "-list", "-store", "mCA"},
		{"/opt/cprocsp/sbin/amd64/cpconfig", "-license", "-view"},
		{bin + "cryptcp", "-help"}, // not in the trees
	} {
		res, err := h.Run(ctx, Command{Argv: argv})
		add("run %q: exit %d timeout %v %s\n%s\n%s", argv, res.ExitCode, res.TimedOut, errText(err), res.Stdout, res.Stderr)
	}
	return out
}

// TestLinuxTreesRecordAndReplay records each fixture tree through the
// Recorder, writes the snapshot as JSON, loads it back and checks that the
// replay answers every question exactly as the live back end did, including
// the cp1251 command output.
func TestLinuxTreesRecordAndReplay(t *testing.T) {
	for _, tr := range fixtureTrees {
		live := newTreeHost(t, treeRoot(t, tr.name), tr.user)
		rec := NewRecorder(live)
		want := askLinuxTree(rec, tr)
		if err := rec.RecordStores(context.Background()); err != nil {
			t.Fatalf("%s: record stores: %v", tr.name, err)
		}
		var buf bytes.Buffer
		if err := WriteSnapshot(&buf, rec.Snapshot("test")); err != nil {
			t.Fatalf("%s: write snapshot: %v", tr.name, err)
		}
		snap, err := LoadSnapshot(&buf)
		if err != nil {
			t.Fatalf("%s: load snapshot: %v", tr.name, err)
		}
		got := askLinuxTree(NewSnapshotHost(snap), tr)
		if len(got) != len(want) {
			t.Fatalf("%s: %d answers on replay, %d live", tr.name, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s answer %d:\nlive   %s\nreplay %s", tr.name, i, want[i], got[i])
			}
		}
	}
}

// TestLinuxFallbackRecordAndReplay: entries read with certmgr (no DER) and
// a damaged store survive a snapshot round trip.
func TestLinuxFallbackRecordAndReplay(t *testing.T) {
	dir := copyTree(t, "astra-csp5-ru")
	root := filepath.Join(dir, "root")
	writeFile(t, filepath.Join(root, "var/opt/cprocsp/users/ivanov/stores/my.sto"), []byte("PKCS7 or something else"))
	writeFile(t, filepath.Join(root, "var/opt/cprocsp/users/stores/root.sto"), []byte{0, 0, 0, 0, 'C', 'E', 'R', 'T', 32, 0, 0, 0, 1, 0, 0, 0, 200, 0, 0, 0, 0x30})
	tr := fixtureTrees[0]
	rec := NewRecorder(newTreeHost(t, root, "ivanov"))
	want := askLinuxTree(rec, tr)
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, rec.Snapshot("test")); err != nil {
		t.Fatalf("write snapshot: %v", err)
	}
	snap, err := LoadSnapshot(&buf)
	if err != nil {
		t.Fatalf("load snapshot: %v", err)
	}
	got := askLinuxTree(NewSnapshotHost(snap), tr)
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("answer %d:\nlive   %s\nreplay %v", i, want[i], got[i:])
		}
	}
}
