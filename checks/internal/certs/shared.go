package certs

import (
	"bytes"
	"context"
	"errors"
	"hash/maphash"
	"reflect"
	"runtime"
	"sync"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// One read and one parse per run: the parsed stores live in the run's
// doctor.Shared, keyed by host and store, and the parsed certificates in a
// per-run table keyed by the SHA-1 of their DER, so a certificate that sits
// in several stores (a root in CurrentUser\Root and LocalMachine\Root) is
// parsed once.

type storeKey struct {
	h     host.Host
	loc   host.StoreLocation
	store host.StoreName
}

type storeRead struct {
	entries []Entry
	err     error
}

type parsedKey struct{}

// parsed is the run's table of parsed certificates, keyed by a fast
// (non-cryptographic) hash of the DER: the bytes are compared on every hit,
// so the hash only finds candidates (the parser computes the SHA-1 once).
type parsed struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64][]*pki.Certificate
}

// readStore returns the parsed entries of one store: from the run's shared
// values when there is a run, else read and parsed now. The slice is
// shared: callers copy the entries out and never change them in place.
func readStore(ctx context.Context, h host.Host, loc host.StoreLocation, store host.StoreName) ([]Entry, error) {
	shared := doctor.SharedFrom(ctx)
	if shared == nil || h == nil || !reflect.TypeOf(h).Comparable() {
		return readStoreNow(ctx, h, loc, store, nil)
	}
	table := parsedTable(ctx, shared)
	v, err := shared.Once(ctx, storeKey{h: h, loc: loc, store: store}, func() (any, bool) {
		entries, err := readStoreNow(ctx, h, loc, store, table)
		// An answer cut short by the check's deadline is not the store's.
		return storeRead{entries: entries, err: err}, ctx.Err() == nil
	})
	if err != nil {
		return nil, err
	}
	r := v.(storeRead)
	return r.entries, r.err
}

func parsedTable(ctx context.Context, shared *doctor.Shared) *parsed {
	v, _ := shared.Once(ctx, parsedKey{}, func() (any, bool) {
		return &parsed{seed: maphash.MakeSeed(), m: map[uint64][]*pki.Certificate{}}, true
	})
	p, _ := v.(*parsed)
	return p // nil only when ctx ended while another check made it
}

func readStoreNow(ctx context.Context, h host.Host, loc host.StoreLocation, store host.StoreName, table *parsed) ([]Entry, error) {
	list, err := h.Certificates(ctx, loc, store)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(list))
	fill := func(from, to int) {
		for i := from; i < to; i++ {
			hc := list[i]
			e := Entry{Loc: loc, Store: store, Host: hc}
			switch {
			case len(hc.DER) == 0 && hc.Error != "":
				e.Err = errors.New(hc.Error)
			case len(hc.DER) == 0:
				e.Err = errors.New("no certificate data")
			default:
				e.Cert, e.Err = table.parse(hc.DER)
			}
			out[i] = e
		}
	}
	// A store of thousands of CA certificates is parsed on every CPU: the
	// other checks are waiting for it. Each entry keeps its place.
	workers := runtime.GOMAXPROCS(0)
	if len(list) < parallelParseMin || workers < 2 {
		fill(0, len(list))
	} else {
		var wg sync.WaitGroup
		per := (len(list) + workers - 1) / workers
		for from := 0; from < len(list); from += per {
			to := from + per
			if to > len(list) {
				to = len(list)
			}
			wg.Add(1)
			go func(from, to int) {
				defer wg.Done()
				fill(from, to)
			}(from, to)
		}
		wg.Wait()
	}
	// Full slice expression: an append by a caller never writes into the
	// shared array.
	return out[:len(out):len(out)], nil
}

// parallelParseMin is the store size from which parsing is spread over
// the CPUs (below it the goroutines cost more than they save).
const parallelParseMin = 256

// parse parses der once per run (t nil: always). Only certificates that
// parsed are kept (a damaged entry is rare, parsing it again is cheap), and
// a hit is used only when the bytes are equal, so no hash collision can
// swap one certificate for another.
func (t *parsed) parse(der []byte) (*pki.Certificate, error) {
	if t == nil {
		return pki.ParseDER(der)
	}
	h := maphash.Bytes(t.seed, der)
	t.mu.Lock()
	for _, c := range t.m[h] {
		if bytes.Equal(c.Raw, der) {
			t.mu.Unlock()
			return c, nil
		}
	}
	t.mu.Unlock()
	c, err := pki.ParseDER(der)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, o := range t.m[h] {
		if bytes.Equal(o.Raw, der) {
			return o, nil // parsed meanwhile for another store
		}
	}
	t.m[h] = append(t.m[h], c)
	return c, nil
}
