// Command scalesnap writes the snapshots of the scale benchmark
// (scripts/bench-scale.sh): a Windows 10 workstation (the fixture
// testdata/workstations/windows10-healthy.json) whose LocalMachine\CA store
// holds N accredited-CA certificates, plus 10 personal certificates in
// the personal stores (the real leaf certificates of testdata/certs/realworld
// in CurrentUser\My, repeated in LocalMachine\My to make ten).
//
// Up to 2,403 the CA certificates are the real ones of the bundle, in its
// order. Beyond that, distinct certificates are derived deterministically:
// copy k of certificate i has the last byte of its signature and of its
// subject key identifier XOR-ed with k, so its DER and thumbprint differ,
// it still parses, and (its key identifier no longer matching anything) it
// never sits on a real chain. Its signature is no longer valid; nothing in
// a check run verifies it.
//
// Usage: go run ./scripts/scalesnap -n 2403 -bundle testdata/certs/accredited-ca-bundle.pem.gz -o out.json
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

func main() {
	n := flag.Int("n", 2403, "number of CA certificates in LocalMachine\\CA")
	bundle := flag.String("bundle", "testdata/certs/accredited-ca-bundle.pem.gz", "the accredited-CA bundle (PEM, optionally gzip-compressed)")
	base := flag.String("base", "testdata/workstations/windows10-healthy.json", "the workstation snapshot to add the certificates to")
	leaves := flag.String("leaves", "testdata/certs/realworld", "directory of personal certificates (ee-*.der)")
	out := flag.String("o", "", "output file (default: stdout)")
	flag.Parse()
	if err := run(*n, *bundle, *base, *leaves, *out); err != nil {
		fmt.Fprintln(os.Stderr, "scalesnap:", err)
		os.Exit(1)
	}
}

func run(n int, bundle, base, leaves, out string) error {
	if n < 0 || n > 100000 {
		return fmt.Errorf("-n %d: want 0 to 100000", n)
	}
	cas, err := readBundle(bundle)
	if err != nil {
		return err
	}
	snap, err := host.LoadSnapshotFile(base)
	if err != nil {
		return err
	}
	personal, err := readLeaves(leaves)
	if err != nil {
		return err
	}
	var cuMy, lmMy *host.SnapStore
	for i := range snap.CertStores {
		st := &snap.CertStores[i]
		switch {
		case st.Location == host.LocalMachine && st.Store == host.StoreCA:
			// N certificates more, distinct from each other and from those
			// the fixture already holds there.
			have := map[string]bool{}
			for _, c := range st.Certificates {
				have[c.SHA1] = true
			}
			added := 0
			for _, d := range Derive(cas, n+len(have)) {
				if sha := host.Thumbprint(d); added < n && !have[sha] {
					have[sha] = true
					st.Certificates = append(st.Certificates, host.Certificate{SHA1: sha, DER: d})
					added++
				}
			}
		case st.Location == host.CurrentUser && st.Store == host.StoreMy:
			cuMy = st
		case st.Location == host.LocalMachine && st.Store == host.StoreMy:
			lmMy = st
		}
	}
	if cuMy == nil || lmMy == nil {
		return fmt.Errorf("%s: no CurrentUser\\My or LocalMachine\\My store", base)
	}
	// Ten personal certificates: the distinct leaves in CurrentUser\My,
	// the rest repeated in LocalMachine\My.
	for _, d := range personal {
		if !has(cuMy.Certificates, d) {
			cuMy.Certificates = append(cuMy.Certificates, host.Certificate{SHA1: host.Thumbprint(d), DER: d})
		}
	}
	for i := 0; len(cuMy.Certificates)+len(lmMy.Certificates) < 10; i++ {
		d := personal[i%len(personal)]
		lmMy.Certificates = append(lmMy.Certificates, host.Certificate{SHA1: host.Thumbprint(d), DER: d})
	}
	var buf bytes.Buffer
	if err := host.WriteSnapshot(&buf, snap); err != nil {
		return err
	}
	if out == "" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func has(list []host.Certificate, der []byte) bool {
	for _, c := range list {
		if bytes.Equal(c.DER, der) {
			return true
		}
	}
	return false
}

func readBundle(path string) ([]*pki.Certificate, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, err
	}
	return pki.Parse(data)
}

func readLeaves(dir string) ([][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "ee-*.der"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no ee-*.der certificates in %s", dir)
	}
	return out, nil
}

// Derive returns n distinct DER certificates: the bundle's, then derived
// copies (see the package comment).
func Derive(cas []*pki.Certificate, n int) [][]byte {
	out := make([][]byte, 0, n)
	for k := 0; len(out) < n; k++ {
		for _, c := range cas {
			if len(out) == n {
				break
			}
			if k == 0 {
				out = append(out, c.Raw)
				continue
			}
			out = append(out, derive(c, byte(k)))
		}
		if len(cas) == 0 || k > 255 {
			break
		}
	}
	return out
}

func derive(c *pki.Certificate, k byte) []byte {
	d := append([]byte(nil), c.Raw...)
	// The last byte of the DER is the last byte of the signature: the copy
	// is distinct whatever else the certificate holds.
	d[len(d)-1] ^= k
	if len(c.SubjectKeyID) > 0 {
		if i := bytes.Index(d, c.SubjectKeyID); i >= 0 {
			d[i+len(c.SubjectKeyID)-1] ^= k
		}
	}
	return d
}
