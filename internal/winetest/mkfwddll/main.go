// Command mkfwddll writes the bcryptprimitives.dll forwarder that Go ≥ 1.22
// programs need under Wine 8 (see winetest.ForwarderDLL):
//
//	mkfwddll -arch amd64 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/gmu-doctor/gmu-doctor/internal/winetest"
)

func main() {
	arch := flag.String("arch", "amd64", "amd64 or 386")
	out := flag.String("o", "bcryptprimitives.dll", "output file")
	flag.Parse()
	img, err := winetest.ForwarderDLL(*arch, "bcryptprimitives.dll", winetest.BcryptPrimitivesForwards)
	if err == nil {
		err = os.WriteFile(*out, img, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkfwddll:", err)
		os.Exit(1)
	}
}
