# Runtime tests of the BPF-side helpers in common/bpf/ (file, sock, path,
# task, argv), each through a helper in tests/helpers/common/ whose BPF
# program applies it to the helper's own system calls and reports what it
# found; the cases compare that with what user space knows.
. "$(dirname "$0")/lib.sh"
ct_require_root "bpf_kit"
T=$CT_BIN/tests

# field NAME LINE: the value of NAME=value in LINE.
field() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

ct_case "file.bpf.h: fd to struct file and socket, bounded by max_fds"
echo data >"$CT_TMP/file"
"$T/ct-sock" fds "$CT_TMP/file" "$CT_TMP/unix" >"$out" 2>"$err" ||
	ct_fail "ct-sock fds failed"
ino=$(stat -c %i "$CT_TMP/file")
expect_grep \
	"^file fd=[0-9]* file=yes ino=$ino fstat_ino=$ino socket=no sock=no\$"
for kind in pipe tcp unix-name last; do
	line=$(grep "^$kind " "$out")
	[ -n "$line" ] || ct_fail "no $kind line"
	[ "$(field ino "$line")" = "$(field fstat_ino "$line")" ] ||
		ct_fail "$kind: not the fd's inode: $line"
done
expect_grep "^pipe fd=[0-9]* file=yes .* socket=no sock=no\$"
expect_grep "^tcp fd=[0-9]* file=yes .* socket=yes sock=yes\$"
# A Unix socket's name is S_IFSOCK, but no socket is behind an O_PATH fd.
expect_grep "^unix-name fd=[0-9]* file=yes .* socket=no sock=no\$"
expect_grep "^closed fd=[0-9]* file=no ino=0 fstat_ino=-1 socket=no sock=no\$"
expect_grep "^last fd=1023 file=yes .* socket=yes sock=yes\$"
expect_line "beyond fd=1024 file=no ino=0 fstat_ino=-1 socket=no sock=no"
ct_done

# Is the loopback interface up (IFF_UP)? A bare guest starts with it down.
lo_up() {
	[ $(($(cat /sys/class/net/lo/flags 2>/dev/null || echo 0) & 1)) = 1 ]
}

# The tuples of ct-sock's sockets, each as BPF and as getsockname() see it.
check_tuples() {
	"$T/ct-sock" tuples >"$out" 2>"$err" || ct_fail "ct-sock tuples failed"
	kinds="tcp4-listen tcp4-client tcp4-accepted tcp6-listen tcp6-client
	tcp6-accepted tcp6-mapped-listen tcp6-mapped-client tcp6-mapped-accepted
	udp4 udp6-unconnected tcp4-unbound"
	for kind in $kinds; do
		bpf=$(sed -n "s/^$kind bpf: //p" "$out")
		user=$(sed -n "s/^$kind user: //p" "$out")
		[ -n "$bpf" ] && [ "$bpf" = "$user" ] ||
			ct_fail "$kind: BPF saw '$bpf', getsockname() '$user'"
	done
	P='[1-9][0-9]*'
	lo='127\.0\.0\.1'
	l6='\[::1\]'
	expect_grep "^tcp4-listen bpf: AF_INET proto=6 $lo:$P 0\.0\.0\.0:0\$"
	expect_grep "^tcp4-client bpf: AF_INET proto=6 $lo:$P $lo:$P\$"
	expect_grep "^tcp6-accepted bpf: AF_INET6 proto=6 $l6:$P $l6:$P\$"
	m='\[::ffff:127\.0\.0\.1\]'
	expect_grep "^tcp6-mapped-client bpf: AF_INET6 proto=6 $m:$P $m:$P\$"
	expect_grep "^udp4 bpf: AF_INET proto=17 $lo:$P $lo:$P\$"
	expect_grep "^udp6-unconnected bpf: AF_INET6 proto=17 $l6:$P \[::\]:0\$"
	expect_line "tcp4-unbound bpf: AF_INET proto=6 0.0.0.0:0 0.0.0.0:0"
	# The client reached the listener's port; accept() the other way.
	lport=$(sed -n 's/^tcp4-listen bpf: .*:\([0-9]*\) .*/\1/p' "$out")
	expect_grep "^tcp4-client bpf: .* $lo:$lport\$"
	expect_grep "^tcp4-accepted bpf: AF_INET proto=6 $lo:$lport "
}

ct_case "sock.bpf.h: a socket's tuple over loopback, as getsockname() says"
lo_up || ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null
if lo_up; then
	check_tuples
else
	ct_skip "the loopback interface is down and cannot be brought up"
fi
ct_done

# The path of $CT_TMP as the kernel writes it (no symlinks).
real_tmp=$(cd "$CT_TMP" && pwd -P)

ct_case "path.bpf.h: a path through a bind mount, a deleted file, a pipe"
mkdir "$real_tmp/a" "$real_tmp/b"
echo data >"$real_tmp/a/f"
echo data >"$real_tmp/a/g"
if ! mount --bind "$real_tmp/a" "$real_tmp/b"; then
	ct_skip "cannot bind-mount"
else
	"$T/ct-path" "$real_tmp/b/f" "$real_tmp/a/f" - -u "$real_tmp/b/g" \
		>"$out" 2>"$err" || ct_fail "ct-path failed"
	umount "$real_tmp/b"
	cat >"$CT_TMP/want" <<EOT
