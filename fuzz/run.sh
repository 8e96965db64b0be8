#!/bin/sh
# Run each libFuzzer target named on the command line for $FUZZ_SECONDS,
# starting from its seeds in fuzz/corpus/NAME/. Fails if any target crashes;
# the input that did it is left in build/fuzz/crash-NAME-*. Turn it into a
# regression unit test in tests/unit/ before fixing the bug.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../build/fuzz
: "${FUZZ_SECONDS:=60}"
failed=

for t in "$@"; do
	mkdir -p "$out/corpus/$t" "$here/corpus/$t"
	echo "fuzz: $t for $FUZZ_SECONDS s"
	if "$out/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$out/crash-$t-" \
		"$out/corpus/$t" "$here/corpus/$t" >"$out/$t.log" 2>&1; then
		grep -h '^stat::number_of_executed_units' "$out/$t.log" |
			sed "s/^/fuzz: $t: /"
	else
		echo "fuzz: $t FAILED, see $out/$t.log:"
		grep -A12 'ERROR\|==ABORTING\|deadly signal' "$out/$t.log" |
			head -30
		ls "$out"/crash-"$t"-* 2>/dev/null
		failed="$failed $t"
	fi
done
[ -z "$failed" ] || { echo "fuzz: failed:$failed"; exit 1; }
echo "fuzz: all clean"
