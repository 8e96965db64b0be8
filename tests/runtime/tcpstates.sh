# Runtime tests of tcpstates: real loopback connections, exact state
# sequences for both ends.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcpstates

# The columns a test can know exactly (pid and comm are those of the task
# a softirq interrupted for most changes; MS varies).
F=--fields=skaddr,laddr,lport,raddr,rport,oldstate,newstate

# state ADDR LPORT RADDR RPORT OLD NEW: a line of $F without SKADDR.
state() {
	printf '%-15s %5s %-15s %5s %-11s %s\n' "$@"
}

wstate() {
	printf '%-39s %5s %-39s %5s %-11s %s\n' "$@"
}

# expect_seq NAME REGEX: the lines of stdout matching REGEX (after the
# SKADDR column, which must be one for them all) are those of $CT_TMP/want.
expect_seq() {
	grep -- "^0x[0-9a-f]* $2" "$out" >"$CT_TMP/got.$1"
	[ "$(cut -d' ' -f1 "$CT_TMP/got.$1" | sort -u | wc -l)" = 1 ] ||
		ct_fail "$1: not one socket address"
	cut -d' ' -f2- "$CT_TMP/got.$1" | cmp -s - "$CT_TMP/want" ||
		ct_fail "$1: $(cut -d' ' -f2- "$CT_TMP/got.$1" | tr '\n' '|')"
}

# Both ends of a pair on $PORT, family address $1 ($2 = w: with -w).
expect_pair() {
	a=$1 fmt=state
	[ "${2:-}" = w ] && fmt=wstate
	{
		$fmt "$a" 0 "$a" "$PORT" CLOSE SYN_SENT
		$fmt "$a" "$cport" "$a" "$PORT" SYN_SENT ESTABLISHED
		$fmt "$a" "$cport" "$a" "$PORT" ESTABLISHED FIN_WAIT1
		$fmt "$a" "$cport" "$a" "$PORT" FIN_WAIT1 FIN_WAIT2
		$fmt "$a" "$cport" "$a" "$PORT" FIN_WAIT2 CLOSE
	} >"$CT_TMP/want"
	expect_seq client " *$a  *\(0\|$cport\) $a  *$PORT "
	# 6.1 shows a passive child before its remote end is set.
	none=0.0.0.0
	case $a in *:*) none=:: ;; esac
	child=$($fmt "$a" "$PORT" "$none" 0 LISTEN SYN_RECV)
	grep -q -- "^0x[0-9a-f]* $child\$" "$out" ||
		child=$($fmt "$a" "$PORT" "$a" "$cport" LISTEN SYN_RECV)
	{
		echo "$child"
		$fmt "$a" "$PORT" "$a" "$cport" SYN_RECV ESTABLISHED
		$fmt "$a" "$PORT" "$a" "$cport" ESTABLISHED CLOSE_WAIT
		$fmt "$a" "$PORT" "$a" "$cport" CLOSE_WAIT LAST_ACK
		$fmt "$a" "$PORT" "$a" "$cport" LAST_ACK CLOSE
	} >"$CT_TMP/want"
	expect_seq server \
		" *$a  *$PORT \($a  *$cport \|$none  *0 LISTEN  *SYN_RECV\)"
}

# await_pair A [w]: the last change of each end, while the tool runs.
await_pair() {
	fmt=state
	[ "${2:-}" = w ] && fmt=wstate
	wait_grep "^0x[0-9a-f]* $($fmt "$1" "$cport" "$1" "$PORT" FIN_WAIT2 CLOSE)\$"
	wait_grep "^0x[0-9a-f]* $($fmt "$1" "$PORT" "$1" "$cport" LAST_ACK CLOSE)\$"
}

ct_case "tcpstates: a full map: the sockets it could not time are counted"
# Three connections held open at once: six sockets for two entries.
CT_MAP_ENTRIES=since=2 tool_start tcpstates $F
held_at_once 3
tool_stop
expect_grep '^tcpstates: [1-9][0-9]* sockets not timed (0 ms at their next change) (a map was full)$' "$err"
ct_done

