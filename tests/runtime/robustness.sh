# Runtime tests of what every tool must do, whatever it traces: end cleanly
# however it is stopped, leave no BPF object behind, survive a closed or full
# stdout, refuse to run unprivileged or on bad input with one line, and cope
# with tracefs or tracepoints missing. Generic over every tool in $CT_BIN:
# a new tool is covered as soon as it is built. Cases specific to one tool
# live in that tool's own test file.
. "$(dirname "$0")/lib.sh"
ct_require_root "robustness"

# CT_TOOLS="execsnoop opensnoop" limits the run to those tools;
# CT_ROBUST_JOBS (default 3) is how many tools are tested at once.
tools=${CT_TOOLS:-$(for f in "$CT_BIN"/*; do
	[ -f "$f" ] && [ -x "$f" ] && echo "${f##*/}"
done)}

# Why a tool cannot run on this machine, if it cannot.
cannot_run() {
	case $1 in
	bashreadline)
		[ -x /bin/bash ] || echo "no /bin/bash to trace"
		;;
	esac
}

# CT_ROBUST_KERNEL_ONLY=1 (the test guests): the cases below whose code is
# all user space, the same on every kernel, are skipped; the host runs
# them. Status 0 when the current case is so skipped.
user_space_case() {
	[ "${CT_ROBUST_KERNEL_ONLY:-0}" = 1 ] || return 1
	ct_skip "user-space logic, the same on every kernel: run on the host"
}

# Arguments that make a tool print regularly without events (interval
# tools), so that a closed stdout is noticed.
periodic_args() {
	case $1 in
	runqlat | biolatency | tcprtt | tcpsynbl) echo 1 ;;
	syscount) echo "-i 1" ;;
	esac
}

# Wait up to $1 seconds for the tool to exit; sets $tool_status. Fails the
# case (and kills it) if it does not.
wait_exit() {
	i=0
	while kill -0 "$tool_pid" 2>/dev/null; do
		if [ $i -ge $(($1 * 20)) ]; then
			ct_fail "still running $1 s later"
			tool_kill
			tool_status=killed
			return 1
		fi
		ct_sleep 0.05
		i=$((i + 1))
	done
	tool_wait
}

# Exactly one line on stderr, "tool: ...", and nothing on stdout.
expect_one_line() {
	[ -s "$out" ] && ct_fail "$2: stdout not empty: $(head -1 "$out")"
	n=$(wc -l <"$err")
	[ "$n" -eq 1 ] || ct_fail "$2: $n lines on stderr"
	head -1 "$err" | grep -q "^$1: " ||
		ct_fail "$2: '$(head -1 "$err")' does not start with '$1: '"
}

# Cause events of the common kinds (exec, open, syscalls, mount, bash
# readline, TCP connections for the TCP tools, binds, listens) for $1
# seconds, or until the tool exits; with $2 = fast, no bash session.
make_events() {
	ev_end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -lt "$ev_end" ] &&
		kill -0 "$tool_pid" 2>/dev/null
	do
		# Long arguments and paths: enough output to fill a pipe.
		"$TRIGGER" exec "$TRIGGER" ct-trigger noop $long_args \
			>/dev/null
		"$TRIGGER" open /etc/hostname $long_paths >/dev/null
		"$TRIGGER" getppid 100 >/dev/null
		[ "$t" != oomkill ] || oom_event
		# Failing mount(2) calls: no mount is made.
		"$CT_BIN/tests/ct-mount" loop 100 >/dev/null
		case $t in
		tcp*) "$CT_PUBLIC_BIN/tests/ct-tcp" loop 200 >/dev/null ;;
		bindsnoop) "$CT_PUBLIC_BIN/tests/ct-tcp" bindloop 500 >/dev/null ;;
		solisten) "$CT_PUBLIC_BIN/tests/ct-tcp" listenloop 500 >/dev/null ;;
		esac
		if [ -n "$have_bash" ] && [ "${2:-}" != fast ]; then
			env PS1='ct-pty> ' HISTFILE="$CT_TMP/history" \
				TERM=dumb "$CT_BIN/tests/ct-pty" 'ct-pty> ' \
				"true$CR" "exit$CR" -- /bin/bash --norc \
				--noprofile -i >/dev/null 2>&1
		fi
	done
}

# oomkill's event: an OOM kill in a memory cgroup, made once.
oom_event() {
	[ -n "${memcg:-}" ] || ct_make_memcg robust || return 0
	ct_oom_start ct-oom-robust
	ct_oom_go
}

