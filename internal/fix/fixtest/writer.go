// Package fixtest is a host.Writer for tests: it applies the changes of
// `gmu-doctor fix` to a host.Snapshot, so that a check run on a new
// SnapshotHost of the same document sees the repaired workstation, and
// records every call. It can be told to fail at a given call.
package fixtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
)

// Writer changes Snap in place.
type Writer struct {
	Snap *host.Snapshot
	// FailAt makes the n-th mutating call (1-based) fail; 0 never.
	FailAt int
	// AllowRun lists the argv[0] RunFixed accepts (others: ErrNotAllowed).
	AllowRun []string
	// Running are the processes ProcessRunning reports.
	Running []string

	mu    sync.Mutex
	calls []string
	n     int
}

// Calls returns the calls made so far ("add-cert CurrentUser\CA <sha1>" …).
func (w *Writer) Calls() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.calls...)
}

func (w *Writer) call(s string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, s)
	w.n++
	if w.FailAt > 0 && w.n == w.FailAt {
		return fmt.Errorf("%s: injected failure", s)
	}
	return nil
}

func (w *Writer) store(loc host.StoreLocation, store host.StoreName, create bool) *host.SnapStore {
	for i := range w.Snap.CertStores {
		s := &w.Snap.CertStores[i]
		if strings.EqualFold(string(s.Location), string(loc)) && strings.EqualFold(string(s.Store), string(store)) {
			return s
		}
	}
	if !create {
		return nil
	}
	w.Snap.CertStores = append(w.Snap.CertStores, host.SnapStore{Location: loc, Store: store, Certificates: []host.Certificate{}})
	return &w.Snap.CertStores[len(w.Snap.CertStores)-1]
}

// AddCertificate implements host.Writer.
func (w *Writer) AddCertificate(ctx context.Context, loc host.StoreLocation, store host.StoreName, der []byte) (bool, error) {
	sha := host.Thumbprint(der)
	if err := w.call(fmt.Sprintf("add-cert %s\\%s %s", loc, store, sha)); err != nil {
		return false, err
	}
	s := w.store(loc, store, true)
	for _, c := range s.Certificates {
		if c.SHA1 == sha {
			return false, nil
		}
	}
	s.Certificates = append(s.Certificates, host.Certificate{SHA1: sha, DER: append([]byte(nil), der...), Source: "fixtest"})
	return true, nil
}

type removed struct {
	Index int              `json:"index"`
	Cert  host.Certificate `json:"cert"`
}

// RemoveCertificate implements host.Writer.
func (w *Writer) RemoveCertificate(ctx context.Context, loc host.StoreLocation, store host.StoreName, sha1 string) (*host.RemovedCert, error) {
	if err := w.call(fmt.Sprintf("remove-cert %s\\%s %s", loc, store, sha1)); err != nil {
		return nil, err
	}
	s := w.store(loc, store, false)
	if s == nil {
		return nil, nil
	}
	for i, c := range s.Certificates {
		if strings.EqualFold(c.SHA1, sha1) {
			blob, _ := json.Marshal(removed{Index: i, Cert: c})
			s.Certificates = append(s.Certificates[:i:i], s.Certificates[i+1:]...)
			return &host.RemovedCert{SHA1: c.SHA1, DER: c.DER, Blob: blob}, nil
		}
	}
	return nil, nil
}

// RestoreCertificate implements host.Writer.
func (w *Writer) RestoreCertificate(ctx context.Context, loc host.StoreLocation, store host.StoreName, rc *host.RemovedCert) error {
	if err := w.call(fmt.Sprintf("restore-cert %s\\%s %s", loc, store, rc.SHA1)); err != nil {
		return err
	}
	var r removed
	if err := json.Unmarshal(rc.Blob, &r); err != nil {
		return err
	}
	s := w.store(loc, store, true)
	if r.Index > len(s.Certificates) {
		r.Index = len(s.Certificates)
	}
	s.Certificates = append(s.Certificates[:r.Index:r.Index], append([]host.Certificate{r.Cert}, s.Certificates[r.Index:]...)...)
	return nil
}

func (w *Writer) key(path string, view host.RegView) *host.RegKey {
	want := host.RegIndexKey(path, view)
	for i := range w.Snap.Registry {
		k := &w.Snap.Registry[i]
		if host.RegIndexKey(k.Path, k.View) == want {
			return k
		}
	}
	return nil
}

