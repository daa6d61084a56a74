package testutil

import (
	"fmt"
	"net"
	"time"
)

// DialLoopback connects to addr (host:port) only when host is a loopback IP
// literal or "localhost": tests and their stand-in proxies must never reach
// beyond this machine, even when the code under test asks them to.
func DialLoopback(addr string, timeout time.Duration) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("dial %s: not a loopback address; tests talk to loopback servers only", addr)
	}
	return net.DialTimeout("tcp", addr, timeout)
}
