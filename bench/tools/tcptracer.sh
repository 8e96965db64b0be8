# tcptracer: loopback connections made, accepted and closed by one process
# (tests/helpers/ct-tcp loop): four lines each (connect, accept, two
# closes), all of ct-tcp.
desc="ct-tcp loop: connect, accept, close on 127.0.0.1 (count: events, 4 a connection)"
unit=event
count=8000
quick=2000
match=ct-tcp
floor="raw:inet_sock_set_state tp:syscalls/sys_exit_accept4 tp:syscalls/sys_exit_accept"
reject="-D 1"
formats="--json --csv"
peer=tcptracer
bpftrace='tracepoint:sock:inet_sock_set_state /args->protocol == 6 && ((args->oldstate == 2 && args->newstate == 1) || (args->oldstate == 1 && args->newstate == 4) || (args->oldstate == 8 && args->newstate == 9))/ { printf("%s %d %d %d\n", comm, pid, args->sport, args->dport); } tracepoint:syscalls:sys_exit_accept,tracepoint:syscalls:sys_exit_accept4 /args->ret >= 0/ { printf("A %s %d %d\n", comm, pid, args->ret); }'

# Each run listens on a new port: its TIME_WAITs do not hold the next one's.
run_load() {
	"$BIN/tests/ct-tcp" loop $(($1 / 4))
}
