package monitoring_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// evalJSONPath evaluates the subset of Zabbix's JSONPath the template
// uses against a JSON document and returns the value as Zabbix would pass
// it on: a string without quotes, a number as written, anything else as
// compact JSON. Supported: $, .name, [?(cond && cond …)] with @.a.b == or
// != a 'string' or number, and a trailing .first() .min() .max() .sum()
// .avg() .length(). A path that matches nothing is an error, as in Zabbix.
// An indefinite path (with a filter) without a function gives a JSON array.
func evalJSONPath(doc []byte, path string) (string, error) {
	var root any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return "", fmt.Errorf("value is not JSON: %v", err)
	}
	if !strings.HasPrefix(path, "$") {
		return "", fmt.Errorf("path %q does not start with $", path)
	}
	nodes := []any{root}
	definite := true
	fn := ""
	rest := path[1:]
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "[?("):
			end := strings.Index(rest, ")]")
			if end < 0 {
				return "", fmt.Errorf("unterminated filter in %q", path)
			}
			conds, err := parseFilter(rest[3:end])
			if err != nil {
				return "", err
			}
			var out []any
			for _, n := range nodes {
				arr, ok := n.([]any)
				if !ok {
					continue
				}
				for _, el := range arr {
					if matchAll(el, conds) {
						out = append(out, el)
					}
				}
			}
			nodes, definite, rest = out, false, rest[end+2:]
		case strings.HasPrefix(rest, "."):
			name := rest[1:]
			if i := strings.IndexAny(name, ".["); i >= 0 {
				name = name[:i]
			}
			rest = rest[1+len(name):]
			if strings.HasSuffix(name, "()") {
				if rest != "" {
					return "", fmt.Errorf("function %s is not last in %q", name, path)
				}
				fn = strings.TrimSuffix(name, "()")
				continue
			}
			var out []any
			for _, n := range nodes {
				if m, ok := n.(map[string]any); ok {
					if v, ok := m[name]; ok {
						out = append(out, v)
					}
				}
			}
			nodes = out
		default:
			return "", fmt.Errorf("unsupported JSONPath syntax at %q in %q", rest, path)
		}
	}
	if len(nodes) == 0 {
		return "", fmt.Errorf("no data matches the path %q", path)
	}
	switch fn {
	case "":
		if definite {
			return render(nodes[0]), nil
		}
		return render(nodes), nil
	case "first":
		return render(nodes[0]), nil
	case "length":
		return strconv.Itoa(len(nodes)), nil
	case "min", "max", "sum", "avg":
		var acc float64
		for i, n := range nodes {
			num, ok := n.(json.Number)
			if !ok {
				return "", fmt.Errorf("%s() over a non-number %v", fn, n)
			}
			v, _ := num.Float64()
			switch {
			case i == 0 && fn != "sum" && fn != "avg":
				acc = v
			case fn == "min" && v < acc, fn == "max" && v > acc:
				acc = v
			case fn == "sum" || fn == "avg":
				acc += v
			}
		}
		if fn == "avg" {
			acc /= float64(len(nodes))
		}
		return strconv.FormatFloat(acc, 'f', -1, 64), nil
	}
	return "", fmt.Errorf("unsupported function %s() in %q", fn, path)
}

type cond struct {
	path []string // after @
	op   string   // == or !=
	lit  any      // string or json.Number
}

func parseFilter(s string) ([]cond, error) {
	var out []cond
	for _, part := range strings.Split(s, "&&") {
		part = strings.TrimSpace(part)
		op := "=="
		i := strings.Index(part, "==")
		if j := strings.Index(part, "!="); j >= 0 && (i < 0 || j < i) {
			i, op = j, "!="
		}
		if i < 0 || !strings.HasPrefix(part, "@.") {
			return nil, fmt.Errorf("unsupported filter condition %q", part)
		}
		lhs, rhs := strings.TrimSpace(part[2:i]), strings.TrimSpace(part[i+2:])
		c := cond{path: strings.Split(lhs, "."), op: op}
		switch {
		case len(rhs) >= 2 && rhs[0] == '\'' && rhs[len(rhs)-1] == '\'':
			c.lit = rhs[1 : len(rhs)-1]
		default:
			if _, err := strconv.ParseFloat(rhs, 64); err != nil {
				return nil, fmt.Errorf("unsupported literal %q", rhs)
			}
			c.lit = json.Number(rhs)
		}
		out = append(out, c)
	}
	return out, nil
}

func matchAll(v any, conds []cond) bool {
	for _, c := range conds {
		cur := v
		for _, p := range c.path {
			m, ok := cur.(map[string]any)
			if !ok {
				return false
			}
			if cur, ok = m[p]; !ok {
				return false
			}
		}
		eq := fmt.Sprint(cur) == fmt.Sprint(c.lit)
		if _, isStr := c.lit.(string); isStr {
			s, ok := cur.(string)
			eq = ok && s == c.lit
		}
		if eq != (c.op == "==") {
			return false
		}
	}
	return true
}

func render(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestEvalJSONPath(t *testing.T) {
	doc := []byte(`{"a":{"b":"x"},"n":3,"arr":[{"id":"p","m":[{"name":"d","v":5,"l":{"s":"A"}},{"name":"d","v":-2,"l":{"s":"B"}},{"name":"k","v":1}]},{"id":"q","m":[]}]}`)
	cases := []struct{ path, want string }{
		{"$.a.b", "x"},
		{"$.n", "3"},
		{"$.a", `{"b":"x"}`},
		{"$.arr[?(@.id=='p')].m[?(@.name=='d')].v.min()", "-2"},
		{"$.arr[?(@.id=='p')].m[?(@.name=='d' && @.l.s=='A')].v.first()", "5"},
		{"$.arr[?(@.id!='p')].id", `["q"]`},
		{"$.arr[?(@.id=='q')].m.first()", "[]"},
		{"$.arr[?(@.id=='p')].m[?(@.v==1)].name.first()", "k"},
		{"$.arr[?(@.id=='p')].m.length()", "1"},
	}
	for _, c := range cases {
		got, err := evalJSONPath(doc, c.path)
		if err != nil || got != c.want {
			t.Errorf("%s = %q, %v; want %q", c.path, got, err, c.want)
		}
	}
	for _, bad := range []string{"$.none", "$.arr[?(@.id=='z')].id", "$.arr[?(@.id=='p')].m[?(@.name=='z')].v.min()", "$..x", "a.b"} {
		if got, err := evalJSONPath(doc, bad); err == nil {
			t.Errorf("%s = %q, want an error", bad, got)
		}
	}
}
