#!/bin/sh
# /init of the guests that tests/kernels/lib.sh packs (make check-kernels,
# make bench-kernels): mounts what the tools, the runtime tests and the
# benchmarks need, runs the guest's own part, /ct/main.sh (tests.sh or
# bench/guest.sh), and powers off. The kernel passes NAME=VALUE parameters
# of its command line as environment.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
# "quiet" hid the boot; from here on warnings, and the stack traces of a
# soft lockup (which panics: softlockup_panic=1), reach the console.
echo 5 >/proc/sys/kernel/printk
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The initramfs has no /dev/console node: the kernel gave us no stdio.
exec </dev/console >/dev/console 2>&1
# As on any system (udev makes it): 5.10 looks up the /dev/fd/N name it
# gives an execveat() relative to an fd, and fails it with ENOENT without.
ln -s /proc/self/fd /dev/fd
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tracefs tracefs /sys/kernel/tracing
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
hostname -F /etc/hostname
# Loopback up, as on any system: the generic tests (robustness.sh) make
# TCP connections to 127.0.0.1 for the TCP tools.
ip link set lo up 2>/dev/null || ifconfig lo up
# This kernel's modules that the tests need, if run.sh packed them.
for m in /lib/modules/$(uname -r)/kernel/drivers/block/loop.ko; do
	[ -f "$m" ] && insmod "$m"
done

. /ct/main.sh
poweroff -f
