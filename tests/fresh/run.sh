#!/bin/sh
# make check-fresh: the README's quick start, run literally as root in a
# minimal Debian (debootstrap --variant=minbase) chroot, for each release:
#
#   tests/fresh/run.sh [RELEASE...]        default: bookworm trixie
#
# The chroot's base (minbase plus the build dependencies, installed by
# scripts/deps.sh build as the quick start would) is cached in
# $CT_FRESH_CACHE (/var/cache/coretrace-fresh), one directory per release
# keyed by the mirror and scripts/deps.sh; each run mounts a fresh overlay
# on it, so that the test packages are installed anew every time. A clean
# copy of this tree (the files git tracks or would, as they are now) goes to
# /root/coretrace, as if cloned there. The quick start block of README.md
# must hold two lines: the first (build and trace) runs until an exec caused
# from outside shows in its output, then gets SIGINT as from Ctrl-C and
# must end with status 0; the second (the tests) must end with status 0 and
# "check: N passed, 0 failed, N skipped".
#
# Everything runs in a private mount namespace: the chroot's mounts (proc,
# sys, dev and what is under them) go away with it, whatever happens.
# With CT_FRESH_USER=NAME, the quick start runs as that user instead, with
# sudo installed and allowed, the tree in ~NAME/coretrace.
# Environment: CT_FRESH_MIRROR (default: the first Debian archive in
# /etc/apt/sources.list*), CT_FRESH_CACHE, CT_FRESH_TIMEOUT (seconds for
# each line, default 2400). Logs: build/fresh/RELEASE.*.log. Ends with one
# line per release, "fresh RELEASE: 1 passed, 0 failed" or "0 passed,
# 1 failed", after each release's own "check: ..." line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${CT_FRESH_CACHE:=/var/cache/coretrace-fresh}"
: "${CT_FRESH_TIMEOUT:=2400}"

die() {
	echo "check-fresh: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount, chroot)"
if [ -z "${CT_FRESH_IN_NS:-}" ]; then
	for cmd in debootstrap unshare chroot setsid perl git sha256sum \
		timeout; do
		command -v "$cmd" >/dev/null 2>&1 ||
			die "$cmd is missing (sh scripts/deps.sh all installs it)"
	done
	CT_FRESH_IN_NS=1 exec unshare --mount --propagation private \
		sh "$0" "$@"
fi

# The Debian archive apt uses here (one-line or deb822 sources).
mirror() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p
			s/^URIs: *\([^ ]*\).*/\1/p' |
		grep '/debian/*$' | head -n 1
}
: "${CT_FRESH_MIRROR:=$(mirror)}"
: "${CT_FRESH_MIRROR:=http://deb.debian.org/debian}"

# bind_all ROOT: what the tools and tests need from the host.
bind_all() {
	mount -t proc proc "$1/proc" &&
		mount --rbind /sys "$1/sys" &&
		mount --rbind /dev "$1/dev"
}

unbind_all() {
	for m in dev sys proc; do
		umount -R "$1/$m" 2>/dev/null || umount -R -l "$1/$m" 2>/dev/null
	done
}

# Processes still running under ROOT (a tool or shell a test left behind)
# hold the mounts: end them.
kill_inside() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$1" ] &&
			kill -KILL "${p#/proc/}" 2>/dev/null
	done
	return 0
}

# in_root ROOT CMD...: run CMD in the chroot as root, in a clean environment.
in_root() {
	r=$1
	shift
	chroot "$r" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		"$@"
}

