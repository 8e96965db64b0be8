# statsnoop: stat(2) of one file in a loop (newfstatat on x86_64).
desc="sysload stat: stat(2) of /tmp/ct-bench-stat"
unit=stat
load="sysload stat"
count=500000
quick=200000
match=ct-stat
floor="tp:syscalls/sys_exit_statfs tp:syscalls/sys_exit_newstat
	tp:syscalls/sys_exit_statx tp:syscalls/sys_exit_newfstatat
	tp:syscalls/sys_exit_newlstat"
reject="-n NOMATCH"
formats="--json --csv"
peer=statsnoop
# Debian's 0.26 looks for the tracepoints under /sys/kernel/debug/tracing.
peer_why="0.26 finds no tracepoint without debugfs mounted"
