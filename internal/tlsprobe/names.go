package tlsprobe

import (
	"crypto/tls"
	"fmt"
)

// GOST cipher suites of TLS 1.2. The code points and OpenSSL names were
// checked against RFC 9189 §10 (IANA registry: 0xC100–0xC102) and against
// `openssl ciphers -V` with gost-engine 3.0.1 on Debian 12, which also
// lists the pre-RFC CryptoPro code points 0xFF85 and 0x0081
// (draft-chudov-cryptopro-cptls).
const (
	// SuiteKuznyechikCTROMAC is TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC
	// (OpenSSL: GOST2012-KUZNYECHIK-KUZNYECHIKOMAC).
	SuiteKuznyechikCTROMAC uint16 = 0xC100
	// SuiteMagmaCTROMAC is TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC
	// (OpenSSL: GOST2012-MAGMA-MAGMAOMAC).
	SuiteMagmaCTROMAC uint16 = 0xC101
	// Suite28147CNTIMIT is TLS_GOSTR341112_256_WITH_28147_CNT_IMIT as
	// registered by RFC 9189 (OpenSSL: IANA-GOST2012-GOST8912-GOST8912).
	Suite28147CNTIMIT uint16 = 0xC102
	// SuiteLegacy2012CNTIMIT is the pre-RFC code point CryptoPro CSP and
	// most Russian GOST-TLS servers use for GOST R 34.10-2012 keys with
	// 28147-89 (OpenSSL: LEGACY-GOST2012-GOST8912-GOST8912).
	SuiteLegacy2012CNTIMIT uint16 = 0xFF85
	// SuiteLegacy2001CNTIMIT is TLS_GOSTR341001_WITH_28147_CNT_IMIT
	// (OpenSSL: GOST2001-GOST89-GOST89), for servers with a 2001 key.
	SuiteLegacy2001CNTIMIT uint16 = 0x0081
)

// GOSTSuites are the suites a GOST ClientHello offers, in preference order.
var GOSTSuites = []uint16{
	SuiteKuznyechikCTROMAC,
	SuiteMagmaCTROMAC,
	SuiteLegacy2012CNTIMIT,
	Suite28147CNTIMIT,
	SuiteLegacy2001CNTIMIT,
}

var gostSuiteNames = map[uint16]string{
	SuiteKuznyechikCTROMAC: "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
	SuiteMagmaCTROMAC:      "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC",
	Suite28147CNTIMIT:      "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",
	SuiteLegacy2012CNTIMIT: "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT (legacy 0xFF85)",
	SuiteLegacy2001CNTIMIT: "TLS_GOSTR341001_WITH_28147_CNT_IMIT",
}

// IsGOSTSuite reports whether id is one of the GOST suites.
func IsGOSTSuite(id uint16) bool { _, ok := gostSuiteNames[id]; return ok }

// SuiteName names a cipher suite: the GOST suites by their RFC 9189 names,
// the others as crypto/tls does ("0xC0FF" when unknown).
func SuiteName(id uint16) string {
	if n, ok := gostSuiteNames[id]; ok {
		return n
	}
	return tls.CipherSuiteName(id)
}

// VersionName names a TLS protocol version ("TLS 1.2").
func VersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSL 3.0"
	case 0x0301:
		return "TLS 1.0"
	case 0x0302:
		return "TLS 1.1"
	case 0x0303:
		return "TLS 1.2"
	case 0x0304:
		return "TLS 1.3"
	}
	return fmt.Sprintf("0x%04X", v)
}

// alertNames are the TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2).
var alertNames = map[uint8]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
	22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate",
	42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
	45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
	49: "access_denied", 50: "decode_error", 51: "decrypt_error", 60: "export_restriction",
	70: "protocol_version", 71: "insufficient_security", 80: "internal_error",
	86: "inappropriate_fallback", 90: "user_canceled", 100: "no_renegotiation",
	109: "missing_extension", 110: "unsupported_extension", 112: "unrecognized_name",
	113: "bad_certificate_status_response", 115: "unknown_psk_identity", 116: "certificate_required",
	120: "no_application_protocol",
}

// Alert is a TLS alert the server sent.
type Alert struct {
	Level       uint8 // 1 warning, 2 fatal
	Description uint8
}

// Name is the alert's name and number, e.g. "handshake_failure (40)".
func (a Alert) Name() string {
	if n, ok := alertNames[a.Description]; ok {
		return fmt.Sprintf("%s (%d)", n, a.Description)
	}
	return fmt.Sprintf("unknown alert (%d)", a.Description)
}

// AlertByName returns the alert whose name (e.g. "handshake_failure") is
// given, for alerts reported as text by crypto/tls.
func AlertByName(name string) (Alert, bool) {
	for d, n := range alertNames {
		if n == name {
			return Alert{Level: 2, Description: d}, true
		}
	}
	return Alert{}, false
}

// NoSharedSuite reports whether the alert is how servers refuse every
// offered cipher suite (handshake_failure, insufficient_security).
func (a Alert) NoSharedSuite() bool { return a.Description == 40 || a.Description == 71 }
