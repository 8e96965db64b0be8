# Runtime tests of oomkill: real OOM kills in a memory cgroup of 16 MiB.
. "$(dirname "$0")/lib.sh"
ct_require_root "oomkill"

nl='
'
esc=$(printf '\033')

# bg_start NAME ARGS...: oomkill -v ARGS in the background, its stdout in
# $CT_TMP/NAME and stderr in $CT_TMP/NAME.err; waits until it is attached.
bg_pids=
bg_start() {
	bg=$CT_TMP/$1
	shift
	"$CT_BIN/oomkill" -v "$@" >"$bg" 2>"$bg.err" &
	bg_pids="$bg_pids $!"
	i=0
	until grep -qs attached "$bg.err"; do
		[ $i -lt 200 ] || {
			ct_fail "oomkill $* not attached"
			break
		}
		ct_sleep 0.05
		i=$((i + 1))
	done
}

bg_stop() {
	for p in $bg_pids; do
		kill -INT "$p"
		wait "$p" || ct_fail "oomkill in the background exited with $?"
	done
	bg_pids=
}

# The text line oomkill prints, without its time: oom_line TPID TCOMM PID
# COMM UID ADJ ANON FILE SHMEM PAGES CONSTRAINT KILLED MEMCG.
oom_line() {
	printf '%-7s %-16s %-7s %-16s %-5s %5s %9s %9s %9s %9s %-10s %-6s %s\n' \
		"$@"
}

# await_victim COMM: the text line of $victim, named COMM, while it runs.
await_victim() {
	await_out "the victim $victim" -F -- "$(printf ' %-7s %-16s ' \
		"$victim" "$1")"
}

# The victim's sizes as the kernel's own message on the kill has them
# ("Killed process PID (COMM) total-vm:NkB, anon-rss:NkB, ..."): the same
# counters, read while the victim cannot change them (it is current, in
# the OOM killer). Sets $vm, $anon, $file and $shmem.
kernel_sizes() {
	kp=$1 vm=
	kb='\([0-9]*\)kB'
	i=0
	while [ -z "$vm" ] && [ $i -lt 50 ]; do
		# A comm can hold a newline: the message as one line.
		set -- $(dmesg | tr '\n' ' ' | sed -n "s/.*Killed process $kp \
([^)]*) total-vm:$kb, anon-rss:$kb, file-rss:$kb, shmem-rss:$kb.*/\1 \2 \3 \4/p")
		vm=${1:-} anon=${2:-} file=${3:-} shmem=${4:-}
		[ -n "$vm" ] || ct_sleep 0.02
		i=$((i + 1))
	done
	[ -n "$vm" ] || ct_fail "no kernel message on the kill of $kp"
}

# expect_oom_line LINE: stdout has LINE after a HH:MM:SS time.
expect_oom_line() {
	cut -c10- "$out" | grep -Fxq -- "$1" || ct_fail "no line '$1'"
	grep -F -- "$1" "$out" | cut -c1-9 |
		grep -q '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] $' ||
		ct_fail "no time in front of '$1'"
}

# The --json line of PID $1 in file $2 without "time", to compare whole
# lines.
json_of() {
	grep "\"pid\":$1," "$2" | sed 's/^{"time":"[^"]*",/{/'
}

# The page size in KiB (busybox has no getconf).
page_kb() {
	awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps
}

# PAGES: the kprobe path (-v says so) knows the limit, 16 MiB in pages
# with no swap to add; the tracepoint alone does not.
expected_pages() {
	if grep -q 'kprobe oom_kill_process' "$1"; then
		echo $((16384 / $(page_kb)))
	else
		echo -
	fi
}

# Which way the constraint is known, as /proc/kallsyms (read here, not by
# the tool at start) says it should be: the kprobe where kprobes work and
# oom_kill_process() was built, else the stack where addresses show.
ct_case "oomkill -v: the constraint's way, as /proc/kallsyms has it"
"$CT_BIN/oomkill" -v -d 0.1 >/dev/null 2>"$CT_TMP/way.err" ||
	ct_fail "oomkill -v -d 0.1 exited with $?"
