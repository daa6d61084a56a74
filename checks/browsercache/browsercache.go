// Package browsercache is the browser-cache check: the size and age of every
// browser's HTTP cache, and — for sites where a stale cache is the usual
// cause of «Ошибка 400» while signing (ГМУ) — the exact command that clears
// it. The check only reports; it never deletes anything.
package browsercache

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/checks/internal/platform"
	"github.com/gmu-doctor/gmu-doctor/internal/browsers"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/profile"
)

// Config of the browser-cache check (checks.browser-cache).
type Config struct {
	// MaxSizeMB: a cache larger than this is worth clearing.
	MaxSizeMB int64 `json:"max_size_mb"`
	// MaxAgeDays: a cache holding files older than this is worth clearing.
	MaxAgeDays int `json:"max_age_days"`
	// MaxEntries bounds the files looked at per cache directory.
	MaxEntries int `json:"max_entries"`
}

// Check is the browser-cache check.
var Check = &doctor.Check{
	ID:        "browser-cache",
	Title:     i18n.T("check.browser-cache.title"),
	Doc:       i18n.T("check.browser-cache.doc"),
	OS:        []string{"windows", "linux"},
	Timeout:   2 * time.Minute,
	NewConfig: func() any { return &Config{MaxSizeMB: 300, MaxAgeDays: 30, MaxEntries: 20000} },
	Run:       run,
}

// ClearIE is the command that clears Internet Explorer's temporary
// Internet files (ClearMyTracksByProcess 8).
const ClearIE = "RunDll32.exe InetCpl.cpl,ClearMyTracksByProcess 8"

func run(ctx context.Context, pass *doctor.Pass) error {
	cfg := pass.Config.(*Config)
	if cfg.MaxSizeMB <= 0 || cfg.MaxAgeDays <= 0 || cfg.MaxEntries <= 0 {
		return fmt.Errorf("max_size_mb, max_age_days and max_entries must be positive")
	}
	h := pass.Host
	bs, err := browsers.DiscoverWith(ctx, h, browsers.Limits{MaxCacheEntries: cfg.MaxEntries})
	if err != nil {
		return err
	}
	advise := profile.AnyNeeds(pass.Options.Profiles, profile.NeedBrowserCacheAdvice)
	platform.NoteIfInferred(pass, profile.NeedBrowserCacheAdvice)
	now := h.Now()
	win := h.Facts().OS == "windows"
	var total int64
	stale := 0
	for i := range bs {
		b := &bs[i]
		for _, e := range b.Errors {
			pass.Note(i18n.T("browser-cache.note.unread", b.Name, e))
		}
		if b.Capped {
			pass.Note(i18n.T("browser-cache.note.capped", b.Name, len(b.Profiles)))
		}
		for _, p := range b.Profiles {
			for _, c := range p.CacheDirs {
				if !c.Exists {
					continue
				}
				total += c.Size
				age := 0
				if !c.OldestMod.IsZero() && now.After(c.OldestMod) {
					age = int(now.Sub(c.OldestMod).Hours() / 24)
				}
				size := sizeText(c.Size, c.Capped)
				pass.Note(i18n.T("browser-cache.note.cache", b.Name, p.Name, size, c.Files, age, c.Path))
				big := c.Size > cfg.MaxSizeMB<<20
				old := age > cfg.MaxAgeDays
				if !advise || (!big && !old) {
					continue
				}
				stale++
				cmd, hint := clearCommand(win, b, c.Path)
				pass.Report(doctor.Finding{
					Severity: doctor.Warn, Code: "browser-cache.stale",
					Message:  i18n.T("browser-cache.stale", b.Name, p.Name, size, age, c.Path, cfg.MaxSizeMB, cfg.MaxAgeDays),
					Hint:     hint,
					Commands: []string{cmd},
					Subject:  c.Path,
					Repairs:  clearRepair(b, c.Path),
				})
			}
		}
	}
	if !advise {
		pass.Note(i18n.T("browser-cache.note.no-advice"))
	}
	pass.Summary(i18n.T("browser-cache.summary", sizeText(total, false), stale))
	return nil
}

func clearCommand(win bool, b *browsers.Browser, path string) (string, i18n.Text) {
	switch {
	case b.ID == browsers.IE:
		return ClearIE, i18n.T("browser-cache.hint.ie")
	case win:
		return `rmdir /s /q "` + path + `"`, i18n.T("browser-cache.hint.close", b.Name)
	}
	return "rm -rf " + shQuote(path), i18n.T("browser-cache.hint.close", b.Name)
}

// clearRepair deletes a cache directory for `gmu-doctor fix`, only while
// the browser's process is not running (Internet Explorer's cache is
// cleared through its own control panel command, not by fix).
func clearRepair(b *browsers.Browser, path string) []doctor.Repair {
	if b.ID == browsers.IE {
		return nil
	}
	exe := b.InstallPath
	if i := strings.LastIndexAny(exe, `/\`); i >= 0 {
		exe = exe[i+1:]
	}
	return []doctor.Repair{{Kind: doctor.RepairRemoveDir, Path: path, Process: exe}}
}

// shQuote quotes a path for sh so that it names exactly that directory:
// in double quotes when nothing in it is special there, otherwise in single
// quotes, where a single quote is written as quote, backslash, quote, quote.
func shQuote(path string) string {
	if q := strconv.Quote(path); q == `"`+path+`"` && !strings.ContainsAny(path, "$`!") {
		return q
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// sizeText renders a size in MB ("≥ 120.5 MB" when capped); units are the
// same in both languages.
func sizeText(n int64, capped bool) i18n.Text {
	mb := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	if capped {
		return i18n.T("browser-cache.size.capped", mb)
	}
	return i18n.T("browser-cache.size", mb)
}
