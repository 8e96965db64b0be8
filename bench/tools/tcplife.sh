# tcplife: loopback connections made, accepted and closed by one process
# (tests/helpers/ct-tcp loop); both ends close, so one line per socket.
desc="ct-tcp loop: connect, accept, close on 127.0.0.1 (count: sockets)"
unit=socket
count=4000
quick=1000
match=ct-tcp
floor="raw:inet_sock_set_state"
reject="-D 1"
formats="--json --csv"
peer=tcplife
bpftrace='tracepoint:sock:inet_sock_set_state /args->newstate == 7/ { printf("%s %d %d\n", comm, pid, args->sport); }'

# Each run listens on a new port: its TIME_WAITs do not hold the next one's.
run_load() {
	"$BIN/tests/ct-tcp" loop $(($1 / 2))
}
