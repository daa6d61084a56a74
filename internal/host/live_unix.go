//go:build !windows

package host

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"runtime"
	"time"
)

// commonFacts fills the facts every Unix-like back end can read the same way.
func commonFacts() Facts {
	f := Facts{OS: runtime.GOOS, Arch: runtime.GOARCH, ProcessArch: runtime.GOARCH}
	if h, err := os.Hostname(); err == nil {
		f.Hostname = h
	} else {
		f.Errors = append(f.Errors, fmt.Sprintf("read hostname: %v", err))
	}
	if u, err := user.Current(); err == nil {
		f.User, f.Home = u.Username, u.HomeDir
	} else {
		f.Errors = append(f.Errors, fmt.Sprintf("read current user: %v", err))
	}
	f.Elevated = os.Geteuid() == 0
	now := time.Now()
	name, off := now.Zone()
	f.TimeZone, f.UTCOffsetSeconds = name, off
	if tz := os.Getenv("TZ"); tz != "" {
		f.TimeZone = tz
	}
	return f
}

// noRegistry is embedded by back ends of systems without a registry.
type noRegistry struct{}

// RegistryKey implements Host: there is no registry here.
func (noRegistry) RegistryKey(ctx context.Context, p string, view RegView) (RegKey, error) {
	return RegKey{}, fmt.Errorf("read registry key %s: %w", p, ErrNotSupported)
}

// noCryptoAPI is embedded by back ends of systems without Microsoft
// CryptoAPI.
type noCryptoAPI struct{}

// ChainStatus implements Host: there is no CryptoAPI chain engine here.
func (noCryptoAPI) ChainStatus(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (ChainStatus, error) {
	return ChainStatus{}, fmt.Errorf("build chain of %s: %w", sha1, ErrNotSupported)
}
