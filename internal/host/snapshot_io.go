package host

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
	"github.com/gmu-doctor/gmu-doctor/internal/safefile"
)

// MaxSnapshotSize is the largest snapshot document LoadSnapshot accepts.
// A real workstation record is well under a megabyte (a few hundred
// certificates of ~1.5 KiB each, a few hundred registry values and command
// outputs); the cap only keeps a wrong file (a disk image, a log) from
// eating memory.
const MaxSnapshotSize = 64 << 20

// LoadSnapshotFile reads and validates a snapshot document from a file.
// Only a regular file is read (a FIFO or a device is refused at once,
// without blocking), and at most MaxSnapshotSize bytes of it.
func LoadSnapshotFile(path string) (*Snapshot, error) {
	f, err := safefile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxSnapshotSize {
		// Refused by its size before a byte is read.
		return nil, fmt.Errorf("%s: load snapshot: snapshot is %s, larger than %d MiB; is this really a gmu-doctor snapshot?", path, safefile.Size(st.Size()), MaxSnapshotSize>>20)
	}
	s, err := LoadSnapshot(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// LoadSnapshot reads and validates a snapshot document.
//
// Decoding is strict: a field this build does not know is an error, not
// silently ignored. A snapshot is evidence for a diagnosis, and a misspelt
// field in a hand-edited fixture ("exist": false) would otherwise turn into
// a different machine without anyone noticing. Forward compatibility is
// handled by snapshot_version instead: a newer document is rejected with a
// message naming both versions before any field is looked at.
//
// Every error is a single line starting with "load snapshot:", with the
// line and column for JSON mistakes and a JSON path (cert_stores[2]
// .certificates[0].sha1) for values that decode but make no sense.
// Thumbprints are normalised to upper case.
//
// A seekable input (a file) is decoded in one streaming pass; only when
// that fails is it read again as a whole, for the exact error message.
// Other input is read into memory first and then decoded the same way.
// A byte order mark is allowed (UTF8Text): a snapshot saved by a
// PowerShell redirect is UTF-16, one saved by Notepad may start with a
// UTF-8 BOM.
func LoadSnapshot(r io.Reader) (*Snapshot, error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			var head [3]byte
			n, _ := io.ReadFull(rs, head[:])
			skip := int64(0)
			if bytes.HasPrefix(head[:n], []byte{0xEF, 0xBB, 0xBF}) {
				skip = 3
			}
			if _, err := rs.Seek(start+skip, io.SeekStart); err != nil {
				return nil, fmt.Errorf("load snapshot: %w", err)
			}
			if !hasUTF16BOM(head[:n]) {
				if s, ok := streamSnapshot(rs); ok {
					return validated(s)
				}
				if _, err := rs.Seek(start, io.SeekStart); err != nil {
					return nil, fmt.Errorf("load snapshot: %w", err)
				}
				return loadWhole(r)
			}
		}
	}
	data, err := readText(r)
	if err != nil {
		return nil, err
	}
	if s, ok := streamSnapshot(bytes.NewReader(data)); ok {
		return validated(s)
	}
	return parseWhole(data)
}

// LoadPlainSnapshot decodes a snapshot document held in memory on the
// streaming road only. ok is false when the document is off that road:
// it may still be a snapshot, or not one at all, and only LoadSnapshot
// says which and why. When ok, s and err are exactly what LoadSnapshot
// returns (err: the document decodes but fails validation). It lets a
// caller that must first tell a snapshot from other JSON skip a probe of
// the whole document in the common case.
func LoadPlainSnapshot(data []byte) (s *Snapshot, ok bool, err error) {
	if len(data) > MaxSnapshotSize {
		return nil, false, nil
	}
	if s, ok = streamSnapshot(bytes.NewReader(data)); !ok {
		return nil, false, nil
	}
	s, err = validated(s)
	return s, true, err
}

func validated(s *Snapshot) (*Snapshot, error) {
	if err := s.validate(true); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	return s, nil
}

// loadWhole reads the document into memory and decodes it as a whole.
func loadWhole(r io.Reader) (*Snapshot, error) {
	data, err := readText(r)
	if err != nil {
		return nil, err
	}
	return parseWhole(data)
}

// readText reads the document (readCapped) as UTF-8 without a BOM.
func readText(r io.Reader) ([]byte, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if data, err = UTF8Text(data); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	return data, nil
}

