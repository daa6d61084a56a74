// Package host is the only code in gmu-doctor that touches the machine.
//
// Checks see a workstation exclusively through the Host interface: certificate
// stores with their private-key links, the Windows registry, files, commands,
// environment variables, the clock, a few OS facts and the network (HTTP,
// DNS, TCP and TLS questions, see net.go). Live back ends live in
// files with an OS suffix (host_windows.go, host_linux.go, host_darwin.go); the
// snapshot back end (snapshot.go) replays a JSON record of a workstation, and
// the recorder (record.go) wraps any Host and writes down every answer the
// checks received, which is how `gmu-doctor collect` makes such a record.
//
// Conventions every back end follows:
//   - Absence is an answer, not an error: a missing registry key is a RegKey
//     with Exists == false, a missing file a FileInfo with Exists == false, a
//     missing certificate store an empty slice.
//   - A question the back end cannot answer on this OS returns ErrNotSupported
//     (the registry off Windows); a question a snapshot did not record returns
//     an error wrapping ErrNotRecorded. Neither is ever turned into "absent".
//   - Problems with one item (one registry value of an unexpected type, one
//     store blob that is not a certificate) are reported in that item's Error
//     field; the rest of the answer is still returned.
//   - Nothing here writes to the machine, and private key material is never
//     read: a KeyLink only names the container that holds the key.
package host

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Errors shared by all back ends. Test with errors.Is.
var (
	// ErrNotSupported: the question makes no sense on this OS (e.g. the
	// registry on Linux).
	ErrNotSupported = errors.New("not supported on this operating system")
	// ErrNotRecorded: a snapshot was asked something it does not contain.
	ErrNotRecorded = errors.New("not recorded in the snapshot")
	// ErrCommandNotFound: the executable of a command does not exist.
	ErrCommandNotFound = errors.New("command not found")
	// ErrFileNotFound: ReadFile or ReadDir on a path that does not exist.
	ErrFileNotFound = errors.New("file not found")
	// ErrNoExec: the back end runs no programs. Under --root the inspected
	// disk's programs are never executed (they are another machine's code,
	// and gmu-doctor may run as root); what a command would have told comes
	// from files where a file holds it, else it is not determinable.
	ErrNoExec = errors.New("not determinable from a mounted disk: gmu-doctor never runs the inspected system's programs")
)

