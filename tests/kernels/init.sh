#!/bin/sh
# /init of the test guest that tests/kernels/run.sh boots: mounts what the
# tools and the runtime tests need, runs the runtime tests with the static
# binaries in /ct/bin, prints one result line and powers off. The kernel
# passes CT_EXPECT_KERNEL (from its command line) in the environment.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The initramfs has no /dev/console node: the kernel gave us no stdio.
exec </dev/console >/dev/console 2>&1
mount -t tmpfs tmpfs /tmp
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
hostname ct-guest

export CT_BIN=/ct/bin
export CT_EXPECT_KERNEL="${CT_EXPECT_KERNEL:-}"
echo
echo "guest: begin $(uname -r) $(uname -v)"
sh /ct/tests/run.sh 2>&1 | tee /tmp/run.log
summary=$(sed -n 's/^check: \(.* passed, .* failed, .* skipped\)$/\1/p' \
	/tmp/run.log | tail -1)
echo "guest: ${summary:-no summary from tests/run.sh}"
poweroff -f
