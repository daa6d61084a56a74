package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/gmu-doctor/gmu-doctor/checks/revocation"
	"github.com/gmu-doctor/gmu-doctor/internal/chainmsg"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// certTimeLayout is how the cert command prints times (always UTC).
const certTimeLayout = chainmsg.UTCLayout

func newCertCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cert",
		Short: a.T("cert.short"),
		Args:  cobra.NoArgs,
	}
	addHelpFlag(a, cmd)
	cmd.AddCommand(newCertShowCmd(a), newCertVerifyCmd(a))
	return cmd
}

func newCertShowCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show FILE...",
		Short: a.T("cert.show.short"),
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			type item struct {
				file string
				cert *pki.Certificate
			}
			var items []item
			for _, f := range args {
				certs, err := a.certReadFile(f)
				if err != nil {
					return err
				}
				for _, c := range certs {
					items = append(items, item{f, c})
				}
			}
			return buffered(a.Stdout, func(out io.Writer) error {
				masked := false
				var rows certRows
				for i, it := range items {
					if i > 0 {
						io.WriteString(out, "\n")
					}
					io.WriteString(out, a.T("cert.show.header", i+1, len(items), termsafe.Line(it.file))+"\n")
					if a.certShow(out, &rows, it.cert, cfg.ShowPersonal) {
						masked = true
					}
				}
				if masked {
					fmt.Fprintln(out)
					fmt.Fprintln(out, a.T("cert.show.masked-hint"))
				}
				return nil
			})
		},
	}
	addHelpFlag(a, cmd)
	cmd.Flags().Bool("show-personal", false, a.T("cli.flag.show-personal"))
	return cmd
}

