# offcputime: a context switch storm, two processes passing a byte back
# and forth over pipes (runqlat's workload): every pass switches a
# sleeper out, with its stacks taken, and back in, its time summed.
desc="sysload pipe: one byte to a child and back over two pipes"
unit=pingpong
load="sysload pipe"
count=100000
quick=50000
match=
floor="raw:sched_switch"
reject="-c @EMPTY_CG@"
formats="--json --folded"
peer=offcputime
bpftrace='tracepoint:sched:sched_switch {
	@ts[args->prev_pid] = nsecs;
	@ks[args->prev_pid] = kstack;
	@us[args->prev_pid] = ustack;
	$s = @ts[args->next_pid];
	if ($s) {
		@us_total[@ks[args->next_pid], @us[args->next_pid],
			  args->next_comm] = sum((nsecs - $s) / 1000);
		delete(@ts[args->next_pid]);
	}
}'
