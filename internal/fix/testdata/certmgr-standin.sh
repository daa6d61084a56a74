#!/bin/sh
# Stand-in for CryptoPro's certmgr in the fix tests: it records its
# arguments in $DIR/args.log and keeps each store as a directory of
# <sha1>.cer files under $DIR/stores/<store>; -list prints the fields
# gmu-doctor reads, in the layout of a real listing
# (testdata/linux/outputs/certmgr-list-ca-en-lowercase.txt).
DIR=$(dirname "$0")
printf '%s\n' "$*" >> "$DIR/args.log"
cmd=$1; shift
store=; file=; tp=
while [ $# -gt 0 ]; do
	case $1 in
	-store) store=$2; shift;;
	-file) file=$2; shift;;
	-thumbprint) tp=$2; shift;;
	esac
	shift
done
mkdir -p "$DIR/stores/$store"
case $cmd in
-inst)
	sha=$(sha1sum "$file" | cut -d' ' -f1)
	cp "$file" "$DIR/stores/$store/$sha.cer"
	echo "[ErrorCode: 0x00000000]";;
-delete)
	rm -f "$DIR/stores/$store/$tp.cer"
	echo "[ErrorCode: 0x00000000]";;
-list)
	echo 'Certmgr 1.1 (c) "Crypto-Pro",  2007-2019.'
	echo '============================================================================='
	n=0
	for f in "$DIR/stores/$store"/*.cer; do
		[ -e "$f" ] || continue
		n=$((n+1))
		echo "$n-------"
		echo "SHA1 Hash           : $(basename "$f" .cer)"
		echo "PrivateKey Link     : No"
	done
	if [ $n -eq 0 ]; then echo 'Empty certificate list'; echo '[ErrorCode: 0x8010002c]'; exit 1; fi
	echo '============================================================================='
	echo "[ErrorCode: 0x00000000]";;
*) echo "unexpected: $cmd" >&2; exit 2;;
esac
