# Runtime tests of tcptop: loopback connections with known byte counts,
# their rows checked while the tool runs.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcptop 20000

# Short intervals: a row shows within one of its transfer.
IVL=0.5

# The path this kernel takes: sock:sock_send_length (6.3+) or kprobes.
if grep -q ' __traceiter_sock_send_length$' /proc/kallsyms; then
	hooks=tp_btf
else
	hooks="kprobe+kretprobe tcp_sendmsg, inet_recvmsg, inet6_recvmsg (no sock_send_length here)"
fi

# top_line PID COMM LADDR LPORT RADDR RPORT RX_KB TX_KB: a text row.
top_line() {
	printf '%-7s %-16s %-15s %5s %-15s %5s %6s %6s\n' "$@"
}

wide_line() {
	printf '%-7s %-16s %-39s %5s %-39s %5s %6s %6s\n' "$@"
}

HEADER="PID     COMM             LADDR           LPORT RADDR           RPORT  RX_KB  TX_KB"

# hold [-n NAME] [-u UID] FAMILY N M [PORT]: a connection where the client
# fails a read (EAGAIN), sends N bytes, peeks at (MSG_PEEK) and reads M,
# held open 1 s after, in the background (in cgroup $hold_cg if set);
# sets $cpid, $spid (client, server), $sport, $cport.
hold() {
	name= uid=
	while :; do
		case $1 in
		-n) name=$2 ;;
		-u) uid=$2 ;;
		*) break ;;
		esac
		shift 2
	done
	set -- hold "$1" "$2" "$3" 1 ${4:-}
	[ -z "$uid" ] || set -- -u "$uid" "$@"
	[ -z "$name" ] || set -- -n "$name" "$@"
	: >"$CT_TMP/hold"
	if [ -n "${hold_cg:-}" ]; then
		ct_in_cgroup "$hold_cg" "$TCP" "$@" >"$CT_TMP/hold" 2>&1 &
	else
		"$TCP" "$@" >"$CT_TMP/hold" 2>&1 &
	fi
	hold_pid=$!
	held
}

# Wait for ct-tcp hold's line in $CT_TMP/hold; set $cpid... from it.
held() {
	i=0
	until [ -s "$CT_TMP/hold" ] || [ $i -ge 250 ]; do
		ct_sleep 0.02
		i=$((i + 1))
	done
	set -- $(cat "$CT_TMP/hold") - - - -
	cpid=$1 spid=$2 sport=$3 cport=$4
	[ "$cport" != - ] || ct_fail "ct-tcp hold failed: $(cat "$CT_TMP/hold")"
}

# await_lines FILE GREP-FLAGS: while the tool runs, up to 3 s, until each
# line of FILE is in stdout (grep GREP-FLAGS); status 1 if not.
await_lines() {
	i=0
	while :; do
		missing=
		while read -r want; do
			grep -q $2 -- "$want" "$out" || missing=1
		done <"$1"
		[ -z "$missing" ] && return 0
		ct_running "$tool_pid" || return 1
		[ $i -lt 150 ] || return 1
		ct_sleep 0.02
		i=$((i + 1))
	done
}

# transfer WANT-FN HOLD-ARGS...: hold HOLD-ARGS, then the lines WANT-FN
# prints (from $cpid...) must come while the tool runs: exact lines, else
# matches of grep $grep_flags (reset after). An interval that
# ends in the middle of the transfer splits its bytes over two screens,
# neither exact: then again, with a new connection (3 tries).
transfer() {
	want_fn=$1
	shift
	try=1
	while :; do
		hold "$@"
		"$want_fn" >"$CT_TMP/want"
		await_lines "$CT_TMP/want" "${grep_flags:--Fx}" && ok=1 || ok=
		wait "$hold_pid"
		if [ -n "$ok" ]; then
			grep_flags=
			return 0
		fi
		if [ $try -ge 3 ] || ! ct_running "$tool_pid"; then
			ct_fail "not shown: $(head -1 "$CT_TMP/want")"
			grep_flags=
			return 1
		fi
		try=$((try + 1))
	done
}

