#!/usr/bin/env bash
# gen-gost-pki.sh OUTDIR — generate GOST test PKIs and a manifest of the
# verdict each case must get, for internal/pki tests.
#
# For every GOST R 34.10 parameter set the OpenSSL gost engine offers
# (2012-256 on the CryptoPro, XchA/XchB and TC26 curves, 2012-512 on TC26
# A/B/C, and 2001 with GOST R 34.11-94) it makes a root → intermediate →
# leaf chain. On top of one of them it makes broken cases: bad signature,
# leaf signed by the wrong key, missing intermediate, untrusted root,
# expired leaf, not-yet-valid leaf, CA without basicConstraints.
#
# Needs OpenSSL 3 with the gost engine (Debian: libengine-gost-openssl).
# Private keys stay in a temporary directory and are deleted at the end.
# Every run makes new keys and signatures; names, serials and verdicts stay.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
OUT=$1
OPENSSL=${OPENSSL:-openssl}
ENG=(-engine gost)
DAYS=${DAYS:-9125}

ossl() { # run openssl quietly; show its messages only when it fails
	"$OPENSSL" "$@" 2>"$WORK/stderr" || {
		cat "$WORK/stderr" >&2
		return 1
	}
}

"$OPENSSL" engine gost -c >/dev/null 2>&1 || {
	echo "$0: the OpenSSL gost engine is not available (apt-get install libengine-gost-openssl)" >&2
	exit 1
}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat >"$WORK/ext.cnf" <<'EOF'
[ req ]
distinguished_name = dn
string_mask        = utf8only
utf8               = yes
prompt             = no
[ dn ]
CN = unused

