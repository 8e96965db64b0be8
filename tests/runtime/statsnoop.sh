# Runtime tests of statsnoop: each stat-family call made directly by the
# ct-stat helper, exact lines while the tool runs. statsnoop reads the
# arguments at the exit tracepoints from the saved registers where the
# kernel has bpf_task_pt_regs(), else with enter/exit tracepoint pairs
# (CT_NO_TASK_PT_REGS=1 forces those): the cases that matter run with each.
. "$(dirname "$0")/lib.sh"
ct_require_root "statsnoop"

# ct-stat under a name of its own (its comm), so that -n sees only this
# run's calls. setpriv runs it as nobody: the directory must let others in.
CT=ct.$$.stat
STAT=$CT_TMP/$CT
cp "$CT_BIN/tests/ct-stat" "$STAT"
chmod 711 "$CT_TMP"
W=$CT_TMP/w
O=$W/sub
mkdir -p "$O"
chmod 755 "$W" "$O"
: >"$W/a.txt"
: >"$O/c.txt"
ln -s a.txt "$W/link"
nl='
'
esc=$(printf '\033')

# stat and lstat are newfstatat(AT_FDCWD) where the kernel has no stat.
SFD=-
case "$(uname -m)" in
aarch64 | riscv64) SFD=CWD ;;
esac

# The text line of one call by ct-stat (no -t/-U/-s/-e).
stat_line() {
	printf '%-7s %-16s %4s %3s %s\n' "$1" "$CT" "$2" "$3" "$4"
}

# Run ct-stat in $W with OPs; $1 becomes its pid, then one result per word.
run_stat() {
	(cd "$W" && "$STAT" "$@") >"$CT_TMP/res"
}

# The number of lines on stdout, header included.
expect_lines() {
	n=$(wc -l <"$out")
	[ "$n" -eq "$1" ] || ct_fail "$n lines on stdout, expected $1"
}

# The method statsnoop -v said it chose: tracepoints (exits alone), pairs.
chosen_method() {
	if grep -q '^statsnoop: stats: using tracepoints syscalls:sys_exit_newstat, newlstat, newfstat, newfstatat, statx, statfs, fstatfs (those that exist), arguments from the registers$' "$err"
	then
		echo tracepoints
	elif grep -q '^statsnoop: stats: using tracepoints syscalls:sys_enter/exit_newstat, newlstat, newfstat, newfstatat, statx, statfs, fstatfs (those that exist)$' "$err"
	then
		echo pairs
	fi
}

has_regs=$(ct_kernel_helper task_pt_regs 5015)
expected=tracepoints
nprogs=7
if [ "$has_regs" = no ]; then
	expected=pairs
	nprogs=14
fi

ct_case "statsnoop: -v says which tracepoints it chose ($expected)"
tool_start statsnoop -v -n "$CT"
tool_stop
expect_status 0
[ "$(chosen_method)" = "$expected" ] ||
	ct_fail "chose '$(chosen_method)', not $expected"
expect_grep "^statsnoop: attached $nprogs programs\$" "$err"
ct_done

ct_case "statsnoop: CT_NO_TASK_PT_REGS=1 chooses the tracepoint pairs"
CT_NO_TASK_PT_REGS=1 tool_start statsnoop -v -n "$CT"
tool_stop
[ "$(chosen_method)" = pairs ] ||
	ct_fail "chose '$(chosen_method)', not the pairs"
expect_grep "^statsnoop: stats: not from the registers: CT_NO_TASK_PT_REGS is set\$" "$err"
expect_grep "^statsnoop: attached 14 programs\$" "$err"
ct_done

# Each program loaded costs start-up time (verified one by one): the exits
# of all calls are one program, attached to each call's sys_exit_*; the
# pairs add an entry program per call.
tp=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events/syscalls" ] && tp=$d/events/syscalls && break
done
n_calls=0
for c in newstat newlstat newfstat newfstatat statx statfs fstatfs; do
	[ -d "$tp/sys_exit_$c" ] && n_calls=$((n_calls + 1))
