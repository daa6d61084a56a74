// Package tlsprobetest runs real TLS servers on loopback for tests: a
// GOST-TLS 1.2 server (OpenSSL's s_server with the gost engine) with a
// throw-away GOST PKI, and hostile servers that misbehave on purpose.
//
// The s_server command line that negotiates GOST2012-KUZNYECHIK-
// KUZNYECHIKOMAC with OpenSSL 3.0 and libengine-gost-openssl 3.0.1
// (Debian 12) is
//
//	openssl s_server -engine gost -accept 127.0.0.1:PORT -cert leaf.pem \
//	    -key leaf.key -cert_chain chain.pem -tls1_2 -www \
//	    -cipher 'GOST2012-KUZNYECHIK-KUZNYECHIKOMAC:GOST2012-MAGMA-MAGMAOMAC:LEGACY-GOST2012-GOST8912-GOST8912:IANA-GOST2012-GOST8912-GOST8912'
//
// (-tls1_2 because gost-engine 3.0.1 has no TLS 1.3 GOST suites; -www
// keeps the server answering without reading stdin.)
package tlsprobetest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/testutil"
)

// GOSTCiphers is the -cipher list the GOST s_server offers.
const GOSTCiphers = "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC:GOST2012-MAGMA-MAGMAOMAC:LEGACY-GOST2012-GOST8912-GOST8912:IANA-GOST2012-GOST8912-GOST8912"

// RequireGOST returns the openssl path, or skips the test (fails it in
// CI) when openssl or its gost engine is missing.
func RequireGOST(t testing.TB) string {
	t.Helper()
	bin := testutil.RequireTool(t, "openssl", "OpenSSL's s_server with the gost engine is the GOST-TLS test server")
	out, err := exec.Command(bin, "engine", "gost").CombinedOutput()
	if err != nil {
		testutil.Missing(t, fmt.Sprintf("openssl has no gost engine (`openssl engine gost`: %v: %s); install libengine-gost-openssl", err, bytes.TrimSpace(out)))
	}
	return bin
}

// PKI is a GOST R 34.10-2012 root and a server certificate it issued for
// localhost, 127.0.0.1 and any extra DNS names. Files are PEM in Dir.
type PKI struct {
	Dir                       string
	RootPEM, LeafPEM, LeafKey string
	RootDER, LeafDER          []byte
}

// NewPKI makes a GOST PKI whose root is named rootCN; the server
// certificate is also for the dnsNames given.
func NewPKI(t testing.TB, bin, rootCN string, dnsNames ...string) *PKI {
	t.Helper()
	dir := t.TempDir()
	p := &PKI{Dir: dir, RootPEM: filepath.Join(dir, "root.pem"), LeafPEM: filepath.Join(dir, "leaf.pem"), LeafKey: filepath.Join(dir, "leaf.key")}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("root.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n")
	write("leaf.ext", "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\n"+
		"extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n"+
		"subjectAltName=DNS:localhost,IP:127.0.0.1"+extraDNS(dnsNames)+"\ncrlDistributionPoints=URI:http://crl.example.test/root.crl\n")
	run("genpkey", "-engine", "gost", "-algorithm", "gost2012_256", "-pkeyopt", "paramset:A", "-out", "root.key")
	run("req", "-engine", "gost", "-new", "-key", "root.key", "-subj", "/CN="+rootCN+"/O=gmu-doctor tests", "-out", "root.csr")
	run("x509", "-engine", "gost", "-req", "-in", "root.csr", "-signkey", "root.key", "-days", "3650", "-extfile", "root.ext", "-out", "root.pem")
	run("genpkey", "-engine", "gost", "-algorithm", "gost2012_256", "-pkeyopt", "paramset:A", "-out", "leaf.key")
	run("req", "-engine", "gost", "-new", "-key", "leaf.key", "-subj", "/CN=localhost/O=gmu-doctor tests", "-out", "leaf.csr")
	run("x509", "-engine", "gost", "-req", "-in", "leaf.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "4660",
		"-days", "3650", "-extfile", "leaf.ext", "-out", "leaf.pem")
	run("x509", "-in", "root.pem", "-outform", "DER", "-out", "root.der")
	run("x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der")
	var err error
	if p.RootDER, err = os.ReadFile(filepath.Join(dir, "root.der")); err != nil {
		t.Fatal(err)
	}
	if p.LeafDER, err = os.ReadFile(filepath.Join(dir, "leaf.der")); err != nil {
		t.Fatal(err)
	}
	return p
}

// GOSTServer is a running `openssl s_server -engine gost`.
type GOSTServer struct {
	Addr string // 127.0.0.1:PORT
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

// StartGOSTServer serves p's leaf (and root as its chain) over GOST-TLS
// 1.2 on a free loopback port until the test ends.
func StartGOSTServer(t testing.TB, bin string, p *PKI) *GOSTServer {
	t.Helper()
	var lastLog string
	for attempt := 0; attempt < 3; attempt++ {
		port := FreePort(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		s := &GOSTServer{Addr: addr, log: &bytes.Buffer{}}
		s.cmd = exec.Command(bin, "s_server", "-engine", "gost", "-accept", addr,
			"-cert", p.LeafPEM, "-key", p.LeafKey, "-cert_chain", p.RootPEM,
			"-tls1_2", "-cipher", GOSTCiphers, "-www")
		s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
		if err := s.cmd.Start(); err != nil {
			t.Fatalf("start openssl s_server: %v", err)
		}
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		if waitListening(addr, done) {
			t.Cleanup(func() {
				_ = s.cmd.Process.Kill()
				<-done
			})
			return s
		}
		_ = s.cmd.Process.Kill()
		<-done
		lastLog = s.log.String()
	}
	t.Fatalf("openssl s_server did not start listening: %s", lastLog)
	return nil
}

func waitListening(addr string, done chan struct{}) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return false
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port
}

// ClosedPort returns a loopback address nothing listens on.
func ClosedPort(t testing.TB) string {
	return "127.0.0.1:" + strconv.Itoa(FreePort(t))
}

// Hostile starts a loopback TCP server that reads the ClientHello and
// then answers with reply (and closes), for servers that misbehave.
func Hostile(t testing.TB, reply func(c net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second))
				buf := make([]byte, 4096)
				_, _ = c.Read(buf)
				select {
				case <-stop:
				default:
					reply(c)
				}
			}()
		}
	}()
	t.Cleanup(func() { close(stop); _ = l.Close() })
	return l.Addr().String()
}

// Record frames a TLS record.
func Record(typ byte, payload []byte) []byte {
	return append([]byte{typ, 3, 3, byte(len(payload) >> 8), byte(len(payload))}, payload...)
}

// Handshake frames a handshake message of type typ whose declared length
// is n (which may differ from len(body) on purpose).
func Handshake(typ byte, n int, body []byte) []byte {
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, body...)
}

// ServerHello is a minimal TLS 1.2 ServerHello body choosing suite.
func ServerHello(suite uint16) []byte {
	b := []byte{3, 3}
	b = append(b, make([]byte, 32)...)
	b = append(b, 0, byte(suite>>8), byte(suite), 0)
	return b
}

func extraDNS(names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(",DNS:" + n)
	}
	return b.String()
}
