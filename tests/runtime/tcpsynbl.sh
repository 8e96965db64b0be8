# Runtime tests of tcpsynbl: a listener of backlog B that never accepts,
# and N > B + 1 connects to it, one after the other. Its accept queue takes
# B + 1 of them (full means longer than B): each finds it 0, 1, ... B long;
# the SYNs of the others find it full and are dropped (ListenOverflows),
# once each, as the listener is gone before they are sent again (1 s).
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcpsynbl

PORT2=$((PORT + 1))
HEADER="     backlog             : count    distribution"

# backlog FAMILY B N [PORT]: the listener, its connects, then it closes.
backlog() {
	"$TCP" backlog "$1" "$2" "$3" "${4:-$PORT}" </dev/null >"$CT_TMP/bl" ||
		ct_fail "ct-tcp backlog failed"
}

# The counts of the histogram lines "LOW -> HIGH" in stdout, summed over
# the intervals.
bucket() {
	awk -v lo="$1" -v hi="$2" '$1 == lo && $2 == "->" && $3 == hi \
		{ n += $5 } END { print n + 0 }' "$out"
}

# The sum over the intervals of "listen_overflows = O, listen_drops = D".
drops_sum() {
	awk -F'[ ,]+' '/^listen_overflows = [0-9]*, listen_drops = [0-9]*$/ \
		{ o += $3; d += $6 } END { print o + 0, d + 0 }' "$out"
}

# Start the tool in a network namespace of its own (loopback up), where
# only our connects overflow; $netns_ok empty where none can be made.
netns_ok=
if unshare -n true 2>/dev/null && command -v nsenter >/dev/null 2>&1 &&
	command -v ip >/dev/null 2>&1; then
	netns_ok=1
fi
tool_start_netns() {
	: >"$out"
	: >"$err"
	unshare -n sh -c 'ip link set lo up && exec "$@"' sh \
		"$CT_BIN/tcpsynbl" "$@" >>"$out" 2>>"$err" &
	tool_pid=$!
	i=0
	until grep -q 'attached' "$err"; do
		if ! kill -0 "$tool_pid" 2>/dev/null || [ $i -ge 200 ]; then
			ct_fail "tcpsynbl did not start in a network namespace"
			return 1
		fi
		ct_sleep 0.05
		i=$((i + 1))
	done
}

# The tool's hook, from -v.
hook_of() {
	sed -n 's/^tcpsynbl: backlog: using //p' "$err"
}

ct_case "tcpsynbl: backlog 3, 7 connects: 0..3 once each, 3 overflows"
if [ -z "$netns_ok" ]; then
	ct_skip "no unshare -n and nsenter: the drop counters are the host's"
else
	# Other tests' listeners (in other namespaces) are counted too: -L.
	tool_start_netns -v -i 1 -L "$PORT"
	nsenter --net=/proc/"$tool_pid"/ns/net "$TCP" backlog 4 3 7 "$PORT" \
		</dev/null >/dev/null || ct_fail "ct-tcp backlog failed"
	wait_line "port = $PORT, backlog_max = 3"
	wait_grep "^listen_overflows = [1-9]"
	tool_stop
	expect_status 0
	expect_line "$HEADER"
	[ "$(bucket 0 1)/$(bucket 2 3)" = 2/2 ] ||
		ct_fail "counts $(bucket 0 1)/$(bucket 2 3), expected 2/2"
	[ "$(grep '^port = ' "$out" | sort -u)" = \
		"port = $PORT, backlog_max = 3" ] || ct_fail "other listeners"
	[ "$(drops_sum)" = "3 3" ] || ct_fail "drops $(drops_sum), expected 3 3"
	case $(hook_of) in
	tp_btf | "kprobe tcp_v4_syn_recv_sock, tcp_v6_syn_recv_sock") ;;
	*) ct_fail "hook '$(hook_of)'" ;;
	esac
fi
ct_done

for tp in raw_tp tracepoint; do
	ct_case "tcpsynbl: IPv6 and -6 -L ($tp where no kprobes)"
	CT_FORCE_TP=$tp tool_start tcpsynbl -v -6 -L "$PORT"
	backlog 6 2 4
	backlog mapped 2 3
	backlog 4 2 3
	backlog 6 2 4 "$PORT2"
	tool_stop
	expect_status 0
	case $(hook_of) in
	kprobe*) ;;
	"$tp") ;;
	*) ct_fail "hook '$(hook_of)'" ;;
	esac
	expect_line "port = $PORT, backlog_max = 2"
	[ "$(grep -c '^port = ' "$out")" = 1 ] || ct_fail "other listeners"
	# ::1 0, 1, 2 and v4-mapped 0, 1, 2; not 127.0.0.1's.
	[ "$(bucket 0 1)/$(bucket 2 3)" = 4/2 ] ||
		ct_fail "counts $(bucket 0 1)/$(bucket 2 3), expected 4/2"
	ct_done
