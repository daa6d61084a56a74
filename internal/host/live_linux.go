package host

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/cprocsp"
)

// linuxHost is the live back end on Linux. With LiveOptions.Root every path
// (files and store files) is taken from below that directory, so a mounted
// disk of another workstation or a fixture tree can be inspected; symbolic
// links are followed inside the root and can never lead out of it. Under
// --root no program is ever run (Run answers ErrNoExec): neither the
// tree's executables nor commands found by name.
type linuxHost struct {
	base
	noRegistry
	noCryptoAPI
	root     string // "" or an absolute, cleaned directory
	user     string // whose CryptoPro stores are read
	selfUser string // the user gmu-doctor runs as
	lang     string // LANG of the inspected system under --root
	facts    Facts
	// treeRun answers commands under --root. Only the host package's
	// tests set it (to the fixture trees' recorded outputs); production
	// leaves it nil, and then nothing runs under --root.
	treeRun func(ctx context.Context, cmd Command) (CommandResult, error)
}

// Run implements Host. Without --root it runs the command on this
// machine. Under --root it runs nothing: the inspected disk's programs are
// another machine's code (and a plain name would be looked up in the tree
// too), so the answer is an error wrapping ErrNoExec and the checks take
// what they need from files or report it as not determinable.
func (h *linuxHost) Run(ctx context.Context, cmd Command) (CommandResult, error) {
	if h.root == "" {
		return h.base.Run(ctx, cmd)
	}
	if h.treeRun != nil {
		return h.treeRun(ctx, cmd)
	}
	name := "command"
	if len(cmd.Argv) > 0 {
		name = cmd.Argv[0]
	}
	return CommandResult{}, fmt.Errorf("run %s: %w", name, ErrNoExec)
}

func newLive(opts LiveOptions) (Host, error) {
	h := &linuxHost{}
	h.netc = newNetClient(opts.Net, nil)
	if opts.Root != "" {
		abs, err := filepath.Abs(opts.Root)
		if err != nil {
			return nil, fmt.Errorf("resolve root %s: %w", opts.Root, err)
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("open root %s: %w", opts.Root, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("open root %s: not a directory", opts.Root)
		}
		h.root = abs
		h.mapPath = h.resolve
	}
	h.facts = h.readFacts(opts.User)
	h.user = h.facts.User
	return h, nil
}

// Facts implements Host.
func (h *linuxHost) Facts() Facts {
	f := h.facts
	f.Errors = append([]string(nil), h.facts.Errors...)
	return f
}

// LookupEnv implements Host. The variables that describe the inspected user
// (HOME, USER, LOGNAME) follow --user; under --root the process environment
// says nothing about the inspected system, so only those variables and LANG
// (from the tree's locale files) are answered and everything else is unset.
func (h *linuxHost) LookupEnv(name string) (string, bool) {
	switch name {
	case "HOME":
		if h.root != "" || h.user != h.selfUser {
			return h.facts.Home, h.facts.Home != ""
		}
	case "USER", "LOGNAME":
		if h.root != "" || h.user != h.selfUser {
			return h.user, h.user != ""
		}
	case "LANG":
		if h.root != "" {
			return h.lang, h.lang != ""
		}
	}
	if h.root != "" {
		return "", false
	}
	return h.base.LookupEnv(name)
}

// maxSymlinks bounds symbolic-link resolution below the root.
const maxSymlinks = 40

// resolve maps a path of the inspected system to a path of this machine:
// the path is cleaned as if "/" were the root (so ".." cannot climb out of
// it) and symbolic links are resolved component by component, absolute
// targets being taken relative to the root again.
func (h *linuxHost) resolve(p string) string {
	if h.root == "" {
		return p
	}
	parts := splitVirtual(p)
	cur := "/"
	hops := 0
	for i := 0; i < len(parts); i++ {
		next := path.Join(cur, parts[i])
		fi, err := os.Lstat(filepath.Join(h.root, next))
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			if err != nil {
				// Nothing below a missing component can exist; keep the
				// remaining (already cleaned) components as they are.
				cur = path.Join(append([]string{cur}, parts[i+1:]...)...)
				break
			}
			continue
		}
		hops++
		target, err := os.Readlink(filepath.Join(h.root, next))
		if err != nil || hops > maxSymlinks {
			// A loop or an unreadable link: point at a name that cannot
			// exist rather than let the OS follow the link out of the root.
			return filepath.Join(h.root, next, "\x00symlink-loop")
		}
		if !strings.HasPrefix(target, "/") {
			target = path.Join(cur, target)
		}
		parts = append(splitVirtual(target), parts[i+1:]...)
		cur, i = "/", -1
	}
	return filepath.Join(h.root, cur)
}

