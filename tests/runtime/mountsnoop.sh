# Runtime tests of mountsnoop: real mount calls in a private mount
# namespace (ct-mount unshares its own), exact lines.
. "$(dirname "$0")/lib.sh"
ct_require_root "mountsnoop"

MOUNT=$CT_PUBLIC_BIN/tests/ct-mount
A=$CT_TMP/a
B=$CT_TMP/b
mkdir -p "$A" "$B"
chmod 755 "$CT_TMP"

# run_mount OP...: ct-mount OP...; sets $pid and $ns, and $r1, $r2...
# to the results of its calls.
run_mount() {
	set -- $("$MOUNT" "$@")
	pid=$1 ns=$2
	shift 2
	i=1
	for r in "$@"; do
		eval "r$i=\$r"
		i=$((i + 1))
	done
}

# The text line of one call by ct-mount: mount_line CALL.
mount_line() {
	printf '%-16s %-7s %-7s %-10s %s\n' ct-mount "$pid" "$pid" "$ns" "$1"
}

# json_line KEY=VALUE...: the --json line of one call by ct-mount, without
# time, uid, user and latency_ns (see json_out); VALUEs as JSON, the
# members not given null (false, 0 for err).
json_line() {
	l="{\"comm\":\"ct-mount\",\"pid\":$pid,\"tid\":$pid,\"mnt_ns\":$ns"
	for k in syscall source source_dirfd target target_dirfd fstype data \
		fs_fd cmd key value aux source_truncated target_truncated \
		fstype_truncated data_truncated key_truncated value_truncated \
		flags flag_names attr_set attr_set_names attr_clr \
		attr_clr_names fd err errno; do
		case $k in
		*_truncated) v=false ;;
		err) v=0 ;;
		*) v=null ;;
		esac
		for kv in "$@"; do
			case $kv in
			"$k="*) v=${kv#*=} ;;
			esac
		done
		l="$l,\"$k\":$v"
	done
	printf '%s}\n' "$l"
}

# The --json lines in $out without what varies: time, uid, user, latency.
json_out() {
	sed 's/^{"time":"[^"]*","uid":[0-9]*,"user":[^,]*,/{/;
		s/,"latency_ns":[0-9]*}$/}/' "$out"
}

expect_json() {
	json_out | grep -Fxq -- "$1" || ct_fail "no JSON line '$1'"
}

# Every stdout line parses as JSON, where python3 is.
expect_valid_json() {
	have_python || return 0
	python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)' <"$out" || ct_fail "invalid JSON"
}

# traced CALL: does mountsnoop trace CALL on this kernel (-v says)?
traced_calls=$("$CT_BIN/mountsnoop" -v -d 0.1 2>&1 >/dev/null |
	sed -n 's/^mountsnoop: tracing //p')
traced() {
	case ", $traced_calls," in
	*", $1,"*) return 0 ;;
	esac
	return 1
}

nl='
'
esc=$(printf '\033')
SRC="src${nl}x${esc}[31m\"q"

ct_case "mountsnoop: -v lists the calls traced: those this kernel has"
tp=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events/syscalls" ] && tp=$d/events/syscalls && break
done
if [ -z "$tp" ]; then
	ct_fail "no syscalls tracepoints in tracefs after mountsnoop ran"
fi
for c in mount umount2 fsopen fsconfig fsmount move_mount open_tree fspick \
	mount_setattr; do
	e=sys_enter_$c
	[ "$c" = umount2 ] && e=sys_enter_umount
	if [ -d "$tp/$e" ]; then
		traced "$c" || ct_fail "$c not traced: '$traced_calls'"
	else
		! traced "$c" || ct_fail "$c traced without $e"
	fi
done
ct_done

# The method mountsnoop -v said it chose: tracepoints (exits alone, the
# arguments from the registers), pairs.
chosen_method() {
	ct_args_method "mountsnoop: calls: " "*"
}

expected=$(ct_args_method_here)
no_latency=time,uid,user,comm,pid,tid,mnt_ns,syscall,source,source_dirfd,target,target_dirfd,fstype,data,fs_fd,cmd,key,value,aux,source_truncated,target_truncated,fstype_truncated,data_truncated,key_truncated,value_truncated,flags,flag_names,attr_set,attr_set_names,attr_clr,attr_clr_names,fd,err,errno

