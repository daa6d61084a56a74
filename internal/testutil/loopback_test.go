package testutil

import (
	"net"
	"strings"
	"testing"
	"time"
)

func TestDialLoopback(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c, err := DialLoopback(l.Addr().String(), time.Second)
	if err != nil {
		t.Fatalf("loopback dial refused: %v", err)
	}
	c.Close()
	for _, addr := range []string{"crl.roskazna.ru:80", "10.0.0.1:443", "93.184.216.34:80", "nohostport"} {
		if _, err := DialLoopback(addr, time.Second); err == nil || !strings.Contains(err.Error(), addr) {
			t.Errorf("DialLoopback(%q) = %v, want a refusal naming the address", addr, err)
		}
	}
}
