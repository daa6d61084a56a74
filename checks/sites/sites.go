// Package sites is the sites check: for each selected site, every address
// it is served from is probed through the host — DNS, TCP, and a TLS
// handshake (our own GOST ClientHello for GOST-TLS sites such as
// lk-fzs.roskazna.ru, crypto/tls for the others) — and the chain the
// server presents is verified with our engine against the workstation's
// own Root stores, never Go's or the OS's trust pool. It names where the
// connection broke, a root the workstation lacks, and TLS interception by
// an antivirus, DLP or proxy (a chain ending in a root that is not the
// site's). The server's Date header is compared with the workstation's
// clock.
package sites

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certs"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Check is the sites check.
var Check = &doctor.Check{
	ID:    "sites",
	Title: i18n.T("check.sites.title"),
	Doc:   i18n.T("check.sites.doc"),
	Run:   run,
}

func run(ctx context.Context, pass *doctor.Pass) error {
	if err := pass.Online(); err != nil {
		return err
	}
	type job struct {
		site *profile.Site
		ep   profile.Endpoint
	}
	var jobs []job
	for _, s := range pass.Options.Profiles {
		for _, ep := range s.Endpoints {
			jobs = append(jobs, job{s, ep})
		}
	}
	if len(jobs) == 0 {
		return doctor.Skip(i18n.T("sites.skip.none"))
	}
	nctx, cancel := pass.NetContext(ctx)
	defer cancel()
	known := certs.LoadKnown()
	f := pass.Host.Facts()
	trustGOST := LoadTrust(ctx, pass.Host, true)
	trustStd := LoadTrust(ctx, pass.Host, false)
	for _, e := range append(trustGOST.Errors, trustStd.Errors...) {
		pass.Note(i18n.Raw(e))
	}

	diags := make([]*Diagnosis, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i := range jobs {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := TargetFor(jobs[i].ep, known, f)
			tr := trustStd
			if t.GOST {
				tr = trustGOST
			}
			diags[i], errs[i] = Diagnose(nctx, pass.Host, t, tr.Trust, Options{Now: pass.Host.Now(), Clock: true})
		}()
	}
	wg.Wait()

	ok, clockDone := 0, false
	for i, d := range diags {
		if err := errs[i]; err != nil {
			if errors.Is(err, host.ErrOffline) {
				return doctor.Skip(i18n.T("doctor.skip.offline"))
			}
			if errors.Is(err, host.ErrNotRecorded) {
				// A snapshot collected offline or by an older version.
				return doctor.Skip(i18n.T("sites.skip.not-recorded", jobs[i].ep.Addr()))
			}
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				pass.Report(doctor.Finding{Severity: doctor.Warn, Code: "sites.budget",
					Message: i18n.T("sites.budget", jobs[i].ep.Addr()), Hint: i18n.T("sites.budget.hint")})
				continue
			}
			return err
		}
		name := i18n.Pair(jobs[i].site.NameRU, jobs[i].site.NameEN)
		if d.Verdict == Trusted {
			ok++
			pass.Note(i18n.T("sites.note.ok", name, d.Target.Addr(), versionSuite(d), d.RootName))
		} else {
			fd := Finding(d, f)
			fd.Message = i18n.T("sites.for-site", name, fd.Message)
			pass.Report(fd)
		}
		if !clockDone && d.SkewTooLarge() {
			clockDone = true
			pass.Report(ClockFinding(d, f))
		}
	}
	pass.Summary(i18n.T("sites.summary", ok, len(jobs)))
	return nil
}

// LoadedTrust is the trust of one kind of site with what could not be read.
type LoadedTrust struct {
	Trust
	Errors []string
}

// LoadTrust reads the workstation's roots: the Root stores (CurrentUser
// and LocalMachine; on Linux CryptoPro's uRoot/mRoot), and for standard
// TLS on Linux also the system CA bundle that browsers use for RSA sites.
// Intermediates come from the CA stores.
func LoadTrust(ctx context.Context, h host.Host, gost bool) LoadedTrust {
	st := certs.LoadCore(ctx, h)
	var lt LoadedTrust
	if len(st.Errors) > 0 {
		lt.Errors = append(lt.Errors, st.ErrorText())
	}
	roots := st.Pool(host.StoreRoot)
	where := []string{certs.StoreLabel(host.CurrentUser, host.StoreRoot), certs.StoreLabel(host.LocalMachine, host.StoreRoot)}
	if !gost && h.Facts().OS == "linux" {
		b := certs.LoadSystemBundles(ctx, h)
		roots = pki.Over(roots, b.Certs()...)
		if b.AnyRead() {
			where = append(where, strings.Join(b.Read, ", "))
		}
	}
	lt.Trust = Trust{Roots: roots, Intermediates: st.Pool(host.StoreCA), Where: strings.Join(where, ", ")}
	return lt
}

// TargetFor turns a profile endpoint into a target, resolving its
// expected roots through the known-roots table, with the commands that
// install each on this OS.
func TargetFor(ep profile.Endpoint, known *certs.Known, f host.Facts) Target {
	t := Target{Host: ep.Host, Port: ep.Port, GOST: ep.GOST()}
	cmds := certs.For(f)
	for _, id := range ep.Roots {
		if h := certs.NormHex(id); len(h) == 40 && h == strings.ToUpper(strings.ReplaceAll(id, " ", "")) {
			// A root given by its SHA-1 thumbprint (config override).
			t.Expected = append(t.Expected, ExpectedRoot{Name: h, SHA1: h})
			continue
		}
		for _, r := range known.Roots {
			if r.ID == id || id == profile.RootsQualified && r.Kind == certs.KindQualified {
				t.Expected = append(t.Expected, ExpectedRoot{Name: r.NameEN, SHA1: certs.NormHex(r.SHA1), SKI: certs.NormHex(r.SKI),
					InstallCmd: installRoot(cmds, r, f, ep.GOST()), URL: r.DownloadURL})
			}
		}
	}
	return t
}

// TargetForAddr finds host:port among the endpoints of the profiles and
// returns its target, so that probe judges a known site against the
// site's own roots.
func TargetForAddr(profiles []*profile.Site, hostName string, port int, f host.Facts) (Target, bool) {
	for _, s := range profiles {
		for _, ep := range s.Endpoints {
			if strings.EqualFold(ep.Host, hostName) && ep.Port == port {
				return TargetFor(ep, certs.LoadKnown(), f), true
			}
		}
	}
	return Target{}, false
}

func installRoot(cmds certs.Cmds, r certs.Root, f host.Facts, gost bool) []string {
	if f.OS == "linux" && !gost && r.TLS() {
		return cmds.InstallSystemTLSRoot(r, certs.DistroFamily(f.Distro))
	}
	return cmds.InstallRoot(r, host.LocalMachine)
}

func versionSuite(d *Diagnosis) string {
	v := ""
	switch d.TLS.Version {
	case 0x0301:
		v = "TLS 1.0"
	case 0x0302:
		v = "TLS 1.1"
	case 0x0303:
		v = "TLS 1.2"
	case 0x0304:
		v = "TLS 1.3"
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s", v, d.Suite()))
}
