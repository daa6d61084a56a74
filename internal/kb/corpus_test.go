package kb

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// realMessage is one message of testdata/real-messages.json: a text users
// posted publicly, where, and what explain must make of it.
type realMessage struct {
	Text   string   `json:"text"`
	Source string   `json:"source"`
	Want   []string `json:"want"`
	Checks []string `json:"checks"`
}

func loadRealMessages(t testing.TB) []realMessage {
	t.Helper()
	data, err := os.ReadFile("testdata/real-messages.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Messages []realMessage `json:"messages"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Messages) < 40 {
		t.Fatalf("only %d real messages", len(doc.Messages))
	}
	return doc.Messages
}

// best returns the entries explain shows for in: the top score and every
// entry tied with it.
func best(b *Base, in string) []Match {
	m := b.Match(in)
	var out []Match
	for _, x := range m {
		if x.Score == m[0].Score {
			out = append(out, x)
		}
	}
	return out
}

// TestRealMessages is the table of real messages: each is recognised as
// exactly the expected entries (or as nothing, rather than a wrong guess),
// and those entries run the expected checks.
func TestRealMessages(t *testing.T) {
	b := mustLoad(t)
	recognised, total := 0, 0
	for _, m := range loadRealMessages(t) {
		if m.Source == "" {
			t.Errorf("message %q has no source", m.Text)
		}
		total++
		got := best(b, m.Text)
		var ids []string
		checks := map[string]bool{}
		for _, x := range got {
			ids = append(ids, x.Entry.ID)
			for _, c := range x.Entry.Checks {
				checks[c] = true
			}
		}
		if strings.Join(ids, ",") != strings.Join(m.Want, ",") {
			t.Errorf("%q (%s):\n got  %v\n want %v", m.Text, m.Source, ids, m.Want)
			continue
		}
		if len(m.Want) > 0 {
			recognised++
		}
		for _, c := range m.Checks {
			if !checks[c] {
				t.Errorf("%q: entries %v do not run check %s", m.Text, ids, c)
			}
		}
	}
	t.Logf("%d of %d real messages recognised as expected (the rest must stay unrecognised)", recognised, total)
}
