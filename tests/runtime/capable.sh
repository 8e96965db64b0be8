# Runtime tests of capable: real capability checks, exact lines.
. "$(dirname "$0")/lib.sh"
ct_require_root "capable"

# The helper under this run's name (lib.sh's CT_ID), which -n filters
# on: the same test in another checkout at once must not add its checks
# to the counts here.
ct_named ct-cap "$CT_PUBLIC_BIN/tests/ct-cap"
CAP=$named
C=$named_comm
nobody=65534
init_ns=$(stat -L -c %i /proc/self/ns/user)

# The line capable prints for one check (default fields).
cap_line() {
	printf '%-5s %-7s %-16s %3s %-22s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}

# Run ct-cap ARGS...; sets $pid, $ns (its user namespace at the end) and
# $res (the action's errno).
run_cap() {
	set -- $("$CAP" "$@")
	pid=$1 ns=$2 res=$3
}

# ct-cap -w ARGS... in the background: sets $pid once it waits (its
# output goes to $cap_file, its job is $cap_job).
caps=0
start_cap() {
	caps=$((caps + 1))
	cap_file=$CT_TMP/cap.$caps
	"$CAP" -w "$@" >"$cap_file" &
	cap_job=$!
	i=0
	until [ -s "$cap_file" ] || [ $i -ge 200 ]; do
		ct_sleep 0.02
		i=$((i + 1))
	done
	pid=$(head -1 "$cap_file")
}

# Let the waiting ct-cap $pid act; sets $ns and $res.
go_cap() {
	kill -USR1 "$pid"
	wait "$cap_job"
	set -- $(tail -1 "$cap_file")
	ns=$2 res=$3
}

# The number of lines of stdout matching the basic regex $1.
count() {
	grep -c -- "$1" "$out"
}

expect_count() {
	n=$(count "$2")
	[ "$n" = "$1" ] || ct_fail "$n lines match '$2', expected $1"
}

# Which hook this kernel gives: sets $hook to tracepoint or kprobe.
run_tool capable -v -d 0.1
case $(cat "$err") in
*"checks: using kprobe"*) hook=kprobe ;;
*) hook=tracepoint ;;
esac

file=$CT_TMP/owned
: >"$file"

# The kernel refuses new user namespaces inside a chroot (and where
# user.max_user_namespaces is 0): those cases skip there.
run_cap -u $nobody userns-hostname
no_userns=
[ "$res" = 0 ] ||
	no_userns="no user namespace can be made here (errno $res: a chroot?)"

ct_case "capable: allowed in a new user namespace, denied without, CAP_CHOWN"
tool_start capable -n "$C"
run_cap -u $nobody newuts
[ "$res" = 1 ] || ct_fail "unshare(CLONE_NEWUTS) as nobody: errno $res"
wait_line "$(cap_line $nobody "$pid" "$C" 21 CAP_SYS_ADMIN deny)"
if [ -z "$no_userns" ]; then
	run_cap -u $nobody userns-hostname
	[ "$res" = 0 ] ||
		ct_fail "sethostname in a new user namespace: errno $res"
	wait_line "$(cap_line $nobody "$pid" "$C" 21 CAP_SYS_ADMIN allow)"
fi
run_cap chown "$file"
wait_line "$(cap_line 0 "$pid" "$C" 0 CAP_CHOWN allow)"
tool_stop
expect_status 0
expect_line "$(printf '%-5s %-7s %-16s %3s %-22s %s' UID PID COMM CAP NAME \
	VERDICT)"
ct_done

# JSON without "time" and "user" (which vary).
json_lines() {
	sed 's/^{"time":"[^"]*",/{/; s/"user":null,//; s/"user":"[^"]*",//' \
		"$out"
}

expect_json_line() {
	json_lines | grep -Fxq -- "$1" || ct_fail "no JSON line '$1'"
}

# "audit" and "insetid" of ns_capable() (setuid(): ns_capable_setid()).
if [ $hook = kprobe ]; then
	opts='"audit":true,"insetid":false'
else
	opts='"audit":null,"insetid":null'
fi

