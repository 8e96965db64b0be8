#!/bin/sh
# make check-kernels: the runtime tests again, on other kernels than the
# host's. For each kernel of the matrix: fetch Debian's kernel package (kept
# in build/kernels/), pack an initramfs with busybox, the static tools and
# helpers and the runtime tests, boot it in qemu (software emulation is
# enough), read the guest's result from the serial console. A guest that
# does not finish in time is killed and fails.
#
#   tests/kernels/run.sh [SERIES | KERNEL_PACKAGE]...
#
# Default matrix: Debian's cloud kernels 5.10 (Debian 11), 6.1 (Debian 12)
# and 6.12 (Debian 13). A series means the newest package of it in
# build/kernels/, else the newest that the Debian archive has (apt with
# a source list of its own, bullseye, bookworm and trixie: the machine's
# apt setup is neither used nor changed). The CT_PERFBUF_SERIES guest runs
# the CT_PERFBUF_TESTS files a second time with CT_FORCE_PERFBUF=1: the
# perf buffer that kernels before 5.8 get.
#
# Environment: CT_STATIC_BIN (make STATIC=1 output), CT_TESTS (runtime test
# files, default all but CT_HOST_ONLY; CT_FULL_ONLY ones only in the
# CT_FULL_SERIES guest), CT_KERNEL_TIMEOUT (seconds per
# guest), CT_KERNEL_JOBS (guests at once; each takes a host thread and
# 1 GB), CT_DEBIAN_MIRROR, CT_KERNEL_APPEND (more kernel parameters, e.g.
# loglevel=7 to see more of why a guest hangs; CT_JOBS=4 CT_ROBUST_JOBS=3
# to run test files in parallel in the guest: see init.sh), CT_QEMU_ACCEL
# (qemu's -accel, default one-thread TCG). A soft lockup panics the guest
# at once, with its stack trace on the console, rather than waiting for
# the timeout.
# Ends with one line per kernel:
# "kernel 6.1.N: N passed, N failed, N skipped (N s)".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${CT_STATIC_BIN:=$top/build/static/bin}"
: "${CT_TESTS:=}"
: "${CT_KERNEL_TIMEOUT:=2700}"
: "${CT_KERNEL_JOBS:=2}"
: "${CT_PERFBUF_SERIES:=5.10}"
# Not opensnoop.sh: its own cases force the perf buffer on every kernel,
# and its rerun took a sixth of the 5.10 guest.
: "${CT_PERFBUF_TESTS:=execsnoop.sh bashreadline.sh accounting.sh}"
# The guests' CPU time is the suite's cost (one host thread each): the
# tests that exercise no kernel-dependent path of their own, but every
# tool's generic behaviour (robustness.sh), run in the CT_FULL_SERIES
# guest and on the host only.
: "${CT_FULL_SERIES:=6.1}"
: "${CT_FULL_ONLY=robustness.sh}"
: "${CT_DEBIAN_MIRROR:=http://deb.debian.org}"
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

for cmd in qemu-system-x86_64 busybox cpio gzip timeout dpkg-deb apt-get; do
	command -v "$cmd" >/dev/null 2>&1 ||
		die "$cmd is missing (make deps installs it)"
done
[ -x "$CT_STATIC_BIN/tests/ct-trigger" ] ||
	die "no static build in $CT_STATIC_BIN (make STATIC=1)"
mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT

# apt with a source list of its own in $work, updated once per run when a
# kernel is not cached: Debian 11, 12 and 13 with their security updates.
apt_dir=$work/apt
apt_opts="-q -o Dir::Etc::sourcelist=$apt_dir/sources.list
	-o Dir::Etc::sourceparts=$apt_dir/parts -o Dir::State::lists=$apt_dir/lists
	-o Dir::Cache=$apt_dir/cache -o APT::Sandbox::User=root"
