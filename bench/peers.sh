#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's libbpf-tools for the benchmarks to compare against: the package
# downloaded and unpacked into DIR (build/bench/peers), never installed
# (its names clash with ours). Nothing to do if DIR/usr/sbin exists.
#
#   sh bench/peers.sh DIR
dir=$1
[ -d "$dir/usr/sbin" ] && exit 0
mkdir -p "$dir" &&
	cd "$dir" && apt-get download -q libbpf-tools >/dev/null 2>&1 &&
	dpkg -x libbpf-tools_*.deb . && exit 0
echo "bench: cannot fetch libbpf-tools" >&2
exit 1