ct_case "mountsnoop: -v says how it reads the arguments ($expected); latency_ns or CT_NO_TASK_PT_REGS=1: pairs"
for args in "" "--json --fields=$no_latency" "--json" "-T -t"; do
	tool_start mountsnoop -v $args
	tool_stop
	expect_status 0
	want=$expected
	[ "$args" != --json ] || want=pairs
	[ "$(chosen_method)" = $want ] ||
		ct_fail "'$args': chose '$(chosen_method)', not $want"
	[ "$args" != --json ] || [ "$expected" = pairs ] ||
		expect_grep "^mountsnoop: calls: not from the registers: latency_ns is shown: the time in the call needs its entry\$" "$err"
done
CT_NO_TASK_PT_REGS=1 tool_start mountsnoop -v
tool_stop
[ "$(chosen_method)" = pairs ] || ct_fail "chose '$(chosen_method)', not pairs"
expect_grep "^mountsnoop: calls: not from the registers: CT_NO_TASK_PT_REGS is set\$" "$err"
ct_done

# Each program loaded costs start-up time (verified one by one), each link
# its exit time (a tracepoint's close waits a grace period): the exits of
# all calls are one program, attached to each call's sys_exit_*; pairs add
# an entry program per call.
n_calls=$(printf '%s\n' "$traced_calls" | tr ',' '\n' | grep -c .)
for m in tracepoints pairs; do
	[ $m = pairs ] || [ "$expected" = tracepoints ] || continue
	want=1 links=$n_calls
	[ $m = tracepoints ] || want=$((n_calls + 1)) links=$((2 * n_calls))
	ct_case "mountsnoop [$m]: one exit program for all calls: $want programs, $links links"
	if [ $m = tracepoints ]; then
		tool_start mountsnoop -v
	else
		CT_NO_TASK_PT_REGS=1 tool_start mountsnoop -v
	fi
	record_bpf_ids
	n_progs=$(grep -c '^prog ' "$ids")
	[ "$n_progs" = $want ] ||
		ct_fail "$n_progs BPF programs for $n_calls calls, expected $want"
	run_mount unshare mount none "$A" tmpfs 0 - umount "$A" 0
	wait_line "$(mount_line "umount2(\"$A\", 0) = 0")"
	tool_stop
	expect_status 0
	[ "$(chosen_method)" = $m ] || ct_fail "chose '$(chosen_method)'"
	expect_grep "^mountsnoop: attached $links programs\$" "$err"
	expect_line "$(mount_line "mount(\"none\", \"$A\", \"tmpfs\", 0, NULL) = 0")"
	ct_done
done

