#!/bin/sh
# bench-gost.sh — our GOST code (internal/gost) side by side with OpenSSL's
# gost engine, in the same process and run.
#
# Method: a cgo benchmark (internal/gost/engine_cgo.go, build tag
# `gostengine`) calls the engine through the EVP API:
#   verify  — EVP_PKEY_verify on a context initialised once per key (the same
#             work as our PublicKey.VerifyDigest on a parsed key);
#   digest  — EVP_Digest one-shot over 1 MiB.
# BenchmarkSideBySide alternates ours and the engine on every iteration and
# reports both times, so machine load (shared CI/dev boxes) hits both alike.
# Limits: cgo adds ~0.1 µs per engine call (negligible against 100+ µs);
# the engine build is Debian's libengine-gost-openssl with the system
# libcrypto (assembly bignum code), ours is pure Go; results vary with CPU.
#
# Usage: scripts/bench-gost.sh [benchtime]   (default 2s)
# Needs: gcc, libssl-dev, libengine-gost-openssl (installed on Debian when
# run as root), Go.
set -eu

cd "$(dirname "$0")/.."
benchtime=${1:-2s}

need=""
command -v gcc >/dev/null 2>&1 || need="$need gcc"
[ -f /usr/include/openssl/evp.h ] || need="$need libssl-dev"
openssl engine gost >/dev/null 2>&1 || need="$need openssl libengine-gost-openssl"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get update -qq && apt-get install -y -qq $need
	else
		echo "bench-gost.sh: missing:$need — install with: sudo apt-get install -y$need" >&2
		exit 1
	fi
fi

echo "== pure Go benchmarks (CGO_ENABLED=0, as shipped)"
CGO_ENABLED=0 go test -run '^$' -bench 'Verify2012|Streebog|GOST341194' \
	-benchmem -benchtime "$benchtime" ./internal/gost/

echo
echo "== side by side with the OpenSSL gost engine (cgo, -tags gostengine)"
CGO_ENABLED=1 go test -tags gostengine -run '^$' -bench 'SideBySide|Engine' \
	-benchtime "$benchtime" ./internal/gost/
