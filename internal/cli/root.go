// Package cli is the command line of gmu-doctor (cobra; viper only here).
//
// Conventions for adding a command:
//   - one command per file: func newXxxCmd(app *App) *cobra.Command;
//   - register it in the one list in newRootCmd (root.go);
//   - write output to app.Stdout / app.Stderr, never os.Stdout;
//   - user-facing text comes from the i18n catalogue (ru_cli.go/en_cli.go):
//     app.T(key, args...) formats a key in the chosen language;
//   - settings come from app.Config() (flags > GMU_DOCTOR_* env > config
//     file > defaults), never from viper directly;
//   - errors: return app.UsageError(...) for bad arguments (exit 2, one
//     line plus a --help hint), app.ConfigError(err) for a broken config
//     or input file (exit 2), &ExitError{Code: 1} for "problems found"
//     (nothing printed), and any other error becomes exit 2 with its text.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
	"github.com/gmu-doctor/gmu-doctor/internal/report"
	"github.com/gmu-doctor/gmu-doctor/internal/termsafe"
)

// App is the environment the commands run in: the streams and the hooks
// tests replace. Build it with NewApp.
type App struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	// Suite returns the checks in suite order (checks.All).
	Suite func() []*doctor.Check
	// NewLive opens the live host of this OS (host.NewLive).
	NewLive func(host.LiveOptions) (host.Host, error)
	// NewWriter opens the live writer of this OS for fix (host.NewWriter).
	NewWriter func() (host.Writer, error)
	// IsTerminal reports whether w is a terminal (colour decision).
	IsTerminal func(w io.Writer) bool
	// VT reports whether the terminal w understands ANSI escapes, enabling
	// them when it can (Windows 10 console); false means a legacy console
	// (Windows 7), which gets no colour and ASCII status marks.
	VT func(w io.Writer) bool
	// UserConfigDir is where the default config file lives
	// (os.UserConfigDir()/gmu-doctor/config.yaml).
	UserConfigDir func() (string, error)
	// Clock measures check durations (time.Now).
	Clock func() time.Time

	// set while running
	args      []string       // the command line, for the early language guess
	cmd       *cobra.Command // the command being run
	cfg       *Config
	cfgErr    error
	cfgLoaded bool
	// endProgress erases the network progress line (progress.go).
	endProgress func()
}

// NewApp returns an App wired to the real process environment.
func NewApp(stdout, stderr io.Writer) *App {
	return &App{
		Stdout:        stdout,
		Stderr:        stderr,
		Stdin:         os.Stdin,
		Suite:         defaultSuite,
		NewLive:       host.NewLive,
		NewWriter:     host.NewWriter,
		IsTerminal:    isTerminal,
		VT:            enableVT,
		UserConfigDir: os.UserConfigDir,
		Clock:         time.Now,
	}
}

// Main runs the command line args (without the program name) and returns
// the process exit code: 0 healthy, 1 problems found, 2 usage or
// configuration error.
func Main(args []string, stdout, stderr io.Writer) int {
	// Ctrl+C interrupts the running check; the report still comes out,
	// with that check marked as interrupted.
	ctx := newInterruptContext()
	defer ctx.release()
	return NewApp(stdout, stderr).RunContext(ctx, args)
}

// Run executes args and returns the exit code, printing errors to Stderr.
func (a *App) Run(args []string) int { return a.RunContext(context.Background(), args) }

// RunContext is Run with a context that cancels the checks.
func (a *App) RunContext(ctx context.Context, args []string) int {
	a.args = args
	root := newRootCmdFor(a, args)
	root.SetArgs(explainArgs(root, args))
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	if a.Stdin != nil {
		root.SetIn(a.Stdin)
	}
	err := root.ExecuteContext(ctx)
	return a.exitCode(err)
}

// exitCode prints err (once, on one line) and maps it to an exit code.
func (a *App) exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *ExitError
	if !errors.As(err, &ee) {
		// Errors cobra itself returns: unknown command, wrong number of
		// arguments. They are usage errors.
		ee = &ExitError{Code: 2, Err: &UsageError{Text: i18n.T("cli.error.usage", strings.TrimSpace(err.Error())), Command: a.commandPath()}}
	}
	if ee.Err != nil {
		fmt.Fprintln(a.Stderr, "gmu-doctor: "+oneLine(a.errorText(ee.Err)))
		if ee.Code == 2 && a.nagiosWanted() {
			// A Nagios/Icinga plugin that cannot do its work says so on
			// stdout, where the monitoring system reads it, and exits 3.
			fmt.Fprintln(a.Stdout, "GMU-DOCTOR UNKNOWN - "+nagiosLine(a.errorText(ee.Err)))
			return report.NagiosUnknown
		}
	}
	return ee.Code
}

func (a *App) commandPath() string {
	if a.cmd != nil {
		return a.cmd.CommandPath()
	}
	return "gmu-doctor"
}

