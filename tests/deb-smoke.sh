#!/bin/sh
# The Debian package, end to end, on this machine (root, Debian/Ubuntu):
# build it (scripts/build-deb.sh: from a clean copy, outputs in build/deb/),
# install it with dpkg -i, check that the installed execsnoop prints the
# package's version and that man finds its page, check the installed file
# list and that it runs (caching kernel types), then purge it and check
# nothing is left, the cache included.
#
#   sh tests/deb-smoke.sh [--head]     (--head: build the last commit only)
#
# Refuses to run if a coretrace package is already installed, since it
# would remove it. Exit 0 on success, 1 on the first failure.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n=== deb-smoke: %s\n' "$*"; }
fail() { echo "deb-smoke: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i)"
if dpkg-query -W -f='${Status}' coretrace 2>/dev/null |
	grep -q 'installed'; then
	fail "coretrace is already installed; remove it first"
fi

# Tools the build and this check need that a build machine may lack.
need=
command -v dpkg-buildpackage >/dev/null 2>&1 || need="$need dpkg-dev"
command -v dh >/dev/null 2>&1 || need="$need debhelper"
command -v man >/dev/null 2>&1 || need="$need man-db"
if [ -n "$need" ]; then
	step "installing$need"
	apt-get install -y -q $need ||
		{ apt-get update -q && apt-get install -y -q $need; } ||
		fail "cannot install$need"
fi

step "build"
sh "$top/scripts/build-deb.sh" "$@"
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
deb=$top/build/deb/coretrace_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb"

purge() {
	dpkg --purge coretrace >/dev/null 2>&1 || true
}
trap purge EXIT
trap 'exit 130' INT TERM

step "dpkg -i $(basename "$deb")"
dpkg -i "$deb" || fail "dpkg -i failed (missing dependencies?)"

step "execsnoop --version"
v=$(/usr/sbin/execsnoop --version) || fail "execsnoop --version failed"
echo "$v"
[ "$v" = "execsnoop (coretrace) $version" ] ||
	fail "expected 'execsnoop (coretrace) $version'"
# And by name, as a user types it (if nothing else named so comes first).
if [ "$(command -v execsnoop)" = /usr/sbin/execsnoop ]; then
	execsnoop --version >/dev/null || fail "execsnoop by PATH failed"
fi

step "execsnoop runs, and caches kernel types"
/usr/sbin/execsnoop -d 0.3 >/dev/null || fail "execsnoop -d 0.3 failed"
ls /var/cache/coretrace/execsnoop-*.btf ||
	fail "no kernel types cached in /var/cache/coretrace"

step "man -w execsnoop"
page=$(man -w execsnoop) || fail "man -w execsnoop failed"
echo "$page"
case $page in
/usr/share/man/man8/execsnoop.8*) ;;
*) fail "man found '$page', not the package's page" ;;
esac
man -l "$page" >/dev/null 2>&1 || fail "man cannot render $page"
# The page make generated, with the FLEET section filled in.
gzip -dc "$page" | grep -qx '\.SH FLEET' || fail "$page has no FLEET section"
! gzip -dc "$page" | grep -q '@FLEET' || fail "$page has a FLEET marker left"

step "installed files"
dpkg -L coretrace | sort >"$top/build/deb/files.txt"
for f in /usr/sbin/execsnoop /usr/share/man/man8/execsnoop.8.gz \
	/usr/share/bash-completion/completions/execsnoop \
	/usr/share/doc/coretrace/copyright; do
	grep -qx "$f" "$top/build/deb/files.txt" || fail "package lacks $f"
	[ -e "$f" ] || fail "$f is not on disk"
done
# Every tool has its man page and completion.
for b in $(grep '^/usr/sbin/.' "$top/build/deb/files.txt"); do
	t=${b#/usr/sbin/}
	grep -qx "/usr/share/man/man8/$t.8.gz" "$top/build/deb/files.txt" ||
		fail "no man page for $t"
	grep -qx "/usr/share/bash-completion/completions/$t" \
		"$top/build/deb/files.txt" || fail "no completion for $t"
done
wc -l <"$top/build/deb/files.txt" | sed 's/$/ paths/'

step "dpkg --purge coretrace"
files=$(grep -v '/$' "$top/build/deb/files.txt")
dpkg --purge coretrace || fail "dpkg --purge failed"
trap - EXIT
for f in $files; do
	[ -d "$f" ] && continue
	[ ! -e "$f" ] || fail "$f is left after purge"
done
if dpkg-query -W -f='${Status}' coretrace 2>/dev/null |
	grep -q 'installed'; then
	fail "coretrace is still installed"
fi
[ ! -e /var/cache/coretrace ] || fail "/var/cache/coretrace is left after purge"
echo "deb-smoke: ok"
