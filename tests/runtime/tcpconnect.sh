# Runtime tests of tcpconnect: real loopback connects, exact lines.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcpconnect


# The default line: PID COMM IP LADDR LPORT RADDR RPORT ERRNO.
conn_line() {
	printf '%-7s %-16s %2s %-15s %5s %-15s %5s %s\n' "$@"
}

wide_line() {
	printf '%-7s %-16s %2s %-39s %5s %-39s %5s %s\n' "$@"
}

# The client of the last pair, address $1 of IP version $2.
expect_client() {
	wait_line "$(conn_line "$cpid" ct-tcp "$2" "$1" "$cport" "$1" \
		"$sport" -)"
}

ct_case "tcpconnect: IPv4, the local port once assigned, the connecting process"
tool_start tcpconnect
pair 4 1 1
expect_client 127.0.0.1 4
first=$cpid
pair 4 0 0 "$PORT"
expect_client 127.0.0.1 4
tool_stop
expect_status 0
expect_line "PID     COMM             IP LADDR           LPORT RADDR           RPORT ERRNO"
# The server accepts, it does not connect.
expect_no_grep "^$spid "
[ "$(grep -c "^\($first\|$cpid\) " "$out")" = 2 ] ||
	ct_fail "not one line per connect"
ct_done

ct_case "tcpconnect: IPv6 ::1 and v4-mapped, -w"
tool_start tcpconnect -w
pair 6 1 1
wait_line "$(wide_line "$cpid" ct-tcp 6 ::1 "$cport" ::1 "$sport" -)"
m=::ffff:127.0.0.1
pair mapped 1 1
wait_line "$(wide_line "$cpid" ct-tcp 6 $m "$cport" $m "$sport" -)"
tool_stop
ct_done

ct_case "tcpconnect: refused connects show ECONNREFUSED, with their local port"
tool_start tcpconnect
set -- $("$TCP" refused 4)
wait_grep "^$1  *ct-tcp  *4 127\.0\.0\.1  *[1-9][0-9]* 127\.0\.0\.1  *$2 ECONNREFUSED\$"
set -- $("$TCP" refused 6)
wait_grep "^$1  *ct-tcp  *6 ::1  *[1-9][0-9]* ::1  *$2 ECONNREFUSED\$"
tool_stop
ct_done

ct_case "tcpconnect: a non-blocking connect, shown when it completes"
tool_start tcpconnect
set -- $("$TCP" nonblock 4)
[ "${4:-}" = 0 ] || ct_fail "ct-tcp nonblock: $*"
wait_line "$(conn_line "$1" ct-tcp 4 127.0.0.1 "$3" 127.0.0.1 "$2" -)"
tool_stop
ct_done

ct_case "tcpconnect: a connect submitted to io_uring"
"$TCP" uring 6 >"$CT_TMP/uring" 2>"$CT_TMP/uring.err"
case $? in
3)
	ct_skip "no io_uring here: $(cat "$CT_TMP/uring.err")"
	;;
*)
	tool_start tcpconnect
	set -- $("$TCP" uring 6)
	wait_line "$(conn_line "${1:-}" ct-tcp 6 ::1 "${3:-}" ::1 "${2:-}" -)"
	tool_stop
	;;
esac
ct_done

# A connect that times out: in a network namespace of its own, where
# 10.9.0.0/24 goes out the loopback and nothing answers; one SYN retry
# (3 s).
ct_case "tcpconnect: a non-blocking connect that times out: ETIMEDOUT"
blackhole='ip link set lo up && ip route add 10.9.0.0/24 dev lo src 127.0.0.1 &&
	echo 1 >/proc/sys/net/ipv4/tcp_syn_retries && exec "$@"'
if ! unshare -n sh -c "$blackhole" sh true 2>/dev/null; then
	ct_skip "no private network namespace with a route (unshare -n, ip)"
