#!/bin/sh
# Runs the unit tests (cmocka, TAP output) and the runtime tests, and ends
# with one line: "check: N passed, N failed, N skipped".
#
# Environment: CT_BIN (built tools, helpers in CT_BIN/tests), CT_UNIT (unit
# test binaries). Arguments: runtime test files to run (default: all).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CT_BIN:=$here/../build/bin}"
export CT_BIN
results=$(mktemp)
trap 'rm -f "$results"' EXIT INT TERM

for t in ${CT_UNIT:-}; do
	name=$(basename "$t")
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
	status=$?
	echo "$out" | sed -n 's/^ok [0-9]* - \(.*\)/pass unit: '"$name"': \1/p;
		s/^not ok [0-9]* - \(.*\)/fail unit: '"$name"': \1/p' >>"$results"
	if ! echo "$out" | grep -q '^ok\|^not ok'; then
		echo "fail unit: $name: no test ran" >>"$results"
		echo "$out" | tail -20
	fi
	# A crash ends the TAP stream early, without a "not ok" line.
	if [ "$status" -ne 0 ] && ! echo "$out" | grep -q '^not ok'; then
		echo "fail unit: $name: exited with status $status" >>"$results"
	fi
	echo "$out" | grep -v '^ok\|^1\.\.\|^# ' | sed 's/^/  /'
done

if [ $# -eq 0 ]; then
	set -- "$here"/runtime/*.sh
fi
for f in "$@"; do
	case $(basename "$f") in lib.sh) continue ;; esac
	CT_RESULTS=$results sh "$f"
	status=$?
	if ! grep -qx "end $(basename "$f")" "$results"; then
		echo "fail $(basename "$f"): stopped (status $status) before its end" >>"$results"
	fi
done

sed -n 's/^fail /FAIL /p; s/^skip /skip /p' "$results"
pass=$(grep -c '^pass ' "$results")
fail=$(grep -c '^fail ' "$results")
skip=$(grep -c '^skip ' "$results")
echo "check: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
