# Runtime tests of common/cgroup_path.c (cgroup v2 id to path) through
# tests/helpers/common/ct-cgroup.c: real cgroup directories, made, resolved
# by file handle and by a walk, from the id BPF sees, deleted.
. "$(dirname "$0")/lib.sh"
ct_require_root "cgroup_path"
CG=$CT_BIN/tests/ct-cgroup

cg_mounted=
if ! "$CG" mount >/dev/null 2>&1; then
	mkdir -p "$CT_TMP/cgroup2"
	mount -t cgroup2 none "$CT_TMP/cgroup2" 2>/dev/null &&
		cg_mounted=$CT_TMP/cgroup2
fi
mnt=$("$CG" mount 2>/dev/null)
top="ct-cgroup-path $$"
cleanup_cgroups() {
	[ -z "$mnt" ] || rmdir "$mnt/$top/sub" "$mnt/$top" 2>/dev/null
	[ -z "$cg_mounted" ] || umount "$cg_mounted"
}

# paths METHOD ID...: ct-cgroup's answers, into $out.
paths() {
	"$CG" path "$@" >"$out" 2>"$err" || ct_fail "ct-cgroup path $1 failed"
}

# The ids are the directories' inode numbers, as BPF sees them.
expect_same_id() {
	[ "$("$CG" id "$1")" = "$(stat -c %i "$1")" ] ||
		ct_fail "$1: the id is not the inode number"
}

ct_case "cgroup_path: the cgroup2 mount of mountinfo, the hybrid one preferred"
if [ -z "$mnt" ]; then
	ct_skip "no cgroup v2 here, and cannot mount one"
else
	want=$(awk '$9 == "cgroup2" { print $5 }' /proc/self/mountinfo |
		awk 'BEGIN { r = 0 }
		{ k = $0 == "/sys/fs/cgroup" ? 3 : \
			$0 == "/sys/fs/cgroup/unified" ? 2 : 1 }
		k > r { r = k; m = $0 } END { print m }')
	[ "$mnt" = "$want" ] || ct_fail "mount $mnt, expected $want"
fi
ct_done

ct_case "cgroup_path: nested cgroups resolve by handle and by walk"
if [ -z "$mnt" ] || ! mkdir -p "$mnt/$top/sub"; then
	ct_skip "cannot create a cgroup v2 directory"
else
	sub=$("$CG" id "$mnt/$top/sub")
	parent=$("$CG" id "$mnt/$top")
	root=$("$CG" id "$mnt")
	expect_same_id "$mnt/$top/sub"
	for how in auto handle walk; do
		paths "$how" "$sub" "$parent" "$root"
		expect_line "/$top/sub"
		expect_line "/$top"
		expect_line "/"
		[ "$(sed -n 1p "$out")" = "/$top/sub" ] ||
			ct_fail "$how: first answer $(sed -n 1p "$out")"
	done
fi
ct_done

ct_case "cgroup_path: the id BPF gives a task in a cgroup resolves to it"
if [ -z "$mnt" ] || [ ! -d "$mnt/$top/sub" ]; then
	ct_skip "no cgroup made in the case before"
else
	ct_in_cgroup "$mnt/$top/sub" "$CG" self >"$out" 2>"$err" ||
		ct_fail "ct-cgroup self failed"
	expect_line "$sub /$top/sub"
fi
ct_done

ct_case "cgroup_path: a removed cgroup is ENOENT both ways"
if [ -z "$mnt" ] || [ ! -d "$mnt/$top/sub" ]; then
	ct_skip "no cgroup made in the case before"
else
	rmdir "$mnt/$top/sub"
	for how in handle walk; do
		paths "$how" "$sub" "$parent"
		[ "$(cat "$out" | tr '\n' ' ')" = "ENOENT /$top " ] ||
			ct_fail "$how: $(cat "$out" | tr '\n' ' ')"
	done
fi
ct_done

ct_case "cgroup_path: without CAP_DAC_READ_SEARCH it walks"
if [ -z "$mnt" ] || [ ! -d "$mnt/$top" ]; then
	ct_skip "no cgroup made in the cases before"
elif ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "no setpriv to drop privileges"
else
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CG" path handle "$parent" >"$out" 2>"$err"
	expect_grep "Operation not supported" "$err"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CG" path auto "$parent" "$root" 12345678901 \
		>"$out" 2>"$err" || ct_fail "unprivileged ct-cgroup failed"
	[ "$(cat "$out" | tr '\n' ' ')" = "/$top / ENOENT " ] ||
		ct_fail "unprivileged: $(cat "$out" | tr '\n' ' ')"
fi
ct_done
cleanup_cgroups
