# Runtime tests of bashreadline: a real interactive bash on a pseudo-terminal
# (tests/helpers/ct-pty.c) types commands; exact lines, by the shell's PID.
. "$(dirname "$0")/lib.sh"
ct_require_root "bashreadline"

PTY=$CT_BIN/tests/ct-pty
PROMPT='ct-pty> '
CR=$(printf '\r')
TAB=$(printf '\t')
CTRL_V=$(printf '\026')
CTRL_D=$(printf '\004')

ct_find_bash
if [ -z "$BASH_BIN" ]; then
	ct_case "bashreadline"
	ct_skip "no bash on this system"
	exit 0
fi

# The shells take UTF-8 as typed, whatever the locale. In the C locale (the
# test guest's) readline may read a byte with the high bit set as Meta and a
# key: the 0xbc of 'ü' typed after Ctrl-V Tab became M-<, which recalled the
# first line of history in place of the typed one.
printf '%s\n' 'set convert-meta off' >"$CT_TMP/inputrc"

# Run an interactive bash ($1) on a pty, typing the other arguments at its
# prompts; sets $shell_pid. With $in_cgroup set, the shell is in cgroup $cg.
in_cgroup=
type_into() {
	sh_bin=$1
	shift
	${in_cgroup:+ct_in_cgroup "$cg"} env PS1="$PROMPT" HISTFILE="$CT_TMP/history" TERM=dumb \
		INPUTRC="$CT_TMP/inputrc" "$PTY" "$PROMPT" "$@" -- \
		"$sh_bin" --norc --noprofile -i >"$CT_TMP/pty.out" \
		2>"$CT_TMP/pty.err" ||
		ct_fail "ct-pty: $(cat "$CT_TMP/pty.err")"
	shell_pid=$(head -n 1 "$CT_TMP/pty.out")
}

# Like type_into, in the background, typing only once go_shell is called;
# sets $bg_pid as soon as the shell runs.
start_shell() {
	sh_bin=$1
	shift
	rm -f "$CT_TMP/go" "$CT_TMP/bg.out"
	env PS1="$PROMPT" HISTFILE="$CT_TMP/history" TERM=dumb \
		INPUTRC="$CT_TMP/inputrc" "$PTY" -g "$CT_TMP/go" "$PROMPT" \
		"$@" -- "$sh_bin" --norc --noprofile -i >"$CT_TMP/bg.out" \
		2>"$CT_TMP/bg.err" &
	bg_job=$!
	i=0
	while [ ! -s "$CT_TMP/bg.out" ] && [ $i -lt 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	bg_pid=$(head -n 1 "$CT_TMP/bg.out")
}

go_shell() {
	touch "$CT_TMP/go"
	wait "$bg_job" || ct_fail "background shell: $(cat "$CT_TMP/bg.err")"
}

# The line for PID and COMMAND, without the leading time column.
rl_line() {
	printf '%-7s %s\n' "$1" "$2"
}

# Does stdout, time column (HH:MM:SS) removed, have this exact line?
expect_rl_line() {
	sed 's/^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] //' "$out" >"$CT_TMP/notime"
	grep -Fxq -- "$1" "$CT_TMP/notime" || ct_fail "no line '$1'"
}

lines_of() {
	grep -c "^[0-9:]* *$1 " "$out" || true
}

ct_case "bashreadline: two typed lines, tab and unicode escaped, exact PID"
tool_start bashreadline
type_into "$BASH_BIN" "echo one$CR" \
	"echo \"a$CTRL_V${TAB}b ü ✓\"$CR" "exit$CR"
tool_stop
expect_status 0
expect_line "TIME     PID     COMMAND"
expect_rl_line "$(rl_line "$shell_pid" "echo one")"
expect_rl_line "$(rl_line "$shell_pid" "echo \"a\\tb ü ✓\"")"
expect_rl_line "$(rl_line "$shell_pid" "exit")"
ct_done

