# Runtime tests of sigsnoop and killsnoop (one binary, two names): real
# signals sent every way by ct-signal, exact lines while the tool runs.
. "$(dirname "$0")/lib.sh"
ct_require_root "sigsnoop"

# The helper under this run's name (lib.sh's CT_ID), which the tools
# filter on: the same test in another checkout at once must not add its
# signals here; its segv child's name too, and -n ".$CT_ID" takes both.
ct_named ct-signal "$CT_PUBLIC_BIN/tests/ct-signal"
SIGNAL=$named
S=$named_comm
SEGV=ct-segv.$CT_ID
# No process has this PID: PIDs are below pid_max.
nopid=$(cat /proc/sys/kernel/pid_max)

# The text line: PID COMM SYSCALL SIGNAL TPID TCOMM RESULT ERR.
sig_line() {
	printf '%-7s %-16s %-17s %-11s %-7s %-16s %-15s %3s\n' "$@"
}

# The --json lines in $out without "time" and "user" (which vary).
expect_json_line() {
	sed 's/^{"time":"[^"]*",/{/; s/"user":null,//; s/"user":"[^"]*",//' \
		"$out" | grep -Fxq -- "$1" || ct_fail "no JSON line '$1'"
}

# A --json object of a call by ct-signal (uid 0): json_call SYSCALL SIG
# SIGNAL TPID TTID TCOMM CODE GROUP RESULT ERR ERRNO, strings quoted.
json_call() {
	printf '{"uid":0,"pid":%s,"tid":%s,"comm":"%s","syscall":%s,' \
		"$hpid" "$hpid" "$S" "$1"
	printf '"signal":%s,"signal_name":%s,"tpid":%s,"ttid":%s,"tcomm":%s,' \
		"$2" "$3" "$4" "$5" "$6"
	printf '"code":%s,"group":%s,"result":%s,"err":%s,"errno":%s}\n' \
		"$7" "$8" "$9" "${10}" "${11}"
}

