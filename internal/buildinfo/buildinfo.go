// Package buildinfo says which build of gmu-doctor is running. Release
// builds stamp the variables with -ldflags -X (see .goreleaser.yaml); a
// plain `go build` or `go install` falls back to what the Go toolchain
// recorded in the binary.
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Stamped by the release build:
//
//	-X github.com/gmu-doctor/gmu-doctor/internal/buildinfo.version=1.2.3
//	-X github.com/gmu-doctor/gmu-doctor/internal/buildinfo.commit=abc123
//	-X github.com/gmu-doctor/gmu-doctor/internal/buildinfo.date=2026-01-02T03:04:05Z
var (
	version string
	commit  string
	date    string
)

// Info describes the running build.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Date      string `json:"date,omitempty"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
}

// readBuildInfo is replaced in tests.
var readBuildInfo = debug.ReadBuildInfo

// Get returns the build information: the stamped values, else the module
// version and VCS settings recorded by the toolchain, else "dev".
func Get() Info {
	in := Info{Version: stamped(version), Commit: stamped(commit), Date: stamped(date),
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi, ok := readBuildInfo(); ok {
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = strings.TrimPrefix(bi.Main.Version, "v")
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			}
		}
	}
	if in.Version == "" {
		in.Version = "dev"
	}
	return in
}

// stamped treats the placeholders a release tool writes when it does not
// know a value ("none", "unknown") as unset.
func stamped(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none", "unknown":
		return ""
	}
	return strings.TrimSpace(s)
}

// Version returns the version alone ("1.2.3" or "dev").
func Version() string { return Get().Version }