# The cases each method must pass alike, for method $1: with pairs
# (forced by CT_NO_TASK_PT_REGS=1 in the environment), --json shows every
# field; with the registers, all but latency_ns (the time in the call,
# which needs the entry: it would choose the pairs).
method_cases() {
	meth=$1
	JSON="--json --fields=$no_latency"
	[ $meth = tracepoints ] || JSON=--json
	ct_case "mountsnoop [$meth]: mount and umount2 a tmpfs, options and flags decoded"
	tool_start mountsnoop
	run_mount unshare mount "$SRC" "$A" tmpfs 0xc0ed0006 size=1m,mode=700 \
		umount "$A" 2
	wait_line "$(mount_line "mount(\"src\\nx\\x1b[31m\\\"q\", \"$A\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"size=1m,mode=700\") = 0")"
	wait_line "$(mount_line "umount2(\"$A\", MNT_DETACH) = 0")"
	tool_stop
	expect_status 0
	[ "$r1" = 0 ] && [ "$r2" = 0 ] || ct_fail "ct-mount: $r1 $r2"
	# unshare's own mount(2), making everything private.
	expect_line "$(mount_line 'mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) = 0')"
	ct_done

	ct_case "mountsnoop [$meth]: --json mount, umount2, escaped strings"
	tool_start mountsnoop -v $JSON
	run_mount unshare mount "$SRC" "$A" tmpfs 0xc0ed0006 size=1m,mode=700 \
		umount "$A" 2
	wait_grep '"syscall":"umount2"'
	tool_stop
	expect_json "$(json_line syscall='"mount"' source='"src\nx\u001b[31m\"q"' \
		target="\"$A\"" fstype='"tmpfs"' data='"size=1m,mode=700"' flags=6 \
		flag_names='["MS_NOSUID","MS_NODEV"]')"
	expect_json "$(json_line syscall='"umount2"' target="\"$A\"" flags=2 \
		flag_names='["MNT_DETACH"]')"
	expect_json "$(json_line syscall='"mount"' target='"/"' flags=278528 \
		flag_names='["MS_REC","MS_PRIVATE"]')"
	expect_valid_json
	ct_done

	ct_case "mountsnoop [$meth]: failed mounts, ENOENT and EPERM as nobody; -x"
	tool_start mountsnoop -x
	run_mount unshare mount none /nonexistent/ct tmpfs 0 - uid 65534 \
		mount none "$A" tmpfs 0 -
	wait_line "$(mount_line 'mount("none", "/nonexistent/ct", "tmpfs", 0, NULL) = -ENOENT')"
	wait_line "$(mount_line "mount(\"none\", \"$A\", \"tmpfs\", 0, NULL) = -EPERM")"
	tool_stop
	[ "$r1" = -2 ] && [ "$r2" = -1 ] || ct_fail "ct-mount: $r1 $r2"
	# -x: unshare's successful mount is not shown.
	expect_no_grep 'MS_PRIVATE'
	ct_done

	ct_case "mountsnoop [$meth]: --json failed mount: err and errno"
	tool_start mountsnoop -v $JSON -x
	run_mount unshare mount none /nonexistent/ct tmpfs 0 -
	wait_grep '"errno":"ENOENT"'
	tool_stop
	expect_json "$(json_line syscall='"mount"' source='"none"' \
		target='"/nonexistent/ct"' fstype='"tmpfs"' flags=0 flag_names='[]' \
		err=2 errno='"ENOENT"')"
	ct_done

	ct_case "mountsnoop [$meth]: the mount API: fsopen, fsconfig, fsmount, move_mount"
	if ! traced fsopen; then
		ct_skip "no fsopen(2) tracepoint on this kernel (before 5.2)"
	else
		tool_start mountsnoop
		run_mount unshare newapi tmpfs 1m "$B"
		fs=$r1 mnt=$r4
		wait_line "$(mount_line "move_mount($mnt, \"\", AT_FDCWD, \"$B\", MOVE_MOUNT_F_EMPTY_PATH) = 0")"
		tool_stop
		expect_line "$(mount_line "fsopen(\"tmpfs\", FSOPEN_CLOEXEC) = $fs")"
		expect_line "$(mount_line "fsconfig($fs, FSCONFIG_SET_STRING, \"size\", \"1m\", 0) = 0")"
		expect_line "$(mount_line "fsconfig($fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) = 0")"
		expect_line "$(mount_line "fsmount($fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV) = $mnt")"
	fi
	ct_done

	ct_case "mountsnoop [$meth]: --json mount API"
	if ! traced fsopen; then
		ct_skip "no fsopen(2) tracepoint on this kernel (before 5.2)"
	else
		tool_start mountsnoop -v $JSON
		run_mount unshare newapi tmpfs 1m "$B"
		fs=$r1 mnt=$r4
		wait_grep '"syscall":"move_mount"'
		tool_stop
		expect_json "$(json_line syscall='"fsopen"' fstype='"tmpfs"' flags=1 \
			flag_names='["FSOPEN_CLOEXEC"]' fd="$fs")"
		expect_json "$(json_line syscall='"fsconfig"' fs_fd="$fs" \
			cmd='"FSCONFIG_SET_STRING"' key='"size"' value='"1m"' aux=0)"
		expect_json "$(json_line syscall='"fsconfig"' fs_fd="$fs" \
			cmd='"FSCONFIG_CMD_CREATE"' aux=0)"
		expect_json "$(json_line syscall='"fsmount"' fs_fd="$fs" flags=1 \
			flag_names='["FSMOUNT_CLOEXEC"]' attr_set=4 \
			attr_set_names='["MOUNT_ATTR_NODEV"]' fd="$mnt")"
		expect_json "$(json_line syscall='"move_mount"' source='""' \
			source_dirfd="$mnt" target="\"$B\"" target_dirfd=-100 flags=4 \
			flag_names='["MOVE_MOUNT_F_EMPTY_PATH"]')"
		expect_valid_json
	fi
	ct_done

	# Flag names are kept for the next call with the same flags: a call
	# between without such flags (move_mount has no attr_set) must not lose
	# them for the next one that has them.
	ct_case "mountsnoop [$meth]: --json the same attr_set twice, calls without between"
	if ! traced fsopen; then
		ct_skip "no fsopen(2) tracepoint on this kernel (before 5.2)"
	else
		tool_start mountsnoop -v $JSON
		run_mount unshare newapi tmpfs 1m "$B" newapi tmpfs 1m "$A"
		wait_grep "\"syscall\":\"move_mount\".*\"target\":\"$A\""
		tool_stop
		for m in "$r1 $r4" "$r6 $r9"; do
			set -- $m
			expect_json "$(json_line syscall='"fsmount"' fs_fd="$1" \
				flags=1 flag_names='["FSMOUNT_CLOEXEC"]' attr_set=4 \
				attr_set_names='["MOUNT_ATTR_NODEV"]' fd="$2")"
		done
	fi
	ct_done

	ct_case "mountsnoop [$meth]: bind mount, open_tree clone, fspick, mount_setattr"
	if ! traced open_tree; then
		ct_skip "no open_tree(2) tracepoint on this kernel (before 5.2)"
	else
		tool_start mountsnoop
		run_mount unshare mount "$A" "$B" - 0x1000 - clone "$A" "$B" \
			fspick "$B"
		tree=$r2 pick=$r4
		wait_line "$(mount_line "fspick(AT_FDCWD, \"$B\", FSPICK_CLOEXEC) = $pick")"
		expect_line "$(mount_line "mount(\"$A\", \"$B\", NULL, MS_BIND, NULL) = 0")"
		expect_line "$(mount_line "open_tree(AT_FDCWD, \"$A\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC) = $tree")"
		expect_line "$(mount_line "move_mount($tree, \"\", AT_FDCWD, \"$B\", MOVE_MOUNT_F_EMPTY_PATH) = 0")"
		if traced mount_setattr; then
			run_mount unshare mount "$A" "$B" - 0x1000 - setattr "$B"
			wait_line "$(mount_line "mount_setattr(AT_FDCWD, \"$B\", AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0}) = 0")"
		fi
		tool_stop
	fi
	ct_done

	ct_case "mountsnoop [$meth]: a string not in memory when the call starts is shown"
	tool_start mountsnoop
	run_mount unshare mapped ct-mapped-source "$A"
	wait_line "$(mount_line "mount(\"ct-mapped-source\", \"$A\", \"tmpfs\", 0, NULL) = 0")"
	tool_stop
	ct_done

	ct_case "mountsnoop [$meth]: strings cut at 255 bytes, marked"
	long=$(awk 'BEGIN { while (n++ < 300) printf "s" }')
	cut=$(awk 'BEGIN { while (n++ < 255) printf "s" }')
	tool_start mountsnoop -v $JSON
	run_mount unshare mount "$long" /nonexistent/ct tmpfs 0 -
	wait_grep '"source_truncated":true'
	tool_stop
	expect_json "$(json_line syscall='"mount"' source="\"$cut\"" \
		target='"/nonexistent/ct"' fstype='"tmpfs"' source_truncated=true \
		flags=0 flag_names='[]' err=2 errno='"ENOENT"')"
	ct_done
}

