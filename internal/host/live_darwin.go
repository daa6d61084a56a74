package host

import "context"

// darwinHost is the live back end on macOS.
type darwinHost struct {
	base
	noRegistry
	facts Facts
}

func newLive(opts LiveOptions) (Host, error) {
	return &darwinHost{facts: commonFacts()}, nil
}

// Facts implements Host.
func (h *darwinHost) Facts() Facts { return h.facts }

// Certificates implements Host.
func (h *darwinHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	return nil, nil
}
