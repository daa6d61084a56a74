package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// DecodeConfig fills into (a pointer from Check.NewConfig, pre-filled with
// defaults) from the user's settings for one check, as read from the config
// file section checks.<id> (viper's map form). Keys match the struct's json
// tags case-insensitively; a key the config does not have is an error, so a
// typo never silently keeps a default. Values are converted by a JSON round
// trip, so numbers, strings, lists and nested maps decode into the matching
// Go types and anything else is a type error naming the key.
func DecodeConfig(raw map[string]any, into any) error {
	if len(raw) == 0 {
		return nil
	}
	if into == nil {
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return fmt.Errorf("decode config: this check has no settings, got %s", strings.Join(keys, ", "))
	}
	b, err := json.Marshal(stringKeys(raw))
	if err != nil {
		return fmt.Errorf("decode config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("decode config: %s", configErrorText(err))
	}
	return nil
}

// configErrorText rewrites encoding/json errors in terms of config keys.
func configErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("setting %q: want %s, got %s", te.Field, te.Type, te.Value)
		}
		return fmt.Sprintf("want %s, got %s", te.Type, te.Value)
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return "unknown setting " + strings.TrimPrefix(msg, "json: unknown field ")
	}
	return strings.TrimPrefix(msg, "json: ")
}

// stringKeys converts the map[any]any values some YAML decoders produce
// into map[string]any, which encoding/json can marshal.
func stringKeys(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = stringKeys(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[fmt.Sprint(k)] = stringKeys(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = stringKeys(e)
		}
		return out
	}
	return v
}
