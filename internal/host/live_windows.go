package host

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// windowsHost is the live back end on Windows: CryptoAPI system stores, the
// registry with explicit 32/64-bit views, and facts from the OS. Everything
// is opened read-only; private keys are never acquired.
type windowsHost struct {
	base
	facts Facts
	// at is LiveOptions.At: CryptoAPI judges chains as of this moment when
	// it is set, so that its verdict matches the checks' clock.
	at time.Time

	// ders holds, per store name, the encoded certificates of the latest
	// read of that store (either location), by thumbprint. A CurrentUser
	// store lists the LocalMachine store of the same name too (Windows
	// adds the machine's physical store to the user's view; Wine does the
	// same), so with 2,400 CA certificates the second read would copy
	// 4.7 MB again: it shares the bytes of the first instead. Each table is
	// replaced by the next read of its store, so it never holds more than
	// one read of each store; tables are not changed once published.
	dersMu sync.Mutex
	ders   map[StoreName]map[string][]byte
}

// knownDERs returns the table of the latest read of store (nil: none).
func (h *windowsHost) knownDERs(store StoreName) map[string][]byte {
	h.dersMu.Lock()
	defer h.dersMu.Unlock()
	return h.ders[store]
}

// rememberDERs publishes the certificates of a read of store.
func (h *windowsHost) rememberDERs(store StoreName, list []Certificate) {
	m := make(map[string][]byte, len(list))
	for _, c := range list {
		if len(c.DER) > 0 {
			m[c.SHA1] = c.DER
		}
	}
	h.dersMu.Lock()
	defer h.dersMu.Unlock()
	if h.ders == nil {
		h.ders = map[StoreName]map[string][]byte{}
	}
	h.ders[store] = m
}

// Functions x/sys/windows does not wrap. They are looked up lazily, and a
// missing one (older Windows) is handled where it is used.
var (
	modCrypt32                            = windows.NewLazySystemDLL("crypt32.dll")
	procCertGetCertificateContextProperty = modCrypt32.NewProc("CertGetCertificateContextProperty")
	modKernel32                           = windows.NewLazySystemDLL("kernel32.dll")
	procGetOEMCP                          = modKernel32.NewProc("GetOEMCP")
	procGetUserDefaultUILanguage          = modKernel32.NewProc("GetUserDefaultUILanguage")
	procLCIDToLocaleName                  = modKernel32.NewProc("LCIDToLocaleName")
	procGetDynamicTimeZoneInformation     = modKernel32.NewProc("GetDynamicTimeZoneInformation")
)

func newLive(opts LiveOptions) (Host, error) {
	if opts.User != "" {
		cur, err := user.Current()
		if err != nil || !sameUser(cur.Username, opts.User) {
			return nil, fmt.Errorf("inspect stores of user %s: %w (run gmu-doctor as that user)", opts.User, ErrNotSupported)
		}
	}
	h := &windowsHost{}
	h.netc = newNetClient(opts.Net, h.winINetProxy)
	h.mapPath = expandEnv
	h.decode = decodeOEM
	h.facts = windowsFacts()
	h.at = opts.At
	return h, nil
}

// sameUser compares "DOMAIN\user" with "user" or "DOMAIN\user".
func sameUser(full, asked string) bool {
	if strings.EqualFold(full, asked) {
		return true
	}
	if i := strings.LastIndexByte(full, '\\'); i >= 0 {
		return strings.EqualFold(full[i+1:], asked)
	}
	return false
}

// Facts implements Host.
func (h *windowsHost) Facts() Facts { return h.facts }

// expandEnv expands %VARIABLES% the way Windows does; a path that cannot be
// expanded is used as given.
func expandEnv(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	s, err := registry.ExpandString(p)
	if err != nil {
		return p
	}
	return s
}

