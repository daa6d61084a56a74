package pki

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"unicode/utf16"
)

// ErrNoCertificate is returned by Parse when the input holds no certificate.
var ErrNoCertificate = errors.New("no certificate found")

// maxParseInput bounds what Parse accepts (a store export with thousands of
// CA certificates is ~7 MB).
const maxParseInput = 64 << 20

// Parse reads certificates in the forms users have them: DER; one or many
// PEM blocks with any text around them; base64 text as Windows exports it
// (with or without BEGIN/END lines, CRLF line ends, spaces, UTF-8 or
// UTF-16 with a byte order mark); PKCS #7
// SignedData (.p7b bundles, .p7s signatures, DER/BER or PEM "PKCS7"), whose
// certificates are returned in their order. PEM blocks of other types
// (keys, requests) are skipped. A certificate block that does
// not decode is an error naming the block.
func Parse(data []byte) ([]*Certificate, error) {
	if len(data) > maxParseInput {
		return nil, fmt.Errorf("parse certificates: input of %d bytes is too large", len(data))
	}
	data = fromUTF16(data)
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 BOM
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, ErrNoCertificate
	}
	if trimmed[0] == 0x30 && !isText(trimmed) {
		if isPKCS7(data) {
			return parsePKCS7(data)
		}
		c, err := ParseDER(data)
		if err != nil {
			return nil, err
		}
		return []*Certificate{c}, nil
	}
	if bytes.Contains(data, []byte("-----BEGIN ")) {
		return parsePEM(data)
	}
	der, err := decodeBase64Text(trimmed)
	if err != nil {
		return nil, fmt.Errorf("parse certificates: neither DER, PEM nor base64: %w", err)
	}
	if isPKCS7(der) {
		return parsePKCS7(der)
	}
	c, err := ParseDER(der)
	if err != nil {
		return nil, err
	}
	return []*Certificate{c}, nil
}

// fromUTF16 converts text with a UTF-16 byte order mark (what Windows
// PowerShell writes by default) to UTF-8; other input is returned as is.
func fromUTF16(b []byte) []byte {
	if len(b) < 2 || len(b)%2 != 0 {
		return b
	}
	var le bool
	switch {
	case b[0] == 0xff && b[1] == 0xfe:
		le = true
	case b[0] == 0xfe && b[1] == 0xff:
	default:
		return b
	}
	u := make([]uint16, 0, len(b)/2-1)
	for i := 2; i+1 < len(b); i += 2 {
		if le {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		} else {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// isText reports whether b looks like text: base64 characters and white
// space only. A DER certificate starts with 0x30 = '0', so the check keeps
// a base64 text that begins with a zero digit from being read as DER.
func isText(b []byte) bool {
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == ' ' ||
			c == '\r' || c == '\n' || c == '\t') {
			return false
		}
	}
	return true
}

var (
	pemBegin = []byte("-----BEGIN ")
	pemDash  = []byte("-----")
)

func parsePEM(data []byte) ([]*Certificate, error) {
	var out []*Certificate
	rest := data
	block := 0
	for {
		i := bytes.Index(rest, pemBegin)
		if i < 0 {
			break
		}
		rest = rest[i+len(pemBegin):]
		j := bytes.Index(rest, pemDash)
		if j < 0 {
			return nil, fmt.Errorf("parse PEM block %d: unterminated BEGIN line", block+1)
		}
		typ := string(rest[:j])
		rest = rest[j+len(pemDash):]
		end := []byte("-----END " + typ + "-----")
		k := bytes.Index(rest, end)
		if k < 0 {
			return nil, fmt.Errorf("parse PEM block %d (%s): no END line", block+1, typ)
		}
		body := rest[:k]
		rest = rest[k+len(end):]
		block++
		pkcs7 := false
		switch typ {
		case "CERTIFICATE", "X509 CERTIFICATE":
		case "PKCS7", "CMS", "PKCS #7 SIGNED DATA":
			pkcs7 = true
		default:
			continue
		}
		der, err := decodeBase64Text(stripPEMHeaders(body))
		if err != nil {
			return nil, fmt.Errorf("parse PEM block %d: %w", block, err)
		}
		if pkcs7 {
			certs, err := parsePKCS7(der)
			if err != nil {
				return nil, fmt.Errorf("parse PEM block %d: %w", block, err)
			}
			out = append(out, certs...)
			continue
		}
		c, err := ParseDER(der)
		if err != nil {
			return nil, fmt.Errorf("parse PEM block %d: %w", block, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, ErrNoCertificate
	}
	return out, nil
}

// stripPEMHeaders drops RFC 1421 "Name: value" header lines.
func stripPEMHeaders(body []byte) []byte {
	if !bytes.Contains(body, []byte(":")) {
		return body
	}
	var keep [][]byte
	for _, line := range bytes.Split(body, []byte("\n")) {
		if bytes.Contains(line, []byte(":")) {
			continue
		}
		keep = append(keep, line)
	}
	return bytes.Join(keep, []byte("\n"))
}

// decodeBase64Text decodes base64 with white space anywhere, padded or
// not, standard or URL alphabet.
func decodeBase64Text(b []byte) ([]byte, error) {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '\v', '\f':
			continue
		}
		clean = append(clean, c)
	}
	if len(clean) == 0 {
		return nil, ErrNoCertificate
	}
	clean = bytes.TrimRight(clean, "=")
	d := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	if n, err := base64.RawStdEncoding.Decode(d, clean); err == nil {
		return d[:n:n], nil
	}
	n, err := base64.RawURLEncoding.Decode(d, clean)
	if err != nil {
		return nil, fmt.Errorf("decode base64: %w", err)
	}
	return d[:n:n], nil
}
