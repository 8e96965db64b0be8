#!/bin/sh
# The Debian/Ubuntu packages coretrace needs, by purpose, installed with
# apt-get --no-install-recommends (only what is missing; apt-get update only
# then). Runs as root, or through sudo when it is installed.
#
#   sh scripts/deps.sh build        build and run the tools
#   sh scripts/deps.sh test         also make check (unit and runtime tests)
#   sh scripts/deps.sh all          also CI's extras: static build,
#                                   check-kernels (qemu), check-fresh, deb
#   sh scripts/deps.sh --list WHAT  print the package names, install nothing
#
# make check-fresh keys its cached Debian chroots on this file: a change
# here makes them again.
set -eu

# gcc only recommends libc6-dev; linux-libc-dev (a dependency of it) has the
# <asm/unistd.h> the syscall tables are made from. liblzma-dev: MiniDebugInfo
# (also liblzma.a for STATIC=1); xz-utils: a test program's MiniDebugInfo.
BUILD="make gcc libc6-dev pkg-config clang llvm bpftool libbpf-dev
	libelf-dev zlib1g-dev liblzma-dev xz-utils"
# cmocka: unit tests. python3: JSON checks and the readline test. mandoc:
# man page lint. man-db: man -w. sqlite3: readline from a libreadline.so.
# procps: ps. file: static-ness checks. git: the version test in a clone.
# prometheus (with promtool), prometheus-node-exporter, curl, systemd
# (journald, journalctl): the fleet test's engines, on loopback.
TEST="libcmocka-dev python3 mandoc man-db sqlite3 procps file git
	prometheus prometheus-node-exporter curl systemd"
# libzstd-dev: STATIC=1 links libzstd.a. qemu, busybox, cpio:
# check-kernels. debootstrap: check-fresh. dpkg-dev, debhelper: make deb.
ALL="libzstd-dev qemu-system-x86 busybox-static cpio debootstrap dpkg-dev
	debhelper"

list() {
	case $1 in
	build) echo $BUILD ;;
	test) echo $BUILD $TEST ;;
	all) echo $BUILD $TEST $ALL ;;
	*) echo "usage: $0 [--list] build|test|all" >&2; exit 2 ;;
	esac
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "deps: run as root (no sudo here): $*" >&2
		exit 1
	fi
}

if [ "${1:-}" = --list ]; then
	list "${2:-}"
	exit 0
fi
[ $# -eq 1 ] || list ""
pkgs=$(list "$1")

# dpkg-query names each installed package once; anything else is missing.
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: $1: all installed"
	exit 0
fi
echo "deps: installing$missing"
as_root apt-get update -q
as_root env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends $missing