// Host is a workstation as the checks see it. Implementations must be safe
// for concurrent use: the runner abandons checks that time out, and an
// abandoned check may still be calling its host.
type Host interface {
	// Facts returns what is known about the OS, user and clock set-up.
	Facts() Facts
	// Now is the workstation's clock (for a snapshot: the moment it was
	// collected), so that a replay computes the same days-left values.
	Now() time.Time
	// LookupEnv reads an environment variable of the process (on Windows
	// names are case-insensitive).
	LookupEnv(name string) (value string, ok bool)
	// Certificates lists one logical certificate store. A store that does not
	// exist is empty, not an error. A store whose format the back end does
	// not recognise is an error (never silently empty).
	Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error)
	// RegistryKey reads one registry key: its values and the names of its
	// subkeys. Path is like `HKLM\SOFTWARE\Crypto Pro`. A missing key is
	// RegKey{Exists: false}. Off Windows: ErrNotSupported.
	RegistryKey(ctx context.Context, path string, view RegView) (RegKey, error)
	// Stat describes a file or directory. Windows back ends expand
	// %VARIABLES% in path. A missing path is FileInfo{Exists: false}.
	Stat(ctx context.Context, path string) (FileInfo, error)
	// ReadFile returns at most limit bytes of a file (limit <= 0 means
	// DefaultReadLimit). A missing file is an error wrapping ErrFileNotFound.
	ReadFile(ctx context.Context, path string, limit int64) ([]byte, error)
	// ReadDir lists a directory, sorted by name. A missing directory is an
	// error wrapping ErrFileNotFound.
	ReadDir(ctx context.Context, path string) ([]FileInfo, error)
	// Run executes a command with a timeout and an output cap. A non-zero
	// exit status is not an error (see CommandResult.ExitCode); a missing
	// executable is an error wrapping ErrCommandNotFound. On Windows output
	// is decoded from the OEM code page to UTF-8; elsewhere it is returned as
	// the tool printed it (parsers handle cp1251).
	Run(ctx context.Context, cmd Command) (CommandResult, error)
	// ChainStatus asks CryptoAPI to build the chain of the certificate with
	// this SHA-1 thumbprint in store loc\store, from local data only (no
	// network, no revocation checking), and returns its verdict. A
	// certificate that is not in the store, or a chain CryptoAPI cannot
	// build, is an answer with Error set; the error result is only for
	// ErrNotSupported (off Windows), ErrNotRecorded and a cancelled ctx.
	ChainStatus(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (ChainStatus, error)

	// The network (see net.go). A failure is an answer with Error and
	// ErrorKind set; the error result is only for a cancelled ctx,
	// ErrNotRecorded and ErrOffline.

	// HTTPGet fetches a URL (GET, or POST when req.Body is set) through
	// the workstation's proxy, following at most MaxRedirects redirects,
	// never to a non-http(s) URL, with a timeout and a body cap.
	HTTPGet(ctx context.Context, req HTTPRequest) (HTTPResponse, error)
	// LookupHost resolves a host name.
	LookupHost(ctx context.Context, name string) (DNSAnswer, error)
	// DialTCP connects to host:port and closes the connection.
	DialTCP(ctx context.Context, addr string, timeout time.Duration) (TCPAnswer, error)
	// TLSHandshake performs a TLS handshake and records what the server
	// sent; it never judges trust (checks do that).
	TLSHandshake(ctx context.Context, req TLSRequest) (TLSRecord, error)
}

// DefaultReadLimit is the most ReadFile returns when no limit is given.
const DefaultReadLimit = 4 << 20

// Facts are the static facts about a workstation.
type Facts struct {
	OS          string `json:"os"`                     // GOOS value: windows, linux, darwin
	Arch        string `json:"arch"`                   // architecture of the OS: amd64, 386, arm64
	ProcessArch string `json:"process_arch,omitempty"` // architecture of gmu-doctor itself (differs under WOW64)
	Version     string `json:"os_version"`             // "10.0.19045", "6.1.7601", "1.7.5" (Astra), kernel on others
	Build       string `json:"os_build,omitempty"`     // Windows build / UBR, e.g. "19045.3803"
	ProductName string `json:"product_name,omitempty"` // "Windows 10 Pro", "Astra Linux 1.7 (Smolensk)"
	Distro      string `json:"distro,omitempty"`       // Linux os-release ID: astra, redos, altlinux, debian …
	Hostname    string `json:"hostname"`
	User        string `json:"user"`               // the user whose stores are inspected
	Home        string `json:"home,omitempty"`     // that user's home or profile directory
	Elevated    bool   `json:"elevated,omitempty"` // root / Administrator
	UILanguage  string `json:"ui_language,omitempty"`
	TimeZone    string `json:"time_zone,omitempty"` // IANA or Windows zone name
	// UTCOffsetSeconds is the local offset from UTC at collection time.
	UTCOffsetSeconds int `json:"utc_offset_seconds"`
	// Errors lists facts that could not be read ("read ProductName: access denied").
	Errors []string `json:"errors,omitempty"`
}

// StoreLocation is CurrentUser or LocalMachine.
type StoreLocation string

// Certificate store locations.
const (
	CurrentUser  StoreLocation = "CurrentUser"
	LocalMachine StoreLocation = "LocalMachine"
)

// StoreName is a logical certificate store.
type StoreName string

