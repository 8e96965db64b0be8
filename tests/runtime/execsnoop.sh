# Runtime tests of execsnoop: real execs, exact lines.
. "$(dirname "$0")/lib.sh"
ct_require_root "execsnoop"

# The line execsnoop prints for one exec (without -T/-t/-U).
exec_line() {
	printf '%-16s %-7s %-7s %3s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# Run ct-trigger exec ...; sets $child and $parent.
trigger_exec() {
	set -- $("$TRIGGER" "$@")
	child=$1
	parent=$2
}

nl='
'
esc=$(printf '\033')

ct_case "execsnoop: successful and failed exec, escaped arguments"
tool_start execsnoop -x -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop "a b" 'q"x' "nl${nl}esc${esc}[31m"
ok_child=$child ok_parent=$parent
trigger_exec exec /nonexistent/prog prog arg1
tool_stop
expect_status 0
expect_line "$(exec_line ct-trigger "$ok_child" "$ok_parent" 0 \
	"$TRIGGER noop a b q\"x nl\\nesc\\x1b[31m")"
expect_line "$(exec_line ct-trigger "$child" "$parent" -2 \
	"/nonexistent/prog arg1")"
ct_done

ct_case "execsnoop: failed execs are hidden without -x"
tool_start execsnoop -n ct-trigger
trigger_exec exec /nonexistent/prog prog arg1
tool_stop
expect_no_grep " -2 /nonexistent/prog"
ct_done

ct_case "execsnoop: -q quotes each argument, --errno-names"
tool_start execsnoop -q -x --errno-names -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop "a b" 'q"x'
ok_child=$child ok_parent=$parent
trigger_exec exec /nonexistent/prog prog arg1
tool_stop
expect_line "$(exec_line ct-trigger "$ok_child" "$ok_parent" 0 \
	"\"$TRIGGER\" \"noop\" \"a b\" \"q\\\"x\"")"
expect_line "$(exec_line ct-trigger "$child" "$parent" ENOENT \
	"\"/nonexistent/prog\" \"arg1\"")"
ct_done

ct_case "execsnoop: execveat is traced"
tool_start execsnoop -n ct-trigger
trigger_exec execveat "$TRIGGER" argv0 noop viaexecveat
tool_stop
expect_grep "^ct-trigger  *$child  *$parent  *0 .* noop viaexecveat\$"
ct_done

ct_case "execsnoop: --max-args shows ... only past the limit"
tool_start execsnoop --max-args 3 -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop three
c3=$child p3=$parent
trigger_exec exec "$TRIGGER" argv0 noop three four
tool_stop
expect_line "$(exec_line ct-trigger "$c3" "$p3" 0 "$TRIGGER noop three")"
expect_line "$(exec_line ct-trigger "$child" "$parent" 0 \
	"$TRIGGER noop three ...")"
ct_done

ct_case "execsnoop: --max-args on failed execs"
tool_start execsnoop -x --max-args 2 -n ct-trigger
trigger_exec exec /nonexistent/p p two
c2=$child p2=$parent
trigger_exec exec /nonexistent/p p two three
tool_stop
expect_line "$(exec_line ct-trigger "$c2" "$p2" -2 "/nonexistent/p two")"
expect_line "$(exec_line ct-trigger "$child" "$parent" -2 \
	"/nonexistent/p two ...")"
ct_done

ct_case "execsnoop: -n and -l filter"
tool_start execsnoop -l MARK_L1 -n ct-trig
trigger_exec exec "$TRIGGER" argv0 noop MARK_L1
c1=$child p1=$parent
trigger_exec exec "$TRIGGER" argv0 noop MARK_OTHER
tool_stop
expect_line "$(exec_line ct-trigger "$c1" "$p1" 0 "$TRIGGER noop MARK_L1")"
expect_no_grep "MARK_OTHER"
ct_done

ct_case "execsnoop: -n with no match shows nothing"
tool_start execsnoop -n nomatchname
trigger_exec exec "$TRIGGER" argv0 noop
tool_stop
expect_no_grep "ct-trigger"
ct_done