# helper_start ARGS...: ct-signal ARGS in the background; sets $hpid (it),
# $tpid (its target) and, after helper_wait, $segv (its ct-segv child).
helper_start() {
	: >"$CT_TMP/helper"
	"$SIGNAL" -s "$SEGV" "$@" >>"$CT_TMP/helper" \
		2>"$CT_TMP/helper.err" &
	helper_job=$!
	i=0
	until [ -s "$CT_TMP/helper" ] || [ $i -ge 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	read -r hpid tpid <"$CT_TMP/helper" || ct_fail "ct-signal did not start"
}

# Tell a helper waiting ("wait") to go on, and wait for its end.
helper_go() {
	kill -USR1 "$hpid"
	helper_wait
}

helper_wait() {
	wait "$helper_job" || ct_fail "ct-signal exited with $?"
	segv=$(sed -n 2p "$CT_TMP/helper")
}

# Every kind of call, kill -0 last: its target must still exist then for
# its TCOMM (/proc), so the helper waits.
all_calls="kill 10 kill 10 tkill 12 tgkill 1 sigqueue 34 tgsigqueue 35
	pidfd 15 kill 28 kill-pid $nopid 10 kill 0 wait"

# The cases each method must pass alike, for method $1 (pairs: forced by
# CT_NO_TASK_PT_REGS=1 in the environment).
method_cases() {
	m=$1
	ct_case "sigsnoop [$m]: each syscall's signal, its target and result, failures"
	tool_start sigsnoop -n "$S"
	helper_start $all_calls
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" ct-target \
		delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" ct-target \
		already_pending 0)"
	wait_line "$(sig_line "$hpid" "$S" tkill SIGUSR2 "$tpid" ct-target \
		delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" tgkill SIGHUP "$tpid" ct-target \
		delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" rt_sigqueueinfo SIGRTMIN+2 \
		"$tpid" ct-target delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" rt_tgsigqueueinfo SIGRTMIN+3 \
		"$tpid" ct-target delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" pidfd_send_signal SIGTERM \
		"$tpid" ct-target delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" kill SIGWINCH "$tpid" ct-target \
		ignored 0)"
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$nopid" - - -3)"
	wait_line "$(sig_line "$hpid" "$S" kill check "$tpid" ct-target - 0)"
	helper_go
	tool_stop
	expect_status 0
	expect_line "PID     COMM             SYSCALL           SIGNAL      TPID    TCOMM            RESULT          ERR"
	ct_done

	ct_case "sigsnoop [$m]: --json, each call"
	tool_start sigsnoop -v --json -n "$S"
	helper_start $all_calls
	await_out "the kill -0 line" -F '"signal":0,'
	helper_go
	tool_stop
	expect_json_line "$(json_call '"kill"' 10 '"SIGUSR1"' "$tpid" "$tpid" \
		'"ct-target"' '"SI_USER"' true '"delivered"' 0 null)"
	expect_json_line "$(json_call '"kill"' 10 '"SIGUSR1"' "$tpid" "$tpid" \
		'"ct-target"' '"SI_USER"' true '"already_pending"' 0 null)"
	expect_json_line "$(json_call '"tkill"' 12 '"SIGUSR2"' "$tpid" "$tpid" \
		'"ct-target"' '"SI_TKILL"' false '"delivered"' 0 null)"
	expect_json_line "$(json_call '"tgkill"' 1 '"SIGHUP"' "$tpid" "$tpid" \
		'"ct-target"' '"SI_TKILL"' false '"delivered"' 0 null)"
	expect_json_line "$(json_call '"rt_sigqueueinfo"' 34 '"SIGRTMIN+2"' \
		"$tpid" "$tpid" '"ct-target"' '"SI_QUEUE"' true '"delivered"' 0 null)"
	expect_json_line "$(json_call '"rt_tgsigqueueinfo"' 35 '"SIGRTMIN+3"' \
		"$tpid" "$tpid" '"ct-target"' '"SI_QUEUE"' false '"delivered"' 0 null)"
	expect_json_line "$(json_call '"pidfd_send_signal"' 15 '"SIGTERM"' \
		"$tpid" "$tpid" '"ct-target"' '"SI_USER"' true '"delivered"' 0 null)"
	expect_json_line "$(json_call '"kill"' 28 '"SIGWINCH"' "$tpid" "$tpid" \
		'"ct-target"' '"SI_USER"' true '"ignored"' 0 null)"
	expect_json_line "$(json_call '"kill"' 10 '"SIGUSR1"' "$nopid" null null \
		null null null 3 '"ESRCH"')"
	expect_json_line "$(json_call '"kill"' 0 null "$tpid" null '"ct-target"' \
		null null null 0 null)"
	ct_done

	ct_case "sigsnoop [$m]: signals the kernel generates: SIGSEGV, SIGCHLD, SIGPIPE"
	tool_start sigsnoop -n ".$CT_ID"
	helper_start segv pipe wait
	i=0
	until [ -n "$(sed -n 2p "$CT_TMP/helper")" ] || [ $i -ge 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	segv=$(sed -n 2p "$CT_TMP/helper")
	wait_line "$(sig_line "$segv" "$SEGV" - SIGSEGV "$segv" "$SEGV" \
		delivered 0)"
	wait_line "$(sig_line "$segv" "$SEGV" - SIGCHLD "$hpid" "$S" \
		ignored 0)"
	wait_line "$(sig_line "$hpid" "$S" - SIGPIPE "$hpid" "$S" \
		ignored 0)"
	helper_go
	tool_stop
	ct_done

	ct_case "killsnoop [$m]: one line a call, with its result; no kernel signals"
	tool_start killsnoop -n ".$CT_ID"
	helper_start segv pipe $all_calls
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" ct-target \
		already_pending 0)"
	wait_line "$(sig_line "$hpid" "$S" tkill SIGUSR2 "$tpid" ct-target \
		delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" rt_sigqueueinfo SIGRTMIN+2 \
		"$tpid" ct-target delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" pidfd_send_signal SIGTERM \
		"$tpid" ct-target delivered 0)"
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$nopid" - - -3)"
	wait_line "$(sig_line "$hpid" "$S" kill check "$tpid" ct-target - 0)"
	helper_go
	tool_stop
	expect_no_grep "SIGSEGV\|SIGCHLD\|SIGPIPE"
	[ "$(grep -cF "$S" "$out")" = 10 ] ||
		ct_fail "$(grep -cF "$S" "$out") lines, not one per call (10)"
	ct_done

	ct_case "killsnoop [$m]: --json; sigsnoop -k is killsnoop"
	for t in "killsnoop -v --json" "sigsnoop -v -k --json"; do
		tool_start $t -n ".$CT_ID"
		helper_start segv $all_calls
		await_out "the kill -0 line" -F '"signal":0,'
		helper_go
		tool_stop
		expect_json_line "$(json_call '"tgkill"' 1 '"SIGHUP"' "$tpid" "$tpid" \
			'"ct-target"' '"SI_TKILL"' false '"delivered"' 0 null)"
		expect_json_line "$(json_call '"kill"' 10 '"SIGUSR1"' "$nopid" null \
			null null null null 3 '"ESRCH"')"
		expect_no_grep '"syscall":null'
	done
	ct_done

	ct_case "sigsnoop -x and killsnoop -x [$m]: only failures and undelivered signals"
	for t in sigsnoop killsnoop; do
		tool_start $t -x -n "$S"
		helper_start $all_calls
		wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$nopid" - - -3)"
		helper_go
		tool_stop
		expect_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" \
			ct-target already_pending 0)"
		expect_line "$(sig_line "$hpid" "$S" kill SIGWINCH "$tpid" \
			ct-target ignored 0)"
		[ "$(tail -n +2 "$out" | wc -l)" = 3 ] ||
			ct_fail "$t: $(tail -n +2 "$out" | wc -l) lines, not 3"
	done
	ct_done

	ct_case "sigsnoop, killsnoop [$m]: kill() to a process group: a line a target, killsnoop's one"
	for t in sigsnoop killsnoop; do
		tool_start $t -n "$S" -s usr1
		helper_start kill-group 10
		helper_wait
		set -- $(sed -n 2p "$CT_TMP/helper")
		if [ $t = sigsnoop ]; then
			wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$1" \
				ct-group delivered 0)"
			wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$2" \
				ct-group delivered 0)"
			n=2
		else
			wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "-$1" - \
				delivered 0)"
			n=1
		fi
		tool_stop
		[ "$(tail -n +2 "$out" | wc -l)" = $n ] ||
			ct_fail "$t: $(tail -n +2 "$out" | wc -l) lines, not $n"
	done
	ct_done

	ct_case "sigsnoop [$m]: a parent-death signal from a task dying of its kill()"
	# A's kill() to itself kills it on its way out of the call; its exit
	# then sends B its parent-death signal: the kernel's, though A's
	# registers still hold that kill() with the same signal.
	tool_start sigsnoop -n "$S"
	helper_start pdeath 12
	helper_wait
	set -- $(sed -n 2p "$CT_TMP/helper")
	wait_line "$(sig_line "$1" "$S" kill SIGUSR2 "$1" "$S" delivered 0)"
	wait_line "$(sig_line "$1" "$S" - SIGUSR2 "$2" "$S" delivered 0)"
	tool_stop
	expect_no_grep "kill  *SIGUSR2  *$2 "
	ct_done

	ct_case "sigsnoop [$m]: a 32-bit call's signal is the kernel's (no syscall tracepoints)"
	if [ "$(uname -m)" != x86_64 ]; then
		ct_skip "32-bit calls by int \$0x80 are x86_64's"
	elif ! "$SIGNAL" pidfd32 0 >/dev/null 2>&1; then
		ct_skip "no 32-bit calls here (ia32 emulation off)"
	else
		tool_start sigsnoop -n "$S"
		helper_start pidfd32 15 kill 10
		helper_wait
		wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" \
			ct-target delivered 0)"
		tool_stop
		expect_line "$(sig_line "$hpid" "$S" - SIGTERM "$tpid" \
			ct-target delivered 0)"
		expect_no_grep pidfd_send_signal
		ct_done
	fi
}




