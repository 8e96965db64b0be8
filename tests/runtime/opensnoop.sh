# Runtime tests of opensnoop: real opens by the ct-open helper, exact lines.
# opensnoop attaches with fexit where the kernel can, else with the syscall
# exit tracepoints (CT_NO_FENTRY=1 forces those), else with enter/exit
# tracepoint pairs (CT_NO_TASK_PT_REGS=1 too): the cases that matter most
# run with each method this kernel has, the others with the one it chooses.
. "$(dirname "$0")/lib.sh"
ct_require_root "opensnoop"

# ct-open under a name of its own (its comm), so that -n sees only this
# run's opens, not those of other runs of these tests on the machine. The
# dots keep one such name from containing another. setpriv runs it as
# nobody: the directory must let others in.
CT=ct.$$.open
OPEN=$CT_TMP/$CT
cp "$CT_BIN/tests/ct-open" "$OPEN"
chmod 711 "$CT_TMP"

# The line opensnoop prints for one open by ct-open (no -T/-U/-e).
open_line() {
	printf '%-7s %-16s %4s %3s %s\n' "$1" "$CT" "$2" "$3" "$4"
}

# Run ct-open in $W with OPs; $1 becomes its pid, then one result per word.
run_open() {
	(cd "$W" && "$OPEN" "$@") >"$CT_TMP/res"
}

# The number of lines on stdout, header included.
expect_lines() {
	n=$(wc -l <"$out")
	[ "$n" -eq "$1" ] || ct_fail "$n lines on stdout, expected $1"
}

# The -v summary: "N events sent by the kernel, N received, N lost".
stats() {
	sed -n 's/^opensnoop: \([0-9]*\) events sent by the kernel, \([0-9]*\) received, \([0-9]*\) lost$/\1 \2 \3/p' "$err"
}

# The --json members from "comm" to "path" of one open by ct-open:
# json_open SYSCALL FD ERR ERRNO FLAGS FLAG_NAMES MODE PATH, FLAG_NAMES
# separated by commas (O_WRONLY,O_CREAT).
json_open() {
	printf '"comm":"%s","syscall":"%s","fd":%s,"err":%s,"errno":%s,' \
		"$CT" "$1" "$2" "$3" "$4"
	printf '"flags":%s,"flag_names":[%s],"mode":%s,"path":"%s",' \
		"$5" "$(printf '%s' "$6" | sed 's/[^,][^,]*/"&"/g')" "$7" "$8"
}

# The --json members from "path" on: json_path PATH FULL_PATH RECONSTRUCTED
# TRUNCATED UNRESOLVED (deleted is false).
json_path() {
	printf '"path":"%s","full_path":%s,"reconstructed":%s,' "$1" "$2" "$3"
	printf '"truncated":%s,"deleted":false,"unresolved":%s}' "$4" "$5"
}

# Some line of stdout holds the text.
expect_text() {
	grep -Fq -- "$1" "$out" || ct_fail "no line holds '$1'"
}

# The method opensnoop -v said it chose: fexit, tracepoints (exits alone),
# pairs (enter and exit tracepoints), or nothing.
chosen_method() {
	if grep -q '^opensnoop: opens: using fexit do_sys_openat2$' "$err"; then
		echo fexit
	elif grep -q '^opensnoop: opens: using tracepoints syscalls:sys_exit_open, openat, openat2, creat (those that exist), arguments from the registers$' "$err"
	then
		echo tracepoints
	elif grep -q '^opensnoop: opens: using tracepoints syscalls:sys_enter/exit_open, openat, openat2, creat (those that exist)$' "$err"
	then
		echo pairs
	fi
}

# What this kernel has, from its own symbols (lib.sh), the fentry probe
# checked by features.sh, and the architecture fexit is built for.
has_loop=$(ct_kernel_helper loop 5017)
has_regs=$(ct_kernel_helper task_pt_regs 5015)
has_fexit=no
[ "$(uname -m)" = x86_64 ] &&
	[ "$(ct_kernel_helper get_func_ret 5017)" = yes ] &&
	"$CT_BIN/tests/ct-features" | grep -qx fentry=yes && has_fexit=yes

# The method opensnoop must choose by default here.
expected_method() {
	if [ "$has_regs" = no ]; then
		echo pairs
	elif [ "$has_fexit" = yes ]; then
		echo fexit
	else
		echo tracepoints
	fi
}

# Wait up to 10 s until the command succeeds; fail the case if it does not.
wait_for() {
	i=0
	until "$@"; do
		if [ $i -ge 200 ]; then
			ct_fail "waited 10 s for: $*"
			return 1
		fi
		sleep 0.05
		i=$((i + 1))
	done
}

# Is process $1 ct-open, and asleep (in its open of a fifo)?
ct_open_asleep() {
	[ "$(sed -n 's/^[0-9]* (\(.*\)) \([A-Z]\).*/\1 \2/p' \
		/proc/"$1"/stat 2>/dev/null)" = "$CT S" ]
}

# ct-open OP fifo (signal or eintr) in $W, sent a SIGUSR1 while its open
# waits for a writer; once it has handled it, a writer comes. Its results
# go to $CT_TMP/res. interrupt_open OP [COMMAND...]: COMMAND (a setpriv
# and its options) execs ct-open.
interrupt_open() {
	op=$1
	shift
	rm -f "$W/fifo" "$CT_TMP/sig"
	mkfifo "$W/fifo"
	(cd "$W" && exec "$@" "$OPEN" "$op" fifo) >"$CT_TMP/res" \
		2>"$CT_TMP/sig" &
	reader=$!
	if wait_for ct_open_asleep "$reader" && kill -USR1 "$reader" &&
		wait_for grep -q signal "$CT_TMP/sig"; then
		# A writer waits for a reader: none after EINTR.
		[ "$op" = eintr ] || : >"$W/fifo"
	else
		kill "$reader"
	fi
	wait "$reader"
}

# A work directory whose real path names no ".bin" of its own.
W=$(mkdir "$CT_TMP/w" && cd "$CT_TMP/w" && pwd -P)
O=$W/other
mkdir "$W/sub" "$O"
: >"$W/a.bin"
: >"$W/b.txt"
: >"$W/ur.bin"
: >"$W/ur.txt"
: >"$O/c.bin"
ln -s other/c.bin "$W/link.bin"
case $W in *.bin*) echo "work directory $W names .bin" >&2; exit 1 ;; esac

nl='
'
esc=$(printf '\033')

# A run of $2 copies of the character $1.
repeat() {
	printf "%${2}s" "" | tr ' ' "$1"
}