// readCapped reads at most MaxSnapshotSize bytes; more is an error.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSnapshotSize+1))
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if len(data) > MaxSnapshotSize {
		return nil, fmt.Errorf("load snapshot: snapshot is larger than %d MiB; is this really a gmu-doctor snapshot?", MaxSnapshotSize>>20)
	}
	return data, nil
}

// parseWhole decodes a document held in memory as a whole.
func parseWhole(data []byte) (*Snapshot, error) {
	s, err := parseSnapshot(data)
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	return s, nil
}

func parseSnapshot(data []byte) (*Snapshot, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("file is empty")
	}
	// The version first, leniently, so that a newer document gets a version
	// message rather than "unknown field".
	var head struct {
		Version *json.RawMessage `json:"snapshot_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(data, err, -1)
	}
	if head.Version == nil {
		return nil, fmt.Errorf("no snapshot_version; this build reads snapshot_version %d (written by gmu-doctor collect)", SnapshotVersion)
	}
	var v int
	if err := json.Unmarshal(*head.Version, &v); err != nil || v != SnapshotVersion {
		// (whitespace collapsed: the error is one line)
		return nil, fmt.Errorf("unsupported snapshot_version %s; this build reads snapshot_version %d", truncate(strings.Join(strings.Fields(string(*head.Version)), " "), 20), SnapshotVersion)
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, jsonError(data, err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: unexpected data after the snapshot document", position(data, dec.InputOffset()))
	}
	if err := s.validate(true); err != nil {
		return nil, err
	}
	return &s, nil
}

// jsonError turns an encoding/json error into one line with a position.
func jsonError(data []byte, err error, decOffset int64) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tim *time.ParseError
	switch {
	case errors.As(err, &syn):
		switch {
		case syn.Error() == "unexpected end of JSON input":
			return fmt.Errorf("%s: unexpected end of file: the snapshot is truncated", position(data, syn.Offset))
		case strings.Contains(syn.Error(), "after top-level value"):
			return fmt.Errorf("%s: unexpected data after the snapshot document", position(data, syn.Offset-1))
		}
		return fmt.Errorf("%s: invalid JSON: %s", position(data, syn.Offset-1), syn.Error())
	case errors.As(err, &typ):
		field := strings.TrimPrefix(typ.Field, "Facts.")
		if field == "" {
			field = "the document"
		}
		return fmt.Errorf("%s: %s: cannot use a JSON %s here, want %s", position(data, typ.Offset-1), field, typ.Value, jsonTypeName(typ.Type))
	case errors.As(err, &tim):
		off := int64(bytes.Index(data, []byte(`"`+tim.Value+`"`)))
		if off < 0 {
			off = decOffset
		}
		return fmt.Errorf("%s: not an RFC 3339 time (like 2025-10-01T09:00:00Z): %q", position(data, off), truncate(tim.Value, 40))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errors.New("unexpected end of file: the snapshot is truncated")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field ") {
		// Point at the first place the field is used as a key.
		name := strings.TrimPrefix(msg, "unknown field ")
		if unq, uerr := strconv.Unquote(name); uerr == nil {
			re := regexp.MustCompile(regexp.QuoteMeta(strconv.Quote(unq)) + `\s*:`)
			if loc := re.FindIndex(data); loc != nil {
				decOffset = int64(loc[0])
			}
		}
	}
	if decOffset >= 0 {
		return fmt.Errorf("%s: %s", position(data, decOffset), msg)
	}
	return errors.New(msg)
}

func jsonTypeName(t reflect.Type) string {
	switch {
	case t == reflect.TypeOf(time.Time{}):
		return "an RFC 3339 time string"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return "a base64 string"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	}
	return t.String()
}

// position renders a byte offset as "line L, column C".
func position(data []byte, off int64) string {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("line %d, column %d", line, col)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// WriteSnapshot writes s as indented JSON in a stable order: the six core
// stores first (Locations × CoreStores), then other stores, registry keys,
// files, commands and CryptoAPI chain verdicts sorted by their lookup keys,
// environment variables by name. s itself is not changed. An invalid snapshot (one LoadSnapshot
// would reject) is an error and nothing is written.
//
// The output is what encoding/json's Encoder (two-space indent, no HTML
// escaping) makes of the document, byte for byte; the certificate stores,
// nearly all of a big document, are written here directly (see
// snapshot_write.go) instead of being encoded and then indented in memory.
func WriteSnapshot(w io.Writer, s *Snapshot) error {
	c, err := prepareSnapshot(s)
	if err != nil {
		return err
	}
	return writeSnapshot(w, c)
}

// prepareSnapshot returns the copy of s that WriteSnapshot writes:
// validated and sorted.
func prepareSnapshot(s *Snapshot) (*Snapshot, error) {
	if s == nil {
		return nil, errors.New("write snapshot: nil snapshot")
	}
	c := *s
	c.CertStores = append([]SnapStore(nil), s.CertStores...)
	for i := range c.CertStores {
		certs := append([]Certificate(nil), c.CertStores[i].Certificates...)
		if certs == nil {
			certs = []Certificate{}
		}
		c.CertStores[i].Certificates = certs
	}
	c.Registry = append([]RegKey(nil), s.Registry...)
	c.Files = append([]SnapFile(nil), s.Files...)
	c.Commands = append([]SnapCommand(nil), s.Commands...)
	c.ChainStatus = append([]ChainStatus(nil), s.ChainStatus...)
	c.Network = s.Network.clone()
	if err := c.validate(true); err != nil {
		return nil, fmt.Errorf("write snapshot: %w", err)
	}
	if c.Network != nil {
		c.Network.sort()
	}
	sort.SliceStable(c.CertStores, func(i, j int) bool {
		return storeRank(c.CertStores[i]) < storeRank(c.CertStores[j])
	})
	sort.SliceStable(c.Registry, func(i, j int) bool {
		return RegIndexKey(c.Registry[i].Path, c.Registry[i].View) < RegIndexKey(c.Registry[j].Path, c.Registry[j].View)
	})
	sort.SliceStable(c.Files, func(i, j int) bool {
		return FileIndexKey(c.OS, c.Files[i].Path) < FileIndexKey(c.OS, c.Files[j].Path)
	})
	sort.SliceStable(c.Commands, func(i, j int) bool {
		return CommandKey(c.Commands[i].Argv) < CommandKey(c.Commands[j].Argv)
	})
	sortChainStatus(c.ChainStatus)
	return &c, nil
}

// storeRank orders the core stores first, in Locations × CoreStores order,
// then the rest by location and name.
func storeRank(st SnapStore) string {
	for i, loc := range Locations {
		for j, name := range CoreStores {
			if strings.EqualFold(string(st.Location), string(loc)) && strings.EqualFold(string(st.Store), string(name)) {
				return fmt.Sprintf("0%d%d", i, j)
			}
		}
	}
	return "1" + strings.ToUpper(string(st.Location)) + "\\" + strings.ToUpper(string(st.Store))
}

var (
	otherRegType = lazyre.New(`^REG_TYPE_0x[0-9A-F]+$`)
	knownRegType = map[RegType]bool{
		RegSZ: true, RegExpandSZ: true, RegMultiSZ: true, RegDWORD: true, RegQWORD: true,
		RegBinary: true, RegNone: true, "REG_DWORD_BIG_ENDIAN": true, "REG_LINK": true,
		"REG_RESOURCE_LIST": true, "REG_FULL_RESOURCE_DESCRIPTOR": true, "REG_RESOURCE_REQUIREMENTS_LIST": true,
	}
)

// Validate reports the first thing in s that a snapshot cannot contain
// (missing os or collected_at, a thumbprint that does not match its
// certificate, an unknown registry value type, an empty path or argv,
// the same key recorded twice …) as one line naming the JSON path.
func (s *Snapshot) Validate() error {
	c := *s
	c.CertStores = make([]SnapStore, len(s.CertStores))
	for i, st := range s.CertStores {
		c.CertStores[i] = st
		c.CertStores[i].Certificates = append([]Certificate(nil), st.Certificates...)
	}
	c.ChainStatus = append([]ChainStatus(nil), s.ChainStatus...)
	return c.validate(false)
}

// validate checks s; with normalise it also upper-cases thumbprints in
// place.
func (s *Snapshot) validate(normalise bool) error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	if s.SnapshotVersion != SnapshotVersion {
		bad("snapshot_version is %d; this build reads snapshot_version %d", s.SnapshotVersion, SnapshotVersion)
	}
	if s.CollectedAt.IsZero() {
		bad("collected_at is missing")
	}
	if s.OS == "" {
		bad("os is missing (windows, linux or darwin)")
	}
	for name := range s.Env {
		if name == "" {
			bad("env: empty variable name")
		}
	}
	stores := map[string]int{}
	for i := range s.CertStores {
		st := &s.CertStores[i]
		at := fmt.Sprintf("cert_stores[%d]", i)
		if st.Location == "" || st.Store == "" {
			bad("%s: location and store are required", at)
			continue
		}
		k := strings.ToUpper(string(st.Location)) + "\\" + strings.ToUpper(string(st.Store))
		if j, dup := stores[k]; dup {
			bad("%s: store %s\\%s is recorded twice (also cert_stores[%d])", at, st.Location, st.Store, j)
		}
		stores[k] = i
		for j := range st.Certificates {
			if err := validateCert(&st.Certificates[j], normalise); err != "" {
				bad("%s.certificates[%d]: %s", at, j, err)
			}
		}
	}
	regs := map[string]int{}
	for i := range s.Registry {
		k := &s.Registry[i]
		at := fmt.Sprintf("registry[%d]", i)
		if strings.Trim(k.Path, `\/ `) == "" {
			bad("%s: path is empty", at)
			continue
		}
		if k.View != RegViewDefault && k.View != RegView32 && k.View != RegView64 {
			bad("%s: view %q is not \"\", \"32\" or \"64\"", at, k.View)
		}
		key := RegIndexKey(k.Path, k.View)
		if j, dup := regs[key]; dup {
			bad("%s: key %s (view %q) is recorded twice (also registry[%d])", at, k.Path, k.View, j)
		}
		regs[key] = i
		if !k.Exists && (len(k.Values) > 0 || len(k.SubKeys) > 0) {
			bad("%s: key %s has exists false but values or subkeys", at, k.Path)
		}
		for j, v := range k.Values {
			if err := validateRegValue(v); err != "" {
				bad("%s.values[%d] (%q): %s", at, j, v.Name, err)
			}
		}
	}
	files := map[string]int{}
	for i := range s.Files {
		f := &s.Files[i]
		at := fmt.Sprintf("files[%d]", i)
		if f.Path == "" {
			bad("%s: path is empty", at)
			continue
		}
		key := FileIndexKey(s.OS, f.Path)
		if j, dup := files[key]; dup {
			bad("%s: path %s is recorded twice (also files[%d])", at, f.Path, j)
		}
		files[key] = i
		switch {
		case len(f.Content) > 0 && !f.ContentRead:
			bad("%s: %s has content but content_read is false", at, f.Path)
		case f.ContentLimit < 0:
			bad("%s: %s has a negative content_limit", at, f.Path)
		case len(f.Entries) > 0 && !f.Listed:
			bad("%s: %s has entries but listed is false", at, f.Path)
		case !f.Exists && (f.ContentRead || f.Listed || f.IsDir || f.Size != 0):
			bad("%s: %s has exists false but also content, entries or a size", at, f.Path)
		}
		for j, e := range f.Entries {
			if e.Name == "" && e.Path == "" {
				bad("%s.entries[%d]: name and path are empty", at, j)
			}
		}
	}
	cmds := map[string]int{}
	for i := range s.Commands {
		c := &s.Commands[i]
		at := fmt.Sprintf("commands[%d]", i)
		if len(c.Argv) == 0 || c.Argv[0] == "" {
			bad("%s: argv is empty", at)
			continue
		}
		key := CommandKey(c.Argv)
		if j, dup := cmds[key]; dup {
			bad("%s: command %q is recorded twice (also commands[%d])", at, strings.Join(c.Argv, " "), j)
		}
		cmds[key] = i
		if (c.Stdout != "" && c.StdoutBase64 != nil) || (c.Stderr != "" && c.StderrBase64 != nil) {
			bad("%s: output is given both as text and as base64", at)
		}
	}
	chains := map[string]int{}
	for i := range s.ChainStatus {
		c := &s.ChainStatus[i]
		at := fmt.Sprintf("chain_status[%d]", i)
		if c.Location == "" || c.Store == "" {
			bad("%s: location and store are required", at)
			continue
		}
		if len(c.SHA1) != 40 {
			bad("%s: sha1 %q is not 40 hex digits", at, truncate(c.SHA1, 50))
			continue
		}
		if !isHex(c.SHA1) {
			bad("%s: sha1 %q is not hexadecimal", at, c.SHA1)
			continue
		}
		if normalise {
			c.SHA1 = strings.ToUpper(c.SHA1)
		}
		if c.ChainLength < 0 {
			bad("%s: chain_length is negative", at)
		}
		if c.Error != "" && (c.TrustErrorStatus != 0 || c.TrustInfoStatus != 0 || c.ChainLength != 0) {
			bad("%s: a verdict with an error has no flags and no chain_length", at)
		}
		if c.Error == "" && c.ChainLength == 0 {
			bad("%s: chain_length is 0 (a chain holds at least the certificate itself)", at)
		}
		key := chainStatusKey(c.Location, c.Store, c.SHA1)
		if j, dup := chains[key]; dup {
			bad("%s: chain of %s in %s\\%s is recorded twice (also chain_status[%d])", at, c.SHA1, c.Location, c.Store, j)
		}
		chains[key] = i
	}
	s.Network.validate(bad)
	if s.OS != "" && s.OS != "windows" && len(s.ChainStatus) > 0 {
		bad("chain_status: CryptoAPI verdicts exist only on windows, os is %q", s.OS)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errors.New(errs[0])
	}
	return fmt.Errorf("%s (and %d more problems)", errs[0], len(errs)-1)
}

func validateCert(c *Certificate, normalise bool) string {
	if c.SHA1 != "" {
		if len(c.SHA1) != 40 {
			return fmt.Sprintf("sha1 %q is not 40 hex digits", truncate(c.SHA1, 50))
		}
		if !isHex(c.SHA1) {
			return fmt.Sprintf("sha1 %q is not hexadecimal", c.SHA1)
		}
	}
	if len(c.DER) > 0 {
		sum := sha1.Sum(c.DER)
		if c.SHA1 == "" {
			return fmt.Sprintf("sha1 is missing (the der's thumbprint is %s)", strings.ToUpper(hex.EncodeToString(sum[:])))
		}
		if !hexEquals(c.SHA1, sum[:]) {
			return fmt.Sprintf("sha1 %s does not match the der, whose thumbprint is %s", c.SHA1, strings.ToUpper(hex.EncodeToString(sum[:])))
		}
	} else if c.SHA1 == "" && c.Error == "" {
		return "entry has neither der, sha1 nor error"
	}
	if normalise {
		c.SHA1 = strings.ToUpper(c.SHA1)
	}
	if c.Key != nil && c.Key.Container == "" && c.Key.Error == "" {
		return "key link has no container and no error"
	}
	return ""
}

// hexEquals reports whether h (hex digits of either case) spells b.
func hexEquals(h string, b []byte) bool {
	if len(h) != 2*len(b) {
		return false
	}
	for i, c := range b {
		hi, ok1 := unhex(h[2*i])
		lo, ok2 := unhex(h[2*i+1])
		if !ok1 || !ok2 || hi<<4|lo != c {
			return false
		}
	}
	return true
}

// isHex reports whether every byte of h is a hex digit (of either case).
func isHex(h string) bool {
	for i := 0; i < len(h); i++ {
		if _, ok := unhex(h[i]); !ok {
			return false
		}
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func validateRegValue(v RegValue) string {
	if !knownRegType[v.Type] && !otherRegType.MatchString(string(v.Type)) {
		if v.Type == "" {
			return "type is missing"
		}
		return fmt.Sprintf("unknown type %q (want REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD, REG_QWORD, REG_BINARY, REG_NONE or another REG_* name)", truncate(string(v.Type), 40))
	}
	hasString, hasStrings, hasInt := v.String != "", len(v.Strings) > 0, v.Integer != 0
	switch v.Type {
	case RegSZ, RegExpandSZ:
		if hasStrings || hasInt {
			return fmt.Sprintf("a %s value may only have string data", v.Type)
		}
	case RegMultiSZ:
		if hasString || hasInt {
			return "a REG_MULTI_SZ value may only have strings data"
		}
	case RegDWORD:
		if hasString || hasStrings {
			return "a REG_DWORD value may only have integer data"
		}
		if v.Integer > 0xFFFFFFFF {
			return fmt.Sprintf("REG_DWORD integer %d does not fit in 32 bits", v.Integer)
		}
	case RegQWORD:
		if hasString || hasStrings {
			return "a REG_QWORD value may only have integer data"
		}
	default:
		if hasString || hasStrings || hasInt {
			return fmt.Sprintf("a %s value may only have binary data", v.Type)
		}
	}
	return ""
}

// sortChainStatus orders chain verdicts by their lookup key.
func sortChainStatus(cs []ChainStatus) {
	sort.SliceStable(cs, func(i, j int) bool {
		return chainStatusKey(cs[i].Location, cs[i].Store, cs[i].SHA1) < chainStatusKey(cs[j].Location, cs[j].Store, cs[j].SHA1)
	})
}
