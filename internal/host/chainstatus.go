package host

import (
	"fmt"
	"strings"
)

// CryptoAPI chain error flags (CERT_TRUST_STATUS.dwErrorStatus, wincrypt.h)
// that ChainStatus.TrustErrorStatus may carry.
const (
	TrustIsNotTimeValid             uint32 = 0x00000001
	TrustIsRevoked                  uint32 = 0x00000004
	TrustIsNotSignatureValid        uint32 = 0x00000008
	TrustIsNotValidForUsage         uint32 = 0x00000010
	TrustIsUntrustedRoot            uint32 = 0x00000020
	TrustRevocationStatusUnknown    uint32 = 0x00000040
	TrustIsCyclic                   uint32 = 0x00000080
	TrustIsPartialChain             uint32 = 0x00010000
	TrustCTLIsNotTimeValid          uint32 = 0x00020000
	TrustHasWeakSignature           uint32 = 0x00100000
	TrustIsOfflineRevocation        uint32 = 0x01000000
	TrustNoIssuanceChainPolicy      uint32 = 0x02000000
	TrustIsExplicitDistrust         uint32 = 0x04000000
	TrustHasNotSupportedCriticalExt uint32 = 0x08000000
)

// trustErrorNames lists the flags in ascending order of value.
var trustErrorNames = []struct {
	bit  uint32
	name string
}{
	{TrustIsNotTimeValid, "CERT_TRUST_IS_NOT_TIME_VALID"},
	{TrustIsRevoked, "CERT_TRUST_IS_REVOKED"},
	{TrustIsNotSignatureValid, "CERT_TRUST_IS_NOT_SIGNATURE_VALID"},
	{TrustIsNotValidForUsage, "CERT_TRUST_IS_NOT_VALID_FOR_USAGE"},
	{TrustIsUntrustedRoot, "CERT_TRUST_IS_UNTRUSTED_ROOT"},
	{TrustRevocationStatusUnknown, "CERT_TRUST_REVOCATION_STATUS_UNKNOWN"},
	{TrustIsCyclic, "CERT_TRUST_IS_CYCLIC"},
	{TrustIsPartialChain, "CERT_TRUST_IS_PARTIAL_CHAIN"},
	{TrustCTLIsNotTimeValid, "CERT_TRUST_CTL_IS_NOT_TIME_VALID"},
	{TrustHasWeakSignature, "CERT_TRUST_HAS_WEAK_SIGNATURE"},
	{TrustIsOfflineRevocation, "CERT_TRUST_IS_OFFLINE_REVOCATION"},
	{TrustNoIssuanceChainPolicy, "CERT_TRUST_NO_ISSUANCE_CHAIN_POLICY"},
	{TrustIsExplicitDistrust, "CERT_TRUST_IS_EXPLICIT_DISTRUST"},
	{TrustHasNotSupportedCriticalExt, "CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT"},
}

// DescribeTrustError names the flags set in a CERT_TRUST_STATUS
// dwErrorStatus, lowest bit first; bits without a known name are given
// together in hex as one "0x…" entry at the end. 0 gives nil.
func DescribeTrustError(status uint32) []string {
	var out []string
	rest := status
	for _, f := range trustErrorNames {
		if status&f.bit != 0 {
			out = append(out, f.name)
			rest &^= f.bit
		}
	}
	if rest != 0 {
		out = append(out, fmt.Sprintf("0x%08X", rest))
	}
	return out
}

// chainStatusKey is how ChainStatus answers are matched between recording
// and replay: location, store (case-insensitive) and thumbprint.
func chainStatusKey(loc StoreLocation, store StoreName, sha1 string) string {
	return storeKey(loc, store) + "|" + strings.ToUpper(strings.TrimSpace(sha1))
}