# The path with its first component replaced by "...", as -F shows a path
# whose beginning did not fit.
head_cut() {
	rest=${1#/}
	echo ".../${rest#*/}"
}

# Paths with 63, 64 and 65 components: -F walks 64 at most.
for n in 63 64 65; do
	p=$W/n$n
	while [ "$(printf '%s' "$p" | tr -cd / | wc -c)" -lt $((n - 1)) ]; do
		p=$p/d
	done
	mkdir -p "$p" && : >"$p/f"
	eval "deep$n=\$p/f"
done

# Paths of 4095, 4096 and 4097 bytes: -F keeps 4096. Made from $W with
# relative names, the longer ones being too long for a system call.
for n in 4095 4096 4097; do
	p=b$n
	while [ $((${#W} + ${#p} + 213)) -lt "$n" ]; do
		p=$p/$(repeat s 200)
	done
	p=$p/$(repeat f $((n - ${#W} - ${#p} - 2)))
	(cd "$W" && mkdir -p "${p%/*}" && : >"$p")
	eval "long$n=\$p"
done

# Names of 4094 and 4095 bytes, where nothing is: the whole of a failed
# open's name fits in 4094 (the kernel takes 4095).
name4094=
while [ ${#name4094} -lt 3800 ]; do
	name4094=$name4094$(repeat z 200)/
done
name4094=$name4094$(repeat z $((4094 - ${#name4094})))
name4095=${name4094}z

want=$(expected_method)
ct_case "opensnoop: -v names the method chosen (expected: $want)"
tool_start opensnoop -v -n "$CT"
tool_stop
expect_status 0
default=$(chosen_method)
[ -n "$default" ] || ct_fail "no 'opens: using' line"
[ "$default" = "$want" ] || ct_fail "chose $default, expected $want"
[ "$default" = fexit ] || expect_grep "^opensnoop: opens: no fexit: " "$err"
ct_done

ct_case "opensnoop: CT_NO_TASK_PT_REGS=1 CT_NO_FENTRY=1 choose the pairs"
CT_NO_TASK_PT_REGS=1 CT_NO_FENTRY=1 tool_start opensnoop -v -n "$CT"
tool_stop
expect_status 0
[ "$(chosen_method)" = pairs ] ||
	ct_fail "chose '$(chosen_method)', not the tracepoint pairs"
expect_grep "^opensnoop: opens: not from the registers: CT_NO_TASK_PT_REGS is set\$" "$err"
# Four pairs at most, and signal:signal_deliver.
expect_grep "^opensnoop: attached [1-9] programs\$" "$err"
ct_done

ct_case "opensnoop: CT_NO_FENTRY=1 chooses the tracepoints"
if [ "$has_regs" = no ]; then
	ct_skip "no bpf_task_pt_regs() in this kernel: pairs (asserted above)"
else
	CT_NO_FENTRY=1 tool_start opensnoop -v -n "$CT"
	tool_stop
	expect_status 0
	[ "$(chosen_method)" = tracepoints ] ||
		ct_fail "chose '$(chosen_method)', not the tracepoints"
	expect_grep "^opensnoop: opens: no fexit: CT_NO_FENTRY is set\$" "$err"
	ct_done
fi

task_reads_cases opensnoop

# The cases each method must pass alike, for method $1; $2 tells the walk
# when it is not the default.
method_cases() {
	m=$1 w=${2:-}
	ct_case "opensnoop [$m$w]: -F --contains .bin: exactly the .bin opens"
	tool_start opensnoop --full-path --contains .bin -n "$CT"
	run_open open ./a.bin open sub/../b.txt openat "$O" c.bin \
		open missing.txt
	set -- $(cat "$CT_TMP/res")
	pid=$1 fa=$2 fc=$5 fm=$6
	tool_stop
	expect_status 0
	expect_line "PID     COMM               FD ERR PATH"
	expect_line "$(open_line "$pid" "$fa" 0 "$W/a.bin")"
	expect_line "$(open_line "$pid" "$fc" 0 "$O/c.bin")"
	expect_lines 3
	[ "$fm" = -2 ] || ct_fail "missing.txt opened: $fm"
	ct_done

	# The search reads the path a word at a time: the needle ends at
	# each of the 8 offsets in a word, and x's before it are near-misses.
	ct_case "opensnoop [$m$w]: --contains at every offset of a word"
	tool_start opensnoop --contains xxyz.n -n "$CT"
	set --
	for k in 0 1 2 3 4 5 6 7 8; do
		q=$(printf "%${k}s" "" | tr ' ' q)
		: >"$W/${q}xxyz.n"
		: >"$W/${q}xxy.n"
		set -- "$@" open "${q}xxyz.n" open "${q}xxy.n"
	done
	: >"$W/xxxyz.n"
	: >"$W/xyz.n"
	run_open "$@" open xxxyz.n open xyz.n
	set -- $(cat "$CT_TMP/res")
	pid=$1
	tool_stop
	expect_status 0
	shift
	for k in 0 1 2 3 4 5 6 7 8; do
		q=$(printf "%${k}s" "" | tr ' ' q)
		expect_line "$(open_line "$pid" "$1" 0 "$W/${q}xxyz.n")"
		shift 2
	done
	expect_line "$(open_line "$pid" "$1" 0 "$W/xxxyz.n")"
	expect_lines 11
	ct_done

	# The search looks for the needle's first byte a block of 4 words at
	# a time, then word by word from the first block holding it: the
	# needle at each offset across the ends of blocks (k), alone and
	# after an = that starts no match (in "=d"); near-misses end in .m.
	ct_case "opensnoop [$m$w]: --contains across the search's blocks"
	mkdir -p "$W/=d"
	tool_start opensnoop --contains =xyz.n -n "$CT"
	set --
	for k in $(seq 0 40); do
		q=$(printf "%${k}s" "" | tr ' ' q)
		for d in . =d; do
			: >"$W/$d/$q=xyz.n"
			: >"$W/$d/$q=xyz.m"
			set -- "$@" open "$d/$q=xyz.n" open "$d/$q=xyz.m"
		done
	done
	run_open "$@"
	set -- $(cat "$CT_TMP/res")
	pid=$1
	tool_stop
	expect_status 0
	shift
	for k in $(seq 0 40); do
		q=$(printf "%${k}s" "" | tr ' ' q)
		expect_line "$(open_line "$pid" "$1" 0 "$W/$q=xyz.n")"
		expect_line "$(open_line "$pid" "$3" 0 "$W/=d/$q=xyz.n")"
		shift 4
	done
	expect_lines 83
	ct_done

	# An open that blocked before the tool attached: its exit tracepoint
	# still fires, with the arguments in the registers: shown whole. The
	# pairs missed its entry; fexit runs for calls made after attaching.
	ct_case "opensnoop [$m$w]: an open already waiting when it starts"
	rm -f "$W/fifo"
	mkfifo "$W/fifo"
	(cd "$W" && exec "$OPEN" open fifo) >"$CT_TMP/res" &
	reader=$!
	until [ "$(sed -n 's/^[0-9]* (\(.*\)) \([A-Z]\).*/\1 \2/p' \
		/proc/$reader/stat 2>/dev/null)" = "$CT S" ]; do
		sleep 0.05
	done
	tool_start opensnoop -n "$CT"
	: >"$W/fifo"
	wait "$reader"
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_status 0
	if [ "$m" = tracepoints ]; then
		expect_line "$(open_line "$1" "$2" 0 fifo)"
		expect_lines 2
	else
		expect_lines 1
	fi
	ct_done

	ct_case "opensnoop [$m$w]: -x: the failed open, ERR 2, reconstructed path"
	tool_start opensnoop --full-path -x -n "$CT"
	run_open open ./a.bin open sub/../b.txt openat "$O" c.bin \
		open missing.txt
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" -1 2 "$W/missing.txt (reconstructed)")"
	expect_lines 2
	ct_done

	ct_case "opensnoop [$m$w]: -F resolves .., dirfds and symlinks"
	tool_start opensnoop -F -n "$CT"
	run_open open sub/../b.txt openat "$O" c.bin open link.bin \
		openat "$O" no.bin
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" "$2" 0 "$W/b.txt")"
	expect_line "$(open_line "$1" "$3" 0 "$O")"
	expect_line "$(open_line "$1" "$4" 0 "$O/c.bin")"
	expect_line "$(open_line "$1" "$5" 0 "$O/c.bin")"
	expect_line "$(open_line "$1" -1 2 "$O/no.bin (reconstructed)")"
	ct_done

	# -F reads a file's arguments only once its path is built: each
	# call's flags and mode are still the caller's.
	ct_case "opensnoop [$m$w]: -F --json: each syscall's flags and mode"
	tool_start opensnoop -F --json -v -n "$CT"
	run_open open a.bin openat "$O" c.bin openat2 b.txt creat new6
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_text "$(json_open open "$2" 0 null 0 O_RDONLY null "$W/a.bin")"
	expect_text "$(json_open openat "$4" 0 null 0 O_RDONLY null "$O/c.bin")"
	expect_text "$(json_open openat2 "$5" 0 null 524288 \
		O_RDONLY,O_CLOEXEC null "$W/b.txt")"
	expect_text "$(json_open creat "$6" 0 null 577 \
		O_WRONLY,O_CREAT,O_TRUNC 384 "$W/new6")"
	expect_lines 5
	ct_done

	# --contains reads a successful open's arguments only once the path
	# of its new fd has matched: each call's flags and mode are still the
	# caller's, a failed open's path still has its name.
	ct_case "opensnoop [$m$w]: --contains --json: each syscall's flags and mode"
	: >"$W/a.late" && : >"$W/b.late" && : >"$O/c.late"
	tool_start opensnoop --contains .late --json -v -n "$CT"
	run_open open a.late openat "$O" c.late openat2 b.late creat n.late \
		open no.late open a.bin
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_status 0
	expect_text "$(json_open open "$2" 0 null 0 O_RDONLY null "$W/a.late")"
	expect_text "$(json_open openat "$4" 0 null 0 O_RDONLY null \
		"$O/c.late")"
	expect_text "$(json_open openat2 "$5" 0 null 524288 \
		O_RDONLY,O_CLOEXEC null "$W/b.late")"
	expect_text "$(json_open creat "$6" 0 null 577 \
		O_WRONLY,O_CREAT,O_TRUNC 384 "$W/n.late")"
	expect_text "$(json_open open null 2 '"ENOENT"' 0 O_RDONLY null \
		"$W/no.late")"
	expect_lines 5
	ct_done

	# What needs the arguments before the search: -f (the flags), and a
	# new fd whose file has no path (a pipe's: the name as given).
	ct_case "opensnoop [$m$w]: --contains with -f, and a pipe's name"
	tool_start opensnoop --contains .late -f O_WRONLY -e -n "$CT"
	run_open open a.late create n2.late openat2 b.late
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_status 0
	expect_line "$(open_line "$1" "$3" 0 "$(printf '%08o' 577) $W/n2.late")"
	expect_lines 2
	tool_start opensnoop --contains /self/fd/ -n "$CT"
	echo | run_open open /proc/self/fd/0 open a.late
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_status 0
	expect_line "$(open_line "$1" "$2" 0 "/proc/self/fd/0 (reconstructed)")"
	expect_lines 2
	ct_done

	# A name shorter than the dentry's own room for it (40 bytes since
	# 6.14, 32 before) is copied from the dentry, a longer one read where
	# it is; a mount is crossed; a pipe has no path: its name as given.
	ct_case "opensnoop [$m$w]: -F: names of 1 to 255 bytes, a mount, a pipe"
	t=$W/mnt
	mkdir -p "$t" && mount -t tmpfs ct-open "$t" ||
		ct_fail "cannot mount a tmpfs on $t"
	t=$t/a/$(repeat i 31)/$(repeat j 32)/$(repeat k 39)/$(repeat l 40)
	t=$t/$(repeat m 41)/$(repeat n 255)
	mkdir -p "$t" && : >"$t/$(repeat o 39)" && : >"$t/$(repeat p 40)"
	tool_start opensnoop -F -n "$CT"
	echo | run_open open "$t/$(repeat o 39)" open "$t/$(repeat p 40)" \
		open "$t" open /proc/self/fd/0
	set -- $(cat "$CT_TMP/res")
	tool_stop
	umount "$W/mnt"
	expect_line "$(open_line "$1" "$2" 0 "$t/$(repeat o 39)")"
	expect_line "$(open_line "$1" "$3" 0 "$t/$(repeat p 40)")"
	expect_line "$(open_line "$1" "$4" 0 "$t")"
	expect_line "$(open_line "$1" "$5" 0 "/proc/self/fd/0 (reconstructed)")"
	expect_lines 5
	ct_done

	ct_case "opensnoop [$m$w]: without -F, paths as the caller gave them"
	tool_start opensnoop -n "$CT"
	run_open open sub/../b.txt openat "$O" c.bin open missing.txt
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" "$2" 0 "sub/../b.txt")"
	expect_line "$(open_line "$1" "$4" 0 "c.bin")"
	expect_line "$(open_line "$1" -1 2 "missing.txt")"
	ct_done

	ct_case "opensnoop [$m$w]: -f O_CREAT keeps creating opens, -e: FLAGS"
	tool_start opensnoop -f O_CREAT -e -n "$CT"
	run_open create new1 open a.bin creat new2
	set -- $(cat "$CT_TMP/res")
	tool_stop
	flags=$(printf '%08o' 577)	# O_WRONLY|O_CREAT|O_TRUNC (01101)
	expect_line "PID     COMM               FD ERR FLAGS    PATH"
	expect_line "$(open_line "$1" "$2" 0 "$flags new1")"
	expect_line "$(open_line "$1" "$4" 0 "$flags new2")"
	expect_lines 3
	ct_done

	ct_case "opensnoop [$m$w]: -f O_RDWR -f wronly (any of), --flag-names"
	tool_start opensnoop -f O_RDWR -f wronly --flag-names -n "$CT"
	run_open tmpfile . open a.bin openat2 b.txt create new3
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" "$2" 0 \
		"$(printf '%-24s %s' 'O_RDWR|O_TMPFILE' .)")"
	expect_line "$(open_line "$1" "$5" 0 \
		"$(printf '%-24s %s' 'O_WRONLY|O_CREAT|O_TRUNC' new3)")"
	expect_lines 3
	ct_done

	ct_case "opensnoop [$m$w]: -p and -t keep only that process and thread"
	for opt in -p -t; do
		rm -f "$CT_TMP/go"
		mkfifo "$CT_TMP/go"
		(cd "$W" && exec "$OPEN" open a.bin) <"$CT_TMP/go" \
			>"$CT_TMP/res" &
		target=$!
		tool_start opensnoop "$opt" "$target"
		run_open open b.txt
		other=$(head -1 "$CT_TMP/res")
		# Opening the fifo lets ct-open start; writing to it could
		# meet a reader that has already exited (SIGPIPE).
		: >"$CT_TMP/go"
		wait "$target"
		set -- $(cat "$CT_TMP/res")
		tool_stop
		expect_line "$(open_line "$target" "$2" 0 a.bin)"
		expect_no_grep "b.txt"
		[ "$1" = "$target" ] ||
			ct_fail "$opt: ct-open ran as $1, not $target"
		[ "$other" != "$target" ] || ct_fail "same pid twice"
	done
	ct_done

	ct_case "opensnoop [$m$w]: io_uring opens are not open system calls"
	tool_start opensnoop -F --contains "$W/ur"
	run_open uring ur.bin open ur.txt
	set -- $(cat "$CT_TMP/res")
	tool_stop
	if [ "$2" -lt 0 ]; then
		ct_skip "no io_uring here: $2"
	else
		expect_line "$(open_line "$1" "$3" 0 "$W/ur.txt")"
		expect_no_grep "ur\.bin"
		expect_lines 2
	fi
	ct_done

	# A tracepoint run writes the cache; fexit must load with it too.
	ct_case "opensnoop [$m$w]: loads with the cached kernel types"
	C=$CT_TMP/types-$m${w:+-2}
	mkdir -m 700 "$C"
	CT_BTF_CACHE_DIR=$C CT_NO_FENTRY=1 run_tool opensnoop -d 0.2
	CT_BTF_CACHE_DIR=$C tool_start opensnoop -v -n "$CT"
	run_open open a.bin
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_status 0
	expect_grep "^opensnoop: kernel types: $C/opensnoop-.*\.btf\$" "$err"
	[ "$(chosen_method)" = "$m" ] || ct_fail "chose '$(chosen_method)'"
	expect_line "$(open_line "$1" "$2" 0 a.bin)"
	ct_done

	ct_case "opensnoop [$m$w]: --json names each syscall, with flags and mode"
	tool_start opensnoop --json -v -n "$CT"
	run_open open a.bin openat "$O" c.bin openat2 b.txt creat new5 \
		open missing.txt
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_text "$(json_open open "$2" 0 null 0 O_RDONLY null a.bin)"
	expect_text "$(json_open openat "$4" 0 null 0 O_RDONLY null c.bin)"
	expect_text "$(json_open openat2 "$5" 0 null 524288 \
		O_RDONLY,O_CLOEXEC null b.txt)"
	expect_text "$(json_open creat "$6" 0 null 577 \
		O_WRONLY,O_CREAT,O_TRUNC 384 new5)"
	expect_text "$(json_open open null 2 '"ENOENT"' 0 O_RDONLY null \
		missing.txt)"
	# The five, and openat's own open of the directory.
	expect_lines 6
	ct_done

	ct_case "opensnoop [$m$w]: -F: 63 and 64 components whole, 65 cut"
	tool_start opensnoop -F -n "$CT"
	run_open open "$deep63" open "$deep64" open "$deep65"
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" "$2" 0 "$deep63")"
	expect_line "$(open_line "$1" "$3" 0 "$deep64")"
	expect_line "$(open_line "$1" "$4" 0 "$(head_cut "$deep65")")"
	expect_lines 4
	tool_start opensnoop -F --json -v -n "$CT"
	run_open open "$deep64" open "$deep65"
	tool_stop
	expect_text "$(json_path "$deep64" true false false false)"
	w=$(head_cut "$deep65")
	expect_text "$(json_path "${w#...}" false false true false)"
	expect_lines 2
	ct_done

	# Counting the mounts $W is on already; a cut path starts at the root
	# of the first mount not crossed.
	ct_case "opensnoop [$m$w]: -F: 16 mounts crossed whole, 17 cut"
	set -- $(awk -v w="$W/" '$2 != "/" && index(w, $2 "/") == 1 {
		n++; if (!top || length($2) < length(top)) top = $2 }
		END { print n + 0, top }' /proc/self/mounts)
	base=$1 top=${2:-$W/mounts/m}
	if [ "$base" -ge 16 ]; then
		ct_skip "$W is on $base mounts already"
	else
		mounts=$W/mounts
		t=$mounts
		i=0
		while [ $i -lt $((17 - base)) ]; do
			t=$t/m
			mkdir -p "$t" && mount -t tmpfs ct-open "$t" ||
				ct_fail "cannot mount a tmpfs on $t"
			i=$((i + 1))
		done
		: >"${t%/m}/f" && : >"$t/f"
		tool_start opensnoop -F -n "$CT"
		run_open open "${t%/m}/f" open "$t/f"
		set -- $(cat "$CT_TMP/res")
		tool_stop
		whole=${t%/m}/f cut=...${t#$top}/f
		while [ "$t" != "$mounts" ]; do
			umount "$t"
			t=${t%/m}
		done
		expect_line "$(open_line "$1" "$2" 0 "$whole")"
		expect_line "$(open_line "$1" "$3" 0 "$cut")"
		expect_lines 3
		ct_done
	fi

	ct_case "opensnoop [$m$w]: -F: 4095 and 4096 bytes whole, 4097 cut"
	tool_start opensnoop -F -n "$CT"
	run_open open "$long4095" open "$long4096" open "$long4097"
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" "$2" 0 "$W/$long4095")"
	expect_line "$(open_line "$1" "$3" 0 "$W/$long4096")"
	expect_line "$(open_line "$1" "$4" 0 "$(head_cut "$W/$long4097")")"
	expect_lines 4
	tool_start opensnoop -F --json -v -n "$CT"
	run_open open "$long4096" open "$long4097"
	tool_stop
	expect_text "$(json_path "$W/$long4096" true false false false)"
	w=$(head_cut "$W/$long4097")
	expect_text "$(json_path "${w#...}" false false true false)"
	expect_lines 2
	ct_done

	ct_case "opensnoop [$m$w]: -F -x: failed names of 4094 bytes whole, 4095 cut"
	tool_start opensnoop -F -x -n "$CT"
	run_open open "$name4094" open "$name4095"
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_line "$(open_line "$1" -1 2 "$W/$name4094 (reconstructed)")"
	expect_line "$(open_line "$1" -1 2 "$W/$name4094... (reconstructed)")"
	expect_lines 3
	tool_start opensnoop -F -x --json -v -n "$CT"
	run_open open "$name4094" open "$name4095"
	tool_stop
	expect_text "$(json_path "$W/$name4094" true true false false)"
	expect_text "$(json_path "$W/$name4094" true true true false)"
	expect_lines 2
	ct_done

	# A bad dirfd, an empty name, an unreadable one: no directory to
	# put the name in, so none is made up.
	ct_case "opensnoop [$m$w]: -F: EBADF, empty name, EFAULT: as given, unresolved"
	tool_start opensnoop -F -x -n "$CT"
	run_open openfd 987 rel.bin open "" efault
	set -- $(cat "$CT_TMP/res")
	tool_stop
	[ "$2 $3 $4" = "-9 -2 -14" ] || ct_fail "ct-open got $2 $3 $4"
	expect_line "$(open_line "$1" -1 9 "rel.bin (unresolved)")"
	expect_line "$(open_line "$1" -1 2 " (unresolved)")"
	expect_line "$(open_line "$1" -1 14 " (unresolved)")"
	expect_lines 4
	tool_start opensnoop -F -x --json -v -n "$CT"
	run_open openfd 987 rel.bin open "" efault
	tool_stop
	expect_text '"err":9,"errno":"EBADF",'
	expect_text "$(json_path rel.bin false false false true)"
	expect_text '"err":2,"errno":"ENOENT",'
	expect_text '"err":14,"errno":"EFAULT",'
	[ "$(grep -c "$(json_path "" false false false true)" "$out")" = 2 ] ||
		ct_fail "not two empty unresolved paths"
	expect_lines 3
	ct_done

	# SIGUSR1 interrupts ct-open's open of a fifo without a writer: the
	# kernel makes the call again (SA_RESTART), and the writer lets it
	# finish; without SA_RESTART, it fails with EINTR.
	for op in signal eintr; do
		ct_case "opensnoop [$m$w]: an open interrupted by a signal ($op): once, its result"
		tool_start opensnoop -n "$CT"
		interrupt_open "$op"
		set -- $(cat "$CT_TMP/res")
		tool_stop
		[ "$3" = 1 ] || ct_fail "ct-open handled '$3' signals, not 1"
		if [ "$op" = signal ]; then
			expect_line "$(open_line "$1" "$2" 0 fifo)"
		else
			[ "$2" = -4 ] || ct_fail "ct-open's open returned $2"
			expect_line "$(open_line "$1" -1 4 fifo)"
		fi
		expect_lines 2
		ct_done
	done

	# The program that sends it reads the task its own way (helper
	# calls): the same user and full path as every other open.
	ct_case "opensnoop [$m$w]: -F -U, --json: an open a signal interrupts, by nobody"
	if [ ! -x /usr/bin/setpriv ]; then
		ct_skip "util-linux's setpriv is not installed"
	else
		for fmt in text json; do
			f=-U
			[ $fmt = text ] || f=--json
			tool_start opensnoop -F -v "$f" -n "$CT"
			interrupt_open eintr /usr/bin/setpriv --reuid=65534 \
				--regid=65534 --clear-groups
			set -- $(cat "$CT_TMP/res")
			tool_stop
			expect_status 0
			[ "$2" = -4 ] || ct_fail "ct-open's open returned $2"
			if [ $fmt = text ]; then
				expect_line "UID    PID     COMM               FD ERR PATH"
				expect_line "65534  $(open_line "$1" -1 4 "$W/fifo (reconstructed)")"
				expect_lines 2
				continue
			fi
			who='"uid":65534,"user":"nobody"'
			expect_text "\"pid\":$1,\"tid\":$1,$who,\"comm\":\"$CT\","
			what='"fd":null,"err":4,"errno":"EINTR","flags":0,'
			what=$what'"flag_names":["O_RDONLY"],"mode":null,'
			expect_text "$what$(json_path "$W/fifo" true true false false)"
			expect_lines 1
		done
	fi
	ct_done
}

# Every method this kernel has: fexit and, forced by CT_NO_FENTRY=1, the
# exit tracepoints; then, forced by CT_NO_TASK_PT_REGS=1 too, the pairs,
# reading the task as kernels without bpf_get_current_task_btf() do.
method_cases "$default"
export CT_NO_FENTRY=1
[ "$default" = fexit ] && method_cases tracepoints
export CT_NO_TASK_PT_REGS=1 CT_NO_TASK_BTF=1 CT_NO_LOOP_WALK=1
[ "$default" = pairs ] || method_cases pairs

# The pairs keep each open from its entry to its exit in a map: an open
# that finds it full is lost, and counted as such. Two opens wait at
# once for its one entry (which another process's open may hold too).
ct_case "opensnoop [pairs]: a full map: the opens it could not follow are lost events"
rm -f "$W/fifo1" "$W/fifo2"
mkfifo "$W/fifo1" "$W/fifo2"
CT_MAP_ENTRIES=starts=1 tool_start opensnoop -n "$CT"
(cd "$W" && exec "$OPEN" open fifo1) >/dev/null &
r1=$!
(cd "$W" && exec "$OPEN" open fifo2) >/dev/null &
r2=$!
if wait_for ct_open_asleep "$r1" && wait_for ct_open_asleep "$r2"; then
	# A writer waits for a reader: only once both wait.
	: >"$W/fifo1"
	: >"$W/fifo2"
else
	kill "$r1" "$r2"
fi
wait "$r1" "$r2"
tool_stop
expect_status 0
expect_grep '^opensnoop: lost [1-9][0-9]* events in total$' "$err"
[ "$(grep -c " fifo[12]\$" "$out")" -le 1 ] ||
	ct_fail "both opens shown, with room for one"
ct_done
unset CT_NO_FENTRY CT_NO_TASK_PT_REGS CT_NO_TASK_BTF CT_NO_LOOP_WALK

# The default method's walk in bpf_loop() by helper reads, forced where the
# kernel has bpf_rdonly_cast() (6.2+): there the runs above walked by
# typed loads, and both walks must see the same paths.
has_typed=no
[ "$has_loop" = yes ] && has_typed=$(ct_kernel_kfunc rdonly_cast 6002)
if [ "$has_typed" = yes ]; then
	export CT_NO_TYPED_WALK=1
	method_cases "$default" ", helper reads"
	unset CT_NO_TYPED_WALK
fi

# -F's walk: in bpf_loop() where the kernel has it (the methods above but
# the forced pairs), else unrolled (the forced pairs, as 5.10's).
ct_case "opensnoop: -F -v says how the path is walked"
tool_start opensnoop -F -v -n "$CT"
tool_stop
expect_status 0
typed="^opensnoop: paths: walked in bpf_loop() by typed loads (kernel BTF ids from "
helper="^opensnoop: paths: walked in bpf_loop() by helper reads: "
if [ "$has_typed" = yes ]; then
	expect_grep "$typed" "$err"
	expect_grep "^opensnoop: [a-z_]*: [0-9]* calls of bpf_rdonly_cast(), kernel BTF id [1-9][0-9]*\$" "$err"
elif [ "$has_loop" = yes ]; then
	why="no bpf_rdonly_cast() in this kernel (6.2+)"
	expect_grep "$helper$why\$" "$err"
else
	why="no bpf_loop() in this kernel (5.17+)"
	expect_grep "^opensnoop: paths: walked unrolled: $why\$" "$err"
fi
CT_NO_LOOP_WALK=1 tool_start opensnoop -F -v -n "$CT"
tool_stop
expect_status 0
if [ "$has_loop" = yes ]; then
	why="CT_NO_LOOP_WALK is set"
	expect_grep "^opensnoop: paths: walked unrolled: $why\$" "$err"
fi
expect_no_grep "walked in bpf_loop" "$err"
if [ "$has_loop" = yes ]; then
	CT_NO_TYPED_WALK=1 tool_start opensnoop -F -v -n "$CT"
	tool_stop
	expect_status 0
	expect_grep "${helper}CT_NO_TYPED_WALK is set\$" "$err"
	expect_no_grep "bpf_rdonly_cast" "$err"
fi
tool_start opensnoop -v -n "$CT"
tool_stop
expect_no_grep "^opensnoop: paths: " "$err"
ct_done

# The kernel's BTF ids the typed walk casts with come from the type cache:
# a file written by a run that needed none (no -F) learns them, by one
# pass over the kernel's BTF, once. Ids that lie (a function that is not
# bpf_rdonly_cast(), a type that is no struct, or another struct) make the
# verifier refuse the walk: one -v line, the walk by helper reads, the
# right paths, and the file written anew.
ct_case "opensnoop: -F: the typed walk's kernel BTF ids, from the type cache"
if [ "$has_typed" != yes ]; then
	ct_skip "no bpf_rdonly_cast() in this kernel (6.2+)"
elif ! have_python; then
	ct_skip "no python3 to write a lying type cache"
else
	C=$CT_TMP/types-ids
	mkdir -m 700 "$C"
	CT_BTF_CACHE_DIR=$C run_tool opensnoop -d 0.2
	expect_status 0
	CT_BTF_CACHE_DIR=$C run_tool opensnoop -F -vv -d 0.2
	expect_status 0
	expect_grep "^opensnoop: kernel types: $C/opensnoop-.*\.btf\$" "$err"
	expect_grep "^opensnoop: kernel types: a pass over /sys/kernel/btf/vmlinux\$" "$err"
	expect_grep "${typed}/sys/kernel/btf/vmlinux)\$" "$err"
	expect_grep "^opensnoop: kernel types: this run's new facts kept in " "$err"
	CT_BTF_CACHE_DIR=$C run_tool opensnoop -F -vv -d 0.2
	expect_status 0
	expect_no_grep "a pass over" "$err"
	expect_no_grep "new facts" "$err"
	expect_grep "${typed}the type cache)\$" "$err"
	# A type of another name is refused too where the verifier finds a
	# load that does not fit its fields (dentry's as files_struct's). One whose
	# fields fit would be read as the cache says, as its field offsets
	# are: the file is trusted as the user's own.
	for lie in bpf_rdonly_cast=1 dentry=1 mount=1 files_struct=1 \
	    dentry=@files_struct; do
		ct_btf_cache_set_id "$C"/opensnoop-*.btf "${lie%=*}" \
			"${lie#*=}" || ct_fail "no id of ${lie%=*} in the cache"
		CT_BTF_CACHE_DIR=$C tool_start opensnoop -F -v -n "$CT"
		run_open open a.bin open ./sub/../b.txt
		set -- $(cat "$CT_TMP/res")
		tool_stop
		expect_status 0
		expect_grep "${typed}the type cache)\$" "$err"
		expect_grep "^opensnoop: paths: the kernel refused the walk by typed loads: walked in bpf_loop() by helper reads\$" "$err"
		expect_grep "^opensnoop: kernel types: wrote $C/opensnoop-" "$err"
		expect_line "$(open_line "$1" "$2" 0 "$W/a.bin")"
		expect_line "$(open_line "$1" "$3" 0 "$W/b.txt")"
		expect_lines 3
		CT_BTF_CACHE_DIR=$C run_tool opensnoop -F -v -d 0.2
		expect_grep "${typed}the type cache)\$" "$err"
		expect_no_grep "refused" "$err"
	done
	ct_done
fi

# The kernel reads every instruction of a program at each start, dead or
# not: without -F, the programs loaded have no walk in them (the variants
# without it), with -F one walk variant of each (the signal program's
# too).
ct_case "opensnoop: the programs walk the path with -F only"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
else
	for a in "" -F --contains=/; do
		tool_start opensnoop $a -n "$CT"
		ct_prog_names >"$CT_TMP/names"
		tool_stop
		walks=$(grep -c '_walk$\|_search$\|_loop$' "$CT_TMP/names")
		plain=$(grep -cx 'handle_exit\|fexit_open\|handle_signal_deliver' \
			"$CT_TMP/names")
		case $a in
		"") [ "$walks" = 0 ] && [ "$plain" = 2 ] ;;
		*) [ "$walks" = 2 ] && [ "$plain" = 0 ] ;;
		esac || ct_fail "${a:-no option}: $(tr '\n' ' ' <"$CT_TMP/names")"
	done
fi
ct_done

# Interrupted opens are rare: their program reads the task with helper
# calls even where the others load from the typed task, as the kernel
# verifies each such load at every start, slowly (bench/RESULTS.md). -U:
# the uid is read only where it is shown.
ct_case "opensnoop: -F: the signal program reads the task with helper calls"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
elif [ "$(ct_kernel_helper get_current_task_btf 5011)" != yes ]; then
	ct_skip "no bpf_get_current_task_btf() in this kernel: helpers anyway"
else
	# The signal program that walks in bpf_loop() where -F does.
	prog=handle_signal_walk
	[ "$has_loop" = yes ] && prog=handle_signal_loop
	tool_start opensnoop -F -U -n "$CT"
	calls=$(ct_prog_calls $prog)
	tool_stop
	expect_status 0
	for c in bpf_get_current_task bpf_get_current_uid_gid; do
		printf '%s\n' "$calls" | grep -qx "$c" ||
			ct_fail "$prog calls no $c"
	done
fi
ct_done

ct_case "opensnoop: hostile file names are escaped"
tool_start opensnoop -F -n "$CT"
run_open create "nl${nl}x${esc}[31m.bin" open "bad$(printf '\377')name"
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "$(open_line "$1" "$2" 0 "$W/nl\\nx\\x1b[31m.bin")"
expect_line "$(open_line "$1" -1 2 "$W/bad\\xffname (reconstructed)")"
grep -q "$esc" "$out" && ct_fail "a raw escape character reached stdout"
ct_done

# create: O_WRONLY|O_CREAT|O_TRUNC (01101); openat2: O_CLOEXEC (02000000);
# flags: 010000000000, a bit without a name.
for f in 0100 0x40 64 02000000 0x80000 524288 010000000000 0x40000000 \
	1073741824; do
	ct_case "opensnoop: -f $f: a number in C notation, as FLAGS prints it"
	tool_start opensnoop -f "$f" -e -n "$CT"
	run_open create new6 openat2 b.txt flags 010000000000 a.bin open a.bin
	set -- $(cat "$CT_TMP/res")
	tool_stop
	case $f in
	0100 | 0x40 | 64)
		expect_line "$(open_line "$1" "$2" 0 "00001101 new6")" ;;
	02000000 | 0x80000 | 524288)
		expect_line "$(open_line "$1" "$3" 0 "02000000 b.txt")" ;;
	*)
		expect_line "$(open_line "$1" "$4" 0 "10000000000 a.bin")" ;;
	esac
	expect_lines 2
	ct_done
done

ct_case "opensnoop: --flag-names names what has a name, the rest in octal"
tool_start opensnoop --flag-names -f 0x40000000 -n "$CT"
run_open flags 010000000000 a.bin flags 010002000001 b.txt
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "$(open_line "$1" "$2" 0 \
	"$(printf '%-24s %s' 'O_RDONLY|010000000000' a.bin)")"
expect_line "$(open_line "$1" "$3" 0 \
	"$(printf '%-24s %s' 'O_WRONLY|O_CLOEXEC|010000000000' b.txt)")"
tool_start opensnoop --json -v -f 0x40000000 -n "$CT"
run_open flags 010000000000 a.bin flags 010002000001 b.txt
set -- $(cat "$CT_TMP/res")
tool_stop
expect_text "$(json_open openat "$2" 0 null 1073741824 \
	O_RDONLY,010000000000 null a.bin)"
expect_text "$(json_open openat "$3" 0 null 1074266113 \
	O_WRONLY,O_CLOEXEC,010000000000 null b.txt)"
ct_done

ct_case "opensnoop: --help: no line of spaces, no trailing space"
run_tool opensnoop --help
expect_status 0
expect_no_grep '[[:space:]]$'
ct_done

ct_case "opensnoop: an unlinked file (O_TMPFILE) is marked (deleted)"
tool_start opensnoop -F -n "$CT"
run_open tmpfile .
set -- $(cat "$CT_TMP/res")
tool_stop
expect_grep "^$1  *$CT  *$2  *0 $W/#[0-9]* (deleted)\$"
ct_done

ct_case "opensnoop: a path deeper than the walk is marked, never wrong"
deep=$W/deep
i=0
while [ $i -lt 80 ]; do deep=$deep/d; i=$((i + 1)); done
mkdir -p "$deep" && : >"$deep/leaf"
tool_start opensnoop -F -n "$CT"
run_open open "$deep/leaf"
set -- $(cat "$CT_TMP/res")
tool_stop
expect_grep "^$1  *$CT  *$2  *0 \.\.\./d/d/d/.*/d/leaf\$"
expect_no_grep " /d/d/d/d"
ct_done

ct_case "opensnoop: -u by name and number, -U column"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	for who in nobody 65534; do
		tool_start opensnoop -u "$who" -U -n "$CT"
		"$OPEN" open /etc/hostname >/dev/null
		set -- $(setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$OPEN" open /etc/passwd)
		tool_stop
		expect_line "UID    PID     COMM               FD ERR PATH"
		expect_line "65534  $(open_line "$1" "$2" 0 /etc/passwd)"
		expect_no_grep "hostname"
	done
fi
ct_done

# The uid costs each open a helper call: read only where it is shown (the
# uid or user field, in any format), as the clock is.
exit_uid_calls() {
	for p in fexit_open fexit_open_walk handle_exit handle_exit_walk \
		handle_exit_search; do
		ct_prog_calls $p
	done | grep -cx bpf_get_current_uid_gid
}

ct_case "opensnoop: the uid read only where shown; --fields=user by nobody"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
elif ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	tool_start opensnoop -v -n "$CT"
	n=$(exit_uid_calls)
	tool_stop
	[ "$n" = 0 ] || ct_fail "no uid shown: the exit program reads it $n times"
	for a in -U --fields=+user --json --csv; do
		tool_start opensnoop -v $a -n "$CT"
		n=$(exit_uid_calls)
		tool_stop
		[ "$n" -gt 0 ] || ct_fail "$a: the exit program reads no uid"
	done
	tool_start opensnoop --fields=user,fd,path -n "$CT"
	set -- $(cd "$W" && setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$OPEN" open /etc/passwd)
	tool_stop
	expect_grep "^nobody  *$2 /etc/passwd\$"
fi
ct_done

ct_case "opensnoop: -T adds seconds since start"
tool_start opensnoop -T -n "$CT"
run_open open a.bin
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "TIME(s)  PID     COMM               FD ERR PATH"
expect_grep "^[0-9]*\.[0-9][0-9][0-9]    $(open_line "$1" "$2" 0 a.bin)\$"
ct_done

# The kernel side takes the IDs and the name from the task itself where it
# can, and reads the clock only for a tool that shows the time.
ct_case "opensnoop: a thread's open: its own thread ID, the process's ID and name; the time, shown, is the open's"
tool_start opensnoop --json -v -n "$CT"
before=$(date -u +%s)
run_open thread a.bin
after=$(date -u +%s)
set -- $(cat "$CT_TMP/res")
tool_stop
[ "$1" != "$2" ] || ct_fail "ct-open's thread has its process's ID $1"
expect_grep "^{\"time\":\"[-0-9T:.]*Z\",\"pid\":$1,\"tid\":$2,\"uid\":0,\"user\":\"root\",\"comm\":\"$CT\",\"syscall\":\"open\",\"fd\":$3,"
t=$(sed -n 's/^{"time":"\([-0-9]*\)T\([0-9:]*\)\.[0-9]*Z".*/\1 \2/p' "$out")
t=$(date -u -d "$t" +%s 2>/dev/null)
[ -n "$t" ] && [ "$t" -ge "$before" ] && [ "$t" -le "$after" ] ||
	ct_fail "the open's time is not between $before and $after: $(head -c 40 "$out")"
ct_done

ct_case "opensnoop: --json lines parse and carry each syscall's data"
tool_start opensnoop --json -v -F -n "$CT"
run_open open a.bin openat "$O" c.bin openat2 b.txt creat new4 \
	open missing.txt create "q\"${nl}.bin"
tool_stop
if ! have_python; then
	ct_skip "python3 is not installed: no JSON parser to check with"
else
	python3 - "$out" "$CT_TMP/res" "$W" "$CT" <<'PY' || ct_fail "JSON check failed"
import json, sys
path, res, w, comm = sys.argv[1:]
r = open(res).read().split()
pid = int(r[0])
ev = [json.loads(l) for l in open(path, encoding="utf-8")]
assert len(ev) == 7, ev
for e in ev:
    assert e["pid"] == pid and e["tid"] == pid and e["comm"] == comm
    assert e["uid"] == 0 and e["user"] == "root" and e["time"].endswith("Z")
op, d, at, at2, cr, miss, hostile = ev
assert op["syscall"] == "open" and op["fd"] == int(r[1]) and op["err"] == 0
assert op["errno"] is None and op["path"] == w + "/a.bin"
assert op["full_path"] and not op["reconstructed"] and not op["truncated"]
assert op["flag_names"] == ["O_RDONLY"] and op["mode"] is None
assert d["syscall"] == "openat" and d["path"] == w + "/other"
assert at["syscall"] == "openat" and at["fd"] == int(r[3])
assert at["path"] == w + "/other/c.bin"
assert at2["syscall"] == "openat2" and at2["fd"] == int(r[4])
assert at2["flag_names"] == ["O_RDONLY", "O_CLOEXEC"], at2
assert cr["syscall"] == "creat" and cr["mode"] == 0o600
assert cr["flag_names"] == ["O_WRONLY", "O_CREAT", "O_TRUNC"]
assert miss["fd"] is None and miss["err"] == 2 and miss["errno"] == "ENOENT"
assert miss["reconstructed"] and miss["path"] == w + "/missing.txt"
assert hostile["path"] == w + '/q"\n.bin' and hostile["mode"] == 0o640
PY
fi
ct_done

# Without bpf_loop() (or with CT_NO_KERNEL_CONTAINS=1), every open crosses
# and user space matches, counted as sent and received.
contains_nomatch_case() {
	in_kernel=$has_loop why="no bpf_loop() in this kernel (5.17+)"
	[ -z "${CT_NO_KERNEL_CONTAINS:-}" ] ||
		in_kernel=no why="CT_NO_KERNEL_CONTAINS is set"
	what="0 events cross, 0 lost"
	[ "$in_kernel" = yes ] || what="all cross ($why)"
	ct_case "opensnoop: --contains NOMATCH: 100k opens, $what"
	tool_start opensnoop -v --contains NOMATCH
	run_open many 100000 a.bin
	set -- $(cat "$CT_TMP/res")
	tool_stop
	expect_status 0
	[ "$2" = 100000 ] || ct_fail "only $2 of 100000 opens succeeded"
	if [ "$in_kernel" = yes ]; then
		[ "$(stats)" = "0 0 0" ] || ct_fail "sent/received/lost: $(stats)"
		expect_grep "^opensnoop: --contains: matching in the kernel\$" \
			"$err"
	else
		set -- $(stats) 0 0 0
		[ $(($1 + $3)) -ge 100000 ] && [ "$1" = "$2" ] ||
			ct_fail "sent/received/lost: $(stats)"
		expect_grep "^opensnoop: --contains: $why: matching in user space, every open crosses the buffer\$" \
			"$err"
	fi
	expect_lines 1
	ct_done
}
contains_nomatch_case
if [ "$has_loop" = yes ]; then
	export CT_NO_KERNEL_CONTAINS=1
	contains_nomatch_case
	unset CT_NO_KERNEL_CONTAINS
fi

ct_case "opensnoop: matching opens all cross, and are all counted"
tool_start opensnoop -v -n "$CT" --contains a.bin
run_open many 1000 a.bin
tool_stop
[ "$(stats)" = "1000 1000 0" ] || ct_fail "sent/received/lost: $(stats)"
[ "$(grep -c " 0 $W/a.bin\$" "$out")" -eq 1000 ] || ct_fail "not 1000 lines"
ct_done

# The sizes of the BPF ring buffers the tool holds, one a line.
ring_sizes() {
	map_entries "$tool_pid" 27
}

# -b 1 through buffer $1 (ring, or perf: one page per CPU): 100k events
# of ~80 bytes, each counted once, sent, received or lost. Whether any is
# lost depends on how fast user space drains the buffer.
tiny_buffer_case() {
	ct_case "opensnoop: a tiny $1 buffer (-b 1) counts every event once"
	if [ "$1" = perf ]; then
		CT_FORCE_PERFBUF=1 tool_start opensnoop -v -b 1 -n "$CT" \
			--contains a.bin
	else
		tool_start opensnoop -v -b 1 -n "$CT" --contains a.bin
		# A pass with the perf buffer forced has no ring to measure.
		[ -n "${CT_FORCE_PERFBUF:-}" ] || [ "$(ring_sizes)" = 4096 ] ||
			ct_fail "ring buffer of '$(ring_sizes)' bytes, not 4096"
	fi
	run_open many 100000 a.bin
	tool_stop
	set -- $(stats)
	if [ $# -ne 3 ]; then
		ct_fail "no statistics line"
	else
		[ $(($1 + $3)) -eq 100000 ] ||
			ct_fail "sent $1 + lost $3 != 100000"
		[ "$1" = "$2" ] || ct_fail "sent $1, received $2"
		if [ "$3" -gt 0 ]; then
			expect_grep "^opensnoop: lost $3 events in total\$" "$err"
		else
			# The statistics line says "0 lost"; no loss report.
			expect_no_grep "^opensnoop: lost " "$err"
		fi
		[ "$(($(wc -l <"$out") - 1))" = "$2" ] ||
			ct_fail "lines != received"
	fi
	ct_done
}
tiny_buffer_case ring
tiny_buffer_case perf

# The kernel holds the first 16 bytes of a --contains longer than 63:
# what has them crosses, user space confirms the whole (no bpf_loop: all
# cross).
ct_case "opensnoop: a --contains longer than the kernel's: its head there"
long=$(printf 'x%.0s' $(seq 70))
head63=$(printf 'x%.0s' $(seq 63))
tool_start opensnoop -v -n "$CT" --contains "$long"
run_open create "$long.bin" open "${head63}y.bin" open a.bin
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "$(open_line "$1" "$2" 0 "$W/$long.bin")"
expect_lines 2
if [ "$has_loop" = yes ]; then
	expect_grep "^opensnoop: --contains: matching its first 16 bytes in the kernel, the whole in user space\$" "$err"
	# The ENOENT of ${head63}y.bin crosses; a.bin does not.
	[ "$(stats)" = "2 2 0" ] || ct_fail "sent/received/lost: $(stats)"
else
	expect_grep "matching in user space" "$err"
fi
ct_done

ct_case "opensnoop: a --contains longer than any path: status 2, one line"
run_tool opensnoop --contains "$(printf 'x%.0s' $(seq 8193))"
[ "$tool_status" = 2 ] || ct_fail "status $tool_status"
expect_grep "^opensnoop: --contains: 8193 bytes, longer than the longest path shown (8192)\$" "$err"
[ "$(wc -l <"$err")" -eq 1 ] || ct_fail "$(wc -l <"$err") lines on stderr"
ct_done

ct_case "opensnoop: perf buffer fallback delivers events"
CT_FORCE_PERFBUF=1 tool_start opensnoop -v -n "$CT"
run_open open a.bin
set -- $(cat "$CT_TMP/res")
tool_stop
expect_grep "events: using perf buffer" "$err"
expect_line "$(open_line "$1" "$2" 0 a.bin)"
ct_done

# The sizes of the perf buffers tool_pid has mapped: one line per size.
perf_maps() {
	sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) .*anon_inode:\[perf_event\].*/\1 \2/p' \
		"/proc/$tool_pid/maps" | while read -r from to; do
		echo $((0x$to - 0x$from))
	done | sort -u
}

# Each CPU's buffer and its header page are mapped once it is polled.
ct_case "opensnoop: with the perf buffer, -b 1 gives each CPU one page"
CT_FORCE_PERFBUF=1 tool_start opensnoop -b 1 -n "$CT"
i=0
while [ -z "$(perf_maps)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sizes=$(perf_maps)
tool_stop
expect_status 0
[ "$sizes" = 8192 ] ||
	ct_fail "perf buffers of '$sizes' bytes, expected 8192 (1 + 1 pages)"
ct_done

ct_case "opensnoop: -c and --cgroup keep only the cgroup's processes"
if ! ct_make_cgroup opensnoop; then
	ct_skip "cannot create a cgroup v2 directory"
else
	for opt in -c --cgroup; do
		tool_start opensnoop "$opt" "$cg" -n "$CT"
		run_open open b.txt
		set -- $(cd "$W" && ct_in_cgroup "$cg" "$OPEN" open a.bin)
		tool_stop
		expect_line "$(open_line "$1" "$2" 0 a.bin)"
		expect_no_grep "b.txt"
		expect_lines 2
	done
fi
ct_done

ct_case "opensnoop: -d 1 ends by itself with status 0"
run_tool opensnoop -d 1 -n "$CT"
expect_status 0
expect_line "PID     COMM               FD ERR PATH"
ct_done

ct_case "opensnoop: bad input gets one line and status 2"
for args in "-f O_BOGUS" "-f" "-b 0" "-b x" "-p x" "-t 0" \
	"-u no_such_user_x" "-n abcdefghijklmnopq" "--cgroup /nonexistent" \
	"-c /nonexistent" "-c $W" "-f 0" "-f 08" "-f 0x" "-f 0x100000000" \
	"-f -1" "-f 1x" "--contains=" "-d 0" "--bogus" "extra"; do
	# -d 3: a value taken for good ends the run, not the test.
	run_tool opensnoop -d 3 $args
	[ "$tool_status" = 2 ] || ct_fail "'$args': status $tool_status"
	[ "$(wc -l <"$err")" -eq 1 ] || ct_fail "'$args': $(wc -l <"$err") lines"
	head -1 "$err" | grep -q '^opensnoop: ' ||
		ct_fail "'$args': first line '$(head -1 "$err")'"
done
run_tool opensnoop -f 0100x
expect_grep "^opensnoop: -f/--flag: '0100x' is not a number (0100, 0x40, 64)\$" "$err"
run_tool opensnoop -c "$W"
expect_grep "^opensnoop: -c/--cgroup: " "$err"
run_tool opensnoop --contains ""
expect_grep "^opensnoop: --contains: empty string\$" "$err"
ct_done

# The text columns of --fields=$f below: fields_row TIME UID USER PID TID
# COMM SYSCALL FD ERR ERRNO FLAG_NAMES MODE PATH FULL RECON TRUNC DEL UNRES.
fields_row() {
	printf '%-8s %-6s %-8s %-7s %-7s %-16s %-7s %4s %3s %-15s %-24s %6s ' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$9" "${10}" "${11}" \
		"${12}"
	printf '%-16s %-5s %-5s %-5s %-5s %s' "${13}" "${14}" "${15}" "${16}" \
		"${17}" "${18}"
}

ct_case "opensnoop: text, --json and --csv of one open agree field by field"
f=time,uid,user,pid,tid,comm,syscall,fd,err,errno,flag_names,mode,path
f=$f,full_path,reconstructed,truncated,deleted,unresolved
fields_start opensnoop --fields=$f -n "$CT"
run_open open a.bin open missing.txt
set -- $(cat "$CT_TMP/res")
fields_stop
hms="[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"
expect_line "$(fields_row TIME UID USER PID TID COMM SYSCALL FD ERR ERRNO \
	FLAGS MODE PATH FULL RECON TRUNC DEL UNRES)"
expect_grep "^$(fields_row "$hms" 0 root "$1" "$1" "$CT" open "$2" 0 - \
	O_RDONLY - a.bin false false false false false)\$"
expect_grep "^$(fields_row "$hms" 0 root "$1" "$1" "$CT" open -1 2 ENOENT \
	O_RDONLY - missing.txt false false false false false)\$"
head -1 "$CT_TMP/fields.csv" | grep -qx "$f" || ct_fail "CSV header"
expect_grep "^[-0-9T:.]*Z,0,root,$1,$1,$CT,open,$2,0,,O_RDONLY,,a.bin,false,false,false,false,false\$" \
	"$CT_TMP/fields.csv"
expect_grep "^[-0-9T:.]*Z,0,root,$1,$1,$CT,open,,2,ENOENT,O_RDONLY,,missing.txt,false,false,false,false,false\$" \
	"$CT_TMP/fields.csv"
expect_grep "\"syscall\":\"open\",\"fd\":null,\"err\":2,\"errno\":\"ENOENT\",\"flag_names\":\[\"O_RDONLY\"\],\"mode\":null,\"path\":\"missing.txt\"," \
	"$CT_TMP/fields.json"
# Last: without python3 it skips the case.
fields_agree "$f" path a.bin
ct_done

ct_case "opensnoop: --fields picks fields and their order, in every format"
tool_start opensnoop --fields=path,err,pid -n "$CT"
run_open open a.bin
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "PATH             ERR PID"
expect_line "$(printf '%-16s %3s %s' a.bin 0 "$1")"
expect_lines 2
tool_start opensnoop --json -v --fields=path,mode,err,pid -n "$CT"
run_open open a.bin create new5
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "{\"path\":\"a.bin\",\"mode\":null,\"err\":0,\"pid\":$1}"
expect_line "{\"path\":\"new5\",\"mode\":416,\"err\":0,\"pid\":$1}"
ct_done

ct_case "opensnoop: --fields=+NAME, -T, -U, -e and --flag-names add to the defaults"
tool_start opensnoop --fields=+syscall,+mode -U -e --flag-names -n "$CT"
run_open create new6
set -- $(cat "$CT_TMP/res")
tool_stop
expect_line "$(printf '%-6s %-7s %-16s %-7s %4s %3s %-24s %6s %s' UID PID \
	COMM SYSCALL FD ERR FLAGS MODE PATH)"
expect_line "$(printf '%-6s %-7s %-16s %-7s %4s %3s %-24s %6s %s' 0 "$1" "$CT" \
	openat "$2" 0 "O_WRONLY|O_CREAT|O_TRUNC" 0640 new6)"
# -T adds elapsed_ns to JSON too, after time; -e's flags are there anyway.
tool_start opensnoop --json -v -T -e -n "$CT"
run_open open a.bin
tool_stop
expect_grep '^{"time":"[-0-9T:.]*Z","elapsed_ns":[0-9]*,"pid":[0-9]*,"tid":'
expect_grep '"errno":null,"flags":0,"flag_names":\["O_RDONLY"\],"mode":null,'
ct_done

ct_case "opensnoop: --fields=help, unknown and repeated fields, --csv with --json"
run_tool opensnoop --fields=help
expect_status 0
expect_grep "^fd  *the new file descriptor; failed: null (text: -1)\$"
[ "$(wc -l <"$out")" -eq 20 ] || ct_fail "$(wc -l <"$out") fields listed"
expect_fields_usage opensnoop path
ct_done
