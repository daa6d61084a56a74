package revocation

import (
	"context"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
)

// urlCacheFindings reports what CryptoAPI's URL cache says about the CRLs
// of the chains (Windows) and returns how many findings it made.
func urlCacheFindings(ctx context.Context, pass *doctor.Pass, chains []Chain) int {
	return 0
}
