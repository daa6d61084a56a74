package winetest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
)

// Forward is one export of a forwarder DLL: calls to Name go to Target
// ("advapi32.SystemFunction036").
type Forward struct {
	Name   string
	Target string
}

// BcryptPrimitivesForwards is what Go ≥ 1.22 needs from bcryptprimitives.dll
// (runtime.osinit loads it and resolves ProcessPrng). Wine 8 has no such
// DLL; SystemFunction036 (RtlGenRandom) has the same contract: fill a
// buffer with random bytes, return non-zero on success.
var BcryptPrimitivesForwards = []Forward{{Name: "ProcessPrng", Target: "advapi32.SystemFunction036"}}

// PE constants used by ForwarderDLL.
const (
	peFileAlign    = 0x200
	peSectionAlign = 0x1000
	peExportRVA    = 0x1000
)

// ForwarderDLL writes a code-free PE DLL named dllName for arch ("amd64"
// or "386") whose only content is an export table of forwarders. The
// loader resolves each export to its target DLL's function, so the DLL
// needs no entry point, imports or relocations.
func ForwarderDLL(arch, dllName string, fwd []Forward) ([]byte, error) {
	var machine uint16
	var pe64 bool
	switch arch {
	case "amd64":
		machine, pe64 = 0x8664, true
	case "386":
		machine = 0x014c
	default:
		return nil, fmt.Errorf("write forwarder dll: unsupported architecture %q", arch)
	}
	if len(fwd) == 0 {
		return nil, fmt.Errorf("write forwarder dll: no exports")
	}
	fwd = append([]Forward(nil), fwd...)
	// the export name table must be sorted for the loader's binary search
	sort.Slice(fwd, func(i, j int) bool { return fwd[i].Name < fwd[j].Name })

	edata := exportSection(dllName, fwd)
	rawSize := alignUp(len(edata), peFileAlign)

	var b bytes.Buffer
	le := func(v interface{}) { _ = binary.Write(&b, binary.LittleEndian, v) }

	// DOS header: only e_magic and e_lfanew matter.
	dos := make([]byte, 64)
	copy(dos, "MZ")
	binary.LittleEndian.PutUint32(dos[60:], 64)
	b.Write(dos)

	// PE signature and COFF file header.
	b.WriteString("PE\x00\x00")
	optSize := uint16(224)
	chars := uint16(0x0002 | 0x2000 | 0x0100) // EXECUTABLE_IMAGE | DLL | 32BIT_MACHINE
	if pe64 {
		optSize = 240
		chars = 0x0002 | 0x2000 | 0x0020 // EXECUTABLE_IMAGE | DLL | LARGE_ADDRESS_AWARE
	}
	le(machine)
	le(uint16(1)) // NumberOfSections
	le(uint32(0)) // TimeDateStamp
	le(uint32(0)) // PointerToSymbolTable
	le(uint32(0)) // NumberOfSymbols
	le(optSize)
	le(chars)

	// Optional header.
	sizeOfImage := uint32(peExportRVA + alignUp(len(edata), peSectionAlign))
	if pe64 {
		le(uint16(0x20b))
	} else {
		le(uint16(0x10b))
	}
	le(uint8(14))           // MajorLinkerVersion
	le(uint8(0))            // MinorLinkerVersion
	le(uint32(0))           // SizeOfCode
	le(uint32(rawSize))     // SizeOfInitializedData
	le(uint32(0))           // SizeOfUninitializedData
	le(uint32(0))           // AddressOfEntryPoint: none
	le(uint32(peExportRVA)) // BaseOfCode
	if !pe64 {
		le(uint32(peExportRVA)) // BaseOfData
		le(uint32(0x10000000))  // ImageBase
	} else {
		le(uint64(0x180000000)) // ImageBase
	}
	le(uint32(peSectionAlign))
	le(uint32(peFileAlign))
	le(uint16(6)) // MajorOperatingSystemVersion
	le(uint16(0))
	le(uint16(0)) // MajorImageVersion
	le(uint16(0))
	le(uint16(6)) // MajorSubsystemVersion
	le(uint16(0))
	le(uint32(0)) // Win32VersionValue
	le(sizeOfImage)
	le(uint32(peFileAlign)) // SizeOfHeaders
	le(uint32(0))           // CheckSum
	le(uint16(3))           // Subsystem: console
	le(uint16(0x0100))      // DllCharacteristics: NX_COMPAT
	if pe64 {
		le(uint64(0x100000)) // SizeOfStackReserve
		le(uint64(0x1000))   // SizeOfStackCommit
		le(uint64(0x100000)) // SizeOfHeapReserve
		le(uint64(0x1000))   // SizeOfHeapCommit
	} else {
		le(uint32(0x100000))
		le(uint32(0x1000))
		le(uint32(0x100000))
		le(uint32(0x1000))
	}
	le(uint32(0))  // LoaderFlags
	le(uint32(16)) // NumberOfRvaAndSizes
	le(uint32(peExportRVA))
	le(uint32(len(edata))) // data directory 0: export table
	for i := 1; i < 16; i++ {
		le(uint64(0))
	}

	// Section header.
	name := [8]byte{}
	copy(name[:], ".edata")
	b.Write(name[:])
	le(uint32(len(edata)))  // VirtualSize
	le(uint32(peExportRVA)) // VirtualAddress
	le(uint32(rawSize))     // SizeOfRawData
	le(uint32(peFileAlign)) // PointerToRawData
	le(uint32(0))           // PointerToRelocations
	le(uint32(0))           // PointerToLinenumbers
	le(uint16(0))           // NumberOfRelocations
	le(uint16(0))           // NumberOfLinenumbers
	le(uint32(0x40000040))  // INITIALIZED_DATA | MEM_READ

	if b.Len() > peFileAlign {
		return nil, fmt.Errorf("write forwarder dll: headers take %d bytes", b.Len())
	}
	b.Write(make([]byte, peFileAlign-b.Len()))
	b.Write(edata)
	b.Write(make([]byte, rawSize-len(edata)))
	return b.Bytes(), nil
}

