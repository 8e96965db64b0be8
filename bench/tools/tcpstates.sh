# tcpstates: loopback connections made, accepted and closed by one
# process (tests/helpers/ct-tcp loop), each end's every state change. The
# lines name the task on the CPU, not always ct-tcp: not counted.
desc="ct-tcp loop: connect, accept, close on 127.0.0.1"
unit=connection
count=2000
quick=500
match=
floor="raw:inet_sock_set_state"
reject="-D 1"
formats="--json --csv"
peer=tcpstates

# Each run listens on a new port: its TIME_WAITs do not hold the next one's.
run_load() {
	"$BIN/tests/ct-tcp" loop "$1"
}