// Store names. Root, CA and My exist in both locations on every OS
// (CryptoPro for Linux calls them uRoot/uCA/uMy and mRoot/mCA/mMy).
const (
	StoreRoot             StoreName = "Root"
	StoreCA               StoreName = "CA"
	StoreMy               StoreName = "My"
	StoreAuthRoot         StoreName = "AuthRoot"         // Windows only
	StoreTrustedPublisher StoreName = "TrustedPublisher" // Windows only
)

// Locations and CoreStores are the six stores `collect` always records in full.
var (
	Locations  = []StoreLocation{CurrentUser, LocalMachine}
	CoreStores = []StoreName{StoreRoot, StoreCA, StoreMy}
)

// Certificate is one entry of a certificate store.
type Certificate struct {
	SHA1 string   `json:"sha1"`          // upper-case hex thumbprint of DER
	DER  []byte   `json:"der,omitempty"` // base64 in JSON
	Key  *KeyLink `json:"key,omitempty"` // private-key link, nil when there is none
	// Source says where the entry was read: a registry key, a .sto file, "certmgr".
	Source string `json:"source,omitempty"`
	// Error describes a per-entry problem ("blob has no certificate property").
	Error string `json:"error,omitempty"`
}

// SourceCertmgr begins the Source of entries read from `certmgr -list`
// (Linux, when a store file's format is not recognised): they carry the
// thumbprint and key link but no certificate body.
const SourceCertmgr = "certmgr -list"

// FromListing reports whether the entry came from certmgr's listing, so
// that its missing body is a limit of the reading, not a damaged entry.
func (c Certificate) FromListing() bool {
	return len(c.DER) == 0 && strings.HasPrefix(c.Source, SourceCertmgr)
}

// KeyLink is CERT_KEY_PROV_INFO_PROP_ID: which container holds the private
// key of a certificate. It never contains key material.
type KeyLink struct {
	Container string `json:"container"`          // `\\.\HDIMAGE\name` or `HDIMAGE\\name.000\XXXX`
	Provider  string `json:"provider,omitempty"` // "Crypto-Pro GOST R 34.10-2012 Cryptographic Service Provider"
	ProvType  uint32 `json:"prov_type,omitempty"`
	KeySpec   uint32 `json:"key_spec,omitempty"` // 1 AT_KEYEXCHANGE, 2 AT_SIGNATURE
	Error     string `json:"error,omitempty"`
}

// RegView selects the 32- or 64-bit registry view (KEY_WOW64_32KEY /
// KEY_WOW64_64KEY). CAPICOM and many CryptoPro keys live in the 32-bit view.
type RegView string

// Registry views.
const (
	RegViewDefault RegView = ""
	RegView32      RegView = "32"
	RegView64      RegView = "64"
)

// RegKey is one registry key.
type RegKey struct {
	Path    string     `json:"path"`
	View    RegView    `json:"view,omitempty"`
	Exists  bool       `json:"exists"`
	SubKeys []string   `json:"subkeys,omitempty"`
	Values  []RegValue `json:"values,omitempty"`
	Error   string     `json:"error,omitempty"` // e.g. access denied while listing
}

// Value returns the value with the given name (case-insensitive, "" is the
// default value).
func (k RegKey) Value(name string) (RegValue, bool) {
	for _, v := range k.Values {
		if equalFold(v.Name, name) {
			return v, true
		}
	}
	return RegValue{}, false
}

// HasSubKey reports whether the key has a direct subkey of that name
// (case-insensitive).
func (k RegKey) HasSubKey(name string) bool {
	for _, s := range k.SubKeys {
		if equalFold(s, name) {
			return true
		}
	}
	return false
}

// RegType is a registry value type name as Windows spells it.
type RegType string