done
for m in tracepoints pairs; do
	[ $m = pairs ] || [ "$expected" = tracepoints ] || continue
	want=1
	[ $m = tracepoints ] || want=$((n_calls + 1))
	ct_case "statsnoop [$m]: one exit program for the $n_calls calls: programs: $want"
	if [ $m = tracepoints ]; then
		tool_start statsnoop -v -n "$CT"
	else
		CT_NO_TASK_PT_REGS=1 tool_start statsnoop -v -n "$CT"
	fi
	record_bpf_ids
	n_progs=$(grep -c '^prog ' "$ids")
	tool_stop
	expect_status 0
	[ "$(chosen_method)" = $m ] || ct_fail "chose '$(chosen_method)'"
	[ "$n_progs" = "$want" ] ||
		ct_fail "$n_progs BPF programs, expected $want"
	expect_grep "^statsnoop: attached $((want - 1 + n_calls)) programs\$" "$err"
	ct_done
done

task_reads_cases statsnoop

# The cases each method must pass alike, for method $1 (pairs: forced by
# CT_NO_TASK_PT_REGS=1 in the environment, with CT_NO_TASK_BTF=1: the task
# read as kernels without bpf_get_current_task_btf() do); $2 tells the walk
# when it is not the default.
method_cases() {
	m=$1 w=${2:-}
	ct_case "statsnoop [$m$w]: each call, the name as given, while it runs"
	tool_start statsnoop -v -n "$CT"
	run_stat stat a.txt stat missing lstat link fstat a.txt \
		at "$O" c.txt 0 statx - a.txt 0 0x7ff statfs . fstatfs a.txt
	set -- $(cat "$CT_TMP/res")
	pid=$1
	wait_line "$(stat_line "$pid" "$SFD" 0 a.txt)"
	wait_line "$(stat_line "$pid" "$SFD" 2 missing)"
	wait_line "$(stat_line "$pid" "$SFD" 0 link)"
	wait_line "$(stat_line "$pid" "$5" 0 -)"
	wait_line "$(stat_line "$pid" "$7" 0 c.txt)"
	wait_line "$(stat_line "$pid" CWD 0 a.txt)"
	wait_line "$(stat_line "$pid" - 0 .)"
	wait_line "$(stat_line "$pid" "${11}" 0 -)"
	[ "$3" = -2 ] || ct_fail "missing: $3"
	tool_stop
	expect_status 0
	expect_lines 9
	[ "$(chosen_method)" = "$m" ] || ct_fail "chose '$(chosen_method)'"
	ct_done

	ct_case "statsnoop [$m$w]: -F: names in their directory, fds themselves"
	tool_start statsnoop -F -s -n "$CT"
	run_stat stat a.txt at "$O" c.txt 0 at "$O" no.txt 0 fstat a.txt \
		at "$O" "" 0x1000 statx - "" 0x1000 0x7ff fstatfs link \
		stat sub/../a.txt stat /etc/hostname
	set -- $(cat "$CT_TMP/res")
	pid=$1
	f='%-7s %-16s %-10s %4s %3s %s\n'
	sys=stat
	[ "$SFD" = - ] || sys=newfstatat
	wait_line "$(printf "$f" "$pid" "$CT" $sys "$SFD" 0 \
		"$W/a.txt (reconstructed)")"
	wait_line "$(printf "$f" "$pid" "$CT" newfstatat "$3" 0 \
		"$O/c.txt (reconstructed)")"
	wait_line "$(printf "$f" "$pid" "$CT" newfstatat "$5" 2 \
		"$O/no.txt (reconstructed)")"
	wait_line "$(printf "$f" "$pid" "$CT" fstat "$7" 0 "$W/a.txt")"
	wait_line "$(printf "$f" "$pid" "$CT" newfstatat "$9" 0 "$O")"
	wait_line "$(printf "$f" "$pid" "$CT" statx CWD 0 "$W")"
	wait_line "$(printf "$f" "$pid" "$CT" fstatfs "${12}" 0 "$W/a.txt")"
	wait_line "$(printf "$f" "$pid" "$CT" $sys "$SFD" 0 \
		"$W/sub/../a.txt (reconstructed)")"
	wait_line "$(printf "$f" "$pid" "$CT" $sys "$SFD" 0 \
		"/etc/hostname (reconstructed)")"
	tool_stop
	expect_lines 10
	ct_done

	ct_case "statsnoop [$m$w]: -x: only the failed calls"
	tool_start statsnoop -x -n "$CT"
	run_stat stat a.txt stat missing at "$O" no.txt 0 statfs nowhere \
		fstat a.txt
	set -- $(cat "$CT_TMP/res")
	wait_line "$(stat_line "$1" "$SFD" 2 missing)"
	wait_line "$(stat_line "$1" "$4" 2 no.txt)"
	wait_line "$(stat_line "$1" - 2 nowhere)"
	tool_stop
	expect_lines 4
	ct_done
}

