// Package fix is `gmu-doctor fix`: it turns the repairs the checks attached
// to their findings into a plan, applies it through the narrow host.Writer
// step by step while journalling what existed before each change, undoes a
// journalled run, and exports a plan as a standalone script (sh, cmd, ps1)
// for mass rollout. It never reads private keys, never installs a
// certificate whose identity it has not verified, and never runs on a
// snapshot (a snapshot only gives a plan and an export).
package fix

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// Step is one entry of a plan.
type Step struct {
	N       int    `json:"n"`
	Check   string `json:"check"`
	Code    string `json:"code"`
	Subject string `json:"subject,omitempty"`
	// Finding is the finding's message (the why), in the plan's language.
	Finding string        `json:"finding"`
	Repair  doctor.Repair `json:"repair"`
	// Source says where a certificate comes from ("embedded", a --cert
	// file, the store it is moved from).
	Source string `json:"source,omitempty"`
	// Skip is why the step will not be applied here ("" = it will be):
	// SkipManual, SkipElevation, SkipUnverified, SkipRemoveExpired.
	Skip string `json:"skip,omitempty"`
	// Elevated is the exact command to run with the rights the step needs
	// (when Skip is SkipElevation).
	Elevated string `json:"elevated,omitempty"`
	// Note is a caution shown with the step (Windows' confirmation dialog
	// for CurrentUser\Root, a browser to close).
	Note string `json:"note,omitempty"`
	// Commands are the finding's own commands, shown with a manual step.
	Commands []string `json:"commands,omitempty"`
}

// Reasons a step is not applied.
const (
	SkipManual        = "manual"
	SkipElevation     = "needs-elevation"
	SkipUnverified    = "unverified"
	SkipRemoveExpired = "needs-remove-expired"
)

// Applicable reports whether the step will be applied.
func (s *Step) Applicable() bool { return s.Skip == "" }

// Plan is the ordered list of steps.
type Plan struct {
	OS       string  `json:"os"`
	Host     string  `json:"host"`
	Elevated bool    `json:"elevated"`
	Steps    []*Step `json:"steps"`
}

// Applicable returns the steps that will be applied.
func (p *Plan) Applicable() []*Step {
	var out []*Step
	for _, s := range p.Steps {
		if s.Applicable() {
			out = append(out, s)
		}
	}
	return out
}

// Checks returns the IDs of the checks whose findings the applicable
// steps resolve (to re-run them afterwards), in plan order.
func (p *Plan) Checks() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range p.Applicable() {
		if !seen[s.Check] {
			seen[s.Check] = true
			out = append(out, s.Check)
		}
	}
	return out
}

// Options steer Build.
type Options struct {
	Lang i18n.Lang
	// Only limits the plan to findings with these codes (exact, or a
	// prefix ending in "." such as "chain.").
	Only []string
	// Certs are the certificates the user gave with --cert: a source for
	// add-cert repairs whose certificate the check did not have.
	Certs []*pki.Certificate
	// CertFiles names where each of Certs came from (same order).
	CertFiles []string
	// RemoveExpired allows the removal of expired leftover certificates.
	RemoveExpired bool
	// Fetch downloads a certificate's published copy (the caIssuers URL
	// of the certificate it issued, AIA); nil: no download. What it
	// returns is verified exactly like a --cert file.
	Fetch func(url string) ([]byte, error)
	// Program is how the elevated commands name gmu-doctor.
	Program string
}

// CodeRemoveExpired is the finding whose repairs need --remove-expired.
const CodeRemoveExpired = "personal-certs.expired-leftover"

// Build makes the plan for a report's findings.
func Build(rep *doctor.Report, o Options) *Plan {
	f := rep.Facts
	p := &Plan{OS: f.OS, Host: f.Hostname, Elevated: f.Elevated}
	seen := map[string]bool{}
	for _, res := range rep.Results {
		for _, fd := range res.Findings {
			if !selected(fd.Code, o.Only) {
				continue
			}
			reps := fd.Repairs
			if len(reps) == 0 {
				// What the tool cannot do stays an instruction, marked
				// manual: the finding's own hint and commands.
				reps = []doctor.Repair{{Kind: doctor.RepairManual, Text: fd.Hint}}
			}
			for _, r := range reps {
				st := &Step{Check: res.ID, Code: fd.Code, Subject: fd.Subject, Finding: fd.Message.In(o.Lang), Repair: r}
				if r.Kind == doctor.RepairManual {
					st.Commands = fd.Commands
				}
				st.Repair.Text = r.Text
				resolve(st, f, o)
				if k := st.key(); k != "" {
					if seen[k] {
						continue
					}
					seen[k] = true
				}
				st.N = len(p.Steps) + 1
				p.Steps = append(p.Steps, st)
			}
		}
	}
	return p
}

