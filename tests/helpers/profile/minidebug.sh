#!/bin/sh
# minidebug.sh IN OUT: OUT is IN stripped, with MiniDebugInfo made the way
# Fedora's find-debuginfo makes it: IN's debug sections (objcopy
# --only-keep-debug) stripped of all but the function symbols IN's .dynsym
# lacks, compressed with xz into OUT's .gnu_debugdata section.
set -eu
in=$1
out=$2
OBJCOPY=${OBJCOPY:-objcopy}
NM=${NM:-nm}
tmp=$out.d
rm -rf "$tmp"
mkdir "$tmp"
trap 'rm -rf "$tmp"' EXIT

# Names only: "NAME TYPE VALUE SIZE" lines.
$NM -D --defined-only --format=posix "$in" | cut -d' ' -f1 |
	sort -u >"$tmp/dynsym"
$NM --defined-only --format=posix "$in" |
	awk '$2 == "T" || $2 == "t" { print $1 }' | sort -u >"$tmp/funcs"
comm -23 "$tmp/funcs" "$tmp/dynsym" >"$tmp/keep"

$OBJCOPY --only-keep-debug "$in" "$tmp/debug"
$OBJCOPY --strip-all --remove-section=.comment \
	--keep-symbols="$tmp/keep" "$tmp/debug" "$tmp/mini"
xz -c "$tmp/mini" >"$tmp/mini.xz"
$OBJCOPY --strip-all --add-section .gnu_debugdata="$tmp/mini.xz" \
	"$in" "$out"
