# syscount: one cheap system call in a loop.
desc="sysload getppid: getppid(2) in a loop"
unit=syscall
load="sysload getppid"
count=2000000
quick=1000000
# Counting needs only sys_exit (-L adds sys_enter).
floor="raw:sys_exit"
reject="-c @EMPTY_CG@"
formats="--json --csv"
peer=syscount
bpftrace='tracepoint:raw_syscalls:sys_exit { @[args->id] = count(); }'