// splitVirtual cleans p as an absolute path and splits it into components.
func splitVirtual(p string) []string {
	c := path.Clean("/" + p)
	if c == "/" {
		return nil
	}
	return strings.Split(c[1:], "/")
}

// exists reports whether a path of the inspected system exists.
func (h *linuxHost) exists(p string) bool {
	_, err := os.Stat(h.path(p))
	return err == nil
}

// readSmall reads a small text file of the inspected system.
func (h *linuxHost) readSmall(p string) (string, error) {
	b, err := h.ReadFile(context.Background(), p, 64<<10)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Certificates implements Host. CryptoPro CSP for Linux keeps its stores in
// files (cprocsp.UserStoreDir, cprocsp.MachineStoreDir); they are parsed
// directly. When a store file is in a format ParseStore does not recognise,
// or the store directory is missing, the answer comes from `certmgr -list`
// instead, which gives thumbprints and key links but no DER. No CryptoPro
// installation (no /opt/cprocsp) means empty stores: the csp check reports
// the missing CSP.
func (h *linuxHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	switch store {
	case StoreRoot, StoreCA, StoreMy:
	default:
		return nil, nil // CryptoPro for Linux has no such store
	}
	if loc != CurrentUser && loc != LocalMachine {
		return nil, fmt.Errorf("list store %s\\%s: unknown location", loc, store)
	}
	if !h.exists(cprocsp.OptDir) {
		return nil, nil
	}
	machine := loc == LocalMachine
	dir := cprocsp.MachineStoreDir
	if !machine {
		if h.user == "" {
			return nil, fmt.Errorf("list store %s\\%s: the user is unknown", loc, store)
		}
		dir = cprocsp.UserStoreDir(h.user)
	}
	entries, err := h.ReadDir(ctx, dir)
	switch {
	case errors.Is(err, ErrFileNotFound):
		// The directory layout is inferred; ask certmgr when it may answer.
		if h.mayRunCertmgr(machine) {
			if certs, cerr := h.certmgrList(ctx, machine, store); cerr == nil {
				return certs, nil
			}
		}
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("list store %s\\%s: %w%s", loc, store, err, h.permissionHint(machine))
	}
	want := cprocsp.StoreFileName(string(store))
	file := ""
	for _, e := range entries {
		if !e.IsDir && strings.EqualFold(e.Name, want) {
			file = e.Path
			break
		}
	}
	if file == "" {
		return nil, nil
	}
	data, err := h.ReadFile(ctx, file, 64<<20)
	if err != nil {
		return nil, fmt.Errorf("list store %s\\%s: %w%s", loc, store, err, h.permissionHint(machine))
	}
	parsed, perr := cprocsp.ParseStore(data)
	if errors.Is(perr, cprocsp.ErrUnrecognisedStore) {
		if h.mayRunCertmgr(machine) {
			certs, cerr := h.certmgrList(ctx, machine, store)
			if cerr == nil {
				return certs, nil
			}
			return nil, fmt.Errorf("%w: %s (certmgr fallback: %v)", cprocsp.ErrUnrecognisedStore, file, cerr)
		}
		return nil, fmt.Errorf("%w: %s", cprocsp.ErrUnrecognisedStore, file)
	}
	certs := make([]Certificate, 0, len(parsed)+1)
	for _, e := range parsed {
		c := Certificate{SHA1: e.SHA1, DER: e.DER, Source: file, Error: e.Error}
		if e.Key != nil {
			k := KeyLink(*e.Key)
			c.Key = &k
		}
		certs = append(certs, c)
	}
	if perr != nil {
		// The entries read so far are kept; the damage is one more entry.
		certs = append(certs, Certificate{Source: file, Error: perr.Error()})
	}
	return certs, nil
}

func (h *linuxHost) permissionHint(machine bool) string {
	if machine || h.user == h.selfUser {
		return ""
	}
	return fmt.Sprintf(" (reading %s's stores as %s: run as root or as %s)", h.user, h.selfUser, h.user)
}

// mayRunCertmgr: certmgr lists the stores of the user that runs it, so it is
// asked about user stores only when that is the inspected user. Under --root
// it is never run (only the tests' recorded outputs answer there).
func (h *linuxHost) mayRunCertmgr(machine bool) bool {
	if h.root != "" {
		return h.treeRun != nil
	}
	return machine || h.user == h.selfUser
}

// toolPath returns the path of a CryptoPro tool in bin (or sbin), trying
// the directory of this machine's architecture first.
func (h *linuxHost) toolPath(name string, sbin bool) (string, bool) {
	arches := append([]string{cprocsp.ArchDir(runtime.GOARCH)}, cprocsp.Arches...)
	for _, a := range arches {
		dir := cprocsp.BinDir(a)
		if sbin {
			dir = cprocsp.SbinDir(a)
		}
		p := dir + "/" + name
		if h.exists(p) {
			return p, true
		}
	}
	return "", false
}

// certmgrList reads a store with `certmgr -list -store uMy`.
func (h *linuxHost) certmgrList(ctx context.Context, machine bool, store StoreName) ([]Certificate, error) {
	tool, ok := h.toolPath("certmgr", false)
	if !ok {
		return nil, fmt.Errorf("run certmgr: %w", ErrCommandNotFound)
	}
	arg := cprocsp.StoreArg(machine, string(store))
	res, err := h.Run(ctx, Command{Argv: []string{tool, "-list", "-store", arg}, Timeout: DefaultCommandTimeout})
	if err != nil {
		return nil, err
	}
	if res.TimedOut {
		return nil, fmt.Errorf("run certmgr -list -store %s: timed out", arg)
	}
	// Some builds print "Empty certificate list" on stderr: read both.
	recs, err := cprocsp.ParseCertmgrList(append(append([]byte(nil), res.Stdout...), res.Stderr...))
	if err != nil {
		return nil, err
	}
	src := SourceCertmgr + " -store " + arg
	certs := make([]Certificate, 0, len(recs))
	for _, r := range recs {
		c := Certificate{SHA1: r.SHA1, Source: src,
			Error: fmt.Sprintf("certificate body not available (read with %s): subject %q, issuer %q, valid until %s",
				src, r.Subject, r.Issuer, r.NotAfter.Format("2006-01-02"))}
		if !validThumbprint(r.SHA1) {
			c.Error += fmt.Sprintf("; certmgr printed an invalid thumbprint %q", r.SHA1)
			c.SHA1 = ""
		}
		if r.HasPrivateKey {
			c.Key = &KeyLink{Container: r.Container, Provider: r.ProviderName, ProvType: uint32(r.ProvType), KeySpec: uint32(r.KeySpec)}
			if r.Container == "" {
				c.Key.Error = "certmgr printed no container name"
			}
		}
		certs = append(certs, c)
	}
	return certs, nil
}

// validThumbprint reports whether s is 40 hex digits.
func validThumbprint(s string) bool {
	if len(s) != 40 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