method_cases "$expected"
if [ "$expected" = tracepoints ]; then
	# The pairs, the typed task and the loop walk forced off: as 5.10.
	export CT_NO_TASK_PT_REGS=1 CT_NO_TASK_BTF=1 CT_NO_LOOP_WALK=1
	method_cases pairs
	unset CT_NO_TASK_PT_REGS CT_NO_TASK_BTF CT_NO_LOOP_WALK
fi

# The walk in bpf_loop() by helper reads, forced where the kernel has
# bpf_rdonly_cast() (6.2+): there the default runs walked by typed loads,
# and both walks must see the same paths.
has_loop=$(ct_kernel_helper loop 5017)
has_typed=no
[ "$has_loop" = yes ] && has_typed=$(ct_kernel_kfunc rdonly_cast 6002)
if [ "$has_typed" = yes ]; then
	export CT_NO_TYPED_WALK=1
	method_cases "$expected" ", helper reads"
	unset CT_NO_TYPED_WALK
fi

# -F's walk: in bpf_loop() where the kernel has it (the default method's
# cases above), else unrolled (the forced pairs', and 5.10's): the same
# paths either way. The unrolled walk cost each start ~250 ms to verify.
ct_case "statsnoop: -F -v says how the path is walked"
loop="^statsnoop: paths: walked in bpf_loop() by"
for how in "" CT_NO_LOOP_WALK=1 CT_NO_TYPED_WALK=1; do
	env $how "$CT_BIN/statsnoop" -F -v -d 0.2 >"$out" 2>"$err"
	tool_status=$?
	expect_status 0
	if [ "$how" = CT_NO_LOOP_WALK=1 ]; then
		expect_grep "^statsnoop: paths: walked unrolled: CT_NO_LOOP_WALK is set\$" "$err"
	elif [ "$has_loop" = yes ] && [ -n "$how" ]; then
		expect_grep "$loop helper reads: CT_NO_TYPED_WALK is set\$" "$err"
	elif [ "$has_typed" = yes ]; then
		expect_grep "$loop typed loads (kernel BTF ids from " "$err"
	elif [ "$has_loop" = yes ]; then
		expect_grep "$loop helper reads: no bpf_rdonly_cast() in this kernel (6.2+)\$" "$err"
	else
		expect_grep "^statsnoop: paths: walked unrolled: no bpf_loop() in this kernel (5.17+)\$" "$err"
	fi
done
"$CT_BIN/statsnoop" -v -d 0.2 >"$out" 2>"$err"
expect_no_grep "^statsnoop: paths: " "$err"
ct_done

ct_case "statsnoop: -s -e: syscall names, AT_* flags and statx masks"
tool_start statsnoop -s -e -n "$CT"
run_stat at "$O" c.txt 0x100 statx - a.txt 0x4800 0xfff at "$O" c.txt 0 \
	at "$O" c.txt 0x10000 stat a.txt
set -- $(cat "$CT_TMP/res")
f='%-7s %-16s %-10s %4s %3s %-20s %-20s %s\n'
wait_line "$(printf "$f" "$1" "$CT" newfstatat "$2" 0 \
	AT_SYMLINK_NOFOLLOW - c.txt)"
wait_line "$(printf "$f" "$1" "$CT" statx CWD 0 \
	"AT_NO_AUTOMOUNT|AT_STATX_DONT_SYNC" \
	"STATX_BASIC_STATS|STATX_BTIME" a.txt)"
