package host

import (
	"context"
	"time"
)

// winINetProxy reads the current user's WinINet proxy settings (the ones
// Internet Options shows); a key that cannot be read means direct.
func (h *windowsHost) winINetProxy() ProxySettings {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	k, err := h.RegistryKey(ctx, WinINetProxyKey, RegViewDefault)
	if err != nil || !k.Exists {
		return ProxySettings{Source: WinINetProxyKey}
	}
	enable := false
	if v, ok := k.Value("ProxyEnable"); ok {
		enable = v.Integer != 0 || v.String == "1"
	}
	text := func(name string) string {
		if v, ok := k.Value(name); ok {
			return v.Text()
		}
		return ""
	}
	return ParseWinINetProxy(enable, text("ProxyServer"), text("ProxyOverride"), text("AutoConfigURL"))
}
