package profile

import "testing"

func TestDefaultsAreComplete(t *testing.T) {
	sites := Defaults()
	if len(sites) != len(IDs) {
		t.Fatalf("got %d sites, want %d", len(sites), len(IDs))
	}
	for i, s := range sites {
		if s.ID != IDs[i] {
			t.Errorf("site %d is %q, want %q", i, s.ID, IDs[i])
		}
		if s.NameRU == "" || s.NameEN == "" || s.URL == "" || len(s.Domains) == 0 {
			t.Errorf("site %s lacks a name, URL or domains", s.ID)
		}
		for req, conf := range s.Needs {
			if conf != "V" && conf != "I" {
				t.Errorf("site %s: requirement %s has confidence %q, want V or I", s.ID, req, conf)
			}
		}
		if len(s.RequiredOIDs) == 0 && s.ID == "gmu" && s.RequiredOIDsNote == "" {
			t.Errorf("gmu has no OIDs and no note saying why")
		}
	}
}

func TestResolveSelectionAndOverrides(t *testing.T) {
	got, err := Resolve([]string{"eis,gmu"}, map[string]any{
		"gmu": map[string]any{"required_oids": []any{"1.2.3.4"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "gmu" || got[1].ID != "eis" {
		t.Fatalf("got %v, want gmu, eis in display order", got)
	}
	if len(got[0].RequiredOIDs) != 1 || got[0].RequiredOIDs[0] != "1.2.3.4" {
		t.Errorf("override not applied: %v", got[0].RequiredOIDs)
	}
	// The embedded defaults are not changed by an override.
	if len(Defaults()[0].RequiredOIDs) != 0 {
		t.Error("override leaked into the defaults")
	}
	if all, _ := Resolve([]string{"all"}, nil); len(all) != 4 {
		t.Errorf("all selected %d sites", len(all))
	}
	if _, err := Resolve([]string{"xyz"}, nil); err == nil {
		t.Error("unknown site accepted")
	}
	if _, err := Resolve(nil, map[string]any{"gmu": map[string]any{"colour": 1}}); err == nil {
		t.Error("unknown override key accepted")
	}
	if _, err := Resolve(nil, map[string]any{"nope": map[string]any{}}); err == nil {
		t.Error("unknown override site accepted")
	}
}

func TestNeeds(t *testing.T) {
	sites, _ := Resolve([]string{"fzs"}, nil)
	if !AnyNeeds(sites, NeedGOSTTLS) || AnyNeeds(sites, NeedCAPICOM) {
		t.Errorf("fzs needs: %v", sites[0].Needs)
	}
	all, _ := Resolve(nil, nil)
	if n := Needing(all, NeedCAPICOM); len(n) != 1 || n[0].ID != "gmu" {
		t.Errorf("CAPICOM needed by %v, want gmu only", n)
	}
}

func TestEndpoints(t *testing.T) {
	gost := map[string]bool{}
	for _, s := range Defaults() {
		if len(s.Endpoints) == 0 {
			t.Errorf("site %s has no endpoints", s.ID)
		}
		for _, e := range s.Endpoints {
			if e.Host == "" || e.Port <= 0 || e.Port > 65535 || (e.TLS != TLSStandard && e.TLS != TLSGOST) {
				t.Errorf("site %s: bad endpoint %+v", s.ID, e)
			}
			if (e.Confidence != "V" && e.Confidence != "I") || e.Source == "" {
				t.Errorf("site %s: endpoint %s lacks a confidence mark or a source", s.ID, e.Host)
			}
			if e.GOST() {
				gost[e.Host] = true
			}
		}
	}
	if !gost["lk-fzs.roskazna.ru"] {
		t.Error("lk-fzs.roskazna.ru must be a GOST-TLS endpoint")
	}
	got, err := Resolve([]string{"fzs"}, map[string]any{"fzs": map[string]any{
		"endpoints": []any{map[string]any{"host": "lk-fzs.test", "port": 8443, "tls": "gost"}}}})
	if err != nil || got[0].Endpoints[0].Addr() != "lk-fzs.test:8443" {
		t.Errorf("endpoint override: %v %+v", err, got)
	}
}
