# bindsnoop: one process binding TCP sockets to 127.0.0.1 port 0 and
# closing them (tests/helpers/ct-tcp bindloop): one line per bind.
desc="ct-tcp bindloop: socket, bind to 127.0.0.1:0, close (count: binds)"
unit=bind
count=60000
quick=15000
match=ct-tcp
floor="tp:syscalls/sys_enter_bind tp:syscalls/sys_exit_bind"
reject="--netns 1"	# no namespace has inode 1: rejected at entry
formats="--json --csv"
peer=bindsnoop
peer_why="kprobes on inet_bind/inet6_bind: this kernel has no kprobes"
bpftrace='tracepoint:syscalls:sys_exit_bind { printf("%s %d %d\n", comm, pid, args->ret); }'

run_load() {
	"$BIN/tests/ct-tcp" bindloop "$1"
}
