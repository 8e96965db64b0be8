# Shared by the runtime tests (POSIX sh, so that they also run under busybox
# in the test guest). A test file sources this, then for each case:
#
#   ct_case "execsnoop: failed exec"   name the case
#   tool_start execsnoop -x            start build/bin/execsnoop, wait until
#                                      it is attached
#   ...cause events...
#   wait_line "exact line"             optional: the line must come while
#                                      the tool runs (within 3 s)
#   tool_stop                          SIGINT; $tool_status is its exit code
#   expect_line "exact line"           the case fails unless stdout has it
#   ct_done                            record pass or fail
#
# ct_skip "reason" records a skip instead. Results go to $CT_RESULTS.
set -u
: "${CT_BIN:=$(cd "$(dirname "$0")/../../build/bin" && pwd)}"
: "${CT_RESULTS:=/dev/null}"

# What a file makes goes when it ends (ct_finish), also when a signal
# stops it: the traps are set before anything is made. A file that stops
# inside a case (a shell error, a signal) fails it, and one that never
# gets here at all misses its "end" line: tests/run.sh counts that as a
# failure too.
CT_TMP=
ct_public=
ct_cgroups=
ct_cgroup_mount=
case_done=1
ct_finish() {
	status=$?
	if [ "$case_done" != 1 ]; then
		tool_kill
		ct_result fail "the test file stopped inside this case (status $status)"
	fi
	[ -z "$ct_cgroups$ct_cgroup_mount" ] || ct_cgroups_remove
	rm -rf "$CT_TMP" "$ct_public"
	echo "end $(basename "$0")" >>"$CT_RESULTS"
}
trap ct_finish EXIT
trap 'exit 130' INT TERM
CT_TMP=$(mktemp -d)

# This run's mark, for the names of the processes a test filters on
# (-n keeps names that contain its text): two checkouts testing at once
# must not see each other's events. The PID of this file's shell, which
# no other process has while it runs, in base 36 and always 5 characters
# (PIDs stay below 2^22 < 36^5), so that one run's names never hold
# another's: a name of 15 bytes (comm's most) has 9 before ".$CT_ID".
CT_ID=$(awk -v n=$$ 'BEGIN {
	d = "0123456789abcdefghijklmnopqrstuvwxyz"
	for (i = 0; i < 5; i++) {
		s = substr(d, n % 36 + 1, 1) s
		n = int(n / 36)
	}
	print s
}')

# Programs that the tests run as user 65534 (setpriv --reuid) must be
# where that user can reach them, and where no one but root can change
# them between root's copy or check and an exec (root runs them too).
# ct_public_dir makes $ct_public for them, once a file, in /tmp: mktemp
# -d makes it root's, mode 0700, so that nothing in it can be reached
# while it is filled; then 0711: every user may pass through to a name
# the tests give, none may list or change what is in it.
ct_public_dir() {
	[ -z "$ct_public" ] || return 0
	ct_public=$(mktemp -d /tmp/ct-public.XXXXXX) || return 1
	mkdir -m 0711 "$ct_public/names" &&
		{ [ -z "${1:-}" ] || ct_copy_bin "$1"; } &&
		chmod 0711 "$ct_public" && return 0
	echo "lib.sh: $ct_public not made for other users" >&2
	return 1
}

# ct_copy_bin DIR: CT_BIN's programs into $ct_public/bin, from DIR. cp
# makes them root's, with the source's modes less the umask: write for
# group or others, if the source had it, is taken away. Files stay
# readable and executable by all (0755): they hold nothing secret, and a
# program its user cannot read runs undumpable (its /proc/PID files
# root's, no core dump), not as the tests mean to trace it. Directories
# 0711, like $ct_public.
ct_copy_bin() {
	cp -R "$1/." "$ct_public/bin" &&
		chmod -R go-w "$ct_public/bin" &&
		find "$ct_public/bin" -type d -exec chmod 0711 {} \;
}

# ct_named BASE PATH: a link to program PATH named BASE.$CT_ID (BASE of 9
# bytes at most), in $ct_public/names (see ct_public_dir: some tests run
# helpers as user 65534): $named is its path, $named_comm the name what
# it runs has (comm: the last part of the path run).
ct_named() {
	ct_public_dir || return 1
	named_comm=$1.$CT_ID
	named=$ct_public/names/$named_comm
	ln -sf "$2" "$named"
}

# Does every user have search permission on each directory above path $1?
ct_reachable() {
	d=$1
	while [ "$d" != / ] && [ "$d" != . ]; do
		d=$(dirname "$d")
		[ -n "$(find "$d" -maxdepth 0 -perm -001 2>/dev/null)" ] ||
			return 1
	done
}