// Registry value types.
const (
	RegSZ       RegType = "REG_SZ"
	RegExpandSZ RegType = "REG_EXPAND_SZ"
	RegMultiSZ  RegType = "REG_MULTI_SZ"
	RegDWORD    RegType = "REG_DWORD"
	RegQWORD    RegType = "REG_QWORD"
	RegBinary   RegType = "REG_BINARY"
	RegNone     RegType = "REG_NONE"
)

// RegValue is one registry value. Exactly one of the data fields is used,
// chosen by Type; unknown types keep their raw bytes in Binary.
type RegValue struct {
	Name    string   `json:"name"`
	Type    RegType  `json:"type"`
	String  string   `json:"string,omitempty"`  // REG_SZ, REG_EXPAND_SZ (not expanded)
	Strings []string `json:"strings,omitempty"` // REG_MULTI_SZ
	Integer uint64   `json:"integer,omitempty"` // REG_DWORD, REG_QWORD
	Binary  []byte   `json:"binary,omitempty"`  // REG_BINARY, REG_NONE, others
	Error   string   `json:"error,omitempty"`   // value could not be decoded
}

// Text returns a string form of the value: the string for SZ types, the
// decimal number for DWORD/QWORD, strings joined by "\n" for MULTI_SZ.
func (v RegValue) Text() string {
	switch v.Type {
	case RegSZ, RegExpandSZ:
		return v.String
	case RegMultiSZ:
		return joinLines(v.Strings)
	case RegDWORD, RegQWORD:
		return uitoa(v.Integer)
	}
	return ""
}

// FileInfo describes a file or directory.
type FileInfo struct {
	Path    string    `json:"path"` // as asked (ReadDir: the entry's full path)
	Name    string    `json:"name,omitempty"`
	Exists  bool      `json:"exists"`
	IsDir   bool      `json:"is_dir,omitempty"`
	Size    int64     `json:"size,omitempty"`
	ModTime time.Time `json:"mod_time,omitempty"`
	Error   string    `json:"error,omitempty"` // e.g. permission denied
}

// ChainStatus is CryptoAPI's verdict on one certificate's chain
// (CertGetCertificateChain): the CERT_TRUST_* error and info flags of the
// chain (see DescribeTrustError) and how many certificates it has.
type ChainStatus struct {
	SHA1     string        `json:"sha1"` // upper-case hex thumbprint
	Location StoreLocation `json:"location"`
	Store    StoreName     `json:"store"`
	// TrustErrorStatus is CERT_TRUST_STATUS.dwErrorStatus of the simple
	// chain; 0 means CryptoAPI found no problem.
	TrustErrorStatus uint32 `json:"trust_error_status"`
	// TrustInfoStatus is CERT_TRUST_STATUS.dwInfoStatus.
	TrustInfoStatus uint32 `json:"trust_info_status"`
	// ChainLength is the number of certificates in the chain, leaf first.
	ChainLength int `json:"chain_length"`
	// Error says why there is no verdict (certificate not in the store,
	// chain engine failure); the flags are then meaningless.
	Error string `json:"error,omitempty"`
}

// Command is a command to run.
type Command struct {
	Argv    []string      `json:"argv"`
	Timeout time.Duration `json:"-"` // 0 means DefaultCommandTimeout
	// MaxOutput caps stdout and stderr each; 0 means DefaultMaxOutput.
	MaxOutput int `json:"-"`
}

// Defaults for Command.
const (
	DefaultCommandTimeout = 15 * time.Second
	DefaultMaxOutput      = 1 << 20
)

// CommandResult is what a command printed and how it ended.
type CommandResult struct {
	Stdout   []byte `json:"-"`
	Stderr   []byte `json:"-"`
	ExitCode int    `json:"exit_code"`
	TimedOut bool   `json:"timed_out,omitempty"`
	// Truncated is set when output hit MaxOutput.
	Truncated bool `json:"truncated,omitempty"`
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

func joinLines(ss []string) string { return strings.Join(ss, "\n") }

func uitoa(u uint64) string { return strconv.FormatUint(u, 10) }
