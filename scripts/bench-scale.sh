#!/bin/bash
# bench-scale.sh — gmu-doctor at real scale, side by side with a previous
# build, in one run (machine load hits both alike).
#
#   check --snapshot   of a Windows 10 workstation whose LocalMachine\CA holds
#                      N accredited-CA certificates (N = 100, 1,000, 2,403,
#                      10,000) plus 10 personal certificates; the snapshots are
#                      made by scripts/scalesnap from the bundle (beyond 2,403:
#                      distinct certificates derived deterministically, see
#                      scripts/scalesnap/main.go)
#   cert show          over the whole bundle
#   cert verify        a real 3-certificate chain, and --all over the bundle,
#                      against `openssl verify -engine gost` doing the same
#                      (when the gost engine is installed)
#
#   --wine             instead of all that: live `gmu-doctor.exe check` (the
#                      windows/amd64 build) under Wine, on a Wine prefix whose
#                      CryptoAPI stores hold the same certificates as the
#                      snapshot of each N (default N = 2,403), planted once per
#                      N by scripts/winescale (one `wine reg import` of the
#                      stores' registry Blobs); verdicts of old and new
#                      compared; plus the floor: internal/winetest/probe
#                      -chains, making only the Windows calls of a check run
#
# Each figure is the median of --runs runs (old and new alternate): wall
# time, CPU time (user+sys) and peak RSS from GNU time. Wall time on a shared
# machine is noise; CPU time and RSS are the figures to compare. Under Wine
# the CPU time is the program's (with its children) plus what the prefix's
# resident Wine processes (wineserver, services.exe, …) spent during the run:
# the registry and every wait are served by the wineserver, so its share is
# part of the program's cost. Peak RSS is the program's own process.
#
# Usage: scripts/bench-scale.sh [--base REV|none] [--runs N] [--sizes "100 1000"]
#                               [--bundle FILE.pem[.gz]] [--smoke] [--wine]
#   --base   the commit to compare with (default 6d5da2f, the last commit
#            before the performance work of issue 12); "none": this tree only
#   --smoke  N = 100, one run, no base (a few seconds: checks the script works)
# Needs: Go, git, GNU time (/usr/bin/time; Debian package "time"); for the
# OpenSSL rows openssl and libengine-gost-openssl; for --wine the Debian
# package wine64 (as scripts/test-all.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

base=6d5da2f
runs=5
sizes="100 1000 2403 10000"
bundle=testdata/certs/accredited-ca-bundle.pem.gz
wine=false
sizes_set=false
while [ $# -gt 0 ]; do
	case $1 in
	--base) base=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--sizes) sizes=$2; sizes_set=true; shift 2 ;;
	--bundle) bundle=$2; shift 2 ;;
	--smoke) base=none; runs=1; sizes=100; sizes_set=true; shift ;;
	--wine) wine=true; shift ;;
	*) echo "bench-scale.sh: unknown argument $1 (see the header of the script)" >&2; exit 2 ;;
	esac
done
if [ ! -x /usr/bin/time ]; then
	echo "bench-scale.sh: GNU time is missing — install it with: sudo apt-get install -y time" >&2
	exit 1
fi

if $wine && ! $sizes_set; then
	sizes=2403
fi

tmp=$(mktemp -d)
wine_envs=()
cleanup() {
	local e
	# stop the wineservers of the prefixes (saves nothing we need; frees them)
	for e in "${wine_envs[@]}"; do
		(eval "$(cat "$e")" && "$WINESERVER_BIN" -k) >/dev/null 2>&1 || true
	done
	if [ -d "$tmp/base-src" ]; then git worktree remove --force "$tmp/base-src" >/dev/null 2>&1 || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# In --wine mode the binaries are the windows/amd64 builds.
goos=
exe=
if $wine; then
	goos=windows
	exe=.exe
fi
echo "== building (CGO_ENABLED=0${goos:+, GOOS=$goos GOARCH=amd64})"
GOOS=$goos GOARCH=${goos:+amd64} CGO_ENABLED=0 go build -o "$tmp/new$exe" ./cmd/gmu-doctor
CGO_ENABLED=0 go build -o "$tmp/scalesnap" ./scripts/scalesnap
bins="new"
if [ "$base" != none ]; then
	git worktree add --detach "$tmp/base-src" "$base" >/dev/null 2>&1
	(cd "$tmp/base-src" && GOOS=$goos GOARCH=${goos:+amd64} CGO_ENABLED=0 go build -o "$tmp/old$exe" ./cmd/gmu-doctor)
	bins="old new"
fi
case $bundle in
*.gz) gzip -dc "$bundle" > "$tmp/bundle.pem" ;;
*) cp "$bundle" "$tmp/bundle.pem" ;;
esac

