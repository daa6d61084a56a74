package monitoring_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// zabbixGet asks a passive agent for one item over the Zabbix protocol
// ("ZBXD" 0x01, little-endian data length, reserved; the same header on the
// reply), as the server or zabbix_get do.
func zabbixGet(addr, key string) (string, error) {
	conn, err := testutil.DialLoopback(addr, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(40 * time.Second))
	req := make([]byte, 13, 13+len(key))
	copy(req, "ZBXD\x01")
	binary.LittleEndian.PutUint32(req[5:], uint32(len(key)))
	if _, err := conn.Write(append(req, key...)); err != nil {
		return "", err
	}
	resp, err := io.ReadAll(io.LimitReader(conn, 16<<20))
	if err != nil {
		return "", err
	}
	if len(resp) < 13 || string(resp[:4]) != "ZBXD" {
		return "", fmt.Errorf("reply without ZBXD header: %q", resp)
	}
	n := binary.LittleEndian.Uint32(resp[5:9])
	data := resp[13:]
	if uint32(len(data)) != n {
		return "", fmt.Errorf("reply length %d, header says %d", len(data), n)
	}
	if bytes.HasPrefix(data, []byte("ZBX_NOTSUPPORTED\x00")) {
		return "", fmt.Errorf("ZBX_NOTSUPPORTED: %s", data[len("ZBX_NOTSUPPORTED\x00"):])
	}
	return string(data), nil
}