# Both ends of an IPv4 connection, 5000 bytes one way, 70000 back: KB.
want_v4() {
	top_line "$cpid" ct-tcp 127.0.0.1 "$cport" 127.0.0.1 "$sport" 68 4
	top_line "$spid" ct-tcp-srv 127.0.0.1 "$sport" 127.0.0.1 "$cport" 4 68
}

ct_case "tcptop: both ends of a connection, KB each way, peeks not counted"
tool_start tcptop -C $IVL
transfer want_v4 4 5000 70000
tool_stop
expect_status 0
expect_line "$HEADER"
expect_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] loadavg: [0-9.]* [0-9.]* [0-9.]* [0-9]*/[0-9]* [0-9]*\$"
ct_done

want_json() {
	for r in "$cpid ct-tcp $cport $sport 20000 1000" \
		"$spid ct-tcp-srv $sport $cport 1000 20000"; do
		set -- $r
		printf ',"pid":%s,"comm":"%s","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s,"rx_bytes":%s,"tx_bytes":%s}\n' \
			"$@"
	done
}

ct_case "tcptop: --json, one object per row, bytes exact: peeks and a failed read not counted"
tool_start tcptop --json -v $IVL
grep_flags=-F
transfer want_json 4 1000 20000
tool_stop
expect_status 0
expect_grep "^tcptop: traffic: using $hooks" "$err"
expect_no_grep '^{"time":"[^"]*",' "$CT_TMP/hold"
grep -v '^{"time":"20[0-9-]*T[0-9:.]*Z","pid":[0-9]*,"comm":"[^"]*","ip":[46],"laddr":"[^"]*","lport":[0-9]*,"raddr":"[^"]*","rport":[0-9]*,"rx_bytes":[0-9]*,"tx_bytes":[0-9]*}$' \
	"$out" | head -1 >"$CT_TMP/odd"
[ -s "$CT_TMP/odd" ] && ct_fail "JSON line '$(cat "$CT_TMP/odd")'"
ct_done

esc=$(printf '\033')
nl='
'
want_escaped() {
	top_line "$cpid" 't\nx\x1b' 127.0.0.1 "$cport" 127.0.0.1 "$sport" 2 1
}
want_escaped_json() {
	printf ',"pid":%s,"comm":"t\\nx\\u001b","ip":4,"laddr":"127.0.0.1","lport":%s,"raddr":"127.0.0.1","rport":%s,"rx_bytes":2048,"tx_bytes":1024}\n' \
		"$cpid" "$cport" "$sport"
}

ct_case "tcptop: a command name escaped in text, valid in JSON"
tool_start tcptop -C $IVL
transfer want_escaped -n "t${nl}x${esc}" 4 1024 2048
tool_stop
tool_start tcptop --json -v $IVL
grep_flags=-F
transfer want_escaped_json -n "t${nl}x${esc}" 4 1024 2048
tool_stop
if have_python; then
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$out" || ct_fail "invalid JSON"
fi
ct_done

want_v6() {
	wide_line "$cpid" ct-tcp ::1 "$cport" ::1 "$sport" 3 2
	wide_line "$spid" ct-tcp-srv ::1 "$sport" ::1 "$cport" 2 3
}
want_mapped() {
	m=::ffff:127.0.0.1
	wide_line "$cpid" ct-tcp $m "$cport" $m "$sport" 1 5
}
want_v4_small() {
	top_line "$cpid" ct-tcp 127.0.0.1 "$cport" 127.0.0.1 "$sport" 2 1
}

ct_case "tcptop: IPv6 ::1 and v4-mapped with -6 -w; -4 leaves them out"
tool_start tcptop -C -6 -w $IVL
transfer want_v6 6 2048 3072
transfer want_mapped mapped 5120 1024
hold 4 1024 2048
v4pid=$cpid
wait "$hold_pid"
tool_stop
expect_no_grep "^$v4pid "
expect_no_grep " 127\.0\.0\.1 "
tool_start tcptop -C -4 $IVL
hold 6 1024 2048
v6pid=$cpid
wait "$hold_pid"
transfer want_v4_small 4 1024 2048
tool_stop
expect_no_grep "^$v6pid "
expect_no_grep " ::1 "
ct_done

