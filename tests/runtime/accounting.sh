# Runtime tests of the event accounting common to the streaming tools
# (common/consume.c): when a tool stops while events keep coming, its BPF
# side stops sending (and a grace period passes) before its last drain, so
# that every event the kernel sent was printed, and those it could not send were reported lost: in -v's "N events
# sent by the kernel, N received, N lost" the first two are equal.
. "$(dirname "$0")/lib.sh"
ct_require_root "accounting"
OPEN=$CT_BIN/tests/ct-open

# The -v totals of $err as "SENT RECEIVED LOST", for tool $1.
totals() {
	sed -n "s/^$1: \([0-9]*\) events sent by the kernel, \([0-9]*\) received, \([0-9]*\) lost\$/\1 \2 \3/p" "$err"
}

# expect_totals_add_up TOOL: sent = received > 0, and the received events
# are the lines on stdout (no header in --json) but the loss records, the
# last of which has the total lost.
expect_totals_add_up() {
	set -- "$1" $(totals "$1")
	if [ $# -ne 4 ]; then
		ct_fail "no totals on stderr"
		return
	fi
	[ "$2" -gt 0 ] || ct_fail "no event sent"
	[ "$2" -eq "$3" ] ||
		ct_fail "$2 sent, but $3 received ($4 lost)"
	events=$(grep -vc '^{"type":"lost",' "$out")
	[ "$events" -eq "$3" ] ||
		ct_fail "$3 received, but $events events printed"
	[ "$4" -eq 0 ] || expect_grep "^{\"type\":\"lost\",.*,\"lost_total\":$4,\"final\":true}\$"
}

# The load runs until killed, after the tool stopped: a fixed count would
# end before the tool is up on a fast host, and make an emulated guest
# wait for it long after.
for how in "-d 1" "SIGINT" "SIGTERM"; do
	ct_case "accounting: opensnoop stopped by $how amid opens: every event is counted"
	case $how in
	-d*) tool_start opensnoop --json -v $how ;;
	*) tool_start opensnoop --json -v ;;
	esac
	"$OPEN" many 1000000000 /etc/hostname >/dev/null &
	load=$!
	case $how in
	-d*)
		ct_sleep 1.5 ;;
	*)
		ct_sleep 1
		kill -"${how#SIG}" "$tool_pid" ;;
	esac
	kill "$load" 2>/dev/null
	wait "$load" 2>/dev/null
	tool_wait
	expect_status 0
	expect_totals_add_up opensnoop
	ct_done
done

ct_case "accounting: execsnoop -d amid execs: every event is counted"
(while :; do "$CT_BIN/tests/ct-trigger" noop; done) &
load=$!
run_tool execsnoop --json -v -d 1
kill "$load" 2>/dev/null
wait "$load" 2>/dev/null
expect_status 0
expect_totals_add_up execsnoop
ct_done
