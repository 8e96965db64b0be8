# Runtime tests of tcplife: real loopback connections, exact lines.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcplife 20000

# The columns whose values a test can know exactly (MS varies).
F=--fields=pid,comm,laddr,lport,raddr,rport,tx_bytes,rx_bytes,owner

# The line tcplife $F prints: PID COMM LADDR LPORT RADDR RPORT TX RX OWNER.
life_line() {
	printf '%-7s %-16s %-15s %5s %-15s %5s %6s %6s %s\n' "$@"
}

# The same with -w: addresses 39 wide.
wide_line() {
	printf '%-7s %-16s %-39s %5s %-39s %5s %6s %6s %s\n' "$@"
}

# Both ends of the last pair, A the address, TX/RX the client's bytes.
expect_pair() {
	wait_line "$(life_line "$cpid" ct-tcp "$1" "$cport" "$1" "$sport" \
		"$2" "$3" connect)"
	wait_line "$(life_line "$spid" ct-tcp-srv "$1" "$sport" "$1" "$cport" \
		"$3" "$2" accept)"
}

# Start-up: a hash map is filled whole at load (65536 slots took 2 ms),
# so its size follows the sockets there are; each program is verified, so
# accept4's exit is accept's program, attached there too.
ct_case "tcplife: 2 programs (accept4 shares accept's), socket slots by /proc/net/sockstat"
before=$(want_slots)
tool_start tcplife -B $F
record_bpf_ids
after=$(want_slots)
n_progs=$(grep -c '^prog ' "$ids")
[ "$n_progs" = 2 ] || ct_fail "$n_progs BPF programs, expected 2"
slots=$(hash_slots "$tool_pid")
[ "$slots" = "$before" ] || [ "$slots" = "$after" ] ||
	ct_fail "hash map of $slots slots, expected $before"
set -- $("$TCP" -a pair 4 5 6)
cpid=$1 spid=$2 sport=$3 cport=$4
expect_pair 127.0.0.1 5 6
tool_stop
expect_status 0
tool_start tcplife --json -v
set -- $("$TCP" -a pair 4 7 8)
await_out "the server's JSON line" -F "\"pid\":$2,"
tool_stop
sed 's/^{"time":"[^"]*",//; s/"duration_ns":[0-9]*,//' "$out" |
	grep -Fxq "\"pid\":$2,\"comm\":\"ct-tcp-srv\",\"ip\":4,\"laddr\":\"127.0.0.1\",\"lport\":$3,\"raddr\":\"127.0.0.1\",\"rport\":$4,\"tx_bytes\":8,\"rx_bytes\":7,\"owner\":\"accept\"}" ||
	ct_fail "no JSON line of the accept4()ed end"
ct_done

ct_case "tcplife: IPv4, both ends as they close: bytes, the opener's pid"
tool_start tcplife -B $F
pair 4 1000 2000
expect_pair 127.0.0.1 1000 2000
pair 4 0 1
expect_pair 127.0.0.1 0 1
tool_stop
expect_status 0
expect_line "PID     COMM             LADDR           LPORT RADDR           RPORT   TX_B   RX_B OWNER"
ct_done

ct_case "tcplife: KB in text by default"
tool_start tcplife $F
pair 4 5000 70000
expect_pair 127.0.0.1 4 68
tool_stop
expect_line "PID     COMM             LADDR           LPORT RADDR           RPORT  TX_KB  RX_KB OWNER"
ct_done

ct_case "tcplife: IPv6 ::1 and v4-mapped, -6 and -w"
tool_start tcplife -B -6 -w $F
pair 6 3000 4000
w6c=$(wide_line "$cpid" ct-tcp ::1 "$cport" ::1 "$sport" 3000 4000 connect)
w6s=$(wide_line "$spid" ct-tcp-srv ::1 "$sport" ::1 "$cport" 4000 3000 accept)
wait_line "$w6c"
wait_line "$w6s"
m=::ffff:127.0.0.1
pair mapped 10 20
wait_line "$(wide_line "$cpid" ct-tcp $m "$cport" $m "$sport" 10 20 connect)"
wait_line "$(wide_line "$spid" ct-tcp-srv $m "$sport" $m "$cport" 20 10 accept)"
pair 4 30 40
tool_stop
expect_no_grep " 127\.0\.0\.1 "
ct_done

ct_case "tcplife: -4 leaves IPv6 out"
tool_start tcplife -B -4 $F
pair 6 1 2
v6pid=$cpid
pair 4 3 4
expect_pair 127.0.0.1 3 4
tool_stop
expect_no_grep "^$v6pid "
expect_no_grep " ::1 "
ct_done

ct_case "tcplife: a refused connect: no bytes, the connecting process"
tool_start tcplife -B $F
set -- $("$TCP" refused 4)
wait_grep "^$1  *ct-tcp  *127\.0\.0\.1  *[1-9][0-9]* 127\.0\.0\.1  *$2      0      0 connect\$"
tool_stop
ct_done

ct_case "tcplife: -L and -D on the server's port"
tool_start tcplife -B -L "$PORT" $F
pair 4 5 6 "$PORT"
wait_line "$(life_line "$spid" ct-tcp-srv 127.0.0.1 "$PORT" 127.0.0.1 \
	"$cport" 6 5 accept)"
tool_stop
expect_no_grep "^$cpid "
tool_start tcplife -B -D "$PORT,1" $F
pair 4 5 6 "$PORT"
wait_line "$(life_line "$cpid" ct-tcp 127.0.0.1 "$cport" 127.0.0.1 \
	"$PORT" 5 6 connect)"
