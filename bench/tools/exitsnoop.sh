# exitsnoop: a fork/exit storm; each child renames itself ct-child-fork,
# then exits at once.
desc="sysload fork: fork, the child exits at once, wait"
unit=exit
load="sysload fork"
count=1500
quick=600
match=ct-child-fork
floor="raw:sched_process_exit"
reject="-n NOMATCH"
formats="--json --csv"
peer=exitsnoop
bpftrace='tracepoint:sched:sched_process_exit { printf("%s %d %d\n", comm, pid, tid); }'
