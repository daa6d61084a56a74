package cli

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// TestCertVerifyBundleLeafAnywhere: in a bundle (.p7b converted to PEM,
// a chain file) the leaf is not always first; cert verify must verify the
// end-entity certificate, not the root that happens to come first.
func TestCertVerifyBundleLeafAnywhere(t *testing.T) {
	cleanEnv(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(realworld(t, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: read(certLeaf2025)})
	for name, parts := range map[string][][]byte{
		"root-first.pem":  {read(certRoot2022), read(certFK2024), leafPEM},
		"leaf-middle.pem": {read(certFK2024), leafPEM, read(certRoot2022)},
		"leaf-first.pem":  {leafPEM, read(certFK2024)},
	} {
		var bundle []byte
		for _, p := range parts {
			bundle = append(bundle, p...)
			bundle = append(bundle, '\n')
		}
		file := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(file, bundle, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "cert", "verify", file, "--root", realworld(t, certRoot2022), certAt, "--format", "json")
		m := decodeCertJSON(t, r.stdout)
		chain, _ := m["chain"].([]any)
		if r.code != 0 || m["status"] != "valid" || len(chain) != 3 {
			t.Errorf("%s: exit %d status %v, %d links\n%s", name, r.code, m["status"], len(chain), r.stderr)
			continue
		}
		if first, _ := chain[0].(map[string]any); first["sha1"] != "E9330312A07663D6DF19B21F6C8F8AAC784C0FDC" {
			t.Errorf("%s: verified %v instead of the leaf", name, first["sha1"])
		}
	}
}
