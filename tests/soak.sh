#!/bin/sh
# Soak test: execsnoop and opensnoop (those built) run side by side for
# SOAK_SECONDS (600) under a continuous exec and open load, with their
# resident memory sampled every SOAK_INTERVAL seconds (10). Fails if a tool
# dies, does not end with status 0 on SIGINT, or if its RSS after the
# warm-up (the first third of the run) ever exceeds the RSS at the end of
# the warm-up by more than SOAK_SLACK_KB (256: allocator noise).
#
#   make soak                                 the full run (root)
#   SOAK_SECONDS=30 SOAK_INTERVAL=2 make soak the short one, for CI
#
# Samples go to build/soak/rss.tsv: seconds, then one RSS column (kB) per
# tool.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${CT_BIN:=$here/../build/bin}"
: "${SOAK_SECONDS:=600}"
: "${SOAK_INTERVAL:=10}"
: "${SOAK_SLACK_KB:=256}"
TRIGGER=$CT_BIN/tests/ct-trigger
out=$here/../build/soak
mkdir -p "$out"
tsv=$out/rss.tsv
load_pids=
tool_pids=
tools=

cleanup() {
	for p in $load_pids $tool_pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
	echo "soak: needs root"
	exit 1
fi
for t in execsnoop opensnoop; do
	[ -x "$CT_BIN/$t" ] && tools="$tools $t"
done
if [ -z "$tools" ]; then
	echo "soak: neither execsnoop nor opensnoop is built"
	exit 1
fi

rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/"$1"/status \
		2>/dev/null
}

for t in $tools; do
	"$CT_BIN/$t" >/dev/null 2>"$out/$t.err" &
	tool_pids="$tool_pids $!"
done
sleep 1

# The load: execs with changing arguments, opens of files that exist and
# of files that do not, without pause.
(i=0; while :; do
	"$TRIGGER" exec "$TRIGGER" soak noop "$i" "arg $i" >/dev/null
	i=$((i + 1))
done) &
load_pids="$load_pids $!"
(i=0; while :; do
	"$TRIGGER" open /etc/hostname /etc/passwd "/nonexistent/soak/$i" \
		>/dev/null
	i=$((i + 1))
done) &
load_pids="$load_pids $!"

printf 'secs' >"$tsv"
for t in $tools; do printf '\t%s' "$t" >>"$tsv"; done
echo >>"$tsv"

warmup=$((SOAK_SECONDS / 3))
start=$(date +%s)
failed=
base=
peak=
while :; do
	sleep "$SOAK_INTERVAL"
	now=$(($(date +%s) - start))
	line=$now
	n=0
	for p in $tool_pids; do
		n=$((n + 1))
		rss=$(rss_kb "$p")
		if [ -z "$rss" ]; then
			echo "soak: $(echo $tools | cut -d' ' -f$n) died"
			failed=1
			rss=0
		fi
		line="$line	$rss"
	done
	echo "$line" >>"$tsv"
	echo "soak: $line"
	[ -n "$failed" ] && break
	# The last sample of the warm-up is the baseline; later ones the
	# candidates for growth.
	if [ "$now" -le "$warmup" ] || [ -z "$base" ]; then
		base=$line
	else
		peak=$line
	fi
	[ "$now" -ge "$SOAK_SECONDS" ] && break
done

for p in $load_pids; do kill "$p" 2>/dev/null; done
load_pids=
n=0
for p in $tool_pids; do
	n=$((n + 1))
	t=$(echo $tools | cut -d' ' -f$n)
	kill -INT "$p" 2>/dev/null
	wait "$p"
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "soak: $t ended with status $status: $(head -3 "$out/$t.err")"
		failed=1
	fi
done
tool_pids=

# Compare each tool's column: the highest after warm-up against the base.
n=0
for t in $tools; do
	n=$((n + 1))
	col=$((n + 1))
	b=$(echo "$base" | cut -f$col)
	max=$(awk -v w="$warmup" -v c="$col" \
		'NR > 1 && $1 > w && $c > m { m = $c } END { print m + 0 }' \
		"$tsv")
	if [ -z "$peak" ]; then
		echo "soak: $t: too short a run to compare (no sample after warm-up)"
		failed=1
	elif [ "$max" -gt $((b + SOAK_SLACK_KB)) ]; then
		echo "soak: $t: RSS grew from $b kB after warm-up to $max kB"
		failed=1
	else
		echo "soak: $t: RSS $b kB after warm-up, at most $max kB later"
	fi
done
[ -z "$failed" ] || exit 1
echo "soak: passed ($SOAK_SECONDS s, samples in $tsv)"
