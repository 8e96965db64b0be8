# Runtime tests of solisten: real listens on loopback (ct-tcp listen),
# exact lines while the tool runs.
. "$(dirname "$0")/lib.sh"
ct_tcp_init solisten

SOMAXCONN=$(cat /proc/sys/net/core/somaxconn)

# lis ARGS...: ct-tcp listen ARGS; sets $lpid, $lport, $lerr.
lis() {
	set -- $("$TCP" listen "$@")
	lpid=$1 lport=$2 lerr=$3
	[ -n "$lerr" ] || ct_fail "ct-tcp listen failed"
}

# line PID COMM RET BACKLOG PROTO IP PORT ADDR: the default columns.
line() {
	printf '%-7s %-16s %4s %7s %-5s %2s %5s %s\n' "$@"
}

ct_case "solisten: IPv4 and IPv6, bound or not (the port the kernel chose)"
tool_start solisten
expect_line "PID     COMM              RET BACKLOG PROTO IP  PORT ADDR"
lis 4 tcp "$PORT" 7
wait_line "$(line "$lpid" ct-tcp 0 7 TCP 4 "$PORT" 127.0.0.1)"
lis 6 tcp - 3
wait_line "$(line "$lpid" ct-tcp 0 3 TCP 6 "$lport" ::)"
[ "$lport" -gt 0 ] || ct_fail "ct-tcp listened on port $lport"
lis mapped tcp "$PORT" 1
wait_line "$(line "$lpid" ct-tcp 0 1 TCP 6 "$PORT" ::ffff:127.0.0.1)"
tool_stop
expect_status 0
ct_done

ct_case "solisten: the backlog the kernel keeps; a failed listen (UDP)"
tool_start solisten
lis 6 tcp "$PORT" $((SOMAXCONN + 1))
wait_line "$(line "$lpid" ct-tcp 0 "$SOMAXCONN" TCP 6 "$PORT" ::1)"
lis 4 udp "$PORT" 5
[ "$lerr" = 95 ] || ct_fail "listen on UDP: errno $lerr, not 95"
wait_line "$(line "$lpid" ct-tcp -95 - UDP 4 "$PORT" 127.0.0.1)"
tool_stop
ct_done

esc=$(printf '\033')
nl='
'

ct_case "solisten: --json: result, backlogs, netns; escaped names"
tool_start solisten --json -v
set -- $("$TCP" -n "l${nl}x${esc}" listen 4 tcp "$PORT" -1)
p1=$1
await_out "the listen" "\"pid\":$p1,"
set -- $("$TCP" listen 6 udp - 9)
await_out "the failed listen" "\"pid\":$1,.*\"errno\":\"EOPNOTSUPP\""
tool_stop
netns=$(stat -L -c %i /proc/self/ns/net)
if have_python; then
	python3 - "$out" "$p1" "$1" "$PORT" "$SOMAXCONN" "$netns" \
		<<'PY' >"$CT_TMP/py" 2>&1 || ct_fail "$(head -1 "$CT_TMP/py")"
import json, sys
p1, p2, port, somaxconn, netns = map(int, sys.argv[2:])
ev = list(map(json.loads, open(sys.argv[1])))
def one(pid):
    m = [e for e in ev if e["pid"] == pid]
    if len(m) != 1:
        sys.exit("%d events of pid %d" % (len(m), pid))
    return m[0]
want = {"uid": 0, "user": "root", "pid": p1, "tid": p1,
        "comm": "l\nx\x1b", "err": 0, "errno": None, "netns": netns,
        "backlog": somaxconn, "req_backlog": -1, "protocol": "TCP",
        "ip": 4, "lport": port, "laddr": "127.0.0.1"}
e = one(p1)
if list(e) != ["time"] + list(want) or any(e[k] != v for k, v in want.items()):
    sys.exit("listen: %r" % e)
e = one(p2)
want = {"err": 95, "errno": "EOPNOTSUPP", "backlog": None,
        "req_backlog": 9, "protocol": "UDP", "ip": 6, "lport": 0,
        "laddr": "::"}
if any(e[k] != v for k, v in want.items()):
    sys.exit("failed listen: %r" % e)
PY
fi
tool_start solisten
set -- $("$TCP" -n "l${nl}x${esc}" listen 4 tcp - 2)
wait_line "$(line "$1" 'l\nx\x1b' 0 2 TCP 4 "$2" 0.0.0.0)"
tool_stop
ct_done