# The method sigsnoop -v said it chose for the calls: tracepoints (exits
# alone, the calls from the registers), pairs.
chosen_method() {
	ct_args_method "sigsnoop: syscalls: " \
		"{kill,tkill,tgkill,rt_sigqueueinfo,rt_tgsigqueueinfo,pidfd_send_signal}"
}

expected=$(ct_args_method_here)

ct_case "sigsnoop: -v says how it reads the calls ($expected); CT_NO_TASK_PT_REGS=1: pairs"
tool_start sigsnoop -v -n "$S"
tool_stop
expect_status 0
[ "$(chosen_method)" = "$expected" ] ||
	ct_fail "chose '$(chosen_method)', not $expected"
CT_NO_TASK_PT_REGS=1 tool_start sigsnoop -v -n "$S"
tool_stop
[ "$(chosen_method)" = pairs ] || ct_fail "chose '$(chosen_method)', not pairs"
expect_grep "^sigsnoop: syscalls: not from the registers: CT_NO_TASK_PT_REGS is set\$" "$err"
ct_done

# Each program loaded costs start-up time (verified one by one), each link
# its exit time (a tracepoint's close waits a grace period): with the
# registers, one exit program attached to the six calls' exits; with
# pairs, their entries too, two programs (by where the signal is in the
# arguments). Besides, the signal_generate program.
for m in tracepoints pairs; do
	[ $m = pairs ] || [ "$expected" = tracepoints ] || continue
	want=2 links=7
	[ $m = tracepoints ] || want=4 links=13
	ct_case "sigsnoop, killsnoop [$m]: $want BPF programs, $links links for the six calls and signal_generate"
	for t in sigsnoop killsnoop; do
		if [ $m = pairs ]; then
			CT_NO_TASK_PT_REGS=1 tool_start $t -v -n "$S"
		else
			tool_start $t -v -n "$S"
		fi
		record_bpf_ids
		n_progs=$(grep -c '^prog ' "$ids")
		[ "$n_progs" = $want ] ||
			ct_fail "$t: $n_progs BPF programs, expected $want"
		helper_start tkill 12 tgkill 1 wait
		wait_line "$(sig_line "$hpid" "$S" tkill SIGUSR2 "$tpid" \
			ct-target delivered 0)"
		wait_line "$(sig_line "$hpid" "$S" tgkill SIGHUP "$tpid" \
			ct-target delivered 0)"
		helper_go
		tool_stop
		expect_status 0
		expect_grep "^$t: attached $links programs\$" "$err"
	done
	ct_done