# CT_BIN's programs, where every user can run them: a checkout under
# /root (mode 0700) is out of user 65534's reach. Then they run from a
# copy in $ct_public (ct_public_dir).
CT_PUBLIC_BIN=$CT_BIN
# Only a real build directory is copied (never "/" from an empty CT_BIN).
if [ "$(id -u)" -eq 0 ] && [ -x "$CT_BIN/tests/ct-trigger" ] &&
	! ct_reachable "$CT_BIN/tests/ct-trigger"; then
	ct_public_dir "$CT_BIN" && CT_PUBLIC_BIN=$ct_public/bin
fi
TRIGGER=$CT_PUBLIC_BIN/tests/ct-trigger

# The first bash of the usual places in $BASH_BIN, empty where none is.
ct_find_bash() {
	BASH_BIN=
	for b in /bin/bash /usr/bin/bash /usr/local/bin/bash; do
		if [ -x "$b" ]; then
			BASH_BIN=$b
			return 0
		fi
	done
	return 1
}

# ct_make_cgroup NAME: a new cgroup v2 directory in $cg, removed when the
# file ends; status 1 where none can be made. cgroup2 is mounted in $CT_TMP
# where it is mounted nowhere (the test guest).
ct_make_cgroup() {
	cg=
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -z "$root" ]; then
		root=$CT_TMP/cgroup2
		mkdir -p "$root"
		mount -t cgroup2 none "$root" 2>/dev/null || return 1
		ct_cgroup_mount=$root
	fi
	mkdir "$root/ct-$1-$$" 2>/dev/null || return 1
	cg=$root/ct-$1-$$
	ct_cgroups="$cg $ct_cgroups"
}

ct_cgroups_remove() {
	for d in $ct_cgroups; do
		rmdir "$d" 2>/dev/null
	done
	ct_cgroups=
	[ -z "$ct_cgroup_mount" ] || umount "$ct_cgroup_mount"
	ct_cgroup_mount=
}

# ct_in_cgroup CG COMMAND ARGS...: run COMMAND inside the cgroup CG.
ct_in_cgroup() {
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$@"
}

# A memory cgroup limited to 16 MiB: cgroup v2 where it has the memory
# controller (the test guest), else cgroup v1's (this hybrid host, whose
# v2 hierarchy has no controllers). Sets $memcg (its directory) and
# $memcg_path (the MEMCG column), and $cg, a v2 directory for -c (the
# same directory with v2's memory controller).
ct_make_memcg() {
	ct_make_cgroup "oom$1" || return 1
	parent=$(dirname "$cg")
	if grep -qw memory "$parent/cgroup.controllers" 2>/dev/null; then
		grep -qw memory "$parent/cgroup.subtree_control" ||
			echo +memory >"$parent/cgroup.subtree_control" ||
			return 1
		memcg=$cg
		echo 16M >"$memcg/memory.max" || return 1
		echo 0 >"$memcg/memory.swap.max" 2>/dev/null
	elif [ -d /sys/fs/cgroup/memory ]; then
		memcg=/sys/fs/cgroup/memory/$(basename "$cg")
		mkdir "$memcg" || return 1
		ct_cgroups="$memcg $ct_cgroups"
		echo 16M >"$memcg/memory.limit_in_bytes" || return 1
	else
		return 1
	fi
	memcg_path=/$(basename "$memcg")
}

# ct_oom_start NAME [UID [MB]]: start ct-oom NAME [UID [MB]] in $memcg (and
# $cg; neither if empty) and set $victim to its PID; it runs out of memory
# at ct_oom_go.
ct_oom_start() {
	# Not the last one's PID: the new one may not have truncated it yet.
	rm -f "$CT_TMP/oom.pid"
	sh -c 'for d in "$1" "$2"; do
			[ -z "$d" ] || echo $$ >"$d/cgroup.procs" || exit 1
		done
		shift 2
		exec "$@"' sh "$memcg" "$cg" "$CT_PUBLIC_BIN/tests/ct-oom" "$@" \
		>"$CT_TMP/oom.pid" &
	oom_pid=$!
	victim=
	i=0
	while [ -z "$victim" ] && [ $i -lt 200 ]; do
		ct_sleep 0.05
		victim=$(cat "$CT_TMP/oom.pid" 2>/dev/null)
		i=$((i + 1))
	done
	[ -n "$victim" ] || ct_fail "ct-oom did not start"
}

