#!/bin/sh
# The README's quick start, from a clone on a Debian/Ubuntu machine where
# nothing is assumed but sh and apt: install what is missing (apt-get, as
# root or through sudo), build as the calling user, then
#
#   sh scripts/quickstart.sh TOOL [ARGS...]   run build/bin/TOOL as root
#   sh scripts/quickstart.sh check            make check as root (the unit
#                                             and runtime tests)
#
# make check-fresh runs the README's lines in fresh Debian chroots.
set -eu
cd "$(dirname "$0")/.."

usage() {
	echo "usage: sh scripts/quickstart.sh TOOL [ARGS...] | check" >&2
	exit 2
}

# What runs as root: directly, or through sudo.
if [ "$(id -u)" -eq 0 ]; then
	root=
elif command -v sudo >/dev/null 2>&1; then
	root=sudo
else
	echo "quickstart: run it as root (there is no sudo here)" >&2
	exit 1
fi

[ $# -ge 1 ] || usage
what=$1
shift
case $what in
check)
	[ $# -eq 0 ] || usage
	sh scripts/deps.sh test
	make -j"$(nproc)" all unit-tests
	$root make check
	;;
*/* | .*) usage ;;
*)
	[ -d "tools/$what" ] || { echo "quickstart: no tool '$what'" >&2; exit 2; }
	sh scripts/deps.sh build
	make -j"$(nproc)"
	# exec: Ctrl-C reaches the tool itself, which ends with status 0.
	exec $root "build/bin/$what" "$@"
	;;
esac
