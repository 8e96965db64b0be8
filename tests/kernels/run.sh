#!/bin/sh
# make check-kernels: the runtime tests again, on other kernels than the
# host's. For each kernel of the matrix: fetch Debian's kernel package (kept
# in build/kernels/), pack an initramfs with busybox, the static tools and
# helpers and the runtime tests, boot it in qemu (software emulation is
# enough), read the guest's result from the serial console. A guest that
# does not finish in time is killed and fails.
#
#   tests/kernels/run.sh [KERNEL_PACKAGE...]
#
# Default matrix: Debian's current 6.1 cloud kernel. Environment:
# CT_STATIC_BIN (make STATIC=1 output), CT_TESTS (runtime test files, default
# all but CT_HOST_ONLY), CT_KERNEL_TIMEOUT (seconds per guest, default 900),
# CT_KERNEL_APPEND (more kernel parameters, e.g. loglevel=7 to see more of
# why a guest hangs), CT_QEMU_ACCEL (qemu's -accel, default one-thread TCG).
# A soft lockup panics the guest at once, with its stack trace on the
# console, rather than waiting for the timeout.
# Ends with one line per kernel: "kernel 6.1.N: N passed, N failed, N skipped".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${CT_STATIC_BIN:=$top/build/static/bin}"
: "${CT_TESTS:=}"
: "${CT_KERNEL_TIMEOUT:=900}"
# One host thread runs both virtual CPUs. With a thread each (qemu 7.2's
# default), a CPU could keep running its stale translation of kernel text
# that the other had just patched (a jump label or an fentry call site, as
# attaching a tracepoint or fexit program does): an int3 no longer in
# memory, trapped, rewound and run again forever, a soft lockup within a
# few dozen attaches.
: "${CT_QEMU_ACCEL:=tcg,thread=single}"
: "${CT_HOST_ONLY:=install.sh manpages.sh version.sh completion.sh options.sh}"
cache=$top/build/kernels
# Per run, so that runs can go side by side; the console logs stay in $cache.
work=$cache/work.$$

die() {
	echo "check-kernels: $*" >&2
	exit 1
}

for cmd in qemu-system-x86_64 busybox cpio gzip timeout dpkg-deb; do
	command -v "$cmd" >/dev/null 2>&1 ||
		die "$cmd is missing (make deps installs it)"
done
[ -x "$CT_STATIC_BIN/tests/ct-trigger" ] ||
	die "no static build in $CT_STATIC_BIN (make STATIC=1)"
mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT

# apt's package lists, once per run: absent on a fresh machine, and stale
# ones name kernel packages the archive has dropped since.
apt_updated=
apt_update() {
	[ -z "$apt_updated" ] || return 1
	apt_updated=1
	echo "check-kernels: apt-get update"
	apt-get update -q >"$work/apt-update.log" 2>&1 && return 0
	tail -5 "$work/apt-update.log"
	return 1
}

# The newest Debian 6.1 cloud kernel apt knows of, or the newest cached one.
default_kernel() {
	apt-cache search --names-only \
		'^linux-image-6\.1\.[0-9]+-[0-9]+-cloud-amd64-unsigned$' \
		2>/dev/null | cut -d' ' -f1 | sort -V | tail -1 | grep . && return
	ls "$cache" | grep '^linux-image-6\.1\..*-unsigned$' | sort -V | tail -1
}

# Download package $1 into $cache; prints the .deb's path. Into this run's
# directory first: another run may be downloading it too.
download() {
	(cd "$work" && apt-get download -q "$1" 2>&1 |
		grep -v '^W: Download is performed unsandboxed' >&2) || true
	for f in "$work/$1"_*.deb; do
		[ -f "$f" ] && mv "$f" "$cache/"
	done
	ls "$cache/$1"_*.deb 2>/dev/null | tail -1
}

