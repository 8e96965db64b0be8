# Runtime tests of tcptracer: real loopback connections, exact lines for
# their connects, accepts and closes.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcptracer


# T PID COMM IP LADDR LPORT RADDR RPORT.
ev_line() {
	printf '%s %-7s %-16s %2s %-15s %5s %-15s %5s\n' "$@"
}

wide_line() {
	printf '%s %-7s %-16s %2s %-39s %5s %-39s %5s\n' "$@"
}

# The four events of the last pair: address $1, IP version $2, format $3.
expect_pair() {
	fmt=${3:-ev_line}
	wait_line "$($fmt C "$cpid" ct-tcp "$2" "$1" "$cport" "$1" "$sport")"
	wait_line "$($fmt A "$spid" ct-tcp-srv "$2" "$1" "$sport" "$1" \
		"$cport")"
	wait_line "$($fmt X "$cpid" ct-tcp "$2" "$1" "$cport" "$1" "$sport")"
	wait_line "$($fmt X "$spid" ct-tcp-srv "$2" "$1" "$sport" "$1" \
		"$cport")"
}

ct_case "tcptracer: IPv4: connect, accept, both closes, by their processes"
tool_start tcptracer
pair 4 1 1
expect_pair 127.0.0.1 4
tool_stop
expect_status 0
expect_line "T PID     COMM             IP LADDR           LPORT RADDR           RPORT"
[ "$(grep -c "^. \($cpid\|$spid\) " "$out")" = 4 ] ||
	ct_fail "not four events"
ct_done

ct_case "tcptracer: IPv6 ::1 and v4-mapped, -w"
tool_start tcptracer -w
pair 6 1 1
expect_pair ::1 6 wide_line
pair mapped 1 1
expect_pair ::ffff:127.0.0.1 6 wide_line
tool_stop
ct_done

ct_case "tcptracer: a refused connect is no connect; a non-blocking one is"
tool_start tcptracer
set -- $("$TCP" refused 4)
refused=$1
set -- $("$TCP" nonblock 4)
wait_line "$(ev_line C "$1" ct-tcp 4 127.0.0.1 "$3" 127.0.0.1 "$2")"
wait_line "$(ev_line A "$1" ct-tcp 4 127.0.0.1 "$2" 127.0.0.1 "$3")"
tool_stop
expect_no_grep "^. $refused "
ct_done

ct_case "tcptracer: a connect submitted to io_uring"
"$TCP" uring 4 >"$CT_TMP/uring" 2>"$CT_TMP/uring.err"
case $? in
3)
	ct_skip "no io_uring here: $(cat "$CT_TMP/uring.err")"
	;;
*)
	tool_start tcptracer
	set -- $("$TCP" uring 4)
	wait_line "$(ev_line C "${1:-}" ct-tcp 4 127.0.0.1 "${3:-}" 127.0.0.1 \
		"${2:-}")"
	tool_stop
	;;
esac
ct_done

ct_case "tcptracer: a close that resets the connection (unread data); the reset end closes nothing"
tool_start tcptracer
set -- $("$TCP" abort 4)
wait_line "$(ev_line X "$1" ct-tcp 4 127.0.0.1 "$2" 127.0.0.1 "$3")"
tool_stop
expect_no_line "$(ev_line X "$1" ct-tcp 4 127.0.0.1 "$3" 127.0.0.1 "$2")"
ct_done

ct_case "tcptracer: -4 and -6, -L and -D"
tool_start tcptracer -6
pair 4 1 1
v4=$cpid
pair 6 1 1
expect_pair ::1 6
tool_stop
expect_no_grep "^. $v4 "
tool_start tcptracer -L "$PORT"
pair 4 1 1 "$PORT"
wait_line "$(ev_line A "$spid" ct-tcp-srv 4 127.0.0.1 "$PORT" 127.0.0.1 \
	"$cport")"
wait_line "$(ev_line X "$spid" ct-tcp-srv 4 127.0.0.1 "$PORT" 127.0.0.1 \
	"$cport")"
tool_stop
expect_no_grep "^. $cpid "
tool_start tcptracer -D "$PORT"
pair 4 1 1 "$PORT"
wait_line "$(ev_line X "$cpid" ct-tcp 4 127.0.0.1 "$cport" 127.0.0.1 \
	"$PORT")"
tool_stop
expect_line "$(ev_line C "$cpid" ct-tcp 4 127.0.0.1 "$cport" 127.0.0.1 \
	"$PORT")"
expect_no_grep "^. $spid "
ct_done

