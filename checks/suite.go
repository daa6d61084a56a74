// Package checks lists the checks of gmu-doctor in the order they run and
// are reported. Each check lives in its own package below checks/ and sees
// the machine only through internal/host (suite_test.go enforces it).
package checks

import (
	"github.com/gmu-doctor/gmu-doctor/checks/browsercache"
	"github.com/gmu-doctor/gmu-doctor/checks/capicom"
	"github.com/gmu-doctor/gmu-doctor/checks/chain"
	"github.com/gmu-doctor/gmu-doctor/checks/clock"
	"github.com/gmu-doctor/gmu-doctor/checks/csp"
	"github.com/gmu-doctor/gmu-doctor/checks/csplicense"
	"github.com/gmu-doctor/gmu-doctor/checks/gosttls"
	"github.com/gmu-doctor/gmu-doctor/checks/iezones"
	"github.com/gmu-doctor/gmu-doctor/checks/ossupport"
	"github.com/gmu-doctor/gmu-doctor/checks/personalcerts"
	"github.com/gmu-doctor/gmu-doctor/checks/plugin"
	"github.com/gmu-doctor/gmu-doctor/checks/proxy"
	"github.com/gmu-doctor/gmu-doctor/checks/qualified"
	"github.com/gmu-doctor/gmu-doctor/checks/readers"
	"github.com/gmu-doctor/gmu-doctor/checks/revocation"
	"github.com/gmu-doctor/gmu-doctor/checks/rootcerts"
	"github.com/gmu-doctor/gmu-doctor/checks/siteoids"
	"github.com/gmu-doctor/gmu-doctor/checks/sites"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
)

// All returns the suite in run order. A check's Requires must name checks
// listed before it.
func All() []*doctor.Check {
	return []*doctor.Check{
		ossupport.Check,
		clock.Check,
		csp.Check,
		csplicense.Check,
		readers.Check,
		plugin.Check,
		iezones.Check,
		capicom.Check,
		gosttls.Check,
		browsercache.Check,
		rootcerts.Check,
		personalcerts.Check,
		chain.Check,
		qualified.Check,
		siteoids.Check,
		sites.Check,
		proxy.Check,
		revocation.Check,
		// Add new checks below, one line each, in the order they should run
		// (after the checks they require): e.g. csp.Check, rootcerts.Check,
		// chain.Check … Keep this comment as the last line of the list.
	}
}
