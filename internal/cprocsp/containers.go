package cprocsp

import (
	"fmt"
	"strings"
)

// Container is one key container listed by `csptest -keyset -enum_cont
// -fqcn -verifycontext [-unique]`.
type Container struct {
	FQCN   string // `\\.\HDIMAGE\name`
	Unique string // unique name (with -unique), else ""
	Reader string // "HDIMAGE", "Aktiv Co. Rutoken S 00 00", "FLASH"
	Name   string // the part after the reader
}

// ParseContainers reads the container list. Output without any container
// that ends with `[ErrorCode: 0x00000000]` (or has no error code at all but a
// CSP version line) is an empty list; a non-zero error code with no
// containers is returned as an error naming the code.
func ParseContainers(out []byte) ([]Container, error) {
	var list []Container
	for _, line := range lines(DecodeText(out)) {
		line = strings.TrimSpace(line) // indented when pasted or wrapped
		if !strings.HasPrefix(line, `\\.\`) {
			continue
		}
		c := Container{FQCN: line}
		if i := strings.Index(line, " | "); i >= 0 {
			c.FQCN, c.Unique = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+3:])
		} else if i := strings.IndexByte(line, '|'); i >= 0 {
			c.FQCN, c.Unique = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		}
		rest := c.FQCN[len(`\\.\`):]
		if i := strings.IndexByte(rest, '\\'); i >= 0 {
			c.Reader, c.Name = rest[:i], rest[i+1:]
		} else {
			c.Reader = rest
		}
		if c.Reader == "" {
			continue // `\\.\\0`: a fully qualified name always names a reader
		}
		list = append(list, c)
	}
	if len(list) > 0 {
		return list, nil
	}
	code, ok := ErrorCode(out)
	switch {
	case ok && code != 0:
		return nil, fmt.Errorf("list containers: csptest reported error 0x%08X", code)
	case ok:
		return nil, nil
	}
	if _, err := ParseVersion(out); err == nil {
		return nil, nil
	}
	return nil, fmt.Errorf("list containers: unrecognised csptest output (%d bytes)", len(out))
}

// Matches reports whether a container name as some other source prints it
// names this container: a key link from a store file (`\\.\HDIMAGE\name`),
// certmgr's Container line (`HDIMAGE\\name.000\ABCD`, the unique form), or
// the bare name. The comparison ignores case.
func (c Container) Matches(name string) bool {
	name = strings.TrimSpace(name)
	if name == "" {
		return false
	}
	for _, cand := range []string{c.FQCN, c.Unique, c.Name, c.Reader + `\` + c.Name} {
		if cand != "" && strings.EqualFold(cand, name) {
			return true
		}
	}
	// `\\.\HDIMAGE\name` written without the `\\.\` prefix.
	return strings.EqualFold(`\\.\`+strings.TrimPrefix(name, `\\.\`), c.FQCN)
}