done

method_cases "$expected"
if [ "$expected" = tracepoints ]; then
	export CT_NO_TASK_PT_REGS=1
	method_cases pairs
	unset CT_NO_TASK_PT_REGS
fi

ct_case "sigsnoop: an si_code without a name is its number"
tool_start sigsnoop -v --json -n "$S" -s 36
helper_start sigqueue-code 36 -42
helper_wait
tool_stop
expect_json_line "$(json_call '"rt_sigqueueinfo"' 36 '"SIGRTMIN+4"' \
	"$tpid" "$tpid" '"ct-target"' '"-42"' true '"delivered"' 0 null)"
ct_done


ct_case "sigsnoop: --json of kernel signals: si_code, thread or process"
tool_start sigsnoop -v --json -n ".$CT_ID"
helper_start segv pipe
helper_wait
tool_stop
expect_json_line "{\"uid\":0,\"pid\":$segv,\"tid\":$segv,\"comm\":\"$SEGV\",\"syscall\":null,\"signal\":11,\"signal_name\":\"SIGSEGV\",\"tpid\":$segv,\"ttid\":$segv,\"tcomm\":\"$SEGV\",\"code\":\"SEGV_MAPERR\",\"group\":false,\"result\":\"delivered\",\"err\":0,\"errno\":null}"
expect_json_line "{\"uid\":0,\"pid\":$segv,\"tid\":$segv,\"comm\":\"$SEGV\",\"syscall\":null,\"signal\":17,\"signal_name\":\"SIGCHLD\",\"tpid\":$hpid,\"ttid\":$hpid,\"tcomm\":\"$S\",\"code\":\"CLD_KILLED\",\"group\":true,\"result\":\"ignored\",\"err\":0,\"errno\":null}"
expect_json_line "$(json_call null 13 '"SIGPIPE"' "$hpid" "$hpid" \
	"\"$S\"" '"SI_USER"' false '"ignored"' 0 null)"
ct_done


ct_case "sigsnoop: -p is the sender: no SIGCHLD of its children (bcc#5057)"
helper_start wait kill 10 segv
tool_start sigsnoop -p "$hpid"
helper_go
wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" ct-target \
	delivered 0)"
tool_stop
# It sends the shell a SIGCHLD as it exits; its children's SIGCHLD and
# the shell's SIGUSR1 to it are others'.
expect_line "$(sig_line "$hpid" "$S" - SIGCHLD $$ "$(cat /proc/$$/comm)" \
	delivered 0)"
