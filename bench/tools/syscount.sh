# syscount: one cheap system call in a loop.
desc="sysload getppid: getppid(2) in a loop"
unit=syscall
load="sysload getppid"
count=2000000
quick=1000000
# Counting attaches sys_enter alone (raw_enter; -L and -x add sys_exit).
floor="raw:sys_enter"
reject="-c @EMPTY_CG@"
formats="--json --csv"
peer=syscount
bpftrace='tracepoint:raw_syscalls:sys_exit { @[args->id] = count(); }'
