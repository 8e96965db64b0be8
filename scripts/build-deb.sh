#!/bin/sh
# Build the coretrace .deb with dpkg-buildpackage -us -uc -b, from a clean
# copy of this tree: "debian/rules clean" (make clean) then never touches
# this tree's build/, and the outputs dpkg-buildpackage writes to the parent
# directory (coretrace_*.deb, .buildinfo, .changes) land in a scratch
# directory, not next to the checkout. The results are copied to build/deb/
# (or $CT_DEB_OUT), with the build log.
#
#   scripts/build-deb.sh            the working tree: tracked files and new
#                                   files git does not ignore
#   scripts/build-deb.sh --head     the last commit only (git archive)
#   scripts/build-deb.sh --lintian  also run lintian on the result
#
# Extra dpkg-buildpackage options can be given in $CT_DEB_OPTS, e.g.
# CT_DEB_OPTS=-d to build without checking build dependencies.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
outdir=${CT_DEB_OUT:-$top/build/deb}
from=worktree
lintian=
for a in "$@"; do
	case $a in
	--head) from=head ;;
	--lintian) lintian=1 ;;
	*) echo "usage: $0 [--head] [--lintian]" >&2; exit 2 ;;
	esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/coretrace-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$work/coretrace-$version
mkdir "$src"

in_git() {
	command -v git >/dev/null 2>&1 &&
		[ -z "$(git -C "$top" rev-parse --show-prefix 2>/dev/null ||
			echo x)" ]
}

# Copy the source: what git knows of, or (from a tarball) everything but
# build outputs.
if in_git && [ $from = head ]; then
	git -C "$top" archive HEAD | tar -x -C "$src"
elif in_git; then
	(cd "$top" && git ls-files -co --exclude-standard |
		while IFS= read -r f; do
			[ -e "$f" ] && printf '%s\n' "$f"
		done | tar -c -T - -f -) | tar -x -C "$src"
else
	(cd "$top" && tar -c --exclude=./build --exclude=./.git \
		--exclude=./debian/coretrace --exclude=./debian/.debhelper \
		-f - .) | tar -x -C "$src"
fi

mkdir -p "$outdir"
log=$outdir/build.log
echo "build-deb: building coretrace $version in $src (log: $log)"
# shellcheck disable=SC2086
if ! (cd "$src" && dpkg-buildpackage -us -uc -b ${CT_DEB_OPTS:-}) \
	>"$log" 2>&1; then
	tail -40 "$log"
	echo "build-deb: dpkg-buildpackage failed; see $log" >&2
	exit 1
fi

rm -f "$outdir"/*.deb "$outdir"/*.ddeb "$outdir"/*.buildinfo \
	"$outdir"/*.changes
for f in "$work"/*.deb "$work"/*.ddeb "$work"/*.buildinfo \
	"$work"/*.changes; do
	[ -f "$f" ] && cp "$f" "$outdir/"
done
ls "$outdir"/coretrace_*.deb

if [ -n "$lintian" ]; then
	# Lintian reads the .changes, which names the files next to it.
	lintian --info --display-info --pedantic "$outdir"/*.changes
fi