else
	tool_start tcpconnect -x -P 9
	unshare -n sh -c "$blackhole" sh "$TCP" nonblock 4 10.9.0.2 9 \
		>"$CT_TMP/nb"
	set -- $(cat "$CT_TMP/nb")
	[ "${4:-}" = 110 ] || ct_fail "ct-tcp nonblock: $*"
	wait_line "$(conn_line "$1" ct-tcp 4 127.0.0.1 "$3" 10.9.0.2 9 \
		ETIMEDOUT)"
	tool_stop
fi
ct_done

ct_case "tcpconnect: a connect closed before its handshake ends: ECONNABORTED"
if ! unshare -n sh -c "$blackhole" sh true 2>/dev/null; then
	ct_skip "no private network namespace with a route (unshare -n, ip)"
else
	tool_start tcpconnect -x -P 9
	set -- $(unshare -n sh -c "$blackhole" sh "$TCP" abandon 4 10.9.0.2 9)
	wait_line "$(conn_line "$1" ct-tcp 4 127.0.0.1 "$2" 10.9.0.2 9 \
		ECONNABORTED)"
	tool_stop
fi
ct_done

# One local port in a network namespace of its own: the second connect to
# the same place finds none.
ct_case "tcpconnect: a connect that finds no local port: EADDRNOTAVAIL"
oneport='ip link set lo up &&
	echo "40000 40000" >/proc/sys/net/ipv4/ip_local_port_range &&
	exec "$@"'
if ! unshare -n sh -c "$oneport" sh true 2>/dev/null; then
	ct_skip "no private network namespace (unshare -n)"
else
	tool_start tcpconnect -P "$PORT"
	set -- $(unshare -n sh -c "$oneport" sh "$TCP" noport 6 "$PORT")
	wait_line "$(conn_line "${1:-}" ct-tcp 6 ::1 40000 ::1 "$PORT" -)"
	wait_line "$(conn_line "${1:-}" ct-tcp 6 ::1 0 ::1 "$PORT" \
		EADDRNOTAVAIL)"
	tool_stop
fi
ct_done

ct_case "tcpconnect: -x only failures"
tool_start tcpconnect -x
pair 4 1 1
okpid=$cpid
set -- $("$TCP" refused 4)
wait_grep "^$1  *ct-tcp  *4 127\.0\.0\.1  *[1-9][0-9]* 127\.0\.0\.1  *$2 ECONNREFUSED\$"
tool_stop
expect_no_grep "^$okpid "
ct_done

ct_case "tcpconnect: -P and -D destination ports, -L local ports"
for opt in -P -D; do
	tool_start tcpconnect "$opt" "1,$PORT"
	pair 4 1 1
	other=$cpid
	pair 4 1 1 "$PORT"
	expect_client 127.0.0.1 4
	tool_stop
	expect_no_grep "^$other "
done
tool_start tcpconnect -L "$PORT"
pair 4 1 1 "$PORT"
tool_stop
expect_no_grep "^$cpid "
ct_done

ct_case "tcpconnect: -4 and -6"
tool_start tcpconnect -4
pair 6 1 1
v6=$cpid
pair 4 1 1
expect_client 127.0.0.1 4
tool_stop
expect_no_grep "^$v6 "
tool_start tcpconnect -6
pair 4 1 1
v4=$cpid
pair 6 1 1
expect_client ::1 6
tool_stop
expect_no_grep "^$v4 "
ct_done

ct_case "tcpconnect: -p on the connecting process"
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
(read -r x <"$fifo"; exec "$TCP" pair 4 1 1 >"$CT_TMP/pair") &
hp=$!
tool_start tcpconnect -p "$hp"
pair 4 1 1
other=$cpid
echo go >"$fifo"
wait "$hp"
set -- $(cat "$CT_TMP/pair")
[ "$1" = "$hp" ] || ct_fail "ct-tcp ran as $1, not $hp"
wait_line "$(conn_line "$hp" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 "$3" -)"
tool_stop
expect_no_grep "^$other "
ct_done