# ct_oom_go: let it allocate; it must die of SIGKILL.
ct_oom_go() {
	if ! kill -USR1 "$victim"; then
		# Never wait for a helper that was not told to go.
		ct_fail "ct-oom ($victim) could not be told to go"
		kill -KILL "$oom_pid" 2>/dev/null
	fi
	wait "$oom_pid"
	oom_status=$?
	[ "$oom_status" = 137 ] ||
		ct_fail "ct-oom exited with $oom_status, not killed (137)"
}
tool_pid=
tool_status=
case_name=
case_failed=
out=$CT_TMP/out
err=$CT_TMP/err

ct_is_root() {
	[ "$(id -u)" -eq 0 ]
}

# What libbpf's debug output (-vv) says when it reads the whole kernel BTF:
# "loading kernel BTF" before 1.5, "loaded kernel BTF from" since.
CT_LIBBPF_READS_BTF='load\(ing\|ed\) kernel BTF'

# Record a result line for the current case.
# Hundredths of a second since boot, without a fork (cheap under busybox
# in an emulated guest): /proc/uptime always has two decimals.
ct_uptime_cs() {
	read -r _up _ </proc/uptime 2>/dev/null || _up=0.00
	ct_now=$((${_up%.*} * 100 + 1${_up#*.} - 100))
}

ct_result() {
	echo "$1 $case_name${2:+: $2}" >>"$CT_RESULTS"
	case $1 in
	pass) echo "ok - $case_name" ;;
	fail) echo "FAIL - $case_name: $2" ;;
	skip) echo "skip - $case_name: $2" ;;
	esac
	case_done=1
	# The slow cases decide how long the kernel matrix takes: named.
	ct_uptime_cs
	_took=$((ct_now - ${case_start:-ct_now}))
	[ "$_took" -lt "${CT_SLOW_CASE_CS:-500}" ] ||
		echo "    slow: $((_took / 100)).$((_took / 10 % 10)) s"
}

ct_case() {
	[ "$case_done" = 1 ] || ct_done
	case_name=$1
	ct_uptime_cs
	case_start=$ct_now
	case_failed=
	case_done=
	: >"$out"
	: >"$err"
}

ct_fail() {
	[ -n "$case_failed" ] || case_failed=$1
}

ct_skip() {
	tool_kill
	ct_result skip "$1"
}

ct_done() {
	[ "$case_done" = 1 ] && return 0
	tool_kill
	if [ -n "$case_failed" ]; then
		ct_result fail "$case_failed"
		sed 's/^/    stdout: /' "$out" | head -20
		sed 's/^/    stderr: /' "$err" | head -20
	else
		ct_result pass
	fi
}

# Skip every case of this file unless root.
ct_require_root() {
	if ! ct_is_root; then
		ct_case "$1"
		ct_skip "runtime tests need root"
		exit 0
	fi
}

# Sleep a fraction of a second (busybox and coreutils both take decimals).
# Polling loops sleep many times a second, and under emulation (the test
# guest) each sleep(1) is a fork that costs the CPU all test files share:
# where read takes a fractional timeout (busybox sh, bash, not dash), it
# waits instead for a line that never comes, on a FIFO of our own.
ct_sleep_fifo=
if mkfifo "$CT_TMP/sleep" 2>/dev/null &&
	[ "$( (read -t 0.01 ct_x <>"$CT_TMP/sleep") 2>&1; echo $?)" != 2 ] &&
	[ -z "$( (read -t 0.01 ct_x <>"$CT_TMP/sleep") 2>&1)" ]; then
	ct_sleep_fifo=$CT_TMP/sleep
fi
ct_sleep() {
	if [ -n "$ct_sleep_fifo" ]; then
		read -t "$1" ct_x <>"$ct_sleep_fifo"
		return 0
	fi
	sleep "$1"
}

# Start a tool in the background; wait until it has attached (its header
# on stdout, or "attached" on stderr with -v), CT_READY_SECS (default 10).
# Fails the case if it exits.
tool_start() {
	name=$1
	shift
	: >"$out"
	: >"$err"
	"$CT_BIN/$name" "$@" >>"$out" 2>>"$err" &
	tool_pid=$!
	i=0
	while [ $i -lt $((${CT_READY_SECS:-10} * 20)) ]; do
		if [ -s "$out" ] || grep -q 'attached' "$err" 2>/dev/null; then
			return 0
		fi
		if ! kill -0 "$tool_pid" 2>/dev/null; then
			wait "$tool_pid"
			tool_status=$?
			tool_pid=
			ct_fail "$name exited early with $tool_status"
			return 1
		fi
		ct_sleep 0.05
		i=$((i + 1))
	done
	ct_fail "$name not ready after ${CT_READY_SECS:-10} s"
	return 1
}

