package certs

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
)

// maxScanCertLen bounds the certificates ContainsCertDER considers: no CA
// certificate in a browser's NSS database comes near it.
const maxScanCertLen = 16 << 10

// maxScanHashed bounds the bytes ContainsCertDER hashes in one call, so that
// a crafted file full of candidate headers costs a bounded time (a real
// cert9.db hashes a few MiB at most).
const maxScanHashed = 256 << 20

// ContainsCertDER reports whether blob holds, as one contiguous run of
// bytes, a DER certificate whose SHA-1 thumbprint is sha1hex. It reads
// files it does not parse — a Firefox profile's NSS database (cert9.db, an
// SQLite file that keeps each certificate's DER in a column) — by trying
// every DER SEQUENCE header whose body starts with another SEQUENCE (the
// TBSCertificate) and hashing exactly the bytes the header claims. Work is
// bounded by len(blob) × maxScanCertLen in the worst case and is far less
// in practice (only such headers whose inner SEQUENCE fits inside are
// hashed), and capped at maxScanHashed bytes hashed, after which the answer
// is "not found". A certificate split across SQLite overflow pages is not
// found either, so "absent" is an inference.
func ContainsCertDER(blob []byte, sha1hex string) bool {
	want, err := hex.DecodeString(strings.TrimSpace(sha1hex))
	if err != nil || len(want) != sha1.Size {
		return false
	}
	hashed := 0
	for i := 0; i+4 < len(blob); i++ {
		if blob[i] != 0x30 {
			continue
		}
		n, hdr := derLength(blob[i+1:])
		if hdr == 0 || n < 64 || n > maxScanCertLen {
			continue
		}
		body := i + 1 + hdr
		end := body + n
		if end > len(blob) || blob[body] != 0x30 {
			continue
		}
		// The TBSCertificate must end before the signature algorithm and
		// value that follow it.
		if tn, th := derLength(blob[body+1 : end]); th == 0 || 1+th+tn > n-8 {
			continue
		}
		if hashed += n; hashed > maxScanHashed {
			return false
		}
		sum := sha1.Sum(blob[i:end])
		if string(sum[:]) == string(want) {
			return true
		}
	}
	return false
}

// derLength decodes a DER length (short form or long form with one or two
// bytes); hdr is the number of length bytes, 0 when there is none.
func derLength(b []byte) (n, hdr int) {
	if len(b) == 0 {
		return 0, 0
	}
	switch {
	case b[0] < 0x80:
		return int(b[0]), 1
	case b[0] == 0x81 && len(b) >= 2:
		return int(b[1]), 2
	case b[0] == 0x82 && len(b) >= 3:
		return int(b[1])<<8 | int(b[2]), 3
	}
	return 0, 0
}
