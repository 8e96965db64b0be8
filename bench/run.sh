#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# coretrace benchmarks: each tool under a workload that fires its hooks,
# against the same hooks with empty programs (the floor) or with programs
# doing only what no such tool can skip (the essential floors, where a
# spec names them), bpftrace and Debian's libbpf-tools: wall time, kernel
# time per event (BPF run-time statistics), tool CPU, completeness,
# start-up and memory.
#
#   sh bench/run.sh [TOOL...]     (root; `make bench [BENCH_TOOLS=...]`)
#
# One spec per tool, bench/tools/<tool>.sh (see bench/tools/README); every
# spec whose tool is built runs, or those named. Each writes its section of
# bench/RESULTS.md; sections of tools not run are kept as they were.
# BENCH_QUICK=1: fewer rounds and shorter loads.
#
# BENCH_GUEST=1 (bench/kernels.sh runs it so in a qemu guest): coretrace
# (BENCH_BIN, the static build there) and libbpf-tools only, two rounds of
# a tenth of the quick loads, five starts each; instead of RESULTS.md, one
# line "bench-guest-row: ..." per tool on stdout (guest_row below).
# BENCH_BIN, BENCH_HELPERS (build/bench) and BENCH_PEERS (libbpf-tools'
# usr/sbin) say where the programs are.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${BENCH_HELPERS:-$ROOT/build/bench}
BIN=${BENCH_BIN:-$ROOT/build/bin}
SBIN=$ROOT/build/static/bin
PEERS=${BENCH_PEERS:-$B/peers/usr/sbin}
SPECS=$ROOT/bench/tools
RESULTS=${BENCH_RESULTS:-$ROOT/bench/RESULTS.md}
GUEST=
[ "${BENCH_GUEST:-0}" != 0 ] && GUEST=1

if [ -n "$GUEST" ]; then
	QUICK=1 REPS=2 STARTS=5 LADDER_SECS=1
elif [ -n "${BENCH_QUICK:-}" ] && [ "$BENCH_QUICK" != 0 ]; then
	QUICK=1 REPS=3 STARTS=7 LADDER_SECS=1
else
	QUICK= REPS=5 STARTS=15 LADDER_SECS=2
fi
# Under emulation everything is slower: longer waits for an attach.
WAIT_SCALE=1
[ -n "$GUEST" ] && WAIT_SCALE=10

say() {
	echo "bench: $*" >&2
}

if [ "$(id -u)" -ne 0 ]; then
	say "needs root (BPF)"
	exit 1
fi
# A mount namespace of the run's own: what a spec mounts for its tools
# (statsnoop's peer) is seen by them, not by the rest of the machine, and
# goes away with the run.
if [ -z "${BENCH_UNSHARED:-}" ] && command -v unshare >/dev/null; then
	BENCH_UNSHARED=1 exec unshare -m --propagation private \
		sh "$0" "$@"
fi
TMP=$(mktemp -d)
tool_pid= stats_pid=
cleanup() {
	[ -n "$tool_pid" ] && kill -KILL "$tool_pid" 2>/dev/null
	[ -n "$stats_pid" ] && kill -TERM "$stats_pid" 2>/dev/null
	command -v teardown >/dev/null 2>&1 && teardown
	rmdir "$EMPTY_CG" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RUNS=$TMP/runs PROGS=$TMP/progs STARTUP=$TMP/startup
# A kernel-type cache of our own: other users of the machine running
# other builds of the tools would evict the shared one's files under us.
export CT_BTF_CACHE_DIR="$TMP/btf-cache"
: >"$RUNS"
: >"$PROGS"
: >"$STARTUP"

# --- setup -----------------------------------------------------------------

[ -d /sys/kernel/tracing/events ] ||
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

# Debian's libbpf-tools, unpacked, never installed (its names clash).
get_peers() {
	[ -d "$PEERS" ] || sh "$ROOT/bench/peers.sh" "$B/peers"
}

# An empty cgroup v2 directory: -c with it rejects every event in the kernel.
EMPTY_CG=
for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
	[ -f "$d/cgroup.procs" ] && grep -q " $d cgroup2 " /proc/mounts &&
		EMPTY_CG=$d/ct-bench-empty.$$ && break
done
[ -n "$EMPTY_CG" ] && mkdir -p "$EMPTY_CG"

# The kernel's per-program run time, held on for the whole run.
start_stats() {
	# Made before: the loop below may look before the child opens it.
	: >"$TMP/stats.out"
	"$B/bpfstats" hold >"$TMP/stats.out" 2>&1 &
	stats_pid=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q READY "$TMP/stats.out"; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q READY "$TMP/stats.out" ||
		say "no BPF run-time statistics: $(cat "$TMP/stats.out")"
}

# --- specs -----------------------------------------------------------------

# Every variable a spec may set, reset before each (bench/tools/README).
spec_reset() {
	desc= unit=event load= count=0 quick=0 match= floor= ct= reject=
	essential= essential_args= variants=
	formats= jobs= peer= peer_why= peer_fails= bpftrace= bt_ready=
	startup_args= startup_more=
	unset -f setup teardown run_load essential_what 2>/dev/null
}

load_spec() {
	spec_reset
	tool=$1
	. "$SPECS/$tool.sh"
	[ -n "$QUICK" ] && [ "$quick" -gt 0 ] && count=$quick
	[ -n "$GUEST" ] && [ "$count" -gt 0 ] && count=$(((count + 9) / 10))
	return 0
}

# --- configurations --------------------------------------------------------

cfgs() {
	if [ -n "$GUEST" ]; then
		echo ct
		[ -n "$peer" ] && echo peer
		return
	fi
	echo untraced
	[ -n "$floor" ] && echo floor
	for e in $essential; do
		echo "ess_$e"
	done
	echo ct
	[ -n "$reject" ] && echo reject
	for v in $variants; do
		echo "v_${v%%=*}"
	done
	for f in $formats; do
		echo "${f#--}"
	done
	if [ -n "$jobs" ]; then
		echo jobs
		for f in $formats; do
			echo "jobs$f"
		done
	fi
	[ -n "$bpftrace" ] && command -v bpftrace >/dev/null && echo bpftrace
	[ -n "$peer" ] && echo peer
}

# Is configuration $1 a floor: no tool, nothing printed?
is_floor() {
	case $1 in
	untraced | floor | ess_*) return 0 ;;
	esac
	return 1
}

