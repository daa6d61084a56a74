package host

import (
	"context"
	"fmt"
	"os"
	"runtime"
)

// windowsHost is the live back end on Windows.
type windowsHost struct {
	base
	facts Facts
}

func newLive(opts LiveOptions) (Host, error) {
	f := Facts{OS: "windows", Arch: runtime.GOARCH, ProcessArch: runtime.GOARCH}
	f.Hostname, _ = os.Hostname()
	return &windowsHost{facts: f}, nil
}

// Facts implements Host.
func (h *windowsHost) Facts() Facts { return h.facts }

// Certificates implements Host.
func (h *windowsHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	return nil, fmt.Errorf("read store %s\\%s: %w", loc, store, ErrNotSupported)
}

// RegistryKey implements Host.
func (h *windowsHost) RegistryKey(ctx context.Context, p string, view RegView) (RegKey, error) {
	return RegKey{}, fmt.Errorf("read registry key %s: %w", p, ErrNotSupported)
}
