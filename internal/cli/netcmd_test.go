package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestNetAllowlist: the sites' addresses plus the CRL and AIA hosts of the
// personal certificate's chain (the Treasury CA is missing on this
// workstation: its caIssuers address is needed too).
func TestNetAllowlist(t *testing.T) {
	cleanEnv(t)
	snap := workstation(t, "certs-missing-treasury-ca-windows.json")
	r := runCLI(t, "net", "allowlist", "--snapshot", snap, "--site", "fzs", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[0]+":"+row[1]] = row[2]
	}
	if got["lk-fzs.roskazna.ru:443"] != "site" {
		t.Errorf("no fzs site row: %v", got)
	}
	crl := false
	for k, v := range got {
		if strings.Contains(v, "crl") && strings.HasSuffix(k, ":80") {
			crl = true
		}
	}
	if !crl {
		t.Errorf("no CRL host on port 80: %v", got)
	}
	if _, ok := got["bus.gov.ru:443"]; ok {
		t.Error("--site fzs listed bus.gov.ru")
	}

	r = runCLI(t, "net", "allowlist", "--snapshot", snap, "--format", "json")
	var doc struct {
		Entries []struct {
			Host     string   `json:"host"`
			Port     int      `json:"port"`
			Purposes []string `json:"purposes"`
			URLs     []string `json:"urls"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != 0 {
		t.Fatalf("json: %v %d\n%s", err, r.code, r.stdout)
	}
	sites := 0
	for _, e := range doc.Entries {
		if len(e.URLs) == 0 || e.Port == 0 {
			t.Errorf("entry without URL or port: %+v", e)
		}
		for _, p := range e.Purposes {
			if p == "site" {
				sites++
			}
		}
	}
	if sites < 5 {
		t.Errorf("%d site entries for all sites, want every endpoint", sites)
	}
	r = runCLI(t, "net", "allowlist", "--snapshot", snap, "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "Addresses to allow") || !strings.Contains(r.stdout, "CRL (CDP)") {
		t.Errorf("text: %d\n%s", r.code, r.stdout)
	}
	if r := runCLI(t, "net", "allowlist", "--format", "yaml"); r.code != 2 {
		t.Errorf("bad format: exit %d", r.code)
	}
}
