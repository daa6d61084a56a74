package fleet

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// chromium runs headless Chromium on a local file with a private profile
// and no network services, returning stdout.
func chromium(t *testing.T, bin, profile string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

// TestHTMLInChromium renders the fleet page in headless Chromium: the DOM
// after the page's script ran holds every workstation with its status,
// the workstations table is sorted by status (worst first) by the script,
// a hostile hostname is text, not markup, and a screenshot is taken.
func TestHTMLInChromium(t *testing.T) {
	bin := testutil.RequireTool(t, "chromium", "Debian package chromium")
	dir := testFleet(t)
	writeJSON(t, dir, "evil.json", doc(`<img src=x onerror="document.title='pwned'">`, map[string]string{"root-certs": "fail"}))
	s := build(t, dir)
	for _, lang := range []i18n.Lang{i18n.RU, i18n.EN} {
		var buf bytes.Buffer
		if err := HTML(&buf, s, RenderOptions{Lang: lang, ToolVersion: "test"}); err != nil {
			t.Fatal(err)
		}
		work := t.TempDir()
		page := filepath.Join(work, "fleet-"+string(lang)+".html")
		if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		profile := filepath.Join(work, "profile")
		dom := string(chromium(t, bin, profile, "--dump-dom", "file://"+page))
		if !strings.Contains(dom, `data-ready="1"`) {
			t.Fatalf("%s: the page's script did not run (no data-ready):\n%.2000s", lang, dom)
		}
		if strings.Contains(dom, "<title>pwned") || strings.Contains(dom, `<img src="x"`) {
			t.Errorf("%s: the hostile hostname became markup", lang)
		}
		// Workstation rows in DOM order, as the script sorted them.
		rows := regexp.MustCompile(`<tbody class="ws" id="ws-\d+" data-name="([^"]*)" data-status="([a-z]+)">`).FindAllStringSubmatch(dom, -1)
		var got []string
		for _, r := range rows {
			got = append(got, r[2])
		}
		if strings.Join(got, " ") != "unreadable fail fail fail warn ok" {
			t.Errorf("%s: statuses in DOM order %v", lang, got)
		}
		// Chromium serialises text nodes escaping only < > &.
		for _, name := range []string{"BUH-01", "BUH-02", "KAZNA-7", "OK-1", "broken", `&lt;img src=x onerror="document.title='pwned'"&gt;`} {
			if !strings.Contains(dom, `aria-controls="details-`) || !regexp.MustCompile(`aria-controls="details-\d+">`+regexp.QuoteMeta(name)+`</button>`).MatchString(dom) {
				t.Errorf("%s: workstation %s not in the DOM as a button", lang, name)
			}
		}
		want := map[i18n.Lang]string{i18n.RU: "подпись не работает", i18n.EN: "cannot sign"}[lang]
		if strings.Count(dom, ">"+want+"<") < 3 {
			t.Errorf("%s: status %q shown %d times", lang, want, strings.Count(dom, ">"+want+"<"))
		}
		shot := filepath.Join(work, "fleet.png")
		chromium(t, bin, profile, "--screenshot="+shot, "file://"+page)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("%s: no screenshot: %v", lang, err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: screenshot: %v", lang, err)
		}
		if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 600 {
			t.Errorf("%s: screenshot %v", lang, b)
		}
		if dst := os.Getenv("GMU_DOCTOR_SCREENSHOT_DIR"); dst != "" {
			b, _ := os.ReadFile(shot)
			_ = os.WriteFile(filepath.Join(dst, "fleet-"+string(lang)+".png"), b, 0o644)
		}
	}
}
