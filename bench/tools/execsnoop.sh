# execsnoop: fork+execve of a tiny static program, one at a time.
desc="execload: fork+execve of a static binary, one at a time"
unit=exec
load=execload
count=600
quick=300
match=exec-target
# tp_btf on sched_process_exec here (raw or plain tracepoint elsewhere).
floor="raw:sched_process_exec"
reject="-n NOMATCH"
# What no execsnoop can skip (bench/floor.bpf.c).
essential="exec"
essential_what() {
	echo "read argv from the new stack, send it"
}
formats="--json --csv"
peer=execsnoop
bpftrace='tracepoint:sched:sched_process_exec { printf("%s %d %d %s\n", comm, pid, curtask->real_parent->tgid, str(args->filename)); }'