ct_case "tcpconnect: -u and -U, -c"
tool_start tcpconnect -U -u 65534 -P "$PORT"
pair 4 1 1 "$PORT"
rootpid=$cpid
set -- $("$TCP" -u 65534 pair 4 1 1 "$PORT")
wait_line "$(printf '%-5s %s' 65534 "$(conn_line "$1" ct-tcp 4 127.0.0.1 \
	"$4" 127.0.0.1 "$PORT" -)")"
tool_stop
expect_no_grep "^$rootpid "
expect_no_grep " $rootpid "
if ct_make_cgroup tcpconnect; then
	tool_start tcpconnect -c "$cg" -P "$PORT"
	pair 4 1 1 "$PORT"
	rootpid=$cpid
	set -- $(ct_in_cgroup "$cg" "$TCP" pair 4 1 1 "$PORT")
	wait_line "$(conn_line "$1" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 \
		"$PORT" -)"
	tool_stop
	expect_no_grep "^$rootpid "
	ct_cgroups_remove
else
	ct_skip "no cgroup v2 directory could be made"
fi
ct_done

esc=$(printf '\033')
nl='
'

ct_case "tcpconnect: --json, err/errno, a command name escaped in text and valid JSON"
tool_start tcpconnect
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 1 1)
wait_line "$(conn_line "$1" 't\nx\x1b' 4 127.0.0.1 "$4" 127.0.0.1 "$3" -)"
tool_stop
tool_start tcpconnect --json -v
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 1 1)
await_out "the connect's JSON line" -F "\"pid\":$1,"
set -- "$@" $("$TCP" -n "t${nl}x${esc}" refused 4)
await_out "the refused connect's JSON line" -F "\"pid\":$5,"
tool_stop
sed 's/^{"time":"[^"]*",/{/; s/"latency_ns":[0-9]*,//; s/"lport":[0-9]*,//' \
	"$out" >"$CT_TMP/json"
{
	printf '{"uid":0,"pid":%s,"comm":"t\\nx\\u001b","ip":4,"laddr":"127.0.0.1","raddr":"127.0.0.1","rport":%s,"err":0,"errno":null}\n' \
		"$1" "$3"
	printf '{"uid":0,"pid":%s,"comm":"t\\nx\\u001b","ip":4,"laddr":"127.0.0.1","raddr":"127.0.0.1","rport":%s,"err":111,"errno":"ECONNREFUSED"}\n' \
		"$5" "$6"
} >"$CT_TMP/want"
while read -r want; do
	grep -Fxq -- "$want" "$CT_TMP/json" || ct_fail "no JSON line '$want'"
done <"$CT_TMP/want"
grep -q "\"pid\":$1,.*\"lport\":$4," "$out" || ct_fail "JSON lport not $4"
if have_python; then
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$out" || ct_fail "invalid JSON"
fi
ct_done

for tp in raw_tp tracepoint; do
	ct_case "tcpconnect: CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start tcpconnect -v
	pair 6 1 1
	expect_client ::1 6
	set -- $("$TCP" refused 4)
	wait_grep "^$1  *ct-tcp  *4 127\.0\.0\.1  *[1-9][0-9]* 127\.0\.0\.1  *$2 ECONNREFUSED\$"
	tool_stop
	expect_grep "^tcpconnect: state changes: using $tp" "$err"
	ct_done
done

ct_case "tcpconnect: perf buffer fallback"
CT_FORCE_PERFBUF=1 tool_start tcpconnect -v
pair 4 1 1
expect_client 127.0.0.1 4
tool_stop
expect_grep "events: using perf buffer" "$err"
ct_done