# The arguments of variant $1 (variants: NAME=ARG ...).
variant_args() {
	for v in $variants; do
		[ "${v%%=*}" = "$1" ] && echo "${v#*=}"
	done
}

# Can configuration $1 run here? The peer may fail to attach (peer_fails).
runnable() {
	case $1 in
	peer) [ -z "$peer_fails" ] && [ -x "$PEERS/${peer%% *}" ] ;;
	*) return 0 ;;
	esac
}

label() {
	case $1 in
	untraced) echo "untraced" ;;
	floor) echo "floor: empty programs on the same hooks" ;;
	ess_*) echo "essential ${1#ess_}: $(essential_what "${1#ess_}")" ;;
	v_*) echo "coretrace $tool${ct:+ $ct} $(variant_args "${1#v_}")" ;;
	ct) echo "coretrace $tool${ct:+ $ct}" ;;
	reject) echo "coretrace $tool $(echo "$reject" |
		sed 's|@EMPTY_CG@|EMPTY|') (rejects all)" ;;
	jobs*) f=${1#jobs}
		echo "coretrace $tool${ct:+ $ct}${f:+ $f}, the load in $jobs" \
			"processes" ;;
	bpftrace) echo "bpftrace one-liner" ;;
	peer) echo "libbpf-tools $peer" ;;
	*) echo "coretrace $tool${ct:+ $ct} --$1" ;;
	esac
}

reject_args() {
	echo "$reject" | sed "s|@EMPTY_CG@|$EMPTY_CG|g"
}

# Start configuration $1 in the background, output to $2 and $3.
start_tool() {
	case $1 in
	floor) set -- "$1" "$2" "$3" "$B/floor" $floor ;;
	ess_*) set -- "$1" "$2" "$3" "$B/floor" -p "${1#ess_}" \
		$essential_args $floor ;;
	v_*) set -- "$1" "$2" "$3" "$BIN/$tool" -v $ct \
		$(variant_args "${1#v_}") ;;
	ct | jobs) set -- "$1" "$2" "$3" "$BIN/$tool" -v $ct ;;
	jobs--*) set -- "$1" "$2" "$3" "$BIN/$tool" -v $ct "${1#jobs}" ;;
	reject) set -- "$1" "$2" "$3" "$BIN/$tool" -v $ct $(reject_args) ;;
	bpftrace) set -- "$1" "$2" "$3" bpftrace -e "$bpftrace" ;;
	peer) set -- "$1" "$2" "$3" "$PEERS/"$peer ;;
	*) set -- "$1" "$2" "$3" "$BIN/$tool" -v $ct "--$1" ;;
	esac
	out=$2 err=$3
	shift 3
	"$@" >"$out" 2>"$err" &
	tool_pid=$!
}