// exportSection lays out the export directory at RVA peExportRVA: the
// directory, the address table (each entry the RVA of a forwarder string
// inside the export directory, which is what makes it a forwarder), the
// name pointer table, the ordinal table, then the strings.
func exportSection(dllName string, fwd []Forward) []byte {
	n := len(fwd)
	const dirSize = 40
	eat := dirSize
	names := eat + 4*n
	ords := names + 4*n
	str := ords + 2*n

	var strs bytes.Buffer
	addStr := func(s string) uint32 {
		rva := uint32(peExportRVA + str + strs.Len())
		strs.WriteString(s)
		strs.WriteByte(0)
		return rva
	}
	nameRVA := addStr(dllName)
	fnRVAs := make([]uint32, n)
	nmRVAs := make([]uint32, n)
	for i, f := range fwd {
		nmRVAs[i] = addStr(f.Name)
		fnRVAs[i] = addStr(f.Target)
	}

	out := make([]byte, str+strs.Len())
	put32 := func(off int, v uint32) { binary.LittleEndian.PutUint32(out[off:], v) }
	// IMAGE_EXPORT_DIRECTORY
	put32(12, nameRVA)
	put32(16, 1) // ordinal base
	put32(20, uint32(n))
	put32(24, uint32(n))
	put32(28, uint32(peExportRVA+eat))
	put32(32, uint32(peExportRVA+names))
	put32(36, uint32(peExportRVA+ords))
	for i := 0; i < n; i++ {
		put32(eat+4*i, fnRVAs[i])
		put32(names+4*i, nmRVAs[i])
		binary.LittleEndian.PutUint16(out[ords+2*i:], uint16(i))
	}
	copy(out[str:], strs.Bytes())
	return out
}

func alignUp(n, a int) int { return (n + a - 1) / a * a }