ct_case "solisten: -P, -4 and -6, --netns, in the kernel"
tool_start solisten -P "$PORT"
lis 4 tcp - 1
other=$lpid
lis 4 tcp "$PORT" 1
wait_line "$(line "$lpid" ct-tcp 0 1 TCP 4 "$PORT" 127.0.0.1)"
tool_stop
expect_no_grep "^$other "
tool_start solisten -6 -w
lis 4 tcp - 1
other=$lpid
lis 6 tcp "$PORT" 1
wait_line "$(printf '%-7s %-16s %4s %7s %-5s %2s %5s %s' "$lpid" ct-tcp 0 \
	1 TCP 6 "$PORT" ::1)"
tool_stop
expect_no_grep "^$other "
tool_start solisten -4
lis 6 tcp - 1
other=$lpid
lis 4 tcp - 1
wait_line "$(line "$lpid" ct-tcp 0 1 TCP 4 "$lport" 0.0.0.0)"
tool_stop
expect_no_grep "^$other "
netns=$(stat -L -c %i /proc/self/ns/net)
tool_start solisten --netns "$netns" --show-netns
lis 4 tcp - 1
wait_line "$(printf '%-7s %-16s %4s %-10s %7s %-5s %2s %5s %s' "$lpid" \
	ct-tcp 0 "$netns" 1 TCP 4 "$lport" 0.0.0.0)"
tool_stop
expect_line "PID     COMM              RET NETNS      BACKLOG PROTO IP  PORT ADDR"
tool_start solisten --netns 1 -v
lis 4 tcp - 1
tool_stop
expect_no_grep "^$lpid "
expect_grep "^solisten: 0 events sent by the kernel" "$err"
ct_done

ct_case "solisten: -p, -u and -c, in the kernel"
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
(read -r x <"$fifo"; exec "$TCP" listen 4 tcp - 4 >"$CT_TMP/lis") &
hp=$!
tool_start solisten -p "$hp"
lis 4 tcp - 1
other=$lpid
echo go >"$fifo"
wait "$hp"
set -- $(cat "$CT_TMP/lis")
[ "$1" = "$hp" ] || ct_fail "ct-tcp ran as $1, not $hp"
wait_line "$(line "$hp" ct-tcp 0 4 TCP 4 "$2" 0.0.0.0)"
tool_stop
expect_no_grep "^$other "
tool_start solisten -U -u 65534
lis 4 tcp - 1
other=$lpid
set -- $("$TCP" -u 65534 listen 6 tcp - 2)
wait_line "$(printf '%-5s %s' 65534 "$(line "$1" ct-tcp 0 2 TCP 6 "$2" ::)")"
tool_stop
expect_no_grep " $other "
if ct_make_cgroup solisten; then
	tool_start solisten -c "$cg"
	lis 4 tcp - 1
	other=$lpid
	set -- $(ct_in_cgroup "$cg" "$TCP" listen 4 tcp - 3)
	wait_line "$(line "$1" ct-tcp 0 3 TCP 4 "$2" 0.0.0.0)"
	tool_stop
	expect_no_grep "^$other "
	ct_cgroups_remove
fi
ct_done

ct_case "solisten: -T and -t columns; -v names the hooks"
tool_start solisten -T -t -v
lis 4 tcp - 5
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *$(line "$lpid" ct-tcp 0 5 TCP 4 "$lport" 0.0.0.0)\$"
tool_stop
expect_line "TIME     TIME(s)  PID     COMM              RET BACKLOG PROTO IP  PORT ADDR"
expect_grep "^solisten: listen: using tracepoints syscalls:sys_enter_listen, sys_exit_listen\$" "$err"
ct_done

ct_case "solisten: text, --json and --csv of one listen agree"
f=time,pid,tid,comm,err,errno,netns,backlog,req_backlog,protocol,ip,lport,laddr
fields_start solisten --fields=$f -P "$PORT"
lis 6 tcp "$PORT" 6
fields_stop
expect_grep "^[-0-9T:.]*Z,$lpid,$lpid,ct-tcp,0,,[0-9]*,6,6,TCP,6,$PORT,::1\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" pid "$lpid"
ct_done

ct_case "solisten: --fields=help, usage errors"
run_tool solisten --fields=help
expect_status 0
expect_grep "^req_backlog  "
run_tool solisten -P 0
expect_usage "solisten: -P/--port: '0' is not a list of at most 8 ports (1-65535)"
run_tool solisten -4 -6
expect_usage "solisten: -4 and -6: choose one"
run_tool solisten --netns x
expect_status 2
expect_fields_usage solisten laddr
ct_done