// errorText renders an error in the chosen language.
func (a *App) errorText(err error) string {
	var ue *UsageError
	if errors.As(err, &ue) {
		s := a.T(ue.Text.Key, ue.Text.Args...)
		cmd := ue.Command
		if cmd == "" {
			cmd = "gmu-doctor"
		}
		return s + "; " + a.T("cli.error.help-hint", cmd+" --help")
	}
	var te *textError
	if errors.As(err, &te) {
		return te.Text.In(a.Lang())
	}
	return err.Error()
}

// ExitError ends the program with Code. A nil Err prints nothing (exit 1
// after a report that already shows the problems).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// UsageError is a bad command line; it is printed with a hint to --help of
// Command.
type UsageError struct {
	Text    i18n.Text
	Command string
}

func (e *UsageError) Error() string { return e.Text.In(i18n.EN) }

// textError is an error whose text comes from the catalogue.
type textError struct{ Text i18n.Text }

func (e *textError) Error() string { return e.Text.In(i18n.EN) }

// UsageError returns an exit-2 error for a bad command line.
func (a *App) UsageError(key string, args ...any) error {
	return &ExitError{Code: 2, Err: &UsageError{Text: i18n.T(key, args...), Command: a.commandPath()}}
}

// ConfigError returns an exit-2 error for a broken config file or input
// (a snapshot that cannot be read): the text of err on one line.
func (a *App) ConfigError(err error) error {
	return &ExitError{Code: 2, Err: err}
}

// Fail returns an exit-2 error with a catalogue message.
func (a *App) Fail(key string, args ...any) error {
	return &ExitError{Code: 2, Err: &textError{Text: i18n.T(key, args...)}}
}

// T formats a catalogue message in the chosen language.
func (a *App) T(key string, args ...any) string { return i18n.T(key, args...).In(a.Lang()) }

// Lang is the report language: --lang, else the config (lang, or
// GMU_DOCTOR_LANG), else English when LC_ALL/LC_MESSAGES/LANG starts with
// "en", else Russian.
func (a *App) Lang() i18n.Lang {
	if a.cfg != nil {
		return a.cfg.Lang
	}
	return a.earlyLang()
}

// earlyLang guesses the language before the config is read (for help
// texts and errors in parsing): --lang on the command line, then
// GMU_DOCTOR_LANG, then the locale.
func (a *App) earlyLang() i18n.Lang {
	for i, arg := range a.args {
		if arg == "--" {
			break
		}
		v := ""
		switch {
		case strings.HasPrefix(arg, "--lang="):
			v = strings.TrimPrefix(arg, "--lang=")
		case arg == "--lang" && i+1 < len(a.args):
			v = a.args[i+1]
		}
		// (ParseLang("") is an error; skipping it spares building an error
		// text on every translated string before the config is read.)
		if v == "" {
			continue
		}
		if l, err := i18n.ParseLang(v); err == nil {
			return l
		}
	}
	if v := a.getenv("GMU_DOCTOR_LANG"); v != "" {
		if l, err := i18n.ParseLang(v); err == nil {
			return l
		}
	}
	return a.localeLang()
}

// localeLang reads the POSIX locale variables.
func (a *App) localeLang() i18n.Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := a.getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "en") {
				return i18n.EN
			}
			return i18n.RU
		}
	}
	return i18n.RU
}

func (a *App) getenv(name string) string { return os.Getenv(name) }

// Color reports whether to colour the text report on Stdout: it is a
// terminal, NO_COLOR is unset and --no-color is not given.
func (a *App) Color() bool {
	if a.getenv("NO_COLOR") != "" {
		return false
	}
	if a.cmd != nil {
		if f := a.cmd.Flags().Lookup("no-color"); f != nil && f.Value.String() == "true" {
			return false
		}
	}
	return a.IsTerminal != nil && a.IsTerminal(a.Stdout) && a.VT != nil && a.VT(a.Stdout)
}

// ASCII reports whether Stdout is a legacy console that cannot show the
// ✓ ✗ marks (Windows 7), so the report uses ASCII marks.
func (a *App) ASCII() bool {
	return a.IsTerminal != nil && a.IsTerminal(a.Stdout) && a.VT != nil && !a.VT(a.Stdout)
}

// command is an entry of the list of commands.
type command struct {
	name  string
	build func(*App) *cobra.Command
}

// commands is the one list of gmu-doctor's commands: the name cobra finds
// on the command line (the first word of Use) and the function that builds
// the command. Add new commands here.
var commands = []command{
	{"check", newCheckCmd},
	{"list", newListCmd},
	{"collect", newCollectCmd},
	{"explain", newExplainCmd},
	{"cert", newCertCmd},
	{"probe", newProbeCmd},
	{"net", newNetCmd},
	{"version", newVersionCmd},
	{"config", newConfigCmd},
	{"fix", newFixCmd},
	{"report", newReportCmd},
	{"diff", newDiffCmd},
}