ct_case "tcptracer: -p, -u and -c on the process"
tool_start tcptracer -p "$$"
pair 4 1 1
tool_stop
expect_no_grep "^. $cpid "
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
(read -r x <"$fifo"; exec "$TCP" pair 4 1 1 >"$CT_TMP/pair") &
hp=$!
tool_start tcptracer -p "$hp"
echo go >"$fifo"
wait "$hp"
set -- $(cat "$CT_TMP/pair")
wait_line "$(ev_line C "$hp" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 "$3")"
wait_line "$(ev_line X "$hp" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 "$3")"
tool_stop
# The server is another process.
expect_no_grep "^. $2 "
tool_start tcptracer -u 65534 -D "$PORT"
pair 4 1 1 "$PORT"
other=$cpid
set -- $("$TCP" -u 65534 pair 4 1 1 "$PORT")
wait_line "$(ev_line C "$1" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 "$PORT")"
tool_stop
expect_no_grep "^. $other "
if ct_make_cgroup tcptracer; then
	tool_start tcptracer -c "$cg" -L "$PORT"
	pair 4 1 1 "$PORT"
	other=$spid
	set -- $(ct_in_cgroup "$cg" "$TCP" pair 4 1 1 "$PORT")
	wait_line "$(ev_line A "$2" ct-tcp-srv 4 127.0.0.1 "$PORT" \
		127.0.0.1 "$4")"
	tool_stop
	expect_no_grep "^. $other "
	ct_cgroups_remove
else
	ct_skip "no cgroup v2 directory could be made"
fi
ct_done

esc=$(printf '\033')
nl='
'

ct_case "tcptracer: --json, a command name escaped in text and valid JSON"
tool_start tcptracer
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 1 1)
wait_line "$(ev_line C "$1" 't\nx\x1b' 4 127.0.0.1 "$4" 127.0.0.1 "$3")"
tool_stop
tool_start tcptracer --json -v
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 1 1)
await_out "the server's close" -F "\"type\":\"X\",\"pid\":$2,"
tool_stop
sed 's/^{"time":"[^"]*",/{/' "$out" >"$CT_TMP/json"
{
	for t in C X; do
		printf '{"uid":0,"type":"%s","pid":%s,"comm":"t\\nx\\u001b","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s}\n' \
			$t "$1" "$4" "$3"
	done
	for t in A X; do
		printf '{"uid":0,"type":"%s","pid":%s,"comm":"ct-tcp-srv","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s}\n' \
			$t "$2" "$3" "$4"
	done
} >"$CT_TMP/want"
while read -r want; do
	grep -Fxq -- "$want" "$CT_TMP/json" || ct_fail "no JSON line '$want'"
done <"$CT_TMP/want"
if have_python; then
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$out" || ct_fail "invalid JSON"
fi
ct_done

for tp in raw_tp tracepoint; do
	ct_case "tcptracer: CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start tcptracer -v
	pair 6 1 1
	expect_pair ::1 6
	tool_stop
	expect_grep "^tcptracer: state changes: using $tp" "$err"
	ct_done
done

ct_case "tcptracer: -T, -t and -U columns"
tool_start tcptracer -T -t -U -D "$PORT"
pair 4 1 1 "$PORT"
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *0     C $cpid  *ct-tcp  *4 127\.0\.0\.1  *$cport 127\.0\.0\.1  *$PORT\$"
tool_stop
expect_line "TIME     TIME(s)  UID   T PID     COMM             IP LADDR           LPORT RADDR           RPORT"
ct_done

ct_case "tcptracer: text, --json and --csv of one event agree"
f=time,uid,type,pid,comm,ip,laddr,lport,raddr,rport
fields_start tcptracer --fields=$f -L "$PORT"
pair 4 1 1 "$PORT"
fields_stop
expect_grep "^[-0-9T:.]*Z,0,A,$spid,ct-tcp-srv,4,127.0.0.1,$PORT,127.0.0.1,$cport\$" \
	"$CT_TMP/fields.csv"
# With -L, the server's accept and close: the accept.
fields_agree "$f" type A
ct_done

ct_case "tcptracer: --fields=help, usage errors"
run_tool tcptracer --fields=help
expect_status 0
expect_grep "^type  "
run_tool tcptracer -D 0
expect_usage "tcptracer: -D/--remoteport: '0' is not a list of at most 8 ports (1-65535)"
run_tool tcptracer -4 -6
expect_usage "tcptracer: -4 and -6: choose one"
expect_fields_usage tcptracer pid
ct_done