# Stop the tool with a signal (default INT); sets $tool_status.
tool_stop() {
	[ -n "$tool_pid" ] || return 0
	# Let the last events reach user space before the signal.
	ct_sleep 0.3
	kill -"${1:-INT}" "$tool_pid" 2>/dev/null
	wait "$tool_pid"
	tool_status=$?
	tool_pid=
}

# Wait for a tool that ends by itself (e.g. -d); sets $tool_status.
tool_wait() {
	[ -n "$tool_pid" ] || return 0
	wait "$tool_pid"
	tool_status=$?
	tool_pid=
}

tool_kill() {
	if [ -n "$tool_pid" ]; then
		kill -KILL "$tool_pid" 2>/dev/null
		wait "$tool_pid" 2>/dev/null
		tool_pid=
	fi
}

# Is process $1 running (not gone, nor a zombie waiting for wait)?
ct_running() {
	kill -0 "$1" 2>/dev/null &&
		[ "$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' \
			/proc/"$1"/stat 2>/dev/null)" != Z ]
}

# await_out WHAT GREP-ARGS...: while the tool runs, poll stdout up to
# CT_AWAIT_SECS (3) until grep GREP-ARGS finds WHAT there: an event must be
# shown while it happens, not when the tool stops. Fails the case if the
# tool exits first or WHAT does not come. 3 s, not 1: with CPUs + 1 test
# files at once on two CPUs, one CI run saw a line come later than 1 s (a
# sigsnoop SIGCHLD); a pass waits only as long as the line takes.
await_out() {
	what=$1
	shift
	i=0
	until grep -q "$@" "$out"; do
		if ! ct_running "$tool_pid"; then
			ct_fail "the tool exited before showing $what"
			return 1
		fi
		if [ $i -ge $((${CT_AWAIT_SECS:-3} * 50)) ]; then
			ct_fail "$what not shown within ${CT_AWAIT_SECS:-3} s, the tool running"
			return 1
		fi
		ct_sleep 0.02
		i=$((i + 1))
	done
}

# wait_line "exact line": await_out for an exact line of stdout.
wait_line() {
	await_out "line '$1'" -Fx -- "$1"
}

# wait_grep REGEX: await_out for a line matching the basic regex.
wait_grep() {
	await_out "a line matching '$1'" -- "$1"
}

expect_line() {
	grep -Fxq -- "$1" "$out" || ct_fail "no line '$1'"
}

expect_no_line() {
	! grep -Fxq -- "$1" "$out" || ct_fail "unexpected line '$1'"
}

# expect_grep PATTERN [FILE]: some line matches the basic regex.
expect_grep() {
	grep -q -- "$1" "${2:-$out}" || ct_fail "nothing matches '$1' in ${2:-stdout}"
}

expect_no_grep() {
	! grep -q -- "$1" "${2:-$out}" || ct_fail "'$1' matches in ${2:-stdout}"
}

expect_status() {
	[ "$tool_status" = "$1" ] || ct_fail "exit status $tool_status, expected $1"
}

# Sum of the count column of the histogram lines in stdout.
hist_total() {
	awk '$2 == "->" && $4 == ":" { n += $5 } END { print n + 0 }' "$out"
}

# expect_total_at_least N: the histograms in stdout count at least N.
expect_total_at_least() {
	total=$(hist_total)
	[ "$total" -ge "$1" ] ||
		ct_fail "histograms count $total, expected >= $1"
}

# Run a tool to completion: run_tool NAME ARGS...; sets $tool_status.
run_tool() {
	name=$1
	shift
	"$CT_BIN/$name" "$@" >"$out" 2>"$err"
	tool_status=$?
}

# The BPF programs and maps process $1 holds, as "prog ID" / "map ID".
# One sed for all its fds: a fork per fd took longer than a -d 1 run
# lasts on a loaded machine (under ASan beside the whole suite).
bpf_ids_of() {
	sed -n 's/^prog_id:[[:space:]]*/prog /p
		s/^map_id:[[:space:]]*/map /p' /proc/"$1"/fdinfo/* 2>/dev/null |
		sort -u
}

# The helpers the running tool's program $1 calls, one a line for each
# call in its code as the kernel keeps it (dead branches gone).
ct_prog_calls() {
	bpf_ids_of "$tool_pid" | sed -n 's/^prog //p' | while read -r id; do
		bpftool prog show id "$id" 2>/dev/null | grep -q " name $1 " &&
			bpftool prog dump xlated id "$id" 2>/dev/null
	done | sed -n 's/.* call \([a-z_0-9]*\)#.*/\1/p' | sort
}

