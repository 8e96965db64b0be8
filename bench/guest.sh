#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark guest's part (/ct/main.sh, run by tests/kernels/init.sh in
# the guest bench/kernels.sh boots): bench/run.sh in BENCH_GUEST mode on
# the tools of CT_BENCH_TOOLS (comma-separated, from the kernel's command
# line), coretrace's static build beside libbpf-tools; its
# "bench-guest-row:" lines reach the host on the console (and with
# CT_BENCH_STRACE=1 its "bench-guest-strace:" ones).
echo
echo "guest: begin $(uname -r) $(uname -v)"
export BENCH_GUEST=1 BENCH_BIN=/ct/bin BENCH_HELPERS=/ct/bench/bin \
	BENCH_PEERS=/ct/peers/usr/sbin BENCH_STRACE="${CT_BENCH_STRACE:-0}"
# shellcheck disable=SC2046
sh /ct/bench/run.sh $(echo "${CT_BENCH_TOOLS:-}" | tr , ' ') 2>&1
echo "guest: bench done"