// SetRegistryValue implements host.Writer.
func (w *Writer) SetRegistryValue(ctx context.Context, key string, view host.RegView, v host.RegValue) (host.RegChange, error) {
	ch := host.RegChange{Key: key, View: view, Name: v.Name}
	if err := w.call(fmt.Sprintf("set-reg %s|%s %s", key, view, v.Name)); err != nil {
		return ch, err
	}
	typ, data, err := host.EncodeRegValue(v)
	if err != nil {
		return ch, err
	}
	// create the missing keys, outermost first
	root, sub := host.SplitRegPath(key)
	parts := strings.Split(sub, `\`)
	for i := range parts {
		p := root + `\` + strings.Join(parts[:i+1], `\`)
		k := w.key(p, view)
		if k == nil {
			w.Snap.Registry = append(w.Snap.Registry, host.RegKey{Path: p, View: view})
			k = &w.Snap.Registry[len(w.Snap.Registry)-1]
		}
		if !k.Exists {
			k.Exists = true
			ch.CreatedKeys = append(ch.CreatedKeys, p)
			if parent := w.key(root+`\`+strings.Join(parts[:i], `\`), view); parent != nil && i > 0 && !parent.HasSubKey(parts[i]) {
				parent.SubKeys = append(parent.SubKeys, parts[i])
			}
		}
	}
	k := w.key(key, view)
	nv := host.DecodeRegValue(v.Name, typ, data)
	for i, old := range k.Values {
		if strings.EqualFold(old.Name, v.Name) {
			ot, od, err := host.EncodeRegValue(old)
			if err != nil {
				return ch, err
			}
			ch.Existed, ch.PrevType, ch.PrevData = true, ot, od
			if ot == typ && string(od) == string(data) {
				return ch, nil
			}
			k.Values[i] = nv
			ch.Changed = true
			return ch, nil
		}
	}
	k.Values = append(k.Values, nv)
	ch.Changed = true
	return ch, nil
}

// RestoreRegistryValue implements host.Writer.
func (w *Writer) RestoreRegistryValue(ctx context.Context, ch host.RegChange) error {
	if err := w.call(fmt.Sprintf("restore-reg %s|%s %s", ch.Key, ch.View, ch.Name)); err != nil {
		return err
	}
	k := w.key(ch.Key, ch.View)
	if k == nil {
		return errors.New("key vanished")
	}
	for i, old := range k.Values {
		if strings.EqualFold(old.Name, ch.Name) {
			if ch.Existed {
				k.Values[i] = host.DecodeRegValue(ch.Name, ch.PrevType, ch.PrevData)
			} else {
				k.Values = append(k.Values[:i:i], k.Values[i+1:]...)
			}
			break
		}
	}
	for i := len(ch.CreatedKeys) - 1; i >= 0; i-- {
		p := ch.CreatedKeys[i]
		ck := w.key(p, ch.View)
		if ck == nil || len(ck.Values) > 0 || len(ck.SubKeys) > 0 {
			continue
		}
		ck.Exists = false
		ck.SubKeys, ck.Values = nil, nil
		root, sub := host.SplitRegPath(p)
		if j := strings.LastIndexByte(sub, '\\'); j >= 0 {
			if parent := w.key(root+`\`+sub[:j], ch.View); parent != nil {
				for n, s := range parent.SubKeys {
					if strings.EqualFold(s, sub[j+1:]) {
						parent.SubKeys = append(parent.SubKeys[:n:n], parent.SubKeys[n+1:]...)
						break
					}
				}
				if len(parent.SubKeys) == 0 {
					parent.SubKeys = nil
				}
			}
		}
	}
	return nil
}

// RunFixed implements host.Writer: it records the command and succeeds
// when argv[0] is allowed.
func (w *Writer) RunFixed(ctx context.Context, argv []string) (host.CommandResult, error) {
	if err := w.call("run " + strings.Join(argv, " ")); err != nil {
		return host.CommandResult{}, err
	}
	for _, a := range w.AllowRun {
		if len(argv) > 0 && argv[0] == a {
			return host.CommandResult{}, nil
		}
	}
	return host.CommandResult{}, host.ErrNotAllowed
}

// ProcessRunning implements host.Writer: the names in Running are running.
func (w *Writer) ProcessRunning(ctx context.Context, name string) (bool, error) {
	for _, r := range w.Running {
		if strings.EqualFold(r, name) {
			return true, nil
		}
	}
	return false, nil
}

// RemoveDir implements host.Writer: it drops the path and what is below
// it from the snapshot's files.
func (w *Writer) RemoveDir(ctx context.Context, path string) (bool, error) {
	if err := w.call("remove-dir " + path); err != nil {
		return false, err
	}
	existed := false
	key := host.FileIndexKey(w.Snap.OS, path)
	out := w.Snap.Files[:0]
	for _, f := range w.Snap.Files {
		k := host.FileIndexKey(w.Snap.OS, f.Path)
		if k == key || strings.HasPrefix(k, key+`\`) || strings.HasPrefix(k, key+"/") {
			if f.Exists {
				existed = true
			}
			if k == key {
				out = append(out, host.SnapFile{FileInfo: host.FileInfo{Path: f.Path}})
			}
			continue
		}
		out = append(out, f)
	}
	w.Snap.Files = out
	return existed, nil
}

var _ host.Writer = (*Writer)(nil)
