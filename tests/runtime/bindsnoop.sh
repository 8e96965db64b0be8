# Runtime tests of bindsnoop: real binds on loopback (ct-tcp bind, inuse),
# exact lines while the tool runs.
. "$(dirname "$0")/lib.sh"
ct_tcp_init bindsnoop


# bind ARGS...: ct-tcp bind ARGS; sets $bpid, $bport, $berr.
bind() {
	set -- $("$TCP" bind "$@")
	bpid=$1 bport=$2 berr=$3
	[ -n "$berr" ] || ct_fail "ct-tcp bind failed"
}

# line PID COMM PROT ADDR PORT OPTS IF: a line of the default columns.
line() {
	printf '%-7s %-16s %-5s %-15s %5s %-5s %s\n' "$@"
}

# xline PID COMM ERR PROT ADDR PORT OPTS IF: the same with -x.
xline() {
	printf '%-7s %-16s %-12s %-5s %-15s %5s %-5s %s\n' "$@"
}

# check_json FILE PID ERR KEY=VALUE...: the one event of PID with err ERR
# in FILE has these members (values as JSON: "TCP", ["SO_REUSEPORT"], null).
check_json() {
	have_python || return 0
	python3 - "$@" <<'PY' >"$CT_TMP/py" 2>&1 || ct_fail "$(head -1 "$CT_TMP/py")"
import json, sys
ev = [e for e in map(json.loads, open(sys.argv[1]))
      if (e.get("pid"), e.get("err")) == (int(sys.argv[2]), int(sys.argv[3]))]
if len(ev) != 1:
    sys.exit("%d events of pid %s, err %s" % (len(ev), *sys.argv[2:4]))
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1)
    if ev[0].get(k, "absent") != json.loads(v):
        sys.exit("%s: %r, not %s" % (k, ev[0].get(k, "absent"), v))
PY
}

ct_case "bindsnoop: TCP and UDP, IPv4 and IPv6, the port the kernel chose"
tool_start bindsnoop
expect_line "PID     COMM             PROT  ADDR             PORT OPTS  IF"
bind 4 tcp 0
wait_line "$(line "$bpid" ct-tcp TCP 127.0.0.1 "$bport" ..... -)"
[ "$bport" -gt 0 ] || ct_fail "ct-tcp bound port $bport"
bind 6 udp "$PORT"
wait_line "$(line "$bpid" ct-tcp UDP ::1 "$PORT" ..... -)"
bind mapped tcp 0
wait_line "$(line "$bpid" ct-tcp TCP ::ffff:127.0.0.1 "$bport" ..... -)"
tool_stop
expect_status 0
ct_done

ct_case "bindsnoop: options: SO_REUSEADDR, SO_REUSEPORT, SO_BINDTODEVICE, IP_FREEBIND, IP_BIND_ADDRESS_NO_PORT, IP_TRANSPARENT"
tool_start bindsnoop
bind 4 tcp 0 reuseaddr
wait_line "$(line "$bpid" ct-tcp TCP 127.0.0.1 "$bport" ...R. -)"
bind 6 udp 0 reuseport,dev=lo
wait_line "$(line "$bpid" ct-tcp UDP ::1 "$bport" ....r lo)"
# Not an address of this host: IP_FREEBIND lets it bind. Port 0 with
# IP_BIND_ADDRESS_NO_PORT stays 0 until a connect().
bind 4 tcp 0 freebind,noport,addr=192.0.2.1
wait_line "$(line "$bpid" ct-tcp TCP 192.0.2.1 0 F.N.. -)"
bind 6 tcp 0 transparent,reuseaddr,reuseport
wait_line "$(line "$bpid" ct-tcp TCP ::1 "$bport" .T.Rr -)"
tool_stop
ct_done

ct_case "bindsnoop: a bind to a port in use: shown with -x (and -E), not without"
tool_start bindsnoop -x
set -- $("$TCP" inuse 4 tcp)
wait_line "$(xline "$1" ct-tcp EADDRINUSE TCP 127.0.0.1 "$2" ..... -)"
# An address the kernel could not read: nothing known of it.
bind 4 tcp 0 fault
[ "$berr" = 14 ] || ct_fail "bind from an unreadable address: errno $berr"
wait_line "$(xline "$bpid" ct-tcp EFAULT TCP - - ..... -)"
tool_stop
expect_line "PID     COMM             ERR          PROT  ADDR             PORT OPTS  IF"
expect_line "$(xline "$1" ct-tcp - TCP 127.0.0.1 "$2" ..... -)"
tool_start bindsnoop -E -6
set -- $("$TCP" inuse 6 udp)
wait_line "$(xline "$1" ct-tcp EADDRINUSE UDP ::1 "$2" ..... -)"
tool_stop
tool_start bindsnoop
set -- $("$TCP" inuse 4 udp)
wait_line "$(line "$1" ct-tcp UDP 127.0.0.1 "$2" ..... -)"
tool_stop
expect_no_grep "^$1 .*EADDRINUSE"
[ "$(grep -c "^$1 " "$out")" = 1 ] || ct_fail "the failed bind shown"
ct_done

