package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// windowsWriter is the live Writer on Windows: CryptoAPI system stores and
// the registry through golang.org/x/sys, regsvr32 from the system folder.
type windowsWriter struct{}

// NewWriter returns the live Writer of this OS.
func NewWriter() (Writer, error) { return &windowsWriter{}, nil }

var (
	procRegSetValueExW   = windows.NewLazySystemDLL("advapi32.dll").NewProc("RegSetValueExW")
	procCertControlStore = windows.NewLazySystemDLL("crypt32.dll").NewProc("CertControlStore")
)

const certStoreCtrlCommit = 3

// commitStore asks CryptoAPI to write a store's changes now
// (CERT_STORE_CTRL_COMMIT): Wine's registry stores otherwise keep a
// deletion in memory until the last reference is gone.
func commitStore(hs windows.Handle) {
	_, _, _ = procCertControlStore.Call(uintptr(hs), 0, certStoreCtrlCommit, 0)
}

const cryptEExists = 0x80092005

// openWritableStore opens (creating if needed) a system store for writing.
func openWritableStore(loc StoreLocation, store StoreName) (windows.Handle, error) {
	var flag uint32
	switch loc {
	case CurrentUser:
		flag = windows.CERT_SYSTEM_STORE_CURRENT_USER
	case LocalMachine:
		flag = windows.CERT_SYSTEM_STORE_LOCAL_MACHINE
	default:
		return 0, fmt.Errorf("store location %q: %w", loc, ErrNotSupported)
	}
	name, err := windows.UTF16PtrFromString(string(store))
	if err != nil {
		return 0, errBadStoreName
	}
	h, err := windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM_W, 0, 0, flag, uintptr(unsafe.Pointer(name)))
	if err != nil {
		return 0, fmt.Errorf("open store %s\\%s for writing: %w", loc, store, err)
	}
	return h, nil
}

// AddCertificate implements Writer.
func (w *windowsWriter) AddCertificate(ctx context.Context, loc StoreLocation, store StoreName, der []byte) (bool, error) {
	if len(der) == 0 {
		return false, errors.New("add certificate: empty")
	}
	hs, err := openWritableStore(loc, store)
	if err != nil {
		return false, err
	}
	defer windows.CertCloseStore(hs, 0)
	cc, err := windows.CertCreateCertificateContext(windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, &der[0], uint32(len(der)))
	if err != nil {
		return false, fmt.Errorf("add certificate to %s\\%s: %w", loc, store, err)
	}
	defer windows.CertFreeCertificateContext(cc)
	err = windows.CertAddCertificateContextToStore(hs, cc, windows.CERT_STORE_ADD_NEW, nil)
	var errno windows.Errno
	if errors.As(err, &errno) && uint32(errno) == cryptEExists {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("add certificate to %s\\%s: %w", loc, store, err)
	}
	return true, nil
}

func findBySHA1(hs windows.Handle, sha1 string) (*windows.CertContext, error) {
	raw, err := hexBytes(sha1)
	if err != nil || len(raw) != 20 {
		return nil, fmt.Errorf("thumbprint %q is not 40 hex digits", sha1)
	}
	blob := windows.CryptHashBlob{Size: uint32(len(raw)), Data: &raw[0]}
	cc, err := windows.CertFindCertificateInStore(hs, windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, 0,
		windows.CERT_FIND_SHA1_HASH, unsafe.Pointer(&blob), nil)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	return cc, nil
}

