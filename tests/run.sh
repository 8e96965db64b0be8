#!/bin/sh
# Runs the unit tests (cmocka, TAP output) and the runtime tests, and ends
# with one line: "check: N passed, N failed, N skipped". Each runtime test
# file's output ends with "time: FILE took N s".
#
# Environment: CT_BIN (built tools, helpers in CT_BIN/tests), CT_UNIT (unit
# test binaries), CT_JOBS (runtime test files run at once; default: one
# more than the CPUs, as they mostly wait for events). Arguments: runtime
# test files to run (default: all).
#
# Test files run in parallel: each traces only what it causes (its own
# processes, names, cgroups). Those in CT_SERIAL measure time or load the
# CPUs on purpose and run alone, after the others.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CT_BIN:=$here/../build/bin}"
: "${CT_SERIAL:=delivery.sh perf_sample.sh accounting.sh}"
export CT_BIN

# Seconds since boot, to a tenth where /proc says (busybox date has no %N).
uptime_secs() {
	cut -d' ' -f1 /proc/uptime 2>/dev/null || date +%s
}

# --one FILE: run one runtime test file, its results and output apart,
# then show its output whole and how long it took (under emulation the
# slowest file decides the whole run's time).
if [ "${1:-}" = --one ]; then
	name=$(basename "$2")
	start=$(uptime_secs)
	CT_RESULTS=$CT_WORK/$name.results sh "$2" >"$CT_WORK/$name.log" 2>&1
	status=$?
	if ! grep -qx "end $name" "$CT_WORK/$name.results" 2>/dev/null; then
		echo "fail $name: stopped (status $status) before its end" \
			>>"$CT_WORK/$name.results"
	fi
	cat "$CT_WORK/$name.log"
	echo "$start $(uptime_secs)" |
		awk -v n="$name" '{ printf "time: %s took %.1f s\n", n, $2 - $1 }'
	exit 0
fi

work=$(mktemp -d)
results=$work/results
: >"$results"
trap 'rm -rf "$work"' EXIT INT TERM

if [ -z "${CT_JOBS:-}" ]; then
	CT_JOBS=$(($(nproc 2>/dev/null || echo 1) + 1))
fi

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
# One file a line: paths may hold spaces.
for f in "$@"; do
	case " $CT_SERIAL lib.sh " in
	*" $(basename "$f") "*)
		[ "$(basename "$f")" = lib.sh ] || echo "$f" >>"$work/serial" ;;
	*) echo "$f" >>"$work/parallel" ;;
	esac
done
export CT_WORK="$work"
if [ "$CT_JOBS" -le 1 ] && [ -f "$work/parallel" ]; then
	cat "$work/serial" >>"$work/parallel" 2>/dev/null
	mv "$work/parallel" "$work/serial"
fi
if [ -f "$work/parallel" ]; then
	tr '\n' '\0' <"$work/parallel" |
		xargs -0 -P "$CT_JOBS" -n 1 sh "$here/run.sh" --one
fi
if [ -f "$work/serial" ]; then
	while IFS= read -r f; do
		sh "$here/run.sh" --one "$f"
	done <"$work/serial"
fi
for f in "$@"; do
	r=$work/$(basename "$f").results
	[ -f "$r" ] && cat "$r" >>"$results"
done

# Failures last, beside the count: a log cut to its tail still names them.
sed -n 's/^skip /skip /p' "$results"
sed -n 's/^fail /FAIL /p' "$results"
pass=$(grep -c '^pass ' "$results")
fail=$(grep -c '^fail ' "$results")
skip=$(grep -c '^skip ' "$results")
echo "check: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
