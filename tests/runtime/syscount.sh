# Runtime tests of syscount: a helper makes a known number of syscalls
# (1000 getppid, 300 openat failing with ENOENT) once syscount is attached
# to its PID, and the counts must come out exact.
. "$(dirname "$0")/lib.sh"
ct_require_root "syscount"

trig_job=

# Start "ct-trigger wait-syscalls 1000 300 $T32" (or ct-trigger $TARGS);
# sets $tpid. It waits for SIGUSR1 before making its calls, so that syscount
# can attach first.
T32=0
TARGS=
trigger_start() {
	: >"$CT_TMP/tpid"
	"$TRIGGER" ${TARGS:-wait-syscalls 1000 300 "$T32"} >"$CT_TMP/tpid" &
	trig_job=$!
	i=0
	while [ ! -s "$CT_TMP/tpid" ] && [ $i -lt 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	tpid=$(cat "$CT_TMP/tpid")
}

# Let the helper make its calls; wait until it has exited.
trigger_go() {
	kill -USR1 "$tpid"
	wait "$trig_job"
	trig_job=
}

trigger_kill() {
	[ -n "$trig_job" ] && kill "$trig_job" 2>/dev/null
	trig_job=
}

# Trace the helper with syscount ARGS... -p PID, stop once it is done.
count_helper() {
	trigger_start
	tool_start syscount "$@" -p "$tpid" && trigger_go
	trigger_kill
	tool_stop
	expect_status 0
}

# How many entry times syscount's -L map ("starts") holds: threads seen to
# enter a syscall and not yet to leave it. The tool's own map, found by its
# PID: other tools may have a map of that name.
starts_left() {
	for f in /proc/"$tool_pid"/fdinfo/*; do
		sed -n 's/^map_id:[[:space:]]*//p' "$f" 2>/dev/null
	done | sort -u | while read -r id; do
		bpftool map show id "$id" 2>/dev/null | grep -q ' name starts ' &&
			bpftool map dump id "$id" 2>/dev/null
	done | grep -c '"key"\|^key' || true
}

syscall_line() {
	printf '%-22s %10s\n' "$1" "$2"
}

# The table's rows: the lines after the column header.
table_rows() {
	sed -n '/^\(SYSCALL\|PID\) /,$p' "$out" | tail -n +2
}

expect_rows() {
	n=$(table_rows | wc -l)
	[ "$n" -eq "$1" ] || ct_fail "$n rows, expected $1"
}

ct_case "syscount: -p counts 1000 getppid and 300 openat exactly"
count_helper
expect_line "$(printf '%-22s %10s' SYSCALL COUNT)"
expect_line "$(syscall_line getppid 1000)"
expect_line "$(syscall_line openat 300)"
# exit_group never returns: counted at entry, it is not lost.
expect_line "$(syscall_line exit_group 1)"
expect_rows 3
ct_done

# The raw_syscalls tracepoints give a 32-bit program's calls their 32-bit
# numbers (getppid is 64 there, 110 in x86_64's table).
ct_case "syscount: a 32-bit program's calls are named in its own ABI"
if ! "$TRIGGER" int80 1 2>/dev/null; then
	ct_skip "this kernel runs no 32-bit system calls (no IA32 emulation)"
else
	T32=50
	count_helper
	T32=0
	expect_line "$(syscall_line getppid 1000)"
	expect_line "$(syscall_line openat 300)"
	expect_line "$(syscall_line "getppid (32-bit)" 50)"
	expect_line "$(syscall_line exit_group 1)"
	expect_rows 4
	T32=50
	count_helper --json -v
	T32=0
	expect_grep '"syscall":"getppid","nr":64,"compat":true,"count":50}'
	expect_grep '"syscall":"getppid","nr":110,"compat":false,"count":1000}'
fi
ct_done

# Where the kernel has bpf_get_current_task_btf() (5.11+), the process and
# the 32-bit mark are loads from the typed task; CT_NO_TASK_BTF=1 takes the
# helper reads of older kernels: the same counts.
ct_case "syscount: helper reads (CT_NO_TASK_BTF=1) count the same, -v says so"
T32=50
CT_NO_TASK_BTF=1 count_helper -v
T32=0
expect_grep "^syscount: kernel reads: bpf_probe_read_kernel() each: CT_NO_TASK_BTF is set\$" "$err"
expect_line "$(syscall_line getppid 1000)"
expect_line "$(syscall_line openat 300)"
if "$TRIGGER" int80 1 2>/dev/null; then
	expect_line "$(syscall_line "getppid (32-bit)" 50)"
fi
ct_done

# Numbers below 512 are counted in an array, the others in a hash map:
# both come out.
ct_case "syscount: numbers past the array's (512) are counted too"
TARGS="wait-calls 600:7 1000:3 511:5"
count_helper
TARGS=
expect_line "$(syscall_line "[600]" 7)"
expect_line "$(syscall_line "[1000]" 3)"
expect_line "$(syscall_line "[511]" 5)"
ct_done

# Numbers the build host's headers (Debian 12: Linux 6.1) do not know; the
# kernel counts them even where it has no such call (then ENOSYS).
ct_case "syscount: syscalls newer than 6.1 are named (fchmodat2, mseal)"
TARGS="wait-calls 452:40 451:30 462:20 469:10"
count_helper
expect_line "$(syscall_line fchmodat2 40)"
expect_line "$(syscall_line cachestat 30)"
expect_line "$(syscall_line mseal 20)"
expect_line "$(syscall_line file_setattr 10)"
expect_line "$(syscall_line exit_group 1)"
expect_rows 5
count_helper --json -v
TARGS=
expect_grep '"syscall":"fchmodat2","nr":452,"compat":false,"count":40}'
expect_grep '"syscall":"file_setattr","nr":469,"compat":false,"count":10}'
ct_done

ct_case "syscount: -x counts the 300 failed opens only"
count_helper -x
expect_line "$(syscall_line openat 300)"
expect_rows 1
ct_done

for e in ENOENT enoent 2; do
	ct_case "syscount: -e $e counts the 300 ENOENT opens"
	count_helper -e "$e"
	expect_line "$(syscall_line openat 300)"
	expect_rows 1
	ct_done
done

# The second names of <errno.h> are the same numbers: EWOULDBLOCK is
# EAGAIN, ENOTSUP is EOPNOTSUPP (and EDEADLOCK is EDEADLK, unit-tested).
# By syscall: the C library may meet EAGAIN too (getrandom() at start in a
# guest that has just booted).
for c in "EWOULDBLOCK eagain read 0" "ENOTSUP enotsup listen 50" \
	"ewouldblock eagain read 0"; do
	set -- $c
	ct_case "syscount: -e $1 counts the calls failing with its number"
	TARGS="$2 40"
	count_helper -e "$1"
	expect_line "$(syscall_line "$3" 40)"
	count_helper -e "$1" --json -v
	TARGS=
	expect_grep "{\"syscall\":\"$3\",\"nr\":$4,\"compat\":false,\"count\":40}"
	ct_done
done

ct_case "syscount: -e EACCES counts nothing here"
count_helper -e EACCES
expect_rows 0
ct_done

ct_case "syscount: -T 1 shows the most frequent only"
count_helper -T 1
expect_line "$(syscall_line getppid 1000)"
expect_rows 1
ct_done

ct_case "syscount: the first line says how many rows are shown"
for c in "-T 0|all" "-T 0 -P -L|by process, all by time" "-T 3|top 3" \
	"|top 10"; do
	args=${c%%|*} what=${c#*|}
	run_tool syscount -d 0.2 $args
	expect_status 0
	case $what in
	"by process"*) line="Tracing syscalls $what" ;;
	*) line="Tracing syscalls, $what" ;;
	esac
	[ "$(head -1 "$out")" = "$line... Hit Ctrl-C to end." ] ||
		ct_fail "'$args': first line '$(head -1 "$out")'"
