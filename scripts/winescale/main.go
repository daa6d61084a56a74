// Command winescale makes the Wine workstation of the scale benchmark
// (scripts/bench-scale.sh --wine): a Wine prefix whose CryptoAPI system
// stores hold exactly the certificates of a snapshot — normally one written
// by scripts/scalesnap, i.e. the windows10-healthy fixture plus N
// accredited-CA certificates in LocalMachine\CA and 10 personal
// certificates, with their private-key links (links only: no key exists).
//
// The certificates are planted the fast way internal/winetest plants them:
// each one as the Blob CryptoAPI keeps under
// …\SystemCertificates\<store>\Certificates\<SHA-1>, all of them in one
// `wine reg import` (2,413 certificates: a few seconds), on a clone of a
// fresh template prefix (wineboot, the bcryptprimitives.dll forwarder,
// Windows 10).
//
// It prints, on stdout, shell lines that set the environment gmu-doctor.exe
// must run with on that prefix (WINEPREFIX, WINEDEBUG, a private TMPDIR…)
// and the wine loader and wineserver to use:
//
//	eval "$(go run ./scripts/winescale -snap snap-2403.json -dir /tmp/w)"
//	"$WINE_LOADER" gmu-doctor.exe check
//
// The wineserver of the prefix is stopped when it returns (the hives are
// saved); nothing outside -dir is touched.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/winetest"
)

func main() {
	snap := flag.String("snap", "", "the snapshot whose certificate stores to plant (e.g. from scripts/scalesnap)")
	dir := flag.String("dir", "", "work directory for the template and the prefix (created; reused if it holds them)")
	flag.Parse()
	if *snap == "" || *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: winescale -snap SNAPSHOT.json -dir WORKDIR")
		os.Exit(2)
	}
	if err := run(*snap, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "winescale:", err)
		os.Exit(1)
	}
}

func run(snapPath, dir string) error {
	s, err := host.LoadSnapshotFile(snapPath)
	if err != nil {
		return err
	}
	reg, n, err := regFile(s)
	if err != nil {
		return fmt.Errorf("%s: %w", snapPath, err)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	w, err := winetest.NewWine(dir)
	if err != nil {
		return err
	}
	stub, err := winetest.ForwarderDLL("amd64", "bcryptprimitives.dll", winetest.BcryptPrimitivesForwards)
	if err != nil {
		return err
	}
	ctx := context.Background()
	t0 := time.Now()
	tmpl, err := w.MakeTemplate(ctx, map[string][]byte{"drive_c/windows/system32/bcryptprimitives.dll": stub})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "winescale: template prefix in %.1fs\n", time.Since(t0).Seconds())
	p, err := w.Clone(ctx, tmpl, "scale")
	if err != nil {
		return err
	}
	t1 := time.Now()
	err = p.Import(ctx, reg)
	p.Close(true) // saves the hives; the prefix stays for the benchmark
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "winescale: %d certificates planted by reg import in %.1fs\n", n, time.Since(t1).Seconds())
	wine, server := w.Tools()
	fmt.Println(shellEnv(p.Environ(), wine, server))
	return nil
}

// regFile holds every certificate of the snapshot's stores as a Blob with
// its key link; entries without a certificate body are skipped.
func regFile(s *host.Snapshot) (*winetest.RegFile, int, error) {
	reg := &winetest.RegFile{}
	// The stores a Windows profile always has, even when empty: Wine's
	// CryptoAPI cannot open a user store whose registry key is missing
	// (gmu-doctor then reads it as empty), and creates the key the first
	// time a chain is built — the runs would not see the same workstation.
	for _, loc := range host.Locations {
		for _, st := range []host.StoreName{host.StoreRoot, host.StoreCA, host.StoreMy, "Trust", "Disallowed"} {
			reg.Key(strings.TrimSuffix(winetest.StoreKey(loc, st, "x"), `\X`))
		}
	}
	n := 0
	for _, st := range s.CertStores {
		if st.Location != host.CurrentUser && st.Location != host.LocalMachine {
			return nil, 0, fmt.Errorf("store %s\\%s: not a Windows store location", st.Location, st.Store)
		}
		for _, c := range st.Certificates {
			if len(c.DER) == 0 || c.Error != "" {
				continue
			}
			var key *host.KeyLink
			if c.Key != nil && c.Key.Error == "" {
				key = c.Key
			}
			reg.AddCert(st.Location, st.Store, c.DER, key)
			n++
		}
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("no certificates to plant")
	}
	return reg, n, nil
}

// shellEnv prints the prefix's environment as POSIX shell lines: the
// variables the harness controls are exported, those it drops are unset.
func shellEnv(env []string, wine, server string) string {
	var lines []string
	keep := map[string]bool{"WINEPREFIX": true, "WINESERVER": true, "WINEARCH": true, "WINEDEBUG": true,
		"WINEDLLOVERRIDES": true, "GMU_DOCTOR_OFFLINE": true, "TMPDIR": true, "HOME": true, "LC_ALL": true, "LOCPATH": true}
	for _, kv := range env {
		i := strings.IndexByte(kv, '=')
		if i < 0 || !keep[kv[:i]] {
			continue
		}
		lines = append(lines, "export "+kv[:i]+"="+quote(kv[i+1:]))
	}
	sort.Strings(lines)
	lines = append(lines, "unset DISPLAY WAYLAND_DISPLAY LANG LANGUAGE",
		"WINE_LOADER="+quote(wine), "WINESERVER_BIN="+quote(server))
	return strings.Join(lines, "\n")
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