esc=$(printf '\033')
nl='
'

ct_case "bindsnoop: --json: result, ports, options, interface; escaped names"
tool_start bindsnoop --json -x -v
bind 4 tcp 0 reuseport,dev=lo
p1=$bpid port1=$bport
await_out "the first bind" "\"pid\":$p1,"
set -- $("$TCP" -n "b${nl}x${esc}" inuse 6 tcp)
await_out "the failed bind" "\"pid\":$1,.*\"errno\":\"EADDRINUSE\""
bind 4 tcp 0 fault
await_out "the bind from an unreadable address" "\"pid\":$bpid,"
tool_stop
netns=$(stat -L -c %i /proc/self/ns/net)
check_json "$out" "$p1" 0 errno=null protocol='"TCP"' ip=4 \
	laddr='"127.0.0.1"' lport="$port1" req_port=0 \
	opt_names='["SO_REUSEPORT"]' ifindex=1 ifname='"lo"' \
	netns="$netns" uid=0 user='"root"' tid="$p1" comm='"ct-tcp"'
check_json "$out" "$1" 98 errno='"EADDRINUSE"' protocol='"TCP"' ip=6 \
	laddr='"::1"' lport="$2" req_port="$2" opt_names='[]' ifindex=0 \
	ifname=null comm="\"b\\nx\\u001b\""
check_json "$out" "$1" 0 laddr='"::1"' lport="$2" req_port=0
check_json "$out" "$bpid" 14 errno='"EFAULT"' laddr=null lport=null \
	req_port=null ip=4 protocol='"TCP"'
# Text: the name escaped.
tool_start bindsnoop -x
set -- $("$TCP" -n "b${nl}x${esc}" inuse 4 tcp)
wait_line "$(xline "$1" 'b\nx\x1b' EADDRINUSE TCP 127.0.0.1 "$2" ..... -)"
tool_stop
ct_done

ct_case "bindsnoop: an interface's name escaped in text, valid in JSON"
# In a network namespace of its own, where lo (down) may be renamed: the
# tool runs there too, to see the name.
name="l${esc}o"
if ! unshare -n ip link set lo name "$name" 2>/dev/null; then
	ct_skip "no unshare -n and ip to rename an interface in a new namespace"
else
	for fmt in text json; do
		unshare -n sh -c '
			ip link set lo name "$3" || exit 1
			args=-v
			[ "$6" = json ] && args="-v --json"
			"$1" $args >"$4" 2>"$5" &
			t=$!
			i=0
			until grep -q attached "$5"; do
				[ $i -lt 100 ] || exit 1
				sleep 0.1
				i=$((i + 1))
			done
			"$2" bind 4 tcp 0 "dev=$3,addr=0.0.0.0" >"$4.bind"
			# The bind shown while the tool runs.
			p=$(cut -d" " -f1 "$4.bind")
			i=0
			until grep -q -e "^$p " -e "\"pid\":$p," "$4"; do
				[ $i -lt 20 ] || exit 2
				sleep 0.1
				i=$((i + 1))
			done
			kill -INT $t
			wait $t' sh "$CT_BIN/bindsnoop" "$TCP" "$name" "$out.$fmt" \
			"$err.$fmt" "$fmt" || ct_fail "$fmt: not shown while running ($?)"
	done
	set -- $(cat "$out.text.bind")
	grep -Fxq "$(line "$1" ct-tcp TCP 0.0.0.0 "$2" ..... 'l\x1bo')" \
		"$out.text" || ct_fail "text: $(tail -1 "$out.text")"
	set -- $(cat "$out.json.bind")
	check_json "$out.json" "$1" 0 ifname='"l\u001bo"' ifindex=1 lport="$2"
fi
ct_done

