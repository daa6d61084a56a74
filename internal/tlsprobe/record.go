package tlsprobe

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
)

// TLS record content types.
const (
	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22
	recordApplicationData  = 23
)

// Handshake message types.
const (
	msgHelloRequest      = 0
	msgServerHello       = 2
	msgCertificate       = 11
	msgServerKeyExchange = 12
	msgCertificateReq    = 13
	msgServerHelloDone   = 14
)

// MaxRecordPayload is the largest record fragment a peer may send before
// encryption is on (RFC 5246 §6.2.1: 2^14 bytes; we allow the 2^14+2048
// of a protected record so that a lax server is not refused).
const MaxRecordPayload = 1<<14 + 2048

// DefaultMaxMessage bounds one handshake message. Real Certificate
// messages are a few kilobytes (a Russian qualified chain of three
// certificates is under 6 KB); a message declaring more is refused
// before it is read.
const DefaultMaxMessage = 256 << 10

// Error kinds, the same words as the host's network error kinds.
const (
	KindTLS      = "tls"       // protocol error or a TLS alert
	KindTooLarge = "too-large" // a record or message beyond the caps
	KindTimeout  = "timeout"
	KindReset    = "reset" // the server closed or reset the connection
)

// Error is a failed probe: what happened, classified.
type Error struct {
	Kind  string
	Alert *Alert // set when the server sent a fatal alert
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

func protoErr(format string, args ...any) *Error {
	return &Error{Kind: KindTLS, Msg: fmt.Sprintf(format, args...)}
}

// ioErr classifies a read/write error of the connection.
func ioErr(what string, err error, got, want int) *Error {
	var ne net.Error
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: KindTimeout, Msg: fmt.Sprintf("timed out while reading %s", what)}
	case errors.Is(err, io.EOF) && got == 0:
		return &Error{Kind: KindReset, Msg: fmt.Sprintf("server closed the connection before sending %s", what)}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Kind: KindReset, Msg: fmt.Sprintf("server closed the connection in the middle of %s (%d of %d bytes received)", what, got, want)}
	}
	return &Error{Kind: KindReset, Msg: fmt.Sprintf("reading %s: %v", what, err)}
}

// record is one TLS record.
type record struct {
	typ     uint8
	version uint16
	payload []byte
}

// readFull reads exactly len(buf) bytes, returning how many it got.
func readFull(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	return n, err
}

// readRecord reads one plaintext record, refusing fragments beyond
// MaxRecordPayload and input that is not TLS at all.
func readRecord(r io.Reader) (record, error) {
	var hdr [5]byte
	if n, err := readFull(r, hdr[:]); err != nil {
		return record{}, ioErr("a TLS record header", err, n, len(hdr))
	}
	rec := record{typ: hdr[0], version: uint16(hdr[1])<<8 | uint16(hdr[2])}
	if rec.typ < recordChangeCipherSpec || rec.typ > recordApplicationData || hdr[1] != 3 {
		return record{}, notTLS(hdr[:])
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	if n > MaxRecordPayload {
		return record{}, &Error{Kind: KindTooLarge, Msg: fmt.Sprintf("server sent a TLS record of %d bytes, more than the %d the protocol allows", n, MaxRecordPayload)}
	}
	rec.payload = make([]byte, n)
	if got, err := readFull(r, rec.payload); err != nil {
		if got == 0 && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // the header came: this is mid-record
		}
		return record{}, ioErr("a TLS record", err, got, n)
	}
	return rec, nil
}

// notTLS describes a first answer that is not a TLS record: an HTTP
// server on a TLS port, an SSH banner, an SSL 2 answer.
func notTLS(b []byte) *Error {
	printable := true
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			printable = false
		}
	}
	if printable {
		return protoErr("server did not answer with TLS (it sent %q: a plain-text service such as HTTP on this port?)", string(b))
	}
	return protoErr("server did not answer with TLS (first bytes % X)", b)
}

// handshakeReader reassembles handshake messages from records, handling
// messages split over records and several messages in one record.
type handshakeReader struct {
	r          io.Reader
	buf        []byte // unread handshake bytes
	maxMessage int
	version    uint16 // record-layer version of the first record
}

// next returns the next handshake message type and body.
func (h *handshakeReader) next() (uint8, []byte, error) {
	for len(h.buf) < 4 {
		if err := h.fill("a handshake message"); err != nil {
			return 0, nil, err
		}
	}
	typ := h.buf[0]
	n := int(h.buf[1])<<16 | int(h.buf[2])<<8 | int(h.buf[3])
	if n > h.maxMessage {
		return 0, nil, &Error{Kind: KindTooLarge, Msg: fmt.Sprintf("server's %s message declares %d bytes, more than the %d accepted (a real one is a few kilobytes)", messageName(typ), n, h.maxMessage)}
	}
	for len(h.buf) < 4+n {
		if err := h.fill(fmt.Sprintf("the %s message", messageName(typ))); err != nil {
			return 0, nil, err
		}
	}
	body := h.buf[4 : 4+n]
	h.buf = h.buf[4+n:]
	return typ, body, nil
}

// fill appends the next handshake record's payload; an alert becomes an
// error naming it.
func (h *handshakeReader) fill(what string) error {
	rec, err := readRecord(h.r)
	if err != nil {
		return err
	}
	if h.version == 0 {
		h.version = rec.version
	}
	switch rec.typ {
	case recordHandshake:
		if len(rec.payload) == 0 {
			return protoErr("server sent an empty handshake record")
		}
		h.buf = append(h.buf, rec.payload...)
		return nil
	case recordAlert:
		if len(rec.payload) < 2 {
			return protoErr("server sent a truncated alert record (%d bytes)", len(rec.payload))
		}
		a := Alert{Level: rec.payload[0], Description: rec.payload[1]}
		return &Error{Kind: KindTLS, Alert: &a, Msg: "server sent TLS alert " + a.Name()}
	}
	return protoErr("server sent a record of type %d while %s was expected", rec.typ, what)
}

func messageName(t uint8) string {
	switch t {
	case msgHelloRequest:
		return "HelloRequest"
	case msgServerHello:
		return "ServerHello"
	case msgCertificate:
		return "Certificate"
	case msgServerKeyExchange:
		return "ServerKeyExchange"
	case msgCertificateReq:
		return "CertificateRequest"
	case msgServerHelloDone:
		return "ServerHelloDone"
	}
	return fmt.Sprintf("handshake type %d", t)
}
