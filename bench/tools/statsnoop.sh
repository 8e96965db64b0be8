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
peer_why="0.26 looks for syscalls/<call>/format under /sys/kernel/debug/tracing"

# Debian's 0.26 checks each call's tracepoint as
# /sys/kernel/debug/tracing/events/syscalls/<call>/format, a path no kernel
# has (the events are sys_enter_<call>, and debugfs is seldom mounted), and
# without it attaches nothing: it traces nothing on any kernel. In the
# run's own mount namespace (bench/run.sh), a small tree there gives it
# those paths, and the real events as symbolic links for libbpf to attach
# (libbpf reads tracepoint ids under debug/tracing when that exists).
# coretrace's tools look for tracefs at /sys/kernel/tracing first.
stat_peer_tree=
setup() {
	d=/sys/kernel/debug/tracing/events/syscalls
	[ -e "$d/statfs/format" ] || [ -z "${BENCH_UNSHARED:-}" ] && return 0
	mount -t tmpfs -o size=1m,mode=0755 ct-bench /sys/kernel/debug ||
		return 0
	stat_peer_tree=1
	mkdir -p "$d" || return 0
	for e in /sys/kernel/tracing/events/syscalls/*; do
		ln -s "$e" "$d/${e##*/}"
	done
	for c in statfs statx newstat newfstatat newlstat; do
		mkdir "$d/$c" && : >"$d/$c/format"
	done
}

teardown() {
	[ -n "$stat_peer_tree" ] && umount /sys/kernel/debug
	stat_peer_tree=
}
# -F's programs walk the path: a start-up row of their own.
startup_more=-F
