# opensnoop: open+close of one existing file in one thread.
desc="openload: open+close of /tmp/ct-bench-openload, one thread"
unit=open
load=openload
count=400000
quick=150000
match=/tmp/ct-bench-openload
# Without fentry, opensnoop attaches the exit tracepoints alone, reading
# the arguments from the saved registers (before 5.15 the enter ones too).
floor="tp:syscalls/sys_exit_open tp:syscalls/sys_exit_openat
	tp:syscalls/sys_exit_openat2 tp:syscalls/sys_exit_creat"
reject="--contains NOMATCH"
# The same opens under -F, rejected by --contains after its first bytes
# matched, and matched and sent.
variants="F=-F reject_late=--contains=/tmp/ct-bench-openloaX
	match=--contains=/tmp/ct-bench-openload"
# What no opensnoop can skip in each configuration (bench/floor.bpf.c).
essential="capture path search"
essential_args="-n NOMATCH"
essential_what() {
	case $1 in
	capture) echo "read the name, send it" ;;
	path) echo "the new fd's path, walked and sent (-F)" ;;
	search) echo "that path walked and searched, nothing sent" ;;
	esac
}
formats="--json --csv"
jobs=2
peer=opensnoop
bpftrace='tracepoint:syscalls:sys_enter_open,tracepoint:syscalls:sys_enter_openat { @f[tid] = args->filename; }
tracepoint:syscalls:sys_exit_open,tracepoint:syscalls:sys_exit_openat /@f[tid]/ { printf("%d %s %d %s\n", pid, comm, args->ret, str(@f[tid])); delete(@f[tid]); }'

setup() {
	touch /tmp/ct-bench-openload
	"$BIN/opensnoop" -v -d 0.1 2>&1 >/dev/null |
		grep -q 'sys_enter/exit' || return 0
	floor="$floor tp:syscalls/sys_enter_open tp:syscalls/sys_enter_openat
		tp:syscalls/sys_enter_openat2 tp:syscalls/sys_enter_creat"
	# They read the arguments from the registers at exit.
	essential=
}
# -F's programs walk the path: a start-up row of their own.
startup_more=-F
