#!/bin/sh
# /init of the test guest that tests/kernels/run.sh boots: mounts what the
# tools and the runtime tests need, runs the runtime tests with the static
# binaries in /ct/bin (tests/run.sh, CT_JOBS files at once, each file's
# time shown), prints one result line and powers off. The kernel passes
# CT_EXPECT_KERNEL, CT_PERFBUF_TESTS (test files, comma-separated, to run
# again with CT_FORCE_PERFBUF=1) and CT_JOBS from its command line.
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

export CT_BIN=/ct/bin
export CT_EXPECT_KERNEL="${CT_EXPECT_KERNEL:-}"
# One test file at a time by default: the guest's CPUs share one host
# thread that the tests keep busy, so files at once are no faster (124 s
# one at a time, 168 s three at once), and on a busy host they miss the
# tests' 1 s windows (up to nine failures per guest at CT_JOBS=4). Where
# the host has CPU to spare, CT_JOBS=4 CT_ROBUST_JOBS=3 in CT_KERNEL_APPEND
# run them in parallel; a global OOM starves the others of memory, so
# oomkill.sh then runs alone, after them.
export CT_JOBS="${CT_JOBS:-1}"
export CT_ROBUST_JOBS="${CT_ROBUST_JOBS:-1}"
# robustness.sh's user-space-only cases (the same code on every kernel)
# run on the host: in a guest they took half of its time.
export CT_ROBUST_KERNEL_ONLY="${CT_ROBUST_KERNEL_ONLY:-1}"
export CT_SERIAL="delivery.sh perf_sample.sh accounting.sh oomkill.sh"
echo
echo "guest: begin $(uname -r) $(uname -v)"
dir=/ct/tests/runtime
# The longest first (by file size), so that no long one starts last and
# runs alone; robustness.sh before all, as it tests every tool.
# Those this kernel's run leaves to another (tests/kernels/run.sh).
for name in $(echo "${CT_SKIP_TESTS:-}" | tr , ' '); do
	echo "guest: $name runs in another guest"
	rm -f "$dir/$name"
done
for f in "$dir"/*.sh; do
	case ${f##*/} in
	lib.sh) ;;
	robustness.sh) echo "1000000000 $f" ;;
	*) echo "$(($(wc -c <"$f"))) $f" ;;
	esac
done >/tmp/sizes
# The perf buffer of kernels before 5.8, forced where the ring buffer is:
# NAME.perfbuf.sh runs NAME.sh again with CT_FORCE_PERFBUF=1, in the same
# pool as the others.
for name in $(echo "${CT_PERFBUF_TESTS:-}" | tr , ' '); do
	[ -f "$dir/$name" ] || continue
	again=${name%.sh}.perfbuf.sh
	printf '%s\n' 'export CT_FORCE_PERFBUF=1' ". $dir/$name" >"$dir/$again"
	echo "$(($(wc -c <"$dir/$name"))) $dir/$again" >>/tmp/sizes
	case " $CT_SERIAL " in
	*" $name "*) CT_SERIAL="$CT_SERIAL $again" ;;
	esac
done
# shellcheck disable=SC2046
sh /ct/tests/run.sh $(sort -rn /tmp/sizes | cut -d' ' -f2) 2>&1 |
	tee /tmp/run.log
echo "guest: $(sed -n 's/^check: //p' /tmp/run.log | tail -1)"
poweroff -f