wait_line "$(printf "$f" "$1" "$CT" newfstatat "$5" 0 0 - c.txt)"
wait_line "$(printf "$f" "$1" "$CT" newfstatat "$7" 22 0x10000 - c.txt)"
if [ "$SFD" = - ]; then
	wait_line "$(printf "$f" "$1" "$CT" stat - 0 - - a.txt)"
fi
tool_stop
expect_line "$(printf "$f" PID COMM SYSCALL FD ERR FLAGS MASK PATH)"
ct_done

ct_case "statsnoop: --json: exact objects while it runs"
jf=pid,tid,comm,syscall,fd,err,errno,flags,flag_names,mask,mask_names
jf=$jf,path,full_path,reconstructed,truncated,deleted,unresolved
tool_start statsnoop -v --json -F --fields="$jf" -n "$CT"
run_stat statx "$O" c.txt 0x100 0x201 stat missing fstatfs a.txt
set -- $(cat "$CT_TMP/res")
id="\"pid\":$1,\"tid\":$1,\"comm\":\"$CT\""
sys=stat
[ "$SFD" = - ] || sys=newfstatat
sfd=null
[ "$SFD" = - ] || sfd=-100
sflags=null
[ "$SFD" = - ] || sflags=0
snames=null
[ "$SFD" = - ] || snames='[]'
wait_line "{$id,\"syscall\":\"statx\",\"fd\":$2,\"err\":0,\"errno\":null,\"flags\":256,\"flag_names\":[\"AT_SYMLINK_NOFOLLOW\"],\"mask\":513,\"mask_names\":[\"STATX_TYPE\",\"STATX_SIZE\"],\"path\":\"$O/c.txt\",\"full_path\":true,\"reconstructed\":true,\"truncated\":false,\"deleted\":false,\"unresolved\":false}"
wait_line "{$id,\"syscall\":\"$sys\",\"fd\":$sfd,\"err\":2,\"errno\":\"ENOENT\",\"flags\":$sflags,\"flag_names\":$snames,\"mask\":null,\"mask_names\":null,\"path\":\"$W/missing\",\"full_path\":true,\"reconstructed\":true,\"truncated\":false,\"deleted\":false,\"unresolved\":false}"
wait_line "{$id,\"syscall\":\"fstatfs\",\"fd\":$5,\"err\":0,\"errno\":null,\"flags\":null,\"flag_names\":null,\"mask\":null,\"mask_names\":null,\"path\":\"$W/a.txt\",\"full_path\":true,\"reconstructed\":false,\"truncated\":false,\"deleted\":false,\"unresolved\":false}"
tool_stop
expect_lines 3
ct_done