# measure NAME CMD... : runs CMD, records "wall cpu rss_kib" in $tmp/NAME.txt
measure() {
	local name=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || true
	tail -n 1 "$tmp/t" | awk '{printf "%.3f %.3f %d\n", $1, $2+$3, $4}' >> "$tmp/$name.txt"
}
# measure_loop NAME N CMD... : runs CMD N times in one shell under GNU time
# and records the figures per run (for programs shorter than GNU time's
# 10 ms resolution)
measure_loop() {
	local name=$1 n=$2; shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" sh -c 'n=$1; shift; i=0; while [ $i -lt "$n" ]; do "$@" >/dev/null 2>&1; i=$((i+1)); done' sh "$n" "$@" || true
	tail -n 1 "$tmp/t" | awk -v n="$n" '{printf "%.5f %.5f %d\n", $1/n, ($2+$3)/n, $4}' >> "$tmp/$name.txt"
}
# median NAME COLUMN
median() {
	sort -n -k"$2" "$tmp/$1.txt" | awk -v c="$2" '{v[NR]=$c} END {if (NR==0) {print "-"; exit} m=v[int((NR+1)/2)]; print m}'
}
row() { # label name
	local label=$1 name=$2
	printf '%-34s %8s s %8s s %8.1f MiB\n' "$label" "$(median "$name" 1)" "$(median "$name" 2)" "$(echo "$(median "$name" 3)" | awk '{print $1/1024}')"
}

# wine_pids: the processes of the current WINEPREFIX (found by their
# environment): the wineserver and the services Wine keeps running for it.
wine_pids() {
	local p
	for p in /proc/[0-9]*; do
		if tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "WINEPREFIX=$WINEPREFIX"; then
			echo "${p#/proc/}"
		fi
	done
}
# wine_ticks: CPU clock ticks (user+sys) used so far by $resident.
wine_ticks() {
	local p t=0
	for p in $resident; do
		t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13} END {if (NR == 0) print 0}')))
	done
	echo "$t"
}
# wine_measure NAME ARGS... : runs the program under wine like measure, with
# the prefix processes' CPU during the run added to its own
wine_measure() {
	local name=$1; shift
	local t0 t1
	t0=$(wine_ticks)
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$WINE_LOADER" "$@" >"$tmp/$name.out" 2>"$tmp/err" </dev/null || true
	t1=$(wine_ticks)
	tail -n 1 "$tmp/t" | awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '{printf "%.3f %.3f %d %.3f\n", $1, $2+$3+d/hz, $4, d/hz}' >> "$tmp/$name.txt"
}
# verdicts FILE: the JSON report without what changes from run to run: the
# start time, durations, and the clock check's reading of the current time
verdicts() {
	grep -v -e '"started_at"' -e '"duration_ms"' "$1" |
		sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?/<time>/g'
}

wine_bench() {
	local n b i envf
	if ! { command -v wine >/dev/null || [ -x /usr/lib/wine/wine64 ]; }; then
		echo "bench-scale.sh --wine: Wine is missing — install it with: sudo apt-get install -y --no-install-recommends wine64" >&2
		exit 1
	fi
	CGO_ENABLED=0 go build -o "$tmp/winescale" ./scripts/winescale
	# the floor: the probe makes only the Windows calls of a check run (the
	# stores, CryptoAPI's chain of each personal certificate), no checks
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$tmp/probe.exe" ./internal/winetest/probe
	echo "== machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); $(/usr/lib/wine/wine64 --version 2>/dev/null || wine --version); $runs runs per figure (median)"
	printf '%-34s %10s %10s %12s %14s\n' "" "wall" "CPU" "peak RSS" "(wineserver…)"
	for n in $sizes; do
		"$tmp/scalesnap" -n "$n" -bundle "$bundle" -o "$tmp/snap-$n.json"
		envf="$tmp/wine-$n.env"
		"$tmp/winescale" -snap "$tmp/snap-$n.json" -dir "$tmp/wine-$n" >"$envf"
		wine_envs+=("$envf")
		(
			eval "$(cat "$envf")"
			"$WINESERVER_BIN" -p
			# one unmeasured run each: starts the prefix's services and
			# lets Wine sync its root store into the registry
			for b in $bins; do
				"$WINE_LOADER" "$tmp/$b.exe" check --format json >/dev/null 2>&1 </dev/null || true
			done
			resident=$(wine_pids)
			for i in $(seq "$runs"); do
				for b in $bins; do
					wine_measure "wine-$n-$b" "$tmp/$b.exe" check --format json
				done
				wine_measure "wine-$n-probe" "$tmp/probe.exe" -chains -summary -o "Z:${tmp//\//\\}\\probe-$n.txt"
			done
			for b in $bins probe; do
				label="check live, Wine, N=$n ($b)"
				if [ "$b" = probe ]; then
					label="  only its Windows calls (probe)"
				fi
				printf '%-34s %8s s %8s s %8.1f MiB %10s s\n' "$label" "$(median "wine-$n-$b" 1)" "$(median "wine-$n-$b" 2)" \
					"$(echo "$(median "wine-$n-$b" 3)" | awk '{print $1/1024}')" "$(median "wine-$n-$b" 4)"
			done
			if [ -f "$tmp/wine-$n-old.out" ]; then
				# the reports of the last measured runs
				if diff <(verdicts "$tmp/wine-$n-old.out") <(verdicts "$tmp/wine-$n-new.out") >"$tmp/verdicts.diff"; then
					echo "verdicts N=$n: old and new reports identical (start time and durations aside)"
				else
					echo "verdicts N=$n: the reports DIFFER:"
					head -n 40 "$tmp/verdicts.diff"
				fi
			fi
			"$WINESERVER_BIN" -k
		)
	done
}