want_server() {
	top_line "$spid" ct-tcp-srv 127.0.0.1 "$PORT" 127.0.0.1 "$cport" 1 2
}
want_client() {
	top_line "$cpid" ct-tcp 127.0.0.1 "$cport" 127.0.0.1 "$PORT" 2 1
}

ct_case "tcptop: -L and -D on the server's port"
tool_start tcptop -C -L "$PORT" $IVL
transfer want_server 4 1024 2048 "$PORT"
tool_stop
expect_no_grep "^$cpid "
tool_start tcptop -C -D "$PORT,1" $IVL
transfer want_client 4 1024 2048 "$PORT"
tool_stop
expect_no_grep "^$spid "
ct_done

ct_case "tcptop: -p, the process's own connections only"
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
: >"$CT_TMP/hold"
(read -r x <"$fifo"; exec "$TCP" hold 4 1024 2048 1 >"$CT_TMP/hold") &
hp=$!
tool_start tcptop -C -p "$hp" $IVL
echo go >"$fifo"
held
[ "$cpid" = "$hp" ] || ct_fail "ct-tcp ran as $cpid, not $hp"
want_client_p() {
	top_line "$hp" ct-tcp 127.0.0.1 "$cport" 127.0.0.1 "$sport" 2 1
}
want_client_p >"$CT_TMP/want"
await_lines "$CT_TMP/want" -Fx || ct_fail "not shown: $(cat "$CT_TMP/want")"
wait "$hp"
tool_stop
expect_no_grep " ct-tcp-srv "
ct_done

ct_case "tcptop: -u and -c, the processes of a user, of a cgroup"
tool_start tcptop -C -u 65534 -D "$PORT" $IVL
hold 4 1024 2048 "$PORT"
rootpid=$cpid
wait "$hold_pid"
transfer want_client -u 65534 4 1024 2048 "$PORT"
tool_stop
expect_no_grep "^$rootpid "
if ct_make_cgroup tcptop; then
	tool_start tcptop -C -c "$cg" -D "$PORT" $IVL
	hold 4 1024 2048 "$PORT"
	rootpid=$cpid
	wait "$hold_pid"
	hold_cg=$cg
	transfer want_client 4 1024 2048 "$PORT"
	hold_cg=
	tool_stop
	expect_no_grep "^$rootpid "
	ct_cgroups_remove
else
	ct_skip "no cgroup v2 directory could be made"
fi
ct_done

want_most_sent() {
	top_line "$spid" ct-tcp-srv 127.0.0.1 "$sport" 127.0.0.1 "$cport" 1 3
}
want_most_received() {
	top_line "$cpid" ct-tcp 127.0.0.1 "$cport" 127.0.0.1 "$sport" 3 1
}

# Both ends in a cgroup of their own: no other connection shows there.
ct_case "tcptop: -s sent, -s received with -r 1: the first row alone"
if ct_make_cgroup tcptop-sort; then
	hold_cg=$cg
	tool_start tcptop -C -r 1 -s sent -c "$cg" $IVL
	transfer want_most_sent 4 1024 3072
	tool_stop
	expect_no_grep "^$cpid "
	tool_start tcptop -C -r 1 -s RECEIVED -c "$cg" $IVL
	transfer want_most_received 4 1024 3072
	tool_stop
	expect_no_grep "^$spid "
	hold_cg=
	ct_cgroups_remove
else
	ct_skip "no cgroup v2 directory could be made"
fi
ct_done

ct_case "tcptop: UDP is not TCP"
tool_start tcptop -C $IVL
set -- $("$TCP" -n ct-udp udp 4 4096)
transfer want_v4_small 4 1024 2048
tool_stop
expect_no_grep "^$1 "
expect_no_grep " ct-udp "
ct_done

