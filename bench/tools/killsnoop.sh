# killsnoop: the signal storm of sigsnoop, seen at the kill(2) system call.
desc="sysload kill: kill(2) SIGUSR1 to a child ignoring it"
unit=kill
load="sysload kill"
count=200000
quick=60000
match=ct-kill
# The result needs the exit; the arguments can come from the saved
# registers there, as opensnoop does (the enter tracepoints otherwise).
floor="tp:syscalls/sys_exit_kill tp:syscalls/sys_exit_tkill
	tp:syscalls/sys_exit_tgkill"
reject="-n NOMATCH"
formats="--json --csv"
peer=killsnoop
