# Runtime tests of capable: real capability checks, exact lines.
. "$(dirname "$0")/lib.sh"
ct_require_root "capable"

CAP=$CT_PUBLIC_BIN/tests/ct-cap
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
tool_start capable -n ct-cap
run_cap -u $nobody newuts
[ "$res" = 1 ] || ct_fail "unshare(CLONE_NEWUTS) as nobody: errno $res"
wait_line "$(cap_line $nobody "$pid" ct-cap 21 CAP_SYS_ADMIN deny)"
if [ -z "$no_userns" ]; then
	run_cap -u $nobody userns-hostname
	[ "$res" = 0 ] ||
		ct_fail "sethostname in a new user namespace: errno $res"
	wait_line "$(cap_line $nobody "$pid" ct-cap 21 CAP_SYS_ADMIN allow)"
fi
run_cap chown "$file"
wait_line "$(cap_line 0 "$pid" ct-cap 0 CAP_CHOWN allow)"
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
expect_json_line "{\"uid\":$nobody,\"pid\":$pid,\"tid\":$pid,\"comm\":\"ct-cap\",\"cap\":21,\"name\":\"CAP_SYS_ADMIN\",$opts,\"verdict\":\"deny\",\"err\":1,\"errno\":\"EPERM\",\"target_ns\":$init_ns,\"capable_ns\":$init_ns}"
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
	expect_json_line "{\"uid\":$nobody,\"pid\":$pid,\"tid\":$pid,\"comm\":\"ct-cap\",\"cap\":21,\"name\":\"CAP_SYS_ADMIN\",$opts,\"verdict\":\"allow\",\"err\":0,\"errno\":null,\"target_ns\":$ns,\"capable_ns\":$ns}"
	# unshare() checks CAP_SYS_ADMIN in the new namespace before the task
	# moves there: its credentials are still the initial namespace's.
	expect_json_line "{\"uid\":$nobody,\"pid\":$pid,\"tid\":$pid,\"comm\":\"ct-cap\",\"cap\":21,\"name\":\"CAP_SYS_ADMIN\",$opts,\"verdict\":\"allow\",\"err\":0,\"errno\":null,\"target_ns\":$ns,\"capable_ns\":$init_ns}"
fi
ct_done

ct_case "capable: AUDIT and INSETID (kprobe path), - on the tracepoint"
tool_start capable -n ct-cap --fields=pid,name,audit,insetid,verdict
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
tool_start capable -x -n ct-cap
run_cap -u $nobody newuts
wait_line "$(cap_line $nobody "$pid" ct-cap 21 CAP_SYS_ADMIN deny)"
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
	tool_start capable -x -n ct-cap
	run_cap -u $nobody bpf
	wait_line "$(cap_line $nobody "$pid" ct-cap 39 CAP_BPF deny)"
	tool_stop
	[ "$res" = 1 ] || ct_fail "BPF_MAP_CREATE as nobody: errno $res"
	ct_done
fi

ct_case "capable: --unique shows each (process, capability) once"
tool_start capable --unique -n ct-cap
run_cap setuid 3
p1=$pid
run_cap setuid 2
wait_line "$(cap_line 0 "$pid" ct-cap 7 CAP_SETUID allow)"
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
tool_start capable --unique --unique-max 1 -n ct-cap
p2=$pid pid=$p1 cap_job=$j1 cap_file=$f1
go_cap
wait_line "$(cap_line 0 "$p1" ct-cap 7 CAP_SETUID allow)"
pid=$p2
go_cap
wait_line "$(cap_line 0 "$pid" ct-cap 7 CAP_SETUID allow)"
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
wait_line "$(cap_line 0 "$pid" ct-cap 7 CAP_SETUID allow)"
tool_stop
expect_no_grep "^0 *$other "
expect_count 1 "CAP_"
tool_start capable -u $nobody
run_cap chown "$file"
other=$pid
run_cap -u $nobody newuts
wait_line "$(cap_line $nobody "$pid" ct-cap 21 CAP_SYS_ADMIN deny)"
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
	wait_line "$(cap_line 0 "$pid" ct-cap 7 CAP_SETUID allow)"
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
	$nobody "$pid" ct-cap 21 CAP_SYS_ADMIN deny -1 EPERM "$init_ns" \
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
	CT_FORCE_TP=$kind tool_start capable -v -n ct-cap
	run_cap -u $nobody newuts
	wait_line "$(cap_line $nobody "$pid" ct-cap 21 CAP_SYS_ADMIN deny)"
	tool_stop
	expect_grep "checks: using $kind" "$err"
	ct_done
done

ct_case "capable: the kprobe path where the tracepoint is missing"
if [ $hook = tracepoint ]; then
	ct_skip "the tracepoint is here (the kprobe path runs before 6.14)"
else
	run_tool capable -v -d 0.1
	expect_grep "checks: using kprobe+kretprobe cap_capable" "$err"
	ct_done
fi