# The stop's grace is over once the tool has reopened its stdout
# non-blocking (O_NONBLOCK, octal 04000 in fdinfo's flags).
wait_grace_over() {
	i=0
	while [ $i -lt 250 ] && kill -0 "$tool_pid" 2>/dev/null; do
		fl=
		# No fork: the reader must start well within 0.5 s.
		while read -r k v; do
			[ "$k" = flags: ] && fl=$v
		done </proc/"$tool_pid"/fdinfo/1 2>/dev/null
		[ -n "$fl" ] && [ $((0$fl & 04000)) -ne 0 ] && return 0
		ct_sleep 0.02
		i=$((i + 1))
	done
	# Gone: its grace was over (no line was cut, none waited).
	kill -0 "$tool_pid" 2>/dev/null &&
		ct_fail "stdout not made non-blocking after the grace"
}

# A full stdout: the reader waits until the tool blocks in write(), the
# tool gets SIGINT then, and the reader drains the pipe $1: "soon" (at
# once, within the tool's grace: no line lost) or "late" (after the grace:
# a whole last line, and each line not printed counted as dropped).
full_pipe_case() {
	rm -f "$CT_TMP/fifo" "$CT_TMP/go"
	mkfifo "$CT_TMP/fifo" "$CT_TMP/go"
	# The reader is ready, and starts reading as soon as told to.
	(read -r _ <"$CT_TMP/go"; exec cat) <"$CT_TMP/fifo" >"$out" &
	reader=$!
	"$CT_BIN/$t" -v --json >"$CT_TMP/fifo" 2>"$err" &
	tool_pid=$!
	record_bpf_ids
	blocked=
	end=$(($(date +%s) + 3))
	while [ "$(date +%s)" -lt "$end" ] && [ -z "$blocked" ]; do
		make_events 1 fast
		grep -q pipe_write /proc/"$tool_pid"/wchan 2>/dev/null &&
			blocked=1
	done
	# The signal comes while the write waits.
	kill -INT "$tool_pid" 2>/dev/null
	[ "$1" = late ] && [ -n "$blocked" ] && wait_grace_over
	echo >"$CT_TMP/go"
	wait_exit 10 && expect_status 0
	wait "$reader"
	if [ -z "$blocked" ]; then
		ct_skip "its output did not fill a pipe"
		return
	fi
	[ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\n' ] ||
		ct_fail "the output does not end with a whole line"
	# Each loss report on stderr is also a loss record among the lines.
	records=$(grep -c "^$t: lost [0-9]* events" "$err")
	printed=$(($(wc -l <"$out") - records))
	received=$(sed -n 's/.* \([0-9]*\) received, .*/\1/p' "$err")
	dropped=$(sed -n "s/^$t: dropped \([0-9]*\) lines of output: .*/\1/p" \
		"$err")
	case $1 in
	soon)
		[ -z "$dropped" ] || ct_fail "dropped $dropped lines"
		[ "$printed" = "$received" ] ||
			ct_fail "$printed events printed, $received received"
		;;
	late)
		[ "${dropped:-0}" -gt 0 ] || ct_fail "no dropped line reported"
		# The lines dropped may be events or loss records.
		[ $((printed + ${dropped:-0})) = "$received" ] ||
			ct_fail "$printed printed + ${dropped:-0} dropped," \
				"$received received"
		;;
	esac
	grep -e "cannot write" -e "standard output" "$err" >"$CT_TMP/err2"
	[ -s "$CT_TMP/err2" ] && ct_fail "stderr: $(head -1 "$CT_TMP/err2")"
}

long=$(head -c 250 /dev/zero | tr '\0' a)
long_args=$(for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "$long"; done)
long_paths=$(for i in 1 2 3 4 5 6 7 8 9 10; do echo "/nonexistent/$long"; done)
have_bash=
CR=$(printf '\r')
# A bash session on the project's own pty helper: util-linux script(1) is
# not in every system (busybox in the test guest has none).
[ -x /bin/bash ] && [ -x "$CT_BIN/tests/ct-pty" ] && have_bash=1

# Each tool's cases take seconds of waiting (-d 1, signals, pipes) and
# touch nothing another tool's do: CT_ROBUST_JOBS tools at once, each in a
# run of this file of its own (CT_TOOLS=TOOL), its output shown whole.
robust_parallel() {
	for t in $tools; do
		echo "$t"
	done | CT_ROBUST_SUB=1 xargs -P "$1" -n 1 sh -c \
		'CT_TOOLS=$2 CT_RESULTS=$1/$2.results sh "$0" >"$1/$2.log" 2>&1' \
		"$0" "$CT_TMP"
	for t in $tools; do
		cat "$CT_TMP/$t.log"
		grep -v '^end ' "$CT_TMP/$t.results" >>"$CT_RESULTS"
		grep -qx "end ${0##*/}" "$CT_TMP/$t.results" && continue
		ct_case "$t: robustness"
		ct_fail "its run stopped before its end"
		ct_done
	done
}