ct_case "statsnoop: a name with a newline and an escape: escaped, valid JSON"
hostile="q\"${nl}${esc}[31m.txt"
: >"$W/$hostile"
tool_start statsnoop -n "$CT"
run_stat stat "$hostile"
set -- $(cat "$CT_TMP/res")
wait_line "$(stat_line "$1" "$SFD" 0 'q"\n\x1b[31m.txt')"
tool_stop
expect_lines 2
tool_start statsnoop -v --json -n "$CT"
run_stat stat "$hostile"
tool_stop
if ! have_python; then
	ct_skip "python3 is not installed: no JSON parser to check with"
else
	python3 - "$out" "$hostile" "$CT" <<'PY' || ct_fail "JSON check failed"
import json, sys
out, name, comm = sys.argv[1:]
ev = [json.loads(l) for l in open(out, encoding="utf-8")]
assert len(ev) == 1, ev
e = ev[0]
assert e["path"] == name and e["comm"] == comm, e
assert e["uid"] == 0 and e["user"] == "root" and e["time"].endswith("Z")
assert e["err"] == 0 and e["errno"] is None and e["full_path"] is False
PY
fi
ct_done

# ct-stat waits for a line on its stdin (a fifo) before its calls, so that
# its pid is known before the tool starts. run_waiting OPs: in the
# background; go releases it, and its results are in $CT_TMP/wres.
run_waiting() {
	rm -f "$CT_TMP/go"
	mkfifo "$CT_TMP/go"
	(cd "$W" && exec "$STAT" wait "$@") <"$CT_TMP/go" >"$CT_TMP/wres" &
	waiting=$!
	exec 3>"$CT_TMP/go"
}

go() {
	echo go >&3
	exec 3>&-
	wait "$waiting"
}

ct_case "statsnoop: -p and --tid keep only that process or thread"
for opt in -p --tid; do
	run_waiting stat a.txt
	tool_start statsnoop "$opt" "$waiting"
	run_stat stat link
	go
	set -- $(cat "$CT_TMP/wres")
	wait_line "$(stat_line "$1" "$SFD" 0 a.txt)"
	tool_stop
	expect_no_grep "link"
	expect_lines 2
done
ct_done

ct_case "statsnoop: -n keeps only names containing NAME"
cp "$STAT" "$CT_TMP/ct.$$.other"
tool_start statsnoop -n "$CT"
(cd "$W" && "$CT_TMP/ct.$$.other" stat link) >/dev/null
run_stat stat a.txt
set -- $(cat "$CT_TMP/res")
wait_line "$(stat_line "$1" "$SFD" 0 a.txt)"
tool_stop
expect_no_grep "link"
expect_lines 2
ct_done

ct_case "statsnoop: -u by name and number, -U column"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	for who in nobody 65534; do
		tool_start statsnoop -u "$who" -U -n "$CT"
		run_stat stat link
		set -- $(cd "$W" && setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$STAT" stat a.txt)
		wait_line "65534  $(stat_line "$1" "$SFD" 0 a.txt)"
		tool_stop
		expect_line "UID    PID     COMM               FD ERR PATH"
		expect_no_grep "link"
		expect_lines 2
	done
	ct_done
fi

# The clock and the uid cost each call a helper call: read only where
# shown, in any format.
exit_calls() {
	for p in handle_exit handle_exit_walk handle_exit_search; do
		ct_prog_calls $p
	done | grep -cx "$1"
}

ct_case "statsnoop: the time and the uid read only where shown"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
else
	for a in -v -t -U --fields=+user --json --csv; do
		tool_start statsnoop -v $a -n "$CT"
		clock=$(exit_calls bpf_ktime_get_ns)
		uid=$(exit_calls bpf_get_current_uid_gid)
		tool_stop
		case $a in
		-t | --json | --csv) [ "$clock" -gt 0 ] ;;
		*) [ "$clock" = 0 ] ;;
		esac || ct_fail "$a: the exit program reads the clock $clock times"
		case $a in
		-U | --fields=+user | --json | --csv) [ "$uid" -gt 0 ] ;;
		*) [ "$uid" = 0 ] ;;
		esac || ct_fail "$a: the exit program reads the uid $uid times"
	done
fi
ct_done