apt_update() {
	[ ! -f "$apt_dir/updated" ] || return 0
	echo "check-kernels: apt-get update (bullseye, bookworm, trixie)"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	signed=
	[ -f "$keyring" ] && signed="[signed-by=$keyring] "
	mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" \
		"$apt_dir/cache/archives/partial" || return 1
	for suite in bullseye bookworm trixie; do
		echo "deb $signed$CT_DEBIAN_MIRROR/debian $suite main"
		echo "deb $signed$CT_DEBIAN_MIRROR/debian-security" \
			"$suite-security main"
	done >"$apt_dir/sources.list"
	# shellcheck disable=SC2086
	apt-get $apt_opts update >"$work/apt-update.log" 2>&1 &&
		: >"$apt_dir/updated" && return 0
	tail -5 "$work/apt-update.log"
	return 1
}

# The name pattern of Debian's cloud kernel packages of series $1 (6.1).
kernel_pattern() {
	printf '^linux-image-%s\\.[0-9][^ ]*-cloud-amd64-unsigned$' \
		"$(echo "$1" | sed 's/\./\\./g')"
}

# The packages of series $1 in $cache (unpacked or not), newest last.
cached_kernels() {
	ls "$cache" | sed -n 's/_[^_]*_amd64\.deb$//p; /-unsigned$/p' |
		grep -E "$(kernel_pattern "$1")" | sort -uV
}

# Download package $1 into $cache; prints the .deb's path. Into this run's
# directory first: another run may be downloading it too.
download() {
	# shellcheck disable=SC2086
	(cd "$work" && apt-get $apt_opts download "$1" >&2) || return 1
	for f in "$work/$1"_*.deb; do
		[ -f "$f" ] && mv "$f" "$cache/"
	done
	ls "$cache/$1"_*.deb 2>/dev/null | tail -1
}

# The package of series $1: the newest cached, else the newest in the
# archive that downloads (the mirror may have dropped a security update).
resolve() {
	k=$(cached_kernels "$1" | tail -1)
	[ -z "$k" ] || { echo "$k"; return 0; }
	apt_update >&2 || return 1
	# shellcheck disable=SC2086
	for k in $(apt-cache $apt_opts search --names-only \
		"$(kernel_pattern "$1")" | cut -d' ' -f1 | sort -rV); do
		download "$k" >/dev/null && echo "$k" && return 0
	done
	return 1
}

