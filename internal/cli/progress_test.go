package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progressLine{w: &buf, label: "network:"}
	p.show("http://crl.roskazna.ru/crl/ucfk_2024.crl")
	p.show("http://too.soon/") // within 100 ms: not drawn
	p.last = time.Time{}
	p.show("http://x/" + strings.Repeat("a", 200))
	p.clear()
	out := buf.String()
	if !strings.HasPrefix(out, "\rnetwork: http://crl.roskazna.ru/crl/ucfk_2024.crl") || strings.Contains(out, "too.soon") {
		t.Fatalf("%q", out)
	}
	if strings.Contains(out, "\x1b") || !strings.HasSuffix(out, "\r") || !strings.Contains(out, "…") {
		t.Fatalf("%q", out)
	}
	// Not a terminal: no progress at all.
	a, _, _ := newTestApp(t)
	if show, _ := a.netProgress(); show != nil {
		t.Error("progress on a non-terminal")
	}
	a.IsTerminal = func(io.Writer) bool { return true }
	if show, _ := a.netProgress(); show == nil {
		t.Error("no progress on a terminal")
	}
}
