# profile: one process in a busy loop in user space; the samplers' cost is
# the timer interrupts they take (49 a second per CPU, or 999), each
# storing two stacks. libbpf-tools 0.26 (Debian 12) ships no profile: the
# peer is bpftrace's profile probe at 49 Hz.
desc="sysload spin: 100000 additions a loop, no system call"
unit=loop
load="sysload spin"
count=20000
quick=5000
match=
reject="-c @EMPTY_CG@"
# Each word is one more configuration, the tool run with it: 999 Hz too.
formats="--frequency=999 --folded"
bpftrace='profile:hz:49 { @[kstack, ustack, comm] = count(); }'