ct_case "bindsnoop: -P ports, -4 and -6, in the kernel"
tool_start bindsnoop -v -P "$PORT,$((PORT + 1))"
bind 4 tcp 0
other=$bpid
bind 4 udp "$PORT"
wait_line "$(line "$bpid" ct-tcp UDP 127.0.0.1 "$PORT" ..... -)"
tool_stop
expect_no_grep "^$other "
expect_grep "^bindsnoop: 1 events sent by the kernel" "$err"
tool_start bindsnoop -4
bind 6 tcp 0
other=$bpid
bind 4 tcp 0
wait_line "$(line "$bpid" ct-tcp TCP 127.0.0.1 "$bport" ..... -)"
tool_stop
expect_no_grep "^$other "
tool_start bindsnoop -6 -w
bind 4 tcp 0
other=$bpid
bind 6 tcp 0
wait_line "$(printf '%-7s %-16s %-5s %-39s %5s %-5s %s' "$bpid" ct-tcp \
	TCP ::1 "$bport" ..... -)"
tool_stop
expect_no_grep "^$other "
expect_line "PID     COMM             PROT  ADDR                                     PORT OPTS  IF"
ct_done

ct_case "bindsnoop: -p, -u, -c and --netns, in the kernel"
fifo=$CT_TMP/go
rm -f "$fifo"
mkfifo "$fifo"
(read -r x <"$fifo"; exec "$TCP" bind 4 tcp 0 >"$CT_TMP/bind") &
hp=$!
tool_start bindsnoop -p "$hp"
bind 4 tcp 0
other=$bpid
echo go >"$fifo"
wait "$hp"
set -- $(cat "$CT_TMP/bind")
[ "$1" = "$hp" ] || ct_fail "ct-tcp ran as $1, not $hp"
wait_line "$(line "$hp" ct-tcp TCP 127.0.0.1 "$2" ..... -)"
tool_stop
expect_no_grep "^$other "
tool_start bindsnoop -U -u 65534
bind 4 tcp 0
other=$bpid
set -- $("$TCP" -u 65534 bind 4 udp 0)
wait_line "$(printf '%-5s %s' 65534 "$(line "$1" ct-tcp UDP 127.0.0.1 "$2" ..... -)")"
tool_stop
expect_no_grep " $other "
if ct_make_cgroup bindsnoop; then
	tool_start bindsnoop -c "$cg"
	bind 4 tcp 0
	other=$bpid
	set -- $(ct_in_cgroup "$cg" "$TCP" bind 4 tcp 0)
	wait_line "$(line "$1" ct-tcp TCP 127.0.0.1 "$2" ..... -)"
	tool_stop
	expect_no_grep "^$other "
	ct_cgroups_remove
fi
tool_start bindsnoop --netns "$(stat -L -c %i /proc/self/ns/net)" -v
bind 4 tcp 0
wait_line "$(line "$bpid" ct-tcp TCP 127.0.0.1 "$bport" ..... -)"
tool_stop
tool_start bindsnoop --netns 1 -v
bind 4 tcp 0
tool_stop
expect_no_grep "^$bpid "
expect_grep "^bindsnoop: 0 events sent by the kernel" "$err"
ct_done

ct_case "bindsnoop: -T, -t, -U columns; -v names the hooks"
tool_start bindsnoop -T -t -U -v
bind 4 tcp 0
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9][0-9][0-9]  *0     $(line "$bpid" ct-tcp TCP 127.0.0.1 "$bport" ..... -)\$"
tool_stop
expect_line "TIME     TIME(s)  UID   PID     COMM             PROT  ADDR             PORT OPTS  IF"
expect_grep "^bindsnoop: bind: using tracepoints syscalls:sys_enter_bind, sys_exit_bind\$" "$err"
ct_done

ct_case "bindsnoop: text, --json and --csv of one bind agree"
f=time,pid,tid,comm,err,errno,protocol,ip,laddr,lport,req_port,ifindex,netns
fields_start bindsnoop --fields=$f -P "$PORT"
bind 6 tcp "$PORT"
fields_stop
expect_grep "^[-0-9T:.]*Z,$bpid,$bpid,ct-tcp,0,,TCP,6,::1,$PORT,$PORT,0,[0-9]*\$" \
	"$CT_TMP/fields.csv"
fields_agree "$f" pid "$bpid"
ct_done

ct_case "bindsnoop: --fields=help, usage errors"
run_tool bindsnoop --fields=help
expect_status 0
expect_grep "^opt_names  "
run_tool bindsnoop -P 1,2,3,4,5,6,7,8,9
expect_usage "bindsnoop: -P/--port: '1,2,3,4,5,6,7,8,9' is not a list of at most 8 ports (1-65535)"
run_tool bindsnoop -4 -6
expect_usage "bindsnoop: -4 and -6: choose one"
run_tool bindsnoop --netns 0
expect_status 2
run_tool bindsnoop -L 80
expect_status 2
expect_fields_usage bindsnoop laddr
ct_done