// newRootCmd builds the whole command tree.
func newRootCmd(a *App) *cobra.Command { return newRoot(a, nil) }

// pruneCommands lets newRootCmdFor build only the command a command line
// runs; tests turn it off to compare against the whole tree.
var pruneCommands = true

// newRootCmdFor builds the command tree for running args. When args run one
// of our commands (found as cobra finds it: root flags and their values
// skipped), only that command is built: building all twelve, with their
// translated flag texts, was a millisecond of every `cert verify`. Anything
// that needs the whole tree gets it: no command or an unknown one (root
// help, suggestions), cobra's own help and completion commands, and an
// "explain" anywhere (explainArgs looks for that command).
func newRootCmdFor(a *App, args []string) *cobra.Command {
	if !pruneCommands {
		return newRootCmd(a)
	}
	probe := &cobra.Command{Use: "gmu-doctor"}
	stubs := make(map[*cobra.Command]int, len(commands))
	for i, c := range commands {
		stub := &cobra.Command{Use: c.name}
		stubs[stub] = i
		probe.AddCommand(stub)
	}
	// The probe has the root's flags, so that their values are skipped
	// exactly as when the real tree runs.
	addRootFlags(a, probe)
	probe.InitDefaultHelpFlag()
	found, _, err := probe.Find(args)
	i, ok := stubs[found]
	if err != nil || !ok {
		return newRootCmd(a)
	}
	if commands[i].name != "explain" {
		for _, arg := range args {
			if arg == "explain" {
				return newRootCmd(a)
			}
		}
	}
	return newRoot(a, &commands[i])
}

// newRoot builds the root command with every command (only == nil) or one.
func newRoot(a *App, only *command) *cobra.Command {
	root := &cobra.Command{
		Use:           "gmu-doctor",
		Short:         a.T("cli.root.short"),
		Long:          a.T("cli.root.long"),
		SilenceUsage:  true,
		SilenceErrors: true,
		// The bare command shows help and exits 0.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			a.cmd = cmd
			if f := cmd.Flags().Lookup("lang"); f != nil && f.Changed {
				if _, err := i18n.ParseLang(f.Value.String()); err != nil {
					return a.UsageError("cli.error.lang", f.Value.String())
				}
			}
			return nil
		},
	}
	addRootFlags(a, root)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		a.cmd = cmd
		return a.UsageError("cli.error.flag", err.Error())
	})
	localizeHelp(a, root)
	if only == nil {
		for _, c := range commands {
			root.AddCommand(c.build(a))
		}
	} else {
		root.AddCommand(only.build(a))
		// cobra's "completion" command (four shells, their help texts
		// formatted) is built in every run of a tree with commands; a
		// pruned tree runs another command and never shows it
		// ("gmu-doctor completion …" gets the whole tree).
		root.CompletionOptions.DisableDefaultCmd = true
	}
	return root
}

// addRootFlags defines the flags of the root command (inherited by all).
func addRootFlags(a *App, root *cobra.Command) {
	pf := root.PersistentFlags()
	pf.String("lang", "", a.T("cli.flag.lang"))
	pf.String("config", "", a.T("cli.flag.config"))
	pf.Bool("no-color", false, a.T("cli.flag.no-color"))
}

// localizeHelp translates cobra's help and usage texts.
func localizeHelp(a *App, root *cobra.Command) {
	root.SetUsageTemplate(strings.NewReplacer(
		"Usage:", a.T("cli.help.usage"),
		"Aliases:", a.T("cli.help.aliases"),
		"Examples:", a.T("cli.help.examples"),
		"Available Commands:", a.T("cli.help.commands"),
		"Additional Commands:", a.T("cli.help.additional"),
		"Global Flags:", a.T("cli.help.global-flags"),
		"Flags:", a.T("cli.help.flags"),
		"Additional help topics:", a.T("cli.help.topics"),
		`Use "{{.CommandPath}} [command] --help" for more information about a command.`, a.T("cli.help.more", "{{.CommandPath}} [command] --help"),
	).Replace(root.UsageTemplate()))
	root.InitDefaultHelpFlag()
	if f := root.Flags().Lookup("help"); f != nil {
		f.Usage = a.T("cli.flag.help")
	}
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Short = a.T("cli.help.cmd-short")
		}
	}
}

// addHelpFlag makes sure a subcommand's -h/--help has a translated usage.
func addHelpFlag(a *App, cmd *cobra.Command) {
	cmd.Flags().BoolP("help", "h", false, a.T("cli.flag.help"))
}

// stringSliceFlag reads a string-slice flag, splitting commas.
func stringSliceFlag(fs *pflag.FlagSet, name string) []string {
	v, err := fs.GetStringSlice(name)
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range v {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	// Error lines quote paths and values from outside (a snapshot, a
	// config, a mounted disk): no control or bidi character, no 5 MB line.
	return termsafe.Line(strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " "))
}
