#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench-kernels: start-up, memory and kernel ns per event of coretrace
# beside Debian's libbpf-tools in a qemu guest booting another kernel than
# the host's: by default Debian 12's 6.1, which has the kprobes and fentry
# that many libbpf-tools need and this host lacks. bench/run.sh runs there
# in its BENCH_GUEST mode (bench/guest.sh); tests/kernels/lib.sh fetches
# the kernel, packs the initramfs and boots it, one guest at a time. Each
# tool's row goes to its kernel's table in bench/RESULTS.md, between
# "<!-- guest SERIES[ dynamic] -->" and "<!-- end guest ... -->"; rows of
# tools not run are kept. Not part of make check or CI.
#
#   sh bench/kernels.sh [TOOL...]    (root; `make bench-kernels
#                                     [BENCH_TOOLS=...] [KERNELS=...]`)
#
# Default: every spec with a libbpf-tools peer whose tool is built.
# Environment: KERNELS (series or packages, default 6.1), BENCH_BUILD
# (static, the default: make STATIC=1's tools, as check-kernels runs them;
# dynamic: make's, with the host's libbpf, libelf, libz and libc packed,
# as a distribution's package would run them),
# BENCH_KERNEL_TIMEOUT (seconds per guest, default 3600), BENCH_STRACE=1
# (also each tool's and its peer's start once under strace, digested on
# the console and in build/kernels/PACKAGE.log: bench/run.sh's
# strace_starts; the host's strace is packed), and those of
# tests/kernels/lib.sh (CT_QEMU_ACCEL, CT_KERNEL_APPEND, ...).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
prog=bench-kernels
. "$top/tests/kernels/lib.sh"
: "${KERNELS:=6.1}"
: "${BENCH_KERNEL_TIMEOUT:=3600}"
: "${BENCH_RESULTS:=$top/bench/RESULTS.md}"
: "${BENCH_BUILD:=static}"
case $BENCH_BUILD in
static) SBIN=$top/build/static/bin ;;
dynamic) SBIN=$top/build/bin ;;
*) die "BENCH_BUILD is static or dynamic" ;;
esac
B=$top/build/bench
PEERS=$B/peers/usr/sbin
SPECS=$top/bench/tools

[ "$(id -u)" -eq 0 ] || die "needs root (the peers' packages, BPF in the guest)"
[ -x "$SBIN/tests/ct-tcp" ] || die "no $BENCH_BUILD build in $SBIN (make)"
for h in firstline sysload openload execload exec-target bpfstats; do
	[ -x "$B/$h" ] || die "no $B/$h (make bench-bins)"
done
sh "$top/bench/peers.sh" "$B/peers" || exit 1

# The peer's program of spec $1 (its first word), if any.
peer_of() {
	sed -n 's/^peer=\([^ ]*\).*/\1/p' "$SPECS/$1.sh" | tr -d '"'
}

[ $# -gt 0 ] || set -- $(for f in "$SPECS"/*.sh; do
	t=${f##*/}
	t=${t%.sh}
	[ -n "$(peer_of "$t")" ] && echo "$t"
done)
tools=
for t in "$@"; do
	[ -f "$SPECS/$t.sh" ] || die "no spec bench/tools/$t.sh"
	[ -x "$SBIN/$t" ] || die "$t is not built in $SBIN"
	tools="$tools $t"
done

mkdir -p "$work" || exit 1
trap 'rm -rf "$work"' EXIT

# The initramfs: pack_base's (bench/guest.sh as the guest's main), the
# static tools and test helpers in /ct/bin, bench/run.sh and the specs in
# /ct/bench, the bench's helpers in /ct/bench/bin, the peers with their
# libraries in /ct/peers/usr/sbin.
pack_initramfs() {
	pack_base "$top/bench/guest.sh" || return 1
	mkdir -p ct/bench/tools ct/bench/bin ct/peers/usr/sbin
	cp -R "$SBIN" ct/bin &&
		copy_libs_of "$SBIN"/* "$SBIN"/tests/* &&
		cp "$top/bench/run.sh" ct/bench/ &&
		cp "$SPECS"/*.sh ct/bench/tools/ || return 1
	for h in firstline sysload openload execload exec-target bpfstats; do
		cp "$B/$h" ct/bench/bin/ && copy_libs_of "$B/$h" || return 1
	done
	if [ "${BENCH_STRACE:-0}" != 0 ]; then
		copy_with_libs "$(command -v strace)" ||
			die "BENCH_STRACE=1 needs strace"
	fi
	for t in $tools; do
		p=$(peer_of "$t")
		[ -n "$p" ] && [ -x "$PEERS/$p" ] || continue
		cp "$PEERS/$p" ct/peers/usr/sbin/ && copy_libs_of "$PEERS/$p" ||
			return 1
	done
	pack_close
}

# The table's row of a guest-row line (bench/run.sh's guest_row) on stdin;
# $1: when and where it ran.
format_rows() {
	awk -F'|' -v run="$1" '
	function mb(k) {
		return (k == "nan" || k == "") ? "n/a" : sprintf("%.1f", k / 1024)
	}
	function ratio(a, b) {
		if (a == "nan" || b == "nan" || a == "" || b == "" || b == 0)
			return "n/a"
		return sprintf("%.2f×", a / b)
	}
	function ms(v) {
		return v == "nan" ? "n/a" : sprintf("%.1f", v)
	}
	{
		tool = $1; unit = $2; path = $13; fails = $14
		gsub(/^ +|;$/, "", path); gsub(/; */, "; ", path)
		if ($7 == "nan") {
			# No workload (oomkill): start-up and idle memory only.
			printf "| %s | %s / %s ms (%s) | %s / %s MB | no workload | no workload | no workload | %s | %s |\n",
				tool, ms($3), ms($4), ratio($3, $4), mb($5), mb($6),
				path, run
			next
		}
		if (fails != "") {
			peer = "fails: `" fails "`"
			printf "| %s | %s ms (%s) | %s MB (%s) | %s MB | %s MB (%s) | %s per %s (%s) | %s | %s |\n",
				tool, ms($3), peer, mb($5), peer, mb($7),
				mb($8), peer, $11, unit, peer, path, run
			next
		}
		printf "| %s | %s / %s ms (%s) | %s / %s MB | %s / %s MB | %s / %s MB (%s) | %s / %s per %s | %s | %s |\n",
			tool, ms($3), ms($4), ratio($3, $4), mb($5), mb($6),
			mb($7), mb($9), mb($8), mb($10), ratio($8, $10),
			$11, $12, unit, path, run
	}'
}