# Start-up: a hash map is filled whole at load (65536 slots took 2 ms):
# its size follows the TCP sockets there are.
ct_case "tcpstates: socket slots by /proc/net/sockstat, a state change shown"
before=$(want_slots)
tool_start tcpstates $F
record_bpf_ids
after=$(want_slots)
slots=$(hash_slots "$tool_pid")
[ "$slots" = "$before" ] || [ "$slots" = "$after" ] ||
	ct_fail "hash map of $slots slots, expected $before"
pair 4 1 1 "$PORT"
await_pair 127.0.0.1
tool_stop
expect_status 0
expect_pair 127.0.0.1
ct_done

ct_case "tcpstates: IPv4, each end's changes in order, as they happen"
tool_start tcpstates $F
pair 4 100 200 "$PORT"
await_pair 127.0.0.1
tool_stop
expect_status 0
expect_line "SKADDR             LADDR           LPORT RADDR           RPORT OLDSTATE    NEWSTATE"
expect_pair 127.0.0.1
expect_grep "^0x[0-9a-f]* $(state 127.0.0.1 "$PORT" 0.0.0.0 0 LISTEN CLOSE)\$"
ct_done

ct_case "tcpstates: IPv6 ::1 and v4-mapped with -6 -w; -4"
tool_start tcpstates -6 -w $F
pair 6 1 2 "$PORT"
await_pair ::1 w
expect_pair ::1 w
pair mapped 1 2 "$PORT"
await_pair ::ffff:127.0.0.1 w
expect_pair ::ffff:127.0.0.1 w
pair 4 1 2 "$PORT"
tool_stop
expect_no_grep " 127\.0\.0\.1 "
tool_start tcpstates -4 $F
pair 6 1 2 "$PORT"
pair 4 1 2 "$PORT"
await_pair 127.0.0.1
tool_stop
expect_no_grep " ::1 "
ct_done

ct_case "tcpstates: a refused connect: SYN_SENT, then CLOSE with its port"
tool_start tcpstates $F
set -- $("$TCP" refused 4)
wait_grep "^0x[0-9a-f]* $(state 127.0.0.1 '[1-9][0-9]*' 127.0.0.1 "$2" \
	SYN_SENT CLOSE)\$"
tool_stop
{
	state 127.0.0.1 0 127.0.0.1 "$2" CLOSE SYN_SENT
	# Only this connect's line: other tests' refused connects run beside.
	grep " 127\.0\.0\.1  *$2 SYN_SENT  *CLOSE\$" "$out" | cut -d' ' -f2-
} >"$CT_TMP/want"
expect_seq refused " *127\.0\.0\.1  *[0-9]* 127\.0\.0\.1  *$2 "
ct_done

ct_case "tcpstates: -L only the server's end, -D only the client's"
tool_start tcpstates -L "$PORT" $F
pair 4 1 2 "$PORT"
wait_grep "^0x[0-9a-f]* $(state 127.0.0.1 "$PORT" 127.0.0.1 "$cport" \
	LAST_ACK CLOSE)\$"
tool_stop
expect_no_grep " $PORT SYN_SENT "
expect_no_grep " FIN_WAIT2 "
tool_start tcpstates -D "$PORT" $F
pair 4 1 2 "$PORT"
wait_grep "^0x[0-9a-f]* $(state 127.0.0.1 "$cport" 127.0.0.1 "$PORT" \
	FIN_WAIT2 CLOSE)\$"
tool_stop
expect_no_grep " LISTEN "
expect_no_grep " LAST_ACK "
ct_done

esc=$(printf '\033')
nl='
'

ct_case "tcpstates: --json: connect()'s and close()'s task, time in states"
tool_start tcpstates --json -v
"$TCP" -n "t${nl}x${esc}" pair 4 1 2 "$PORT" >"$CT_TMP/pair"
set -- $(cat "$CT_TMP/pair")
cpid=$1 spid=$2 cport=$4
await_out "the server's close" \
	"\"lport\":$PORT,.*\"oldstate\":\"LAST_ACK\",\"newstate\":\"CLOSE\""
