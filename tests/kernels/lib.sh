#!/bin/sh
# Guests booting other kernels than the host's, for make check-kernels
# (tests/kernels/run.sh) and make bench-kernels (bench/kernels.sh), which
# source this: Debian's kernel packages fetched and kept in build/kernels/,
# an initramfs packed with busybox, host tools with their libraries and
# /init (tests/kernels/init.sh, which runs the guest's /ct/main.sh), the
# kernel booted in qemu (software emulation is enough) and its console
# kept.
#
# The sourcing script sets top (the source tree) and prog (its name in
# messages) first. Environment: CT_DEBIAN_MIRROR, CT_QEMU_ACCEL (qemu's
# -accel, default one-thread TCG), CT_KERNEL_APPEND (more kernel
# parameters).
: "${CT_DEBIAN_MIRROR:=http://deb.debian.org}"
# One host thread runs both virtual CPUs. With a thread each (qemu 7.2's
# default), a CPU could keep running its stale translation of kernel text
# that the other had just patched (a jump label or an fentry call site, as
# attaching a tracepoint or fexit program does): an int3 no longer in
# memory, trapped, rewound and run again forever, a soft lockup within a
# few dozen attaches.
: "${CT_QEMU_ACCEL:=tcg,thread=single}"
kernels_dir=$top/tests/kernels
cache=$top/build/kernels
# Per run, so that runs can go side by side; the console logs stay in $cache.
work=$cache/work.$$

die() {
	echo "$prog: $*" >&2
	exit 1
}

for cmd in qemu-system-x86_64 busybox cpio gzip timeout dpkg-deb apt-get; do
	command -v "$cmd" >/dev/null 2>&1 ||
		die "$cmd is missing (make deps installs it)"
done

# apt with a source list of its own in $work, updated once per run when a
# kernel is not cached: Debian 11, 12 and 13 with their security updates.
apt_dir=$work/apt
apt_opts="-q -o Dir::Etc::sourcelist=$apt_dir/sources.list
	-o Dir::Etc::sourceparts=$apt_dir/parts -o Dir::State::lists=$apt_dir/lists
	-o Dir::Cache=$apt_dir/cache -o APT::Sandbox::User=root"
apt_update() {
	[ ! -f "$apt_dir/updated" ] || return 0
	echo "$prog: apt-get update (bullseye, bookworm, trixie)"
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

# The series of package $1 (6.1 for linux-image-6.1.0-57-...), or "" if
# $1 is not a kernel package name.
series_of() {
	echo "$1" | sed -n 's/^linux-image-\([0-9]*\.[0-9]*\)\..*/\1/p'
}

# The packages of the series or package names given, fetched and unpacked,
# into $kernels.
resolve_kernels() {
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
}

# Copy the shared libraries that the programs $@ load (as ldd lists them)
# into the current directory, under their own paths.
copy_libs_of() {
	for path in "$@"; do
		for f in $(ldd "$path" 2>/dev/null | sed -n \
			's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p'); do
			cp -L --parents "$f" . || return 1
		done
	done
}

# Copy programs $@ and their shared libraries into the current directory,
# under their own paths.
copy_with_libs() {
	for path in "$@"; do
		cp -L --parents "$path" . && copy_libs_of "$path" || return 1
	done
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
		copy_with_libs "$path" || return 1
	done
	# bashreadline looks for bash as /bin/bash.
	[ -e usr/bin/bash ] && [ ! -e bin/bash ] && ln -s /usr/bin/bash bin/bash
	return 0
}

# Start an initramfs in $root (the current directory after): busybox and
# its applet links, the host tools, /init (init.sh) running guest script
# $1 as /ct/main.sh, users root and nobody, /etc/hostname.
pack_base() {
	root=$work/initramfs
	rm -rf "$root" && mkdir -p "$root" && cd "$root" || return 1
	# /var/cache as on any system: without it the tools cannot keep
	# their kernel types (/var/cache/coretrace), and each start parses
	# the whole kernel BTF, seconds under emulation.
	mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp var/cache ct
	cp "$(command -v busybox)" bin/busybox
	for applet in $(busybox --list-full); do
		[ -e "$applet" ] || ln -s /bin/busybox "$applet"
	done
	add_host_tools || return 1
	cp "$kernels_dir/init.sh" init && chmod 755 init &&
		cp "$1" ct/main.sh || return 1
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
		>etc/passwd
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >etc/group
	# A file every system has, which tests open.
	echo ct-guest >etc/hostname
}

# Close the initramfs started by pack_base into $work/initrd.gz.
pack_close() {
	cd "$root" || return 1
	find . | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$work/initrd.gz"
	status=$?
	cd "$top" || return 1
	return $status
}

# run_guest PACKAGE TIMEOUT PARAMETERS...: boot package's kernel with the
# initramfs and the kernel parameters given (the kernel passes NAME=VALUE
# ones to /init as environment); its console to $work/PACKAGE.log and
# $cache/PACKAGE.log (the last run's), its report (from "guest: begin")
# indented to $work/PACKAGE.report. Sets guest_secs.
run_guest() {
	pkg=$1 limit=$2
	shift 2
	log=$work/$pkg.log
	# Less for the emulator to do: no speculation mitigations (barriers,
	# buffer clearing at every kernel entry), no zeroing of every page
	# allocated (Debian's default).
	fast="mitigations=off init_on_alloc=0"
	echo "$prog: booting $pkg ($(cat "$cache/$pkg/version"))"
	# The kernel unpacks concatenated archives one after the other.
	cat "$work/initrd.gz" "$cache/$pkg/modules.gz" >"$work/$pkg.initrd.gz"
	start=$(date +%s)
	timeout -k 10 "$limit" qemu-system-x86_64 -m 1024 -smp 2 \
		-accel "$CT_QEMU_ACCEL" \
		-nographic -no-reboot -kernel "$cache/$pkg/vmlinuz" \
		-initrd "$work/$pkg.initrd.gz" -append "console=ttyS0 panic=-1 \
softlockup_panic=1 softlockup_all_cpu_backtrace=1 quiet $fast $* \
${CT_KERNEL_APPEND:-}" \
		</dev/null 2>&1 | sed -u 's/\r//g' >"$log"
	guest_secs=$(($(date +%s) - start))
	cp "$log" "$cache/$pkg.log"
	sed -n '/^guest: begin/,$s/^/    /p' "$log" >"$work/$pkg.report"
	if ! grep -q '^guest: begin' "$log"; then
		tail -30 "$log" | sed 's/^/    /' >>"$work/$pkg.report"
	fi
}

# Why a guest gave no result: its panic line, else a time-out or hang.
guest_failure() {
	why=$(grep -o 'Kernel panic - .*' "$work/$1.log" | head -1)
	echo "${why:-hung, crashed or timed out after $2 s}"
}
