# --version: every tool prints "TOOL (coretrace) VERSION", and VERSION comes
# from one place (the VERSION file), with git describe only in coretrace's
# own git checkout: not in a release tarball, nor in a tarball unpacked
# inside some other git repository. Needs no root.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
base=$(cat "$top/VERSION")

ct_case "version: every tool prints its name and the VERSION file's version"
n=0
for b in "$CT_BIN"/*; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	t=$(basename "$b")
	n=$((n + 1))
	"$b" --version >"$out" 2>"$err" || ct_fail "$t --version failed"
	v=$(sed -n "s/^$t (coretrace) //p" "$out")
	case $v in
	"$base" | "$base"[-+]*) ;;
	*) ct_fail "$t --version: '$(head -1 "$out")'" ;;
	esac
	"$b" -V >"$CT_TMP/v" 2>&1
	cmp -s "$out" "$CT_TMP/v" || ct_fail "$t -V differs from --version"
done
[ $n -gt 0 ] || ct_fail "no built tool"
ct_done

# A copy of what a release tarball holds for the version: no .git.
tarball_copy() {
	rm -rf "$1"
	mkdir -p "$1/scripts"
	cp "$top/VERSION" "$1/"
	cp "$top/scripts/version.sh" "$1/scripts/"
}

ct_case "version: from a tarball without git, the VERSION file"
tarball_copy "$CT_TMP/tar"
v=$(sh "$CT_TMP/tar/scripts/version.sh")
[ "$v" = "$base" ] || ct_fail "got '$v', expected '$base'"
ct_done

ct_case "version: debian/changelog releases the VERSION file's version"
# A native package: the changelog's version is the upstream one.
v=$(sed -n '1s/^coretrace (\([^)]*\)).*/\1/p' "$top/debian/changelog")
[ "$v" = "$base" ] || ct_fail "debian/changelog has '$v', VERSION '$base'"
ct_done

if ! command -v git >/dev/null 2>&1; then
	ct_case "version: git"
	ct_skip "git is not installed"
	exit 0
fi

# git in a scratch repository, without the user's configuration.
ct_git() {
	git -c user.name=t -c user.email=t@example.org \
		-c init.defaultBranch=main "$@" >/dev/null 2>&1
}

ct_case "version: a tarball inside another git repository ignores it"
mkdir -p "$CT_TMP/other"
ct_git -C "$CT_TMP/other" init
: >"$CT_TMP/other/f"
ct_git -C "$CT_TMP/other" add f
ct_git -C "$CT_TMP/other" commit -m x
ct_git -C "$CT_TMP/other" tag v9.9.9
tarball_copy "$CT_TMP/other/coretrace-$base"
v=$(sh "$CT_TMP/other/coretrace-$base/scripts/version.sh")
[ "$v" = "$base" ] || ct_fail "got '$v', expected '$base'"
ct_done

ct_case "version: in a git checkout, git describe (tag, commits, dirty)"
g=$CT_TMP/git
tarball_copy "$g"
ct_git -C "$g" init
ct_git -C "$g" add VERSION scripts
ct_git -C "$g" commit -m one
h=$(git -C "$g" rev-parse --short HEAD)
v=$(sh "$g/scripts/version.sh")
[ "$v" = "$base+g$h" ] || ct_fail "untagged: got '$v', not '$base+g$h'"
ct_git -C "$g" tag "v$base"
v=$(sh "$g/scripts/version.sh")
[ "$v" = "$base" ] || ct_fail "at the tag: got '$v', not '$base'"
echo >>"$g/VERSION"
v=$(sh "$g/scripts/version.sh")
[ "$v" = "$base-dirty" ] || ct_fail "dirty: got '$v', not '$base-dirty'"
ct_done