# base RELEASE: the cached chroot base, made if missing; prints its path.
base() {
	# Bump the 1 when the recipe below changes.
	key=$({ echo "1 $1 $CT_FRESH_MIRROR"; cat "$top/scripts/deps.sh"; } |
		sha256sum | cut -c1-16)
	b=$CT_FRESH_CACHE/$1-$key
	if [ -d "$b" ]; then
		echo "$b"
		return 0
	fi
	mkdir -p "$CT_FRESH_CACHE" || return 1
	rm -rf "$b.tmp" "$CT_FRESH_CACHE/$1"-*
	echo "check-fresh: $1: debootstrap from $CT_FRESH_MIRROR" >&2
	debootstrap --variant=minbase "$1" "$b.tmp" "$CT_FRESH_MIRROR" \
		>"$log_dir/$1.debootstrap.log" 2>&1 || {
		tail -n 20 "$log_dir/$1.debootstrap.log" >&2
		return 1
	}
	echo "check-fresh: $1: build dependencies" >&2
	cp "$top/scripts/deps.sh" "$b.tmp/tmp/deps.sh"
	bind_all "$b.tmp" &&
		in_root "$b.tmp" sh /tmp/deps.sh build \
		>"$log_dir/$1.deps.log" 2>&1 &&
		in_root "$b.tmp" apt-get clean
	st=$?
	kill_inside "$b.tmp"
	unbind_all "$b.tmp"
	rm -f "$b.tmp/tmp/deps.sh"
	if [ $st -ne 0 ]; then
		tail -n 20 "$log_dir/$1.deps.log" >&2
		return 1
	fi
	mv "$b.tmp" "$b" && echo "$b"
}

# The quick start's command lines, as README.md has them.
quick_start() {
	awk '/^## Quick start/ { q = 1; next }
		q && /^```sh$/ { c = 1; next }
		c && /^```$/ { exit }
		c && NF' "$top/README.md"
}

# A clean copy of this tree, as a clone of it would be: the files git
# tracks and new ones it does not ignore, as they are now (build/ is not).
copy_tree() {
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"
			done' sh | tar --null -T - -cf -) | tar -x -C "$1"
}

# as_run ROOT CMD...: CMD as the README's reader would run it: root, or
# with CT_FRESH_USER, that user (who may sudo), in a clean environment.
as_run() {
	r=$1
	shift
	exec chroot "$r" /usr/bin/env -i HOME="$home" TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		$as_user "$@"
}

# trace ROOT LINE LOG: run the tracing line; once it shows an exec made
# here, Ctrl-C it. Its status must be 0. As typed at a terminal, it runs in
# a process group of its own, with SIGINT as it comes (sh ignores it in
# what it starts with &, and nothing it starts can undo that: perl does).
trace() {
	mark=ct-fresh-mark-$$
	setsid perl -e '$SIG{INT} = $SIG{QUIT} = "DEFAULT"; exec @ARGV or die' \
		sh "$here/run.sh" --as-run "$1" bash -c "cd $dir && $2" \
		>"$3" 2>&1 </dev/null &
	pid=$!
	t=0
	while ! grep -q "$mark" "$3"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			echo "exited with status $? before tracing"
			return 1
		fi
		if [ $t -ge $((CT_FRESH_TIMEOUT * 2)) ]; then
			kill -KILL -"$pid"
			echo "no exec traced after ${CT_FRESH_TIMEOUT}s"
			return 1
		fi
		sh -c : "$mark"
		sleep 0.5
		t=$((t + 1))
	done
	sleep 3
	kill -INT -"$pid"
	t=0
	while kill -0 "$pid" 2>/dev/null && [ $t -lt 20 ]; do
		sleep 0.5
		t=$((t + 1))
	done
	kill -KILL -"$pid" 2>/dev/null
	wait "$pid"
	st=$?
	[ $st -eq 0 ] || { echo "status $st after Ctrl-C"; return 1; }
}

# add_user ROOT: CT_FRESH_USER, who may sudo, owning the copy of the tree.
add_user() {
	in_root "$1" sh -c "apt-get update -q &&
		apt-get install -y -q --no-install-recommends sudo &&
		useradd -m -s /bin/bash $CT_FRESH_USER &&
		echo '$CT_FRESH_USER ALL=(ALL) NOPASSWD: ALL' \
			>/etc/sudoers.d/$CT_FRESH_USER &&
		chown -R $CT_FRESH_USER: $dir"
}