ct_case "capable: --json, denied and allowed (user namespaces)"
start_cap -u $nobody newuts
tool_start capable -v --json -p "$pid"
go_cap
await_out "the denied check" -F '"pid":'"$pid"
tool_stop
expect_json_line "{\"uid\":$nobody,\"pid\":$pid,\"tid\":$pid,\"comm\":\"$C\",\"cap\":21,\"name\":\"CAP_SYS_ADMIN\",$opts,\"verdict\":\"deny\",\"err\":1,\"errno\":\"EPERM\",\"target_ns\":$init_ns,\"capable_ns\":$init_ns}"
ct_done

ct_case "capable: --json of a check in a new user namespace, setuid()"
if [ -n "$no_userns" ]; then
	ct_skip "$no_userns"
else
	start_cap -u $nobody userns-hostname
	tool_start capable -v --json -p "$pid"
	go_cap
	await_out "the sethostname check" -F "\"target_ns\":$ns,\"capable_ns\":$ns"
	tool_stop
	[ "$ns" != "$init_ns" ] || ct_fail "no new user namespace"
	expect_json_line "{\"uid\":$nobody,\"pid\":$pid,\"tid\":$pid,\"comm\":\"$C\",\"cap\":21,\"name\":\"CAP_SYS_ADMIN\",$opts,\"verdict\":\"allow\",\"err\":0,\"errno\":null,\"target_ns\":$ns,\"capable_ns\":$ns}"
	# unshare() checks CAP_SYS_ADMIN in the new namespace before the task
	# moves there: its credentials are still the initial namespace's.
	expect_json_line "{\"uid\":$nobody,\"pid\":$pid,\"tid\":$pid,\"comm\":\"$C\",\"cap\":21,\"name\":\"CAP_SYS_ADMIN\",$opts,\"verdict\":\"allow\",\"err\":0,\"errno\":null,\"target_ns\":$ns,\"capable_ns\":$init_ns}"
fi
ct_done

ct_case "capable: AUDIT and INSETID (kprobe path), - on the tracepoint"
tool_start capable -n "$C" --fields=pid,name,audit,insetid,verdict
run_cap setuid 1
tool_stop
if [ $hook = kprobe ]; then
	a=true i=true
else
	a=- i=-
fi
expect_line "$(printf '%-7s %-22s %-5s %-7s %s' "$pid" CAP_SETUID $a $i allow)"
ct_done

ct_case "capable: -x shows only denied checks"
tool_start capable -x -n "$C"
run_cap -u $nobody newuts
wait_line "$(cap_line $nobody "$pid" "$C" 21 CAP_SYS_ADMIN deny)"
run_cap chown "$file"
tool_stop
expect_count 0 " allow\$"
expect_count 1 " deny\$"
ct_done

# Names of capabilities newer than many peers' tables (bcc#3083).
ct_case "capable: CAP_BPF (Linux 5.8) by name"
if [ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null)" = 0 ]
then
	ct_skip "unprivileged BPF is on: a user's map needs no CAP_BPF"
else
	tool_start capable -x -n "$C"
	run_cap -u $nobody bpf
	wait_line "$(cap_line $nobody "$pid" "$C" 39 CAP_BPF deny)"
	tool_stop
	[ "$res" = 1 ] || ct_fail "BPF_MAP_CREATE as nobody: errno $res"
	ct_done
fi

ct_case "capable: --unique shows each (process, capability) once"
tool_start capable --unique -n "$C"
run_cap setuid 3
p1=$pid
run_cap setuid 2
wait_line "$(cap_line 0 "$pid" "$C" 7 CAP_SETUID allow)"
tool_stop
expect_count 1 "^0 *$p1 .*CAP_SETUID"
expect_count 1 "^0 *$pid .*CAP_SETUID"
[ -s "$err" ] && ct_fail "stderr: $(head -1 "$err")"
ct_done

# Started before the tool: their exec's checks are not seen.
ct_case "capable: --unique counts what a full table cannot remember"
start_cap setuid 3
p1=$pid j1=$cap_job f1=$cap_file
start_cap setuid 3
tool_start capable --unique --unique-max 1 -n "$C"
p2=$pid pid=$p1 cap_job=$j1 cap_file=$f1
go_cap
wait_line "$(cap_line 0 "$p1" "$C" 7 CAP_SETUID allow)"
pid=$p2
go_cap
wait_line "$(cap_line 0 "$pid" "$C" 7 CAP_SETUID allow)"
tool_stop
expect_count 1 "^0 *$p1 .*CAP_SETUID"
expect_count 3 "^0 *$pid .*CAP_SETUID"
expect_count 4 "CAP_"
grep -Fxq "capable: --unique: 3 checks shown but not remembered: the table of 1 pairs was full (--unique-max)" "$err" ||
	ct_fail "stderr: $(cat "$err")"
