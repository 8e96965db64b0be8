# solisten: one process listening on TCP sockets never bound (the kernel
# chooses a port) and closing them (tests/helpers/ct-tcp listenloop): one
# line per listen.
desc="ct-tcp listenloop: socket, listen (port chosen by the kernel), close (count: listens)"
unit=listen
count=60000
quick=15000
match=ct-tcp
floor="tp:syscalls/sys_enter_listen tp:syscalls/sys_exit_listen"
reject="--netns 1"	# no namespace has inode 1: rejected at entry
formats="--json --csv"
peer=solisten
peer_why="kprobe or fexit on inet_listen: this kernel has neither"
bpftrace='tracepoint:syscalls:sys_exit_listen { printf("%s %d %d\n", comm, pid, args->ret); }'

run_load() {
	"$BIN/tests/ct-tcp" listenloop "$1"
}