# The FAIL and skip lines of a check log, each FAIL with the tool's
# stdout and stderr that follow it (lib.sh's ct_done): the log stays on
# the machine that ran it, and a flaky failure says what it saw only here.
digest() {
	awk '/^(FAIL|skip)/ { print "    " $0; shown = /^FAIL/; next }
	     shown && /^    std(out|err): / { print "    " $0; next }
	     { shown = 0 }' "$1"
}

# run RELEASE: the quick start in a fresh chroot of it.
run() {
	start=$(date +%s)
	b=$(base "$1") || return 1
	w=$work/$1
	rm -rf "$w"
	mkdir -p "$w/upper" "$w/work" "$w/root" || return 1
	mount -t overlay overlay \
		-o "lowerdir=$b,upperdir=$w/upper,workdir=$w/work" "$w/root" ||
		return 1
	r=$w/root
	mkdir -p "$r$dir" && copy_tree "$r$dir" && bind_all "$r" || return 1
	if [ -n "$as_user" ]; then
		add_user "$r" >"$log_dir/$1.user.log" 2>&1 || {
			tail -n 20 "$log_dir/$1.user.log"
			return 1
		}
	fi
	set -- "$1" "$(quick_start | sed -n 1p)" "$(quick_start | sed -n 2p)"
	[ "$(quick_start | wc -l)" -eq 2 ] ||
		{ echo "README's quick start is not two lines"; return 1; }
	echo "check-fresh: $1: ($(( $(date +%s) - start ))s) $2"
	why=$(trace "$r" "$2" "$log_dir/$1.trace.log") || {
		tail -n 30 "$log_dir/$1.trace.log"
		echo "check-fresh: $1: FAIL: the first line: $why"
		return 1
	}
	grep -m 1 -A 2 '^PCOMM' "$log_dir/$1.trace.log" | sed 's/^/    /'
	echo "check-fresh: $1: ($(( $(date +%s) - start ))s) $3"
	setsid timeout "$CT_FRESH_TIMEOUT" sh "$here/run.sh" --as-run "$r" \
		bash -c "cd $dir && $3" >"$log_dir/$1.check.log" 2>&1 </dev/null
	st=$?
	digest "$log_dir/$1.check.log"
	summary=$(grep '^check: ' "$log_dir/$1.check.log" | tail -n 1)
	echo "check-fresh: $1: ($(( $(date +%s) - start ))s) $summary"
	case $summary in
	"check: "*" passed, 0 failed, "*" skipped") [ $st -eq 0 ] ;;
	*)
		tail -n 30 "$log_dir/$1.check.log"
		false
		;;
	esac
}

if [ -n "${CT_FRESH_USER:-}" ]; then
	home=/home/$CT_FRESH_USER
	as_user="setpriv --reuid=$CT_FRESH_USER --regid=$CT_FRESH_USER --init-groups"
else
	home=/root
	as_user=
fi
dir=$home/coretrace
if [ "${1:-}" = --as-run ]; then
	shift
	as_run "$@"
	exit
fi

log_dir=$top/build/fresh
work=$log_dir/work.$$
mkdir -p "$work" || exit 1
cleanup() {
	for d in "$work"/*/root; do
		[ -d "$d" ] || continue
		kill_inside "$d"
		unbind_all "$d"
		umount "$d" 2>/dev/null || umount -l "$d" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ $# -gt 0 ] || set -- bookworm trixie
results=
failed=0
for rel in "$@"; do
	if run "$rel"; then
		results="$results${results:+
}fresh $rel: 1 passed, 0 failed"
	else
		failed=1
		results="$results${results:+
}fresh $rel: 0 passed, 1 failed"
	fi
	cleanup
	mkdir -p "$work"
done
echo "$results"
exit $failed
