package cprocsp

// Arches lists the directory names CryptoPro uses for its binaries under
// /opt/cprocsp/bin and /opt/cprocsp/sbin.
var Arches = []string{"amd64", "ia32", "aarch64", "e2k64"}

// ArchDir maps a Go GOARCH value to CryptoPro's directory name (amd64, ia32,
// aarch64, e2k64). Unknown values are returned unchanged.
func ArchDir(goarch string) string {
	switch goarch {
	case "amd64":
		return "amd64"
	case "386":
		return "ia32"
	case "arm64":
		return "aarch64"
	case "e2k", "e2k64":
		return "e2k64"
	}
	return goarch
}

// BinDir is the directory of the user tools (csptest, certmgr, cryptcp).
func BinDir(arch string) string { return "/opt/cprocsp/bin/" + arch }

// SbinDir is the directory of cpconfig (sbin, not bin).
func SbinDir(arch string) string { return "/opt/cprocsp/sbin/" + arch }

// Well-known locations of CryptoPro CSP for Linux. The store paths are
// inferred ([I] in the research notes): the user directory is confirmed, the
// file names and the machine-store directory are not.
const (
	OptDir          = "/opt/cprocsp"
	EtcDir          = "/etc/opt/cprocsp"
	LicenseFile     = "/etc/opt/cprocsp/license.ini"
	KeysDir         = "/var/opt/cprocsp/keys"  // + /<user>/<container>.000/
	UsersDir        = "/var/opt/cprocsp/users" // + /<user>/stores/*.sto
	MachineStoreDir = "/var/opt/cprocsp/users/stores"
)

// UserStoreDir is the directory of a user's .sto files.
func UserStoreDir(user string) string { return UsersDir + "/" + user + "/stores" }

// StoreFileName is the file name of a logical store ("My" → "my.sto").
// Inferred: the back end matches it case-insensitively.
func StoreFileName(store string) string {
	b := []byte(store)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b) + ".sto"
}

// StoreArg is certmgr's -store argument for a location and store:
// ("CurrentUser", "My") → "uMy", ("LocalMachine", "Root") → "mRoot".
func StoreArg(machine bool, store string) string {
	if machine {
		return "m" + store
	}
	return "u" + store
}
