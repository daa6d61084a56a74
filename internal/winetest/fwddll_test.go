package winetest

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"testing"
)

// exportsOf reads the export table of a PE image the way the loader does:
// name → forwarder string (or "" when the address is not a forwarder).
func exportsOf(t *testing.T, img []byte) (dll string, exports map[string]string) {
	t.Helper()
	f, err := pe.NewFile(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("debug/pe rejects the image: %v", err)
	}
	var dd pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		dd = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT]
	case *pe.OptionalHeader32:
		dd = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT]
	}
	if len(f.Sections) != 1 {
		t.Fatalf("%d sections", len(f.Sections))
	}
	s := f.Sections[0]
	data, err := s.Data()
	if err != nil {
		t.Fatal(err)
	}
	at := func(rva uint32) []byte {
		if rva < s.VirtualAddress || rva-s.VirtualAddress >= uint32(len(data)) {
			t.Fatalf("RVA 0x%X outside the section", rva)
		}
		return data[rva-s.VirtualAddress:]
	}
	cstr := func(rva uint32) string {
		b := at(rva)
		return string(b[:bytes.IndexByte(b, 0)])
	}
	dir := at(dd.VirtualAddress)
	u32 := func(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	n := int(u32(dir, 24))
	eat, names, ords := u32(dir, 28), u32(dir, 32), u32(dir, 36)
	exports = map[string]string{}
	for i := 0; i < n; i++ {
		name := cstr(u32(at(names), 4*i))
		ord := binary.LittleEndian.Uint16(at(ords)[2*i:])
		fn := u32(at(eat), 4*int(ord))
		if fn >= dd.VirtualAddress && fn < dd.VirtualAddress+dd.Size {
			exports[name] = cstr(fn)
		} else {
			exports[name] = ""
		}
	}
	return cstr(u32(dir, 12)), exports
}

func TestForwarderDLL(t *testing.T) {
	for _, tc := range []struct {
		arch    string
		machine uint16
		is64    bool
	}{{"amd64", pe.IMAGE_FILE_MACHINE_AMD64, true}, {"386", pe.IMAGE_FILE_MACHINE_I386, false}} {
		img, err := ForwarderDLL(tc.arch, "bcryptprimitives.dll", append(BcryptPrimitivesForwards, Forward{"AaFirst", "kernel32.Sleep"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(img) != 1024 {
			t.Errorf("%s: %d bytes, want 1024", tc.arch, len(img))
		}
		f, err := pe.NewFile(bytes.NewReader(img))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != tc.machine || f.Characteristics&pe.IMAGE_FILE_DLL == 0 {
			t.Errorf("%s: machine 0x%X characteristics 0x%X", tc.arch, f.Machine, f.Characteristics)
		}
		if _, ok := f.OptionalHeader.(*pe.OptionalHeader64); ok != tc.is64 {
			t.Errorf("%s: PE32+ = %v", tc.arch, ok)
		}
		dll, exp := exportsOf(t, img)
		if dll != "bcryptprimitives.dll" || exp["ProcessPrng"] != "advapi32.SystemFunction036" || exp["AaFirst"] != "kernel32.Sleep" || len(exp) != 2 {
			t.Errorf("%s: dll %q exports %v", tc.arch, dll, exp)
		}
	}
	if _, err := ForwarderDLL("arm64", "x.dll", BcryptPrimitivesForwards); err == nil {
		t.Error("arm64 accepted")
	}
	if _, err := ForwarderDLL("amd64", "x.dll", nil); err == nil {
		t.Error("no exports accepted")
	}
}
