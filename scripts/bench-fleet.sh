#!/usr/bin/env bash
# Scale benchmark of `gmu-doctor report`: generates N snapshots from the
# fixtures in testdata/workstations (distinct hostnames, 80 extra CA
# certificates in the computer's CA store each), then measures wall time,
# CPU time and peak RSS of one `gmu-doctor report` over all of them, with
# as many workers as cores (and with --jobs 1 for comparison).
#
#   bash scripts/bench-fleet.sh            # N=1000
#   N=200 bash scripts/bench-fleet.sh
#
# Needs GNU time (/usr/bin/time) for the peak RSS; prints the figures only.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export CGO_ENABLED=0

echo "generating $N snapshots in $WORK/fleet"
mkdir -p "$WORK/fleet"
GMU_DOCTOR_FLEET_DIR="$WORK/fleet" GMU_DOCTOR_FLEET_N="$N" \
	go test -count=1 -run '^TestGenerateFleet$' ./internal/fleet/ >/dev/null
du -sh "$WORK/fleet" | sed 's/^/size: /'
go build -o "$WORK/gmu-doctor" ./cmd/gmu-doctor

run() {
	local label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, peak RSS %M KiB" \
			"$WORK/gmu-doctor" report --lang en "$@" --format json -o "$WORK/out.json" "$WORK/fleet" 2>&1 | grep -v "written\|exited with" || true
	else
		local start end
		start=$(date +%s.%N)
		"$WORK/gmu-doctor" report "$@" --format json -o "$WORK/out.json" "$WORK/fleet" 2>/dev/null || true
		end=$(date +%s.%N)
		echo "$label: $(echo "$end - $start" | bc) s wall (install GNU time for RSS)"
	fi
}
echo "cores: $(nproc)"
run "report, $N snapshots, --jobs $(nproc)"
run "report, $N snapshots, --jobs 1" --jobs 1
"$WORK/gmu-doctor" report --format html -o "$WORK/fleet.html" "$WORK/fleet" 2>/dev/null || true
ls -l "$WORK/fleet.html" | awk '{print "HTML page: " $5 " bytes"}'