ct_case "execsnoop: --ppid keeps only children of that process"
tool_start execsnoop --ppid $$ -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop grandchild
tool_stop
# The trigger itself is this shell's child; the process it forks is not.
expect_grep "^ct-trigger  *$parent  *$$  *0 .*exec"
expect_no_grep "^ct-trigger  *$child "
ct_done

ct_case "execsnoop: -u by name and by number"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	for who in nobody 65534; do
		tool_start execsnoop -u "$who" -n ct-trigger
		trigger_exec exec "$TRIGGER" argv0 noop asroot
		set -- $(setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$TRIGGER" exec "$TRIGGER" argv0 noop asnobody)
		tool_stop
		expect_line "$(exec_line ct-trigger "$1" "$2" 0 \
			"$TRIGGER noop asnobody")"
		expect_no_grep "asroot"
	done
fi
ct_done

ct_case "execsnoop: -U and -T columns"
tool_start execsnoop -U -T -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop cols
tool_stop
expect_line "TIME     UID   PCOMM            PID     PPID    RET ARGS"
expect_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] 0     ct-trigger  *$child "
ct_done

ct_case "execsnoop: -t seconds since start"
tool_start execsnoop -t -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop ts
tool_stop
expect_grep "^[0-9]*\.[0-9][0-9][0-9]  *ct-trigger  *$child "
ct_done

ct_case "execsnoop: -c keeps only the cgroup's processes"
cg_root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
cg_mounted=
if [ -z "$cg_root" ]; then
	cg_root=$CT_TMP/cgroup2
	mkdir -p "$cg_root"
	mount -t cgroup2 none "$cg_root" 2>/dev/null && cg_mounted=1
fi
if [ -z "$cg_root" ] || ! mkdir "$cg_root/ct-execsnoop-$$" 2>/dev/null; then
	ct_skip "cannot create a cgroup v2 directory"
