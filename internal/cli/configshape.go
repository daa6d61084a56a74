package cli

import (
	"fmt"
	"strings"
)

// Limits on the shape of a config file, checked before viper sees it:
// viper's cost grows steeply with the number of keys (40,000 keys took
// 3 s, 500,000 over a minute) and with nesting (5,000 levels over a
// minute). A real config has a few dozen keys, three or four levels deep.
const (
	maxConfigEntries = 5000
	maxConfigDepth   = 32
)

// checkConfigShape counts the entries of a YAML, JSON or TOML config
// (non-empty lines plus commas, which separate entries of a flow or JSON
// line) and its nesting (open brackets plus YAML indentation levels), in
// one pass over the bytes without parsing them.
func checkConfigShape(data []byte) error {
	entries, depth, maxDepth := 0, 0, 0
	var indents []int // indentation of the enclosing YAML blocks
	for _, line := range strings.Split(string(data), "\n") {
		body := strings.TrimLeft(line, " \t-")
		if strings.TrimSpace(body) == "" || strings.HasPrefix(body, "#") {
			continue
		}
		entries++
		indent := len(line) - len(body)
		for len(indents) > 0 && indents[len(indents)-1] >= indent {
			indents = indents[:len(indents)-1]
		}
		indents = append(indents, indent)
		// "- - - x" opens a list inside a list on one line.
		dashes := strings.Count(line[:indent], "-")
		var quote byte
		for i := 0; i < len(body); i++ {
			c := body[i]
			switch {
			case quote != 0:
				if c == '\\' && quote == '"' {
					i++
				} else if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '#' && (i == 0 || body[i-1] == ' '):
				i = len(body)
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				if depth > 0 {
					depth--
				}
			case c == ',':
				entries++
			}
			if d := depth + len(indents) + dashes; d > maxDepth {
				maxDepth = d
			}
		}
		if d := depth + len(indents) + dashes; d > maxDepth {
			maxDepth = d
		}
		if entries > maxConfigEntries {
			return fmt.Errorf("more than %d entries; a gmu-doctor config has a few dozen (see gmu-doctor config example)", maxConfigEntries)
		}
		if maxDepth > maxConfigDepth {
			return fmt.Errorf("nested more than %d levels deep; a gmu-doctor config has at most four (see gmu-doctor config example)", maxConfigDepth)
		}
	}
	return nil
}