ct_done

ct_case "capable: -p and -u filter"
start_cap setuid 1
tool_start capable -p "$pid"
run_cap setuid 1
other=$pid
pid=$(head -1 "$cap_file")
go_cap
wait_line "$(cap_line 0 "$pid" "$C" 7 CAP_SETUID allow)"
tool_stop
expect_no_grep "^0 *$other "
expect_count 1 "CAP_"
tool_start capable -u $nobody
run_cap chown "$file"
other=$pid
run_cap -u $nobody newuts
wait_line "$(cap_line $nobody "$pid" "$C" 21 CAP_SYS_ADMIN deny)"
tool_stop
expect_no_grep " $other "
expect_no_grep "^0 "
ct_done

ct_case "capable: -c filters by cgroup, --unique per cgroup"
if ct_make_cgroup capable; then
	tool_start capable -c "$cg" --unique
	ct_in_cgroup "$cg" "$CAP" setuid 2 >"$CT_TMP/c1"
	ct_in_cgroup "$cg" "$CAP" setuid 2 >"$CT_TMP/c2"
	run_cap setuid 1
	outside=$pid
	pid=$(cut -d' ' -f1 "$CT_TMP/c1")
	wait_line "$(cap_line 0 "$pid" "$C" 7 CAP_SETUID allow)"
	tool_stop
	expect_count 1 "CAP_SETUID"
	expect_no_grep "^0 *$outside "
	ct_done
else
	ct_skip "cannot make a cgroup v2 directory"
fi

ct_case "capable: a command name with control characters is escaped"
esc=$(printf '\033')
nl='
'
start_cap -n "c${nl}x${esc}[1m" setuid 1
fields_start capable -p "$pid"
go_cap
wait_line "$(cap_line 0 "$pid" 'c\nx\x1b[1m' 7 CAP_SETUID allow)"
fields_stop
if have_python; then
	python3 - "$CT_TMP/fields.json" <<'PY' || ct_fail "JSON comm"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(not rows or rows[0]["comm"] != "c\nx\x1b[1m")
PY
	grep -Fq ',c\nx\x1b[1m,' "$CT_TMP/fields.csv" ||
		ct_fail "CSV: $(tail -1 "$CT_TMP/fields.csv")"
fi
ct_done

ct_case "capable: text, --json and --csv agree"
start_cap -u $nobody newuts
fields_start capable -p "$pid" \
	--fields=uid,pid,comm,cap,name,verdict,err,errno,target_ns,capable_ns
go_cap
wait_line "$(printf '%-5s %-7s %-16s %3s %-22s %-7s %3s %-6s %-10s %s' \
	$nobody "$pid" "$C" 21 CAP_SYS_ADMIN deny -1 EPERM "$init_ns" \
	"$init_ns")"
fields_stop
fields_agree uid,pid,comm,cap,name,verdict,err,errno,target_ns,capable_ns \
	pid "$pid"
ct_done

# The three kinds of tracepoint program print the same.
for kind in raw_tp tracepoint; do
	ct_case "capable: CT_FORCE_TP=$kind"
	if [ $hook = kprobe ]; then
		ct_skip "no capability:cap_capable tracepoint here (6.14+)"
		continue
	fi
	CT_FORCE_TP=$kind tool_start capable -v -n "$C"
	run_cap -u $nobody newuts
	wait_line "$(cap_line $nobody "$pid" "$C" 21 CAP_SYS_ADMIN deny)"
	tool_stop
	expect_grep "checks: using $kind" "$err"
	ct_done
done