if { [ -e /sys/bus/event_source/devices/kprobe/type ] ||
	[ -e /sys/kernel/tracing/kprobe_events ]; } &&
	awk '$3 == "oom_kill_process" { f = 1 } END { exit !f }' /proc/kallsyms
then
	want='kprobe oom_kill_process'
elif awk '$1 !~ /^0+$/ { f = 1; exit } END { exit !f }' /proc/kallsyms; then
	want='kernel stack (mem_cgroup_out_of_memory)'
else
	want='none (no kernel addresses)'
fi
grep -Fxq "oomkill: constraint: using $want" "$CT_TMP/way.err" ||
	ct_fail "-v does not say '$want': $(grep constraint "$CT_TMP/way.err")"
# Without the kprobe, the stack wherever any address shows (6.1's kallsyms
# starts with per-CPU symbols at 0, functions after them).
CT_NO_KPROBE=1 "$CT_BIN/oomkill" -v -d 0.1 >/dev/null 2>"$CT_TMP/way.err" ||
	ct_fail "CT_NO_KPROBE=1 oomkill -v -d 0.1 exited with $?"
if awk '$1 !~ /^0+$/ { f = 1; exit } END { exit !f }' /proc/kallsyms; then
	want='kernel stack (mem_cgroup_out_of_memory)'
else
	want='none (no kernel addresses)'
fi
grep -Fxq "oomkill: constraint: using $want" "$CT_TMP/way.err" ||
	ct_fail "CT_NO_KPROBE=1: -v does not say '$want': $(grep constraint \
"$CT_TMP/way.err")"
ct_done

ct_case "oomkill: a memcg OOM kill, exact text and --json, escaped comm"
if ! ct_make_memcg a; then
	ct_skip "no memory cgroup can be made here"
else
	name="oom${nl}x${esc}[1"
	tname='oom\nx\x1b[1'
	jname='oom\nx\u001b[1'
	ct_oom_start "$name"
	bg_start json --json
	tool_start oomkill -v
	ct_oom_go
	await_victim "$tname"
	pages=$(expected_pages "$err")
	kernel_sizes "$victim"
	line=$(oom_line "$victim" "$tname" "$victim" "$tname" 0 0 \
		"$anon" "$file" "$shmem" "$pages" memcg true "$memcg_path")
	tool_stop
	bg_stop
	expect_status 0
	expect_oom_line "$line"
	jpages=$pages
	[ "$jpages" != - ] || jpages=null
	json_of "$victim" "$CT_TMP/json" | grep -Fxq -- \
"{\"tpid\":$victim,\"tcomm\":\"$jname\",\"pid\":$victim,\"comm\":\"$jname\",\"uid\":0,\"user\":\"root\",\"oom_score_adj\":0,\"total_vm_kb\":$vm,\"anon_rss_kb\":$anon,\"file_rss_kb\":$file,\"shmem_rss_kb\":$shmem,\"totalpages\":$jpages,\"constraint\":\"memcg\",\"killed\":true,\"memcg\":\"$memcg_path\"}" ||
		ct_fail "no exact JSON line: $(json_of "$victim" "$CT_TMP/json")"
	if have_python; then
		python3 -c 'import json, sys
for l in open(sys.argv[1]): json.loads(l)' "$CT_TMP/json" ||
			ct_fail "invalid JSON"
	fi
fi
ct_done

# The kernel stack's way where kprobes work too (the guests), alone: on
# 5.10 a kretprobe on the way (the kprobe way's on oom_kill_process, in
# another oomkill) cuts the kernel stack at kretprobe_trampoline, short of
# mem_cgroup_out_of_memory().
ct_case "oomkill: CT_NO_KPROBE=1, a memcg OOM told by the kernel stack"
if ! ct_make_memcg s; then
	ct_skip "no memory cgroup can be made here"
