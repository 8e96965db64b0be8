# Runtime tests of tcpconnlat: real loopback connects, exact lines, and
# latencies the test causes.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcpconnlat

# The columns a test knows exactly (not LAT).
F=--fields=pid,comm,ip,laddr,lport,raddr,rport

# A line of $F: PID COMM IP LADDR LPORT RADDR RPORT.
conn_line() {
	printf '%-7s %-16s %2s %-15s %5s %-15s %5s\n' "$@"
}

# expect_lat PID MIN MAX: the default line of PID shows a LAT(ms) from MIN
# to MAX.
expect_lat() {
	wait_grep "^$1 .* [0-9]*\.[0-9][0-9][0-9]\$" || return
	lat=$(awk -v p="$1" '$1 == p { print $NF; exit }' "$out")
	awk -v l="$lat" -v a="$2" -v b="$3" 'BEGIN { exit !(l >= a && l <= b) }' ||
		ct_fail "pid $1: LAT(ms) $lat, not from $2 to $3"
}

ct_case "tcpconnlat: IPv4 and IPv6 connects, their local ports, the connecting process"
tool_start tcpconnlat $F
pair 4 1 1
wait_line "$(conn_line "$cpid" ct-tcp 4 127.0.0.1 "$cport" 127.0.0.1 "$sport")"
pair 6 1 1
wait_line "$(conn_line "$cpid" ct-tcp 6 ::1 "$cport" ::1 "$sport")"
set -- $("$TCP" refused 4)
refused=$1
tool_stop
expect_status 0
expect_line "PID     COMM             IP LADDR           LPORT RADDR           RPORT"
expect_no_grep " ct-tcp-srv "
# A connect that fails has no latency to show.
expect_no_grep "^$refused "
ct_done

ct_case "tcpconnlat: LAT(ms) of a loopback handshake, under a second"
tool_start tcpconnlat
pair 4 1 1
expect_lat "$cpid" 0.001 999
tool_stop
expect_line "PID     COMM             IP LADDR           LPORT RADDR           RPORT   LAT(ms)"
ct_done

# ct-tcp slow: the listener's accept queue is full when the SYN comes, so
# the kernel drops it and the client sends it again a second later: by a
# timer of jiffies, which can end a few ms short of a second of the
# nanosecond clock (993 ms seen on 5.10): 900 ms is the lower bound.
ct_case "tcpconnlat: a SYN sent again: LAT(ms) about a second; -m and MIN_MS leave the fast ones out"
for min in "-m 500" "-m 500000us" "500"; do
	tool_start tcpconnlat $min
	set -- $("$TCP" slow 4)
	expect_lat "$1" 900 5000
	tool_stop
	[ "$(grep -c "^$1 " "$out")" = 1 ] ||
		ct_fail "$min: not only the slow connect of $1"
done
ct_done

ct_case "tcpconnlat: netem delay in a private network namespace"
netem='ip link set lo up && tc qdisc add dev lo root netem delay 100ms &&
	exec "$@"'
if ! unshare -n sh -c "$netem" sh true 2>/dev/null; then
	ct_skip "no netem delay (tc, sch_netem) in a private network namespace"
else
	tool_start tcpconnlat
	set -- $(unshare -n sh -c "$netem" sh "$TCP" pair 4 1 1)
	# The SYN and the SYN-ACK are each 100 ms late.
	expect_lat "$1" 200 2000
	tool_stop
fi
ct_done

ct_case "tcpconnlat: -4 and -6, -L and -D"
tool_start tcpconnlat -6 $F
pair 4 1 1
v4=$cpid
pair mapped 1 1
m=::ffff:127.0.0.1
wait_line "$(printf '%-7s %-16s %2s %-15s %5s %-15s %5s' "$cpid" ct-tcp 6 \
	$m "$cport" $m "$sport")"
tool_stop
expect_no_grep "^$v4 "
tool_start tcpconnlat -4 -D "$PORT" $F
pair 6 1 1 "$PORT"
v6=$cpid
pair 4 1 1
other=$cpid
pair 4 1 1 "$PORT"
wait_line "$(conn_line "$cpid" ct-tcp 4 127.0.0.1 "$cport" 127.0.0.1 "$PORT")"
tool_stop
expect_no_grep "^$v6 "
expect_no_grep "^$other "
tool_start tcpconnlat -L "$PORT" $F
pair 4 1 1 "$PORT"
tool_stop
expect_no_grep "^$cpid "
ct_done