else
	cg=$cg_root/ct-execsnoop-$$
	tool_start execsnoop -c "$cg" -n ct-trigger
	trigger_exec exec "$TRIGGER" argv0 noop outside
	set -- $(sh -c 'echo $$ > "$1/cgroup.procs" && shift &&
		exec "$@"' sh "$cg" "$TRIGGER" exec "$TRIGGER" argv0 noop inside)
	tool_stop
	expect_line "$(exec_line ct-trigger "$1" "$2" 0 "$TRIGGER noop inside")"
	expect_no_grep "outside"
	rmdir "$cg"
fi
[ -n "$cg_mounted" ] && umount "$cg_root"
ct_done

ct_case "execsnoop: -c rejects a cgroup v1 path"
v1=$(awk '$3 == "cgroup" { print $2; exit }' /proc/mounts)
if [ -z "$v1" ]; then
	ct_skip "no cgroup v1 hierarchy is mounted here"
else
	run_tool execsnoop -c "$v1"
	expect_status 2
	expect_grep "^execsnoop: -c/--cgroup: '$v1' is not a cgroup v2 directory" "$err"
	[ "$(wc -l <"$err")" -eq 1 ] || ct_fail "more than one line of error"
fi
ct_done

ct_case "execsnoop: --json lines parse and carry the data"
tool_start execsnoop --json -v -x -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop "a b" "nl${nl}x"
ok_child=$child ok_parent=$parent
trigger_exec exec /nonexistent/prog prog
tool_stop
if ! have_python; then
	ct_skip "python3 is not installed: no JSON parser to check with"
else
	python3 - "$out" "$ok_child" "$ok_parent" "$child" "$TRIGGER" <<'PY' || ct_fail "JSON check failed"
import json, sys
path, okc, okp, failc, trig = sys.argv[1:]
events = [json.loads(l) for l in open(path, encoding="utf-8")]
ok = [e for e in events if e["pid"] == int(okc)]
bad = [e for e in events if e["pid"] == int(failc)]
assert len(ok) == 1 and len(bad) == 1, events
ok, bad = ok[0], bad[0]
assert ok["ppid"] == int(okp) and ok["ret"] == 0 and ok["errno"] is None
assert ok["args"] == ["argv0", "noop", "a b", "nl\nx"], ok
assert ok["filename"] == trig and ok["comm"] == "ct-trigger"
assert ok["truncated"] is False and ok["uid"] == 0 and ok["user"] == "root"
assert bad["ret"] == -2 and bad["errno"] == "ENOENT"
assert bad["filename"] == "/nonexistent/prog" and bad["args"] == ["prog"]
assert ok["time"].endswith("Z") and "T" in ok["time"]
PY
fi
ct_done

ct_case "execsnoop: perf buffer fallback delivers events"
CT_FORCE_PERFBUF=1 tool_start execsnoop -v -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop perfbuf
tool_stop
expect_grep "events: using perf buffer" "$err"
expect_line "$(exec_line ct-trigger "$child" "$parent" 0 "$TRIGGER noop perfbuf")"
ct_done

ct_case "execsnoop: -d 1 ends by itself with status 0"
start=$(date +%s)
run_tool execsnoop -d 1
end=$(date +%s)
expect_status 0
[ $((end - start)) -le 4 ] || ct_fail "took $((end - start)) s"
ct_done

for sig in INT TERM HUP; do
	ct_case "execsnoop: SIG$sig exits 0 and leaves no BPF program"
	tool_start execsnoop
	record_bpf_ids
	tool_stop "$sig"
	expect_status 0
	expect_no_bpf_left
	ct_done
done

ct_case "execsnoop: a closed pipe ends it quietly with status 0"
( "$CT_BIN/execsnoop" -n ct-trigger 2>"$err"; echo $? >"$CT_TMP/st" ) |
	head -1 >"$out" &
ct_sleep 1.5
trigger_exec exec "$TRIGGER" argv0 noop
trigger_exec exec "$TRIGGER" argv0 noop
wait
[ "$(cat "$CT_TMP/st")" = 0 ] || ct_fail "exit status $(cat "$CT_TMP/st")"
[ -s "$err" ] && ct_fail "stderr: $(cat "$err")"
ct_done

ct_case "execsnoop: bad input gets one line and status 2"
for args in "-u no_such_user_x" "-p abc" "-p -1" "-p 0" "-p 99999999999" \
	"-d 0" "-d -1" "-d abc" "-n abcdefghijklmnopq" "--max-args 0" \
	"--max-args 100000" "--ppid x" "-c /nonexistent" "-l" "--bogus" \
	"extra"; do
	run_tool execsnoop $args
	[ "$tool_status" = 2 ] || ct_fail "'$args': status $tool_status"
	head -1 "$err" | grep -q '^execsnoop: ' ||
		ct_fail "'$args': first line '$(head -1 "$err")'"
done
run_tool execsnoop -n ""
[ "$tool_status" = 2 ] || ct_fail "'-n \"\"': status $tool_status"
ct_done

ct_case "execsnoop: unprivileged run says what is missing"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$CT_BIN/execsnoop" >"$out" 2>"$err"
	tool_status=$?
	expect_status 1
	[ -s "$out" ] && ct_fail "stdout: $(cat "$out")"
	[ "$(cat "$err")" = "execsnoop: needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN): try 'sudo execsnoop'" ] ||
		ct_fail "stderr: $(cat "$err")"
fi
ct_done

ct_case "execsnoop: exec from a non-leader thread, -x leaves no state behind"
if ! command -v setpriv >/dev/null 2>&1 || ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "needs setpriv and bpftool"
else
	tool_start execsnoop -x -u 65534
	set -- $(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CT_BIN/tests/thread-exec" "$TRIGGER" argv0 noop fromthread)
	ct_sleep 0.3
	left=$(bpftool map dump name starts 2>/dev/null | grep -c '"key"\|^key' || true)
	tool_stop
	expect_line "$(exec_line ct-trigger "$1" "$2" 0 "$TRIGGER noop fromthread")"
	[ "$left" = 0 ] || ct_fail "$left exec entries left in the starts map"
fi
ct_done