else
	ct_oom_start ct-oom-stack
	CT_NO_KPROBE=1 tool_start oomkill -v
	ct_oom_go
	await_victim ct-oom-stack
	kernel_sizes "$victim"
	line=$(oom_line "$victim" ct-oom-stack "$victim" ct-oom-stack 0 0 \
		"$anon" "$file" "$shmem" - memcg true "$memcg_path")
	tool_stop
	expect_status 0
	grep -Fxq 'oomkill: constraint: using kernel stack (mem_cgroup_out_of_memory)' \
		"$err" || ct_fail "-v: $(grep constraint "$err")"
	expect_oom_line "$line"
fi
ct_done

ct_case "oomkill: -p, -u and -c show the victim, others' do not; --csv agrees"
if ! ct_make_memcg b || ! ct_make_cgroup oomother; then
	ct_skip "no memory cgroup can be made here"
else
	other=$cg
	ct_make_memcg c
	ct_oom_start "ct-oom-u" 65534
	# Not root: other tests may cause OOMs of root's processes meanwhile.
	bg_start reject-u -u 65533
	bg_start reject-p -p $$
	bg_start reject-c -c "$other"
	f=time,tpid,tcomm,pid,comm,uid,oom_score_adj,anon_rss_kb,file_rss_kb
	f=$f,shmem_rss_kb,totalpages,constraint,killed,memcg
	fields_start oomkill --fields=$f -p "$victim" -u 65534 -c "$cg"
	ct_oom_go
	await_victim ct-oom-u
	kernel_sizes "$victim"
	line=$(oom_line "$victim" ct-oom-u "$victim" ct-oom-u 65534 0 \
		"$anon" "$file" "$shmem" "$(expected_pages "$CT_TMP/fields.json.err")" \
		memcg true "$memcg_path")
	fields_stop
	bg_stop
	expect_oom_line "$line"
	# The guest has no python3: the filters are still checked there.
	! have_python || fields_agree "$f" pid "$victim"
	for f in u p c; do
		[ "$(wc -l <"$CT_TMP/reject-$f")" = 1 ] ||
			ct_fail "oomkill -$f showed another's victim"
		grep -q "0 events sent by the kernel" "$CT_TMP/reject-$f.err" ||
			ct_fail "oomkill -$f: its filter did not run in the kernel"
	done
fi
ct_done

ct_case "oomkill: raw tracepoint fallback, same line (CT_FORCE_TP=raw_tp)"
if ! ct_make_memcg d; then
	ct_skip "no memory cgroup can be made here"
else
	ct_oom_start ct-oom-raw
	CT_FORCE_TP=raw_tp tool_start oomkill -v
	ct_oom_go
	await_victim ct-oom-raw
	kernel_sizes "$victim"
	line=$(oom_line "$victim" ct-oom-raw "$victim" ct-oom-raw 0 0 \
		"$anon" "$file" "$shmem" "$(expected_pages "$err")" memcg true \
		"$memcg_path")
	tool_stop
	expect_oom_line "$line"
	expect_grep "victim: using raw_tp oom:mark_victim" "$err"
fi
ct_done

# A cgroup v1 freezer directory in $freezer: its frozen tasks stay until
# thawed, even when killed (cgroup v2's freezer lets SIGKILL through).
make_freezer() {
	fz=$(awk '$3 == "cgroup" && $4 ~ /(^|,)freezer(,|$)/ { print $2; exit }' \
		/proc/mounts)
	if [ -z "$fz" ]; then
		fz=$CT_TMP/freezer
		mkdir -p "$fz"
		mount -t cgroup -o freezer none "$fz" 2>/dev/null || return 1
		freezer_mount=$fz
	fi
	freezer=$fz/ct-oom-$$
	mkdir "$freezer" || return 1
	ct_cgroups="$freezer $ct_cgroups"
}

ct_case "oomkill: an exiting task is marked, not killed (KILLED false)"
freezer_mount=
if ! ct_make_memcg e; then
	ct_skip "no memory cgroup can be made here"
elif ! make_freezer; then
	ct_skip "no cgroup v1 freezer here: a killed task would exit at once"
