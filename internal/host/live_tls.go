package host

import "context"

// TLSHandshake implements Host. Placeholder until TLS probing is built
// (i13-tls replaces this file): every handshake is an answer saying so.
func (b *base) TLSHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error) {
	if err := b.network().begin(ctx, req.Addr); err != nil {
		return TLSRecord{}, err
	}
	return TLSRecord{Addr: req.Addr, ServerName: req.ServerName, Mode: req.Mode,
		Error: "TLS probing not built yet", ErrorKind: NetTLS}, nil
}
