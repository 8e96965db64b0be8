# Runtime tests of tcprtt: real round trip times on loopback. Without
# netem (not built into every kernel, this one's included), a known RTT
# comes from delayed ACKs: ct-tcp slowack's server acknowledges each byte
# 40 ms late (TCP_DELACK_MIN), so the client's srtt climbs to ~40 ms.
. "$(dirname "$0")/lib.sh"
ct_tcp_init tcprtt

# slowack: bytes sent, each acknowledged 40 ms late; one tcp_probe each.
NBYTES=40
BUCKET="     32768 -> 65535      : "

slowack() {
	set -- $("$TCP" slowack 4 "$NBYTES" 80 "$PORT")
	cport=$4
	[ -n "$cport" ] || ct_fail "ct-tcp slowack failed"
}

# The counts of histogram lines matching $1 (all lines: ''), summed.
count_of() {
	awk -v b="$1" '$2 == "->" && $4 == ":" &&
		(b == "" || index($0, b) == 1) { n += $5 }
		END { print n + 0 }' "$out"
}

# Most of the client's samples in the 32-65 ms bucket: srtt starts from the
# handshake's few microseconds and takes a dozen samples to pass 32 ms.
expect_40ms() {
	total=$(count_of '')
	in40=$(count_of "$BUCKET")
	# One ACK per byte; on a busy machine a late delayed ACK timer may
	# take two at once, and a retransmission bring one more.
	[ $((total * 4)) -le $((NBYTES * 5)) ] &&
		[ $((total * 4)) -ge $((NBYTES * 3)) ] ||
		ct_fail "$total samples, expected $NBYTES (+/- 1/4)"
	[ $((in40 * 2)) -ge "$total" ] ||
		ct_fail "$in40 of $total samples in 32768 -> 65535 usecs"
}

ct_case "tcprtt: ~40 ms RTT in its bucket, --rport, -e, -i (tp_btf)"
tool_start tcprtt -v -e -i 1 --rport "$PORT"
slowack
# Printed while it runs: the interval after the last byte.
await_out "the average line" -- '^avg = [0-9]* usecs'
wait_grep "^${BUCKET}[1-9]"
ct_sleep 1
tool_stop
expect_status 0
expect_grep "^tcprtt: tcp_probe: using tp_btf\$" "$err"
expect_line "     usecs               : count    distribution"
expect_40ms
# -e: each interval's average, sum and count; the counts add up.
awk '/^avg = [0-9]* usecs, total: [0-9]* usecs, count: [0-9]*$/ \
	{ n += $NF } END { print n + 0 }' "$out" >"$CT_TMP/n"
[ "$(cat "$CT_TMP/n")" = "$(count_of '')" ] ||
	ct_fail "-e counts $(cat "$CT_TMP/n"), the histograms $(count_of '')"
ct_done

ct_case "tcprtt: --json -e, one histogram with avg and sum (raw_tp)"
CT_FORCE_TP=raw_tp tool_start tcprtt -v --json -e -D "$PORT"
slowack
tool_stop
expect_status 0
expect_grep "^tcprtt: tcp_probe: using raw_tp\$" "$err"
if have_python; then
	python3 - "$out" "$NBYTES" <<'PY' >>"$err" 2>&1 || ct_fail "bad JSON"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert len(objs) == 1, objs
o = objs[0]
assert list(o) == ["time", "unit", "total", "avg", "sum", "buckets"], o
n = int(sys.argv[2])
assert o["unit"] == "usecs" and n * 3 <= o["total"] * 4 <= n * 5, o
b = o["buckets"]
assert o["total"] == sum(x["count"] for x in b), o
assert o["avg"] == o["sum"] // o["total"], o
at40 = [x["count"] for x in b if x["low"] == 32768 and x["high"] == 65535]
assert at40 and 2 * at40[0] >= o["total"], o
PY
else
	expect_grep '^{"time":"[^"]*","unit":"usecs","total":[0-9]*,"avg":'
fi
ct_done

ct_case "tcprtt: -m in milliseconds, the 32 -> 63 bucket (tracepoint)"
CT_FORCE_TP=tracepoint tool_start tcprtt -v -m -D "$PORT"
slowack
tool_stop
expect_grep "^tcprtt: tcp_probe: using tracepoint\$" "$err"
expect_line "     msecs               : count    distribution"
BUCKET="        32 -> 63         : "
expect_40ms
BUCKET="     32768 -> 65535      : "
ct_done