# Attached = the process holds BPF programs on perf events or raw
# tracepoints, and their number has stopped growing.
attached_count() {
	# bpftool perf show lists tracepoint, kprobe and uprobe attachments,
	# not programs on sampling perf events (profile, bpftrace's profile:):
	# count those events, one per CPU, open.
	t=$(bpftool perf show 2>/dev/null | grep -c "^pid $1 ")
	# fentry, fexit and tp_btf programs hold a BPF link each.
	p=$(for f in /proc/"$1"/fd/*; do readlink "$f"; done 2>/dev/null |
		grep -c '^anon_inode:\(\[perf_event\]\|bpf_link\)$')
	echo $((t + p))
}

wait_attached() {
	prev=0 i=0
	while [ $i -lt $((${2:-300} * WAIT_SCALE)) ]; do
		kill -0 "$1" 2>/dev/null || return 1
		progs=$(attached_count "$1")
		[ "$progs" -gt 0 ] && [ "$progs" = "$prev" ] && return 0
		prev=$progs
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

stop_tool() {
	kill -INT "$tool_pid" 2>/dev/null
	wait "$tool_pid" 2>/dev/null
	tool_pid=
}

# Does the peer attach here? If not, keep its last error line.
probe_peer() {
	[ -n "$peer" ] && [ -x "$PEERS/${peer%% *}" ] || return 0
	start_tool peer "$TMP/out" "$TMP/err"
	if ! wait_attached "$tool_pid" 100; then
		kill -KILL "$tool_pid" 2>/dev/null
		wait "$tool_pid" 2>/dev/null
		peer_fails=$(grep -v '^$' "$TMP/err" | tail -1 | cut -c1-120)
		peer_fails=${peer_fails:-attached nothing in 10 s}
		[ -n "$peer_why" ] && peer_fails="$peer_fails ($peer_why)"
		say "$tool: libbpf-tools $peer fails here: $peer_fails"
	fi
	[ -n "$tool_pid" ] && stop_tool
	tool_pid=
}

# --- one run ---------------------------------------------------------------

# Lines of the workload's events. The pattern is read from a file: in
# grep's argv it would itself be an event for some tools.
count_lines() {
	grep -c -F -f "$TMP/pattern" "$1"
}

# Let the consumer catch up: until the workload's lines stop coming.
wait_drained() {
	if [ -z "$match" ]; then
		sleep 0.2
		return
	fi
	prev=-1 i=0
	while [ $i -lt 150 ]; do
		seen=$(count_lines "$1")
		[ "$seen" = "$prev" ] && return 0
		prev=$seen
		sleep 0.2
		i=$((i + 1))
	done
}

# "VmHWM VmRSS cpu_seconds" of a process.
proc_usage() {
	hz=$(getconf CLK_TCK 2>/dev/null) || hz=100
	awk '/^VmHWM:/ { h = $2 } /^VmRSS:/ { r = $2 }
		END { printf "%s %s ", h, r }' "/proc/$1/status"
	awk -v hz="$hz" '{ sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' \
		"/proc/$1/stat"
}

# Events the tool says it lost (coretrace -v: "... received, N lost").
lost_count() {
	cat "$2" "$3" | case $1 in
	untraced | floor | ess_*) echo - ;;
	bpftrace | peer)
		sed -n 's/.*[Ll]ost \([0-9][0-9]*\) events.*/\1/p' |
			awk '{ s += $1 } END { print s + 0 }' ;;
	*) sed -n 's/.* received, \([0-9]*\) lost$/\1/p' | tail -1 ;;
	esac
}

# Seconds, fractional.
now() {
	t=$(date +%s.%N)
	# busybox's date (a guest's) has no %N.
	case $t in
	*N) cut -d' ' -f1 /proc/uptime ;;
	*) echo "$t" ;;
	esac
}

# The workload: $count (or $2) operations at rate $1 (0: unpaced). Prints
# the seconds it took: its own measure ("N OPS in SECS s"), else ours.
workload() {
	rate=$1 n=$2
	t0=$(now)
	if command -v run_load >/dev/null 2>&1; then
		run_load "$n" >"$TMP/load.out" 2>&1
	else
		set -- $load
		prog=$1
		shift
		case $cfg in
		jobs*) set -- -j "$jobs" "$@" ;;
		esac
		if [ "$rate" -gt 0 ]; then
			set -- "$B/$prog" -r "$rate" "$@" "$n"
		else
			set -- "$B/$prog" "$@" "$n"
		fi
		"$@" >"$TMP/load.out" 2>&1
	fi || say "$tool: workload failed: $(head -c 200 "$TMP/load.out")"
	t1=$(now)
	awk -v t0="$t0" -v t1="$t1" '$3 == "in" && $5 == "s:" { s = $4 }
		END { printf "%.6f\n", s ? s : t1 - t0 }' "$TMP/load.out"
}

