#!/bin/sh
# Print coretrace's version. The VERSION file is the one place it is set;
# in a git checkout of coretrace, git describe adds where we are:
#   tag v0.1.0 at HEAD       -> 0.1.0
#   3 commits past the tag   -> 0.1.0-3-gabc1234
#   no tag yet               -> 0.1.0+gabc1234
#   uncommitted changes      -> ...-dirty
# A release tarball has no .git: the VERSION file alone. A tarball unpacked
# inside some other git repository must not take that repository's version,
# hence the checks that git's top level is here and tracks VERSION.
cd "$(dirname "$0")/.." || exit 1
base=$(cat VERSION 2>/dev/null) || base=0.0.0

in_own_git() {
	command -v git >/dev/null 2>&1 &&
		[ -z "$(git rev-parse --show-prefix 2>/dev/null || echo x)" ] &&
		git ls-files --error-unmatch VERSION >/dev/null 2>&1
}

if in_own_git; then
	if v=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
		echo "${v#v}"
		exit 0
	fi
	if v=$(git describe --always --dirty 2>/dev/null); then
		echo "$base+g$v"
		exit 0
	fi
fi
echo "$base"
