// Command gmu-doctor tells why a workstation cannot sign on Russian
// government sites (ГМУ, ЕИС, ФЗС, ЕПГУ) and how to fix it.
package main

import (
	"os"

	"github.com/gmu-doctor/gmu-doctor/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
