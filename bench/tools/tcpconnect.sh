# tcpconnect: loopback connections made, accepted and closed by one process
# (tests/helpers/ct-tcp loop); one line per connect.
desc="ct-tcp loop: connect, accept, close on 127.0.0.1 (count: connects)"
unit=connect
count=4000
quick=1000
match=ct-tcp
floor="raw:inet_sock_set_state"
reject="-P 1"
formats="--json --csv"
peer=tcpconnect
bpftrace='tracepoint:sock:inet_sock_set_state /args->oldstate == 2 && args->protocol == 6/ { printf("%s %d %d %d\n", comm, pid, args->sport, args->newstate); }'

# Each run listens on a new port: its TIME_WAITs do not hold the next one's.
run_load() {
	"$BIN/tests/ct-tcp" loop "$1"
}