# run_one CFG REP [RATE]: one workload run; appends to $RUNS
#   tool cfg rep rate secs generated printed lost hwm rss cpu kernel_ns
# and the tool's programs to $PROGS: tool cfg rep name run_cnt run_ns
run_one() {
	cfg=$1 rep=$2 rate=${3:-0}
	n=$count
	[ "$rate" -gt 0 ] && n=$((rate * LADDER_SECS))
	out=$TMP/out err=$TMP/err
	: >"$out"
	: >"$err"
	printf '%s\n' "${match:-ct-bench-nothing}" >"$TMP/pattern"
	if [ "$cfg" != untraced ]; then
		start_tool "$cfg" "$out" "$err"
		if ! wait_attached "$tool_pid"; then
			say "$tool/$cfg did not attach: $(head -c 300 "$err")"
			kill -KILL "$tool_pid" 2>/dev/null
			wait "$tool_pid" 2>/dev/null
			tool_pid=
			return 1
		fi
		"$B/bpfstats" "$tool_pid" >"$TMP/before"
	fi
	secs=$(workload "$rate" "$n")
	usage="- - -" printed=- lost=- kns=-
	if [ -n "$tool_pid" ]; then
		wait_drained "$out"
		usage=$(proc_usage "$tool_pid")
		"$B/bpfstats" "$tool_pid" >"$TMP/after"
		stop_tool
		kns=$(prog_delta "$cfg" "$rep" "$rate")
		[ -n "$match" ] && ! is_floor "$cfg" &&
			printed=$(count_lines "$out")
		lost=$(lost_count "$cfg" "$err" "$out")
	fi
	echo "$tool $cfg $rep $rate $secs $n $printed ${lost:--} $usage $kns" \
		>>"$RUNS"
}

# Each program's runs and run time during the workload, to $PROGS; prints
# their total run time.
prog_delta() {
	awk -v t="$tool" -v c="$1" -v r="$2" -v rate="$3" -v progs="$PROGS" '
		NR == FNR { cnt[$1] -= $2; ns[$1] -= $3; next }
		{ cnt[$1] += $2; ns[$1] += $3 }
		END {
			for (p in cnt) {
				total += ns[p]
				if (rate == 0)
					print t, c, r, p, cnt[p], ns[p] >>progs
			}
			print total + 0
		}' "$TMP/before" "$TMP/after"
}

# --- statistics ------------------------------------------------------------

median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# field CFG COLUMN [RATE]: the column of every run of this tool and CFG.
field() {
	awk -v t="$tool" -v c="$1" -v k="$2" -v r="${3:-0}" \
		'$1 == t && $2 == c && $4 == r && $k != "-" { print $k }' "$RUNS"
}

med() {
	field "$@" | median
}

sum() {
	field "$@" | awk '{ s += $1 } END { print s + 0 }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "nan" || b == "nan" || a == "" || b == "" || b == 0)
			print "n/a";
		else printf "%.2f×", a / b }'
}

kb_to_mb() {
	awk -v k="$1" 'BEGIN { if (k == "nan" || k == "") print "n/a";
		else printf "%.1f MB", k / 1024 }'
}

# Median kernel ns per workload event of CFG.
kernel_ns() {
	awk -v t="$tool" -v c="$1" '$1 == t && $2 == c && $4 == 0 &&
		$12 != "-" { print $12 / $6 }' "$RUNS" | median |
		awk '{ if ($1 == "nan") print "n/a"; else printf "%.0f", $1 }'
}

# Per program of CFG: median ns per run and runs per workload event, the
# costliest first: "name 290 ns ×1.00, ...".
prog_table() {
	awk -v t="$tool" -v c="$1" -v n="$count" '$1 == t && $2 == c && $5 > 0 {
		print $4, ($6 / $5), ($5 / n), $6 }' "$PROGS" |
		sort -k1,1 -k4,4g | awk '
		function flush() {
			if (name == "") return
			m = int((k + 1) / 2)
			printf "%s %.0f %.2f %.0f\n", name, ns[m], runs[m], tot[m]
		}
		$1 != name { flush(); name = $1; k = 0 }
		{ k++; ns[k] = $2; runs[k] = $3; tot[k] = $4 }
		END { flush() }' | awk '$3 >= 0.01' | sort -k4,4gr | head -4 |
		awk '{ printf "%s%s %s ns ×%s", (NR > 1 ? ", " : ""), $1, $2, $3 }'
}

lossless() {
	awk -v t="$tool" -v c="$1" -v r="$2" '$1 == t && $2 == c && $4 == r {
		if ($7 != $6 || ($8 != "-" && $8 != 0)) bad = 1; n++ }
		END { exit !(n && !bad) }' "$RUNS"
}

silent() {
	awk -v t="$tool" -v c="$1" '$1 == t && $2 == c && $4 == 0 {
		d = $6 - $7 - ($8 == "-" ? 0 : $8); if (d > 0) s += d }
		END { print s + 0 }' "$RUNS"
}

# The highest paced rate with every event printed and none lost, trying
# fractions of the full rate the workload reached under CFG.
max_rate() {
	if lossless "$1" 0; then
		echo "full rate"
		return
	fi
	if [ -z "$load" ]; then
		echo "lost at full rate"
		return
	fi
	full=$(med "$1" 5 | awk -v n="$count" '{ printf "%d", n / $1 }')
	for pct in 75 50 25 10 5; do
		rate=$((full * pct / 100))
		[ "$rate" -gt 0 ] || continue
		run_one "$1" 1 "$rate" || continue
		if lossless "$1" "$rate"; then
			echo "$rate/s ($pct %)"
			return
		fi
	done
	echo "< $((full * 5 / 100))/s"
}

# --- the measurements ------------------------------------------------------

