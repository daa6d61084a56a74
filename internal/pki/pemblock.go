package pki

import (
	"bytes"
)

// pemBlock returns the DER of the first PEM block of type typ in data.
func pemBlock(data []byte, typ string) ([]byte, bool) {
	begin := []byte("-----BEGIN " + typ + "-----")
	i := bytes.Index(data, begin)
	if i < 0 {
		return nil, false
	}
	rest := data[i+len(begin):]
	end := []byte("-----END " + typ + "-----")
	k := bytes.Index(rest, end)
	if k < 0 {
		return nil, false
	}
	der, err := decodeBase64Text(stripPEMHeaders(rest[:k]))
	if err != nil {
		return nil, false
	}
	return der, true
}
