package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// schemaValidator checks a JSON value against the subset of JSON Schema
// draft 2020-12 that docs/json-schema.json uses: type, properties, required,
// additionalProperties, items, enum, $ref to #/$defs, minimum. Keywords it
// does not implement make it fail, so the schema cannot silently grow
// beyond what is checked.
type schemaValidator struct {
	root map[string]any
}

var annotationKeywords = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "format": true, "$defs": true}

func (v *schemaValidator) validate(schema map[string]any, val any, at string) []string {
	var errs []string
	for k := range schema {
		switch k {
		case "type", "properties", "required", "additionalProperties", "items", "enum", "$ref", "minimum":
		default:
			if !annotationKeywords[k] {
				errs = append(errs, fmt.Sprintf("%s: schema keyword %q is not supported by the test validator", at, k))
			}
		}
	}
	if ref, ok := schema["$ref"].(string); ok {
		const prefix = "#/$defs/"
		if !strings.HasPrefix(ref, prefix) {
			return append(errs, fmt.Sprintf("%s: unsupported $ref %q", at, ref))
		}
		defs, _ := v.root["$defs"].(map[string]any)
		target, ok := defs[strings.TrimPrefix(ref, prefix)].(map[string]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: $ref %q not found", at, ref))
		}
		errs = append(errs, v.validate(target, val, at)...)
	}
	if t, ok := schema["type"]; ok {
		var types []string
		switch x := t.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, e := range x {
				types = append(types, fmt.Sprint(e))
			}
		}
		match := false
		for _, ty := range types {
			if jsonType(val, ty) {
				match = true
			}
		}
		if !match {
			return append(errs, fmt.Sprintf("%s: want type %v, got %s", at, types, describe(val)))
		}
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if equalJSON(e, val) {
				found = true
			}
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, val, enum))
		}
	}
	if min, ok := schema["minimum"].(float64); ok {
		if n, ok := val.(float64); ok && n < min {
			errs = append(errs, fmt.Sprintf("%s: %v is less than the minimum %v", at, n, min))
		}
	}
	if obj, ok := val.(map[string]any); ok {
		props, _ := schema["properties"].(map[string]any)
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[fmt.Sprint(r)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: required key %q is missing", at, r))
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, v.validate(ps, obj[k], at+"."+k)...)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: key %q is not allowed", at, k))
				}
			case map[string]any:
				errs = append(errs, v.validate(ap, obj[k], at+"."+k)...)
			}
		}
	}
	if arr, ok := val.([]any); ok {
		if items, ok := schema["items"].(map[string]any); ok {
			for i, e := range arr {
				errs = append(errs, v.validate(items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func jsonType(val any, ty string) bool {
	switch ty {
	case "object":
		_, ok := val.(map[string]any)
		return ok
	case "array":
		_, ok := val.([]any)
		return ok
	case "string":
		_, ok := val.(string)
		return ok
	case "boolean":
		_, ok := val.(bool)
		return ok
	case "null":
		return val == nil
	case "number":
		_, ok := val.(float64)
		return ok
	case "integer":
		n, ok := val.(float64)
		return ok && n == math.Trunc(n)
	}
	return false
}

func describe(val any) string {
	switch val.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		return "number"
	}
	return fmt.Sprintf("%T", val)
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func loadSchema(t *testing.T) *schemaValidator {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "json-schema.json"))
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatalf("parse schema: %v", err)
	}
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", root["$schema"])
	}
	return &schemaValidator{root: root}
}

// validateJSON validates a JSON document against docs/json-schema.json.
func validateJSON(t *testing.T, v *schemaValidator, doc []byte) []string {
	t.Helper()
	var val any
	if err := json.Unmarshal(doc, &val); err != nil {
		t.Fatalf("parse report JSON: %v", err)
	}
	return v.validate(v.root, val, "$")
}
