package certs

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/certtest"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor/doctortest"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// countingHost counts the store reads.
type countingHost struct {
	*host.SnapshotHost
	mu    sync.Mutex
	reads map[string]int
}

func (h *countingHost) Certificates(ctx context.Context, loc host.StoreLocation, store host.StoreName) ([]host.Certificate, error) {
	h.mu.Lock()
	h.reads[StoreLabel(loc, store)]++
	h.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err // as a live store read cut short
	}
	return h.SnapshotHost.Certificates(ctx, loc, store)
}

func sharedTestHost(t *testing.T) *countingHost {
	root := certtest.DER(t, certtest.Root2022)
	snap := doctortest.Windows().
		Cert(host.CurrentUser, host.StoreRoot, root, nil).
		Cert(host.LocalMachine, host.StoreRoot, root, nil).
		Cert(host.LocalMachine, host.StoreCA, certtest.DER(t, certtest.FK2024), nil).
		Cert(host.CurrentUser, host.StoreMy, certtest.DER(t, certtest.Leaf2025), nil).
		Cert(host.CurrentUser, host.StoreMy, []byte{0x30, 0x03, 0x02, 0x01, 0x01}, nil).
		EmptyStore(host.LocalMachine, host.StoreMy).
		StoreError(host.CurrentUser, host.StoreCA, "access denied")
	return &countingHost{SnapshotHost: snap.Host(), reads: map[string]int{}}
}

// Within a run every store is read once and every distinct certificate
// parsed once, whoever asks and however (LoadCore, Load of one store,
// ValidPersonal); the answers are those of a fresh read.
func TestLoadSharesOneReadPerRun(t *testing.T) {
	h := sharedTestHost(t)
	fresh := LoadCore(context.Background(), h)
	for k := range h.reads {
		h.reads[k] = 0
	}

	ctx := doctor.WithShared(context.Background(), &doctor.Shared{})
	a := LoadCore(ctx, h)
	b := LoadCore(ctx, h)
	my := Load(ctx, h, []host.StoreLocation{host.CurrentUser}, []host.StoreName{host.StoreMy})
	if _, err := ValidPersonal(ctx, h); err != nil {
		t.Fatal(err)
	}
	for label, n := range h.reads {
		if n != 1 {
			t.Errorf("%s read %d times in one run, want 1", label, n)
		}
	}
	if len(h.reads) != 6 {
		t.Errorf("stores read: %v, want the 6 core stores", h.reads)
	}
	for _, st := range []*Stores{a, b} {
		if len(st.Entries) != len(fresh.Entries) || st.ErrorText() != fresh.ErrorText() {
			t.Fatalf("shared load: %d entries, errors %q; fresh: %d, %q", len(st.Entries), st.ErrorText(), len(fresh.Entries), fresh.ErrorText())
		}
		for i, e := range st.Entries {
			f := fresh.Entries[i]
			if e.Where() != f.Where() || e.SHA1() != f.SHA1() || (e.Err == nil) != (f.Err == nil) || (e.Cert == nil) != (f.Cert == nil) {
				t.Errorf("entry %d: shared %s %s err=%v, fresh %s %s err=%v", i, e.Where(), e.SHA1(), e.Err, f.Where(), f.SHA1(), f.Err)
			}
		}
		if !st.Read(host.LocalMachine, host.StoreMy) || st.Read(host.CurrentUser, host.StoreCA) {
			t.Errorf("Read: empty store must count as read, failed store as not read")
		}
	}
	if a.Entries[0].Cert != b.Entries[0].Cert || a.Entries[0].Cert != my.Entries[0].Cert && my.Entries[0].Cert == nil {
		t.Error("the same store parsed twice in one run")
	}
	// The root sits in CurrentUser\Root and LocalMachine\Root: one parse.
	roots := a.Parsed(host.StoreRoot)
	in := a.In(host.LocalMachine, host.StoreRoot)
	cu := a.In(host.CurrentUser, host.StoreRoot)
	if len(roots) != 1 || len(in) != 1 || len(cu) != 1 || in[0].Cert != cu[0].Cert {
		t.Error("the same DER in two stores was parsed twice")
	}
	// One run, one Stores for the same stores: every check gets the same
	// read-only value, and its pools are made once.
	if a != b {
		t.Error("two loads of the same stores in one run made two Stores")
	}
	if a.Pool(host.StoreRoot) != b.Pool(host.StoreRoot) || a.Pool(host.StoreRoot).Len() != 1 {
		t.Error("the Root pool was made twice or is wrong")
	}
	if a.Pool(host.StoreRoot) == a.Pool(host.StoreCA, host.StoreRoot) {
		t.Error("pools of different stores are one")
	}
}