ct_case "tcpconnlat: -p, -u and -c on the connecting process"
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
(read -r x <"$fifo"; exec "$TCP" pair 4 1 1 >"$CT_TMP/pair") &
hp=$!
tool_start tcpconnlat -p "$hp" $F
pair 4 1 1
other=$cpid
echo go >"$fifo"
wait "$hp"
set -- $(cat "$CT_TMP/pair")
wait_line "$(conn_line "$hp" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 "$3")"
tool_stop
expect_no_grep "^$other "
tool_start tcpconnlat -u 65534 -D "$PORT" $F
pair 4 1 1 "$PORT"
other=$cpid
set -- $("$TCP" -u 65534 pair 4 1 1 "$PORT")
wait_line "$(conn_line "$1" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 "$PORT")"
tool_stop
expect_no_grep "^$other "
if ct_make_cgroup tcpconnlat; then
	tool_start tcpconnlat -c "$cg" -D "$PORT" $F
	pair 4 1 1 "$PORT"
	other=$cpid
	set -- $(ct_in_cgroup "$cg" "$TCP" pair 4 1 1 "$PORT")
	wait_line "$(conn_line "$1" ct-tcp 4 127.0.0.1 "$4" 127.0.0.1 \
		"$PORT")"
	tool_stop
	expect_no_grep "^$other "
	ct_cgroups_remove
else
	ct_skip "no cgroup v2 directory could be made"
fi
ct_done

esc=$(printf '\033')
nl='
'

ct_case "tcpconnlat: --json, a command name escaped in text and valid JSON"
tool_start tcpconnlat $F
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 1 1)
wait_line "$(conn_line "$1" 't\nx\x1b' 4 127.0.0.1 "$4" 127.0.0.1 "$3")"
tool_stop
tool_start tcpconnlat --json -v
set -- $("$TCP" -n "t${nl}x${esc}" slow 4)
await_out "the connect's JSON line" -F "\"pid\":$1,"
tool_stop
want=$(printf '{"uid":0,"pid":%s,"comm":"t\\nx\\u001b","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s,"latency_ns":' \
	"$1" "$3" "$2")
sed 's/^{"time":"[^"]*",/{/' "$out" | grep -F -- "$want" |
	sed 's/.*"latency_ns":\([0-9]*\)}$/\1/' >"$CT_TMP/lat"
[ -s "$CT_TMP/lat" ] || ct_fail "no JSON line '$want...'"
[ "$(cat "$CT_TMP/lat")" -ge 900000000 ] ||
	ct_fail "latency_ns $(cat "$CT_TMP/lat"), not 0.9 s or more"
if have_python; then
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$out" || ct_fail "invalid JSON"
fi
ct_done

for tp in raw_tp tracepoint; do
	ct_case "tcpconnlat: CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start tcpconnlat -v $F
	pair 6 1 1
	wait_line "$(conn_line "$cpid" ct-tcp 6 ::1 "$cport" ::1 "$sport")"
	tool_stop
	expect_grep "^tcpconnlat: state changes: using $tp" "$err"
	ct_done
done

ct_case "tcpconnlat: -T, -t and -U columns"
tool_start tcpconnlat -T -t -U -D "$PORT"
pair 4 1 1 "$PORT"
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *0  *$cpid  *ct-tcp  *4 127\.0\.0\.1  *$cport 127\.0\.0\.1  *$PORT  *[0-9]*\.[0-9][0-9][0-9]\$"
tool_stop
expect_line "TIME     TIME(s)  UID   PID     COMM             IP LADDR           LPORT RADDR           RPORT   LAT(ms)"
ct_done

ct_case "tcpconnlat: text, --json and --csv of one connect agree"
# Not latency_ns: ms in text, ns in JSON and CSV.
f=time,uid,pid,comm,ip,laddr,lport,raddr,rport
fields_start tcpconnlat --fields=$f -D "$PORT"
pair 4 1 1 "$PORT"
fields_stop
expect_grep "^[-0-9T:.]*Z,0,$cpid,ct-tcp,4,127.0.0.1,$cport,127.0.0.1,$PORT\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" pid "$cpid"
ct_done

ct_case "tcpconnlat: --fields=help, usage errors"
run_tool tcpconnlat --fields=help
expect_status 0
expect_grep "^latency_ns  "
run_tool tcpconnlat -m 1x
expect_usage "tcpconnlat: -m/--min: '1x' is not a duration (1.5, 250us, 2ms, 1s)"
run_tool tcpconnlat -- -1
expect_usage "tcpconnlat: MIN_MS: '-1' is not a duration (1.5, 250us, 2ms, 1s)"
run_tool tcpconnlat 1 2
expect_usage "tcpconnlat: unexpected argument '2'"
run_tool tcpconnlat -4 -6
expect_usage "tcpconnlat: -4 and -6: choose one"
expect_fields_usage tcpconnlat pid
ct_done
