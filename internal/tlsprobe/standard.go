package tlsprobe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// ProbeStandard runs a crypto/tls client handshake (TLS 1.0–1.3 with Go's
// RSA/ECDSA suites) over conn without verifying anything, and returns the
// negotiated version and suite with the chain as the server sent it. Trust
// is judged by the caller against the workstation's Root stores, never
// against Go's system pool. crypto/tls bounds handshake messages itself
// (64 KiB). The caller closes conn.
func ProbeStandard(ctx context.Context, conn net.Conn, cfg Config) (*Result, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var chain [][]byte
	tc := &tls.Config{
		ServerName: cfg.ServerName,
		// Trust is judged against the workstation's own stores by the
		// checks; Go's system pool means nothing for this workstation.
		InsecureSkipVerify: true, //nolint:gosec
		MinVersion:         tls.VersionTLS10,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			for _, c := range raw {
				chain = append(chain, append([]byte(nil), c...))
			}
			return nil
		},
	}
	c := tls.Client(conn, tc)
	if err := c.HandshakeContext(ctx); err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
			return nil, ctx.Err()
		}
		return nil, classifyStandard(err)
	}
	st := c.ConnectionState()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	_ = c.Close()
	if len(chain) == 0 {
		return nil, protoErr("server sent no certificate")
	}
	return &Result{Version: st.Version, CipherSuite: st.CipherSuite, Certificates: chain}, nil
}

// goAlertNames maps crypto/tls's alert wording (Go 1.20: the alert type is
// not exported, only its text "remote error: tls: …") to RFC names where
// the two differ; the others are the RFC name with spaces.
var goAlertNames = map[string]string{
	"protocol version not supported":      "protocol_version",
	"insufficient security level":         "insufficient_security",
	"error decoding message":              "decode_error",
	"error decrypting message":            "decrypt_error",
	"unknown certificate authority":       "unknown_ca",
	"bad record mac":                      "bad_record_mac",
	"invalid certificate status response": "bad_certificate_status_response",
}

// classifyStandard turns a crypto/tls handshake error into an *Error.
func classifyStandard(err error) *Error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return &Error{Kind: KindTimeout, Msg: "timed out during the TLS handshake"}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Kind: KindReset, Msg: "server closed the connection during the TLS handshake"}
	}
	msg := err.Error()
	if i := strings.Index(msg, "remote error: tls: "); i >= 0 {
		text := strings.ToLower(msg[i+len("remote error: tls: "):])
		name, ok := goAlertNames[text]
		if !ok {
			name = strings.ReplaceAll(text, " ", "_")
		}
		if a, ok := AlertByName(name); ok {
			return &Error{Kind: KindTLS, Alert: &a, Msg: "server sent TLS alert " + a.Name()}
		}
		return &Error{Kind: KindTLS, Msg: "server sent TLS alert: " + text}
	}
	if strings.Contains(msg, "connection reset") {
		return &Error{Kind: KindReset, Msg: "server reset the connection during the TLS handshake"}
	}
	if strings.Contains(msg, "exceeds maximum") {
		return &Error{Kind: KindTooLarge, Msg: msg}
	}
	return &Error{Kind: KindTLS, Msg: msg}
}