ct_case "bashreadline: Ctrl-D (a NULL line) prints nothing"
tool_start bashreadline
type_into "$BASH_BIN" "echo only$CR" "$CTRL_D"
tool_stop
expect_rl_line "$(rl_line "$shell_pid" "echo only")"
n=$(lines_of "$shell_pid")
[ "$n" = 1 ] || ct_fail "$n lines from shell $shell_pid, expected 1"
ct_done

ct_case "bashreadline: -p with another shell's PID excludes the first"
start_shell "$BASH_BIN" "echo from-b$CR" "exit$CR"
tool_start bashreadline -p "$bg_pid"
type_into "$BASH_BIN" "echo from-a$CR" "exit$CR"
go_shell
tool_stop
expect_rl_line "$(rl_line "$bg_pid" "echo from-b")"
expect_no_grep "from-a"
ct_done

ct_case "bashreadline: -U -u root shows the UID; -u nobody hides root"
tool_start bashreadline -U -u root -t
type_into "$BASH_BIN" "echo as-root$CR" "exit$CR"
tool_stop
expect_line "TIME(s)  UID   PID     COMMAND"
expect_grep "^[0-9]*\.[0-9][0-9][0-9] *0     $shell_pid  *echo as-root\$"
tool_start bashreadline -u nobody
type_into "$BASH_BIN" "echo not-nobody$CR" "exit$CR"
tool_stop
expect_no_grep "not-nobody"
ct_done

ct_case "bashreadline: a line longer than the buffer is marked truncated"
long=$(printf '%5000s' '' | tr ' ' x)
tool_start bashreadline
type_into "$BASH_BIN" "echo $long$CR" "exit$CR"
tool_stop
cut4090=$(printf '%4090s' '' | tr ' ' x)
expect_rl_line "$(rl_line "$shell_pid" "echo $cut4090 [truncated]")"
ct_done

ct_case "bashreadline: --json, valid and exact"
tool_start bashreadline --json -v
type_into "$BASH_BIN" "echo \"j$CTRL_V${TAB}ü\"$CR" "exit$CR"
tool_stop
expect_grep "\"pid\":$shell_pid,\"uid\":0,\"user\":\"root\",\"comm\":\"bash\",\"line\":\"echo \\\\\"j\\\\tü\\\\\"\",\"truncated\":false}"
if have_python; then
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    json.loads(l)' "$out" || ct_fail "invalid JSON"
fi
ct_done

# tool_start waits for -v's "attached" line: it must come once the
# uretprobes are in, and count them.
ct_case "bashreadline: -v says 'attached 1 program' once the uretprobe is in"
tool_start bashreadline -v
type_into "$BASH_BIN" "echo right-away$CR" "exit$CR"
tool_stop
expect_status 0
expect_rl_line "$(rl_line "$shell_pid" "echo right-away")"
expect_grep "^bashreadline: attached 1 program\$" "$err"
awk '/using uretprobe/ { u = NR } /attached/ { a = NR }
	END { exit !(u && a > u) }' "$err" ||
	ct_fail "'attached' came before the uretprobe was attached"
ct_done

ct_case "bashreadline: -c shows only the lines of shells in the cgroup"
if ! ct_make_cgroup bashreadline; then
	ct_skip "cannot create a cgroup v2 directory"
else
	tool_start bashreadline -c "$cg"
	type_into "$BASH_BIN" "echo outside-cgroup$CR" "exit$CR"
	in_cgroup=1
	type_into "$BASH_BIN" "echo inside-cgroup$CR" "exit$CR"
	in_cgroup=
	tool_stop
	expect_status 0
	expect_rl_line "$(rl_line "$shell_pid" "echo inside-cgroup")"
	expect_no_grep "outside-cgroup"
fi
ct_done