$real_tmp/b/f cut=no deleted=no
$real_tmp/a/f cut=no deleted=no
no path
$real_tmp/b/g cut=no deleted=yes
EOT
	cmp -s "$CT_TMP/want" "$out" || ct_fail "not the paths expected"
fi
ct_done

ct_case "path.bpf.h: 64 components at most, then the head is cut"
deep=$real_tmp/deep
i=0
while [ $i -lt 70 ]; do
	deep=$deep/d
	i=$((i + 1))
done
mkdir -p "$deep"
echo data >"$deep/f"
"$T/ct-path" "$deep/f" >"$out" 2>"$err" || ct_fail "ct-path failed"
tail=$(i=0; while [ $i -lt 63 ]; do printf /d; i=$((i + 1)); done)
expect_line "$tail/f cut=yes deleted=no"
ct_done

ct_case "path.bpf.h: 16 mount points crossed at most, then the head is cut"
dir=$real_tmp/m
mkdir "$dir"
i=1
while [ $i -le 17 ] && mkdir "$dir/$i" && mount -t tmpfs ct-kit "$dir/$i"
do
	dir=$dir/$i
	i=$((i + 1))
done
if [ $i -le 17 ]; then
	ct_skip "cannot mount 17 tmpfs"
else
	echo data >"$dir/f"
	"$T/ct-path" "$dir/f" >"$out" 2>"$err" || ct_fail "ct-path failed"
	# Mount 17's root to "17" in mount 16 is the first crossing; from
	# mount 1's root, the 17th is one too many.
	expect_line \
		"/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/f cut=yes deleted=no"
fi
[ $i -eq 1 ] || umount -l "$real_tmp/m/1"
ct_done

# same_task: the bpf: line of ct-task's output equals its proc: line.
same_task() {
	bpf=$(sed -n 's/^bpf: //p' "$out")
	proc=$(sed -n 's/^proc: //p' "$out")
	[ -n "$bpf" ] && [ "$bpf" = "$proc" ] ||
		ct_fail "BPF saw '$bpf', /proc says '$proc'"
}

ct_case "task.bpf.h: a thread's ids, comm, cgroup and namespaces"
mnt=$("$T/ct-cgroup" mount 2>/dev/null)
cg=
if [ -n "$mnt" ] && mkdir "$mnt/ct-kit-$$"; then
	cg=$mnt/ct-kit-$$
	sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" 65534' sh "$cg" \
		"$T/ct-task" >"$out" 2>"$err" || ct_fail "ct-task failed"
	expect_grep "^bpf: .* cgroup=$(stat -c %i "$cg") "
	rmdir "$cg"
else
	"$T/ct-task" 65534 >"$out" 2>"$err" || ct_fail "ct-task failed"
fi
same_task
who="uid=65534 gid=65534 comm=ct-task-thread"
expect_grep "^bpf: pid=[0-9]* tid=[0-9]* ppid=$$ $who "
ns() {
	readlink "/proc/$$/ns/$1" | sed 's/.*\[\([0-9]*\)\]/\1/'
}
expect_grep "^bpf: .* mnt_ns=$(ns mnt) pid_ns=$(ns pid)\$"
ct_done

ct_case "task.bpf.h: in mount and pid namespaces of its own"
if ! unshare -p -f -m true 2>/dev/null; then
	ct_skip "unshare -p -f -m does not work here"
else
	unshare -p -f -m "$T/ct-task" >"$out" 2>"$err" ||
		ct_fail "ct-task failed"
	same_task
	expect_grep "^bpf: .* uid=0 gid=0 comm=ct-task-thread "
	expect_no_grep "mnt_ns=$(ns mnt) "
	expect_no_grep "pid_ns=$(ns pid)\$"
fi
ct_done

ct_case "argv.bpf.h: arguments from the stack and from execve()'s array"
"$T/ct-argv" 4095 20 one "two words" three >"$out" 2>"$err" ||
	ct_fail "ct-argv failed"
all="$T/ct-argv|4095|20|one|two words|three|"
expect_line "stack len=${#all} cut=no: $all"
expect_line "cmdline len=${#all}: $all"
expect_line "exec len=20 cut=no: one|two words|three|"
ct_done

ct_case "argv.bpf.h: the byte and argument limits mark a cut"
"$T/ct-argv" 10 2 a b c >"$out" 2>"$err" || ct_fail "ct-argv failed"
expect_line "stack len=10 cut=yes: $(printf '%s' "$T/ct-argv" | cut -c1-10)"
expect_line "exec len=4 cut=yes: a|b|"
"$T/ct-argv" 4095 2 a b >"$out" 2>"$err" || ct_fail "ct-argv failed"
expect_line "exec len=4 cut=no: a|b|"
long=$(printf '%5000s' '' | tr ' ' x)
"$T/ct-argv" 4095 20 "$long" b >"$out" 2>"$err" || ct_fail "ct-argv failed"
want="exec len=4095 cut=yes: $(printf '%s' "$long" | cut -c1-4095)"
[ "$(grep '^exec ' "$out")" = "$want" ] ||
	ct_fail "exec: not the first 4095 bytes, cut"
want="$(printf '%s' "$T/ct-argv|4095|20|$long" | cut -c1-4095)"
[ "$(grep '^stack ' "$out")" = "stack len=4095 cut=yes: $want" ] ||
	ct_fail "stack: not the first 4095 bytes, cut"
ct_done