// decodeOEM converts console output of Windows tools to UTF-8. Output that
// already is valid UTF-8 (ASCII, or a tool that prints UTF-8) is kept;
// anything else is decoded from the console output code page, or the OEM
// code page (cp866 on Russian Windows) when there is no console.
func decodeOEM(b []byte) []byte {
	if len(b) == 0 || utf8.Valid(b) {
		return b
	}
	cp, err := windows.GetConsoleOutputCP()
	if err != nil || cp == 0 {
		cp = oemCP()
	}
	if cp == 0 || cp == 65001 { // CP_UTF8
		return b
	}
	n, err := windows.MultiByteToWideChar(cp, 0, &b[0], int32(len(b)), nil, 0)
	if err != nil || n <= 0 {
		return b
	}
	u := make([]uint16, n)
	n, err = windows.MultiByteToWideChar(cp, 0, &b[0], int32(len(b)), &u[0], n)
	if err != nil || n <= 0 {
		return b
	}
	return []byte(string(utf16.Decode(u[:n])))
}

func oemCP() uint32 {
	if procGetOEMCP.Find() != nil {
		return 0
	}
	r, _, _ := procGetOEMCP.Call()
	return uint32(r)
}

// ---------------------------------------------------------------- certificate stores

// Certificates implements Host. It lists a CryptoAPI system store opened
// read-only, then adds the registry entries of that store that CryptoAPI
// did not load (a Blob that is not a certificate, a thumbprint that does
// not match), each with an Error, so that a broken entry is visible.
func (h *windowsHost) Certificates(ctx context.Context, loc StoreLocation, store StoreName) ([]Certificate, error) {
	src := string(loc) + `\` + string(store)
	var out []Certificate
	seen := map[string]int{}
	hs, err := openSystemStore(loc, store)
	switch {
	case errors.Is(err, errBadStoreName):
		return nil, fmt.Errorf("read store %s: %w", src, err)
	case err == nil:
		out, err = enumStore(ctx, hs, src, seen, h.knownDERs(store))
		windows.CertCloseStore(hs, 0)
		if err != nil {
			return nil, err
		}
		h.rememberDERs(store, out)
	case isNotFound(err):
		// a store that does not exist is empty
	default:
		return nil, fmt.Errorf("open store %s: %w", src, err)
	}
	return append(out, registryOnlyCerts(loc, store, seen)...), nil
}

var errBadStoreName = errors.New("unknown store location or invalid store name")

// openSystemStore opens a system store read-only, never creating it.
func openSystemStore(loc StoreLocation, store StoreName) (windows.Handle, error) {
	var flag uint32
	switch loc {
	case CurrentUser:
		flag = windows.CERT_SYSTEM_STORE_CURRENT_USER
	case LocalMachine:
		flag = windows.CERT_SYSTEM_STORE_LOCAL_MACHINE
	default:
		return 0, errBadStoreName
	}
	name, err := windows.UTF16PtrFromString(string(store))
	if err != nil {
		return 0, errBadStoreName
	}
	return windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM_W, 0, 0,
		flag|windows.CERT_STORE_READONLY_FLAG|windows.CERT_STORE_OPEN_EXISTING_FLAG, uintptr(unsafe.Pointer(name)))
}

// enumStore lists an open store. A certificate whose bytes equal those in
// known (by thumbprint) shares them; any other is copied out of the
// context, which CryptoAPI frees on the next enumeration step.
func enumStore(ctx context.Context, hs windows.Handle, src string, seen map[string]int, known map[string][]byte) ([]Certificate, error) {
	var out []Certificate
	var prev *windows.CertContext
	for {
		if err := ctx.Err(); err != nil {
			if prev != nil {
				windows.CertFreeCertificateContext(prev)
			}
			return nil, fmt.Errorf("read store %s: %w", src, err)
		}
		c, err := windows.CertEnumCertificatesInStore(hs, prev)
		if c == nil {
			// The end of the store is CRYPT_E_NOT_FOUND or
			// ERROR_NO_MORE_FILES; anything else is a real failure.
			if err != nil && !isNotFound(err) && !errors.Is(err, windows.ERROR_NO_MORE_FILES) {
				return nil, fmt.Errorf("read store %s: %w", src, err)
			}
			return out, nil
		}
		prev = c           // CertEnumCertificatesInStore frees it on the next call
		var encoded []byte // CryptoAPI's memory: valid until the next step
		if c.EncodedCert != nil && c.Length > 0 {
			encoded = unsafe.Slice(c.EncodedCert, c.Length)
		}
		tp := Thumbprint(encoded)
		// Wine lists LocalMachine entries inside CurrentUser stores, and a
		// certificate may sit in several physical stores: keep one entry per
		// thumbprint, preferring the one with a key link.
		if i, ok := seen[tp]; ok {
			if out[i].Key == nil {
				out[i].Key = keyLinkOf(c)
			}
			continue
		}
		var der []byte
		if len(encoded) > 0 {
			if k := known[tp]; bytes.Equal(k, encoded) {
				der = k
			} else {
				der = append([]byte(nil), encoded...)
			}
		}
		cert := Certificate{SHA1: tp, DER: der, Source: src, Key: keyLinkOf(c)}
		if len(der) == 0 {
			cert.Error = "certificate context has no encoded certificate"
		}
		seen[tp] = len(out)
		out = append(out, cert)
	}
}

// keyLinkOf reads CERT_KEY_PROV_INFO_PROP_ID of a certificate context: nil
// when the certificate has no private-key link.
func keyLinkOf(c *windows.CertContext) *KeyLink {
	if procCertGetCertificateContextProperty.Find() != nil {
		return &KeyLink{Error: "CertGetCertificateContextProperty is not available"}
	}
	const propKeyProvInfo = 2
	var n uint32
	r, _, e := procCertGetCertificateContextProperty.Call(uintptr(unsafe.Pointer(c)), propKeyProvInfo, 0, uintptr(unsafe.Pointer(&n)))
	if r == 0 {
		if isNotFound(e) {
			return nil
		}
		return &KeyLink{Error: fmt.Sprintf("read key provider info: %v", e)}
	}
	if n == 0 || n > 1<<20 {
		return &KeyLink{Error: fmt.Sprintf("read key provider info: size %d", n)}
	}
	// the structure holds pointers: give it pointer-aligned memory
	words := make([]uint64, (n+7)/8)
	r, _, e = procCertGetCertificateContextProperty.Call(uintptr(unsafe.Pointer(c)), propKeyProvInfo,
		uintptr(unsafe.Pointer(&words[0])), uintptr(unsafe.Pointer(&n)))
	if r == 0 {
		return &KeyLink{Error: fmt.Sprintf("read key provider info: %v", e)}
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(words)*8)
	if int(n) < len(buf) {
		buf = buf[:n]
	}
	k, err := DecodeKeyProvInfo(buf, uint64(uintptr(unsafe.Pointer(&words[0]))), int(unsafe.Sizeof(uintptr(0))))
	runtime.KeepAlive(words)
	if err != nil {
		k.Error = err.Error()
	}
	return &k
}

// storeRegistryPath is where a system store keeps its certificates.
func storeRegistryPath(loc StoreLocation, store StoreName) (registry.Key, string, string) {
	if loc == LocalMachine {
		sub := `SOFTWARE\Microsoft\SystemCertificates\` + string(store) + `\Certificates`
		return registry.LOCAL_MACHINE, sub, `HKLM\` + sub
	}
	sub := `Software\Microsoft\SystemCertificates\` + string(store) + `\Certificates`
	return registry.CURRENT_USER, sub, `HKCU\` + sub
}

// registryOnlyCerts returns the certificates under the store's registry key
// that CryptoAPI did not list, with the reason in Error.
func registryOnlyCerts(loc StoreLocation, store StoreName, seen map[string]int) []Certificate {
	root, sub, shown := storeRegistryPath(loc, store)
	k, err := registry.OpenKey(root, sub, registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return nil
	}
	defer k.Close()
	names, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return nil
	}
	sort.Strings(names)
	var out []Certificate
	for _, name := range names {
		tp := strings.ToUpper(name)
		if _, ok := seen[tp]; ok {
			continue
		}
		c := Certificate{SHA1: tp, Source: shown + `\` + name}
		data, typ, err := readValue(root, sub+`\`+name, "Blob")
		switch {
		case err != nil:
			c.Error = fmt.Sprintf("not loaded by CryptoAPI; read Blob: %v", err)
		case typ != regTypeBinary:
			c.Error = fmt.Sprintf("not loaded by CryptoAPI; Blob is %s, want REG_BINARY", RegTypeName(typ))
		default:
			cb, err := DecodeCertBlob(data)
			switch {
			case err != nil:
				c.Error = fmt.Sprintf("not loaded by CryptoAPI: %v", err)
			case Thumbprint(cb.DER) != tp:
				c.Error = fmt.Sprintf("not loaded by CryptoAPI: key name is not the SHA-1 of the certificate (%s)", Thumbprint(cb.DER))
			default:
				c.Error = "not loaded by CryptoAPI although the Blob decodes"
			}
		}
		out = append(out, c)
	}
	return out
}

// readValue reads one raw registry value.
func readValue(root registry.Key, sub, name string) ([]byte, uint32, error) {
	k, err := registry.OpenKey(root, sub, registry.QUERY_VALUE)
	if err != nil {
		return nil, 0, err
	}
	defer k.Close()
	return rawValue(k, name)
}

// rawValue returns the bytes and type of a value, growing the buffer as
// the registry asks.
func rawValue(k registry.Key, name string) ([]byte, uint32, error) {
	buf := make([]byte, 512)
	for tries := 0; ; tries++ {
		n, typ, err := k.GetValue(name, buf)
		if err == nil {
			if n > len(buf) {
				n = len(buf)
			}
			return buf[:n], typ, nil
		}
		if !errors.Is(err, windows.ERROR_MORE_DATA) || tries >= 4 || n <= len(buf) {
			return nil, 0, err
		}
		buf = make([]byte, n)
	}
}

// isNotFound reports the "does not exist" errors of CryptoAPI and the
// registry.
func isNotFound(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch uint32(errno) {
	case uint32(windows.ERROR_FILE_NOT_FOUND), uint32(windows.ERROR_PATH_NOT_FOUND),
		uint32(windows.CRYPT_E_NOT_FOUND), 0x80070002, 0x80070003:
		return true
	}
	return false
}

// ---------------------------------------------------------------- CryptoAPI chain

// Flags of CertGetCertificateChain that x/sys/windows does not name
// (wincrypt.h).
const (
	certChainCacheOnlyURLRetrieval   = 0x00000004 // CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL
	certChainDisableAuthRootAutoUpd  = 0x00000100 // CERT_CHAIN_DISABLE_AUTH_ROOT_AUTO_UPDATE
	usageMatchTypeAnd                = 0          // USAGE_MATCH_TYPE_AND
	hcceCurrentUser                  = 0          // HCCE_CURRENT_USER: the default chain engine
	certChainFlagsNeverTheNetwork    = certChainCacheOnlyURLRetrieval | certChainDisableAuthRootAutoUpd
	certChainRevocationFlagsNoChecks = 0
)

// ChainStatus implements Host. It finds the certificate by thumbprint in
// the system store opened read-only and asks the current user's chain
// engine (the one the browser plug-in and CAPICOM use in the user's
// session) to build its chain.
//
// The chain is built from local data only: CERT_CHAIN_CACHE_ONLY_URL_RETRIEVAL
// (no download of missing issuers through AIA), no revocation flags (no CRL
// or OCSP fetch) and CERT_CHAIN_DISABLE_AUTH_ROOT_AUTO_UPDATE (no root
// download from Windows Update). On the isolated networks of government
// offices each of those waits for a network timeout, long enough to hang
// the check; and a diagnosis must describe the machine as it is, not after
// CryptoAPI fetched what was missing. No usage restriction is asked for
// (an empty AND-usage list), so only the chain itself is judged.
func (h *windowsHost) ChainStatus(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (ChainStatus, error) {
	out := ChainStatus{SHA1: strings.ToUpper(strings.TrimSpace(sha1)), Location: loc, Store: store}
	if err := ctx.Err(); err != nil {
		return ChainStatus{}, fmt.Errorf("build chain of %s: %w", sha1, err)
	}
	hash, err := hex.DecodeString(out.SHA1)
	if err != nil || len(hash) != 20 {
		out.Error = fmt.Sprintf("%q is not a SHA-1 thumbprint", sha1)
		return out, nil
	}
	hs, err := openSystemStore(loc, store)
	if err != nil {
		if isNotFound(err) {
			out.Error = fmt.Sprintf("store %s\\%s does not exist", loc, store)
		} else {
			out.Error = fmt.Sprintf("open store %s\\%s: %v", loc, store, err)
		}
		return out, nil
	}
	defer windows.CertCloseStore(hs, 0)
	blob := windows.CryptHashBlob{Size: uint32(len(hash)), Data: &hash[0]}
	cert, err := windows.CertFindCertificateInStore(hs, windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, 0,
		windows.CERT_FIND_SHA1_HASH, unsafe.Pointer(&blob), nil)
	runtime.KeepAlive(hash)
	if cert == nil {
		if err == nil || isNotFound(err) {
			out.Error = fmt.Sprintf("the certificate is not in %s\\%s", loc, store)
		} else {
			out.Error = fmt.Sprintf("find the certificate in %s\\%s: %v", loc, store, err)
		}
		return out, nil
	}
	defer windows.CertFreeCertificateContext(cert)
	para := windows.CertChainPara{RequestedUsage: windows.CertUsageMatch{Type: usageMatchTypeAnd}}
	para.Size = uint32(unsafe.Sizeof(para))
	var when *windows.Filetime
	if !h.at.IsZero() {
		ft := windows.NsecToFiletime(h.at.UnixNano())
		when = &ft
	}
	var chain *windows.CertChainContext
	if err := windows.CertGetCertificateChain(hcceCurrentUser, cert, when, 0, &para,
		certChainFlagsNeverTheNetwork|certChainRevocationFlagsNoChecks, 0, &chain); err != nil {
		out.Error = fmt.Sprintf("CertGetCertificateChain: %v", err)
		return out, nil
	}
	defer windows.CertFreeCertificateChain(chain)
	if chain.ChainCount == 0 || chain.Chains == nil {
		out.Error = "CryptoAPI returned an empty chain"
		return out, nil
	}
	// The first simple chain is the one from the certificate towards a
	// root; further ones only appear with CTL-based trust.
	simple := *chain.Chains
	if simple == nil || simple.NumElements == 0 {
		out.Error = "CryptoAPI returned an empty chain"
		return out, nil
	}
	out.TrustErrorStatus = simple.TrustStatus.ErrorStatus
	out.TrustInfoStatus = simple.TrustStatus.InfoStatus
	out.ChainLength = int(simple.NumElements)
	return out, nil
}

// ---------------------------------------------------------------- registry

// regOpenArgs maps a root name (after NormalizeRegPath) and a view to the
// predefined key and the view's access bits.
func regOpenArgs(rootName string, view RegView) (registry.Key, uint32, error) {
	var root registry.Key
	switch rootName {
	case "HKLM":
		root = registry.LOCAL_MACHINE
	case "HKCU":
		root = registry.CURRENT_USER
	case "HKCR":
		root = registry.CLASSES_ROOT
	case "HKU":
		root = registry.USERS
	case "HKCC":
		root = registry.CURRENT_CONFIG
	default:
		return 0, 0, fmt.Errorf("unknown root key %q", rootName)
	}
	var access uint32
	switch view {
	case RegViewDefault:
	case RegView32:
		access = registry.WOW64_32KEY
	case RegView64:
		access = registry.WOW64_64KEY
	default:
		return 0, 0, fmt.Errorf("unknown view %q", view)
	}
	return root, access, nil
}

// RegistryKey implements Host.
func (h *windowsHost) RegistryKey(ctx context.Context, p string, view RegView) (RegKey, error) {
	out := RegKey{Path: p, View: view}
	norm := NormalizeRegPath(p)
	rootName, sub := norm, ""
	if i := strings.IndexByte(norm, '\\'); i >= 0 {
		rootName, sub = norm[:i], norm[i+1:]
	}
	root, access, err := regOpenArgs(rootName, view)
	if err != nil {
		return out, fmt.Errorf("read registry key %s: %w", p, err)
	}
	access |= registry.QUERY_VALUE | registry.ENUMERATE_SUB_KEYS
	k, err := registry.OpenKey(root, sub, access)
	if err != nil {
		switch {
		case isNotFound(err):
			return out, nil
		case errors.Is(err, windows.ERROR_ACCESS_DENIED):
			out.Exists = true
			out.Error = fmt.Sprintf("open key: %v", err)
			return out, nil
		}
		return out, fmt.Errorf("read registry key %s: %w", p, err)
	}
	defer k.Close()
	out.Exists = true
	var problems []string
	if names, err := k.ReadSubKeyNames(-1); err == nil {
		sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
		out.SubKeys = names
	} else {
		problems = append(problems, fmt.Sprintf("list subkeys: %v", err))
	}
	names, err := k.ReadValueNames(-1)
	if err != nil {
		problems = append(problems, fmt.Sprintf("list values: %v", err))
	}
	sort.Slice(names, func(i, j int) bool { return strings.ToLower(names[i]) < strings.ToLower(names[j]) })
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("read registry key %s: %w", p, err)
		}
		data, typ, err := rawValue(k, name)
		if err != nil {
			out.Values = append(out.Values, RegValue{Name: name, Type: RegTypeName(typ), Error: fmt.Sprintf("read value: %v", err)})
			continue
		}
		out.Values = append(out.Values, DecodeRegValue(name, typ, data))
	}
	out.Error = strings.Join(problems, "; ")
	return out, nil
}

// ---------------------------------------------------------------- facts

func windowsFacts() Facts {
	f := Facts{OS: "windows", ProcessArch: runtime.GOARCH}
	v := windows.RtlGetVersion()
	f.Version = fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber)
	f.Build = strconv.FormatUint(uint64(v.BuildNumber), 10)
	readProduct(&f, v.BuildNumber)
	f.Arch = osArch()
	if hn, err := os.Hostname(); err == nil {
		f.Hostname = hn
	} else {
		f.Errors = append(f.Errors, fmt.Sprintf("read hostname: %v", err))
	}
	if u, err := user.Current(); err == nil {
		f.User, f.Home = u.Username, u.HomeDir
	} else {
		f.User = os.Getenv("USERNAME")
		f.Errors = append(f.Errors, fmt.Sprintf("read current user: %v", err))
	}
	if p := os.Getenv("USERPROFILE"); p != "" {
		f.Home = p
	}
	f.Elevated = windows.GetCurrentProcessToken().IsElevated()
	f.UILanguage = uiLanguage()
	f.TimeZone = timeZoneName()
	_, f.UTCOffsetSeconds = time.Now().Zone()
	return f
}

// readProduct fills ProductName ("Windows 10 Pro 22H2") and the UBR part of
// Build from HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion.
func readProduct(f *Facts, build uint32) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err != nil {
		f.Errors = append(f.Errors, fmt.Sprintf("read Windows product name: %v", err))
		return
	}
	defer k.Close()
	name, _, err := k.GetStringValue("ProductName")
	if err != nil {
		f.Errors = append(f.Errors, fmt.Sprintf("read ProductName: %v", err))
	}
	// Windows 11 still says "Windows 10" in ProductName.
	if build >= 22000 && strings.HasPrefix(name, "Windows 10") {
		name = "Windows 11" + strings.TrimPrefix(name, "Windows 10")
	}
	release, _, err := k.GetStringValue("DisplayVersion")
	if err != nil || release == "" {
		release, _, _ = k.GetStringValue("ReleaseId")
	}
	if csd, _, err := k.GetStringValue("CSDVersion"); err == nil && csd != "" {
		release = strings.TrimSpace(release + " " + csd)
	}
	f.ProductName = strings.TrimSpace(name + " " + release)
	if ubr, _, err := k.GetIntegerValue("UBR"); err == nil {
		f.Build = fmt.Sprintf("%d.%d", build, ubr)
	}
}

// osArch is the architecture of Windows itself, which differs from the
// process's under WOW64 (a 386 build on 64-bit Windows).
func osArch() string {
	var pm, nm uint16
	if err := windows.IsWow64Process2(windows.CurrentProcess(), &pm, &nm); err == nil {
		switch nm {
		case 0x8664:
			return "amd64"
		case 0x014c:
			return "386"
		case 0xAA64:
			return "arm64"
		case 0x01c4:
			return "arm"
		}
	}
	if a := os.Getenv("PROCESSOR_ARCHITEW6432"); a != "" {
		return envArch(a)
	}
	if a := os.Getenv("PROCESSOR_ARCHITECTURE"); a != "" {
		return envArch(a)
	}
	return runtime.GOARCH
}

func envArch(a string) string {
	switch strings.ToUpper(a) {
	case "AMD64":
		return "amd64"
	case "X86":
		return "386"
	case "ARM64":
		return "arm64"
	}
	return strings.ToLower(a)
}

// uiLanguage returns the user's UI language as a locale name ("ru-RU").
func uiLanguage() string {
	if procGetUserDefaultUILanguage.Find() != nil {
		return ""
	}
	r, _, _ := procGetUserDefaultUILanguage.Call()
	lcid := uint32(r & 0xffff)
	if procLCIDToLocaleName.Find() == nil {
		buf := make([]uint16, 85) // LOCALE_NAME_MAX_LENGTH
		n, _, _ := procLCIDToLocaleName.Call(uintptr(lcid), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0)
		if n > 1 {
			return windows.UTF16ToString(buf[:n])
		}
	}
	return LangIDName(uint16(lcid))
}

// dynamicTimeZoneInformation is DYNAMIC_TIME_ZONE_INFORMATION.
type dynamicTimeZoneInformation struct {
	windows.Timezoneinformation
	TimeZoneKeyName             [128]uint16
	DynamicDaylightTimeDisabled uint8
}

// timeZoneName returns the Windows time zone ID ("Russian Standard Time"),
// or the localised standard name on systems without it.
func timeZoneName() string {
	if procGetDynamicTimeZoneInformation.Find() == nil {
		var d dynamicTimeZoneInformation
		r, _, _ := procGetDynamicTimeZoneInformation.Call(uintptr(unsafe.Pointer(&d)))
		if uint32(r) != 0xFFFFFFFF {
			if s := windows.UTF16ToString(d.TimeZoneKeyName[:]); s != "" {
				return s
			}
			return windows.UTF16ToString(d.StandardName[:])
		}
	}
	var tz windows.Timezoneinformation
	if _, err := windows.GetTimeZoneInformation(&tz); err == nil {
		return windows.UTF16ToString(tz.StandardName[:])
	}
	name, _ := time.Now().Zone()
	return name
}