# Unpack the kernel image of package $1 into $cache/$1/ (once), and the loop
# module (biolatency's tests need a loop device) as an initramfs part.
fetch_kernel() {
	dir=$cache/$1
	[ -f "$dir/vmlinuz" ] && [ -f "$dir/version" ] && [ -f "$dir/modules.gz" ] &&
		return 0
	deb=$(ls "$cache/$1"_*.deb 2>/dev/null | tail -1)
	[ -n "$deb" ] || deb=$(download "$1")
	[ -n "$deb" ] || { echo "cannot download $1"; return 1; }
	tmp=$work/unpacked
	rm -rf "$tmp" && mkdir -p "$tmp" &&
		dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' \
			'./lib/modules/*/kernel/drivers/block/loop.ko' &&
			mv "$tmp"/boot/vmlinuz-* "$tmp/vmlinuz" &&
		(cd "$tmp" && find lib | cpio -o -H newc -R 0:0 --quiet |
			gzip -1 >modules.gz) &&
		dpkg-deb -f "$deb" Version >"$tmp/version" &&
		rm -rf "$tmp/boot" "$tmp/lib" "$dir" &&
		mv "$tmp" "$dir"
}

# Tests use util-linux setpriv (busybox's lacks --reuid), bpftool and bash
# (bashreadline's uprobes) when they are there: copy the host's, with their
# shared libraries.
add_host_tools() {
	for name in $(busybox --list-full | grep '/setpriv$'); do
		rm -f "$name"
	done
	for tool in setpriv bpftool bash; do
		path=$(command -v "$tool") || continue
		for f in "$path" $(ldd "$path" | sed -n \
			's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p'); do
			cp -L --parents "$f" . || return 1
		done
	done
	# bashreadline looks for bash as /bin/bash.
	[ -e usr/bin/bash ] && [ ! -e bin/bash ] && ln -s /usr/bin/bash bin/bash
	return 0
}

# The initramfs: busybox and its applet links, /ct/bin (tools and helpers),
# /ct/tests (run.sh and the runtime tests), /init, users root and nobody,
# /etc/hostname.
pack_initramfs() {
	root=$work/initramfs
	rm -rf "$root" && mkdir -p "$root" && cd "$root" || return 1
	mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp \
		ct/tests/runtime
	cp "$(command -v busybox)" bin/busybox
	for applet in $(busybox --list-full); do
		[ -e "$applet" ] || ln -s /bin/busybox "$applet"
	done
	add_host_tools
	cp -R "$CT_STATIC_BIN" ct/bin
	# The BPF objects, for btf_cache.sh's relocation check ($CT_BIN/../obj).
	mkdir -p ct/obj && cp "$CT_STATIC_BIN"/../obj/*.bpf.o ct/obj/
	cp "$top/tests/run.sh" ct/tests/
	cp "$top/tests/runtime/lib.sh" ct/tests/runtime/
	if [ -n "$CT_TESTS" ]; then
		for t in $CT_TESTS; do
			cp "$top/$t" ct/tests/runtime/ || return 1
		done
	else
		cp "$top"/tests/runtime/*.sh ct/tests/runtime/
		# These test the source tree and the build, not the kernel:
		# make check runs them on the host.
		(cd ct/tests/runtime && rm -f $CT_HOST_ONLY)
	fi
	cp "$here/init.sh" init && chmod 755 init
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
		>etc/passwd
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >etc/group
	# A file every system has, which tests open.
	echo ct-guest >etc/hostname
	find . | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$work/initrd.gz"
	status=$?
	cd "$top" || return 1
	return $status
}

# The expectations the guest's tests apply: "debian-6.1" for 6.1.N-M.
profile() {
	echo "debian-$(echo "$1" | cut -d. -f1,2)"
}

# Boot package $1's kernel; prints the guest's console, indented, and sets
# $verdict. Returns non-zero unless every test passed.
boot() {
	dir=$cache/$1
	version=$(cut -d- -f1 "$dir/version")
	log=$work/$1.log
	echo "check-kernels: booting $1 ($(cat "$dir/version"))"
	# The kernel unpacks concatenated archives one after the other.
	cat "$work/initrd.gz" "$dir/modules.gz" >"$work/$1.initrd.gz"
	start=$(date +%s)
	timeout -k 10 "$CT_KERNEL_TIMEOUT" qemu-system-x86_64 -m 1024 -smp 2 \
		-accel "$CT_QEMU_ACCEL" \
		-nographic -no-reboot -kernel "$dir/vmlinuz" \
		-initrd "$work/$1.initrd.gz" -append "console=ttyS0 panic=-1 \
softlockup_panic=1 softlockup_all_cpu_backtrace=1 quiet \
CT_EXPECT_KERNEL=$(profile "$version") \
${CT_KERNEL_APPEND:-}" \
		</dev/null 2>&1 |
		tr -d '\r' | tee "$log" | sed -u -n '/^guest: begin/,$s/^/    /p'
	secs=$(($(date +%s) - start))
	cp "$log" "$cache/$1.log"
	result=$(sed -n 's/^guest: \([0-9]* passed, [0-9]* failed, [0-9]* skipped\)$/\1/p' \
		"$log" | tail -1)
	if [ -z "$result" ]; then
		grep -q '^guest: begin' "$log" || tail -30 "$log" | sed 's/^/    /'
		why=$(grep -o 'Kernel panic - .*' "$log" | head -1)
		verdict="kernel $version: no result after $secs s (${why:-hung, crashed or timed out after $CT_KERNEL_TIMEOUT s})"
		return 1
	fi
	verdict="kernel $version: $result ($secs s)"
	case $result in
	"0 passed"*) return 1 ;;
	*" 0 failed"*) return 0 ;;
	esac
	return 1
}

if [ $# -eq 0 ]; then
	k=$(default_kernel)
	# Stale lists may name a package the archive no longer has.
	if [ -z "$k" ] || ! fetch_kernel "$k"; then
		apt_update
		k=$(default_kernel)
	fi
	[ -n "$k" ] || die "no Debian 6.1 cloud kernel known to apt"
	set -- "$k"
fi
pack_initramfs || die "cannot pack the initramfs"
verdicts=
failed=0
for k in "$@"; do
	fetch_kernel "$k" || { apt_update && fetch_kernel "$k"; } ||
		die "cannot fetch $k"
	boot "$k" || failed=1
	verdicts="$verdicts$verdict
"
done
printf '%s' "$verdicts"
exit $failed