# Unpack the kernel image of package $1 into $cache/$1/ (once), and as an
# initramfs part the loop module (biolatency's tests need a loop device;
# decompressed, as busybox insmod reads no .ko.xz) and the kernel's config
# (features.sh reads /boot/config-VERSION).
fetch_kernel() {
	dir=$cache/$1
	[ -f "$dir/vmlinuz" ] && [ -f "$dir/version" ] &&
		[ -f "$dir/modules.gz" ] && [ -f "$dir/config" ] && return 0
	deb=$(ls "$cache/$1"_*.deb 2>/dev/null | tail -1)
	[ -n "$deb" ] || { apt_update && deb=$(download "$1"); }
	[ -n "$deb" ] || { echo "cannot download $1"; return 1; }
	tmp=$work/unpacked.$1
	rm -rf "$tmp" && mkdir -p "$tmp" &&
		dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' './boot/config-*' \
			'./*lib/modules/*/kernel/drivers/block/loop.ko*' &&
		mv "$tmp"/boot/vmlinuz-* "$tmp/vmlinuz" &&
		cp "$tmp"/boot/config-* "$tmp/config" &&
		(cd "$tmp" && { [ ! -d usr/lib ] || mv usr/lib lib; } &&
			find lib -name '*.ko.xz' -exec busybox unxz {} + &&
			find boot lib |
			cpio -o -H newc -R 0:0 --quiet | gzip -1 >modules.gz) &&
		dpkg-deb -f "$deb" Version >"$tmp/version" &&
		rm -rf "$tmp/boot" "$tmp/lib" "$tmp/usr" "$dir" &&
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
	# /var/cache as on any system: without it the tools cannot keep
	# their kernel types (/var/cache/coretrace), and each start parses
	# the whole kernel BTF, seconds under emulation.
	mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp var/cache \
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

# The series of package $1 (6.1 for linux-image-6.1.0-57-...), or "" if
# $1 is not a kernel package name.
series_of() {
	echo "$1" | sed -n 's/^linux-image-\([0-9]*\.[0-9]*\)\..*/\1/p'
}

# Boot package $1's kernel. Writes the guest's console, indented, to
# $work/$1.report, its verdict line to $work/$1.verdict. Returns non-zero
# unless every test passed.
boot() {
	dir=$cache/$1
	version=$(cut -d- -f1 "$dir/version")
	log=$work/$1.log
	# The kernel passes NAME=VALUE parameters to /init as environment.
	perfbuf=
	[ "$(series_of "$1")" = "$CT_PERFBUF_SERIES" ] &&
		perfbuf="CT_PERFBUF_TESTS=$(echo $CT_PERFBUF_TESTS | tr ' ' ,)"
	skip=
	[ "$(series_of "$1")" = "$CT_FULL_SERIES" ] || [ -z "$CT_FULL_ONLY" ] ||
		skip="CT_SKIP_TESTS=$(echo $CT_FULL_ONLY | tr ' ' ,)"
	# Less for the emulator to do: no speculation mitigations (barriers,
	# buffer clearing at every kernel entry), no zeroing of every page
	# allocated (Debian's default).
	fast="mitigations=off init_on_alloc=0"
	echo "check-kernels: booting $1 ($(cat "$dir/version"))"
	# The kernel unpacks concatenated archives one after the other.
	cat "$work/initrd.gz" "$dir/modules.gz" >"$work/$1.initrd.gz"
	start=$(date +%s)
	timeout -k 10 "$CT_KERNEL_TIMEOUT" qemu-system-x86_64 -m 1024 -smp 2 \
		-accel "$CT_QEMU_ACCEL" \
		-nographic -no-reboot -kernel "$dir/vmlinuz" \
		-initrd "$work/$1.initrd.gz" -append "console=ttyS0 panic=-1 \
softlockup_panic=1 softlockup_all_cpu_backtrace=1 quiet $fast \
CT_EXPECT_KERNEL=debian-$(series_of "$1") $perfbuf $skip \
${CT_KERNEL_APPEND:-}" \
		</dev/null 2>&1 | sed -u 's/\r//g' >"$log"
	secs=$(($(date +%s) - start))
	cp "$log" "$cache/$1.log"
	sed -n '/^guest: begin/,$s/^/    /p' "$log" >"$work/$1.report"
	result=$(sed -n 's/^guest: \([0-9]* passed, [0-9]* failed, [0-9]* skipped\)$/\1/p' \
		"$log" | tail -1)
	if [ -z "$result" ]; then
		grep -q '^guest: begin' "$log" ||
			tail -30 "$log" | sed 's/^/    /' >>"$work/$1.report"
		why=$(grep -o 'Kernel panic - .*' "$log" | head -1)
		echo "kernel $version: no result after $secs s (${why:-hung, crashed or timed out after $CT_KERNEL_TIMEOUT s})" \
			>"$work/$1.verdict"
		return 1
	fi
	echo "kernel $version: $result ($secs s)" >"$work/$1.verdict"
	case $result in
	"0 passed"*) return 1 ;;
	*" 0 failed"*) return 0 ;;
	esac
	return 1
}

# One of CT_KERNEL_JOBS lanes side by side: boots the next kernel no lane
# has claimed (mkdir is atomic) until none is left; shows each report.
lane() {
	status=0
	for k in $kernels; do
		mkdir "$work/claimed.$k" 2>/dev/null || continue
		boot "$k" || status=1
		cat "$work/$k.report" "$work/$k.verdict"
	done
	return $status
}

[ $# -gt 0 ] || set -- 5.10 6.1 6.12
kernels=
for k in "$@"; do
	if [ -z "$(series_of "$k")" ]; then
		series=$k
		k=$(resolve "$series") ||
			die "no Debian $series cloud kernel in the archive"
	fi
	fetch_kernel "$k" || die "cannot fetch $k"
	kernels="$kernels $k"
done
pack_initramfs || die "cannot pack the initramfs"

failed=0
pids=
i=0
while [ "$i" -lt "$CT_KERNEL_JOBS" ]; do
	lane &
	pids="$pids $!"
	i=$((i + 1))
done
for pid in $pids; do
	wait "$pid" || failed=1
done
for k in $kernels; do
	cat "$work/$k.verdict" 2>/dev/null || echo "$k: no verdict"
done
exit $failed
