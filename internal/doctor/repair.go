package doctor

import (
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

// RepairKind names what an automatic repair does. The fix package turns a
// finding's repairs into the steps of a plan; the checks only describe.
type RepairKind string

// Repair kinds.
const (
	// RepairAddCert adds a certificate to Location\Store.
	RepairAddCert RepairKind = "add-cert"
	// RepairRemoveCert removes the certificate SHA1 from Location\Store.
	RepairRemoveCert RepairKind = "remove-cert"
	// RepairSetRegValue sets registry value Value under Key (View).
	RepairSetRegValue RepairKind = "set-reg-value"
	// RepairRun runs a fixed command (Argv) from the fix package's
	// allow-list; UndoArgv reverts it.
	RepairRun RepairKind = "run"
	// RepairRemoveDir removes a directory (a browser cache) while Process
	// is not running. It cannot be undone: only regenerable data is ever
	// removed this way.
	RepairRemoveDir RepairKind = "remove-dir"
	// RepairManual is a step the tool does not do itself (install CryptoPro
	// CSP, renew a licence): Text says what to do.
	RepairManual RepairKind = "manual"
)

// LocationAuto in a certificate repair means LocalMachine when the tool
// runs elevated, else CurrentUser (the per-user alternative).
const LocationAuto host.StoreLocation = ""

// Repair describes one step that resolves (part of) a finding. Which fields
// are used depends on Kind. It holds public data only: certificates, never
// key material.
type Repair struct {
	Kind RepairKind `json:"kind"`

	// Certificates (add-cert, remove-cert). Location may be LocationAuto
	// for add-cert; host.SystemBundle is Linux's system CA bundle.
	Location host.StoreLocation `json:"location,omitempty"`
	Store    host.StoreName     `json:"store,omitempty"`
	// SHA1 is the thumbprint of the certificate added or removed.
	SHA1 string `json:"sha1,omitempty"`
	// Name is how the report names the certificate.
	Name string `json:"name,omitempty"`
	// DER is the certificate to add, when the check has it (embedded or
	// read from another store). Empty: the fix looks for it (a --cert
	// file) by KeyID and Child.
	DER []byte `json:"der,omitempty"`
	// KeyID is the subject key identifier the added certificate must have
	// (upper-case hex), when known.
	KeyID string `json:"key_id,omitempty"`
	// Child is a certificate the added one must have signed: its signature
	// is what proves the added certificate's identity.
	Child []byte `json:"child,omitempty"`
	// URL is where the certificate is published (AIA: the fix downloads
	// it only when it has nothing embedded, and verifies it).
	URL string `json:"url,omitempty"`
	// Container names the key container a removed certificate links to
	// (remove-cert), so that undo restores the link; the key itself is
	// never touched.
	Container string `json:"container,omitempty"`

	// Registry (set-reg-value).
	Key   string         `json:"key,omitempty"`
	View  host.RegView   `json:"view,omitempty"`
	Value *host.RegValue `json:"value,omitempty"`

	// Commands (run): argv and the argv that reverts it (none: not undone).
	Argv     []string `json:"argv,omitempty"`
	UndoArgv []string `json:"undo_argv,omitempty"`

	// Directories (remove-dir) and the process that must not be running.
	Path    string `json:"path,omitempty"`
	Process string `json:"process,omitempty"`

	// Admin: the step needs Administrator (Windows) or root rights.
	Admin bool `json:"admin,omitempty"`
	// Text explains a manual step (what to do, in the report's language).
	Text i18n.Text `json:"-"`
}
