# tcptop: a bulk transfer on loopback in small writes (tests/helpers/ct-tcp
# stream): every write, and every read of the receiving end, is a call
# tcptop counts, in one map entry per end.
desc="ct-tcp stream: a transfer in 64-byte writes to a reader on 127.0.0.1 (count: writes)"
unit=write
count=400000
quick=100000
# Aggregates: no line per event.
match=
floor="raw:sock_send_length raw:sock_recv_length"
reject="-c @EMPTY_CG@"
formats="--json --csv"
peer=tcptop
peer_why="kprobes on tcp_sendmsg and tcp_cleanup_rbuf; this kernel has none"
bpftrace='tracepoint:sock:sock_send_length /args->protocol == 6 && args->ret > 0/ { @tx[pid, comm] = sum(args->ret); } tracepoint:sock:sock_recv_length /args->protocol == 6 && args->ret > 0 && !(args->flags & 2)/ { @rx[pid, comm] = sum(args->ret); } interval:s:1 { print(@tx); print(@rx); clear(@tx); clear(@rx); }'

run_load() {
	"$BIN/tests/ct-tcp" stream $(($1 * 64)) 64
}

# Its first line is the first screen, an INTERVAL after it has attached:
# start-up is measured to a first screen at once.
startup_args="0.001"