ct_case "tcprtt: -b per local address, -L the server's end only"
tool_start tcprtt -b -L "$PORT"
pair 6 1000 1000 "$PORT"
pair 4 1000 1000 "$PORT"
pair mapped 1000 1000 "$PORT"
tool_stop
expect_status 0
expect_line "laddr = ::1"
expect_line "laddr = 127.0.0.1"
expect_line "laddr = ::ffff:127.0.0.1"
[ "$(grep -c '^laddr = ' "$out")" = 3 ] || ct_fail "other keys shown"
# The server receives 1000 bytes, then the client's FIN: a probe or more.
expect_total_at_least 3
ct_done

ct_case "tcprtt: -B --json per remote address; -4 leaves out v4-mapped"
tool_start tcprtt -v -B -4 --json --lport "$PORT"
pair mapped 1000 1000 "$PORT"
pair 4 1000 1000 "$PORT"
tool_stop
expect_status 0
key='"raddr":"127\.0\.0\.1","unit":"usecs","total":[1-9][0-9]*'
expect_grep '^{"time":"[^"]*",'"$key"',"buckets":\[{"low":'
[ "$(wc -l <"$out")" = 1 ] || ct_fail "not one histogram"
ct_done

ct_case "tcprtt: --bylport and --byrport keys"
tool_start tcprtt --bylport -L "$PORT"
pair 4 1 1 "$PORT"
tool_stop
expect_line "lport = $PORT"
[ "$(grep -c '^lport = ' "$out")" = 1 ] || ct_fail "other keys shown"
tool_start tcprtt --byrport -D "$PORT"
pair 4 1 1 "$PORT"
tool_stop
expect_line "rport = $PORT"
[ "$(grep -c '^rport = ' "$out")" = 1 ] || ct_fail "other keys shown"
ct_done

ct_case "tcprtt: -a/-A address and network filters (v4-mapped too)"
tool_start tcprtt -A ::1 -B -D "$PORT"
pair 4 1 1 "$PORT"
pair 6 1 1 "$PORT"
tool_stop
expect_line "raddr = ::1"
expect_no_line "raddr = 127.0.0.1"
tool_start tcprtt -a 127.0.0.0/8 -b -L "$PORT"
pair mapped 1 1 "$PORT"
pair 6 1 1 "$PORT"
tool_stop
expect_line "laddr = ::ffff:127.0.0.1"
expect_no_line "laddr = ::1"
tool_start tcprtt -a 10.0.0.0/8 -L "$PORT"
pair 4 1 1 "$PORT"
tool_stop
[ "$(count_of '')" = 0 ] || ct_fail "-a 10.0.0.0/8 counted loopback"
ct_done

ct_case "tcprtt: --csv per local port; --fields"
tool_start tcprtt --csv --bylport -L "$PORT"
pair 4 1000 1000 "$PORT"
tool_stop
expect_status 0
expect_hist_csv "time,lport,unit,total,low,high,count" \
	"^[-0-9T:.]*Z,$PORT,usecs,[0-9]*,[0-9]*,[0-9]*,[0-9]*\$" 1
run_tool tcprtt --csv -b --fields=raddr
expect_usage "tcprtt: --fields: 'raddr' does not apply with these options"
ct_done

ct_case "tcprtt: --prom-textfile per local port; -B refused there"
pdir=$CT_TMP/prom
mkdir -p "$pdir"
tool_start tcprtt -v --prom-textfile="$pdir" --prom-interval=0.2 \
	--bylport -L "$PORT"
pair 4 1000 1000 "$PORT"
i=0
until grep -q "^coretrace_tcprtt_seconds_count{lport=\"$PORT\"} [1-9]" \
	"$pdir/coretrace-tcprtt.prom" 2>/dev/null; do
	[ $i -ge 50 ] && { ct_fail "no count for lport $PORT"; break; }
	ct_sleep 0.1
	i=$((i + 1))
done
tool_stop
expect_status 0
run_tool tcprtt --prom-textfile="$pdir" -B
expect_status 2
expect_grep "^tcprtt: --prom-textfile: no series per 'raddr' " "$err"
ct_done

ct_case "tcprtt: INTERVAL COUNT with -T ends after COUNT intervals"
run_tool tcprtt -T 0.2 3
expect_status 0
n=$(grep -c '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$out")
[ "$n" = 3 ] || ct_fail "$n intervals printed, expected 3"
ct_done

ct_case "tcprtt: bad arguments exit 2 with one line"
for args in "-b -B" "--bylport -B" "0" "1 0" "1 2 3" "-i 0" "-a foo" \
	"-A 10.0.0.1/8" "--lport 0" "--rport 70000" "-4 -6" "-p 1"; do
	run_tool tcprtt $args
	expect_status 2
	[ "$(wc -l <"$err")" = 1 ] || ct_fail "'$args': not one line"
done
ct_done