method_cases "$expected"
if [ "$expected" = tracepoints ]; then
	export CT_NO_TASK_PT_REGS=1
	method_cases pairs
	unset CT_NO_TASK_PT_REGS
fi

# bg_tool NAME ARGS...: mountsnoop ARGS in the background, output in
# $CT_TMP/NAME(.err), its PID in $bg_pids; waits until it has attached.
bg_pids=
bg_tool() {
	bg=$CT_TMP/$1
	shift
	"$CT_BIN/mountsnoop" -v "$@" >"$bg" 2>"$bg.err" &
	bg_pids="$bg_pids $!"
	i=0
	until grep -qs attached "$bg.err"; do
		[ $i -lt $((${CT_READY_SECS:-10} * 20)) ] || {
			ct_fail "mountsnoop $* not attached"
			break
		}
		ct_sleep 0.05
		i=$((i + 1))
	done
}

ct_case "mountsnoop: -p, -u and --mntns filter in the kernel"
fifo=$CT_TMP/fifo
mkfifo "$fifo"
"$MOUNT" unshare wait "$fifo" mount none /nonexistent/ct tmpfs 0 - \
	>"$CT_TMP/waiting" &
waiter=$!
until [ -s "$CT_TMP/waiting" ]; do ct_sleep 0.02; done
set -- $(cat "$CT_TMP/waiting")
wpid=$1 wns=$2
bg_tool pid -p "$wpid"
bg_tool mntns --mntns "$wns"
bg_tool root -u 0
bg_tool nobody -u 65534
run_mount unshare mount none /nonexistent/other tmpfs 0 -
run_mount unshare uid 65534 mount none "$A" tmpfs 0 -
echo go >"$fifo"
wait "$waiter"
ct_sleep 0.3
kill -INT $bg_pids
wait $bg_pids || ct_fail "a filtered mountsnoop exited with $?"
want="mount(\"none\", \"/nonexistent/ct\", \"tmpfs\", 0, NULL) = -ENOENT"
for f in pid mntns; do
	grep -Fq "$want" "$CT_TMP/$f" ||
		ct_fail "$f: the waiting process not shown"
	grep -q /nonexistent/other "$CT_TMP/$f" &&
		ct_fail "$f: another process shown"
