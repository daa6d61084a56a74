//go:build gostengine && cgo

// This file exists only for the side-by-side benchmark against OpenSSL's gost
// engine (engine_bench_test.go). It is compiled only with
// `-tags gostengine` and cgo, so the normal CGO_ENABLED=0 build never sees it.
// Needs libssl-dev and libengine-gost-openssl; see scripts/bench-gost.sh.

package gost

/*
#cgo CFLAGS: -DOPENSSL_SUPPRESS_DEPRECATED -Wno-deprecated-declarations
#cgo LDFLAGS: -lcrypto
#include <stdlib.h>
#include <openssl/engine.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <time.h>

static long long thread_cpu_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static ENGINE *gost_eng = NULL;

static int gost_engine_load(void) {
	if (gost_eng) return 1;
	ENGINE_load_builtin_engines();
	ENGINE *e = ENGINE_by_id("gost");
	if (!e) return 0;
	if (!ENGINE_init(e)) { ENGINE_free(e); return 0; }
	ENGINE_set_default(e, ENGINE_METHOD_ALL);
	gost_eng = e;
	return 1;
}

static int gost_engine_digest(const char *name, const unsigned char *data, size_t len, unsigned char *out, unsigned int *outlen) {
	const EVP_MD *md = EVP_get_digestbyname(name);
	if (!md) return 0;
	return EVP_Digest(data, len, out, outlen, md, gost_eng);
}

static EVP_PKEY_CTX *gost_engine_verifier(const unsigned char *spki, long len) {
	const unsigned char *p = spki;
	EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, len);
	if (!pk) return NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pk, gost_eng);
	EVP_PKEY_free(pk); // the context holds its own reference
	if (!ctx) return NULL;
	if (EVP_PKEY_verify_init(ctx) <= 0) { EVP_PKEY_CTX_free(ctx); return NULL; }
	return ctx;
}

static int gost_engine_verify(EVP_PKEY_CTX *ctx, const unsigned char *sig, size_t siglen, const unsigned char *dgst, size_t dlen) {
	return EVP_PKEY_verify(ctx, sig, siglen, dgst, dlen);
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

func engineLoad() error {
	if C.gost_engine_load() != 1 {
		return errors.New("load openssl gost engine")
	}
	return nil
}

// engineDigest hashes data with the engine digest md ("md_gost12_256", …).
func engineDigest(md string, data []byte) ([]byte, error) {
	name := C.CString(md)
	defer C.free(unsafe.Pointer(name))
	var out [64]byte
	var n C.uint
	var p *C.uchar
	if len(data) > 0 {
		p = (*C.uchar)(unsafe.Pointer(&data[0]))
	}
	if C.gost_engine_digest(name, p, C.size_t(len(data)), (*C.uchar)(unsafe.Pointer(&out[0])), &n) != 1 {
		return nil, errors.New("engine digest " + md)
	}
	return append([]byte(nil), out[:n]...), nil
}

// engineVerifier is an EVP_PKEY_CTX initialised for verification.
type engineVerifier struct{ ctx *C.EVP_PKEY_CTX }

func newEngineVerifier(spkiDER []byte) (*engineVerifier, error) {
	ctx := C.gost_engine_verifier((*C.uchar)(unsafe.Pointer(&spkiDER[0])), C.long(len(spkiDER)))
	if ctx == nil {
		return nil, errors.New("engine: decode public key")
	}
	return &engineVerifier{ctx: ctx}, nil
}

func (v *engineVerifier) verify(digest, sig []byte) bool {
	return C.gost_engine_verify(v.ctx, (*C.uchar)(unsafe.Pointer(&sig[0])), C.size_t(len(sig)),
		(*C.uchar)(unsafe.Pointer(&digest[0])), C.size_t(len(digest))) == 1
}

// threadCPU returns the CPU time used by the calling OS thread, in ns.
func threadCPU() int64 { return int64(C.thread_cpu_ns()) }

func (v *engineVerifier) close() { C.EVP_PKEY_CTX_free(v.ctx) }
