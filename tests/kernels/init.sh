#!/bin/sh
# /init of the test guest that tests/kernels/run.sh boots: mounts what the
# tools and the runtime tests need, runs the runtime tests with the static
# binaries in /ct/bin, prints one result line and powers off. The kernel
# passes CT_EXPECT_KERNEL and CT_PERFBUF_TESTS (test files, comma-separated,
# to run again with CT_FORCE_PERFBUF=1) from its command line.
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
# This kernel's modules that the tests need, if run.sh packed them.
for m in /lib/modules/$(uname -r)/kernel/drivers/block/loop.ko; do
	[ -f "$m" ] && insmod "$m"
done

export CT_BIN=/ct/bin
export CT_EXPECT_KERNEL="${CT_EXPECT_KERNEL:-}"
echo
echo "guest: begin $(uname -r) $(uname -v)"
# One test file at a time, to say how long each takes under emulation.
pass=0 fail=0 skip=0
run_file() {
	start=$(cut -d' ' -f1 /proc/uptime)
	sh /ct/tests/run.sh "$1" 2>&1 | tee /tmp/run.log
	set -- "$1" $(sed -n 's/^check: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' /tmp/run.log)
	if [ $# -ne 4 ]; then
		echo "FAIL $1: no summary from tests/run.sh"
		set -- "$1" 0 1 0
	fi
	pass=$((pass + $2)) fail=$((fail + $3)) skip=$((skip + $4))
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "guest: $(basename "$1")${CT_FORCE_PERFBUF:+ (perf buffer)}" \
		"took $(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }') s"
}

for f in /ct/tests/runtime/*.sh; do
	case $f in */lib.sh) continue ;; esac
	run_file "$f"
done
# The perf buffer of kernels before 5.8, forced where the ring buffer is.
export CT_FORCE_PERFBUF=1
for name in $(echo "${CT_PERFBUF_TESTS:-}" | tr , ' '); do
	[ -f "/ct/tests/runtime/$name" ] && run_file "/ct/tests/runtime/$name"
done
unset CT_FORCE_PERFBUF
echo "guest: $pass passed, $fail failed, $skip skipped"
poweroff -f