done
ct_done

ct_case "syscount: -P counts by process"
count_helper -P
expect_line "$(printf '%-7s %-16s %10s' PID COMM COUNT)"
expect_line "$(printf '%-7s %-16s %10s' "$tpid" ct-trigger 1301)"
expect_rows 1
ct_done

ct_case "syscount: -L adds total time, counted at return"
count_helper -L
expect_line "$(printf '%-22s %10s %14s' SYSCALL COUNT 'TIME (us)')"
expect_grep "^getppid  *1000  *[0-9][0-9]*\.[0-9][0-9][0-9]\$"
expect_grep "^openat  *300  *[0-9][0-9]*\.[0-9][0-9][0-9]\$"
# exit_group never returns, so it has no time and no count.
expect_rows 2
ct_done

ct_case "syscount: -L -m -x -P: time in ms, failures by process"
count_helper -L -m -x -P
expect_line "$(printf '%-7s %-16s %10s %14s' PID COMM COUNT 'TIME (ms)')"
expect_grep "^$tpid  *ct-trigger  *300  *[0-9][0-9]*\.[0-9][0-9][0-9]\$"
expect_rows 1
ct_done

ct_case "syscount: -L forgets a thread that exits inside exit_group"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
else
	for force in "" 1; do
		trigger_start
		CT_FORCE_TRACEPOINT=$force tool_start syscount -L -p "$tpid" &&
			trigger_go
		left=$(starts_left)
		tool_stop
		expect_status 0
		expect_grep "^getppid  *1000  *[0-9][0-9]*\.[0-9][0-9][0-9]\$"
		[ "$left" = 0 ] || ct_fail "${force:+tracepoints: }$left entries left in the starts map, expected 0"
	done