tool_stop
if have_python; then
	python3 - "$out" "$cpid" "$spid" "$cport" "$PORT" <<'PY' >"$CT_TMP/py" 2>&1 ||
import json, sys
cpid, spid, cport, port = map(int, sys.argv[2:])
ev = [e for e in map(json.loads, open(sys.argv[1]))
      if port in (e["lport"], e["rport"])]
def one(old, new, lport):
    m = [e for e in ev if (e["oldstate"], e["newstate"], e["lport"]) ==
         (old, new, lport)]
    if len(m) != 1:
        sys.exit("%d lines %s->%s lport %d" % (len(m), old, new, lport))
    return m[0]
e = one("CLOSE", "SYN_SENT", 0)
if (e["pid"], e["comm"], e["ip"], e["raddr"], e["rport"], e["old_state_ns"]) \
        != (cpid, "t\nx\x1b", 4, "127.0.0.1", port, 0):
    sys.exit("connect: %s" % e)
e = one("CLOSE_WAIT", "LAST_ACK", port)
if (e["pid"], e["comm"], e["rport"]) != (spid, "ct-tcp-srv", cport):
    sys.exit("close: %s" % e)
if one("ESTABLISHED", "FIN_WAIT1", cport)["pid"] != cpid:
    sys.exit("the client's close() is not its own")
for e in ev:
    if e["oldstate"] != "CLOSE" and e["oldstate"] != "LISTEN" and \
            not e["old_state_ns"] > 0:
        sys.exit("no time in %s: %s" % (e["oldstate"], e))
    if not e["skaddr"].startswith("0x") or len(e["skaddr"]) != 18:
        sys.exit("skaddr %s" % e["skaddr"])
PY
		ct_fail "$(head -1 "$CT_TMP/py")"
fi
tool_start tcpstates -D "$PORT"
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 1 2 "$PORT")
wait_grep "^0x[0-9a-f]* $1  *t\\\\nx\\\\x1b  *127\.0\.0\.1  *0 127\.0\.0\.1  *$PORT CLOSE  *SYN_SENT  *0\.000\$"
tool_stop
ct_done

for tp in raw_tp tracepoint; do
	ct_case "tcpstates: both ends with CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start tcpstates -v $F
	pair 4 1 2 "$PORT"
	await_pair 127.0.0.1
	tool_stop
	expect_pair 127.0.0.1
	expect_grep "^tcpstates: state changes: using $tp" "$err"
	ct_done
done

ct_case "tcpstates: -T and -t columns"
tool_start tcpstates -T -t -D "$PORT"
pair 4 1 2 "$PORT"
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *0x[0-9a-f]* [0-9]*  *[^ ]*  *127\.0\.0\.1  *$cport 127\.0\.0\.1  *$PORT FIN_WAIT2  *CLOSE  *[0-9]*\.[0-9][0-9][0-9]\$"
tool_stop
expect_line "TIME     TIME(s)  SKADDR             C-PID   C-COMM           LADDR           LPORT RADDR           RPORT OLDSTATE    NEWSTATE           MS"
ct_done

ct_case "tcpstates: text, --json and --csv of one change agree"
f=time,skaddr,pid,tid,comm,ip,laddr,lport,raddr,rport,oldstate,newstate
fields_start tcpstates --fields=$f -D "$PORT"
pair 4 1 2 "$PORT"
fields_stop
expect_grep "^[-0-9T:.]*Z,0x[0-9a-f]*,$cpid,$cpid,ct-tcp,4,127.0.0.1,0,127.0.0.1,$PORT,CLOSE,SYN_SENT\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" newstate SYN_SENT
ct_done

ct_case "tcpstates: --fields=help, usage errors"
run_tool tcpstates --fields=help
expect_status 0
expect_grep "^old_state_ns  "
run_tool tcpstates -D 1,2,3,4,5,6,7,8,9
expect_usage "tcpstates: -D/--remoteport: '1,2,3,4,5,6,7,8,9' is not a list of at most 8 ports (1-65535)"
expect_fields_usage tcpstates skaddr
ct_done
