package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestStampedWins(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	defer func(f func() (*debug.BuildInfo, bool)) { readBuildInfo = f }(readBuildInfo)
	version, commit, date = "1.2.3", "abc", "2026-01-02T03:04:05Z"
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "zzz"}}}, true
	}
	in := Get()
	if in.Version != "1.2.3" || in.Commit != "abc" || in.Date != "2026-01-02T03:04:05Z" {
		t.Errorf("Get() = %+v, want the stamped values", in)
	}
	if in.GoVersion != runtime.Version() || in.OS != runtime.GOOS || in.Arch != runtime.GOARCH {
		t.Errorf("Get() = %+v, want the runtime's go version and platform", in)
	}
}

func TestFallbackToBuildInfo(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	defer func(f func() (*debug.BuildInfo, bool)) { readBuildInfo = f }(readBuildInfo)
	version, commit, date = "", "", ""
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "deadbeef"}, {Key: "vcs.time", Value: "2026-05-06T07:08:09Z"}}}, true
	}
	in := Get()
	if in.Version != "0.4.0" || in.Commit != "deadbeef" || in.Date != "2026-05-06T07:08:09Z" {
		t.Errorf("Get() = %+v", in)
	}
	version, commit = "", "none"
	readBuildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true
	}
	if c := Get().Commit; c != "" {
		t.Errorf("commit stamped as none = %q, want empty", c)
	}
	if v := Version(); v != "dev" {
		t.Errorf("Version() for a devel build = %q, want dev", v)
	}
}