# -K/-U: the check's stacks under its line. tests/helpers/offcpu's
# ct-offcpu (frame pointers) checks CAP_SETUID from main -> cap_x -> cap_y
# -> setuid(), and stays alive while capable reads its mappings.
# setuid_helper: run it; $hpid once it has checked (a loaded machine may
# take seconds to start it), alive 3 s more.
setuid_helper() {
	"$CT_PUBLIC_BIN/tests/ct-offcpu" setuid 3000 >"$CT_TMP/setuid" &
	hpid=$!
	i=0
	until [ -s "$CT_TMP/setuid" ] || [ $i -ge 500 ]; do
		ct_sleep 0.02
		i=$((i + 1))
	done
}
stack_block() {
	awk -v pid="$1" '
		$2 == pid && $3 == "ct-offcpu" && $5 == "CAP_SETUID" &&
			$6 == "allow" { s = 1; next }
		s == 1 && /^        cap_capable$/ { s = 2; next }
		s == 2 && /^        __sys_setuid$/ { s = 3; next }
		# Before 5.16 the unwinder stops at the return probe'"'"'s
		# trampoline (the kprobe path): the user stack follows.
		s == 2 && /^        kretprobe_trampoline$/ { s = 4; next }
		s == 2 && /^        [a-z_]*$/ { next }
		s == 3 && /^        entry_SYSCALL_64/ { s = 4; next }
		s == 3 && /^        [a-z_0-9]*$/ { next }
		s == 4 && /^        cap_y$/ { s = 5; next }
		s == 5 && /^        cap_x$/ { s = 6; next }
		s == 6 && /^        main$/ { ok = 1 }
		{ s = 0 }
		END { exit !ok }' "$out"
}
for kind in $hook raw_tp tracepoint; do
	ct_case "capable: -K -U ($kind): the kernel and the user stack of a check under its line; --json arrays"
	if [ $hook = kprobe ] && [ $kind != kprobe ]; then
		ct_skip "no capability:cap_capable tracepoint here (6.14+)"
		continue
	fi
	[ $kind = $hook ] && force= || force=$kind
	CT_FORCE_TP=$force tool_start capable -K -U -v -n ct-offcpu
	setuid_helper
	wait_line "        cap_x"
	kill $hpid 2>/dev/null
	wait $hpid
	tool_stop
	expect_status 0
	stack_block "$hpid" ||
		ct_fail "no CAP_SETUID line of $hpid with cap_capable ... __sys_setuid ... cap_y, cap_x, main under it"
	ct_done
done

ct_case "capable: -K -U --json: kstack and ustack arrays, no user stack during an exec; -K alone: no ustack"
tool_start capable -K -U --json -v -n ct-offcpu
setuid_helper
wait_grep '"name":"CAP_SETUID".*"sym":"cap_x"'
kill $hpid 2>/dev/null
wait $hpid
tool_stop
expect_status 0
if have_python; then
	python3 - "$out" "$hpid" <<'PY' >"$CT_TMP/py" 2>&1 ||
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
pid = int(sys.argv[2])
r = [r for r in rows if r["pid"] == pid and r["name"] == "CAP_SETUID"][0]
k = [f["sym"] for f in r["kstack"]]
assert k[0] == "cap_capable" and ("__sys_setuid" in k or
                                   k[1:] == ["kretprobe_trampoline"]), k
u = [f["sym"] for f in r["ustack"]]
assert u[:3] == ["cap_y", "cap_x", "main"], u
assert r["kstack_missed"] is False and r["ustack_missed"] is False, r
# Checks during its exec have no user stack: the old program's registers
# walked in the new program's mappings would name wrong frames.
ex = [r for r in rows if r["pid"] == pid and
      "bprm_execve" in [f["sym"] for f in r["kstack"]]]
assert ex, "no check during the exec"
assert all(r["ustack"] is None for r in ex), ex[0]["ustack"]
PY
	ct_fail "JSON: $(cat "$CT_TMP/py")"
fi
tool_start capable -K --json -v -n ct-offcpu
"$CT_PUBLIC_BIN/tests/ct-offcpu" setuid 0 >/dev/null
tool_stop
expect_grep '"name":"CAP_SETUID",.*"kstack":\[{"addr":[0-9]*,"sym":"cap_capable",.*"kstack_missed":false}$'
expect_no_grep '"ustack"'
run_tool capable -K --csv
expect_usage "capable: -K/-U: not with --csv or --journal"
ct_done

ct_case "capable: the kprobe path where the tracepoint is missing"
if [ $hook = tracepoint ]; then
	ct_skip "the tracepoint is here (the kprobe path runs before 6.14)"
else
	run_tool capable -v -d 0.1
	expect_grep "checks: using kprobe+kretprobe cap_capable" "$err"
	ct_done
fi
