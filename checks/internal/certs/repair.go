package certs

import (
	_ "embed"
	"encoding/pem"

	"github.com/gmu-doctor/gmu-doctor/internal/cabundle"
	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/pki"
)

// The repairs the certificate checks attach to their findings for
// `gmu-doctor fix`. The certificates come from the embedded accredited-CA
// bundle (internal/cabundle) and are chosen only by what proves their
// identity: the SHA-1 of a known root, or a signature over the certificate
// the missing one issued. The fix package verifies again before installing.

// InstallIssuerRepair is the repair of a missing issuer of child: the
// bundle's certificate whose key verifies child's signature, into store
// (CA for an intermediate, Root for a root), for the machine when fix runs
// elevated, else for the user. Without a verified certificate in the
// bundle the repair names the key and the child, so that fix can take the
// certificate from a --cert file (or AIA) and verify it the same way.
func InstallIssuerRepair(child *pki.Certificate, aki, name, url string, store host.StoreName) doctor.Repair {
	r := doctor.Repair{Kind: doctor.RepairAddCert, Location: doctor.LocationAuto, Store: store,
		KeyID: NormHex(aki), Child: child.Raw, Name: name, URL: url}
	if e, ok := cabundle.IssuerOf(child); ok {
		r.DER, r.SHA1 = e.DER, e.SHA1
		if r.Name == "" {
			r.Name = e.Cert.DisplayName()
		}
		if e.Cert.IsSelfIssued() && e.Cert.CheckSignatureFrom(e.Cert) == nil {
			r.Store = host.StoreRoot
		}
	}
	return r
}

// tlsRootsPEM holds the roots of the sites' HTTPS certificates that are not
// in the accredited-CA bundle: the RSA Russian Trusted Root CA (a copy of
// testdata/certs/tls/russian-trusted-root-ca.pem; provenance and the
// checks of its thumbprint are in that folder's README).
//
//go:embed tlsroots.pem
var tlsRootsPEM []byte

// embeddedRoot returns the DER of an embedded root by SHA-1: the
// accredited-CA bundle, then the TLS roots.
func embeddedRoot(sha1 string) ([]byte, bool) {
	if e, ok := cabundle.BySHA1(sha1); ok {
		return e.DER, true
	}
	rest := tlsRootsPEM
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, false
		}
		if b.Type == "CERTIFICATE" && host.Thumbprint(b.Bytes) == sha1 {
			return b.Bytes, true
		}
	}
}

// InstallRootRepair is the repair of a missing known root: the bundle's
// certificate with exactly that SHA-1 into the Root store (for a TLS root
// on Linux: the system CA bundle). ok is false when the bundle does not
// have it. A root that sits in a wrong store is moved with its own bytes:
// when one of local is the certificate with that SHA-1, its DER is used
// and the embedded bundle is not opened.
func InstallRootRepair(r Root, linux bool, local ...Entry) (doctor.Repair, bool) {
	sha1 := NormHex(r.SHA1)
	var der []byte
	for _, e := range local {
		if e.Cert != nil && e.Cert.SHA1 == sha1 {
			der = e.Cert.Raw
			break
		}
	}
	if der == nil {
		var ok bool
		if der, ok = embeddedRoot(sha1); !ok {
			return doctor.Repair{}, false
		}
	}
	rep := doctor.Repair{Kind: doctor.RepairAddCert, Location: doctor.LocationAuto, Store: host.StoreRoot,
		SHA1: sha1, DER: der, Name: r.NameEN, URL: r.DownloadURL}
	if linux && r.TLS() {
		rep.Location = host.SystemBundle
	}
	return rep, true
}

// RemoveRepair removes the certificate of an entry from the store it sits
// in (a root in CA or My, an expired leftover). The DER goes with it so
// that undo can put it back.
func RemoveRepair(e Entry, name string) doctor.Repair {
	r := doctor.Repair{Kind: doctor.RepairRemoveCert, Location: e.Loc, Store: e.Store, SHA1: e.SHA1(), Name: name}
	if e.Cert != nil {
		r.DER = e.Cert.Raw
	}
	if e.Host.Key != nil {
		r.Container = e.Host.Key.Container
	}
	return r
}
