#!/usr/bin/env bash
# Fuzzes every fuzz target of the module for a few seconds each (the seed
# corpus already runs in `go test ./...`). Targets are discovered, not
# listed: every `func FuzzXxx(` in a *_test.go file. A failing target fails
# the script, after printing the crashing input and the command that
# reproduces it. Called by scripts/test-all.sh; runs alone too:
#
#   bash scripts/fuzz-all.sh                 # about FUZZ_BUDGET seconds of fuzzing
#   FUZZ_BUDGET=60 bash scripts/fuzz-all.sh   # shorter
#
# FUZZ_BUDGET (default 120) is shared among the targets: each gets
# FUZZ_BUDGET/targets seconds, at least 1 and at most FUZZ_MAX_EACH (5).
# Building the instrumented test binaries comes on top (once per package).
# FUZZ_ONLY=REGEX keeps the targets whose "package-dir FuzzName" matches.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${FUZZ_BUDGET:-120}
MAX_EACH=${FUZZ_MAX_EACH:-5}
MINIMIZE=${FUZZ_MINIMIZE:-2s}

# "pkgdir FuzzName" per target, grouped by package (one build each).
mapfile -t targets < <(
	grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . |
		grep -v '/testdata/' |
		sed -E 's#^\./(.*)/[^/]*_test\.go:[0-9]+:func (Fuzz[A-Za-z0-9_]*)\(.*#\1 \2#; s#^\./[^/]*_test\.go:[0-9]+:func (Fuzz[A-Za-z0-9_]*)\(.*#. \1#' |
		sort -u | grep -E -- "${FUZZ_ONLY:-.}"
)
n=${#targets[@]}
if [ "$n" -eq 0 ]; then
	echo "no fuzz targets found" >&2
	exit 1
fi
each=$((BUDGET / n))
[ "$each" -lt 1 ] && each=1
[ "$each" -gt "$MAX_EACH" ] && each=$MAX_EACH
echo "$n fuzz targets, ${each}s each (-fuzzminimizetime $MINIMIZE)"

failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${targets[@]}"; do
	dir=${t% *}
	name=${t#* }
	start=$(date +%s)
	# Go's fuzzing engine can end a short run with "context deadline
	# exceeded" and no failing input when -fuzztime runs out while it is
	# still minimising a new interesting input (seen in a clean CI run).
	# That says nothing about the target: such a run is tried again, up to
	# twice; a real failure always writes its input under testdata/fuzz.
	for try in 1 2 3; do
		set +e
		# The outer timeout only guards against a hung build or worker.
		timeout $((each + 300)) go test -run '^$' -fuzz "^${name}\$" -fuzztime "${each}s" \
			-fuzzminimizetime "$MINIMIZE" "./$dir" >"$log" 2>&1
		rc=$?
		set -e
		if [ "$rc" -ne 0 ] && grep -q 'context deadline exceeded' "$log" &&
			! grep -q 'Failing input written to\|testdata/fuzz/' "$log"; then
			echo "retry $dir $name: the engine's deadline, no failing input (try $try)"
			continue
		fi
		break
	done
	if grep -q 'no fuzz tests to fuzz\|matches no fuzz tests' "$log"; then
		echo "skip $dir $name (not built on $(go env GOOS))"
		continue
	fi
	if [ "$rc" -ne 0 ]; then
		echo "FAIL $dir $name ($(($(date +%s) - start))s)"
		cat "$log"
		# The crasher go test saved, printed so that CI logs keep it.
		for f in $(grep -oE 'testdata/fuzz/'"$name"'/[0-9a-zA-Z_.-]+' "$log" | sort -u); do
			echo "--- crashing input $dir/$f:"
			cat "$dir/$f" 2>/dev/null || true
			echo "--- reproduce: go test -run '$name/${f##*/}' ./$dir"
		done
		failed+=("$dir $name")
		continue
	fi
	echo "ok   $dir $name ($(($(date +%s) - start))s)"
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz targets that failed:" >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "all $n fuzz targets ok"