fi
ct_done

ct_case "syscount: -L times an exec from a thread under the leader's id"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
elif ! ct_make_cgroup syscount-thread; then
	ct_skip "cannot create a cgroup v2 directory"
else
	for force in "" 1; do
		CT_FORCE_TRACEPOINT=$force tool_start syscount -L -c "$cg"
		ct_in_cgroup "$cg" "$CT_BIN/tests/thread-exec" "$TRIGGER" \
			argv0 noop >/dev/null
		left=$(starts_left)
		tool_stop
		expect_status 0
		# sh's exec of thread-exec, and thread-exec's from a thread.
		expect_grep "^execve  *2  *[0-9][0-9]*\.[0-9][0-9][0-9]\$"
		[ "$left" = 0 ] || ct_fail "${force:+tracepoints: }$left entries left in the starts map, expected 0"
	done
fi
ct_done

ct_case "syscount: plain tracepoints give the same counts"
CT_FORCE_TRACEPOINT=1 count_helper -v
expect_grep "raw_syscalls: using tracepoints" "$err"
expect_line "$(syscall_line getppid 1000)"
expect_line "$(syscall_line openat 300)"
expect_rows 3
CT_FORCE_TRACEPOINT=1 count_helper -x -v
expect_line "$(syscall_line openat 300)"
expect_rows 1
ct_done

ct_case "syscount: raw tracepoints are the default here"
count_helper -v
expect_grep "raw_syscalls: using raw tracepoints" "$err"
expect_line "$(syscall_line getppid 1000)"
ct_done

ct_case "syscount: --json parses and carries the counts"
count_helper --json -v
json1=$CT_TMP/json1
cp "$out" "$json1"
count_helper --json -v -P -L
if ! have_python; then
	ct_skip "python3 is not installed: no JSON parser to check with"
else
	python3 - "$json1" "$out" "$tpid" <<'PY' || ct_fail "JSON check failed"
import json, sys
by_call, by_proc, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
objs = [json.loads(l) for l in open(by_call, encoding="utf-8")]
assert len(objs) == 1, objs
o = objs[0]
calls = {s["syscall"]: s for s in o["syscalls"]}
assert calls["getppid"]["count"] == 1000, o
assert calls["openat"]["count"] == 300, o
assert calls["exit_group"]["count"] == 1 and len(calls) == 3, o
assert all(isinstance(s["nr"], int) for s in o["syscalls"])
assert "total_ns" not in calls["getppid"] and o["not_shown"] == 0
assert o["time"].endswith("Z")
objs = [json.loads(l) for l in open(by_proc, encoding="utf-8")]
procs = objs[0]["processes"]
assert len(objs) == 1 and len(procs) == 1, objs
p = procs[0]
assert p["pid"] == pid and p["comm"] == "ct-trigger", p
assert p["count"] == 1300 and p["total_ns"] > 0, p
PY
fi
ct_done

ct_case "syscount: -i 0.3 --count 3 prints three intervals and ends"
run_tool syscount -i 0.3 --count 3 -T 2
expect_status 0
n=$(grep -c '^\[[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\]$' "$out")
[ "$n" -eq 3 ] || ct_fail "$n intervals, expected 3"
n=$(grep -c '^SYSCALL ' "$out")
[ "$n" -eq 3 ] || ct_fail "$n headers, expected 3"
ct_done

