package monitoring_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The template is read as plain maps: the test checks it against the
// Zabbix 6.0 import schema (ui/include/classes/import/validators/
// C60XmlValidator.php in the Zabbix sources: the keys used here and their
// allowed values) and for internal consistency.

type obj = map[string]any

func loadTemplate(t testing.TB) (export obj, tpl obj) {
	t.Helper()
	var doc obj
	if err := yaml.Unmarshal([]byte(shipped(t, "zabbix", "gmu_doctor_template.yaml")), &doc); err != nil {
		t.Fatalf("template YAML: %v", err)
	}
	export, _ = doc["zabbix_export"].(obj)
	if export == nil {
		t.Fatal("no zabbix_export")
	}
	tpls := list(export["templates"])
	if len(tpls) != 1 {
		t.Fatalf("want one template, got %d", len(tpls))
	}
	return export, tpls[0]
}

func list(v any) []obj {
	var out []obj
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if m, ok := e.(obj); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

func str(m obj, k string) string {
	s, _ := m[k].(string)
	return s
}

// allowed keys per object kind (subset of the 6.0 schema actually used,
// plus their siblings in the schema that a reviewer may add).
var schemaKeys = map[string][]string{
	"export":         {"version", "date", "groups", "templates", "triggers", "graphs", "value_maps"},
	"group":          {"uuid", "name"},
	"template":       {"uuid", "template", "name", "description", "groups", "items", "discovery_rules", "tags", "macros", "valuemaps", "templates", "httptests", "dashboards"},
	"item":           {"uuid", "name", "type", "key", "delay", "history", "trends", "status", "value_type", "units", "params", "description", "inventory_link", "valuemap", "logtimefmt", "preprocessing", "master_item", "timeout", "tags", "triggers", "allowed_hosts"},
	"item_prototype": {"uuid", "name", "type", "key", "delay", "history", "trends", "status", "discover", "value_type", "units", "params", "description", "valuemap", "preprocessing", "master_item", "timeout", "tags", "trigger_prototypes"},
	"discovery_rule": {"uuid", "name", "type", "key", "delay", "status", "filter", "lifetime", "description", "item_prototypes", "trigger_prototypes", "graph_prototypes", "host_prototypes", "master_item", "lld_macro_paths", "preprocessing", "overrides", "timeout"},
	"trigger":        {"uuid", "expression", "recovery_mode", "recovery_expression", "correlation_mode", "correlation_tag", "name", "event_name", "opdata", "url", "status", "discover", "priority", "description", "type", "manual_close", "dependencies", "tags"},
	"step":           {"type", "parameters", "error_handler", "error_handler_params"},
	"macro":          {"macro", "type", "value", "description"},
	"valuemap":       {"uuid", "name", "mappings"},
}

var enums = map[string][]string{
	"type":          {"ZABBIX_PASSIVE", "TRAP", "SIMPLE", "INTERNAL", "ZABBIX_ACTIVE", "EXTERNAL", "ODBC", "IPMI", "SSH", "TELNET", "CALCULATED", "JMX", "SNMP_TRAP", "DEPENDENT", "HTTP_AGENT", "SNMP_AGENT", "SCRIPT"},
	"value_type":    {"FLOAT", "CHAR", "LOG", "UNSIGNED", "TEXT"},
	"priority":      {"NOT_CLASSIFIED", "INFO", "WARNING", "AVERAGE", "HIGH", "DISASTER"},
	"step":          {"MULTIPLIER", "RTRIM", "LTRIM", "TRIM", "REGEX", "BOOL_TO_DECIMAL", "OCTAL_TO_DECIMAL", "HEX_TO_DECIMAL", "SIMPLE_CHANGE", "CHANGE_PER_SECOND", "XMLPATH", "JSONPATH", "IN_RANGE", "MATCHES_REGEX", "NOT_MATCHES_REGEX", "CHECK_JSON_ERROR", "CHECK_XML_ERROR", "CHECK_REGEX_ERROR", "CHECK_NOT_SUPPORTED", "DISCARD_UNCHANGED", "DISCARD_UNCHANGED_HEARTBEAT", "JAVASCRIPT", "PROMETHEUS_PATTERN", "PROMETHEUS_TO_JSON", "CSV_TO_JSON", "STR_REPLACE", "XML_TO_JSON"},
	"step_drule":    {"REGEX", "XMLPATH", "JSONPATH", "NOT_MATCHES_REGEX", "CHECK_JSON_ERROR", "CHECK_XML_ERROR", "DISCARD_UNCHANGED_HEARTBEAT", "JAVASCRIPT", "PROMETHEUS_TO_JSON", "CSV_TO_JSON", "STR_REPLACE", "XML_TO_JSON"},
	"error_handler": {"ORIGINAL_ERROR", "DISCARD_VALUE", "CUSTOM_VALUE", "CUSTOM_ERROR"},
}

func in(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// itemRef matches an item reference in a trigger expression:
// func(/host/key, …) — the key runs to the first ',' or ')' outside [].
var itemRef = regexp.MustCompile(`\(/([^/]+)/((?:[^,)\[]|\[[^\]]*\])+)`)

type checker struct {
	t      *testing.T
	uuids  map[string]string
	errors []string
}

func (c *checker) errorf(format string, args ...any) {
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}

func (c *checker) keys(kind, where string, m obj) {
	for k := range m {
		if !in(k, schemaKeys[kind]) {
			c.errorf("%s: key %q is not in the Zabbix 6.0 schema of a %s", where, k, kind)
		}
	}
	if u, ok := m["uuid"]; ok {
		s, _ := u.(string)
		// 32 lowercase hex digits, version 4, RFC 4122 variant: Zabbix
		// rejects the import otherwise ("UUIDv4 is expected").
		if !regexp.MustCompile(`^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$`).MatchString(s) {
			c.errorf("%s: uuid %q is not a UUIDv4 in 32 lowercase hex digits", where, s)
		}
		if prev, dup := c.uuids[s]; dup {
			c.errorf("%s: uuid %s also used by %s", where, s, prev)
		}
		c.uuids[s] = where
	} else if kind != "step" && kind != "macro" {
		c.errorf("%s: no uuid", where)
	}
}

func (c *checker) steps(where string, steps []obj, drule bool) {
	set := enums["step"]
	if drule {
		set = enums["step_drule"]
	}
	for i, s := range steps {
		w := fmt.Sprintf("%s preprocessing[%d]", where, i)
		c.keys("step", w, s)
		if !in(str(s, "type"), set) {
			c.errorf("%s: step type %q not allowed here", w, str(s, "type"))
		}
		if _, ok := s["parameters"].([]any); !ok {
			c.errorf("%s: parameters must be a list", w)
		}
		if h := str(s, "error_handler"); h != "" && !in(h, enums["error_handler"]) {
			c.errorf("%s: error_handler %q", w, h)
		}
	}
}

func TestZabbixTemplateStructure(t *testing.T) {
	export, tpl := loadTemplate(t)
	c := &checker{t: t, uuids: map[string]string{}}
	c.keys("export", "zabbix_export", export)
	delete(c.uuids, "") // the export has no uuid
	c.errors = nil
	for k := range export {
		if !in(k, schemaKeys["export"]) {
			c.errorf("zabbix_export: key %q", k)
		}
	}
	if str(export, "version") != "6.0" {
		c.errorf("version %q, want '6.0' (importable by 6.0 LTS and every later version)", str(export, "version"))
	}
	groups := map[string]bool{}
	for _, g := range list(export["groups"]) {
		c.keys("group", "group "+str(g, "name"), g)
		groups[str(g, "name")] = true
	}
	name := str(tpl, "template")
	c.keys("template", "template", tpl)
	for _, g := range list(tpl["groups"]) {
		if !groups[str(g, "name")] {
			c.errorf("template group %q is not in zabbix_export.groups", str(g, "name"))
		}
	}
	macros := map[string]bool{}
	for _, m := range list(tpl["macros"]) {
		c.keys("macro", "macro "+str(m, "macro"), m)
		macros[str(m, "macro")] = true
	}
	valuemaps := map[string]map[string]bool{}
	for _, vm := range list(tpl["valuemaps"]) {
		c.keys("valuemap", "valuemap "+str(vm, "name"), vm)
		vals := map[string]bool{}
		for _, mp := range list(vm["mappings"]) {
			vals[str(mp, "value")] = true
		}
		valuemaps[str(vm, "name")] = vals
	}

	items := map[string]obj{}
	for _, it := range list(tpl["items"]) {
		items[str(it, "key")] = it
	}
	triggerExprs := map[string]string{} // name → expression
	var triggers []struct {
		where string
		tr    obj
		keys  map[string]obj
	}
	checkItem := func(kind, where string, it obj, scope map[string]obj, drule bool) {
		c.keys(kind, where, it)
		typ := str(it, "type")
		if typ != "" && !in(typ, enums["type"]) {
			c.errorf("%s: type %q", where, typ)
		}
		if vt := str(it, "value_type"); vt != "" && !in(vt, enums["value_type"]) {
			c.errorf("%s: value_type %q", where, vt)
		}
		if vt := str(it, "value_type"); (vt == "TEXT" || vt == "CHAR" || vt == "LOG") && str(it, "trends") != "0" {
			c.errorf("%s: a %s item must have trends '0'", where, vt)
		}
		if typ == "DEPENDENT" {
			mk := str(it["master_item"].(obj), "key")
			if _, ok := scope[mk]; !ok {
				c.errorf("%s: master item %q does not exist", where, mk)
			}
			if str(it, "delay") != "0" {
				c.errorf("%s: a dependent item has delay '0', got %q", where, str(it, "delay"))
			}
		} else if it["master_item"] != nil {
			c.errorf("%s: master_item on a %s item", where, typ)
		}
		if vm, ok := it["valuemap"].(obj); ok {
			if _, ok := valuemaps[str(vm, "name")]; !ok {
				c.errorf("%s: value map %q does not exist", where, str(vm, "name"))
			}
		}
		c.steps(where, list(it["preprocessing"]), drule)
	}
	for key, it := range items {
		checkItem("item", "item "+key, it, items, false)
		for _, tr := range list(it["triggers"]) {
			triggers = append(triggers, struct {
				where string
				tr    obj
				keys  map[string]obj
			}{"trigger " + str(tr, "name"), tr, items})
		}
	}
	lldMacro := regexp.MustCompile(`\{#[A-Z0-9_.]+\}`)
	for _, rule := range list(tpl["discovery_rules"]) {
		where := "discovery rule " + str(rule, "key")
		checkItem("discovery_rule", where, rule, items, true)
		defined := map[string]bool{}
		for _, p := range list(rule["lld_macro_paths"]) {
			defined[str(p, "lld_macro")] = true
			if !strings.HasPrefix(str(p, "path"), "$.") {
				c.errorf("%s: macro path %q", where, str(p, "path"))
			}
		}
		if f, ok := rule["filter"].(obj); ok {
			for _, cond := range list(f["conditions"]) {
				if !defined[str(cond, "macro")] {
					c.errorf("%s: filter on undefined macro %s", where, str(cond, "macro"))
				}
			}
		}
		scope := map[string]obj{}
		for k, v := range items {
			scope[k] = v
		}
		for _, p := range list(rule["item_prototypes"]) {
			scope[str(p, "key")] = p
		}
		for _, p := range list(rule["item_prototypes"]) {
			pw := where + " prototype " + str(p, "key")
			checkItem("item_prototype", pw, p, scope, false)
			if !strings.Contains(str(p, "key"), "{#") {
				c.errorf("%s: a prototype key needs an LLD macro", pw)
			}
			for _, m := range lldMacro.FindAllString(fmt.Sprint(p), -1) {
				if !defined[m] {
					c.errorf("%s: LLD macro %s is not defined by the rule's lld_macro_paths", pw, m)
				}
			}
			for _, tr := range list(p["trigger_prototypes"]) {
				triggers = append(triggers, struct {
					where string
					tr    obj
					keys  map[string]obj
				}{pw + " trigger " + str(tr, "name"), tr, scope})
			}
		}
	}
	for _, tr := range triggers {
		c.keys("trigger", tr.where, tr.tr)
		expr := str(tr.tr, "expression")
		triggerExprs[str(tr.tr, "name")] = expr
		if !in(str(tr.tr, "priority"), enums["priority"]) {
			c.errorf("%s: priority %q", tr.where, str(tr.tr, "priority"))
		}
		refs := itemRef.FindAllStringSubmatch(expr, -1)
		if len(refs) == 0 {
			c.errorf("%s: no item reference in %q", tr.where, expr)
		}
		for _, r := range refs {
			if r[1] != name {
				c.errorf("%s: references host %q, not the template %q", tr.where, r[1], name)
			}
			if _, ok := tr.keys[r[2]]; !ok {
				c.errorf("%s: references item %q, which does not exist", tr.where, r[2])
			}
		}
	}
	for _, tr := range triggers {
		for _, d := range list(tr.tr["dependencies"]) {
			if triggerExprs[str(d, "name")] != str(d, "expression") {
				c.errorf("%s: depends on %q / %q, which is no trigger of the template", tr.where, str(d, "name"), str(d, "expression"))
			}
		}
	}
	userMacro := regexp.MustCompile(`\{\$[A-Z0-9_.]+\}`)
	raw := shipped(t, "zabbix", "gmu_doctor_template.yaml")
	for _, m := range userMacro.FindAllString(raw, -1) {
		if !macros[m] {
			c.errorf("user macro %s is used but not defined in the template", m)
		}
	}
	// What the issue asks of the template.
	need := []string{"gmu.doctor.report", "gmu.doctor.exit_code", "gmu.doctor.checks.fail", "gmu.doctor.checks.failed", "gmu.doctor.license.days"}
	for _, k := range need {
		if _, ok := items[k]; !ok {
			c.errorf("item %s missing", k)
		}
	}
	if len(list(tpl["discovery_rules"])) != 3 {
		c.errorf("want the checks, personal certificates and roots discovery rules")
	}
	sort.Strings(c.errors)
	for _, e := range c.errors {
		t.Error(e)
	}
	if len(c.uuids) < 30 {
		t.Errorf("only %d uuids checked", len(c.uuids))
	}
}
