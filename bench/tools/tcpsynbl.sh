# tcpsynbl: a connect storm to one listener (tests/helpers/ct-tcp loop):
# each connection's child socket passes LISTEN -> SYN_RECV, among the
# state changes sock:inet_sock_set_state shows.
desc="ct-tcp loop: connect, accept, close on 127.0.0.1 (count: connections)"
unit=connection
count=3000
quick=1000
floor="raw:inet_sock_set_state"
reject="-L 1"
formats="--json --csv"
peer=tcpsynbl
peer_why="its kprobes on tcp_v4_syn_recv_sock and tcp_v6_syn_recv_sock"
bpftrace='tracepoint:sock:inet_sock_set_state /args->oldstate == 10 && args->newstate == 3/ { $sk = (struct sock *)args->skaddr; @[$sk->__sk_common.skc_num, $sk->sk_max_ack_backlog] = hist($sk->sk_ack_backlog); }'

# Each run listens on a new port: its TIME_WAITs do not hold the next one's.
run_load() {
	"$BIN/tests/ct-tcp" loop "$1"
}