ct_case "syscount: -i resets the counts each interval"
trigger_start
tool_start syscount -i 0.5 -p "$tpid" && trigger_go
ct_sleep 1.2
trigger_kill
tool_stop
expect_status 0
# The calls may straddle two intervals: their sum is what must be exact,
# and the last interval, after the helper has gone, must have none.
sum=$(awk '$1 == "getppid" { n += $2 } END { print n + 0 }' "$out")
[ "$sum" -eq 1000 ] || ct_fail "getppid counted $sum times, expected 1000"
last=$(sed -n '/^\[/h; /^\[/!H; ${ x; p; }' "$out" | grep -c '^getppid ')
[ "$last" -eq 0 ] || ct_fail "the last interval still counts getppid"
ct_done

ct_case "syscount: --json -i --count 2: one object per interval"
run_tool syscount --json -i 0.2 --count 2
expect_status 0
n=$(wc -l <"$out")
[ "$n" -eq 2 ] || ct_fail "$n lines, expected 2"
if have_python; then
	python3 -c 'import json, sys
for l in open(sys.argv[1]): assert "syscalls" in json.loads(l)' "$out" ||
		ct_fail "not JSON"
fi
ct_done

ct_case "syscount: -c counts only the cgroup's processes"
if ! ct_make_cgroup syscount; then
	ct_skip "cannot create a cgroup v2 directory"
else
	tool_start syscount -c "$cg" -e ENOENT
	"$TRIGGER" failopen 55 >/dev/null
	ct_in_cgroup "$cg" "$TRIGGER" failopen 77 >/dev/null
	tool_stop
	expect_status 0
	expect_line "$(syscall_line openat 77)"
	expect_no_grep "^openat  *55\$"
fi
ct_done

ct_case "syscount: -d 1 ends by itself with status 0"
start=$(date +%s)
run_tool syscount -d 1
end=$(date +%s)
expect_status 0
expect_grep "^SYSCALL  *COUNT\$"
[ $((end - start)) -le 4 ] || ct_fail "took $((end - start)) s"
ct_done

ct_case "syscount: bad input gets one line and status 2"
for args in "-T abc" "-T -1" "-i 0" "-i abc" "--count 2" "-i 1 --count 0" \
	"-m" "-e ENOPE" "-e 0" "-e 5000" "-e" "-p abc" "-p 0" \
	"-c /nonexistent" "--bogus" "extra"; do
	run_tool syscount -d 3 $args
	[ "$tool_status" = 2 ] || ct_fail "'$args': status $tool_status"
	head -1 "$err" | grep -q '^syscount: ' ||
		ct_fail "'$args': first line '$(head -1 "$err")'"
	[ -s "$out" ] && ct_fail "'$args': stdout '$(head -1 "$out")'"
done
run_tool syscount --count 2
expect_grep "^syscount: --count: needs -i/--interval\$" "$err"
run_tool syscount -e ENOPE
expect_grep "^syscount: -e/--errno: unknown error 'ENOPE'" "$err"
ct_done

ct_case "syscount: SIGTERM exits 0 and leaves no BPF program"
tool_start syscount
record_bpf_ids
tool_stop TERM
expect_status 0
expect_no_bpf_left
ct_done

ct_case "syscount: text, --json and --csv of one count agree field by field"
f=syscall,nr,compat,count
trigger_start
fields_start syscount --fields=$f -p "$tpid" && trigger_go
trigger_kill
fields_stop
expect_line "$(printf '%-22s %4s %-6s %10s' getppid "$(sed -n 's/^getppid  *\([0-9]*\) .*/\1/p' "$out")" false 1000)"
expect_grep "^syscall,nr,compat,count\$" "$CT_TMP/fields.csv"
expect_grep "^getppid,[0-9]*,false,1000\$" "$CT_TMP/fields.csv"
# Last: without python3 it skips the case.
fields_agree "$f" syscall getppid
fields_agree "$f" syscall openat
ct_done

ct_case "syscount: CSV has the printout's time; -P and -L choose the fields"
count_helper --csv -P -L -m
expect_line "time,pid,comm,count,total_ns"
expect_grep "^[-0-9T:.]*Z,$tpid,ct-trigger,1300,[0-9]*\$"
count_helper -P --fields=comm,count
expect_line "$(printf '%-16s %10s' COMM COUNT)"
expect_line "$(printf '%-16s %10s' ct-trigger 1301)"
run_tool syscount -P --fields=pid,syscall
expect_usage "syscount: --fields: 'syscall' does not apply with these options"
run_tool syscount --fields=+pid
expect_usage "syscount: --fields: 'pid' does not apply with these options"
ct_done
