# sigsnoop: a signal storm, SIGUSR1 from ct-kill to a child that ignores
# it (signal_generate still fires, with result "ignored").
desc="sysload kill: kill(2) SIGUSR1 to a child ignoring it"
unit=signal
load="sysload kill"
count=200000
quick=60000
match=ct-kill
floor="raw:signal_generate"
reject="-n NOMATCH"
formats="--json --csv"
peer=sigsnoop
bpftrace='tracepoint:signal:signal_generate { printf("%s %d %d %d %d\n", comm, pid, args->pid, args->sig, args->result); }'