overhead() {
	for rep in $(seq "$REPS"); do
		say "$tool: round $rep of $REPS"
		for cfg in $(cfgs); do
			runnable "$cfg" && run_one "$cfg" "$rep"
		done
	done
}

startup_kinds() {
	if [ -n "$GUEST" ]; then
		echo ct
		runnable peer && [ -n "$peer" ] && echo peer
		return
	fi
	echo ct ct_cold
	[ -n "$startup_more" ] && echo ct_more
	[ -x "$SBIN/$tool" ] && echo ct_static
	[ -n "$bpftrace" ] && command -v bpftrace >/dev/null && echo bpftrace
	runnable peer && [ -n "$peer" ] && echo peer
}

startup_one() {
	case $1 in
	ct) set -- "$BIN/$tool" $startup_args ;;
	ct_cold)
		# A first run on a kernel: no cached kernel types.
		CT_BTF_CACHE_DIR= "$B/firstline" "$BIN/$tool" $startup_args \
			2>/dev/null
		return ;;
	ct_more) set -- "$BIN/$tool" $startup_args $startup_more ;;
	ct_static) set -- "$SBIN/$tool" $startup_args ;;
	bpftrace) set -- -s READY bpftrace \
		-e "BEGIN { printf(\"READY\\n\"); } $bpftrace" ;;
	peer) set -- "$PEERS/"$peer ;;
	esac
	"$B/firstline" "$@" 2>/dev/null
}

# Later runs read the kernel types the first run on a kernel cached: a
# first run before any measured, so that none is a first run (but the
# first-run row of the start-up table).
warm_cache() {
	timeout $((10 * WAIT_SCALE)) "$BIN/$tool" -d 0.1 >/dev/null 2>&1
	[ -z "$GUEST" ] && [ -x "$SBIN/$tool" ] &&
		timeout 10 "$SBIN/$tool" -d 0.1 >/dev/null 2>&1
}

startup() {
	say "$tool: start-up, $STARTS rounds"
	for rep in $(seq "$STARTS"); do
		for kind in $(startup_kinds); do
			r=$(startup_one "$kind") || continue
			echo "$tool $kind $r" >>"$STARTUP"
		done
	done
}

startup_med() {
	awk -v t="$tool" -v c="$1" -v k="$2" '$1 == t && $2 == c { print $k }' \
		"$STARTUP" | median
}

file_size() {
	[ -f "$1" ] || { echo n/a; return; }
	awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.0f KB", b / 1024 }'
}

stripped_size() {
	[ -f "$1" ] || { echo n/a; return; }
	strip -o "$TMP/stripped" "$1" 2>/dev/null || { echo n/a; return; }
	file_size "$TMP/stripped"
}

# --- the report ------------------------------------------------------------

overhead_table() {
	base=$(med untraced 5)
	fl=$(med floor 5)
	echo
	echo "Workload: $desc; $count per run. Kernel ns: the tool's BPF" \
		"programs' run time (BPF_ENABLE_STATS) over the run, per $unit" \
		"of the workload; per program, ns per run and runs per $unit" \
		"(above ×1 when the rest of the system fires the hook too)."
	echo
	echo "| configuration | wall (median) | vs untraced | vs floor | kernel ns per $unit | ns per program run (runs per $unit) | tool CPU | printed / generated | lost (tool's count) | silent |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for cfg in $(cfgs); do
		if [ "$cfg" = peer ] && [ -n "$peer_fails" ]; then
			echo "| $(label peer) | fails here: \`$peer_fails\` | | | | | | | | |"
			continue
		fi
		runnable "$cfg" || {
			echo "| $(label "$cfg") | not available | | | | | | | | |"
			continue
		}
		m=$(med "$cfg" 5)
		cpu="$(med "$cfg" 11) s" pg= lost= sil= kns= pt=
		if [ "$cfg" != untraced ]; then
			kns=$(kernel_ns "$cfg")
			pt=$(prog_table "$cfg")
		fi
		if ! is_floor "$cfg"; then
			[ -n "$match" ] &&
				pg="$(sum "$cfg" 7) / $(sum "$cfg" 6)"
			case $cfg in
			reject | v_reject*) ;;
			*) [ -n "$match" ] && sil=$(silent "$cfg") ;;
			esac
			lost=$(sum "$cfg" 8)
		fi
		[ "$cfg" = untraced ] && cpu=-
		printf '| %s | %.3f s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$(label "$cfg")" "$m" "$(ratio "$m" "$base")" \
			"$(ratio "$m" "$fl")" "$kns" "$pt" "$cpu" "$pg" "$lost" \
			"$sil"
	done
}

completeness() {
	[ -n "$match" ] || return 0
	line=
	for cfg in $(cfgs); do
		case $cfg in
		untraced | floor | ess_* | reject | v_reject*) continue ;;
		esac
		runnable "$cfg" || continue
		line="$line${line:+; }$(label "$cfg"): $(max_rate "$cfg")"
	done
	echo
	echo "Highest rate with every event printed and none lost (full rate =" \
		"every unpaced run above; else paced runs of ${LADDER_SECS} s at" \
		"fractions of it): $line."
}

