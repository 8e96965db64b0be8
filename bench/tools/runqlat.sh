# runqlat: two processes passing a byte back and forth over pipes, each
# wake-up a trip through the run queue.
desc="sysload pipe: one byte to a child and back over two pipes"
unit=pingpong
load="sysload pipe"
count=100000
quick=50000
floor="raw:sched_wakeup raw:sched_wakeup_new raw:sched_switch"
reject="-c @EMPTY_CG@"
formats="--json --csv"
peer=runqlat