done

ct_case "tcpsynbl: --json, a histogram per listener and the drops"
tool_start tcpsynbl -v --json -4 -L "$PORT,$PORT2"
backlog 4 1 2
backlog 4 4 5 "$PORT2"
tool_stop
expect_status 0
if have_python; then
	python3 - "$out" "$PORT" "$PORT2" <<'PY' >>"$err" 2>&1 || ct_fail "bad JSON"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
p1, p2 = int(sys.argv[2]), int(sys.argv[3])
h = [o for o in objs if "buckets" in o]
d = [o for o in objs if "listen_drops" in o]
assert len(h) == 2 and len(d) == 1 and len(objs) == 3, objs
assert list(h[0]) == ["time", "port", "backlog_max", "unit", "total",
                      "buckets"], h[0]
assert (h[0]["port"], h[0]["backlog_max"], h[0]["total"]) == (p1, 1, 2), h
assert h[0]["buckets"] == [{"low": 0, "high": 1, "count": 2}], h
assert (h[1]["port"], h[1]["backlog_max"], h[1]["total"]) == (p2, 4, 5), h
assert h[1]["buckets"] == [{"low": 0, "high": 1, "count": 2},
                           {"low": 2, "high": 3, "count": 2},
                           {"low": 4, "high": 7, "count": 1}], h
assert all(o["unit"] == "backlog" for o in h), h
assert list(d[0]) == ["time", "listen_overflows", "listen_drops"], d
assert all(isinstance(d[0][k], int) for k in list(d[0])[1:]), d
PY
else
	expect_grep '^{"time":"[^"]*","port":'"$PORT"',"backlog_max":1,"unit":"backlog","total":2,"buckets":\[{"low":0,"high":1,"count":2}\]}$'
fi
ct_done

ct_case "tcpsynbl: --csv, a record per bucket"
tool_start tcpsynbl -v --csv -L "$PORT"
backlog 4 2 3
tool_stop
expect_status 0
expect_line "time,port,backlog_max,total,low,high,count"
expect_grep "^[-0-9T:.]*Z,$PORT,2,3,0,1,2\$"
expect_grep "^[-0-9T:.]*Z,$PORT,2,3,2,3,1\$"
[ "$(wc -l <"$out")" = 3 ] || ct_fail "other records"
ct_done

ct_case "tcpsynbl: --prom-textfile, backlog buckets of whole numbers"
pdir=$CT_TMP/prom
mkdir -p "$pdir"
tool_start tcpsynbl -v --prom-textfile="$pdir" --prom-interval=0.2 \
	-L "$PORT"
backlog 4 2 3
f=$pdir/coretrace-tcpsynbl.prom
b="coretrace_tcpsynbl_backlog_bucket{port=\"$PORT\",backlog_max=\"2\""
i=0
until grep -q "^$b,le=\"3\"} 3\$" "$f" 2>/dev/null; do
	[ $i -ge 50 ] && { ct_fail "no le=3 bucket of 3"; break; }
	ct_sleep 0.1
	i=$((i + 1))
done
grep -q "^$b,le=\"1\"} 2\$" "$f" || ct_fail "no le=1 bucket of 2"
s="coretrace_tcpsynbl_backlog_sum{port=\"$PORT\",backlog_max=\"2\"}"
grep -q "^$s 3\$" "$f" || ct_fail "no sum of 3 (0 + 1 + 2)"
# Since the start, in the host's namespace: any number.
grep -q '^coretrace_tcpsynbl_listen_overflows_total [0-9][0-9]*$' "$f" ||
	ct_fail "no listen_overflows_total"
tool_stop
expect_status 0
ct_done

ct_case "tcpsynbl: INTERVAL COUNT with -T ends after COUNT intervals"
run_tool tcpsynbl -T 0.2 3
expect_status 0
n=$(grep -c '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$out")
[ "$n" = 3 ] || ct_fail "$n intervals printed, expected 3"
n=$(grep -c '^listen_overflows = [0-9]*, listen_drops = [0-9]*$' "$out")
[ "$n" = 3 ] || ct_fail "$n drop lines, expected 3"
ct_done

ct_case "tcpsynbl: bad arguments exit 2 with one line"
for args in "0" "1 0" "1 2 3" "-i 0" "-L 0" "-L x" "-4 -6" "-D 80" \
	"-p 1" "--fields=port"; do
	run_tool tcpsynbl $args
	expect_status 2
	[ "$(wc -l <"$err")" = 1 ] || ct_fail "'$args': not one line"
done
ct_done
