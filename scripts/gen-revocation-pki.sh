#!/usr/bin/env bash
# gen-revocation-pki.sh OUTDIR — a GOST 2012 test PKI with CRLs and OCSP
# answers made by OpenSSL's gost engine, for the revocation and AIA tests
# (checks/revocation, checks/chain, internal/pki). The output is committed
# in testdata/revocation; CI does not need to run this script.
#
#   root.pem            self-signed root (2024-01-01 … 2049-01-01)
#   int.pem             intermediate CA; CDP http://crl.root.test/root.crl,
#                       caIssuers http://pki.root.test/root.crt
#   leaf-good.pem       leaf, not revoked   } CDP http://crl.ca.test/int.crl and the mirror
#   leaf-revoked.pem    leaf, revoked       } http://crl-mirror.ca.test/int.crl, OCSP
#                                             http://ocsp.ca.test/ocsp, caIssuers http://pki.ca.test/int.crt
#   imposter.pem        a CA with the intermediate's name and another key
#   root.crl            the root's CRL (empty)
#   int.crl             the intermediate's CRL: leaf-revoked revoked on 2025-03-15 12:00 UTC, keyCompromise
#   int-expired.crl     nextUpdate 2021-01-01 (an expired CRL)
#   int-wrong-signer.crl  the intermediate's name, signed by the imposter's key
#   ocsp-good.der, ocsp-revoked.der   OCSP answers signed by the intermediate
#   ocsp-wrong-signer.der             an OCSP answer for leaf-good signed by the imposter
#   ocsp-req-good.der, ocsp-req-revoked.der  the requests they answer
#
# Needs OpenSSL 3 with the gost engine (Debian: libengine-gost-openssl).
# Private keys stay in a temporary directory and are deleted at the end.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
OUT=$1
OPENSSL=${OPENSSL:-openssl}
ENG=(-engine gost)
"$OPENSSL" engine gost -c >/dev/null 2>&1 || {
	echo "$0: the OpenSSL gost engine is not available (apt-get install libengine-gost-openssl)" >&2
	exit 1
}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ossl() { "$OPENSSL" "$@" 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; return 1; }; }

