// Package tlsprobe looks at a TLS server's first handshake flight: which
// protocol version and cipher suite it chooses and which certificate chain
// it presents. It never finishes a handshake and never judges trust (the
// checks do that against the workstation's own Root stores).
//
// GOST mode sends our own TLS 1.2 ClientHello offering only the GOST
// cipher suites (RFC 9189 and the pre-RFC CryptoPro code points), reads
// ServerHello and the Certificate message and stops: no key exchange, so
// no GOST key agreement or record encryption is needed. Standard mode uses
// crypto/tls with verification off and keeps the chain as sent.
//
// Everything the server sends is bounded: a record beyond the protocol's
// size, a handshake message beyond DefaultMaxMessage, a connection closed
// mid-record or a silent server each give an *Error with a kind and a
// sentence, never a panic or an unbounded allocation.
package tlsprobe

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"net"
	"time"
)

// DefaultTimeout bounds a probe whose context has no deadline.
const DefaultTimeout = 10 * time.Second

// Config is what to offer.
type Config struct {
	ServerName string        // SNI; empty or an IP address sends none
	Suites     []uint16      // nil: GOSTSuites
	MaxMessage int           // 0: DefaultMaxMessage
	Timeout    time.Duration // 0: DefaultTimeout (the context's deadline wins when sooner)
}

// Result is what the server answered.
type Result struct {
	Version      uint16   // negotiated protocol version
	CipherSuite  uint16   // chosen cipher suite
	Certificates [][]byte // DER, as sent, leaf first
}

// Signature algorithms offered in GOST mode (TLS 1.2 SignatureAndHash
// pairs): RFC 9189 §8 gostr34102012_256/512 with the intrinsic hash
// (0x0840, 0x0841), and the pre-RFC CryptoPro pairs still used by
// deployed servers — 34.10-2012-256 (0xEEEE), -512 (0xEFEF) and 34.10-2001
// with 34.11-94 (0xEDED), as OpenSSL's gost-engine TLS code names them.
var gostSignatureAlgorithms = []uint16{0x0840, 0x0841, 0xEEEE, 0xEFEF, 0xEDED}

// gostGroups are RFC 9189's supported groups GC256A–D and GC512A–C (34–40).
var gostGroups = []uint16{34, 35, 36, 37, 38, 39, 40}

// Extension numbers.
const (
	extServerName          = 0
	extSupportedGroups     = 10
	extSignatureAlgorithms = 13
	extExtendedMasterSec   = 23
	extRenegotiationInfo   = 0xff01
)

// Probe sends a TLS 1.2 ClientHello over conn and reads the server's
// answer up to its Certificate message. The caller closes conn.
func Probe(ctx context.Context, conn net.Conn, cfg Config) (*Result, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return nil, &Error{Kind: KindReset, Msg: "set connection deadline: " + err.Error()}
	}
	// Cancel the context → unblock reads.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ctx.Done():
			_ = conn.SetDeadline(time.Unix(1, 0))
		case <-stop:
		}
	}()
	hello, err := ClientHello(cfg)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write(hello); err != nil {
		return nil, ioErr("the connection (sending ClientHello)", err, 0, 0)
	}
	res, err := ReadServerFlight(conn, cfg)
	if err == nil {
		// Tell the server we are done before the key exchange.
		_, _ = conn.Write([]byte{recordAlert, 3, 3, 0, 2, 1, 90}) // warning user_canceled
	}
	if err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return res, err
}

// ReadServerFlight reads ServerHello and Certificate from r.
func ReadServerFlight(r interface{ Read([]byte) (int, error) }, cfg Config) (*Result, error) {
	max := cfg.MaxMessage
	if max <= 0 {
		max = DefaultMaxMessage
	}
	suites := cfg.Suites
	if suites == nil {
		suites = GOSTSuites
	}
	h := &handshakeReader{r: r, maxMessage: max}
	var res *Result
	for {
		typ, body, err := h.next()
		if err != nil {
			return nil, err
		}
		switch {
		case typ == msgHelloRequest:
			continue
		case res == nil && typ != msgServerHello:
			return nil, protoErr("server sent %s before ServerHello", messageName(typ))
		case typ == msgServerHello:
			if res != nil {
				return nil, protoErr("server sent a second ServerHello")
			}
			v, suite, err := parseServerHello(body)
			if err != nil {
				return nil, err
			}
			if !containsSuite(suites, suite) {
				return nil, protoErr("server chose cipher suite %s, which was not offered", SuiteName(suite))
			}
			res = &Result{Version: v, CipherSuite: suite}
		case typ == msgCertificate:
			certs, err := parseCertificate(body)
			if err != nil {
				return nil, err
			}
			res.Certificates = certs
			return res, nil
		default:
			// ServerKeyExchange or ServerHelloDone before Certificate:
			// an anonymous suite, which we never offer.
			return nil, protoErr("server sent %s without a Certificate message", messageName(typ))
		}
	}
}