// certShow prints one certificate; it reports whether it masked anything.
// rows is scratch space reused from one certificate to the next.
func (a *App) certShow(w io.Writer, rows *certRows, c *pki.Certificate, showPersonal bool) bool {
	lang := a.Lang()
	rows.reset()
	row := func(key, value string) {
		if value != "" {
			// Names and values come from the certificate: one safe line.
			rows.add(rows.label(a, key), termsafe.Line(value))
		}
	}
	masked := false
	attr := func(key, oid string) {
		for _, at := range c.Subject.Attrs() {
			if at.OID == oid {
				v := at.Masked(showPersonal)
				if v != at.Value {
					masked = true
				}
				row(key, v)
			}
		}
	}
	row("cert.field.owner", c.Subject.Get("CN"))
	if sn, g := c.Subject.Get("SN"), c.Subject.Get("G"); sn != "" && g != "" && !strings.Contains(c.Subject.Get("CN"), sn) {
		row("cert.field.owner", sn+" "+g)
	}
	row("cert.field.organization", c.Subject.Get("O"))
	row("cert.field.title", c.Subject.Get("T"))
	attr("cert.field.snils", "1.2.643.100.3")
	attr("cert.field.inn", "1.2.643.3.131.1.1")
	attr("cert.field.innle", "1.2.643.100.4")
	attr("cert.field.ogrn", "1.2.643.100.1")
	attr("cert.field.ogrnip", "1.2.643.100.5")
	row("cert.field.email", c.Subject.Get("E"))
	// The subject shows masked when masking changed one of its values
	// (what comparing it with Subject.String() told, without building it).
	for _, at := range c.Subject.Attrs() {
		if at.Masked(showPersonal) != at.Value {
			masked = true
		}
	}
	row("cert.field.subject", rows.name(c.Subject, showPersonal))
	row("cert.field.issuer", rows.name(c.Issuer, showPersonal))
	row("cert.field.serial", fmt.Sprintf("%X", c.Serial))
	row("cert.field.validity", a.T("cert.value.period", c.NotBefore.Format(certTimeLayout), c.NotAfter.Format(certTimeLayout)))
	switch {
	case c.PrivateKeyNotBefore != nil && c.PrivateKeyNotAfter != nil:
		row("cert.field.private-key", a.T("cert.value.period", c.PrivateKeyNotBefore.Format(certTimeLayout), c.PrivateKeyNotAfter.Format(certTimeLayout)))
	case c.PrivateKeyNotBefore != nil:
		row("cert.field.private-key", a.T("cert.value.private-key-from", c.PrivateKeyNotBefore.Format(certTimeLayout)))
	case c.PrivateKeyNotAfter != nil:
		row("cert.field.private-key", a.T("cert.value.private-key-to", c.PrivateKeyNotAfter.Format(certTimeLayout)))
	}
	key := certOIDName(lang, c.PublicKeyAlgorithm)
	if !c.IsGOSTKey() && c.PublicKeyBits > 0 {
		key += ", " + a.T("cert.value.bits", c.PublicKeyBits)
	}
	if c.PublicKeyParamSet != "" {
		key += "; " + certOIDName(lang, c.PublicKeyParamSet)
	}
	row("cert.field.key", key)
	row("cert.field.signature", certOIDName(lang, c.SignatureAlgorithm))
	row("cert.field.sha1", c.SHA1)
	row("cert.field.ski", c.SubjectKeyIDHex())
	row("cert.field.aki", c.AuthorityKeyIDHex())
	switch {
	case c.IsCA && c.MaxPathLen >= 0:
		row("cert.field.ca", a.T("cert.value.yes-pathlen", c.MaxPathLen))
	case c.IsCA:
		row("cert.field.ca", a.T("cert.value.yes"))
	default:
		row("cert.field.ca", a.T("cert.value.no"))
	}
	row("cert.field.subject-sign-tool", c.SubjectSignTool)
	if t := c.IssuerSignTool; t != nil {
		row("cert.field.issuer-sign-tool", a.T("cert.value.sign-tool", t.SignTool, t.CATool, t.SignToolCert, t.CAToolCert))
	}
	row("cert.field.class", strings.Join(c.SignToolClasses(), ", "))
	if k := c.IdentificationKind; k != nil {
		key := fmt.Sprintf("cert.value.ident-kind.%d", *k)
		if i18n.Has(key) {
			row("cert.field.ident-kind", a.T(key))
		} else {
			row("cert.field.ident-kind", a.T("cert.value.ident-kind.other", *k))
		}
	}
	list := func(key string, oids []string) {
		for i, o := range oids {
			label := key
			if i > 0 {
				label = ""
			}
			name := a.T("cert.value.unknown-oid")
			if ru, en, ok := pki.OIDName(o); ok {
				name = en
				if lang == i18n.RU {
					name = ru
				}
			}
			o = termsafe.Line(o)
			if label == "" {
				rows.addCont(o + "  " + name)
			} else {
				rows.add(rows.label(a, label), o+"  "+name)
			}
		}
	}
	list("cert.field.eku", c.ExtKeyUsage)
	list("cert.field.policies", c.Policies)
	for _, n := range c.SANTitleNumbers {
		row("cert.field.san-number", a.T("cert.value.san-number", n))
	}
	row("cert.field.crl", strings.Join(c.CRLDistributionPoints, " "))
	row("cert.field.ca-issuers", strings.Join(c.CAIssuers, " "))
	row("cert.field.non-canonical", strings.Join(c.NonCanonical, "; "))
	rows.writeTo(w)
	return masked
}

// certRows are the rows of one certificate in `cert show`: "  label:"
// then the value, the values aligned in one column two spaces after the
// longest label (counted in characters), exactly as text/tabwriter (minimum
// width 0, padding 2, spaces) laid them out before — without its
// per-byte cell scanning and a fmt.Fprintf per row (a quarter of `cert
// show` over the accredited-CA bundle). Labels come from the catalogue and
// values through termsafe.Line: no tab, newline or 0xff byte that
// tabwriter would have treated specially.
//
// Across certificates it remembers the label cells (one catalogue lookup
// per field, not per certificate) and the printed names: a name is a
// function of its DER, and in a bundle the same issuers come back hundreds
// of times.
type certRows struct {
	cells, rests []string
	buf          []byte
	labels       map[string]string // catalogue key → "  label:"
	names        [2]map[string]string
}

func (r *certRows) reset() {
	r.cells, r.rests = r.cells[:0], r.rests[:0]
}

// label is the cell "  label:" of a catalogue key.
func (r *certRows) label(a *App, key string) string {
	if c, ok := r.labels[key]; ok {
		return c
	}
	if r.labels == nil {
		r.labels = make(map[string]string)
	}
	c := "  " + a.T(key) + ":"
	r.labels[key] = c
	return c
}

// name is n.MaskedString(show), remembered by the name's DER (a name
// without one, built rather than parsed, is formatted every time).
func (r *certRows) name(n pki.Name, show bool) string {
	if len(n.Raw) == 0 {
		return n.MaskedString(show)
	}
	i := 0
	if show {
		i = 1
	}
	if s, ok := r.names[i][string(n.Raw)]; ok {
		return s
	}
	if r.names[i] == nil {
		r.names[i] = make(map[string]string)
	}
	s := n.MaskedString(show)
	r.names[i][string(n.Raw)] = s
	return s
}