ct_case "tcpconnect: -T and -t columns, LAT(ms) by --fields"
tool_start tcpconnect -T -t --fields=+latency_ns -P "$PORT"
pair 4 1 1 "$PORT"
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *$cpid  *ct-tcp  *4 127\.0\.0\.1  *$cport 127\.0\.0\.1  *$PORT  *[0-9]*\.[0-9][0-9][0-9] -\$"
tool_stop
expect_line "TIME     TIME(s)  PID     COMM             IP LADDR           LPORT RADDR           RPORT   LAT(ms) ERRNO"
ct_done

ct_case "tcpconnect: text, --json and --csv of one connect agree"
f=time,uid,pid,comm,ip,laddr,lport,raddr,rport,err,errno
fields_start tcpconnect --fields=$f -P "$PORT"
pair 4 1 1 "$PORT"
fields_stop
expect_grep "^[-0-9T:.]*Z,0,$cpid,ct-tcp,4,127.0.0.1,$cport,127.0.0.1,$PORT,0,\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" pid "$cpid"
ct_done

# count_line IP RADDR RPORT CONNECTS FAILED: a line of --count.
count_line() {
	printf '%2s %-15s %5s %8s %8s\n' "$@"
}

ct_case "tcpconnect: --count per destination, at the end; -x counts failures"
tool_start tcpconnect -v --count -P "$PORT"
for i in 1 2 3; do
	pair 4 1 1 "$PORT"
done
pair 4 1 1
tool_stop
expect_status 0
expect_line "IP RADDR           RPORT CONNECTS   FAILED"
expect_line "$(count_line 4 127.0.0.1 "$PORT" 3 0)"
[ "$(wc -l <"$out")" = 2 ] || ct_fail "not one destination"
tool_start tcpconnect -v --co -x -6
pair 6 1 1
set -- $("$TCP" refused 6)
set -- $1 $2 $("$TCP" refused 6)
tool_stop
expect_line "$(count_line 6 ::1 "$2" 1 1)"
expect_line "$(count_line 6 ::1 "$4" 1 1)"
expect_no_grep " $sport "
ct_done

ct_case "tcpconnect: --count every interval, --json and --csv"
tool_start tcpconnect -v --count --json -P "$PORT" 0.2
pair 4 1 1 "$PORT"
pair 4 1 1 "$PORT"
await_out "the interval's JSON object" -F \
	"\"destinations\":[{\"ip\":4,\"raddr\":\"127.0.0.1\",\"rport\":$PORT,\"connects\":"
tool_stop
# Two connects, counted in one interval or two, then not again.
sed -n "s/.*\"rport\":$PORT,\"connects\":\([0-9]*\),\"failed\":0}]}\$/\1/p" \
	"$out" | awk '{ n += $1 } END { exit n != 2 }' ||
	ct_fail "not two connects counted: $(tr '\n' ' ' <"$out")"
grep -q '^{"time":"[^"]*Z","destinations":\[\]}$' "$out" ||
	ct_fail "no empty interval"
if have_python; then
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$out" || ct_fail "invalid JSON"
fi
tool_start tcpconnect -v --count --csv -P "$PORT"
pair 4 1 1 "$PORT"
tool_stop
expect_line "time,ip,raddr,rport,connects,failed"
expect_grep "^[-0-9T:.]*Z,4,127.0.0.1,$PORT,1,0\$"
ct_done

ct_case "tcpconnect: --fields=help, usage errors"
run_tool tcpconnect --fields=help
expect_status 0
expect_grep "^errno  "
run_tool tcpconnect -P 0
expect_usage "tcpconnect: -P/--port: '0' is not a list of at most 8 ports (1-65535)"
run_tool tcpconnect -4 -6
expect_usage "tcpconnect: -4 and -6: choose one"
expect_fields_usage tcpconnect pid
run_tool tcpconnect 1
expect_usage "tcpconnect: unexpected argument '1'"
run_tool tcpconnect --count -t
expect_usage "tcpconnect: --count: no -t (a destination has no time or user)"
run_tool tcpconnect --count 1 2 3
expect_usage "tcpconnect: unexpected argument '3'"
ct_done
