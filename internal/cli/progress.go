package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
	"unicode/utf8"
)

// progressLine shows on one terminal line of stderr what the network is
// being asked ("→ http://crl.roskazna.ru/crl/ucfk_2024.crl"), overwriting
// itself, and erases it when the work is done. It draws at most ten times
// a second, with carriage returns and spaces only (no escape sequences),
// so that a Windows 7 console shows it too.
type progressLine struct {
	w     io.Writer
	label string
	mu    sync.Mutex
	last  time.Time
	width int // characters of the line on screen
}

const progressWidth = 78

func (p *progressLine) show(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	line := p.label + " " + what
	if utf8.RuneCountInString(line) > progressWidth {
		r := []rune(line)
		line = string(r[:progressWidth-1]) + "…"
	}
	n := utf8.RuneCountInString(line)
	pad := ""
	for i := n; i < p.width; i++ {
		pad += " "
	}
	fmt.Fprint(p.w, "\r"+line+pad)
	p.width = n
}

// clear erases the line.
func (p *progressLine) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.width == 0 {
		return
	}
	pad := ""
	for i := 0; i < p.width; i++ {
		pad += " "
	}
	fmt.Fprint(p.w, "\r"+pad+"\r")
	p.width = 0
}

// netProgress returns the progress hook for the live host's network and a
// function that erases the line; both are no-ops when stderr is not a
// terminal.
func (a *App) netProgress() (func(string), func()) {
	if a.IsTerminal == nil || !a.IsTerminal(a.Stderr) {
		return nil, func() {}
	}
	p := &progressLine{w: a.Stderr, label: a.T("cli.progress.net")}
	return p.show, p.clear
}