startup_table() {
	echo
	echo "Start-up: fork+exec to the first line on a pseudo-terminal" \
		"(bpftrace: a BEGIN printf), median of $STARTS; coretrace with" \
		"the kernel types its first run cached (a cache of the" \
		"benchmark's own), except on the first-run row. Peak RSS idle:" \
		"VmHWM of those runs. Under load: VmHWM and VmRSS at the end of" \
		"the workload in the runs above (coretrace: capture all)." \
		"Exit: from SIGINT (after the first line) to the exit, what" \
		"a user waits for the prompt after Ctrl-C."
	echo
	echo "| program | start-up | vs libbpf-tools | peak RSS idle | peak RSS under load | steady RSS under load | exit | binary | stripped |"
	echo "|---|---|---|---|---|---|---|---|---|"
	peer_ms=$(startup_med peer 3)
	for kind in $(startup_kinds); do
		case $kind in
		ct) name="coretrace $tool"; bin=$BIN/$tool; load_cfg=ct ;;
		ct_cold) name="coretrace $tool, first run on a kernel"
			bin=$BIN/$tool; load_cfg= ;;
		ct_more) name="coretrace $tool $startup_more"
			bin=$BIN/$tool; load_cfg= ;;
		ct_static) name="coretrace $tool (STATIC=1)"
			bin=$SBIN/$tool; load_cfg= ;;
		bpftrace) name="bpftrace one-liner"
			bin=$(command -v bpftrace); load_cfg=bpftrace ;;
		peer) name="libbpf-tools $peer"; bin=$PEERS/${peer%% *}
			load_cfg=peer ;;
		esac
		ms=$(startup_med "$kind" 3)
		hwm=nan rss=nan
		if [ -n "$load_cfg" ]; then
			hwm=$(med "$load_cfg" 9)
			rss=$(med "$load_cfg" 10)
		fi
		printf '| %s | %.1f ms | %s | %s | %s | %s | %.0f ms | %s | %s |\n' \
			"$name" "$ms" "$(ratio "$ms" "$peer_ms")" \
			"$(kb_to_mb "$(startup_med "$kind" 4)")" \
			"$(kb_to_mb "$hwm")" "$(kb_to_mb "$rss")" \
			"$(startup_med "$kind" 5)" \
			"$(file_size "$bin")" "$(stripped_size "$bin")"
	done
	if [ -n "$peer_fails" ]; then
		echo "| libbpf-tools $peer | fails here: \`$peer_fails\` | | | | | | | |"
	fi
}

# BENCH_GUEST: one line for bench/kernels.sh, fields split by "|": tool,
# unit, start-up ms of coretrace and of libbpf-tools, their peak RSS idle,
# peak and steady RSS under load (kB), kernel ns per unit, coretrace's
# path (its -v lines saying which hooks it uses), libbpf-tools' failure.
guest_row() {
	pm=nan ph=nan pl=nan pr=nan pk=n/a
	if [ -z "$peer" ]; then
		pk="no peer"
	elif [ -z "$peer_fails" ]; then
		pm=$(startup_med peer 3) ph=$(startup_med peer 4)
		pl=$(med peer 9) pr=$(med peer 10) pk=$(kernel_ns peer)
	fi
	printf 'bench-guest-row: %s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' \
		"$tool" "$unit" "$(startup_med ct 3)" "$pm" \
		"$(startup_med ct 4)" "$ph" "$(med ct 9)" "$(med ct 10)" \
		"$pl" "$pr" "$(kernel_ns ct)" "$pk" "$ct_path" "$peer_fails"
	# Per program, for a closer look in the console's log.
	for cfg in $(cfgs); do
		runnable "$cfg" || continue
		echo "bench-guest-progs: $tool $cfg: $(prog_table "$cfg")"
	done
}

