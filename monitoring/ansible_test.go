package monitoring_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// TestAnsiblePlaybook runs the shipped playbook with ansible-playbook
// against localhost (connection local) as a Linux workstation: collect
// runs on a fixture tree (--root, as on a mounted disk), the snapshot is
// fetched, and report builds the fleet page and JSON on the control node.
func TestAnsiblePlaybook(t *testing.T) {
	playbookBin := testutil.RequireTool(t, "ansible-playbook", "Debian package ansible")
	bin := gmuDoctor(t)
	dir := t.TempDir()
	fleetDir := filepath.Join(dir, "fleet")
	inv := filepath.Join(dir, "inventory.ini")
	if err := os.WriteFile(inv, []byte("[windows_workstations]\n\n[linux_workstations]\nlocalhost ansible_connection=local\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tree := filepath.Join(repoRoot(), "testdata", "linux", "astra-csp5-ru", "root")
	extra, _ := json.Marshal(map[string]any{
		"gmu_doctor":                 bin,
		"gmu_doctor_local":           bin,
		"gmu_doctor_collect_args":    []string{"--root", tree, "--user", "ivanov"},
		"gmu_doctor_fleet_dir":       fleetDir,
		"gmu_doctor_lang":            "en",
		"ansible_python_interpreter": "/usr/bin/python3",
	})
	cmd := exec.Command(playbookBin, "-i", inv, "-e", string(extra), filepath.Join(repoRoot(), "monitoring", "ansible", "gmu-doctor-fleet.yml"))
	home := filepath.Join(dir, "home")
	cmd.Env = append(isolatedEnv(t), "HOME="+home, "ANSIBLE_LOCAL_TEMP="+filepath.Join(dir, "ansible-local"),
		"ANSIBLE_REMOTE_TEMP="+filepath.Join(dir, "ansible-remote"), "ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0",
		"ANSIBLE_COLLECTIONS_PATH=/usr/lib/python3/dist-packages/ansible_collections", "ANSIBLE_CONFIG="+filepath.Join(dir, "none.cfg"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ansible-playbook: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "failed=0") || !strings.Contains(string(out), "localhost") {
		t.Fatalf("playbook recap:\n%s", out)
	}
	snap, err := host.LoadSnapshotFile(filepath.Join(fleetDir, "localhost.json"))
	if err != nil {
		t.Fatalf("fetched snapshot: %v\n%s", err, out)
	}
	if snap.Facts.OS != "linux" || snap.Facts.User != "ivanov" {
		t.Errorf("snapshot facts %+v", snap.Facts)
	}
	var fleet struct {
		Totals       map[string]int `json:"totals"`
		Workstations []struct {
			Name, Input, Status string
		} `json:"workstations"`
	}
	b, err := os.ReadFile(filepath.Join(fleetDir, "fleet.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fleet); err != nil {
		t.Fatal(err)
	}
	if fleet.Totals["total"] != 1 || len(fleet.Workstations) != 1 || fleet.Workstations[0].Input != "snapshot" ||
		fleet.Workstations[0].Name != snap.Facts.Hostname {
		t.Errorf("fleet.json: %s", b)
	}
	page, err := os.ReadFile(filepath.Join(fleetDir, "fleet.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), snap.Facts.Hostname) || !strings.Contains(string(page), "<!DOCTYPE html>") {
		t.Errorf("fleet.html does not show %s", snap.Facts.Hostname)
	}
}