[ "$(tail -n +2 "$out" | wc -l)" = 2 ] ||
	ct_fail "other lines: $(tail -n +2 "$out" | grep -v "^$hpid ")"
ct_done

ct_case "sigsnoop: --tpid is the target: its children's SIGCHLD, the shell's signal"
helper_start wait kill 10 segv
tool_start sigsnoop --tpid "$hpid"
helper_go
wait_line "$(sig_line "$segv" "$SEGV" - SIGCHLD "$hpid" "$S" \
	ignored 0)"
wait_line "$(sig_line "$tpid" ct-target - SIGCHLD "$hpid" "$S" \
	ignored 0)"
wait_grep "^[0-9]* *[^ ]* *kill  *SIGUSR1  *$hpid  *$S  *delivered  *0\$"
tool_stop
expect_no_grep "ct-target  *delivered"
expect_no_grep SIGSEGV
ct_done

ct_case "sigsnoop: -s names and numbers, several; 0 is kill -0"
tool_start sigsnoop -n "$S" -s usr2,0 -s 35
helper_start $all_calls
wait_line "$(sig_line "$hpid" "$S" tkill SIGUSR2 "$tpid" ct-target \
	delivered 0)"
wait_line "$(sig_line "$hpid" "$S" rt_tgsigqueueinfo SIGRTMIN+3 \
	"$tpid" ct-target delivered 0)"
wait_line "$(sig_line "$hpid" "$S" kill check "$tpid" ct-target - 0)"
helper_go
tool_stop
[ "$(tail -n +2 "$out" | wc -l)" = 3 ] || ct_fail "other signals shown"
ct_done


ct_case "killsnoop: EPERM as nobody; -u; --errno-names"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	init=$(cat /proc/1/comm)
	tool_start killsnoop -u 65534 -n "$S" --errno-names
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SIGNAL" kill-pid 1 10 >"$CT_TMP/helper"
	read -r hpid tpid <"$CT_TMP/helper"
	"$SIGNAL" kill-pid 1 0 >/dev/null
	wait_line "$(printf '%-7s %-16s %-17s %-11s %-7s %-16s %-15s %15s' \
		"$hpid" "$S" kill SIGUSR1 1 "$init" - EPERM)"
	tool_stop
	[ "$(tail -n +2 "$out" | wc -l)" = 1 ] || ct_fail "root's call shown"
	ct_done
fi

ct_case "sigsnoop: a target's name is escaped in text, valid in --json"
tname=$(printf 'ct\ntg\033[1m')
fields_start sigsnoop -n "$S" -s usr1 --fields=pid,signal_name,tcomm
helper_start -t "$tname" kill 10
helper_wait
fields_stop
expect_line "$(printf '%-7s %-11s %s' "$hpid" SIGUSR1 'ct\ntg\x1b[1m')"
if have_python; then
	python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
want = {"pid": int(sys.argv[2]), "signal_name": "SIGUSR1", "tcomm": sys.argv[3]}
sys.exit(0 if want in objs else "no %s in %s" % (want, objs))
' "$CT_TMP/fields.json" "$hpid" "$tname" >"$err" 2>&1 ||
		ct_fail "JSON: $(tail -1 "$err")"
fi
grep -Fxq "$hpid,SIGUSR1,ct\\ntg\\x1b[1m" "$CT_TMP/fields.csv" ||
	ct_fail "CSV: $(tail -1 "$CT_TMP/fields.csv")"
ct_done

ct_case "sigsnoop: text, --json and --csv of one signal agree field by field"
f=time,uid,user,pid,tid,comm,syscall,signal,signal_name,tpid,ttid,tcomm,code,group,result,err,errno
fields_start sigsnoop -n "$S" -s usr2 --fields=$f
helper_start tkill 12
helper_wait
fields_stop
# Last: without python3 it skips the case.
fields_agree "$f" pid "$hpid"
ct_done

ct_case "sigsnoop: -c is the sender's cgroup"
if ! ct_make_cgroup sigsnoop; then
	ct_skip "no cgroup v2 to make a cgroup in"
else
	tool_start sigsnoop -c "$cg" -n "$S"
	ct_in_cgroup "$cg" "$SIGNAL" kill 12 >"$CT_TMP/inside"
	"$SIGNAL" kill 10 >/dev/null
	read -r hpid tpid <"$CT_TMP/inside"
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR2 "$tpid" \
		ct-target delivered 0)"
	tool_stop
	expect_no_grep SIGUSR1
	ct_done
