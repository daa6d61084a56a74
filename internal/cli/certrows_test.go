package cli

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"text/tabwriter"
)

// TestCertRowsAsTabwriter: certRows lays rows out byte for byte as
// text/tabwriter (minimum width 0, tab width 4, padding 2, spaces) did in
// `cert show`, for labels and values of every width, Cyrillic included.
func TestCertRowsAsTabwriter(t *testing.T) {
	words := []string{"", "a", "Владелец", "Owner", "ОГРН", "SHA-1", "Идентификатор ключа субъекта", "x y", "€", "ё", "1.2.643.100.3", "—", "   "}
	rng := rand.New(rand.NewSource(1))
	pick := func() string {
		var parts []string
		for n := rng.Intn(3); n >= 0; n-- {
			parts = append(parts, words[rng.Intn(len(words))])
		}
		return strings.Join(parts, " ")
	}
	var rows certRows
	for round := 0; round < 2000; round++ {
		var want bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
		rows.reset()
		for n := 1 + rng.Intn(12); n > 0; n-- {
			label, value := pick(), pick()
			if rng.Intn(4) == 0 {
				fmt.Fprintf(tw, "  \t%s\n", value)
				rows.addCont(value)
			} else {
				fmt.Fprintf(tw, "  %s:\t%s\n", label, value)
				rows.add("  "+label+":", value)
			}
		}
		tw.Flush()
		var got bytes.Buffer
		if err := rows.writeTo(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("round %d:\ncertRows:\n%s\ntabwriter:\n%s", round, got.String(), want.String())
		}
	}
}
