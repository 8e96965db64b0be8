# tcpconnlat: loopback connections made, accepted and closed by one
# process (tests/helpers/ct-tcp loop); one line per connect established.
desc="ct-tcp loop: connect, accept, close on 127.0.0.1 (count: connects)"
unit=connect
count=4000
quick=1000
match=ct-tcp
floor="raw:inet_sock_set_state"
reject="-D 1"
formats="--json --csv"
peer=tcpconnlat
bpftrace='tracepoint:sock:inet_sock_set_state /args->protocol == 6 && args->newstate == 2/ { @start[args->skaddr] = nsecs; } tracepoint:sock:inet_sock_set_state /args->oldstate == 2 && @start[args->skaddr]/ { printf("%s %d %d\n", comm, args->sport, (nsecs - @start[args->skaddr]) / 1000); delete(@start[args->skaddr]); }'

# Each run listens on a new port: its TIME_WAITs do not hold the next one's.
run_load() {
	"$BIN/tests/ct-tcp" loop "$1"
}