// add is a row: a label cell (from label) and its value.
func (r *certRows) add(cell, value string) {
	r.cells = append(r.cells, cell)
	r.rests = append(r.rests, value)
}

// addCont is a continuation row: no label, the value in the value column.
func (r *certRows) addCont(value string) {
	r.cells = append(r.cells, "  ")
	r.rests = append(r.rests, value)
}

// writeTo writes the rows, aligned, in one Write.
func (r *certRows) writeTo(w io.Writer) error {
	width := 0
	for _, c := range r.cells {
		if n := utf8.RuneCountInString(c); n > width {
			width = n
		}
	}
	width += 2
	b := r.buf[:0]
	for i, c := range r.cells {
		b = append(b, c...)
		for n := utf8.RuneCountInString(c); n < width; n++ {
			b = append(b, ' ')
		}
		b = append(b, r.rests[i]...)
		b = append(b, '\n')
	}
	r.buf = b
	_, err := w.Write(b)
	return err
}

// certOIDName is "name (OID)" in lang, or the bare OID.
func certOIDName(lang i18n.Lang, oid string) string {
	if oid == "" {
		return "—"
	}
	ru, en, ok := pki.OIDName(oid)
	if !ok {
		return oid
	}
	if lang == i18n.RU {
		return ru + " (" + oid + ")"
	}
	return en + " (" + oid + ")"
}

// certVerifyJSON is the stable JSON of `cert verify --format json`.
type certVerifyJSON struct {
	Status  string           `json:"status"`
	Chain   []certLinkJSON   `json:"chain"`
	Missing *certMissingJSON `json:"missing"`
	Reason  string           `json:"reason"`
	// Revocation is set with --revocation: the status of each certificate
	// of the chain that has an issuer.
	Revocation []certRevocationJSON `json:"revocation,omitempty"`
}

type certLinkJSON struct {
	Subject        string `json:"subject"`
	Issuer         string `json:"issuer"`
	SHA1           string `json:"sha1"`
	NotBefore      string `json:"not_before"`
	NotAfter       string `json:"not_after"`
	SignatureValid bool   `json:"signature_valid"`
}

type certMissingJSON struct {
	Issuer    string   `json:"issuer"`
	AKI       string   `json:"aki"`
	CAIssuers []string `json:"ca_issuers"`
}

func newCertVerifyCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify LEAF | verify --all BUNDLE",
		Short: a.T("cert.verify.short"),
		Long:  a.T("cert.verify.long"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, _ := cmd.Flags().GetString("format")
			if format != "text" && format != "json" {
				return a.UsageError("cli.error.format", format, "text, json")
			}
			at := time.Now()
			if a.Clock != nil {
				at = a.Clock()
			}
			// --at, GMU_DOCTOR_AT or the config's at: a date or an RFC 3339
			// time, as for check.
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			if !cfg.At.IsZero() {
				at = cfg.At
			}
			if all, _ := cmd.Flags().GetBool("all"); all {
				return a.certVerifyAll(cmd, args[0], format, at, cfg.ShowPersonal)
			}
			leafCerts, err := a.certReadFile(args[0])
			if err != nil {
				return err
			}
			// A file with several certificates (a .p7b, a PEM bundle) holds
			// the leaf in no fixed place: it is the one that issued none of
			// the others; the rest are offered as intermediates.
			li := pickLeaf(leafCerts)
			leaf := leafCerts[li]
			ints := pki.NewPool()
			for i, c := range leafCerts {
				if i != li {
					ints.Add(c)
				}
			}
			cas, err := a.certFlagFiles(cmd, "ca")
			if err != nil {
				return err
			}
			for _, c := range cas {
				ints.Add(c)
			}
			rootCerts, err := a.certFlagFiles(cmd, "root")
			if err != nil {
				return err
			}
			roots := pki.NewPool(rootCerts...)
			// The search is bounded (pki.MaxCandidates, MaxSignatureChecks);
			// the timeout (--timeout or the config's, else
			// certVerifyTimeout) is the last guard.
			timeout := cfg.Timeout
			if timeout <= 0 {
				timeout = certVerifyTimeout
			}
			done := make(chan *pki.ChainResult, 1)
			// Read the verifier here, not in the goroutine: after a timeout
			// the goroutine runs on, abandoned, while the caller may
			// already be gone (a test restoring its hook).
			verify := verifyChain
			go func() { done <- verify(leaf, pki.VerifyOptions{Intermediates: ints, Roots: roots, At: at}) }()
			var res *pki.ChainResult
			select {
			case res = <-done:
			case <-time.After(timeout):
				return a.Fail("cert.error.timeout", args[0], timeout.String())
			}
			problem, fix := certReason(cfg.Lang, res, at)
			var rev []*revocation.Status
			var revFacts host.Facts
			withRev, _ := cmd.Flags().GetBool("revocation")
			if withRev {
				if rev, revFacts, err = a.certRevocation(cmd.Context(), cfg, res, at); err != nil {
					return err
				}
			}
			if format == "json" {
				view := certVerifyView(res, problem, cfg.ShowPersonal)
				view.Revocation = certRevocationView(rev, cfg.ShowPersonal)
				if withRev && view.Revocation == nil {
					view.Revocation = []certRevocationJSON{}
				}
				err = report.WriteJSON(a.Stdout, view)
			} else {
				// One write instead of one per line; write errors are
				// not reported, as before.
				_ = buffered(a.Stdout, func(out io.Writer) error {
					a.certVerifyText(out, res, problem, fix, at, cfg.ShowPersonal)
					if withRev {
						a.certRevocationText(out, rev, revFacts, cfg)
					}
					return nil
				})
			}
			if err != nil {
				return err
			}
			if res.Verdict != pki.Valid || !revocationOK(rev, withRev) {
				return &ExitError{Code: 1}
			}
			return nil
		},
	}
	addHelpFlag(a, cmd)
	fl := cmd.Flags()
	fl.Bool("all", false, a.T("cert.flag.all"))
	fl.StringSlice("ca", nil, a.T("cert.flag.ca"))
	fl.StringSlice("root", nil, a.T("cert.flag.root"))
	fl.String("at", "", a.T("cert.flag.at"))
	fl.String("format", "text", a.T("cli.flag.format-list"))
	fl.Bool("show-personal", false, a.T("cli.flag.show-personal"))
	fl.Bool("revocation", false, a.T("cert.flag.revocation"))
	addNetFlags(a, cmd)
	fl.Duration("timeout", 0, a.T("cli.flag.timeout"))
	return cmd
}

// certVerifyTimeout bounds `cert verify` when no --timeout is given.
const certVerifyTimeout = 30 * time.Second

// verifyChain is pki.Verify; tests replace it with a slow one.
var verifyChain = pki.Verify

func certVerifyView(res *pki.ChainResult, reason string, showPersonal bool) certVerifyJSON {
	out := certVerifyJSON{Status: string(res.Verdict), Chain: []certLinkJSON{}, Reason: reason}
	for _, l := range res.Chain {
		c := l.Cert
		out.Chain = append(out.Chain, certLinkJSON{
			Subject:        c.Subject.MaskedString(showPersonal),
			Issuer:         c.Issuer.MaskedString(showPersonal),
			SHA1:           c.SHA1,
			NotBefore:      c.NotBefore.UTC().Format(time.RFC3339),
			NotAfter:       c.NotAfter.UTC().Format(time.RFC3339),
			SignatureValid: l.SignatureValid,
		})
	}
	if m := res.Missing; m != nil {
		out.Missing = &certMissingJSON{Issuer: m.IssuerDN, AKI: m.AKI, CAIssuers: append([]string{}, m.CAIssuers...)}
	}
	return out
}

