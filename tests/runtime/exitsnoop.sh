# Runtime tests of exitsnoop: real exits, exact lines.
. "$(dirname "$0")/lib.sh"
ct_require_root "exitsnoop"

EXIT=$CT_PUBLIC_BIN/tests/ct-exit
# The columns whose values a test can know exactly (AGE varies).
F=--fields=comm,pid,ppid,tid,exit

# run_exit MODE ARGS...: end a child as ct-exit MODE does; sets $pid, $ppid
# and $tid of the child, and $how, $val, $core as wait(2) saw its end.
run_exit() {
	set -- $("$EXIT" "$@")
	pid=$1 ppid=$2 tid=$3 how=$4 val=$5 core=${6:-}
}

# The line exitsnoop $F prints: COMM PID PPID TID EXIT.
exit_line() {
	printf '%-16s %-7s %-7s %-7s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# The same with -a: COMM PID PPID TID EXIT ARGS.
args_line() {
	printf '%-16s %-7s %-7s %-7s %-7s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}

# The --json lines in $out without "time", "user" and "age_ns" (which
# vary), to compare whole lines.
json_lines() {
	sed 's/^{"time":"[^"]*",/{/; s/"user":null,//; s/"user":"[^"]*",//
	     s/"age_ns":[0-9]*,//' "$out"
}

expect_json_line() {
	json_lines | grep -Fxq -- "$1" || ct_fail "no JSON line '$1'"
}

# json PID PPID TID CODE SIG SIGNAME CORE LAST: the line json_lines has.
json() {
	printf '{"uid":0,"comm":"ct-exit","pid":%s,"ppid":%s,"tid":%s,' \
		"$1" "$2" "$3"
	printf '"exit_code":%s,"signal":%s,"signal_name":%s,' "$4" "$5" "$6"
	printf '"core_dumped":%s,"last_thread":%s}\n' "$7" "$8"
}

# count_grep REGEX: how many lines of stdout match.
count_grep() {
	grep -c -- "$1" "$out"
}

ct_case "exitsnoop: exit codes 0, 3 and 255, shown as they happen"
tool_start exitsnoop $F -n ct-exit
for c in 0 3 255; do
	run_exit code $c
	[ "$how $val" = "exit $c" ] || ct_fail "ct-exit ended with $how $val"
	wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" $c)"
done
tool_stop
expect_status 0
expect_line "PCOMM            PID     PPID    TID     EXIT"
ct_done

ct_case "exitsnoop: SIGKILL shows the signal, not a code, text and --json"
tool_start exitsnoop $F -n ct-exit
run_exit signal 9
wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" SIGKILL)"
tool_stop
tool_start exitsnoop --json -v -n ct-exit
run_exit signal 9
await_out "the SIGKILL line" -F "\"pid\":$pid,"
tool_stop
expect_json_line "$(json "$pid" "$ppid" "$pid" null 9 '"SIGKILL"' false true)"
ct_done

ct_case "exitsnoop: SIGSEGV with a core dump is marked"
tool_start exitsnoop $F -n ct-exit
run_exit core "$CT_TMP"
wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" "SIGSEGV$(
	[ "$core" = 1 ] && echo '(core)')")"
tool_stop
if [ "$core" != 1 ]; then
	ct_skip "the kernel wrote no core here (core_pattern" \
		"'$(cat /proc/sys/kernel/core_pattern)')"
else
	tool_start exitsnoop --json -v -n ct-exit
	run_exit core "$CT_TMP"
	await_out "the SIGSEGV line" -F "\"pid\":$pid,"
	tool_stop
	expect_json_line "$(json "$pid" "$ppid" "$pid" null 11 '"SIGSEGV"' \
		true true)"
fi
rm -f "$CT_TMP"/core*
ct_done

ct_case "exitsnoop: a thread's exit is no process exit without --per-thread"
tool_start exitsnoop $F -n ct-exit
run_exit thread 5
wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" 5)"
tool_stop
expect_no_grep "^ct-exit  *$pid  *$ppid  *$tid "
[ "$(count_grep "^ct-exit  *$pid ")" = 1 ] || ct_fail "not one line of $pid"
ct_done

ct_case "exitsnoop: --per-thread shows each thread, the last marked"
tool_start exitsnoop --json -v --per-thread -n ct-exit
run_exit thread 5
await_out "the process's end" -F "\"tid\":$pid,"
tool_stop
expect_json_line "$(json "$pid" "$ppid" "$tid" 0 null null false false)"
expect_json_line "$(json "$pid" "$ppid" "$pid" 5 null null false true)"
ct_done

ct_case "exitsnoop: a non-leader thread calls exit_group(): one process exit"
tool_start exitsnoop $F -n ct-exit
run_exit group-exit 6
# The last thread to leave may be either.
await_out "the exit of $pid" -e "^ct-exit  *$pid  *$ppid  *$pid  *6\$" \
	-e "^ct-exit  *$pid  *$ppid  *$tid  *6\$"
tool_stop
[ "$(count_grep "^ct-exit  *$pid ")" = 1 ] || ct_fail "not one line of $pid"
tool_start exitsnoop --json -v --per-thread -n ct-exit
run_exit group-exit 6
await_out "the exit of $pid" -F "\"last_thread\":true"
tool_stop
[ "$(count_grep "\"pid\":$pid,.*\"exit_code\":6,.*\"last_thread\":false")" = 1 ] ||
	ct_fail "not one thread exit of $pid, code 6"
[ "$(count_grep "\"pid\":$pid,.*\"exit_code\":6,.*\"last_thread\":true")" = 1 ] ||
	ct_fail "not one process exit of $pid, code 6"
ct_done

ct_case "exitsnoop: the leader leaves first: the process ends with the last thread"
tool_start exitsnoop $F -n ct-exit
run_exit leader-first 7
wait_line "$(exit_line ct-exit "$pid" "$ppid" "$tid" 7)"
tool_stop
# Not at the leader's pthread_exit(), with its code 0.
[ "$(count_grep "^ct-exit  *$pid ")" = 1 ] || ct_fail "not one line of $pid"
tool_start exitsnoop -v --per-thread $F -n ct-exit
run_exit leader-first 7
wait_line "$(exit_line ct-exit "$pid" "$ppid" "$tid" 7)"
tool_stop
expect_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" 0)"
ct_done

ct_case "exitsnoop: -x shows only non-zero codes and signals"
tool_start exitsnoop -x $F -n ct-exit
run_exit code 0
ok=$pid ok_parent=$ppid
run_exit signal 9
killed=$pid
run_exit code 3
wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" 3)"
tool_stop
expect_grep "^ct-exit  *$killed  .*SIGKILL\$"
expect_no_grep "^ct-exit  *$ok "
expect_no_grep "^ct-exit  *$ok_parent "
expect_no_grep " 0\$"
ct_done

ct_case "exitsnoop: -p with AGE: a process of 2 s shows 2 s and more"
"$EXIT" code 4 2 >"$CT_TMP/slow" &
slow=$!
until [ -s "$CT_TMP/slow" ]; do ct_sleep 0.02; done
set -- $(cat "$CT_TMP/slow")
tool_start exitsnoop -p "$1" -n ct-exit
run_exit code 3
wait "$slow"
wait_grep "^ct-exit  *$1  *$2  *$1  *[2-9]\.[0-9][0-9]  *4\$"
tool_stop
expect_line "PCOMM            PID     PPID    TID     AGE(s)  EXIT"
[ "$(wc -l <"$out")" = 2 ] || ct_fail "other exits than $1 shown"
ct_done

ct_case "exitsnoop: --ppid keeps the children of one process"
tool_start exitsnoop --ppid $$ $F -n ct-exit
"$EXIT" code 3 >"$CT_TMP/child"
set -- $(cat "$CT_TMP/child")
tool_stop
# ct-exit is this shell's child; the process it forks is not.
expect_line "$(exit_line ct-exit "$2" $$ "$2" 0)"
expect_no_grep "^ct-exit  *$1 "
ct_done

ct_case "exitsnoop: -u by name and by number"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	for who in nobody 65534; do
		tool_start exitsnoop -u "$who" $F -n ct-exit
		run_exit code 3
		asroot=$pid
		set -- $(setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$EXIT" code 4)
		wait_line "$(exit_line ct-exit "$1" "$2" "$1" 4)"
		tool_stop
		expect_no_grep "^ct-exit  *$asroot "
	done
fi
ct_done

ct_case "exitsnoop: -c keeps only the cgroup's processes"
if ! ct_make_cgroup exitsnoop; then
	ct_skip "cannot create a cgroup v2 directory"
else
	tool_start exitsnoop -c "$cg" $F -n ct-exit
	run_exit code 3
	outside=$pid
	set -- $(ct_in_cgroup "$cg" "$EXIT" code 4)
	wait_line "$(exit_line ct-exit "$1" "$2" "$1" 4)"
	tool_stop
	expect_no_grep "^ct-exit  *$outside "
fi
ct_done

nl='
'
esc=$(printf '\033')

ct_case "exitsnoop: -n on a command name, escaped in text and valid in --json"
tool_start exitsnoop -n "ct-e${nl}" $F
run_exit name "ct-e${nl}x${esc}" 2
wait_line "$(exit_line 'ct-e\nx\x1b' "$pid" "$ppid" "$pid" 2)"
tool_stop
expect_no_grep "^ct-exit "
tool_start exitsnoop --json -v -n "ct-e${nl}"
run_exit name "ct-e${nl}x${esc}" 2
await_out "the named exit" -F "\"pid\":$pid,"
tool_stop
json "$pid" "$ppid" "$pid" 2 null null false true |
	sed 's/"ct-exit"/"ct-e\\nx\\u001b"/' >"$CT_TMP/want"
expect_json_line "$(cat "$CT_TMP/want")"
if have_python; then
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$out" || ct_fail "invalid JSON"
fi
ct_done

ct_case "exitsnoop: -a shows the arguments, escaped; --max-args cuts them"
tool_start exitsnoop -v -a $F -n ct-exit
run_exit code 3 0 "a b" "nl${nl}x${esc}"
wait_line "$(args_line ct-exit "$pid" "$ppid" "$pid" 3 \
	"$EXIT code 3 0 a\\x20b nl\\nx\\x1b")"
# A killed process's too, where the exit tracepoint comes before exit_mm().
killed_args="$EXIT signal 9"
grep -q "^exitsnoop: arguments: using syscalls:" "$err" && killed_args=-
run_exit signal 9
wait_line "$(args_line ct-exit "$pid" "$ppid" "$pid" SIGKILL "$killed_args")"
tool_stop
expect_line "PCOMM            PID     PPID    TID     EXIT    ARGS"
tool_start exitsnoop --max-args 3 $F -n ct-exit
run_exit code 3 0 more
wait_line "$(args_line ct-exit "$pid" "$ppid" "$pid" 3 "$EXIT code 3 ...")"
tool_stop
tool_start exitsnoop --json -v --max-args 3 -n ct-exit
run_exit code 3 0 more
await_out "the exit with arguments" -F "\"pid\":$pid,"
tool_stop
json "$pid" "$ppid" "$pid" 3 null null false true |
	sed "s|}\$|,\"args\":[\"$EXIT\",\"code\",\"3\"],\"args_truncated\":true}|" \
	>"$CT_TMP/want"
expect_json_line "$(cat "$CT_TMP/want")"
ct_done

ct_case "exitsnoop: arguments saved at exit_group() where the mm is gone at exit"
CT_EXIT_AFTER_MM=1 tool_start exitsnoop -v -a $F -n ct-exit
run_exit code 3 0 saved
wait_line "$(args_line ct-exit "$pid" "$ppid" "$pid" 3 "$EXIT code 3 0 saved")"
run_exit signal 9
wait_line "$(args_line ct-exit "$pid" "$ppid" "$pid" SIGKILL -)"
run_exit leader-first 7
wait_line "$(args_line ct-exit "$pid" "$ppid" "$tid" 7 \
	"$EXIT leader-first 7")"
tool_stop
expect_grep "^exitsnoop: arguments: using syscalls:sys_enter_exit" "$err"
ct_done

# Without group_dead, threads that leave at once may all find no live thread
# left: one of them must be the last.
ct_case "exitsnoop: without the tracepoint's group_dead, one last thread"
CT_EXIT_AFTER_MM=1 tool_start exitsnoop --json -v --per-thread -n ct-exit
for i in 1 2 3 4 5; do
	run_exit spinners 6
	await_out "the exit of $tid" -F "\"pid\":$pid,\"ppid\":$ppid,\"tid\":$tid,"
	await_out "the exit of $pid" -F "\"pid\":$pid,\"ppid\":$ppid,\"tid\":$pid,"
	ct_sleep 0.1
	[ "$(count_grep "\"pid\":$pid,.*\"exit_code\":6,.*\"last_thread\":true")" = 1 ] ||
		ct_fail "not one process exit of $pid, code 6"
	[ "$(count_grep "\"pid\":$pid,.*\"exit_code\":6,")" = 6 ] ||
		ct_fail "not 6 thread exits of $pid, code 6"
done
tool_stop
expect_grep "^exitsnoop: exit: the last thread is the first that sees no live threads" "$err"
ct_done

for tp in raw_tp tracepoint; do
	ct_case "exitsnoop: exits and threads with CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start exitsnoop -v $F -n ct-exit
	run_exit code 3
	wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" 3)"
	run_exit leader-first 7
	wait_line "$(exit_line ct-exit "$pid" "$ppid" "$tid" 7)"
	run_exit signal 9
	wait_line "$(exit_line ct-exit "$pid" "$ppid" "$pid" SIGKILL)"
	tool_stop
	expect_grep "^exitsnoop: exit: using $tp" "$err"
	ct_done
done

ct_case "exitsnoop: perf buffer fallback delivers events, with arguments"
CT_FORCE_PERFBUF=1 tool_start exitsnoop -v -a $F -n ct-exit
run_exit code 3 0 perfbuf
wait_line "$(args_line ct-exit "$pid" "$ppid" "$pid" 3 "$EXIT code 3 0 perfbuf")"
tool_stop
expect_grep "events: using perf buffer" "$err"
ct_done

ct_case "exitsnoop: -T and -t columns, -U"
tool_start exitsnoop -T -U -n ct-exit
run_exit code 3
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] 0     ct-exit  *$pid  *$ppid  *$pid  *[0-9.]*  *3\$"
tool_stop
expect_line "TIME     UID   PCOMM            PID     PPID    TID     AGE(s)  EXIT"
tool_start exitsnoop -t -n ct-exit
run_exit code 3
wait_grep "^[0-9]*\.[0-9][0-9][0-9]  *ct-exit  *$pid "
tool_stop
ct_done

ct_case "exitsnoop: text, --json and --csv of one exit agree field by field"
f=time,uid,user,comm,pid,ppid,tid,exit_code,signal,signal_name,core_dumped,args
fields_start exitsnoop --fields=$f -n ct-exit
run_exit code 3
fields_stop
expect_grep "^[-0-9T:.]*Z,0,root,ct-exit,$pid,$ppid,$pid,3,,,false,$EXIT code 3\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" pid "$pid"
ct_done

ct_case "exitsnoop: --fields=help, usage errors"
run_tool exitsnoop --fields=help
expect_status 0
expect_grep "^exit_code  *the exit code"
[ "$(wc -l <"$out")" -eq 17 ] || ct_fail "$(wc -l <"$out") fields listed"
expect_fields_usage exitsnoop pid
run_tool exitsnoop --max-args 0
expect_status 2
ct_done
