# Runtime tests of runqlat: real run queue latency from CPU-bound helpers,
# more of them than there are CPUs, so that they wait for each other.
. "$(dirname "$0")/lib.sh"
ct_require_root "runqlat"

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
spinners=$((ncpu + 2))

# Start $spinners helpers burning CPU until spin_stop; $spin_pid is one.
# They outlast the tool's start however slow it is (an emulated guest can
# take over a second); a minute at most, should the test die first.
spin_start() {
	spin_pids=
	i=0
	while [ $i -lt $spinners ]; do
		"$TRIGGER" spin 60 &
		spin_pids="$spin_pids $!"
		i=$((i + 1))
	done
	spin_pid=$!
	# Named ct-trigger once it has exec'd: a wait in the run queue before
	# that (a busy host) is the forked shell's, and names its histogram.
	for p in $spin_pids; do
		i=0
		while [ "$(cat /proc/"$p"/comm 2>/dev/null)" != ct-trigger ] &&
			[ $i -lt 100 ]; do
			sleep 0.05
			i=$((i + 1))
		done
	done
}

spin_stop() {
	for p in $spin_pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	spin_pids=
}

# The header lines of the per-key histograms (pid = ..., tid = ...).
key_lines() {
	grep -c "^$1 = " "$out" || true
}

for tp in "" raw_tp tracepoint; do
	ct_case "runqlat: non-empty histogram under CPU load${tp:+ ($tp)}"
	spin_start
	CT_FORCE_TP=$tp run_tool runqlat -v -d 1
	spin_stop
	expect_status 0
	methods='tp_btf\|raw_tp\|tracepoint'
	expect_grep "^runqlat: sched: using ${tp:-$methods}\$" "$err"
	expect_line "     usecs               : count    distribution"
	# ncpu + 2 CPU hogs for a second: a context switch every few ms at
	# least, most of them after a wait in the run queue. An emulated
	# guest ticks far less often, hence the low bound.
	expect_total_at_least 10
	ct_done

	ct_case "runqlat: -P -p shows only the helper${tp:+ ($tp)}"
	spin_start
	CT_FORCE_TP=$tp run_tool runqlat -P -p "$spin_pid" -d 1
	spin_stop
	expect_status 0
	expect_line "pid = $spin_pid ct-trigger"
	[ "$(key_lines pid)" = 1 ] || ct_fail "other processes shown"
	expect_total_at_least 1
	ct_done
done

ct_case "runqlat: -L per thread, -m in milliseconds"
spin_start
run_tool runqlat -L -m -p "$spin_pid" -d 1
spin_stop
expect_line "tid = $spin_pid ct-trigger"
[ "$(key_lines tid)" = 1 ] || ct_fail "other threads shown"
expect_line "     msecs               : count    distribution"
ct_done

ct_case "runqlat: --pidnss keys by this PID namespace"
spin_start
run_tool runqlat --pidnss -d 1
spin_stop
ns=$(readlink /proc/self/ns/pid | sed 's/.*\[\([0-9]*\)\]/\1/')
expect_line "pidns = $ns"
ct_done

ct_case "runqlat: -c keeps only tasks in the cgroup"
if ! ct_make_cgroup runqlat; then
	ct_skip "cannot create a cgroup v2 directory"
else
	spin_start
	inside=$spin_pid
	echo "$inside" >"$cg/cgroup.procs"
	run_tool runqlat -L -c "$cg" -d 1
	spin_stop
	expect_line "tid = $inside ct-trigger"
	[ "$(key_lines tid)" = 1 ] || ct_fail "tasks outside the cgroup shown"
fi
ct_done

ct_case "runqlat: --json histograms with numeric buckets"
spin_start
run_tool runqlat --json -P -p "$spin_pid" -d 1
spin_stop
expect_status 0
if have_python; then
	python3 - "$out" "$spin_pid" <<'PY' >>"$err" 2>&1 || ct_fail "bad JSON"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(objs) == 1, objs
o = objs[0]
assert o["pid"] == int(sys.argv[2]) and o["comm"] == "ct-trigger", o
assert o["unit"] == "usecs"
b = o["buckets"]
assert b and o["total"] == sum(x["count"] for x in b) > 0, o
assert all(isinstance(x[k], int) for x in b for k in ("low", "high")), b
PY
else
	expect_grep '"pid":'"$spin_pid"',"comm":"ct-trigger","unit":"usecs"'
fi
ct_done

ct_case "runqlat: INTERVAL COUNT with -T ends after COUNT intervals"
run_tool runqlat -T 0.2 3
expect_status 0
n=$(grep -c '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$out")
[ "$n" = 3 ] || ct_fail "$n intervals printed, expected 3"
ct_done

ct_case "runqlat: bad arguments exit 2 with one line"
for args in "-P -L" "0" "1 0" "1 2 3" "-p 0" "-c /nonexistent"; do
	run_tool runqlat $args
	expect_status 2
	[ "$(wc -l <"$err")" = 1 ] || ct_fail "'$args': not one line"
done
ct_done

ct_case "runqlat: --csv: a record per bucket, the key first; --fields"
spin_start
run_tool runqlat --csv -P -p "$spin_pid" -d 1
expect_status 0
expect_hist_csv "time,pid,comm,unit,total,low,high,count" \
	"^[-0-9T:.]*Z,$spin_pid,ct-trigger,usecs,[0-9]*,[0-9]*,[0-9]*,[0-9]*\$" 1
run_tool runqlat --csv -L -m --fields=comm,tid,count -p "$spin_pid" -d 0.5
spin_stop
expect_status 0
expect_line "comm,tid,count"
expect_grep "^ct-trigger,$spin_pid,[0-9]*\$"
run_tool runqlat --fields=low
expect_usage "runqlat: --fields: histograms take it with --csv only"
run_tool runqlat --csv -P --fields=tid
expect_usage "runqlat: --fields: 'tid' does not apply with these options"
ct_done
