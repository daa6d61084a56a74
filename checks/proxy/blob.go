package proxy

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Flags of a WinINet/WinHTTP connection-settings blob (the dwFlags of
// INTERNET_PER_CONN_FLAGS: PROXY_TYPE_*).
const (
	flagDirect      = 0x01
	flagProxy       = 0x02
	flagAutoURL     = 0x04
	flagAutoDetect  = 0x08
	maxBlobString   = 32 << 10 // no proxy list or PAC URL is longer
	blobHeaderBytes = 12
)

// ConnSettings is a decoded connection-settings blob: WinINet's
// Connections\DefaultConnectionSettings or WinHTTP's
// Connections\WinHttpSettings (what `netsh winhttp show proxy` prints).
type ConnSettings struct {
	Flags      uint32
	Proxy      string // "host:port" or "http=…;https=…"
	Bypass     string // "<local>;*.corp"
	AutoConfig string // PAC URL (DefaultConnectionSettings only)
}

// UsesProxy reports whether a static proxy is on.
func (c ConnSettings) UsesProxy() bool { return c.Flags&flagProxy != 0 && c.Proxy != "" }

// UsesPAC reports whether a PAC URL is on.
func (c ConnSettings) UsesPAC() bool { return c.Flags&flagAutoURL != 0 && c.AutoConfig != "" }

// AutoDetect reports whether WPAD auto-detection is on.
func (c ConnSettings) AutoDetect() bool { return c.Flags&flagAutoDetect != 0 }

var errShortBlob = errors.New("connection settings blob is truncated")

// ParseConnSettings decodes a blob: version DWORD, counter DWORD, flags
// DWORD, then length-prefixed (DWORD, little-endian) ANSI strings: proxy
// server, bypass list and, when present, the PAC URL. Layout as described
// by Microsoft's INTERNET_PER_CONN_OPTION documentation and the many
// public decoders of DefaultConnectionSettings; lengths are bounded by the
// blob and by maxBlobString.
func ParseConnSettings(b []byte) (ConnSettings, error) {
	var c ConnSettings
	if len(b) < blobHeaderBytes {
		return c, errShortBlob
	}
	c.Flags = binary.LittleEndian.Uint32(b[8:])
	rest := b[blobHeaderBytes:]
	str := func(what string) (string, error) {
		if len(rest) == 0 {
			return "", nil // older blobs end early
		}
		if len(rest) < 4 {
			return "", errShortBlob
		}
		n := binary.LittleEndian.Uint32(rest)
		if n > maxBlobString || int(n) > len(rest)-4 {
			return "", fmt.Errorf("connection settings blob: %s of %d bytes where %d remain", what, n, len(rest)-4)
		}
		s := string(rest[4 : 4+n])
		rest = rest[4+n:]
		return trimNUL(s), nil
	}
	var err error
	if c.Proxy, err = str("proxy server"); err != nil {
		return c, err
	}
	if c.Bypass, err = str("bypass list"); err != nil {
		return c, err
	}
	if c.AutoConfig, err = str("PAC URL"); err != nil {
		return c, err
	}
	return c, nil
}

func trimNUL(s string) string {
	for len(s) > 0 && s[len(s)-1] == 0 {
		s = s[:len(s)-1]
	}
	return s
}
