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
# to run test files in parallel in the guest: see tests.sh), CT_QEMU_ACCEL
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
: "${CT_HOST_ONLY:=install.sh manpages.sh version.sh completion.sh options.sh}"
prog=check-kernels
. "$here/lib.sh"

[ -x "$CT_STATIC_BIN/tests/ct-trigger" ] ||
	die "no static build in $CT_STATIC_BIN (make STATIC=1)"
mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT

# The initramfs: pack_base's (tests.sh as the guest's main), /ct/bin
# (tools and helpers), /ct/tests (run.sh and the runtime tests).
pack_initramfs() {
	pack_base "$here/tests.sh" || return 1
	mkdir -p ct/tests/runtime
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
	pack_close
}

# Boot package $1's kernel. Writes the guest's console, indented, to
# $work/$1.report, its verdict line to $work/$1.verdict. Returns non-zero
# unless every test passed.
boot() {
	version=$(cut -d- -f1 "$cache/$1/version")
	perfbuf=
	[ "$(series_of "$1")" = "$CT_PERFBUF_SERIES" ] &&
		perfbuf="CT_PERFBUF_TESTS=$(echo $CT_PERFBUF_TESTS | tr ' ' ,)"
	skip=
	[ "$(series_of "$1")" = "$CT_FULL_SERIES" ] || [ -z "$CT_FULL_ONLY" ] ||
		skip="CT_SKIP_TESTS=$(echo $CT_FULL_ONLY | tr ' ' ,)"
	run_guest "$1" "$CT_KERNEL_TIMEOUT" \
		"CT_EXPECT_KERNEL=debian-$(series_of "$1") $perfbuf $skip"
	result=$(sed -n 's/^guest: \([0-9]* passed, [0-9]* failed, [0-9]* skipped\)$/\1/p' \
		"$work/$1.log" | tail -1)
	if [ -z "$result" ]; then
		echo "kernel $version: no result after $guest_secs s ($(guest_failure "$1" "$CT_KERNEL_TIMEOUT"))" \
			>"$work/$1.verdict"
		return 1
	fi
	echo "kernel $version: $result ($guest_secs s)" >"$work/$1.verdict"
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
resolve_kernels "$@"
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