ct_case "tcptop: INTERVAL COUNT ends by itself, -S leaves out the load average"
run_tool tcptop -C 0.2 3
expect_status 0
[ "$(grep -c loadavg "$out")" = 3 ] || ct_fail "not 3 screens"
[ "$(grep -c '^$' "$out")" = 5 ] || ct_fail "not a blank line after each summary and between screens"
run_tool tcptop -S 0.2 2
expect_status 0
expect_no_grep loadavg
[ "$(sed -n 1p "$out")" = "$HEADER" ] || ct_fail "first line: $(sed -n 1p "$out")"
ct_done

ct_case "tcptop: on a terminal each screen clears it first, not with -C"
e=$(printf '\033')
for c in "" -C; do
	# shellcheck disable=SC2086
	"$CT_BIN/tests/ct-pty" -o "$CT_TMP/tty$c" RX_KB -- "$CT_BIN/tcptop" \
		$c 0.2 2 >/dev/null || ct_fail "tcptop $c on a pty: status $?"
done
[ "$(grep -c "^$e\[H$e\[2J[0-9:]* loadavg: " "$CT_TMP/tty")" = 2 ] ||
	ct_fail "not 2 screens, each first clearing it"
grep -q "$e" "$CT_TMP/tty-C" && ct_fail "-C: an escape sequence"
[ "$(grep -c "loadavg: " "$CT_TMP/tty-C")" = 2 ] || ct_fail "-C: not 2 screens"
ct_done

ct_case "tcptop: --csv, a header, then one record per row"
tool_start tcptop --csv -L "$PORT" $IVL
want_csv() {
	echo ",$spid,ct-tcp-srv,4,127.0.0.1,$PORT,127.0.0.1,$cport,2048,1024\$"
}
grep_flags=-s
transfer want_csv 4 2048 1024 "$PORT"
tool_stop
[ "$(sed -n 1p "$out")" = "time,pid,comm,ip,laddr,lport,raddr,rport,rx_bytes,tx_bytes" ] ||
	ct_fail "CSV header: $(sed -n 1p "$out")"
ct_done

ct_case "tcptop: --prom-textfile, bytes by IP version since the start"
dir=$CT_TMP/prom
mkdir -p "$dir"
tool_start tcptop -v --prom-textfile="$dir" --prom-interval=0.3 -L "$PORT"
for n in 1 2; do
	hold 4 1000 3000 "$PORT"
	wait "$hold_pid"
done
prom=$dir/coretrace-tcptop.prom
i=0
until grep -qx 'coretrace_tcptop_sent_bytes_total{ip="4"} 6000' "$prom" 2>/dev/null ||
	[ $i -ge 100 ]; do
	ct_sleep 0.05
	i=$((i + 1))
done
expect_grep '^coretrace_tcptop_received_bytes_total{ip="4"} 2000$' "$prom"
expect_grep '^coretrace_tcptop_sent_bytes_total{ip="4"} 6000$' "$prom"
expect_grep '^coretrace_tcptop_sent_bytes_total{ip="6"} 0$' "$prom"
expect_no_grep 'pid=\|comm=' "$prom"
tool_stop
expect_status 0
[ -e "$prom" ] && ct_fail "the file outlived the tool"
ct_done

for tp in raw_tp tracepoint; do
	ct_case "tcptop: CT_FORCE_TP=$tp"
	if [ "$hooks" != tp_btf ]; then
		ct_skip "no sock:sock_send_length tracepoint here (6.3+)"
		continue
	fi
	CT_FORCE_TP=$tp tool_start tcptop -v -C $IVL
	transfer want_v4 4 5000 70000
	tool_stop
	expect_grep "^tcptop: traffic: using $tp" "$err"
	ct_done
done

ct_case "tcptop: --fields=help, usage errors"
run_tool tcptop --fields=help
expect_status 0
expect_grep "^tx_bytes  "
run_tool tcptop -s bogus
expect_usage "tcptop: -s/--sort: unknown key 'bogus' (keys: all, sent, received)"
run_tool tcptop -4 -6
expect_usage "tcptop: -4 and -6: choose one"
run_tool tcptop --prom-textfile="$CT_TMP" 5
expect_usage "tcptop: --prom-textfile: the interval is --prom-interval; no count (runs until stopped)"
expect_fields_usage tcptop pid
ct_done
