package qualified

import "testing"

func TestIdentifiers(t *testing.T) {
	type tc struct {
		f    func(string) bool
		in   string
		want bool
	}
	for i, c := range []tc{
		// Real values from the public certificates in testdata/certs/realworld.
		{ValidOGRN, "1047797019830", true}, {ValidOGRN, "1047702026701", true},
		{ValidOGRN, "1187746488346", true}, {ValidOGRN, "1047839009129", true},
		{ValidOGRN, "1047797019831", false}, {ValidOGRN, "104779701983", false}, {ValidOGRN, "10477970198a0", false},
		{ValidINN, "7710568760", true}, {ValidINN, "007710474375", true}, {ValidINN, "008601050392", true},
		{ValidINN, "7840013199", true}, {ValidINN, "7710568761", false}, {ValidINN, "007710474376", false},
		{ValidINN10, "7704455470", true}, {ValidINN10, "770445547", false},
		// Published textbook examples.
		{ValidINN, "500100732259", true}, {ValidINN, "500100732258", false}, {ValidINN12, "500100732259", true},
		{ValidOGRNIP, "304500116000157", true}, {ValidOGRNIP, "304500116000158", false}, {ValidOGRNIP, "30450011600015", false},
		{ValidSNILS, "11223344595", true}, {ValidSNILS, "112-233-445 95", true}, {ValidSNILS, "11223344596", false},
		{ValidSNILS, "00100199800", true}, {ValidSNILS, "12345678964", true}, {ValidSNILS, "12345678901", false}, {ValidSNILS, "1122334459", false}, {ValidSNILS, "", false},
	} {
		if got := c.f(c.in); got != c.want {
			t.Errorf("#%d %q: got %v, want %v", i, c.in, got, c.want)
		}
	}
}
