#!/bin/sh
# The test guest's part (/ct/main.sh, run by init.sh): the runtime tests
# with the static binaries in /ct/bin (tests/run.sh, CT_JOBS files at
# once, each file's time shown), then one result line. The kernel passes
# CT_EXPECT_KERNEL, CT_PERFBUF_TESTS (test files, comma-separated, to run
# again with CT_FORCE_PERFBUF=1), CT_SKIP_TESTS and CT_JOBS from its
# command line.
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