func selected(code string, only []string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if o == code || (strings.HasSuffix(o, ".") && strings.HasPrefix(code, o)) || (!strings.Contains(o, ".") && strings.HasPrefix(code, o+".")) {
			return true
		}
	}
	return false
}

// key identifies a step's effect, so that two findings asking for the same
// change (two leaves missing one intermediate) give one step.
func (s *Step) key() string {
	r := s.Repair
	switch r.Kind {
	case doctor.RepairAddCert, doctor.RepairRemoveCert:
		return fmt.Sprintf("%s|%s|%s|%s|%s", r.Kind, r.Location, r.Store, r.SHA1, r.KeyID)
	case doctor.RepairSetRegValue:
		if r.Value == nil {
			return ""
		}
		return fmt.Sprintf("%s|%s|%s|%s", r.Kind, strings.ToUpper(host.NormalizeRegPath(r.Key)), r.View, strings.ToUpper(r.Value.Name))
	case doctor.RepairRun:
		return string(r.Kind) + "|" + strings.Join(r.Argv, "\x00")
	case doctor.RepairRemoveDir:
		return string(r.Kind) + "|" + r.Path
	case doctor.RepairManual:
		return string(r.Kind) + "|" + s.Code + "|" + s.Subject + "|" + r.Text.In(i18n.EN)
	}
	return ""
}

// resolve fills in the step: the certificate and its verification, the
// location, what rights it needs and whether it can run here.
func resolve(st *Step, f host.Facts, o Options) {
	r := &st.Repair
	switch r.Kind {
	case doctor.RepairManual:
		st.Skip = SkipManual
		return
	case doctor.RepairAddCert:
		if !resolveCert(st, o) {
			st.Skip = SkipUnverified
			return
		}
		if r.Location == doctor.LocationAuto {
			r.Location = host.CurrentUser
			if f.Elevated {
				r.Location = host.LocalMachine
			}
		}
		if r.Location == host.LocalMachine || r.Location == host.SystemBundle {
			r.Admin = true
		}
		if f.OS == "windows" && r.Location == host.CurrentUser && r.Store == host.StoreRoot {
			st.Note = i18n.T("fix.note.user-root-dialog").In(o.Lang)
		}
	case doctor.RepairRemoveCert:
		if r.Location == host.LocalMachine {
			r.Admin = true
		}
		if st.Code == CodeRemoveExpired && !o.RemoveExpired {
			st.Skip = SkipRemoveExpired
			return
		}
	case doctor.RepairSetRegValue:
		if strings.HasPrefix(strings.ToUpper(host.NormalizeRegPath(r.Key)), "HKLM") {
			r.Admin = true
		}
	case doctor.RepairRemoveDir:
		if r.Process != "" {
			st.Note = i18n.T("fix.note.close-process", r.Process).In(o.Lang)
		}
	}
	if r.Admin && !f.Elevated {
		st.Skip = SkipElevation
		st.Elevated = elevatedCommand(f.OS, o.Program, st.Code)
	}
}