ct_case "bashreadline: a copied bash is traced with --bash, not by default"
cp "$BASH_BIN" "$CT_TMP/bash-copy"
tool_start bashreadline --bash "$CT_TMP/bash-copy"
type_into "$CT_TMP/bash-copy" "echo copied$CR" "exit$CR"
tool_stop
expect_rl_line "$(rl_line "$shell_pid" "echo copied")"
tool_start bashreadline
type_into "$CT_TMP/bash-copy" "echo copied-unseen$CR" "exit$CR"
tool_stop
expect_no_grep "copied-unseen"
ct_done

ct_case "bashreadline: --all finds a running copy of bash, says so with -v"
start_shell "$CT_TMP/bash-copy" "echo found-by-all$CR" "exit$CR"
tool_start bashreadline --all -v -p "$bg_pid"
go_shell
tool_stop
expect_rl_line "$(rl_line "$bg_pid" "echo found-by-all")"
expect_grep "^bashreadline: --all: pid $bg_pid runs $CT_TMP/bash-copy\$" \
	"$err"
ct_done

ct_case "bashreadline: --all finds bash in another mount namespace"
if ! command -v unshare >/dev/null 2>&1; then
	ct_skip "no unshare(1) to make a mount namespace"
elif ! why=$(unshare -m true 2>&1); then
	# As in a chroot whose root is not a mount point: unshare cannot make
	# its mounts private, and a bind mount could then reach the host's.
	ct_skip "unshare -m fails here: $why"
else
	# A container of sorts: in a private mount namespace, another bash
	# file is mounted over bash's path; from here it is only reachable
	# through /proc/PID/root.
	real_bash=$(readlink -f "$BASH_BIN")
	{
		echo '#!/bin/sh'
		echo 'exec unshare -m sh -c '\''b=$1; mount --bind "$0" "$b" &&' \
			'shift && exec "$b" "$@"'\'' "$CT_COPY" "$CT_REAL" "$@"'
	} >"$CT_TMP/in-container"
	chmod +x "$CT_TMP/in-container"
	export CT_COPY="$CT_TMP/bash-copy" CT_REAL="$real_bash"
	start_shell "$CT_TMP/in-container" "echo in-container$CR" "exit$CR"
	# /proc/PID/exe names that bash as the container sees it, except
	# when this test runs in a chroot (/proc/1/root may be out of reach
	# to tell): then the name is from the root of the other namespace,
	# neither a path here nor under /proc/PID/root, and the tool uses the
	# link itself, which uprobes follow.
	i=0
	while exe=$(readlink "/proc/$bg_pid/exe") && [ $i -lt 100 ]; do
		case $exe in */"${real_bash##*/}") break ;; esac
		ct_sleep 0.05
		i=$((i + 1))
	done
	seen_as=/proc/$bg_pid/root$real_bash
	[ "$exe" = "$real_bash" ] || seen_as=/proc/$bg_pid/exe
	tool_start bashreadline --all -v -p "$bg_pid"
	go_shell
	tool_stop
	expect_rl_line "$(rl_line "$bg_pid" "echo in-container")"
	expect_grep "^bashreadline: --all: pid $bg_pid runs $seen_as\$" "$err"
	ct_done
fi

ct_case "bashreadline: readline in a DT_NEEDED libreadline.so is found"
# As bash on distros that link readline dynamically; sqlite3 does here.
SQLITE=$(command -v sqlite3 || true)
if [ -z "$SQLITE" ] || ! grep -q 'libreadline\.so' "$SQLITE"; then
	ct_skip "no sqlite3 linked with libreadline.so"
else
	tool_start bashreadline -v --bash "$SQLITE"
	env TERM=dumb "$PTY" 'sqlite> ' "select 6*7;$CR" ".quit$CR" -- \
		"$SQLITE" >"$CT_TMP/pty.out" 2>&1 || ct_fail "sqlite3 failed"
	sql_pid=$(head -n 1 "$CT_TMP/pty.out")
	tool_stop
	expect_rl_line "$(rl_line "$sql_pid" "select 6*7;")"
	expect_grep "using uretprobe on /.*/libreadline\.so\.[0-9]*:" "$err"
	ct_done
fi

