package host

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// Writer is the narrow set of changes `gmu-doctor fix` may make to a
// machine. It is separate from the read-only Host: the checks never see
// it. Every method is idempotent and returns what existed before, so that
// the fix journal can record it and undo restores it exactly. Nothing here
// reads, moves or deletes private keys or key containers.
type Writer interface {
	// AddCertificate adds the certificate der to loc\store (for
	// SystemBundle: the OS's CA bundle, store ignored). added is false
	// when it was already there (nothing changed).
	AddCertificate(ctx context.Context, loc StoreLocation, store StoreName, der []byte) (added bool, err error)
	// RemoveCertificate removes the certificate with that SHA-1 thumbprint
	// from loc\store and returns what undo needs to put it back (nil when
	// it was not there).
	RemoveCertificate(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (*RemovedCert, error)
	// RestoreCertificate puts back a certificate RemoveCertificate removed.
	RestoreCertificate(ctx context.Context, loc StoreLocation, store StoreName, rc *RemovedCert) error
	// SetRegistryValue sets one value, creating missing keys, and returns
	// the previous state (Windows only; elsewhere ErrNotSupported).
	SetRegistryValue(ctx context.Context, key string, view RegView, v RegValue) (RegChange, error)
	// RestoreRegistryValue reverts a SetRegistryValue: the previous data
	// byte for byte, or the value deleted, and the keys it created removed
	// when they are empty.
	RestoreRegistryValue(ctx context.Context, ch RegChange) error
	// RunFixed runs a command whose argv is on the writer's allow-list
	// (absolute paths of system tools only).
	RunFixed(ctx context.Context, argv []string) (CommandResult, error)
	// RemoveDir removes a directory tree (browser caches only: a path
	// below the user's profile); existed is false when it was not there.
	RemoveDir(ctx context.Context, path string) (existed bool, err error)
	// ProcessRunning reports whether a process with that executable name
	// (chrome.exe, chromium-gost) is running for any user.
	ProcessRunning(ctx context.Context, name string) (bool, error)
}

// SystemBundle is the certificate location of the OS's own CA bundle
// (Linux: /etc/ssl/certs through update-ca-certificates or update-ca-trust),
// which browsers use for HTTPS.
const SystemBundle StoreLocation = "System"

// RemovedCert is what undo needs to restore a removed certificate: its DER
// and, when the back end has it, the raw store entry with every property
// (on Windows the registry Blob, which keeps the private-key link).
type RemovedCert struct {
	SHA1 string `json:"sha1"`
	DER  []byte `json:"der"`
	// Blob is the raw serialized store entry (Windows registry stores).
	Blob []byte `json:"blob,omitempty"`
	// BlobKey is the registry key the Blob was read from.
	BlobKey string `json:"blob_key,omitempty"`
	// Container is the key container the certificate linked to, for back
	// ends that cannot keep the whole entry (CryptoPro's certmgr).
	Container string `json:"container,omitempty"`
}

// RegChange is the state of a registry value before SetRegistryValue.
type RegChange struct {
	Key  string  `json:"key"`
	View RegView `json:"view,omitempty"`
	Name string  `json:"name"`
	// Existed: the value was there; PrevType and PrevData are its raw type
	// and bytes.
	Existed  bool   `json:"existed"`
	PrevType uint32 `json:"prev_type,omitempty"`
	PrevData []byte `json:"prev_data,omitempty"`
	// Changed is false when the value already had the wanted data.
	Changed bool `json:"changed"`
	// CreatedKeys are the keys that did not exist, outermost first.
	CreatedKeys []string `json:"created_keys,omitempty"`
}

// ErrNotAllowed: a command is not on the writer's allow-list, or a path is
// outside what the writer may remove.
var ErrNotAllowed = errors.New("not allowed for gmu-doctor fix")

// EncodeRegValue turns a RegValue into its raw registry type and bytes
// (the inverse of DecodeRegValue for the types fix writes).
func EncodeRegValue(v RegValue) (uint32, []byte, error) {
	switch v.Type {
	case RegSZ:
		return regTypeSZ, utf16z(v.String), nil
	case RegExpandSZ:
		return regTypeExpandSZ, utf16z(v.String), nil
	case RegMultiSZ:
		var b []byte
		for _, s := range v.Strings {
			if s == "" {
				return 0, nil, fmt.Errorf("encode %s: empty string inside REG_MULTI_SZ", v.Name)
			}
			b = append(b, utf16z(s)...)
		}
		return regTypeMultiSZ, append(b, 0, 0), nil
	case RegDWORD:
		if v.Integer > 0xFFFFFFFF {
			return 0, nil, fmt.Errorf("encode %s: %d does not fit a DWORD", v.Name, v.Integer)
		}
		n := uint32(v.Integer)
		return regTypeDWORD, []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)}, nil
	case RegQWORD:
		b := make([]byte, 8)
		for i := 0; i < 8; i++ {
			b[i] = byte(v.Integer >> (8 * i))
		}
		return regTypeQWORD, b, nil
	case RegBinary:
		return regTypeBinary, append([]byte(nil), v.Binary...), nil
	}
	return 0, nil, fmt.Errorf("encode %s: type %q not supported", v.Name, v.Type)
}