// startAgent runs zabbix_agentd in the foreground on a free loopback port
// with a temporary config that includes userParams, and stops it when the
// test ends.
func startAgent(t *testing.T, agentd, userParams string) string {
	t.Helper()
	dir := t.TempDir()
	// ListenPort must be 1024..32767: take a free one from the upper part.
	port := 0
	for i := 0; i < 200 && port == 0; i++ {
		p := 20000 + rand.Intn(12000)
		if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p)); err == nil {
			l.Close()
			port = p
		}
	}
	if port == 0 {
		t.Fatal("no free loopback port in 20000..31999")
	}
	inc := filepath.Join(dir, "userparams.conf")
	if err := os.WriteFile(inc, []byte(userParams), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := strings.Join([]string{
		"LogType=console",
		"DebugLevel=3",
		"PidFile=" + filepath.Join(dir, "zabbix_agentd.pid"),
		"Server=127.0.0.1",
		"ListenIP=127.0.0.1",
		"ListenPort=" + strconv.Itoa(port),
		"StartAgents=2",
		"Hostname=gmu-doctor-test",
		"AllowRoot=1",
		"Timeout=30",
		"Include=" + inc,
		"",
	}, "\n")
	cfg := filepath.Join(dir, "zabbix_agentd.conf")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cmd := exec.Command(agentd, "-f", "-c", cfg)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("zabbix_agentd log:\n%s", log.String())
		}
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if v, err := zabbixGet(addr, "agent.ping"); err == nil && v == "1" {
			return addr
		}
		select {
		case <-exited:
			t.Fatalf("zabbix_agentd exited:\n%s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("zabbix_agentd does not answer on %s:\n%s", addr, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// userParameters returns the active and the commented-out (alternative)
// UserParameter lines of a shipped agent config: key → command.
func userParameters(t *testing.T, file string) (active, alternative map[string]string) {
	t.Helper()
	active, alternative = map[string]string{}, map[string]string{}
	for _, line := range strings.Split(shipped(t, "zabbix", file), "\n") {
		target := active
		if strings.HasPrefix(line, "# UserParameter=") {
			target, line = alternative, strings.TrimPrefix(line, "# ")
		}
		if !strings.HasPrefix(line, "UserParameter=") {
			continue
		}
		kv := strings.SplitN(strings.TrimPrefix(line, "UserParameter="), ",", 2)
		if len(kv) != 2 {
			t.Fatalf("%s: malformed %q", file, line)
		}
		target[kv[0]] = kv[1]
	}
	return active, alternative
}

// zabbixItem is an item or an item prototype with its LLD macros expanded.
type zabbixItem struct {
	key, valueType, valuemap string
	steps                    []obj
}

func asItem(it obj, macros map[string]string) zabbixItem {
	expand := func(s string) string {
		for k, v := range macros {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	z := zabbixItem{key: expand(str(it, "key")), valueType: str(it, "value_type")}
	if z.valueType == "" {
		z.valueType = "UNSIGNED" // the schema default
	}
	if vm, ok := it["valuemap"].(obj); ok {
		z.valuemap = str(vm, "name")
	}
	for _, s := range list(it["preprocessing"]) {
		st := obj{}
		for k, v := range s {
			st[k] = v
		}
		var params []any
		for _, p := range s["parameters"].([]any) {
			params = append(params, expand(fmt.Sprint(p)))
		}
		st["parameters"] = params
		z.steps = append(z.steps, st)
	}
	return z
}

var errDiscarded = errors.New("value discarded")

// preprocess runs the steps the way the Zabbix server does for the subset
// the template uses (JSONPATH, STR_REPLACE, IN_RANGE,
// DISCARD_UNCHANGED_HEARTBEAT on a single value) with the error handlers.
func preprocess(value string, steps []obj) (string, error) {
	for i, s := range steps {
		params := s["parameters"].([]any)
		p := func(n int) string { return fmt.Sprint(params[n]) }
		var err error
		switch str(s, "type") {
		case "JSONPATH":
			value, err = evalJSONPath([]byte(value), p(0))
		case "STR_REPLACE":
			value = strings.ReplaceAll(value, p(0), p(1))
		case "IN_RANGE":
			v, perr := strconv.ParseFloat(value, 64)
			lo, _ := strconv.ParseFloat(p(0), 64)
			hi, _ := strconv.ParseFloat(p(1), 64)
			if perr != nil || v < lo || v > hi {
				err = fmt.Errorf("%q is not in range %s..%s", value, p(0), p(1))
			}
		case "DISCARD_UNCHANGED_HEARTBEAT":
		default:
			return "", fmt.Errorf("step %d: %s is not evaluated by this test", i, str(s, "type"))
		}
		if err != nil {
			switch str(s, "error_handler") {
			case "DISCARD_VALUE":
				return "", errDiscarded
			case "CUSTOM_VALUE":
				value = str(s, "error_handler_params")
			default:
				return "", fmt.Errorf("step %d (%s): %v", i, str(s, "type"), err)
			}
		}
	}
	return value, nil
}

// checkValue checks a preprocessed value against the item's type and
// value map, as the server would when storing it.
func checkValue(z zabbixItem, v string, valuemaps map[string]map[string]bool) error {
	switch z.valueType {
	case "UNSIGNED":
		if _, err := strconv.ParseUint(v, 10, 64); err != nil {
			return fmt.Errorf("%q is not numeric (unsigned)", v)
		}
	case "FLOAT":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%q is not numeric (float)", v)
		}
	case "CHAR":
		if len([]rune(v)) > 255 {
			return fmt.Errorf("%d characters, more than a CHAR item holds", len([]rune(v)))
		}
	}
	if z.valuemap != "" && !valuemaps[z.valuemap][v] {
		return fmt.Errorf("value %q has no entry in value map %q", v, z.valuemap)
	}
	return nil
}

// templateValues evaluates every dependent item and discovery rule of the
// template on master (the JSON report the agent returned) and returns the
// item values by key, failing the test on any value the template could not
// store.
func templateValues(t *testing.T, master string) map[string]string {
	t.Helper()
	_, tpl := loadTemplate(t)
	valuemaps := map[string]map[string]bool{}
	for _, vm := range list(tpl["valuemaps"]) {
		vals := map[string]bool{}
		for _, mp := range list(vm["mappings"]) {
			vals[str(mp, "value")] = true
		}
		valuemaps[str(vm, "name")] = vals
	}
	values := map[string]string{}
	eval := func(z zabbixItem) {
		v, err := preprocess(master, z.steps)
		if errors.Is(err, errDiscarded) {
			return
		}
		if err == nil {
			err = checkValue(z, v, valuemaps)
		}
		if err != nil {
			t.Errorf("item %s: %v", z.key, err)
			return
		}
		if _, dup := values[z.key]; dup {
			t.Errorf("item key %s discovered twice", z.key)
		}
		values[z.key] = v
	}
	for _, it := range list(tpl["items"]) {
		if str(it, "type") == "DEPENDENT" {
			eval(asItem(it, nil))
		}
	}
	for _, rule := range list(tpl["discovery_rules"]) {
		lld, err := preprocess(master, asItem(rule, nil).steps)
		if err != nil {
			t.Errorf("discovery %s: %v", str(rule, "key"), err)
			continue
		}
		var rows []json.RawMessage
		if err := json.Unmarshal([]byte(lld), &rows); err != nil {
			t.Errorf("discovery %s: the LLD value is not a JSON array: %v", str(rule, "key"), err)
			continue
		}
		var conds []obj
		if f, ok := rule["filter"].(obj); ok {
			conds = list(f["conditions"])
		}
		n := 0
	rows:
		for _, row := range rows {
			macros := map[string]string{}
			for _, mp := range list(rule["lld_macro_paths"]) {
				if v, err := evalJSONPath(row, str(mp, "path")); err == nil {
					macros[str(mp, "lld_macro")] = v
				}
			}
			for _, c := range conds {
				if !regexp.MustCompile(str(c, "value")).MatchString(macros[str(c, "macro")]) {
					continue rows
				}
			}
			n++
			for _, p := range list(rule["item_prototypes"]) {
				z := asItem(p, macros)
				if strings.Contains(z.key, "{#") {
					t.Errorf("discovery %s: macro left in key %s (row %s)", str(rule, "key"), z.key, row)
					continue
				}
				eval(z)
			}
		}
		values["lld:"+str(rule, "key")] = strconv.Itoa(n)
	}
	return values
}

// expectFromReport derives what the template must show from the report
// itself, independently of the template's JSONPaths.
func expectFromReport(t *testing.T, report string) map[string]string {
	t.Helper()
	var doc struct {
		ToolVersion string `json:"tool_version"`
		Host        struct {
			Hostname string `json:"hostname"`
		} `json:"host"`
		Checks []struct {
			ID      string `json:"id"`
			Status  string `json:"status"`
			Metrics []struct {
				Name   string            `json:"name"`
				Labels map[string]string `json:"labels"`
				Value  float64           `json:"value"`
			} `json:"metrics"`
		} `json:"checks"`
		Counts   map[string]int `json:"counts"`
		ExitCode int            `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(report), &doc); err != nil {
		t.Fatalf("report: %v", err)
	}
	codes := map[string]string{"ok": "0", "warn": "1", "fail": "2", "error": "3", "skipped": "4"}
	want := map[string]string{
		"gmu.doctor.exit_code":            strconv.Itoa(doc.ExitCode),
		"gmu.doctor.checks.fail":          strconv.Itoa(doc.Counts["fail"]),
		"gmu.doctor.checks.warn":          strconv.Itoa(doc.Counts["warn"]),
		"gmu.doctor.checks.error":         strconv.Itoa(doc.Counts["error"]),
		"gmu.doctor.hostname":             doc.Host.Hostname,
		"gmu.doctor.version":              doc.ToolVersion,
		"lld:gmu.doctor.checks.discovery": strconv.Itoa(len(doc.Checks)),
	}
	var failed []string
	certs, roots := map[string]bool{}, 0
	for _, c := range doc.Checks {
		want["gmu.doctor.check.status["+c.ID+"]"] = codes[c.Status]
		if c.Status == "fail" {
			failed = append(failed, strconv.Quote(c.ID))
		}
		for _, m := range c.Metrics {
			v := strconv.FormatFloat(m.Value, 'f', -1, 64)
			switch m.Name {
			case "cert_days_left":
				certs[m.Labels["sha1"]] = true
				want["gmu.doctor.cert.days["+m.Labels["sha1"]+"]"] = v
			case "private_key_days_left":
				want["gmu.doctor.key.days["+m.Labels["sha1"]+"]"] = v
			case "root_days_left":
				roots++
				want["gmu.doctor.root.days["+m.Labels["sha1"]+"]"] = v
			case "license_days_left":
				want["gmu.doctor.license.days"] = v
			}
		}
	}
	want["gmu.doctor.checks.failed"] = "[" + strings.Join(failed, ",") + "]"
	want["lld:gmu.doctor.certs.discovery"] = strconv.Itoa(len(certs))
	want["lld:gmu.doctor.roots.discovery"] = strconv.Itoa(roots)
	return want
}

// TestZabbixAgentWithTemplate runs the real zabbix_agentd with the shipped
// UserParameters — both ways: the agent reading the file the shipped cron
// line writes, and the agent running gmu-doctor itself — queries every
// agent item key of the template over the agent protocol for every fixture
// snapshot, and checks that the template's preprocessing (the LLD JSON, the
// values its JSONPath steps select, the value maps) gives what the report
// says.
func TestZabbixAgentWithTemplate(t *testing.T) {
	agentd := testutil.RequireTool(t, "zabbix_agentd", "Debian package zabbix-agent")
	bin := gmuDoctor(t)
	dir := t.TempDir()
	current := filepath.Join(dir, "current.json") // the snapshot "collected" on this workstation
	reportDir := filepath.Join(dir, "var-lib-gmu-doctor")
	if err := os.Mkdir(reportDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// gmu-doctor itself runs with a clean environment, as under cron.
	wrapper := filepath.Join(dir, "gmu-doctor")
	script := "#!/bin/sh\nexec env -i PATH=/usr/bin:/bin HOME=" + dir + " LANG=C.UTF-8 " + bin + " \"$@\" --snapshot " + current + "\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	local := func(s string) string {
		return strings.NewReplacer("/usr/bin/gmu-doctor", wrapper, "/var/lib/gmu-doctor/", reportDir+"/").Replace(s)
	}

	active, alternative := userParameters(t, "userparameter_gmu_doctor_linux.conf")
	if !strings.HasPrefix(active["gmu.doctor.report"], "cat /var/lib/gmu-doctor/") {
		t.Fatalf("the active way should read the scheduled report: %q", active["gmu.doctor.report"])
	}
	if !strings.HasPrefix(alternative["gmu.doctor.report"], "/usr/bin/gmu-doctor check --format json") {
		t.Fatalf("the alternative way should run gmu-doctor: %q", alternative["gmu.doctor.report"])
	}
	cronLine := ""
	for _, l := range strings.Split(shipped(t, "zabbix", "gmu-doctor.cron"), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			cronLine = l
		}
	}
	fields := strings.Fields(cronLine)
	if len(fields) < 7 {
		t.Fatalf("cron line %q", cronLine)
	}
	cronCmd := local(strings.Join(fields[6:], " ")) // minute hour dom month dow user command

	fileAgent := startAgent(t, agentd, "UserParameter=gmu.doctor.report,"+local(active["gmu.doctor.report"])+"\n")
	runAgent := startAgent(t, agentd, "UserParameter=gmu.doctor.report,"+local(alternative["gmu.doctor.report"])+"\n")

	_, tpl := loadTemplate(t)
	macros := map[string]string{}
	for _, m := range list(tpl["macros"]) {
		macros[str(m, "macro")] = str(m, "value")
	}
	macros["{$GMU.REPORT.FILE}"] = local(macros["{$GMU.REPORT.FILE}"])
	var agentKeys []string
	for _, it := range list(tpl["items"]) {
		if typ := str(it, "type"); typ == "" || typ == "ZABBIX_PASSIVE" {
			k := str(it, "key")
			for m, v := range macros {
				k = strings.ReplaceAll(k, m, v)
			}
			agentKeys = append(agentKeys, k)
		}
	}
	if len(agentKeys) != 2 {
		t.Fatalf("agent items %v", agentKeys)
	}

	for _, snap := range fixtures(t) {
		snap := snap
		t.Run(filepath.Base(snap), func(t *testing.T) {
			b, err := os.ReadFile(snap)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(current, b, 0o644); err != nil {
				t.Fatal(err)
			}
			// The scheduler's run, exactly as the shipped cron line.
			before := time.Now().Add(-time.Second)
			if out, err := exec.Command("/bin/sh", "-c", cronCmd).CombinedOutput(); err != nil {
				t.Fatalf("cron command %q: %v\n%s", cronCmd, err, out)
			}
			var fromFile string
			for _, key := range agentKeys {
				v, err := zabbixGet(fileAgent, key)
				if err != nil {
					t.Fatalf("agent item %s: %v", key, err)
				}
				if key == "gmu.doctor.report" {
					fromFile = v
					continue
				}
				// vfs.file.time[<report file>,modify]: a recent Unix time.
				ts, err := strconv.ParseInt(v, 10, 64)
				if err != nil || time.Unix(ts, 0).Before(before.Truncate(time.Second)) || time.Unix(ts, 0).After(time.Now().Add(time.Second)) {
					t.Errorf("%s = %q, want the modification time of the report just written", key, v)
				}
			}
			direct, err := zabbixGet(runAgent, "gmu.doctor.report")
			if err != nil {
				t.Fatalf("agent running gmu-doctor: %v", err)
			}
			for way, report := range map[string]string{"scheduled file": fromFile, "agent runs gmu-doctor": direct} {
				got := templateValues(t, report)
				want := expectFromReport(t, report)
				for k, w := range want {
					if got[k] != w {
						t.Errorf("%s: %s = %q, want %q", way, k, got[k], w)
					}
				}
				for k := range got {
					if _, ok := want[k]; !ok {
						t.Errorf("%s: unexpected item %s = %q", way, k, got[k])
					}
				}
				if t.Failed() {
					return
				}
			}
			if a, b := normalise(fromFile), normalise(direct); a != b {
				t.Errorf("the two ways give different reports:\n%s\n---\n%s", a, b)
			}
		})
	}
}

// normalise drops the run-dependent fields (start time, durations) of a
// report.
func normalise(report string) string {
	report = regexp.MustCompile(`"duration_ms": \d+`).ReplaceAllString(report, `"duration_ms": 0`)
	return regexp.MustCompile(`"started_at": "[^"]*"`).ReplaceAllString(report, `"started_at": ""`)
}