# The kernel's table anew: its text, the old rows of tools not run, the
# new ones; sorted by tool.
guest_block() {
	key=$1 series=$2 rows=$3
	built="make STATIC=1's static build"
	[ "$BENCH_BUILD" = dynamic ] &&
		built="make's build, with the host's shared libraries"
	echo "<!-- guest $key -->"
	echo "## Start-up and memory in a $series guest (qemu, emulated), $BENCH_BUILD build"
	echo
	echo "Generated by \`make bench-kernels\` (bench/kernels.sh; KERNELS," \
		"BENCH_TOOLS; rows of tools not run are kept, each with its" \
		"date, commit, kernel and the host's load): bench/run.sh with" \
		"BENCH_GUEST=1 in a qemu guest booting Debian's $series kernel" \
		"(kprobes and fentry, which this host has not: the libbpf-tools" \
		"that fail here run there). **Emulated** (TCG, one host thread" \
		"for both virtual CPUs): times are many times the host's and move" \
		"with the host's load; compare within a row only (coretrace and" \
		"libbpf-tools ran in the same guest, interleaved). coretrace:" \
		"$built; libbpf-tools: Debian 12's 0.26 with the host's" \
		"libraries. Each cell: coretrace / libbpf-tools. Start-up:" \
		"fork+exec to the first line on a pseudo-terminal, median of 5" \
		"(coretrace's kernel types cached by an earlier run). Peak RSS" \
		"idle: VmHWM of those runs. Under load: each capturing all of" \
		"the host bench's workload, a tenth of BENCH_QUICK's count, 2" \
		"runs; VmHWM and VmRSS at its end, medians. Kernel ns per unit:" \
		"BPF run-time statistics (emulated: only the ratio means" \
		"anything). Hooks: what coretrace's -v said it used."
	echo
	echo "| tool | start-up | peak RSS idle | peak RSS under load | steady RSS under load | kernel ns | coretrace's hooks | run |"
	echo "|---|---|---|---|---|---|---|---|"
	{
		sed -n "/^<!-- guest $key -->\$/,/^<!-- end guest $key -->\$/p" \
			"$BENCH_RESULTS" 2>/dev/null | grep '^| [a-z]' |
			grep -v '^| tool |' | while IFS= read -r line; do
			t=$(echo "$line" | cut -d'|' -f2 | tr -d ' ')
			grep -q "^| $t |" "$rows" || echo "$line"
		done
		cat "$rows"
	} | sort -t'|' -k2,2
	echo "<!-- end guest $key -->"
}

# Put block $2 (key $1) in RESULTS.md in place of the old one, else
# before the first tool's section (where bench/run.sh keeps it).
write_block() {
	key=$1
	new=$work/results.new
	awk -v s="$key" -v f="$2" '
		function put() { while ((getline l < f) > 0) print l; done = 1 }
		$0 == "<!-- guest " s " -->" { skip = 1; put(); next }
		skip { if ($0 == "<!-- end guest " s " -->") skip = 0; next }
		/^<!-- section / && !done { put(); print "" }
		{ print }
		END { if (!done) put() }' "$BENCH_RESULTS" >"$new" &&
		cat "$new" >"$BENCH_RESULTS"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
resolve_kernels $KERNELS
pack_initramfs || die "cannot pack the initramfs"
commit=$(git -C "$top" describe --always --dirty 2>/dev/null)
status=0
for k in $kernels; do
	series=$(series_of "$k")
	key=$series
	[ "$BENCH_BUILD" = static ] || key="$series $BENCH_BUILD"
	version=$(cut -d- -f1 "$cache/$k/version")
	run_guest "$k" "$BENCH_KERNEL_TIMEOUT" \
		"CT_BENCH_TOOLS=$(echo $tools | tr ' ' ,)" \
		"CT_BENCH_STRACE=${BENCH_STRACE:-0}"
	grep -v '^    bench-guest-\(strace\|progs\): ' "$work/$k.report"
	sed -n 's/^bench-guest-row: //p' "$work/$k.log" >"$work/$k.rows"
	if ! grep -q '^guest: bench done' "$work/$k.log"; then
		echo "kernel $version: no result after $guest_secs s ($(guest_failure "$k" "$BENCH_KERNEL_TIMEOUT"))"
		status=1
	fi
	[ -s "$work/$k.rows" ] || { status=1; continue; }
	run="$(date -u '+%Y-%m-%d %H:%M UTC'), $commit, $BENCH_BUILD build, $version, host load $load_start -> $(cut -d' ' -f1-3 /proc/loadavg)"
	format_rows "$run" <"$work/$k.rows" >"$work/$k.table"
	guest_block "$key" "$series" "$work/$k.table" >"$work/$k.block"
	write_block "$key" "$work/$k.block"
	echo "kernel $version: $(wc -l <"$work/$k.rows") tools in $guest_secs s; $BENCH_RESULTS"
	cat "$work/$k.block"
done
exit $status