fi

# raw_tp by default (ct_select_tp_from(): tp_btf's load searches the
# kernel's types, and its typed loads repay nothing at signals' rates);
# tp_btf where CT_FORCE_TP asks for it.
ct_case "sigsnoop: raw_tp by default, tp_btf and the plain tracepoint when forced (-v says)"
run_tool sigsnoop -v -d 0.1
expect_grep "^sigsnoop: signals: using raw_tp\$" "$err"
for kind in tp_btf raw_tp tracepoint; do
	CT_FORCE_TP=$kind tool_start sigsnoop -v -n "$S"
	grep -q "signals: using $kind" "$err" ||
		ct_fail "$kind: -v says $(grep signals: "$err")"
	helper_start kill 10 tkill 12
	helper_wait
	wait_line "$(sig_line "$hpid" "$S" kill SIGUSR1 "$tpid" \
		ct-target delivered 0)"
	# The plain tracepoint has the target thread, not its process.
	if [ $kind != tracepoint ]; then
		wait_line "$(sig_line "$hpid" "$S" tkill SIGUSR2 "$tpid" \
			ct-target delivered 0)"
	else
		wait_line "$(sig_line "$hpid" "$S" tkill SIGUSR2 - \
			ct-target delivered 0)"
	fi
	tool_stop
done
ct_done

ct_case "sigsnoop: -T, -U add time and uid columns"
tool_start sigsnoop -T -U -n "$S"
helper_start kill 10
helper_wait
tool_stop
expect_line "TIME     UID   PID     COMM             SYSCALL           SIGNAL      TPID    TCOMM            RESULT          ERR"
expect_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] 0     $hpid *$S  *kill  *SIGUSR1  *$tpid  *ct-target  *delivered  *0\$"
ct_done

ct_case "sigsnoop: a full stdout, calls to no process: no write error"
# Their TCOMM is looked up in /proc, which fails: that must not hide why
# a write to the full pipe failed (EINTR, EAGAIN) from the output code.
rm -f "$CT_TMP/fifo"
mkfifo "$CT_TMP/fifo"
(while [ ! -e "$CT_TMP/drain" ]; do ct_sleep 0.1; done; cat >/dev/null) \
	<"$CT_TMP/fifo" &
reader=$!
"$CT_BIN/sigsnoop" -v -n "$S" >"$CT_TMP/fifo" 2>"$err" &
tool_pid=$!
i=0
until grep -q attached "$err" || [ $i -ge 200 ]; do
	ct_sleep 0.05
	i=$((i + 1))
done
"$SIGNAL" kill-pid-n 200000 "$nopid" 10 >/dev/null &
storm=$!
# The signal comes while a write waits and more events are there.
i=0 full=1
until grep -q pipe_write /proc/"$tool_pid"/wchan 2>/dev/null; do
	[ $i -lt 250 ] || { full=; break; }
	ct_sleep 0.02
	i=$((i + 1))
done
kill -INT "$tool_pid"
ct_sleep 0.3
touch "$CT_TMP/drain"
tool_wait
wait "$reader"
wait "$storm"
expect_status 0
expect_no_grep "cannot write" "$err"
# A slow machine (an emulated guest) may not fill the pipe in 5 s.
[ -n "$full" ] || ct_skip "the pipe did not fill in 5 s"
ct_done

ct_case "sigsnoop: a storm of ignored signals, each shown"
tool_start sigsnoop -v -n "$S" -s winch
helper_start kill-n 2000 28
helper_wait
wait_grep " SIGWINCH "
tool_stop
n=$(grep -c "^$hpid  *$S  *kill  *SIGWINCH  *$tpid  *ct-target  *ignored  *0\$" "$out")
[ "$n" = 2000 ] || ct_fail "$n lines, not 2000"
expect_grep "2000 events sent by the kernel, 2000 received, 0 lost" "$err"
ct_done

ct_case "sigsnoop: bad options exit 2 with one line"
run_tool sigsnoop -s bogus
expect_usage "sigsnoop: -s/--signal: unknown signal 'bogus'"
run_tool killsnoop -s 65
expect_usage "killsnoop: -s/--signal: unknown signal '65'"
run_tool sigsnoop --tpid 0
expect_status 2
expect_fields_usage sigsnoop tcomm
ct_done