# BENCH_STRACE=1 with BENCH_GUEST: where a start goes. Each kind's start
# once under strace -f -ttt -T (firstline as for start-up: strace slows
# every syscall, so syscall-heavy steps weigh more than they do without),
# digested in one "bench-guest-strace: TOOL KIND: ..." line: exec to its
# first write to the terminal, in steps: to its first bpf() call (loader,
# libraries, files read), to the end of its last program load (and the
# longest load: verification), to the end of its last attach, to the
# first write; and the files it kept open longest before that write
# (open to close).
# The digest's awk program (a file: a guest has no /dev/stdin).
strace_digest_awk() {
	cat >"$TMP/strace.awk" <<-'EOF'
	function ms(a, b) { return sprintf("%.1f", (b - a) * 1000) }
	$3 ~ /^execve\(/ && $0 !~ /firstline/ && !pid { pid = $1 }
	!pid || $1 != pid || first { next }
	{
		ts = $2 + 0
		end = ts
		if (match($NF, /^<[0-9.]+>$/))
			end += substr($NF, 2, length($NF) - 2)
		if (!start) start = ts
	}
	$3 ~ /^bpf\(/ && !bpf { bpf = ts }
	/BPF_PROG_LOAD/ {
		loaded = end
		if (end - ts > verify) verify = end - ts
	}
	/^[0-9]+ +[0-9.]+ (perf_event_open|ioctl\(.*PERF_EVENT_IOC_SET_BPF)/ ||
	/BPF_LINK_CREATE|BPF_RAW_TRACEPOINT_OPEN/ { attached = end }
	$3 ~ /^(open|openat)\(/ && match($0, /"[^"]*"/) {
		f = substr($0, RSTART + 1, RLENGTH - 2)
		if (match($0, /= [0-9]+ </)) {
			fd = substr($0, RSTART + 2, RLENGTH - 4) + 0
			name[fd] = f; opened[fd] = ts
		}
	}
	$3 ~ /^close\([0-9]+\)/ {
		fd = substr($3, 7) + 0
		if (fd in name) {
			open_ms[name[fd]] += end - opened[fd]
			delete name[fd]
		}
	}
	$3 ~ /^write\(1,/ { first = ts }
	END {
		if (!attached) attached = loaded
		if (!first) {
			print "bench-guest-strace: " t ": no first write"
			exit
		}
		line = "exec to first write " ms(start, first) " ms: to the" \
			" first bpf() " ms(start, bpf) ", loads to " \
			ms(start, loaded) " (the longest program load " \
			ms(0, verify) "), attaches to " ms(start, attached)
		sep = "; files open longest:"
		for (k = 0; k < 3; k++) {
			m = ""
			for (f in open_ms)
				if (m == "" || open_ms[f] > open_ms[m]) m = f
			if (m == "" || open_ms[m] < 0.002) break
			line = line sep " " m " " ms(0, open_ms[m])
			sep = ","
			delete open_ms[m]
		}
		print "bench-guest-strace: " t ": " line
	}
	EOF
}

strace_starts() {
	strace_digest_awk
	for kind in $(startup_kinds); do
		case $kind in
		ct) set -- "$BIN/$tool" $startup_args ;;
		peer) set -- "$PEERS/"$peer ;;
		esac
		strace -f -ttt -T -s 40 -o "$TMP/strace" "$B/firstline" "$@" \
			>/dev/null 2>&1
		awk -v t="$tool $kind" -f "$TMP/strace.awk" "$TMP/strace"
	done
}

# The hooks coretrace's tool took here, from its -v lines.
tool_path() {
	timeout $((10 * WAIT_SCALE)) "$BIN/$tool" -v -d 0.1 2>&1 >/dev/null |
		grep ': using \|: no ' | grep -v ': events: ' | cut -d: -f2- |
		tr '|\n' '/;' | cut -c1-300
}

# One row of the summary table, kept in the section as a comment.
summary_row() {
	peer_kns=n/a peer_ms=nan peer_rss=nan
	if [ -n "$peer_fails" ]; then
		peer_kns="fails here"
	elif runnable peer && [ -n "$peer" ]; then
		peer_kns=$(kernel_ns peer)
		peer_ms=$(startup_med peer 3)
		peer_rss=$(med peer 10)
	fi
	rej=n/a
	[ -n "$reject" ] && rej=$(kernel_ns reject)
	fmt=
	for f in $formats; do
		fmt="$fmt${fmt:+, }${f#--} $(kernel_ns "${f#--}")"
	done
	ms=$(startup_med ct 3)
	rss=$(med ct 10)
	printf '<!-- row | %s | %s | %s | %s | %s | %s | %s | %.1f ms (%s) | %s (%s) | -->\n' \
		"$tool" "$unit" "$(kernel_ns floor)" "$(kernel_ns ct)" "$rej" \
		"${fmt:-n/a}" "$peer_kns" "$ms" "$(ratio "$ms" "$peer_ms")" \
		"$(kb_to_mb "$rss")" "$(ratio "$rss" "$peer_rss")"
}

section() {
	echo "<!-- section $tool -->"
	echo "## $tool"
	echo
	echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), commit" \
		"$(git -C "$ROOT" describe --always --dirty 2>/dev/null);" \
		"load average $tool_load_start at start, $(cut -d' ' -f1-3 \
		/proc/loadavg) at end; medians of $REPS rounds, configurations" \
		"interleaved in each${QUICK:+; BENCH_QUICK=1}"
	if [ -n "$(field untraced 5)" ]; then
		echo "- Floor: \`floor $(echo $floor)\`"
		overhead_table
		completeness
	else
		echo
		echo "No workload: $desc."
	fi
	startup_table
	summary_row
	echo "<!-- end $tool -->"
}

machine() {
	echo "- CPU: $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)," \
		"$(nproc) CPUs; kernel $(uname -r);" \
		"$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
	echo "- Peers: bpftrace $(bpftrace --version 2>/dev/null | awk '{ print $2 }')," \
		"libbpf-tools $(ls "$B"/peers/libbpf-tools_*.deb 2>/dev/null |
			sed 's/.*libbpf-tools_\([^_]*\)_.*/\1/')" \
		"(Debian, unpacked into build/bench/peers)"
}

# RESULTS.md: the header and summary anew, then every section, the new ones
# in place of the old; anything after the marker "<!-- notes -->" is kept.
write_results() {
	old=$TMP/old all=$TMP/all
	[ -f "$RESULTS" ] && cp "$RESULTS" "$old" || : >"$old"
	cp "$old" "$all"
	for f in "$TMP"/section.*; do
		[ -f "$f" ] || continue
		t=${f##*/section.}
		awk -v t="$t" '$0 == "<!-- section " t " -->" { skip = 1 }
			!skip { print } $0 == "<!-- end " t " -->" { skip = 0 }' \
			"$all" >"$all.new" && mv "$all.new" "$all"
		cat "$f" >>"$all"
	done
	for t in $(sed -n 's/^<!-- section \(.*\) -->$/\1/p' "$all" | sort -u); do
		sed -n "/^<!-- section $t -->\$/,/^<!-- end $t -->\$/p" "$all"
		echo
	done >"$TMP/sections"
	{
		echo "# coretrace benchmarks"
		echo
		echo "Generated by \`make bench\` (bench/run.sh, one spec per tool" \
			"in bench/tools/); \`make bench BENCH_TOOLS=\"a b\"\` rewrites" \
			"those sections and keeps the others, each with its date," \
			"commit and load."
		echo
		machine
		echo
		echo "**Noise.** A 2-CPU VM shared with other work: the workload and" \
			"the tool share the two CPUs, and wall times move by 10 % or" \
			"more between runs. Kernel ns per event (BPF run-time" \
			"statistics, which add ~20 ns per program run) is the" \
			"steadier measure; a hook the rest of the system fires too" \
			"adds its runs to the tool's total."
		echo
		echo "### Summary"
		echo
		echo "Kernel ns per workload event; start-up and steady RSS under" \
			"load of coretrace, and their ratio to libbpf-tools'. Where" \
			"libbpf-tools fails here (no kprobes, no fentry), the 6.1" \
			"guest's tables below compare them (\`make bench-kernels\`)."
		echo
		echo "| tool | per | floor | capture all | reject all | other formats | libbpf-tools | start-up | RSS under load |"
		echo "|---|---|---|---|---|---|---|---|---|"
		sed -n 's/^<!-- row \(.*\) -->$/\1/p' "$TMP/sections"
		if [ -n "$unbuilt" ]; then
			echo
			echo "Specs whose tool is not built yet (skipped):$unbuilt."
		fi
		echo
		# make bench-kernels' tables (bench/kernels.sh), as they were.
		sed -n '/^<!-- guest /,/^<!-- end guest /{/^<!-- end /G;p;}' \
			"$old"
		cat "$TMP/sections"
		sed -n '/^<!-- notes -->/,$p' "$old" |
			awk '/^<!-- section / { skip = 1 } !skip { print }
				/^<!-- end / { skip = 0 }'
	} >"$RESULTS"
}

# --- main ------------------------------------------------------------------

get_peers
start_stats
unbuilt=
for t in $(ls "$SPECS" | sed -n 's/\.sh$//p'); do
	[ -x "$BIN/$t" ] || unbuilt="$unbuilt $t"
done
[ $# -gt 0 ] || set -- $(ls "$SPECS" | sed -n 's/\.sh$//p')
for t in "$@"; do
	if [ ! -f "$SPECS/$t.sh" ]; then
		say "no spec bench/tools/$t.sh"
		exit 2
	fi
	if [ ! -x "$BIN/$t" ]; then
		say "$t: not built, skipped"
		continue
	fi
	load_spec "$t"
	tool_load_start=$(cut -d' ' -f1-3 /proc/loadavg)
	command -v setup >/dev/null 2>&1 && setup
	warm_cache
	probe_peer
	if [ -n "$load" ] || command -v run_load >/dev/null 2>&1; then
		overhead
	else
		say "$tool: no workload: start-up and memory only"
	fi
	startup
	if [ -n "$GUEST" ]; then
		ct_path=$(tool_path)
		guest_row
		[ "${BENCH_STRACE:-0}" != 0 ] && command -v strace >/dev/null &&
			strace_starts
		command -v teardown >/dev/null 2>&1 && teardown
		unset -f teardown
		continue
	fi
	section >"$TMP/section.$tool"
	command -v teardown >/dev/null 2>&1 && teardown
	unset -f teardown
	say "$tool: writing $RESULTS"
	write_results
done
# The raw runs, for a closer look (bench/README.md says what is where).
mkdir -p "$B/raw" && cp "$RUNS" "$PROGS" "$STARTUP" "$B/raw/"
[ -n "$GUEST" ] || cat "$RESULTS"
