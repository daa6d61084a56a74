package host

import (
	"context"
	"runtime"
	"time"
)

// darwinHost is the live back end on macOS.
//
// Certificate stores: CryptoPro CSP for macOS keeps its stores in its own
// format and location, which this build does not know how to read (no
// sample was available), so every store is reported empty and Facts.Errors
// says so. The macOS keychains are not CryptoPro stores and are not read.
type darwinHost struct {
	base
	noRegistry
	noCryptoAPI
	facts Facts
}

func newLive(opts LiveOptions) (Host, error) {
	h := &darwinHost{}
	h.netc = newNetClient(opts.Net, nil)
	h.facts = commonFacts()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h.facts = darwinFacts(ctx, h.base.Run, runtime.GOARCH, h.facts)
	return h, nil
}

// Facts implements Host.
func (h *darwinHost) Facts() Facts { return h.facts }

// Certificates implements Host: always empty, see darwinHost.
func (h *darwinHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	return nil, nil
}