tool_stop
expect_no_grep "^$spid "
ct_done

ct_case "tcplife: -p on the process that connected"
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
(read -r x <"$fifo"; exec "$TCP" pair 4 7 8 >"$CT_TMP/pair") &
hp=$!
tool_start tcplife -B -p "$hp" $F
echo go >"$fifo"
wait "$hp"
set -- $(cat "$CT_TMP/pair")
[ "$1" = "$hp" ] || ct_fail "ct-tcp ran as $1, not $hp"
wait_line "$(life_line "$hp" ct-tcp 127.0.0.1 "$4" 127.0.0.1 "$3" 7 8 \
	connect)"
tool_stop
expect_no_grep " ct-tcp-srv "
ct_done

ct_case "tcplife: -u and -c on the process that connected"
tool_start tcplife -B -u 65534 -D "$PORT" $F
pair 4 1 2 "$PORT"
rootpid=$cpid
set -- $("$TCP" -u 65534 pair 4 3 4 "$PORT")
wait_line "$(life_line "$1" ct-tcp 127.0.0.1 "$4" 127.0.0.1 "$PORT" 3 4 \
	connect)"
tool_stop
expect_no_grep "^$rootpid "
if ct_make_cgroup tcplife; then
	tool_start tcplife -B -c "$cg" -D "$PORT" $F
	pair 4 1 2 "$PORT"
	rootpid=$cpid
	set -- $(ct_in_cgroup "$cg" "$TCP" pair 4 5 6 "$PORT")
	wait_line "$(life_line "$1" ct-tcp 127.0.0.1 "$4" 127.0.0.1 "$PORT" \
		5 6 connect)"
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

ct_case "tcplife: --json, a command name escaped in text and valid JSON"
tool_start tcplife -B $F
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 9 10)
wait_line "$(life_line "$1" 't\nx\x1b' 127.0.0.1 "$4" 127.0.0.1 "$3" 9 10 \
	connect)"
tool_stop
tool_start tcplife --json -v
set -- $("$TCP" -n "t${nl}x${esc}" pair 4 9 10)
await_out "the client's JSON line" -F "\"pid\":$1,"
await_out "the server's JSON line" -F "\"pid\":$2,"
tool_stop
sed 's/^{"time":"[^"]*",/{/; s/"duration_ns":[0-9]*,//' "$out" >"$CT_TMP/json"
printf '{"pid":%s,"comm":"t\\nx\\u001b","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s,"tx_bytes":9,"rx_bytes":10,"owner":"connect"}\n' \
	"$1" "$4" "$3" >"$CT_TMP/want"
printf '{"pid":%s,"comm":"ct-tcp-srv","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s,"tx_bytes":10,"rx_bytes":9,"owner":"accept"}\n' \
	"$2" "$3" "$4" >>"$CT_TMP/want"
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
	ct_case "tcplife: both ends with CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start tcplife -v -B $F
	pair 6 11 12
	expect_pair ::1 11 12
	tool_stop
	expect_grep "^tcplife: state changes: using $tp" "$err"
	ct_done
done

ct_case "tcplife: perf buffer fallback delivers both ends"
CT_FORCE_PERFBUF=1 tool_start tcplife -v -B $F
pair 4 15 16
expect_pair 127.0.0.1 15 16
tool_stop
expect_grep "events: using perf buffer" "$err"
ct_done

ct_case "tcplife: -T and -t columns, duration in ms"
tool_start tcplife -T -t -B -D "$PORT"
pair 4 1 2 "$PORT"
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *$cpid  *ct-tcp  *127\.0\.0\.1  *$cport 127\.0\.0\.1  *$PORT      1      2  *[0-9]*\.[0-9][0-9][0-9]\$"
tool_stop
expect_line "TIME     TIME(s)  PID     COMM             LADDR           LPORT RADDR           RPORT   TX_B   RX_B        MS"
ct_done

ct_case "tcplife: a full map: the connections it could not follow are lost events"
# Three connections held open at once: six sockets for two entries.
CT_MAP_ENTRIES=lives=2 tool_start tcplife -B $F
held_at_once 3
tool_stop
expect_grep '^tcplife: lost [1-9][0-9]* events in total$' "$err"
CT_MAP_ENTRIES=lives=2,nosuch=4 run_tool tcplife
expect_usage "tcplife: CT_MAP_ENTRIES: 'nosuch=4': no such map"
CT_MAP_ENTRIES=lives=x run_tool tcplife
expect_usage "tcplife: CT_MAP_ENTRIES: 'lives=x': not NAME=ENTRIES"
ct_done

ct_case "tcplife: text, --json and --csv of one connection agree"
f=time,uid,pid,comm,ip,laddr,lport,raddr,rport,tx_bytes,rx_bytes,owner
fields_start tcplife -B --fields=$f -D "$PORT"
pair 4 13 14 "$PORT"
fields_stop
expect_grep "^[-0-9T:.]*Z,0,$cpid,ct-tcp,4,127.0.0.1,$cport,127.0.0.1,$PORT,13,14,connect\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" pid "$cpid"
ct_done

ct_case "tcplife: --fields=help, usage errors"
run_tool tcplife --fields=help
expect_status 0
expect_grep "^owner  "
run_tool tcplife -L 0
expect_usage "tcplife: -L/--localport: '0' is not a list of at most 8 ports (1-65535)"
run_tool tcplife -4 -6
expect_usage "tcplife: -4 and -6: choose one"
expect_fields_usage tcplife pid
ct_done