func containsSuite(list []uint16, s uint16) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ClientHello builds the record carrying our TLS 1.2 ClientHello.
func ClientHello(cfg Config) ([]byte, error) {
	suites := cfg.Suites
	if suites == nil {
		suites = GOSTSuites
	}
	var random [32]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, &Error{Kind: KindTLS, Msg: "client random: " + err.Error()}
	}
	var b []byte
	b = append(b, 3, 3) // client_version TLS 1.2
	b = append(b, random[:]...)
	b = append(b, 0) // empty session id
	b = u16(b, len(suites)*2)
	for _, s := range suites {
		b = u16(b, int(s))
	}
	b = append(b, 1, 0) // compression: null only

	var ext []byte
	if name := cfg.ServerName; name != "" && net.ParseIP(name) == nil && len(name) < 256 {
		// server_name_list → host_name(0)
		ext = u16(ext, extServerName)
		ext = u16(ext, len(name)+5)
		ext = u16(ext, len(name)+3)
		ext = append(ext, 0)
		ext = u16(ext, len(name))
		ext = append(ext, name...)
	}
	ext = u16(ext, extSupportedGroups)
	ext = u16(ext, 2+2*len(gostGroups))
	ext = u16(ext, 2*len(gostGroups))
	for _, g := range gostGroups {
		ext = u16(ext, int(g))
	}
	ext = u16(ext, extSignatureAlgorithms)
	ext = u16(ext, 2+2*len(gostSignatureAlgorithms))
	ext = u16(ext, 2*len(gostSignatureAlgorithms))
	for _, s := range gostSignatureAlgorithms {
		ext = u16(ext, int(s))
	}
	ext = u16(ext, extExtendedMasterSec)
	ext = u16(ext, 0)
	ext = u16(ext, extRenegotiationInfo)
	ext = u16(ext, 1)
	ext = append(ext, 0) // empty renegotiated_connection
	b = u16(b, len(ext))
	b = append(b, ext...)

	msg := []byte{1, byte(len(b) >> 16), byte(len(b) >> 8), byte(len(b))}
	msg = append(msg, b...)
	rec := []byte{recordHandshake, 3, 1} // record version TLS 1.0 for old middleboxes
	rec = u16(rec, len(msg))
	return append(rec, msg...), nil
}

func u16(b []byte, v int) []byte { return binary.BigEndian.AppendUint16(b, uint16(v)) }

// parseServerHello returns the version and suite of a ServerHello body.
func parseServerHello(b []byte) (uint16, uint16, error) {
	if len(b) < 2+32+1 {
		return 0, 0, protoErr("ServerHello is truncated (%d bytes)", len(b))
	}
	v := binary.BigEndian.Uint16(b)
	if v < 0x0300 || v > 0x0303 {
		return 0, 0, protoErr("ServerHello has protocol version 0x%04X", v)
	}
	sid := int(b[34])
	if sid > 32 {
		return 0, 0, protoErr("ServerHello has a session id of %d bytes (at most 32)", sid)
	}
	rest := b[35:]
	if len(rest) < sid+3 {
		return 0, 0, protoErr("ServerHello is truncated (%d bytes)", len(b))
	}
	rest = rest[sid:]
	suite := binary.BigEndian.Uint16(rest)
	if rest[2] != 0 {
		return 0, 0, protoErr("server chose compression method %d, which was not offered", rest[2])
	}
	rest = rest[3:]
	if len(rest) > 0 {
		if len(rest) < 2 || int(binary.BigEndian.Uint16(rest)) != len(rest)-2 {
			return 0, 0, protoErr("ServerHello extensions are malformed")
		}
	}
	return v, suite, nil
}

// parseCertificate splits a Certificate message body into DER
// certificates (not parsed: the checks do that).
func parseCertificate(b []byte) ([][]byte, error) {
	if len(b) < 3 {
		return nil, protoErr("Certificate message is truncated (%d bytes)", len(b))
	}
	n := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
	if n != len(b)-3 {
		return nil, protoErr("Certificate message declares a list of %d bytes but carries %d", n, len(b)-3)
	}
	b = b[3:]
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 3 {
			return nil, protoErr("Certificate message has a truncated entry")
		}
		l := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
		if l == 0 || l > len(b)-3 {
			return nil, protoErr("Certificate message has an entry of %d bytes where %d remain", l, len(b)-3)
		}
		out = append(out, append([]byte(nil), b[3:3+l]...))
		b = b[3+l:]
	}
	if len(out) == 0 {
		return nil, protoErr("server sent an empty certificate chain")
	}
	return out, nil
}
