// Command probe is a test stand-in for `gmu-doctor collect`: it reads the
// machine through host.NewLive exactly as the checks do and prints what it
// got as a host.Snapshot JSON document. The Wine tests run it (windows
// build) inside simulated workstations; it writes nothing but its output.
//
//	probe [-o FILE] [-chains] [-reg 'HKLM\SOFTWARE\Crypto Pro|32']... [-file PATH]... [-env NAME]... [-run 'cmd /c ver']...
//
// -chains also asks CryptoAPI for the chain of every personal certificate,
// as the chain check does: with it the probe makes the Windows calls a
// `check` run makes and nothing else (the floor row of bench-scale.sh --wine).
// -summary prints a line per store and per chain instead of the snapshot
// (whose JSON, certificates and all, would weigh more than the reads).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	var regs, files, envs, runs list
	out := flag.String("o", "", "write the JSON here instead of stdout")
	chains := flag.Bool("chains", false, "record CryptoAPI's chain verdict (host.ChainStatus) of every certificate in CurrentUser\\My and LocalMachine\\My")
	flag.Var(&regs, "reg", "registry key to read, PATH or PATH|32 / PATH|64 (repeatable)")
	flag.Var(&files, "file", "path to stat, %VARIABLES% allowed (repeatable)")
	flag.Var(&envs, "env", "environment variable to record (repeatable)")
	flag.Var(&runs, "run", "command line (split on spaces) to run and record (repeatable)")
	summary := flag.Bool("summary", false, "print the number of certificates per store and the chain verdicts instead of the snapshot JSON")
	flag.Parse()
	if err := probe(*out, *chains, *summary, regs, files, envs, runs); err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
}

func probe(out string, chains, summary bool, regs, files, envs, runs []string) error {
	ctx := context.Background()
	h, err := host.NewLive(host.LiveOptions{})
	if err != nil {
		return err
	}
	s := host.Snapshot{SnapshotVersion: host.SnapshotVersion, ToolVersion: "winetest-probe", CollectedAt: h.Now().UTC(), Facts: h.Facts()}
	for _, loc := range host.Locations {
		for _, st := range []host.StoreName{host.StoreRoot, host.StoreCA, host.StoreMy, host.StoreAuthRoot, host.StoreTrustedPublisher} {
			certs, err := h.Certificates(ctx, loc, st)
			ss := host.SnapStore{Location: loc, Store: st, Certificates: certs}
			if err != nil {
				ss.Error = err.Error()
			}
			s.CertStores = append(s.CertStores, ss)
		}
	}
	for _, ss := range s.CertStores {
		if !chains || ss.Store != host.StoreMy {
			continue
		}
		for _, c := range ss.Certificates {
			cs, err := h.ChainStatus(ctx, ss.Location, ss.Store, c.SHA1)
			if err != nil {
				cs = host.ChainStatus{SHA1: c.SHA1, Location: ss.Location, Store: ss.Store, Error: "probe: " + err.Error()}
			}
			s.ChainStatus = append(s.ChainStatus, cs)
		}
	}
	for _, r := range regs {
		p, view := r, host.RegViewDefault
		if i := strings.LastIndexByte(r, '|'); i >= 0 {
			p, view = r[:i], host.RegView(r[i+1:])
		}
		k, err := h.RegistryKey(ctx, p, view)
		if err != nil {
			k = host.RegKey{Path: p, View: view, Error: "probe: " + err.Error()}
		}
		s.Registry = append(s.Registry, k)
	}
	for _, f := range files {
		fi, err := h.Stat(ctx, f)
		if err != nil {
			fi = host.FileInfo{Path: f, Error: "probe: " + err.Error()}
		}
		s.Files = append(s.Files, host.SnapFile{FileInfo: fi})
	}
	if len(envs) > 0 {
		s.Env = map[string]*string{}
		for _, e := range envs {
			if v, ok := h.LookupEnv(e); ok {
				s.Env[e] = &v
			} else {
				s.Env[e] = nil
			}
		}
	}
	for _, r := range runs {
		argv := strings.Fields(r)
		c := host.SnapCommand{Argv: argv}
		res, err := h.Run(ctx, host.Command{Argv: argv})
		switch {
		case errors.Is(err, host.ErrCommandNotFound):
			c.NotFound, c.Error = true, err.Error()
		case err != nil:
			c.Error = err.Error()
		default:
			c.SetOutput(res.Stdout, res.Stderr)
			c.ExitCode, c.TimedOut, c.Truncated = res.ExitCode, res.TimedOut, res.Truncated
		}
		s.Commands = append(s.Commands, c)
	}
	var data []byte
	if summary {
		data = summarize(&s)
	} else {
		data, err = json.MarshalIndent(&s, "", " ")
		if err != nil {
			return err
		}
		data = append(data, '\n')
	}
	if out == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o644)
}

// summarize is the -summary output: what was read, without the data.
func summarize(s *host.Snapshot) []byte {
	var b strings.Builder
	for _, ss := range s.CertStores {
		fmt.Fprintf(&b, "store %s\\%s: %d certificates", ss.Location, ss.Store, len(ss.Certificates))
		if ss.Error != "" {
			fmt.Fprintf(&b, " (error: %s)", ss.Error)
		}
		b.WriteByte('\n')
	}
	for _, cs := range s.ChainStatus {
		fmt.Fprintf(&b, "chain %s\\%s %s: length %d, error status 0x%x %s\n", cs.Location, cs.Store, cs.SHA1, cs.ChainLength, cs.TrustErrorStatus, cs.Error)
	}
	return []byte(b.String())
}