ct_case "bashreadline: -s traces a libreadline.so given by path"
# python3's REPL reads lines through libreadline's callback interface,
# which only readline_internal_teardown() sees.
PYRL=$(ls /usr/lib/python3*/lib-dynload/readline.*.so 2>/dev/null | head -n 1)
lib=
for d in /lib/*-linux-gnu /usr/lib/*-linux-gnu /usr/lib64 /usr/lib; do
	[ -z "$lib" ] && [ -e "$d/libreadline.so.8" ] && lib=$d/libreadline.so.8
done
if [ ! -x /usr/bin/python3 ] || [ -z "$PYRL" ] || [ -z "$lib" ] ||
	! grep -q 'libreadline\.so' "$PYRL"; then
	ct_skip "no /usr/bin/python3 with a libreadline.so.8 readline module"
else
	tool_start bashreadline -v -s "$lib"
	env TERM=dumb "$PTY" '>>> ' "print(6*7)$CR" "exit()$CR" -- \
		/usr/bin/python3 -q -i >"$CT_TMP/pty.out" 2>&1 ||
		ct_fail "python3 failed"
	py_pid=$(head -n 1 "$CT_TMP/pty.out")
	tool_stop
	expect_rl_line "$(rl_line "$py_pid" "print(6*7)")"
	ct_done
fi

ct_case "bashreadline: a missing binary is one line of error, exit 1"
run_tool bashreadline --bash /nonexistent/bash
expect_status 1
[ "$(cat "$err")" = \
	"bashreadline: /nonexistent/bash: No such file or directory" ] ||
	ct_fail "stderr: $(cat "$err")"
ct_done

ct_case "bashreadline: a binary without readline is one line of error"
run_tool bashreadline --bash "$TRIGGER"
expect_status 1
[ "$(cat "$err")" = \
	"bashreadline: $TRIGGER has no readline symbol: is it stripped?" ] ||
	ct_fail "stderr: $(cat "$err")"
ct_done

ct_case "bashreadline: -c on a path that is not a cgroup v2 directory exits 2"
for p in /nonexistent /proc; do
	run_tool bashreadline -c "$p"
	expect_status 2
	[ "$(wc -l <"$err")" = 1 ] || ct_fail "-c $p: not one line"
	expect_grep "^bashreadline: -c/--cgroup: " "$err"
done
ct_done

ct_case "bashreadline: text, --json and --csv of one line agree field by field"
f=time,uid,user,pid,comm,truncated,line
fields_start bashreadline --fields=$f
type_into "$BASH_BIN" "echo a,b \"q\" x$CR" "$CTRL_D"
fields_stop
expect_grep ",0,root,$shell_pid,bash,false,\"echo a,b \"\"q\"\" x\"\$" \
	"$CT_TMP/fields.csv"
# Last: without python3 it skips the case.
fields_agree "$f" pid "$shell_pid"
ct_done

ct_case "bashreadline: --fields picks fields and order; -t alone drops TIME"
tool_start bashreadline --fields=comm,pid,line
type_into "$BASH_BIN" "echo picked$CR" "$CTRL_D"
tool_stop
expect_line "COMM             PID     COMMAND"
expect_line "$(printf '%-16s %-7s %s' bash "$shell_pid" "echo picked")"
tool_start bashreadline --json -v --fields=line,pid
type_into "$BASH_BIN" "echo picked$CR" "$CTRL_D"
tool_stop
expect_line "{\"line\":\"echo picked\",\"pid\":$shell_pid}"
tool_start bashreadline -t -U --fields=+comm
type_into "$BASH_BIN" "echo added$CR" "$CTRL_D"
tool_stop
expect_line "TIME(s)  UID   PID     COMM             COMMAND"
expect_grep "^[0-9]*\.[0-9][0-9][0-9]  *0     $shell_pid  *bash  *echo added\$"
run_tool bashreadline --fields=line,nope
expect_usage "bashreadline: --fields: unknown field 'nope' (--fields=help lists them)"
ct_done