if $wine; then
	wine_bench
	exit 0
fi

echo "== machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); $runs runs per figure (median)"
printf '%-34s %10s %10s %12s\n' "" "wall" "CPU" "peak RSS"
for n in $sizes; do
	"$tmp/scalesnap" -n "$n" -bundle "$bundle" -o "$tmp/snap-$n.json"
	for i in $(seq "$runs"); do
		for b in $bins; do
			measure "check-$n-$b" "$tmp/$b" check --snapshot "$tmp/snap-$n.json" --format json
		done
	done
	for b in $bins; do
		row "check --snapshot N=$n ($b)" "check-$n-$b"
	done
done

for i in $(seq "$runs"); do
	for b in $bins; do
		measure "show-$b" "$tmp/$b" cert show "$tmp/bundle.pem" --lang en
	done
done
for b in $bins; do row "cert show bundle ($b)" "show-$b"; done

rw=testdata/certs/realworld
leaf=$rw/ee-gost2012-spb-zhilkom-2025-by-fk-2024.der
ca=$rw/fk-ca-gost2012-2024-by-mincifry-2022.pem
root=$rw/guc-root-gost2012-mincifry-2022.pem
at=2025-12-01
have_openssl=false
if command -v openssl >/dev/null 2>&1 && openssl engine gost >/dev/null 2>&1; then
	have_openssl=true
	openssl x509 -inform DER -in "$leaf" -out "$tmp/leaf.pem"
	epoch=$(date -d "${at}T00:00:00Z" +%s)
fi
# One verification takes ~15-25 ms, GNU time counts in 10 ms: each figure
# of the 3-certificate chain is a loop of $loop runs under one GNU time,
# divided by $loop (the loop's shell forks are counted for every program
# alike); old, new and openssl alternate.
loop=50
for i in $(seq "$runs"); do
	for b in $bins; do
		measure_loop "verify-$b" "$loop" "$tmp/$b" cert verify "$leaf" --ca "$ca" --root "$root" --at "$at"
	done
	if $have_openssl; then
		measure_loop "verify-openssl" "$loop" openssl verify -engine gost -attime "$epoch" -CAfile "$root" -untrusted "$ca" "$tmp/leaf.pem"
	fi
	measure "all-new" "$tmp/new" cert verify --all "$tmp/bundle.pem"
done
for b in $bins; do row "cert verify 3-cert chain ($b)" "verify-$b"; done
if $have_openssl; then
	row "openssl verify 3-cert chain" verify-openssl
	echo "  CPU of cert verify (new) / openssl verify: $(awk -v a="$(median verify-new 2)" -v b="$(median verify-openssl 2)" 'BEGIN {printf "%.2fx", a/b}')"
fi
row "cert verify --all bundle (new)" all-new

if $have_openssl; then
	mkdir -p "$tmp/split"
	awk -v d="$tmp/split" '/-----BEGIN CERTIFICATE-----/ {n++; f=sprintf("%s/c%05d.pem", d, n)} f {print > f} /-----END CERTIFICATE-----/ {close(f); f=""}' "$tmp/bundle.pem"
	for i in $(seq "$runs"); do
		measure "all-openssl" openssl verify -engine gost -CAfile "$tmp/bundle.pem" "$tmp"/split/c*.pem
	done
	row "openssl verify bundle (one process)" all-openssl
else
	echo "(openssl with the gost engine not found: no OpenSSL rows; sudo apt-get install -y openssl libengine-gost-openssl)"
fi
