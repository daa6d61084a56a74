package host

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDescribeTrustError(t *testing.T) {
	for _, tc := range []struct {
		status uint32
		want   []string
	}{
		{0, nil},
		{0x8, []string{"CERT_TRUST_IS_NOT_SIGNATURE_VALID"}},
		{0x10000, []string{"CERT_TRUST_IS_PARTIAL_CHAIN"}},
		{0x1 | 0x20, []string{"CERT_TRUST_IS_NOT_TIME_VALID", "CERT_TRUST_IS_UNTRUSTED_ROOT"}},
		{0x40 | 0x1000000, []string{"CERT_TRUST_REVOCATION_STATUS_UNKNOWN", "CERT_TRUST_IS_OFFLINE_REVOCATION"}},
		{0x08000000 | 0x04000000 | 0x02000000, []string{"CERT_TRUST_NO_ISSUANCE_CHAIN_POLICY", "CERT_TRUST_IS_EXPLICIT_DISTRUST", "CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT"}},
		{0x4 | 0x10 | 0x80 | 0x20000 | 0x100000, []string{"CERT_TRUST_IS_REVOKED", "CERT_TRUST_IS_NOT_VALID_FOR_USAGE", "CERT_TRUST_IS_CYCLIC", "CERT_TRUST_CTL_IS_NOT_TIME_VALID", "CERT_TRUST_HAS_WEAK_SIGNATURE"}},
		// bits without a name are kept, in hex, not dropped
		{0x2, []string{"0x00000002"}},
		{0x8 | 0x80000000 | 0x2, []string{"CERT_TRUST_IS_NOT_SIGNATURE_VALID", "0x80000002"}},
	} {
		if got := DescribeTrustError(tc.status); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DescribeTrustError(%#x) = %q, want %q", tc.status, got, tc.want)
		}
	}
	// every named flag is a single distinct bit
	seen := uint32(0)
	for _, f := range trustErrorNames {
		if f.bit == 0 || f.bit&(f.bit-1) != 0 || seen&f.bit != 0 {
			t.Errorf("%s: %#x is not a new single bit", f.name, f.bit)
		}
		seen |= f.bit
	}
}

func chainSnapshot(goos string, cs ...ChainStatus) *Snapshot {
	return &Snapshot{SnapshotVersion: SnapshotVersion, CollectedAt: time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC),
		Facts: Facts{OS: goos}, ChainStatus: cs}
}

func TestSnapshotHostChainStatus(t *testing.T) {
	ctx := context.Background()
	leaf := fakeCert("leaf").SHA1
	want := ChainStatus{SHA1: leaf, Location: CurrentUser, Store: StoreMy, TrustErrorStatus: 0x8, ChainLength: 3}
	h := NewSnapshotHost(chainSnapshot("windows", want))
	got, err := h.ChainStatus(ctx, "currentuser", "MY", strings.ToLower(leaf))
	if err != nil || got != want {
		t.Errorf("recorded verdict: %+v, %v; want %+v", got, err, want)
	}
	// A snapshot made before the section existed: not recorded, never a
	// made-up "no errors".
	if _, err := h.ChainStatus(ctx, LocalMachine, StoreMy, leaf); !errors.Is(err, ErrNotRecorded) {
		t.Errorf("unrecorded verdict: %v, want ErrNotRecorded", err)
	}
	if _, err := NewSnapshotHost(chainSnapshot("windows")).ChainStatus(ctx, CurrentUser, StoreMy, leaf); !errors.Is(err, ErrNotRecorded) {
		t.Errorf("snapshot without chain_status: %v, want ErrNotRecorded", err)
	}
	if _, err := NewSnapshotHost(chainSnapshot("linux")).ChainStatus(ctx, CurrentUser, StoreMy, leaf); !errors.Is(err, ErrNotSupported) {
		t.Errorf("linux snapshot: %v, want ErrNotSupported", err)
	}
	if err := chainSnapshot("linux", want).Validate(); err == nil || !strings.Contains(err.Error(), "only on windows") {
		t.Errorf("chain_status in a linux snapshot: %v", err)
	}
}

func TestRecorderChainStatus(t *testing.T) {
	ctx := context.Background()
	leaf := fakeCert("leaf").SHA1
	// Off Windows nothing is recorded.
	rec := NewRecorder(newFakeHost("linux"))
	if _, err := rec.ChainStatus(ctx, CurrentUser, StoreMy, leaf); !errors.Is(err, ErrNotSupported) {
		t.Fatalf("linux: %v", err)
	}
	if n := len(rec.Snapshot("").ChainStatus); n != 0 {
		t.Errorf("recorded %d verdicts off Windows", n)
	}
	// On Windows: verdicts, per-certificate errors, but not a cancelled
	// caller's question or one that is not a thumbprint.
	f := newFakeHost("windows")
	rec = NewRecorder(f)
	rec.ChainStatus(ctx, CurrentUser, StoreMy, strings.ToLower(leaf))
	rec.ChainStatus(ctx, LocalMachine, StoreMy, leaf)
	rec.ChainStatus(ctx, LocalMachine, StoreMy, "not a thumbprint")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	rec.ChainStatus(cctx, LocalMachine, StoreRoot, fakeCert("root1").SHA1)
	got := rec.Snapshot("").ChainStatus
	want := []ChainStatus{
		{SHA1: leaf, Location: CurrentUser, Store: StoreMy, TrustErrorStatus: TrustIsNotSignatureValid, TrustInfoStatus: 0x100, ChainLength: 3},
		{SHA1: leaf, Location: LocalMachine, Store: StoreMy, Error: "the certificate is not in the store"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("recorded %+v\nwant     %+v", got, want)
	}
	h := replay(t, rec)
	if c, err := h.ChainStatus(ctx, CurrentUser, StoreMy, leaf); err != nil || c.ChainLength != 3 || c.TrustErrorStatus != 0x8 {
		t.Errorf("replay: %+v, %v", c, err)
	}
}
