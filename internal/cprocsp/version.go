package cprocsp

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
)

// Version is the CSP version line printed first by `csptest -keyset
// -verifycontext`, e.g.
//
//	CSP (Type:80) v5.0.10010 KC1 Release Ver:5.0.12455 OS:Linux CPU:AMD64 FastCode:READY:AVX.
type Version struct {
	ProvType int    // 80; 0 when the line has no (Type:N) part
	Kernel   string // "5.0.10010" (the kernel of the CSP)
	Class    string // "KC1", "KC2"
	Build    string // "5.0.12455": the product version that matters
	OS       string // "Linux", "Windows"
	CPU      string // "AMD64"; may be empty
}

// ErrNoVersion is returned when the output has no CSP version line.
var ErrNoVersion = errors.New("no CSP version line in the output")

var versionRE = lazyre.New(`(?:\(Type:\s*(\d+)\)\s*)?v([0-9.]*[0-9]+) +(\S.*?) +Release Ver:\s*([0-9.]*[0-9]+)(?: +OS:\s*([A-Za-z0-9_]+))?(?: +CPU:\s*([A-Za-z0-9_]+))?`)

// ParseVersion finds the first CSP version line anywhere in the output.
func ParseVersion(out []byte) (Version, error) {
	for _, line := range lines(DecodeText(out)) {
		m := versionRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v := Version{Kernel: m[2], Class: strings.TrimSpace(m[3]), Build: m[4], OS: m[5], CPU: m[6]}
		if m[1] != "" {
			n, err := strconv.Atoi(m[1])
			if err != nil || n > 1<<16 {
				return Version{}, errors.New("parse CSP version: bad provider type")
			}
			v.ProvType = n
		}
		return v, nil
	}
	return Version{}, ErrNoVersion
}

// Major returns the first component of the build ("5" for "5.0.12455").
func (v Version) Major() int {
	p := strings.SplitN(v.Build, ".", 2)
	n, _ := strconv.Atoi(p[0])
	return n
}

// CompareBuild compares dotted version numbers component by component
// numerically: -1 when a < b, 0 when equal, +1 when a > b. Missing
// components count as 0 ("5.0" == "5.0.0"); a non-numeric component counts
// as 0 too.
func CompareBuild(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	n := len(pa)
	if len(pb) > n {
		n = len(pb)
	}
	for i := 0; i < n; i++ {
		x, y := component(pa, i), component(pb, i)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

func component(p []string, i int) uint64 {
	if i >= len(p) {
		return 0
	}
	s := strings.TrimSpace(p[i])
	// Leading zeros and huge values: compare as numbers with saturation.
	var n uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return n
		}
		if n > (1<<63)/10 {
			return 1 << 63
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}

var errorCodeRE = lazyre.New(`\[ErrorCode:\s*0x([0-9A-Fa-f]{1,8})\]`)

// ErrorCode returns the last `[ErrorCode: 0x…]` value every CSP tool prints
// at the end of its output; ok is false when there is none.
func ErrorCode(out []byte) (code uint32, ok bool) {
	m := errorCodeRE.FindAllStringSubmatch(DecodeText(out), -1)
	if len(m) == 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(m[len(m)-1][1], 16, 32)
	if err != nil {
		return 0, false
	}
	return uint32(n), true
}