else
	# A holds 10 MiB, frozen, killed: it is exiting but cannot exit.
	ct_oom_start ct-oom-exiting -1 10
	held=$victim held_job=$oom_pid
	echo "$held" >"$freezer/tasks"
	kill -USR1 "$held"
	i=0
	until grep -q held "$CT_TMP/oom.pid" || [ $i -ge 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	echo FROZEN >"$freezer/freezer.state"
	i=0
	until grep -q FROZEN "$freezer/freezer.state" || [ $i -ge 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	kill -KILL "$held"
	tool_start oomkill -v
	# B runs out: the OOM killer picks A, only marks it (and thaws it),
	# then kills B when A's memory was not enough.
	ct_oom_start ct-oom-b
	ct_oom_go
	wait "$held_job"
	await_victim ct-oom-b
	pages=$(expected_pages "$err")
	# No kill, no kernel message: the sizes as shown, if plausible (a
	# binary on tmpfs, as in the guest, is shared memory).
	set -- $(awk -v p="$held" '$4 == p { print $8, $9, $10; exit }' "$out")
	[ "${1:-0}" -ge 8192 ] && [ "${1:-0}" -le 12288 ] &&
		[ "${2:-9999}" -le 4096 ] && [ "${3:-9999}" -le 4096 ] ||
		ct_fail "the exiting task's sizes: ${1:-} ${2:-} ${3:-} KiB"
	line_a=$(oom_line "$victim" ct-oom-b "$held" ct-oom-exiting 0 0 \
		"${1:-}" "${2:-}" "${3:-}" "$pages" memcg false "$memcg_path")
	kernel_sizes "$victim"
	line_b=$(oom_line "$victim" ct-oom-b "$victim" ct-oom-b 0 0 \
		"$anon" "$file" "$shmem" "$pages" memcg true "$memcg_path")
	tool_stop
	echo THAWED >"$freezer/freezer.state"
	rmdir "$freezer"
	expect_oom_line "$line_a"
	expect_oom_line "$line_b"
fi
[ -z "$freezer_mount" ] || umount "$freezer_mount"
ct_done

ct_case "oomkill: a global OOM (the test guest's whole memory)"
mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
if [ -z "${CT_EXPECT_KERNEL:-}" ]; then
	ct_skip "a global OOM would starve this machine and its other users: run in the test guest only"
elif [ "$mem_kb" -gt 2097152 ]; then
	ct_skip "more than 2 GiB of memory: too long to fill"
elif ! ct_make_memcg g; then
	ct_skip "no memory cgroup can be made here"
else
	# Outside any limit; its oom_score_adj makes it the OOM killer's pick.
	memcg= cg=
	ct_oom_start ct-oom-global
	echo 1000 >"/proc/$victim/oom_score_adj"
	CT_NO_KPROBE=1 bg_start stack
	tool_start oomkill -v
	ct_oom_go
	await_victim ct-oom-global
	kernel_sizes "$victim"
	# Whoever ran out first (the kernel names it): most likely ct-oom.
	tcomm=$(dmesg | sed -n 's/^\[[^]]*\] \(.*\) invoked oom-killer:.*/\1/p' |
		tail -1)
	tpid=$(awk -v p="$victim" '$4 == p { print $2; exit }' "$out")
	swap_kb=$(awk '/^SwapTotal:/ { print $2 }' /proc/meminfo)
	pages=-
	grep -q 'kprobe oom_kill_process' "$err" &&
		pages=$(((mem_kb + swap_kb) / $(page_kb)))
	line=$(oom_line "$tpid" "$tcomm" "$victim" ct-oom-global 0 1000 \
		"$anon" "$file" "$shmem" "$pages" global true /)
	# Beside a kretprobe's cut stack (5.10, see above) global all the
	# same: this checks that the way finds its function at all.
	stack_line=$(oom_line "$tpid" "$tcomm" "$victim" ct-oom-global 0 1000 \
		"$anon" "$file" "$shmem" - global true /)
	tool_stop
	bg_stop
	expect_oom_line "$line"
	cut -c10- "$CT_TMP/stack" | grep -Fxq -- "$stack_line" ||
		ct_fail "CT_NO_KPROBE=1: no line '$stack_line'"
fi
ct_done