// RemoveCertificate implements Writer. The registry Blob (all properties,
// the key link among them) is kept for undo when the store has one.
func (w *windowsWriter) RemoveCertificate(ctx context.Context, loc StoreLocation, store StoreName, sha1 string) (*RemovedCert, error) {
	sha1 = strings.ToUpper(sha1)
	hs, err := openWritableStore(loc, store)
	if err != nil {
		return nil, err
	}
	defer windows.CertCloseStore(hs, 0)
	cc, err := findBySHA1(hs, sha1)
	if err != nil {
		return nil, fmt.Errorf("find %s in %s\\%s: %w", sha1, loc, store, err)
	}
	if cc == nil {
		return nil, nil
	}
	der := append([]byte(nil), unsafe.Slice(cc.EncodedCert, cc.Length)...)
	rc := &RemovedCert{SHA1: sha1, DER: der}
	root, sub, shown := storeRegistryPath(loc, store)
	if data, typ, err := readValue(root, sub+`\`+sha1, "Blob"); err == nil && typ == regTypeBinary {
		rc.Blob, rc.BlobKey = data, shown+`\`+sha1
	}
	// A system store is a collection of physical stores: delete every
	// copy. CertDeleteCertificateFromStore frees the context, even on
	// failure.
	for n := 0; cc != nil && n < 16; n++ {
		if err := windows.CertDeleteCertificateFromStore(cc); err != nil {
			return nil, fmt.Errorf("remove %s from %s\\%s: %w", sha1, loc, store, err)
		}
		if cc, err = findBySHA1(hs, sha1); err != nil {
			return nil, fmt.Errorf("find %s in %s\\%s: %w", sha1, loc, store, err)
		}
	}
	if cc != nil {
		windows.CertFreeCertificateContext(cc)
	}
	commitStore(hs)
	// The registry entry is the physical store: make sure it is gone.
	if k, err := registry.OpenKey(root, sub, registry.ENUMERATE_SUB_KEYS|registry.SET_VALUE); err == nil {
		err = registry.DeleteKey(k, sha1)
		k.Close()
		if err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("remove %s\\%s: %w", shown, sha1, err)
		}
	}
	return rc, nil
}

// RestoreCertificate implements Writer: the registry Blob byte for byte
// when it was kept, else the certificate through CryptoAPI.
func (w *windowsWriter) RestoreCertificate(ctx context.Context, loc StoreLocation, store StoreName, rc *RemovedCert) error {
	if len(rc.Blob) > 0 && rc.BlobKey != "" {
		rootName, sub := SplitRegPath(rc.BlobKey)
		root, _, err := regOpenArgs(rootName, RegViewDefault)
		if err != nil {
			return err
		}
		k, _, err := registry.CreateKey(root, sub, registry.SET_VALUE)
		if err != nil {
			return fmt.Errorf("restore %s: %w", rc.BlobKey, err)
		}
		defer k.Close()
		return k.SetBinaryValue("Blob", rc.Blob)
	}
	_, err := w.AddCertificate(ctx, loc, store, rc.DER)
	return err
}

// SetRegistryValue implements Writer.
func (w *windowsWriter) SetRegistryValue(ctx context.Context, key string, view RegView, v RegValue) (RegChange, error) {
	ch := RegChange{Key: key, View: view, Name: v.Name}
	typ, data, err := EncodeRegValue(v)
	if err != nil {
		return ch, err
	}
	rootName, sub := SplitRegPath(key)
	root, viewBits, err := regOpenArgs(rootName, view)
	if err != nil {
		return ch, fmt.Errorf("set %s: %w", key, err)
	}
	// Which keys are missing (to remove them again on undo)?
	parts := strings.Split(sub, `\`)
	for i := range parts {
		p := strings.Join(parts[:i+1], `\`)
		k, err := registry.OpenKey(root, p, registry.QUERY_VALUE|viewBits)
		if err == nil {
			k.Close()
			continue
		}
		if !isNotFound(err) {
			return ch, fmt.Errorf("open %s\\%s: %w", rootName, p, err)
		}
		for j := i; j < len(parts); j++ {
			ch.CreatedKeys = append(ch.CreatedKeys, rootName+`\`+strings.Join(parts[:j+1], `\`))
		}
		break
	}
	k, _, err := registry.CreateKey(root, sub, registry.QUERY_VALUE|registry.SET_VALUE|viewBits)
	if err != nil {
		return ch, fmt.Errorf("create %s: %w", key, err)
	}
	defer k.Close()
	if old, otyp, err := rawValue(k, v.Name); err == nil {
		ch.Existed, ch.PrevType, ch.PrevData = true, otyp, append([]byte(nil), old...)
		if otyp == typ && string(old) == string(data) {
			return ch, nil
		}
	} else if !isNotFound(err) {
		return ch, fmt.Errorf("read %s\\%s: %w", key, v.Name, err)
	}
	if err := setRaw(k, v.Name, typ, data); err != nil {
		return ch, fmt.Errorf("set %s\\%s: %w", key, v.Name, err)
	}
	ch.Changed = true
	return ch, nil
}

func setRaw(k registry.Key, name string, typ uint32, data []byte) error {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	var dp *byte
	if len(data) > 0 {
		dp = &data[0]
	}
	r, _, _ := procRegSetValueExW.Call(uintptr(k), uintptr(unsafe.Pointer(p)), 0, uintptr(typ), uintptr(unsafe.Pointer(dp)), uintptr(len(data)))
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

// RestoreRegistryValue implements Writer.
func (w *windowsWriter) RestoreRegistryValue(ctx context.Context, ch RegChange) error {
	rootName, sub := SplitRegPath(ch.Key)
	root, viewBits, err := regOpenArgs(rootName, ch.View)
	if err != nil {
		return err
	}
	k, err := registry.OpenKey(root, sub, registry.QUERY_VALUE|registry.SET_VALUE|viewBits)
	if err != nil {
		return fmt.Errorf("open %s: %w", ch.Key, err)
	}
	if ch.Existed {
		err = setRaw(k, ch.Name, ch.PrevType, ch.PrevData)
	} else if err = k.DeleteValue(ch.Name); isNotFound(err) {
		err = nil
	}
	k.Close()
	if err != nil {
		return fmt.Errorf("restore %s\\%s: %w", ch.Key, ch.Name, err)
	}
	for i := len(ch.CreatedKeys) - 1; i >= 0; i-- {
		_, csub := SplitRegPath(ch.CreatedKeys[i])
		ck, err := registry.OpenKey(root, csub, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS|viewBits)
		if err != nil {
			continue
		}
		info, err := ck.Stat()
		ck.Close()
		if err != nil || info.SubKeyCount > 0 || info.ValueCount > 0 {
			continue // something else lives there now: keep it
		}
		if err := deleteKey(root, csub, viewBits); err != nil && !isNotFound(err) {
			return fmt.Errorf("remove %s: %w", ch.CreatedKeys[i], err)
		}
	}
	return nil
}

var procRegDeleteKeyExW = windows.NewLazySystemDLL("advapi32.dll").NewProc("RegDeleteKeyExW")

// deleteKey removes an empty key in the given view.
func deleteKey(root registry.Key, sub string, viewBits uint32) error {
	if viewBits == 0 {
		return registry.DeleteKey(root, sub)
	}
	p, err := windows.UTF16PtrFromString(sub)
	if err != nil {
		return err
	}
	r, _, _ := procRegDeleteKeyExW.Call(uintptr(root), uintptr(unsafe.Pointer(p)), uintptr(viewBits), 0)
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

// RunFixed implements Writer.
func (w *windowsWriter) RunFixed(ctx context.Context, argv []string) (CommandResult, error) {
	sysRoot := os.Getenv("SystemRoot")
	if !AllowedCommand("windows", argv, sysRoot) {
		return CommandResult{}, fmt.Errorf("run %s: %w", strings.Join(argv, " "), ErrNotAllowed)
	}
	b := &base{decode: decodeOEM}
	return b.Run(ctx, Command{Argv: argv, Timeout: DefaultCommandTimeout})
}

// ProcessRunning implements Writer.
func (w *windowsWriter) ProcessRunning(ctx context.Context, name string) (bool, error) {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return false, fmt.Errorf("list processes: %w", err)
	}
	defer windows.CloseHandle(snap)
	var pe windows.ProcessEntry32
	pe.Size = uint32(unsafe.Sizeof(pe))
	for err = windows.Process32First(snap, &pe); err == nil; err = windows.Process32Next(snap, &pe) {
		if strings.EqualFold(windows.UTF16ToString(pe.ExeFile[:]), name) {
			return true, nil
		}
	}
	return false, nil
}

// RemoveDir implements Writer.
func (w *windowsWriter) RemoveDir(ctx context.Context, path string) (bool, error) {
	home := os.Getenv("USERPROFILE")
	if !MayRemoveDir(home, path, true) {
		return false, fmt.Errorf("remove %s: %w (only below %s)", path, ErrNotAllowed, home)
	}
	if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err := os.RemoveAll(path); err != nil {
		return true, fmt.Errorf("remove %s: %w", path, err)
	}
	return true, nil
}