func (a *App) certVerifyText(out io.Writer, res *pki.ChainResult, problem, fix string, at time.Time, showPersonal bool) {
	// Every line quotes names from the certificates: no control or bidi
	// character reaches the terminal.
	w := termsafe.NewWriter(out)
	defer w.Flush()
	fmt.Fprintln(w, a.T("cert.verify.status", a.T("cert.verdict."+string(res.Verdict))))
	fmt.Fprintln(w, "  "+problem)
	if fix != "" {
		fmt.Fprintln(w, "  "+a.T("cert.verify.fix", fix))
	}
	fmt.Fprintln(w, a.T("cert.verify.at", at.UTC().Format(certTimeLayout)))
	fmt.Fprintln(w, a.T("cert.verify.chain"))
	for i, l := range res.Chain {
		c := l.Cert
		fmt.Fprintln(w, "  "+a.T("cert.verify.link", i, c.DisplayName(), c.SHA1,
			c.NotBefore.Format(certTimeLayout), c.NotAfter.Format(certTimeLayout)))
		sig := a.T("cert.verify.sig-ok")
		switch {
		case l.SignatureValid:
		case l.SignatureError != "":
			sig = a.T("cert.verify.sig-bad") + ": " + l.SignatureError
		default:
			sig = a.T("cert.verify.sig-none")
		}
		if i == res.ProblemIndex {
			sig += "; " + a.T("cert.verify.problem-here")
		}
		fmt.Fprintln(w, "     "+sig)
	}
	if m := res.Missing; m != nil {
		fmt.Fprintln(w, a.T("cert.verify.missing", m.IssuerDN))
		if m.AKI != "" {
			fmt.Fprintln(w, "  "+a.T("cert.verify.missing-aki", m.AKI))
		}
		for _, u := range m.CAIssuers {
			fmt.Fprintln(w, "  "+a.T("cert.verify.missing-url", u))
		}
	}
}

// pickLeaf returns the index of the end-entity certificate among the
// certificates of one file: the one that issued none of the others,
// preferring a non-CA; the first when every one issued another (a cycle
// of cross-certificates) or the file holds one.
func pickLeaf(certs []*pki.Certificate) int {
	best := -1
	for i, c := range certs {
		issuedOther := false
		for j, d := range certs {
			if i != j && bytes.Equal(d.RawIssuer, c.RawSubject) &&
				(len(d.AuthorityKeyID) == 0 || len(c.SubjectKeyID) == 0 || bytes.Equal(d.AuthorityKeyID, c.SubjectKeyID)) {
				issuedOther = true
				break
			}
		}
		if issuedOther {
			continue
		}
		if !c.IsCA {
			return i
		}
		if best < 0 {
			best = i
		}
	}
	if best < 0 {
		return 0
	}
	return best
}

// certReason renders the verdict's reason and fix in lang from the
// problem code and the certificates of the chain.
func certReason(lang i18n.Lang, res *pki.ChainResult, at time.Time) (problem, fix string) {
	p, f, ok := chainmsg.Problem(res, at, chainmsg.Style{})
	if !ok {
		if res.Verdict == pki.Valid && len(res.Chain) > 0 {
			last := res.Chain[len(res.Chain)-1].Cert
			return i18n.T("cert.problem.valid", len(res.Chain), last.DisplayName()).In(lang), ""
		}
		return res.Reason, ""
	}
	return p.In(lang), f.In(lang)
}

// certReadFile reads the certificates of one file; an unreadable file or
// one without a certificate is an exit-2 error.
func (a *App) certReadFile(path string) ([]*pki.Certificate, error) {
	data, err := safefile.ReadFile(path, safefile.CertLimit)
	if err != nil {
		return nil, a.Fail("cert.error.read", path, err.Error())
	}
	certs, err := pki.Parse(data)
	if err != nil {
		return nil, a.Fail("cert.error.parse", path, err.Error())
	}
	return certs, nil
}

// certFlagFiles reads the certificates of every path given with a flag
// (--ca, --root), in order: see certReadPath.
func (a *App) certFlagFiles(cmd *cobra.Command, flag string) ([]*pki.Certificate, error) {
	var out []*pki.Certificate
	for _, p := range stringSliceFlag(cmd.Flags(), flag) {
		certs, err := a.certReadPath(p)
		if err != nil {
			return nil, err
		}
		out = append(out, certs...)
	}
	return out, nil
}

// certReadPath reads a file, or every file of a directory (not
// recursively) that holds certificates; other files in a directory
// (keys, READMEs, CRLs) are skipped.
func (a *App) certReadPath(path string) ([]*pki.Certificate, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, a.Fail("cert.error.read", path, err.Error())
	}
	if !st.IsDir() {
		return a.certReadFile(path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, a.Fail("cert.error.read", path, err.Error())
	}
	var out []*pki.Certificate
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := safefile.ReadFile(filepath.Join(path, e.Name()), safefile.CertLimit)
		if err != nil {
			return nil, a.Fail("cert.error.read", filepath.Join(path, e.Name()), err.Error())
		}
		if certs, err := pki.Parse(data); err == nil {
			out = append(out, certs...)
		}
	}
	if len(out) == 0 {
		return nil, a.Fail("cert.error.no-roots", path)
	}
	return out, nil
}