[ root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier   = hash
1.2.643.100.111        = ASN1:FORMAT:UTF8,UTF8String:Тестовое СКЗИ
certificatePolicies    = 1.2.643.100.113.1, 1.2.643.100.113.2

[ int ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
certificatePolicies    = 1.2.643.100.113.1, 1.2.643.100.113.2
authorityInfoAccess    = caIssuers;URI:http://pki.example.test/root.crt

[ int_nobc ]
# a CA certificate without basicConstraints and without keyUsage
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation, keyEncipherment, keyAgreement
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
extendedKeyUsage       = clientAuth, emailProtection, 1.2.643.100.2.2
certificatePolicies    = 1.2.643.100.113.1, 1.2.643.100.113.2
authorityInfoAccess    = caIssuers;URI:http://pki.example.test/int.crt
crlDistributionPoints  = URI:http://pki.example.test/int.crl
1.2.643.100.111        = ASN1:FORMAT:UTF8,UTF8String:Тестовое СКЗИ
1.2.643.100.114        = ASN1:INTEGER:0

[ leaf_noaki ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = none
extendedKeyUsage       = clientAuth

[ ca ]
default_ca = ca_default
[ ca_default ]
dir            = WORKDIR
database       = $dir/index.txt
new_certs_dir  = $dir/newcerts
serial         = $dir/serial
policy         = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
commonName = supplied
EOF
sed -i "s|WORKDIR|$WORK|" "$WORK/ext.cnf"

# profile name | key algorithm | paramset | digest
PROFILES="
gost2012-256-cryptopro-a|gost2012_256|A|-md_gost12_256
gost2012-256-cryptopro-b|gost2012_256|B|-md_gost12_256
gost2012-256-cryptopro-c|gost2012_256|C|-md_gost12_256
gost2012-256-cryptopro-xcha|gost2012_256|XA|-md_gost12_256
gost2012-256-cryptopro-xchb|gost2012_256|XB|-md_gost12_256
gost2012-256-tc26-a|gost2012_256|TCA|-md_gost12_256
gost2012-256-tc26-b|gost2012_256|TCB|-md_gost12_256
gost2012-256-tc26-c|gost2012_256|TCC|-md_gost12_256
gost2012-256-tc26-d|gost2012_256|TCD|-md_gost12_256
gost2012-512-tc26-a|gost2012_512|A|-md_gost12_512
gost2012-512-tc26-b|gost2012_512|B|-md_gost12_512
gost2012-512-tc26-c|gost2012_512|C|-md_gost12_512
gost2001-cryptopro-a|gost2001|A|-md_gost94
"

key() { # alg paramset out
	ossl genpkey "${ENG[@]}" -algorithm "$1" -pkeyopt "paramset:$2" -out "$3"
}

# Russian attributes: OpenSSL knows INN, OGRN, SNILS by their short names.
root_subj() { echo "/C=RU/L=г. Москва/O=Тестовый ГУЦ/OGRN=1047702026701/CN=Тестовый корневой УЦ $1"; }
int_subj() { echo "/C=RU/L=г. Москва/O=Тестовое казначейство/OGRN=1047797019830/INN=007710568760/CN=Тестовый УЦ $1"; }
leaf_subj() { echo "/C=RU/L=г. Москва/O=ГБУ Тест/title=Директор/SN=Иванов/GN=Иван Иванович/SNILS=12345678901/INN=771234567890/CN=Иванов Иван Иванович"; }

CASES=()
add_case() { # name expect leaf "ints" "roots" at
	CASES+=("$1|$2|$3|$4|$5|$6")
}

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
AT=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)

for line in $PROFILES; do
	IFS='|' read -r name alg ps md <<<"$line"
	d="$OUT/$name"
	mkdir -p "$d"
	key "$alg" "$ps" "$WORK/$name-root.key"
	key "$alg" "$ps" "$WORK/$name-int.key"
	key "$alg" "$ps" "$WORK/$name-leaf.key"
	ossl req "${ENG[@]}" -new -x509 -utf8 -config "$WORK/ext.cnf" -extensions root \
		-key "$WORK/$name-root.key" "$md" -days "$DAYS" -set_serial 0x1001 -subj "$(root_subj "$name")" -out "$d/root.pem"
	ossl req "${ENG[@]}" -new -utf8 -config "$WORK/ext.cnf" -key "$WORK/$name-int.key" "$md" \
		-subj "$(int_subj "$name")" -out "$WORK/int.csr"
	ossl x509 "${ENG[@]}" -req -in "$WORK/int.csr" -CA "$d/root.pem" -CAkey "$WORK/$name-root.key" "$md" \
		-days "$DAYS" -set_serial 0x2002 -extfile "$WORK/ext.cnf" -extensions int -out "$d/int.pem"
	ossl req "${ENG[@]}" -new -utf8 -config "$WORK/ext.cnf" -key "$WORK/$name-leaf.key" "$md" \
		-subj "$(leaf_subj)" -out "$WORK/leaf.csr"
	ossl x509 "${ENG[@]}" -req -in "$WORK/leaf.csr" -CA "$d/int.pem" -CAkey "$WORK/$name-int.key" "$md" \
		-days "$DAYS" -set_serial 0x3003 -extfile "$WORK/ext.cnf" -extensions leaf -out "$d/leaf.pem"
	add_case "$name/valid" valid "$name/leaf.pem" "$name/int.pem" "$name/root.pem" "$AT"
done

# ---- broken cases, on the profile real Treasury leaves use (CryptoPro-XchA)
base=gost2012-256-cryptopro-xcha
b="$OUT/$base"
bad="$OUT/broken"
mkdir -p "$bad"
md=-md_gost12_256

# bad signature: last byte of the signature value flipped
ossl x509 -in "$b/leaf.pem" -outform DER -out "$WORK/leaf.der"
last=$(tail -c 1 "$WORK/leaf.der" | od -An -tx1 | tr -d ' \n')
{ head -c -1 "$WORK/leaf.der"; printf "\\x$(printf '%02x' $((0x$last ^ 0x01)))"; } >"$WORK/badsig.der"
ossl x509 -inform DER -in "$WORK/badsig.der" -out "$bad/bad-signature.pem"
add_case "broken/bad-signature" bad_signature "broken/bad-signature.pem" "$base/int.pem" "$base/root.pem" "$AT"

# wrong issuer key: the intermediate's name, an unrelated key, no AKI in the
# leaf so that the name leads to the real intermediate
key gost2012_256 XA "$WORK/imposter.key"
ossl req "${ENG[@]}" -new -x509 -utf8 -config "$WORK/ext.cnf" -extensions root \
	-key "$WORK/imposter.key" "$md" -days "$DAYS" -set_serial 0x2bad -subj "$(int_subj "$base")" -out "$WORK/imposter.pem"
ossl req "${ENG[@]}" -new -utf8 -config "$WORK/ext.cnf" -key "$WORK/$base-leaf.key" "$md" \
	-subj "$(leaf_subj)" -out "$WORK/leaf.csr"
ossl x509 "${ENG[@]}" -req -in "$WORK/leaf.csr" -CA "$WORK/imposter.pem" -CAkey "$WORK/imposter.key" "$md" \
	-days "$DAYS" -set_serial 0x3004 -extfile "$WORK/ext.cnf" -extensions leaf_noaki -out "$bad/wrong-issuer-key.pem"
add_case "broken/wrong-issuer-key" bad_signature "broken/wrong-issuer-key.pem" "$base/int.pem" "$base/root.pem" "$AT"

# missing intermediate; untrusted root
add_case "broken/missing-intermediate" incomplete "$base/leaf.pem" "" "$base/root.pem" "$AT"
add_case "broken/untrusted-root" untrusted "$base/leaf.pem" "$base/int.pem $base/root.pem" "" "$AT"

# expired and not-yet-valid leaves: 'openssl ca' sets explicit dates
mkdir -p "$WORK/newcerts"
: >"$WORK/index.txt"
echo 4001 >"$WORK/serial"
ca_sign() { # start end out
	ossl ca "${ENG[@]}" -batch -notext -config "$WORK/ext.cnf" -name ca_default \
		-cert "$b/int.pem" -keyfile "$WORK/$base-int.key" -md md_gost12_256 -preserveDN \
		-startdate "$1" -enddate "$2" -extfile "$WORK/ext.cnf" -extensions leaf \
		-in "$WORK/leaf.csr" -out "$3"
}
ca_sign 20200101000000Z 20210101000000Z "$bad/expired.pem"
add_case "broken/expired" expired "broken/expired.pem" "$base/int.pem" "$base/root.pem" "$AT"
ca_sign "$(date -u -d '+10 years' +%Y%m%d000000Z)" "$(date -u -d '+11 years' +%Y%m%d000000Z)" "$bad/not-yet-valid.pem"
add_case "broken/not-yet-valid" not_yet_valid "broken/not-yet-valid.pem" "$base/int.pem" "$base/root.pem" "$AT"

# CA without basicConstraints (and without keyUsage) issuing the leaf
key gost2012_256 A "$WORK/nobc-int.key"
ossl req "${ENG[@]}" -new -utf8 -config "$WORK/ext.cnf" -key "$WORK/nobc-int.key" "$md" \
	-subj "/C=RU/O=Тестовое казначейство/CN=УЦ без basicConstraints" -out "$WORK/nobc.csr"
ossl x509 "${ENG[@]}" -req -in "$WORK/nobc.csr" -CA "$b/root.pem" -CAkey "$WORK/$base-root.key" "$md" \
	-days "$DAYS" -set_serial 0x2003 -extfile "$WORK/ext.cnf" -extensions int_nobc -out "$bad/ca-without-basic-constraints.pem"
ossl x509 "${ENG[@]}" -req -in "$WORK/leaf.csr" -CA "$bad/ca-without-basic-constraints.pem" -CAkey "$WORK/nobc-int.key" "$md" \
	-days "$DAYS" -set_serial 0x3005 -extfile "$WORK/ext.cnf" -extensions leaf -out "$bad/leaf-under-ca-without-bc.pem"
add_case "broken/ca-without-basic-constraints" malformed "broken/leaf-under-ca-without-bc.pem" "broken/ca-without-basic-constraints.pem" "$base/root.pem" "$AT"

# the chain as a DER PKCS #7 bundle (.p7b), as Windows exports chains
ossl crl2pkcs7 -nocrl -certfile "$b/leaf.pem" -certfile "$b/int.pem" -certfile "$b/root.pem" -outform DER -out "$b/chain.p7b"

# ---- manifest
json_list() { # "a b c" -> ["a","b","c"]
	local out="" x
	for x in $1; do out="$out${out:+, }\"$x\""; done
	echo "[$out]"
}
{
	echo "{"
	echo "  \"generator\": \"scripts/gen-gost-pki.sh\","
	echo "  \"openssl\": \"$("$OPENSSL" version)\","
	echo "  \"generated_at\": \"$NOW\","
	echo "  \"cases\": ["
	n=${#CASES[@]}
	i=0
	for c in "${CASES[@]}"; do
		IFS='|' read -r name expect leaf ints roots at <<<"$c"
		i=$((i + 1))
		sep=","
		[ "$i" -eq "$n" ] && sep=""
		printf '    {"name": "%s", "expect": "%s", "leaf": "%s", "intermediates": %s, "roots": %s, "at": "%s"}%s\n' \
			"$name" "$expect" "$leaf" "$(json_list "$ints")" "$(json_list "$roots")" "$at" "$sep"
	done
	echo "  ]"
	echo "}"
} >"$OUT/manifest.json"
echo "wrote ${#CASES[@]} cases to $OUT/manifest.json"
