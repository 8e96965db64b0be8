# tcprtt: a loopback stream (tests/helpers/ct-tcp pair): the server receives
# 4 KiB writes, the client their ACKs; tcp:tcp_probe fires at each segment
# either end receives.
desc="ct-tcp pair: 4 KiB writes from client to server over 127.0.0.1"
unit=write
count=100000
quick=30000
floor="raw:tcp_probe"
reject="-L 1"
formats="--json --csv"
peer=tcprtt
peer_why="its fentry or kprobe on tcp_rcv_established"
bpftrace='tracepoint:tcp:tcp_probe { @us = hist(args->srtt); }'

run_load() {
	"$BIN/tests/ct-tcp" pair 4 $(($1 * 4096)) 0 >/dev/null
}
