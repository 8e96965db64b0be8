# Shared by the runtime tests (POSIX sh, so that they also run under busybox
# in the test guest). A test file sources this, then for each case:
#
#   ct_case "execsnoop: failed exec"   name the case
#   tool_start execsnoop -x            start build/bin/execsnoop, wait until
#                                      it is attached
#   ...cause events...
#   wait_line "exact line"             optional: the line must come while
#                                      the tool runs (within 1 s)
#   tool_stop                          SIGINT; $tool_status is its exit code
#   expect_line "exact line"           the case fails unless stdout has it
#   ct_done                            record pass or fail
#
# ct_skip "reason" records a skip instead. Results go to $CT_RESULTS.
set -u
: "${CT_BIN:=$(cd "$(dirname "$0")/../../build/bin" && pwd)}"
: "${CT_RESULTS:=/dev/null}"
TRIGGER=$CT_BIN/tests/ct-trigger
CT_TMP=$(mktemp -d)
# A file that stops inside a case (a shell error, a signal) fails it, and
# one that never gets here at all misses its "end" line: tests/run.sh
# counts that as a failure too.
ct_finish() {
	status=$?
	if [ "$case_done" != 1 ]; then
		tool_kill
		ct_result fail "the test file stopped inside this case (status $status)"
	fi
	rm -rf "$CT_TMP"
	echo "end $(basename "$0")" >>"$CT_RESULTS"
}
trap ct_finish EXIT
trap 'exit 130' INT TERM
tool_pid=
tool_status=
case_name=
case_failed=
case_done=1
out=$CT_TMP/out
err=$CT_TMP/err

ct_is_root() {
	[ "$(id -u)" -eq 0 ]
}

# Record a result line for the current case.
ct_result() {
	echo "$1 $case_name${2:+: $2}" >>"$CT_RESULTS"
	case $1 in
	pass) echo "ok - $case_name" ;;
	fail) echo "FAIL - $case_name: $2" ;;
	skip) echo "skip - $case_name: $2" ;;
	esac
	case_done=1
}

ct_case() {
	[ "$case_done" = 1 ] || ct_done
	case_name=$1
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
ct_sleep() {
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

# await_out WHAT GREP-ARGS...: while the tool runs, poll stdout up to about
# 1 s until grep GREP-ARGS finds WHAT there: an event must be shown while
# it happens, not when the tool stops. Fails the case if the tool exits
# first or WHAT does not come.
await_out() {
	what=$1
	shift
	i=0
	until grep -q "$@" "$out"; do
		if ! ct_running "$tool_pid"; then
			ct_fail "the tool exited before showing $what"
			return 1
		fi
		if [ $i -ge 50 ]; then
			ct_fail "$what not shown within 1 s, the tool running"
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
bpf_ids_of() {
	for f in /proc/"$1"/fdinfo/*; do
		sed -n 's/^prog_id:[[:space:]]*/prog /p
			s/^map_id:[[:space:]]*/map /p' "$f" 2>/dev/null
	done | sort -u
}

# Record the tool's BPF objects into $ids once it holds some programs.
record_bpf_ids() {
	ids=$CT_TMP/ids
	i=0
	while [ $i -lt 60 ]; do
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

# Does python3 exist to check JSON with a real parser?
have_python() {
	command -v python3 >/dev/null 2>&1
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

# busybox sh runs its own applets before searching PATH, and its setpriv
# has no --reuid: call util-linux's by path where it is installed.
if [ -x /usr/bin/setpriv ]; then
	setpriv() {
		/usr/bin/setpriv "$@"
	}
fi