cat >"$WORK/cnf" <<EOF
[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[ dn ]
CN = unused
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[ int ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess = caIssuers;URI:http://pki.root.test/root.crt
crlDistributionPoints = URI:http://crl.root.test/root.crl
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
extendedKeyUsage = clientAuth, emailProtection
authorityInfoAccess = caIssuers;URI:http://pki.ca.test/int.crt, OCSP;URI:http://ocsp.ca.test/ocsp
crlDistributionPoints = URI:http://crl.ca.test/int.crl, URI:http://crl-mirror.ca.test/int.crl
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ ca ]
default_ca = ca_root
[ policy_any ]
commonName = supplied
EOF
# One CA section per CA directory, all alike.
for ca in root:root int:int imposter:imp; do
	cat >>"$WORK/cnf" <<EOF
[ ca_${ca%%:*} ]
dir = $WORK/${ca#*:}
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
policy = policy_any
unique_subject = no
copy_extensions = none
default_md = md_gost12_256
EOF
done
for d in root int imp; do
	mkdir -p "$WORK/$d/new"
	: >"$WORK/$d/index.txt"
	echo 1000 >"$WORK/$d/serial"
	echo 01 >"$WORK/$d/crlnumber"
done
key() { ossl genpkey "${ENG[@]}" -algorithm gost2012_256 -pkeyopt paramset:XA -out "$1"; }
key "$WORK/root.key"
key "$WORK/int.key"
key "$WORK/leaf.key"
key "$WORK/imp.key"

START=20240101000000Z
END=20490101000000Z
ROOT_DN="/C=RU/O=Тестовый ГУЦ/CN=Тестовый корневой УЦ отзыва"
INT_DN="/C=RU/O=Тестовое казначейство/CN=Тестовый УЦ отзыва"
ca() { # name ext dates... csr out [extra]
	local name=$1 ext=$2 csr=$3 out=$4
	shift 4
	ossl ca "${ENG[@]}" -batch -notext -utf8 -config "$WORK/cnf" -name "$name" -preserveDN \
		-startdate "$START" -enddate "$END" -extfile "$WORK/cnf" -extensions "$ext" -in "$csr" -out "$out" "$@"
}
ossl req "${ENG[@]}" -new -utf8 -config "$WORK/cnf" -key "$WORK/root.key" -subj "$ROOT_DN" -out "$WORK/root.csr"
ca ca_root root "$WORK/root.csr" "$OUT/root.pem" -selfsign -keyfile "$WORK/root.key"
ossl req "${ENG[@]}" -new -utf8 -config "$WORK/cnf" -key "$WORK/int.key" -subj "$INT_DN" -out "$WORK/int.csr"
ca ca_root int "$WORK/int.csr" "$OUT/int.pem" -cert "$OUT/root.pem" -keyfile "$WORK/root.key"
ossl req "${ENG[@]}" -new -utf8 -config "$WORK/cnf" -key "$WORK/imp.key" -subj "$INT_DN" -out "$WORK/imp.csr"
ca ca_imposter root "$WORK/imp.csr" "$OUT/imposter.pem" -selfsign -keyfile "$WORK/imp.key"
for l in good revoked; do
	ossl req "${ENG[@]}" -new -utf8 -config "$WORK/cnf" -key "$WORK/leaf.key" \
		-subj "/C=RU/O=ГБУ Тест/CN=Иванов Иван Иванович ($l)" -out "$WORK/$l.csr"
	ca ca_int leaf "$WORK/$l.csr" "$OUT/leaf-$l.pem" -cert "$OUT/int.pem" -keyfile "$WORK/int.key"
done
ossl ca "${ENG[@]}" -config "$WORK/cnf" -name ca_int -cert "$OUT/int.pem" -keyfile "$WORK/int.key" \
	-revoke "$OUT/leaf-revoked.pem" -crl_reason keyCompromise
# a fixed revocation time, so that the expected finding is stable
sed -i 's/^\(R\t[0-9]*Z\t\)[0-9]*Z,/\1250315120000Z,/' "$WORK/int/index.txt"

crl() { # ca-name cert key last next out
	ossl ca "${ENG[@]}" -gencrl -config "$WORK/cnf" -name "$1" -cert "$2" -keyfile "$3" -md md_gost12_256 \
		-crlexts crl_ext -crl_lastupdate "$4" -crl_nextupdate "$5" -out "$WORK/crl.pem"
	ossl crl -in "$WORK/crl.pem" -outform DER -out "$6"
}
crl ca_root "$OUT/root.pem" "$WORK/root.key" 20250101000000Z 20450101000000Z "$OUT/root.crl"
crl ca_int "$OUT/int.pem" "$WORK/int.key" 20250101000000Z 20450101000000Z "$OUT/int.crl"
crl ca_int "$OUT/int.pem" "$WORK/int.key" 20200101000000Z 20210101000000Z "$OUT/int-expired.crl"
cp "$WORK/int/index.txt" "$WORK/imp/index.txt"
crl ca_imposter "$OUT/imposter.pem" "$WORK/imp.key" 20250101000000Z 20450101000000Z "$OUT/int-wrong-signer.crl"

# 'openssl ocsp' has no -engine option: load the engine through a config.
cat >"$WORK/engine.cnf" <<EOF
openssl_conf = openssl_def
[ openssl_def ]
engines = engine_section
[ engine_section ]
gost = gost_section
[ gost_section ]
engine_id = gost
default_algorithms = ALL
EOF
export OPENSSL_CONF="$WORK/engine.cnf"
for l in good revoked; do
	ossl ocsp -issuer "$OUT/int.pem" -cert "$OUT/leaf-$l.pem" -no_nonce -reqout "$OUT/ocsp-req-$l.der"
	ossl ocsp -index "$WORK/int/index.txt" -CA "$OUT/int.pem" -rsigner "$OUT/int.pem" -rkey "$WORK/int.key" \
		-rmd md_gost12_256 -ndays 9000 -reqin "$OUT/ocsp-req-$l.der" -respout "$OUT/ocsp-$l.der"
done
ossl ocsp -index "$WORK/int/index.txt" -CA "$OUT/int.pem" -rsigner "$OUT/imposter.pem" -rkey "$WORK/imp.key" \
	-rmd md_gost12_256 -ndays 9000 -reqin "$OUT/ocsp-req-good.der" -respout "$OUT/ocsp-wrong-signer.der"
echo "wrote $(ls "$OUT" | wc -l) files to $OUT ($("$OPENSSL" version))"