done
grep -q /nonexistent/other "$CT_TMP/root" || ct_fail "-u 0: root not shown"
grep -Fq "$A" "$CT_TMP/root" && ct_fail "-u 0: nobody shown"
grep -Fxq "$(mount_line "mount(\"none\", \"$A\", \"tmpfs\", 0, NULL) = -EPERM")" \
	"$CT_TMP/nobody" || ct_fail "-u 65534: nobody not shown"
grep -q '/nonexistent/[co]' "$CT_TMP/nobody" && ct_fail "-u 65534: root shown"
ct_done

ct_case "mountsnoop: -c keeps only the cgroup's processes"
if ! ct_make_cgroup mountsnoop; then
	ct_skip "cannot create a cgroup v2 directory"
else
	tool_start mountsnoop -c "$cg"
	set -- $(ct_in_cgroup "$cg" "$MOUNT" unshare mount none /nonexistent/in \
		tmpfs 0 -)
	pid=$1 ns=$2
	wait_line "$(mount_line 'mount("none", "/nonexistent/in", "tmpfs", 0, NULL) = -ENOENT')"
	run_mount unshare mount none /nonexistent/out tmpfs 0 -
	tool_stop
	expect_no_grep /nonexistent/out
fi
ct_done

ct_case "mountsnoop: -T and -t add time columns"
tool_start mountsnoop -T -t
run_mount unshare mount none /nonexistent/ct tmpfs 0 -
wait_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]*\.[0-9]* *ct-mount *$pid .*/nonexistent/ct"
tool_stop
expect_grep '^TIME     TIME(s)  COMM             PID     TID     MNT_NS     CALL$'
ct_done

ct_case "mountsnoop: --fields: the call in --json and --csv, flag names in text"
# The same flags value (2) names MS_NOSUID for mount, MNT_DETACH for
# umount2: each call's own names, also when the last call had that value.
fields_start mountsnoop --fields=syscall,flags,flag_names,call
run_mount unshare mount none "$A" tmpfs 0x2 - umount "$A" 2 \
	mount none "$A" tmpfs 0x2 - umount "$A" 2
call_m="mount(\"none\", \"$A\", \"tmpfs\", MS_NOSUID, NULL) = 0"
call_u="umount2(\"$A\", MNT_DETACH) = 0"
wait_line "$(printf '%-13s %10s %-16s %s' umount2 0x2 MNT_DETACH "$call_u")"
fields_stop
q='\"'
for l in "$(printf '%-13s %10s %-16s %s' mount 0x2 MS_NOSUID "$call_m")" \
	"$(printf '%-13s %10s %-16s %s' umount2 0x2 MNT_DETACH "$call_u")" \
	"{\"syscall\":\"mount\",\"flags\":2,\"flag_names\":[\"MS_NOSUID\"],\"call\":\"mount(${q}none$q, $q$A$q, ${q}tmpfs$q, MS_NOSUID, NULL) = 0\"}" \
	"{\"syscall\":\"umount2\",\"flags\":2,\"flag_names\":[\"MNT_DETACH\"],\"call\":\"umount2($q$A$q, MNT_DETACH) = 0\"}" \
	"mount,2,MS_NOSUID,\"mount(\"\"none\"\", \"\"$A\"\", \"\"tmpfs\"\", MS_NOSUID, NULL) = 0\"" \
	"umount2,2,MNT_DETACH,\"umount2(\"\"$A\"\", MNT_DETACH) = 0\""; do
	n=$(cat "$out" "$CT_TMP/fields.json" "$CT_TMP/fields.csv" |
		grep -Fxc -- "$l")
	[ "$n" = 2 ] || ct_fail "$n lines '$l', expected 2"
done
ct_done

ct_case "mountsnoop: text, --json and --csv of one call agree field by field"
f=time,uid,user,comm,pid,tid,mnt_ns,syscall,source,target,fstype,data,fd,err,errno,flag_names
fields_start mountsnoop --fields=$f
run_mount unshare mount "a,b" /nonexistent/FIELDS1 tmpfs 0x3 'q"x'
fields_stop
expect_grep "^[-0-9T:.]*Z,0,root,ct-mount,$pid,$pid,$ns,mount,\"a,b\",/nonexistent/FIELDS1,tmpfs,\"q\"\"x\",,2,ENOENT,MS_RDONLY MS_NOSUID\$" \
	"$CT_TMP/fields.csv"
# Last: without python3 it skips the case.
fields_agree "$f" target /nonexistent/FIELDS1
ct_done