# How a tool said (its -v lines, in $err) it reads the syscalls' arguments:
# "tracepoints" (the exit tracepoints alone, the arguments from the saved
# registers), "pairs" (entry and exit), or nothing if it said neither.
# $1: its -v line's start, up to "using "; $2: the calls, as it names them.
ct_args_method() {
	if grep -Fxq "${1}using tracepoints syscalls:sys_exit_$2, arguments from the registers" "$err"
	then
		echo tracepoints
	elif grep -Fxq "${1}using tracepoints syscalls:sys_{enter,exit}_$2" \
		"$err"
	then
		echo pairs
	fi
}

# The method a tool takes here: the exits alone where the kernel has
# bpf_task_pt_regs() (5.15), else the pairs.
ct_args_method_here() {
	if [ "$(ct_kernel_helper task_pt_regs 5015)" = yes ]; then
		echo tracepoints
	else
		echo pairs
	fi
}

# The names of the running tool's BPF programs, one a line, sorted.
ct_prog_names() {
	bpf_ids_of "$tool_pid" | sed -n 's/^prog //p' | while read -r id; do
		bpftool prog show id "$id" 2>/dev/null |
			sed -n 's/.* name \([^ ]*\) .*/\1/p'
	done | sort
}

# The keys of the running tool's map $1 (as its programs use it), one a
# line, as JSON numbers or lists of bytes; needs python3.
ct_map_keys() {
	bpf_ids_of "$tool_pid" | sed -n 's/^prog //p' | while read -r id; do
		bpftool prog show id "$id" 2>/dev/null |
			sed -n 's/.*map_ids \([0-9,]*\).*/\1/p' | tr , '\n'
	done | sort -u | while read -r id; do
		bpftool map show id "$id" 2>/dev/null | grep -q " name $1 " ||
			continue
		bpftool -j map dump id "$id" 2>/dev/null | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    e = e.get("formatted", e)
    print(json.dumps(e["key"]))'
		break
	done
}

# Record the tool's BPF objects into $ids once it holds some programs:
# within 10 s (a loaded machine took over 3 s to load one), while it runs.
record_bpf_ids() {
	ids=$CT_TMP/ids
	i=0
	while [ $i -lt 200 ] && kill -0 "$tool_pid" 2>/dev/null; do
		bpf_ids_of "$tool_pid" >"$ids"
		grep -q '^prog ' "$ids" && return 0
		ct_sleep 0.05
		i=$((i + 1))
	done
	ct_fail "holds no BPF program once started"
}

# After the tool has exited: none of $ids may still exist. The kernel frees
# programs after an RCU grace period, and their maps after that: give it 3 s.
expect_no_bpf_left() {
	command -v bpftool >/dev/null 2>&1 || return 0
	i=0
	while read -r kind id; do
		while bpftool "$kind" show id "$id" >/dev/null 2>&1; do
			if [ $i -ge 60 ]; then
				ct_fail "BPF $kind $id outlived the tool"
				return
			fi
			ct_sleep 0.05
			i=$((i + 1))
		done
	done <"$ids"
}

