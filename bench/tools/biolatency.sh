# biolatency: 4 KiB direct writes and reads on a loop device over a file
# (page-cached, so the disk under it, shared with others, stays out).
desc="sysload bio: alternate 4 KiB O_DIRECT writes and reads on a loop device"
unit=I/O
count=12000
quick=5000
floor="raw:block_rq_insert raw:block_rq_issue raw:block_rq_complete"
reject="-c @EMPTY_CG@"
formats="--json --csv"
peer=biolatency
bpftrace='tracepoint:block:block_rq_issue { @s[args->dev, args->sector] = nsecs; }
tracepoint:block:block_rq_complete /@s[args->dev, args->sector]/ { @us = hist((nsecs - @s[args->dev, args->sector]) / 1000); delete(@s[args->dev, args->sector]); }'
bio_loop=

setup() {
	dd if=/dev/zero of="$TMP/disk" bs=1048576 count=8 2>/dev/null &&
		bio_loop=$(losetup -f --show "$TMP/disk") ||
		{ say "biolatency: no loop device"; return 1; }
	load="sysload -f $bio_loop bio"
}

teardown() {
	[ -z "$bio_loop" ] || losetup -d "$bio_loop"
	bio_loop=
}