func utf16z(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return append(b, 0, 0)
}

// SplitRegPath splits `HKCU\Software\X` into the root ("HKCU") and the
// rest, after NormalizeRegPath.
func SplitRegPath(p string) (root, sub string) {
	p = NormalizeRegPath(p)
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return p, ""
}

// MayRemoveDir reports whether path is a directory fix may delete: an
// absolute path at least three levels below home (a browser's cache inside
// the user's profile), never home itself or anything outside it.
func MayRemoveDir(home, path string, windows bool) bool {
	if home == "" || path == "" {
		return false
	}
	norm := func(p string) string {
		if windows {
			p = strings.ToLower(strings.ReplaceAll(p, "/", `\`))
			p = strings.TrimRight(p, `\`)
			return p
		}
		return filepath.Clean(p)
	}
	h, p := norm(home), norm(path)
	sep := "/"
	if windows {
		sep = `\`
	}
	if !strings.HasPrefix(p, h+sep) || strings.Contains(p, sep+".."+sep) || strings.HasSuffix(p, sep+"..") {
		return false
	}
	rest := strings.Split(strings.TrimPrefix(p, h+sep), sep)
	return len(rest) >= 3
}

func hexBytes(s string) ([]byte, error) { return hex.DecodeString(strings.TrimSpace(s)) }

// AllowedCommand is the allow-list of RunFixed: the only programs fix runs,
// by absolute path, with the only argument shapes it uses.
//   - Windows: regsvr32 from the system folder (System32 or SysWOW64),
//     "/s" [and "/u"] and one capicom.dll path;
//   - Linux: systemctl enable|disable --now pcscd.socket|pcscd.service;
//     update-ca-certificates; update-ca-trust extract; CryptoPro cpconfig
//     setting the plug-in's TrustedSites (https:// sites only).
func AllowedCommand(goos string, argv []string, sysRoot string) bool {
	if len(argv) == 0 {
		return false
	}
	if goos == "windows" {
		exe := strings.ToLower(argv[0])
		root := strings.ToLower(strings.TrimRight(sysRoot, `\`))
		if root == "" || (exe != root+`\system32\regsvr32.exe` && exe != root+`\syswow64\regsvr32.exe`) {
			return false
		}
		args := argv[1:]
		if len(args) > 0 && args[0] == "/s" {
			args = args[1:]
		} else {
			return false
		}
		if len(args) > 0 && args[0] == "/u" {
			args = args[1:]
		}
		return len(args) == 1 && strings.HasSuffix(strings.ToLower(args[0]), `\capicom.dll`) && !strings.ContainsAny(args[0], `"&|<>^%`)
	}
	switch argv[0] {
	case "/usr/bin/systemctl", "/bin/systemctl":
		return len(argv) == 4 && (argv[1] == "enable" || argv[1] == "disable") && argv[2] == "--now" &&
			(argv[3] == "pcscd.socket" || argv[3] == "pcscd.service")
	case "/usr/sbin/update-ca-certificates":
		return len(argv) == 1
	case "/usr/bin/update-ca-trust":
		return len(argv) == 2 && argv[1] == "extract"
	}
	if strings.HasPrefix(argv[0], "/opt/cprocsp/sbin/") && strings.HasSuffix(argv[0], "/cpconfig") && !strings.Contains(argv[0], "..") {
		// cpconfig -ini '\local\Software\Crypto Pro\CAdESplugin' -add multistring TrustedSites SITE…
		if len(argv) < 7 || argv[1] != "-ini" || argv[2] != `\local\Software\Crypto Pro\CAdESplugin` || argv[3] != "-add" || argv[4] != "multistring" || argv[5] != "TrustedSites" {
			return false
		}
		for _, s := range argv[6:] {
			if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
				return false
			}
		}
		return true
	}
	return false
}