# The max_entries of process $1's BPF maps of type $2 (the kernel's enum
# bpf_map_type: 1 hash, 9 LRU hash, 27 ring buffer), from /proc/PID/fdinfo.
map_entries() {
	for f in /proc/"$1"/fdinfo/*; do
		awk -v want="$2" '$1 == "map_type:" { t = $2 }
			$1 == "max_entries:" { n = $2 }
			END { if (t == want) print n }' "$f" 2>/dev/null
	done
}

# The slots of the tool's hash maps, one a line.
hash_slots() {
	map_entries "$1" 1
}

# The slots ct_tcp_socket_slots() gives for the TCP sockets there are now.
want_slots() {
	awk '$1 == "TCP:" { n = 4 * $9; s = 16384
		while (s < n && s < 262144) s *= 2; print s }' /proc/net/sockstat
}

# Bring the loopback interface up where it is down (the test guest boots
# so); status 1 if it stays down.
ct_loopback_up() {
	flags=$(cat /sys/class/net/lo/flags 2>/dev/null) || return 1
	[ $((flags & 1)) = 1 ] && return 0
	ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null
	flags=$(cat /sys/class/net/lo/flags)
	[ $((flags & 1)) = 1 ]
}

# The TCP tools' test files start with ct_tcp_init TOOL [BASE]: the file
# is skipped unless root with loopback up; TCP is the ct-tcp helper and
# PORT a server port from BASE (default 10000), below the ephemeral range
# (32768 up) where other tests' connections take their local ports.
ct_tcp_init() {
	ct_require_root "$1"
	if ! ct_loopback_up; then
		ct_case "$1: loopback"
		ct_skip "the loopback interface is down and could not be brought up"
		exit 0
	fi
	TCP=$CT_PUBLIC_BIN/tests/ct-tcp
	PORT=$((${2:-10000} + $$ % 10000))
}

# held_at_once N: N IPv4 loopback connections open at once (2N sockets)
# for a second, then closed; returns when all are.
held_at_once() {
	held=
	i=0
	while [ $i -lt "$1" ]; do
		"$TCP" hold 4 1 1 1 >/dev/null &
		held="$held $!"
		i=$((i + 1))
	done
	wait $held
}

# pair FAMILY N M [PORT]: a connection as ct-tcp makes it; sets $cpid and
# $spid (client, server), $sport and $cport (their ports).
pair() {
	set -- $("$TCP" pair "$@")
	cpid=$1 spid=$2 sport=$3 cport=$4
	[ -n "$cport" ] || ct_fail "ct-tcp pair failed"
}

# Does python3 exist to check JSON with a real parser?
have_python() {
	command -v python3 >/dev/null 2>&1
}

# Are the tools built with ASan (make SANITIZE=1)? Its allocator keeps
# freed memory in a quarantine, so memory tests say nothing there.
ct_sanitized() {
	grep -q __asan_init "$CT_BIN/opensnoop" 2>/dev/null
}

# The running kernel's version as one number: 6.1 -> 6001.
ct_kver() {
	set -- $(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
	echo $(($1 * 1000 + $2))
}

# Has the running kernel BPF helper bpf_$1(): yes or no. Known from its
# bpf_$1_proto in /proc/kallsyms where that lists data symbols (Debian's
# kernels), else from the version that brought it, $2 (e.g. 5017).
ct_kernel_helper() {
	if grep -q ' bpf_map_lookup_elem_proto$' /proc/kallsyms 2>/dev/null
	then
		grep -q " bpf_$1_proto\$" /proc/kallsyms
	else
		[ "$(ct_kver)" -ge "$2" ]
	fi && echo yes || echo no
}

# Has the running kernel kfunc $1 (e.g. rdonly_cast for bpf_rdonly_cast):
# yes or no. Kfuncs are functions: /proc/kallsyms lists them; where it
# cannot be read, the version that brought it, $2 (e.g. 6002).
ct_kernel_kfunc() {
	if [ -r /proc/kallsyms ] && [ -s /proc/kallsyms ]; then
		grep -q " bpf_$1\$" /proc/kallsyms
	else
		[ "$(ct_kver)" -ge "$2" ]
	fi && echo yes || echo no
}

# Set the kernel BTF id the type cache file $1 keeps for name $2 to $3, or
# with $3 @NAME to the id it keeps for NAME (python3: have_python): a file
# that lies, for robustness cases. The ids are enumerators of enums named
# ct_kernel_ids_<kind> (btf_cache.c).
ct_btf_cache_set_id() {
	python3 - "$@" <<'PY'
import struct, sys
path, name, value = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
b = bytearray(open(path, "rb").read())
_, _, _, hdr, toff, tlen, soff, slen = struct.unpack_from("<HBBIIIII", b)
types, strs = hdr + toff, hdr + soff
def s(off):
    end = b.index(0, strs + off)
    return bytes(b[strs + off:end])
# Bytes after struct btf_type (12) by kind, vlen v.
extra = {1: lambda v: 4, 2: lambda v: 0, 3: lambda v: 12,
         4: lambda v: 12 * v, 5: lambda v: 12 * v, 6: lambda v: 8 * v,
         7: lambda v: 0, 8: lambda v: 0, 9: lambda v: 0, 10: lambda v: 0,
         11: lambda v: 0, 12: lambda v: 0, 13: lambda v: 8 * v,
         14: lambda v: 4, 15: lambda v: 12 * v, 16: lambda v: 0,
         17: lambda v: 4, 18: lambda v: 0, 19: lambda v: 12 * v}
def ids():
    """Offsets of the ids the file keeps, by name."""
    at = types
    while at < types + tlen:
        name_off, info = struct.unpack_from("<II", b, at)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        if kind == 6 and s(name_off).startswith(b"ct_kernel_ids_"):
            for i in range(vlen):
                e = at + 12 + 8 * i
                yield s(struct.unpack_from("<I", b, e)[0]), e + 4
        at += 12 + extra[kind](vlen)
if value.startswith("@"):
    value = [struct.unpack_from("<i", b, e)[0] for k, e in ids()
             if k == value[1:].encode()][-1]
n = 0
for k, e in ids():
    if k == name:
        struct.pack_into("<i", b, e, int(value))
        n += 1
open(path, "wb").write(b)
sys.exit(0 if n else 1)
PY
}

# How tool $1's BPF programs read the current task: with plain loads where
# the kernel has bpf_get_current_task_btf() (5.11+), else, or with
# CT_NO_TASK_BTF=1, with bpf_probe_read_kernel(). -v says which.
task_reads_cases() {
	t=$1
	ct_case "$t: -v says how the kernel side reads the task"
	tool_start "$t" -v -n "$CT"
	tool_stop
	expect_status 0
	if [ "$(ct_kernel_helper get_current_task_btf 5011)" = yes ]; then
		expect_grep "^$t: kernel reads: plain loads from the typed task\$" "$err"
	else
		expect_grep "^$t: kernel reads: bpf_probe_read_kernel() each: no bpf_get_current_task_btf() in this kernel (5.11+)\$" "$err"
	fi
	ct_done

	ct_case "$t: CT_NO_TASK_BTF=1 reads with bpf_probe_read_kernel()"
	CT_NO_TASK_BTF=1 tool_start "$t" -v -n "$CT"
	tool_stop
	expect_status 0
	expect_grep "^$t: kernel reads: bpf_probe_read_kernel() each: CT_NO_TASK_BTF is set\$" "$err"
	ct_done
}

# busybox sh runs its own applets before searching PATH, and its setpriv
# has no --reuid: call util-linux's by path where it is installed.
if [ -x /usr/bin/setpriv ]; then
	setpriv() {
		/usr/bin/setpriv "$@"
	}
fi

# Output fields (common/columns.c): the same event in three formats.
# fields_start TOOL ARGS...: start TOOL ARGS --json and TOOL ARGS --csv
# into $CT_TMP/fields.json and $CT_TMP/fields.csv, then (tool_start) the
# text one; wait until all three are attached.
fields_start() {
	fields_tool=$1
	shift
	fields_pids=
	# The wall clock before any of the three starts (fields_agree).
	fields_t0=
	! have_python || fields_t0=$(python3 -c 'import time; print(time.time())')
	for fmt in json csv; do
		"$CT_BIN/$fields_tool" -v "--$fmt" "$@" >"$CT_TMP/fields.$fmt" \
			2>"$CT_TMP/fields.$fmt.err" &
		fields_pids="$fields_pids $!"
		i=0
		until grep -qs attached "$CT_TMP/fields.$fmt.err"; do
			[ $i -lt 200 ] || {
				ct_fail "$fields_tool --$fmt not attached"
				break
			}
			ct_sleep 0.05
			i=$((i + 1))
		done
	done
	tool_start "$fields_tool" "$@"
}

# Stop all three; the text is in $out.
fields_stop() {
	for p in $fields_pids; do
		kill -INT "$p" 2>/dev/null
		wait "$p" || ct_fail "--json/--csv instance exited with $?"
	done
	fields_pids=
	tool_stop
	fields_t1=
	! have_python || fields_t1=$(python3 -c 'import time; print(time.time())')
}

# fields_agree FIELDS NAME VALUE: the event (or table row: a JSON object's
# array of objects holds the rows) whose field NAME is VALUE, one in each
# output, has the same values in the three, field by field. Text: one column per
# field, the last taking the rest of the line; times as local HH:MM:SS,
# "err" as the negative return value, lists as words with spaces escaped,
# null as "-". CSV: the JSON values, lists as in text, null empty.
# Times are not compared with each other: each tool's program reads the
# clock itself, and a virtual CPU the host takes away between two of them
# parts them (CI: 2.28 ms between the JSON and the CSV tool's accept). Each
# lies between the wall clock before the tools start and after they stop.
fields_agree() {
	# A case already failed (or skipped) stays so.
	[ -z "$case_failed" ] && [ "$case_done" != 1 ] || return 0
	if ! have_python; then
		ct_skip "no python3 to parse JSON and CSV"
		return
	fi
	python3 - "$1" "$2" "$3" "$out" "$CT_TMP/fields.json" \
		"$CT_TMP/fields.csv" "$fields_t0" "$fields_t1" \
		>"$CT_TMP/agree" 2>&1 <<'PY' ||
import csv, datetime, json, sys
names, key, value = sys.argv[1].split(","), sys.argv[2], sys.argv[3]
t0, t1 = (datetime.datetime.fromtimestamp(float(t), datetime.timezone.utc)
          for t in sys.argv[7:9])
at = names.index(key)
def one(rows, what):
    if len(rows) != 1:
        sys.exit("%d %s lines with %s %s" % (len(rows), what, key, value))
    return rows[0]
cols = one([l.split(None, len(names) - 1)
            for l in open(sys.argv[4]).read().splitlines()[1:]
            if l.split(None, len(names) - 1)[at] == value], "text")
def rows_of(o):
    # A table tool's object holds its rows in an array of objects.
    for v in o.values():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            return v
    return [o]
js = one([r for o in map(json.loads, open(sys.argv[5])) for r in rows_of(o)
          if str(r.get(key)) == value], "JSON")
rows = list(csv.reader(open(sys.argv[6], newline="")))
if rows[0] != names:
    sys.exit("CSV header %s" % rows[0])
row = one([r for r in rows[1:] if r[at] == value], "CSV")
if list(js) != names:
    sys.exit("JSON keys %s" % list(js))
def iso(v):
    t = datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%fZ")
    return t.replace(tzinfo=datetime.timezone.utc)
def words(v):
    return " ".join(w.replace(" ", "\\x20") for w in v)
for name, t, c in zip(names, cols, row):
    v = js[name]
    if name == "time":
        # Printed in whole microseconds, rounded down.
        for what, w in (("JSON", v), ("CSV", c)):
            if not t0 - datetime.timedelta(microseconds=1) <= iso(w) <= t1:
                sys.exit("time: %s %s, not from %s to %s" %
                         (what, w, t0.isoformat(), t1.isoformat()))
        secs = range(int(t0.timestamp()), int(t1.timestamp()) + 1)
        hms = [datetime.datetime.fromtimestamp(s).strftime("%H:%M:%S")
               for s in secs]
        want_t, want_c = hms[0] if t not in hms else t, c
    elif name == "err":
        want_t, want_c = str(-v), str(v)
    elif v is None:
        want_t, want_c = "-", ""
    elif isinstance(v, bool):
        want_t = want_c = "true" if v else "false"
    elif isinstance(v, list):
        want_t = want_c = words(v)
    else:
        want_t = want_c = str(v)
    if t != want_t or c != want_c:
        sys.exit("%s: text %r, CSV %r, JSON %r" % (name, t, c, v))
PY
		ct_fail "$(head -1 "$CT_TMP/agree")"
}

# expect_fields_usage TOOL FIELD: what --fields and --csv refuse, with
# status 2 and one line: an unknown name, FIELD twice, an empty name, a
# list mixing all names and +NAME, --csv with --json.
expect_fields_usage() {
	run_tool "$1" --fields="$2",bogus
	expect_usage "$1: --fields: unknown field 'bogus' (--fields=help lists them)"
	run_tool "$1" --fields="$2,$2"
	expect_usage "$1: --fields: '$2' given twice"
	run_tool "$1" --fields="$2",
	expect_usage "$1: --fields: empty field name"
	run_tool "$1" --fields=+"$2,$2"
	expect_usage "$1: --fields: '$2': a list either names all fields or adds with +NAME"
	run_tool "$1" --csv --json
	expect_usage "$1: --json and --csv: choose one"
}

# expect_usage LINE: the tool run by run_tool exited 2 with this one line
# on stderr and nothing on stdout.
expect_usage() {
	expect_status 2
	[ -s "$out" ] && ct_fail "stdout: $(head -1 "$out")"
	[ "$(cat "$err")" = "$1" ] || ct_fail "stderr: $(cat "$err")"
}

# expect_hist_csv HEADER REGEX MIN: a histogram tool's --csv in $out: the
# header line, then records matching REGEX, each a log2 bucket
# (low,high,count last, unit,total before them); each histogram's counts
# sum to its total, and all to at least MIN.
expect_hist_csv() {
	[ "$(head -1 "$out")" = "$1" ] ||
		ct_fail "CSV header '$(head -1 "$out")'"
	tail -n +2 "$out" | grep -v -- "$2" | head -1 >"$CT_TMP/odd"
	[ -s "$CT_TMP/odd" ] && ct_fail "CSV record '$(cat "$CT_TMP/odd")'"
	tail -n +2 "$out" | awk -F, -v min="$3" '
	{
		key = $1
		for (i = 2; i <= NF - 5; i++)
			key = key "," $i
		low = $(NF - 2); high = $(NF - 1)
		if (!(low == 0 && high == 1) && high != 2 * low - 1)
			bad = bad " " low "-" high
		sum[key] += $NF; total[key] = $(NF - 3); all += $NF
	}
	END {
		for (k in sum)
			if (sum[k] != total[k])
				bad = bad " sum " sum[k] " total " total[k]
		if (all < min)
			bad = bad " counted " all
		if (bad != "")
			print bad
	}' >"$CT_TMP/bad"
	[ -s "$CT_TMP/bad" ] && ct_fail "CSV buckets:$(cat "$CT_TMP/bad")"
}