// resolveCert finds the certificate of an add-cert step and verifies its
// identity: its SHA-1 is the one the check named, or its key verifies the
// signature of the certificate it must have issued (Child), or both.
func resolveCert(st *Step, o Options) bool {
	r := &st.Repair
	var child *pki.Certificate
	if len(r.Child) > 0 {
		c, err := pki.ParseDER(r.Child)
		if err != nil {
			return false
		}
		child = c
	}
	if len(r.DER) > 0 {
		if st.Source == "" {
			st.Source = "embedded"
		}
		return verified(r, child)
	}
	// (the order of the sources: embedded, AIA, a file the user gave)
	if o.Fetch != nil && child != nil && (strings.HasPrefix(r.URL, "http://") || strings.HasPrefix(r.URL, "https://")) {
		if body, err := o.Fetch(r.URL); err == nil {
			if certs, err := pki.Parse(body); err == nil {
				for _, c := range certs {
					cand := *r
					cand.DER = c.Raw
					if verified(&cand, child) {
						*r = cand
						st.Source = "AIA " + r.URL
						return true
					}
				}
			}
		}
	}
	for i, c := range o.Certs {
		cand := *r
		cand.DER = c.Raw
		if !verified(&cand, child) {
			continue
		}
		*r = cand
		st.Source = "--cert " + o.CertFiles[i]
		return true
	}
	return false
}

func verified(r *doctor.Repair, child *pki.Certificate) bool {
	c, err := pki.ParseDER(r.DER)
	if err != nil {
		return false
	}
	sha := host.Thumbprint(r.DER)
	if r.SHA1 != "" && !strings.EqualFold(r.SHA1, sha) {
		return false
	}
	if r.KeyID != "" && !strings.EqualFold(r.KeyID, c.SubjectKeyIDHex()) {
		return false
	}
	if child != nil {
		if !bytes.Equal(c.RawSubject, child.RawIssuer) || child.CheckSignatureFrom(c) != nil {
			return false
		}
	} else if r.SHA1 == "" {
		return false // nothing vouches for it
	}
	r.SHA1 = sha
	if r.Name == "" {
		r.Name = c.DisplayName()
	}
	return true
}

// elevatedCommand is the exact command that applies the step with rights.
func elevatedCommand(goos, program, code string) string {
	if program == "" {
		program = "gmu-doctor"
	}
	cmd := program + " fix --yes --only " + code
	if goos == "windows" {
		return cmd // (from a command prompt opened with «Run as administrator»)
	}
	return "sudo " + cmd
}

// Describe is the one-line "what and where" of a step.
func (s *Step) Describe(lang i18n.Lang) string {
	r := s.Repair
	switch r.Kind {
	case doctor.RepairAddCert:
		if r.Location == host.SystemBundle {
			return i18n.T("fix.step.add-system-cert", r.Name, r.SHA1).In(lang)
		}
		return i18n.T("fix.step.add-cert", r.Name, r.SHA1, string(r.Location)+`\`+string(r.Store)).In(lang)
	case doctor.RepairRemoveCert:
		return i18n.T("fix.step.remove-cert", r.Name, r.SHA1, string(r.Location)+`\`+string(r.Store)).In(lang)
	case doctor.RepairSetRegValue:
		if r.Value == nil {
			return r.Key
		}
		return i18n.T("fix.step.set-reg", r.Key, regName(r.Value.Name), regData(*r.Value)).In(lang)
	case doctor.RepairRun:
		return i18n.T("fix.step.run", strings.Join(r.Argv, " ")).In(lang)
	case doctor.RepairRemoveDir:
		return i18n.T("fix.step.remove-dir", r.Path).In(lang)
	case doctor.RepairManual:
		return i18n.T("fix.step.manual", r.Text.In(lang)).In(lang)
	}
	return string(r.Kind)
}

func regName(n string) string {
	if n == "" {
		return "(default)"
	}
	return n
}

func regData(v host.RegValue) string {
	switch v.Type {
	case host.RegMultiSZ:
		return string(v.Type) + " " + strings.Join(v.Strings, "; ")
	case host.RegBinary:
		return fmt.Sprintf("%s %X", v.Type, v.Binary)
	}
	return string(v.Type) + " " + v.Text()
}

// Counts returns how many steps will be applied, skipped for rights,
// manual and otherwise skipped.
func (p *Plan) Counts() (apply, elevation, manual, other int) {
	for _, s := range p.Steps {
		switch s.Skip {
		case "":
			apply++
		case SkipElevation:
			elevation++
		case SkipManual:
			manual++
		default:
			other++
		}
	}
	return
}

// Codes lists the distinct finding codes of the plan (sorted).
func (p *Plan) Codes() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range p.Steps {
		if !seen[s.Code] {
			seen[s.Code] = true
			out = append(out, s.Code)
		}
	}
	sort.Strings(out)
	return out
}
