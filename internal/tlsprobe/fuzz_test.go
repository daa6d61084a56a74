package tlsprobe

import (
	"bytes"
	"testing"
)

func rec(typ byte, p []byte) []byte {
	return append([]byte{typ, 3, 3, byte(len(p) >> 8), byte(len(p))}, p...)
}

func hs(typ byte, body []byte) []byte {
	n := len(body)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// FuzzReadServerFlight: any byte stream from a server gives a result or
// an *Error, never a panic, and never more than the caps.
func FuzzReadServerFlight(f *testing.F) {
	sh := append([]byte{3, 3}, make([]byte, 32)...)
	sh = append(sh, 0, 0xC1, 0x00, 0)
	cert := []byte{0, 0, 6, 0, 0, 3, 0x30, 1, 0}
	f.Add(append(rec(22, hs(2, sh)), rec(22, hs(11, cert))...))
	f.Add(rec(22, append(hs(2, sh), hs(11, cert)...)))
	f.Add(rec(21, []byte{2, 40}))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\n"))
	f.Add(append(rec(22, hs(2, sh)), 22, 3, 3, 0, 2, 11, 0xff))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ReadServerFlight(bytes.NewReader(data), Config{MaxMessage: 4096})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(res.Certificates) == 0 || !IsGOSTSuite(res.CipherSuite) {
			t.Fatalf("accepted %+v", res)
		}
	})
}
