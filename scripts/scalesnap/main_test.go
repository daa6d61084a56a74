package main

import (
	"path/filepath"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

func repo(parts ...string) string { return filepath.Join(append([]string{"..", ".."}, parts...)...) }

// The smoke run of the scale benchmark: a small snapshot is written, loads,
// and holds N distinct CA certificates that all parse.
func TestScaleSnapshot(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.json")
	if err := run(2500, repo("testdata", "certs", "accredited-ca-bundle.pem.gz"), repo("testdata", "workstations", "windows10-healthy.json"), repo("testdata", "certs", "realworld"), out); err != nil {
		t.Fatal(err)
	}
	snap, err := host.LoadSnapshotFile(out)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	personal := 0
	for _, st := range snap.CertStores {
		for _, c := range st.Certificates {
			if st.Store == host.StoreMy {
				personal++
				continue
			}
			if st.Location != host.LocalMachine || st.Store != host.StoreCA {
				continue
			}
			if seen[c.SHA1] {
				t.Fatalf("certificate %s twice in LocalMachine\\CA", c.SHA1)
			}
			seen[c.SHA1] = true
			if _, err := pki.ParseDER(c.DER); err != nil {
				t.Fatalf("%s does not parse: %v", c.SHA1, err)
			}
		}
	}
	if len(seen) != 2500+1 || personal != 10 {
		t.Errorf("%d CA certificates (want 2,500 and the fixture's one), %d personal (want 10)", len(seen), personal)
	}
}
