package host

import "context"

// linuxHost is the live back end on Linux.
type linuxHost struct {
	base
	noRegistry
	facts Facts
}

func newLive(opts LiveOptions) (Host, error) {
	return &linuxHost{facts: commonFacts()}, nil
}

// Facts implements Host.
func (h *linuxHost) Facts() Facts { return h.facts }

// Certificates implements Host.
func (h *linuxHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	return nil, nil
}