ct_case "statsnoop: --fields=user by nobody; --json's time is the call's"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	tool_start statsnoop --fields=user,fd,path -n "$CT"
	set -- $(cd "$W" && setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$STAT" stat a.txt)
	wait_grep "^nobody  *$SFD a.txt\$"
	tool_stop
	tool_start statsnoop --json -v -n "$CT"
	before=$(date -u +%s)
	run_stat stat a.txt
	after=$(date -u +%s)
	wait_grep '"path":"a.txt"'
	tool_stop
	t=$(sed -n 's/^{"time":"\([-0-9]*\)T\([0-9:]*\)\.[0-9]*Z".*/\1 \2/p' \
		"$out" | head -1)
	t=$(date -u -d "$t" +%s 2>/dev/null)
	[ -n "$t" ] && [ "$t" -ge "$before" ] && [ "$t" -le "$after" ] ||
		ct_fail "the call's time is not between $before and $after: $(head -c 40 "$out")"
fi
ct_done

ct_case "statsnoop: -c and --cgroup keep only the cgroup's processes"
if ! ct_make_cgroup statsnoop; then
	ct_skip "cannot create a cgroup v2 directory"
else
	for opt in -c --cgroup; do
		tool_start statsnoop "$opt" "$cg" -n "$CT"
		run_stat stat link
		set -- $(cd "$W" && ct_in_cgroup "$cg" "$STAT" stat a.txt)
		wait_line "$(stat_line "$1" "$SFD" 0 a.txt)"
		tool_stop
		expect_no_grep "link"
		expect_lines 2
	done
	ct_done
fi

ct_case "statsnoop: -t adds seconds since start"
tool_start statsnoop -t -n "$CT"
run_stat stat a.txt
set -- $(cat "$CT_TMP/res")
wait_grep "^[0-9]*\.[0-9][0-9][0-9]    $(stat_line "$1" "$SFD" 0 a.txt)\$"
tool_stop
expect_line "TIME(s)  PID     COMM               FD ERR PATH"
ct_done

# The -v summary: "N events sent by the kernel, N received, N lost".
stats() {
	sed -n 's/^statsnoop: \([0-9]*\) events sent by the kernel, \([0-9]*\) received, \([0-9]*\) lost$/\1 \2 \3/p' "$err"
}

has_loop=$(ct_kernel_helper loop 5017)
where="in the kernel"
[ "$has_loop" = yes ] || where="in user space (no bpf_loop)"
# Both walks where the kernel has the typed one (bpf_rdonly_cast(), 6.2+).
for how in "" CT_NO_TYPED_WALK=1; do
	if [ -n "$how" ]; then
		[ "$has_typed" = yes ] || continue
		export CT_NO_TYPED_WALK=1
	fi
	ct_case "statsnoop: --contains keeps the full paths holding it, $where${how:+, $how}"
	tool_start statsnoop -v --contains sub/c -n "$CT"
	run_stat at "$O" c.txt 0 stat a.txt fstat sub/c.txt stat sub/cx stat sub/x
	set -- $(cat "$CT_TMP/res")
	wait_line "$(stat_line "$1" "$2" 0 "$O/c.txt (reconstructed)")"
	wait_line "$(stat_line "$1" "$5" 0 "$O/c.txt")"
	wait_line "$(stat_line "$1" "$SFD" 2 "$W/sub/cx (reconstructed)")"
	tool_stop
	expect_lines 4
	if [ "$has_loop" = yes ]; then
		expect_grep "^statsnoop: --contains: matching in the kernel\$" "$err"
		[ "$(stats)" = "3 3 0" ] || ct_fail "sent/received/lost: $(stats)"
	else
		expect_grep "^statsnoop: --contains: no bpf_loop() in this kernel (5.17+): matching in user space, every call crosses the buffer\$" "$err"
	fi
	ct_done
	unset CT_NO_TYPED_WALK
done

ct_case "statsnoop: a --contains longer than the kernel's: its head there"
long=$(printf '%070d' 0)
: >"$W/$long"
tool_start statsnoop -v --contains "$long" -n "$CT"
run_stat stat a.txt stat "$long" stat "$(printf '%063d' 0)1"
set -- $(cat "$CT_TMP/res")
wait_line "$(stat_line "$1" "$SFD" 0 "$W/$long (reconstructed)")"
tool_stop
expect_lines 2
if [ "$has_loop" = yes ]; then
	expect_grep "^statsnoop: --contains: matching its first 16 bytes in the kernel, the whole in user space\$" "$err"
	# The head alone crosses (user space drops it); a.txt does not.
	expect_grep "^statsnoop: 2 events sent by the kernel, 2 received, 0 lost\$" "$err"
else
	expect_grep "matching in user space, every call crosses" "$err"
fi
ct_done

ct_case "statsnoop: bad input gets one line and status 2"
for args in "-p x" "--tid 0" "-u no_such_user_x" "-n abcdefghijklmnopq" \
	"-c /nonexistent" "--contains=" "-d 0" "--bogus" "extra"; do
	run_tool statsnoop -d 3 $args
	[ "$tool_status" = 2 ] || ct_fail "'$args': status $tool_status"
	[ "$(wc -l <"$err")" -eq 1 ] ||
		ct_fail "'$args': $(wc -l <"$err") lines"
done
ct_done

ct_case "statsnoop: text, --json and --csv of one call agree field by field"
# Not flags, mask and their names (hex, names joined by |: the --json
# case checks those), nor fd (CWD).
f=time,uid,user,pid,tid,comm,syscall,err,errno,full_path,reconstructed
f=$f,truncated,deleted,unresolved,path
fields_start statsnoop --fields=$f -n "$CT"
run_stat statx "$O" c.txt 0x1100 0x7ff
fields_stop
fields_agree "$f" syscall statx
ct_done