func TestLoadOutsideARunReadsAgain(t *testing.T) {
	h := sharedTestHost(t)
	LoadCore(context.Background(), h)
	LoadCore(context.Background(), h)
	if n := h.reads[`CurrentUser\My`]; n != 2 {
		t.Errorf("without a run CurrentUser\\My read %d times for 2 loads, want 2", n)
	}
}

func TestLoadDoesNotKeepACancelledRead(t *testing.T) {
	h := sharedTestHost(t)
	shared := &doctor.Shared{}
	ctx, cancel := context.WithCancel(doctor.WithShared(context.Background(), shared))
	cancel()
	LoadCore(ctx, h)
	st := LoadCore(doctor.WithShared(context.Background(), shared), h)
	if len(st.Personal()) != 2 {
		t.Errorf("after a cancelled load the next check got %d personal entries (errors %q), want 2", len(st.Personal()), st.ErrorText())
	}
	if n := h.reads[`CurrentUser\My`]; n != 2 {
		t.Errorf("CurrentUser\\My read %d times, want 2 (the cancelled read is not kept)", n)
	}
}

// A large store is parsed on every CPU: each entry keeps its place and gets
// what a parse of its own DER gives (duplicates share one certificate,
// damaged entries keep their error), in a run and outside one.
func TestLargeStoreParsedInPlace(t *testing.T) {
	good := [][]byte{certtest.DER(t, certtest.Root2022), certtest.DER(t, certtest.FK2024), certtest.DER(t, certtest.Leaf2025)}
	b := doctortest.Windows()
	var ders [][]byte
	for i := 0; i < 3*parallelParseMin+7; i++ {
		der := good[i%len(good)]
		switch i % 5 {
		case 3:
			der = []byte{0x30, 0x03, 0x02, 0x01, byte(i)} // not a certificate
		case 4:
			der = append(append([]byte(nil), der...), 0) // trailing byte: an error
		}
		ders = append(ders, der)
		b = b.Cert(host.LocalMachine, host.StoreCA, der, nil)
	}
	h := b.Host()
	for _, ctx := range []context.Context{context.Background(), doctor.WithShared(context.Background(), &doctor.Shared{})} {
		st := Load(ctx, h, []host.StoreLocation{host.LocalMachine}, []host.StoreName{host.StoreCA})
		if len(st.Entries) != len(ders) {
			t.Fatalf("%d entries, want %d", len(st.Entries), len(ders))
		}
		byDER := map[string]*pki.Certificate{}
		for i, e := range st.Entries {
			want, werr := pki.ParseDER(ders[i])
			switch {
			case (werr == nil) != (e.Err == nil):
				t.Fatalf("entry %d: error %v, a parse of its DER: %v", i, e.Err, werr)
			case werr != nil:
				if e.Err.Error() != werr.Error() {
					t.Fatalf("entry %d: error %q, want %q", i, e.Err, werr)
				}
			case e.Cert.SHA1 != want.SHA1 || !bytes.Equal(e.Cert.Raw, ders[i]):
				t.Fatalf("entry %d is %s, want %s", i, e.Cert.SHA1, want.SHA1)
			}
			if e.Cert != nil && doctor.SharedFrom(ctx) != nil {
				if p, ok := byDER[string(ders[i])]; ok && p != e.Cert {
					t.Fatalf("entry %d: the same DER parsed twice in one run", i)
				}
				byDER[string(ders[i])] = e.Cert
			}
		}
	}
}

// Find by thumbprint (indexed on first use) answers as a scan of Entries:
// every entry in its order, any case of hex, nothing for an unknown one.
func TestFindMatchesAScan(t *testing.T) {
	st := LoadCore(context.Background(), sharedTestHost(t))
	scan := func(sha1 string) []Entry {
		var out []Entry
		for _, e := range st.Entries {
			if e.SHA1() == NormHex(sha1) {
				out = append(out, e)
			}
		}
		return out
	}
	asked := 0
	for _, e := range st.Entries {
		for _, q := range []string{e.SHA1(), strings.ToLower(e.SHA1())} {
			got, want := st.Find(q), scan(q)
			if len(got) != len(want) || len(got) == 0 {
				t.Fatalf("Find(%s): %d entries, a scan %d", q, len(got), len(want))
			}
			for i := range got {
				if got[i].Where() != want[i].Where() || got[i].Cert != want[i].Cert {
					t.Fatalf("Find(%s) entry %d: %s, a scan %s", q, i, got[i].Where(), want[i].Where())
				}
			}
			asked++
		}
	}
	if asked == 0 || len(st.Find("00")) != 0 {
		t.Fatal("no entries, or an unknown thumbprint found")
	}
}