if [ -z "${CT_ROBUST_SUB:-}" ]; then
	ct_case "robustness: leaked BPF objects can be checked"
	if ! command -v bpftool >/dev/null 2>&1; then
		ct_skip "bpftool is not installed: exits are checked, leaks are not"
	fi
	ct_done
	jobs=${CT_ROBUST_JOBS:-3}
	if [ "$jobs" -gt 1 ] && [ "$(echo $tools | wc -w)" -gt 1 ]; then
		robust_parallel "$jobs"
		exit 0
	fi
fi

for t in $tools; do
	why=$(cannot_run "$t")
	if [ -n "$why" ]; then
		ct_case "$t: robustness"
		ct_skip "$why"
		continue
	fi

	for sig in INT TERM HUP; do
		ct_case "$t: SIG$sig ends it with status 0, no BPF object left"
		if tool_start "$t" -v; then
			record_bpf_ids
			kill -"$sig" "$tool_pid"
			wait_exit 5 && expect_status 0
			expect_no_bpf_left
		fi
		ct_done
	done

	ct_case "$t: -d 1 ends it with status 0, no BPF object left"
	if tool_start "$t" -v -d 1; then
		record_bpf_ids
		wait_exit 5 && expect_status 0
		expect_no_bpf_left
	fi
	ct_done

	# libbpf's debug output (a thousand lines) would bury -v's own.
	ct_case "$t: -v says what it chose, -vv adds libbpf's debug output"
	if ! user_space_case; then
		run_tool "$t" -v -d 0.2
		expect_status 0
		expect_grep "^$t: attached [0-9]* programs\{0,1\}\$" "$err"
		expect_no_grep "^libbpf: loading object" "$err"
		run_tool "$t" -vv -d 0.2
		expect_status 0
		expect_grep "^$t: attached [0-9]* programs\{0,1\}\$" "$err"
		expect_grep "^libbpf: loading object" "$err"
	fi
	ct_done

	ct_case "$t: no BPF ring buffer (perf buffer instead): events, status 0"
	export CT_FORCE_PERFBUF=1
	if tool_start "$t" -v; then
		make_events 1 fast
		kill -INT "$tool_pid"
		wait_exit 5 && expect_status 0
		expect_no_grep "runtime error\|AddressSanitizer" "$err"
	fi
	unset CT_FORCE_PERFBUF
	ct_done

	ct_case "$t: a closed stdout (| head -1) ends it with status 0, no BPF object left"
	if ! user_space_case; then
		rm -f "$CT_TMP/fifo"
		mkfifo "$CT_TMP/fifo"
		rm -f "$CT_TMP/go"
		# head reads once the tool's BPF objects are recorded: the
		# header alone ends it.
		{
			while [ ! -e "$CT_TMP/go" ]; do ct_sleep 0.05; done
			head -1
		} <"$CT_TMP/fifo" >"$out" &
		reader=$!
		# shellcheck disable=SC2046
		"$CT_BIN/$t" $(periodic_args "$t") >"$CT_TMP/fifo" 2>"$err" &
		tool_pid=$!
		record_bpf_ids
		: >"$CT_TMP/go"
		make_events 8
		wait_exit 2 && expect_status 0
		expect_no_bpf_left
		wait "$reader"
		[ -s "$out" ] || ct_fail "head read nothing"
		# Nothing on stderr but loss reports: a tool that traces the whole
		# system may lose events of a busy one (other tests, a benchmark), or
		# find no slot for some of its stacks (stack tools).
		grep -v -e "^$t: lost [0-9]* events" \
			-e "^$t: [0-9]* stacks missed (no slot in the stack map)" \
			"$err" >"$CT_TMP/err.other"
		[ -s "$CT_TMP/err.other" ] &&
			ct_fail "stderr: $(head -1 "$CT_TMP/err.other")"
	fi
	ct_done

	ct_case "$t: a full stdout that drains within the grace loses no line"
	if ! user_space_case; then
		if [ -n "$(periodic_args "$t")" ]; then
			ct_skip "prints once a second: cannot fill a pipe in seconds"
		else
			full_pipe_case soon
		fi
	fi
	ct_done

	ct_case "$t: a full stdout that drains after the grace: whole lines, the dropped ones counted"
	if ! user_space_case; then
		if [ -n "$(periodic_args "$t")" ]; then
			ct_skip "prints once a second: cannot fill a pipe in seconds"
		else
			full_pipe_case late
		fi
	fi
	ct_done

	ct_case "$t: unprivileged, one line says what is missing, status 1"
	if ! command -v setpriv >/dev/null 2>&1; then
		ct_skip "setpriv (util-linux) is not installed"
	else
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all "$CT_BIN/$t" >"$out" 2>"$err"
		tool_status=$?
		expect_status 1
		expect_one_line "$t" "unprivileged"
		expect_grep "root" "$err"
		expect_grep "CAP_BPF" "$err"
	fi
	ct_done

	ct_case "$t: common bad input, one line naming the option, status 2"
	if ! user_space_case; then
		for args in "-d 0" "-d -1" "-d abc" "-d 1e400" "-d nan" "-d" \
			"--duration=" "--no-such-option-ct" "-d 1 unexpected_ct" \
			"--json=x"; do
			# shellcheck disable=SC2086
			run_tool "$t" $args
			expect_status 2
			expect_one_line "$t" "'$args'"
			case $args in
			*unexpected*) ;;
			-d*|--duration*)
				grep -q -e "-d" -e duration -e "'d'" "$err" ||
					ct_fail "'$args' does not name -d: $(cat "$err")"
				;;
			esac
		done
		run_tool "$t" -d ""
		expect_status 2
		expect_one_line "$t" "-d ''"
	fi
	ct_done

	ct_case "$t: no tracepoints in tracefs: runs, or one line, status 1"
	if ! command -v unshare >/dev/null 2>&1; then
		ct_skip "unshare (util-linux) is not installed"
	else
		mkdir -p "$CT_TMP/empty"
		unshare -m sh -c '
			mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
			mount --bind "$1" /sys/kernel/tracing/events || exit 99
			shift
			exec "$@"' sh "$CT_TMP/empty" "$CT_BIN/$t" -d 1 \
			>"$out" 2>"$err"
		tool_status=$?
		case $tool_status in
		0) ;;
		1) : >"$out"; expect_one_line "$t" "no tracepoints" ;;
		*) ct_fail "status $tool_status" ;;
		esac
	fi
	ct_done

	# Only a tool that attaches plain tracepoints needs tracefs (their
	# ids are there); the others leave the system's mounts as they are.
	ct_case "$t: tracefs unmounted: mounted if, and only if, it is needed"
	if ! command -v unshare >/dev/null 2>&1; then
		ct_skip "unshare (util-linux) is not installed"
	else
		# In a private mount namespace: the host keeps its tracefs.
		unshare -m sh -c '
			while grep -q " /sys/kernel/tracing " /proc/self/mounts
			do
				umount /sys/kernel/tracing || exit 99
			done
			"$@" || exit
			! grep -q " /sys/kernel/tracing tracefs " /proc/self/mounts ||
				exit 97' sh "$CT_BIN/$t" -v -d 1 >"$out" 2>"$err"
		tool_status=$?
		if grep -q "^$t: [a-z_]*: using tracepoint" "$err"; then
			expect_status 97	# mounted
			expect_grep "^$t: mounted tracefs at /sys/kernel/tracing\$" \
				"$err"
		else
			expect_status 0		# left unmounted
			expect_no_grep "mounted tracefs" "$err"
		fi
	fi
	ct_done

	ct_case "$t: tracefs unmounted, cannot mount: runs, or one line (the fix)"
	# util-linux's setpriv, not busybox's: it has no --bounding-set.
	setpriv=
	for p in /usr/bin/setpriv /bin/setpriv; do
		"$p" --help 2>&1 | grep -q bounding-set && setpriv=$p && break
	done
	if ! command -v unshare >/dev/null 2>&1 || [ -z "$setpriv" ]; then
		ct_skip "needs unshare and a setpriv with --bounding-set"
	else
		# Root with CAP_BPF and CAP_PERFMON but no CAP_SYS_ADMIN.
		unshare -m sh -c '
			while grep -q " /sys/kernel/tracing " /proc/self/mounts
			do
				umount /sys/kernel/tracing || exit 99
			done
			exec "$@"' sh "$setpriv" --bounding-set=-sys_admin \
			--inh-caps=-sys_admin "$CT_BIN/$t" -d 1 \
			>"$out" 2>"$err"
		tool_status=$?
		case $tool_status in
		0) ;;
		1)
			# Without CAP_SYS_ADMIN: tracefs, or what else it lacks.
			: >"$out"
			expect_one_line "$t" "without CAP_SYS_ADMIN"
			! grep -q tracefs "$err" ||
				expect_grep "mount -t tracefs" "$err"
			;;
		*) ct_fail "status $tool_status" ;;
		esac
	fi
	ct_done
done
