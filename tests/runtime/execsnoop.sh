# Runtime tests of execsnoop: real execs, exact lines.
. "$(dirname "$0")/lib.sh"
ct_require_root "execsnoop"

# The line execsnoop prints for one exec (without -T/-t/-U).
exec_line() {
	printf '%-16s %-7s %-7s %3s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# The same with --errno-names: RET is as wide as the longest errno name.
exec_line_names() {
	printf '%-16s %-7s %-7s %15s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# The same with -i: exec_line_interp COMM PID PPID RET INTERP ARGS.
exec_line_interp() {
	printf '%-16s %-7s %-7s %3s %-16s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}

# Run ct-trigger exec ...; sets $child and $parent (and $fd for execveat).
trigger_exec() {
	set -- $("$TRIGGER" "$@")
	child=$1
	parent=$2
	fd=${3:-}
}

# The --json lines in $out without "time" and "user" (which vary), to
# compare whole lines with expect_json_line.
expect_json_line() {
	sed 's/^{"time":"[^"]*",/{/; s/"user":null,//; s/"user":"[^"]*",//' \
		"$out" | grep -Fxq -- "$1" || ct_fail "no JSON line '$1'"
}

# pad N [C]: N times the character C (x).
pad() {
	awk -v n="$1" -v c="${2:-x}" 'BEGIN { while (n-- > 0) printf "%s", c }'
}

# long_path N NAME: a path of exactly N bytes under $CT_TMP ending in /NAME,
# its directories 200 bytes at most (a file name has at most 255).
long_path() {
	lp=$CT_TMP/long
	need=$(($1 - ${#lp} - 1 - ${#2}))
	while [ "$need" -gt 202 ]; do
		lp=$lp/$(pad 200)
		need=$((need - 201))
	done
	echo "$lp/$(pad $((need - 1)))/$2"
}

# script NAME LINE...: an executable file in $CT_TMP; prints its path.
script() {
	sf=$CT_TMP/$1
	shift
	printf '%s\n' "$@" >"$sf"
	chmod +x "$sf"
	echo "$sf"
}

nl='
'
esc=$(printf '\033')

ct_case "execsnoop: successful and failed exec, escaped arguments"
tool_start execsnoop -x -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop "a b" 'q"x' "nl${nl}esc${esc}[31m"
ok_child=$child ok_parent=$parent
trigger_exec exec /nonexistent/prog prog arg1
tool_stop
expect_status 0
expect_line "$(exec_line ct-trigger "$ok_child" "$ok_parent" 0 \
	"$TRIGGER noop a b q\"x nl\\nesc\\x1b[31m")"
expect_line "$(exec_line ct-trigger "$child" "$parent" -2 \
	"/nonexistent/prog arg1")"
ct_done

ct_case "execsnoop: failed execs are hidden without -x"
tool_start execsnoop -n ct-trigger
trigger_exec exec /nonexistent/prog prog arg1
tool_stop
expect_no_grep " -2 /nonexistent/prog"
ct_done

ct_case "execsnoop: -q quotes each argument, --errno-names"
tool_start execsnoop -q -x --errno-names -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop "a b" 'q"x'
ok_child=$child ok_parent=$parent
trigger_exec exec /nonexistent/prog prog arg1
tool_stop
expect_line "$(printf '%-16s %-7s %-7s %15s %s' PCOMM PID PPID RET ARGS)"
expect_line "$(exec_line_names ct-trigger "$ok_child" "$ok_parent" 0 \
	"\"$TRIGGER\" \"noop\" \"a b\" \"q\\\"x\"")"
expect_line "$(exec_line_names ct-trigger "$child" "$parent" ENOENT \
	"\"/nonexistent/prog\" \"arg1\"")"
ct_done

# The comm after execveat(fd, "") is the file's name on 6.1 and 6.12
# (Debian's), the fd's number on 5.10 ("3"): no -n, either is shown.
ct_case "execsnoop: execveat is traced"
tool_start execsnoop
trigger_exec execveat "$TRIGGER" argv0 noop viaexecveat
tool_stop
args="/dev/fd/$fd noop viaexecveat"
grep -Fxq -e "$(exec_line ct-trigger "$child" "$parent" 0 "$args")" \
	-e "$(exec_line "$fd" "$child" "$parent" 0 "$args")" "$out" ||
	ct_fail "no line of pid $child, comm ct-trigger or $fd, '$args'"
ct_done

ct_case "execsnoop: a failed fexecve shows the fd and the arguments"
noexec=$CT_TMP/noexec
: >"$noexec"
chmod 644 "$noexec"
tool_start execsnoop -x -n ct-trigger
trigger_exec execveat "$noexec" argv0 fa1 "fa 2"
tool_stop
expect_line "$(exec_line ct-trigger "$child" "$parent" -13 \
	"/dev/fd/$fd fa1 fa 2")"
ct_done

ct_case "execsnoop: execveat relative to a directory fd, failed and not"
tool_start execsnoop -x -n ct-trigger
trigger_exec execveat-at "$CT_TMP" noexec argv0 ra1
c1=$child p1=$parent fd1=$fd
trigger_exec execveat-at "${TRIGGER%/*}" ct-trigger argv0 noop ra2
tool_stop
expect_line "$(exec_line ct-trigger "$c1" "$p1" -13 "/dev/fd/$fd1/noexec ra1")"
expect_line "$(exec_line ct-trigger "$child" "$parent" 0 \
	"/dev/fd/$fd/ct-trigger noop ra2")"
ct_done

ct_case "execsnoop: --json of a failed fexecve"
tool_start execsnoop --json -v -x -n ct-trigger
trigger_exec execveat "$noexec" argv0 fa1
tool_stop
expect_json_line "{\"uid\":0,\"comm\":\"ct-trigger\",\"pid\":$child,\"ppid\":$parent,\"err\":13,\"errno\":\"EACCES\",\"filename\":\"/dev/fd/$fd\",\"filename_truncated\":false,\"args\":[\"argv0\",\"fa1\"],\"args_truncated\":false,\"interpreter\":null}"
ct_done

ct_case "execsnoop: --max-args shows ... only past the limit"
tool_start execsnoop --max-args 3 -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop three
c3=$child p3=$parent
trigger_exec exec "$TRIGGER" argv0 noop three four
tool_stop
expect_line "$(exec_line ct-trigger "$c3" "$p3" 0 "$TRIGGER noop three")"
expect_line "$(exec_line ct-trigger "$child" "$parent" 0 \
	"$TRIGGER noop three ...")"
ct_done

ct_case "execsnoop: --max-args on failed execs"
tool_start execsnoop -x --max-args 2 -n ct-trigger
trigger_exec exec /nonexistent/p p two
c2=$child p2=$parent
trigger_exec exec /nonexistent/p p two three
tool_stop
expect_line "$(exec_line ct-trigger "$c2" "$p2" -2 "/nonexistent/p two")"
expect_line "$(exec_line ct-trigger "$child" "$parent" -2 \
	"/nonexistent/p two ...")"
ct_done

ct_case "execsnoop: -n and -l filter"
tool_start execsnoop -l MARK_L1 -n ct-trig
trigger_exec exec "$TRIGGER" argv0 noop MARK_L1
c1=$child p1=$parent
trigger_exec exec "$TRIGGER" argv0 noop MARK_OTHER
tool_stop
expect_line "$(exec_line ct-trigger "$c1" "$p1" 0 "$TRIGGER noop MARK_L1")"
expect_no_grep "MARK_OTHER"
ct_done

ct_case "execsnoop: -n with no match shows nothing"
tool_start execsnoop -n nomatchname
trigger_exec exec "$TRIGGER" argv0 noop
tool_stop
expect_no_grep "ct-trigger"
ct_done

# A #! script's argv in the new program is [interpreter, its optional
# argument, script path, caller's argv[1]...]: execsnoop shows the caller's
# part, and the interpreter's words apart.
sh_script=$(script ct-sh.sh '#!/bin/sh' 'exit 0')
inner=$(script ct-inner.sh '#!/bin/sh' 'exit 0')
nest=$(script ct-nest.sh "#!$inner XMARK")

ct_case "execsnoop: a #! script shows as the caller ran it"
tool_start execsnoop -n ct-
trigger_exec exec "$sh_script" argv0 arg1 "two words"
c1=$child p1=$parent
trigger_exec exec "$nest" argv0 n1
tool_stop
expect_line "$(exec_line ct-sh.sh "$c1" "$p1" 0 "$sh_script arg1 two words")"
expect_line "$(exec_line ct-nest.sh "$child" "$parent" 0 "$nest n1")"
ct_done

ct_case "execsnoop: -i shows the interpreter, nested ones too"
tool_start execsnoop -i -n ct-
trigger_exec exec "$sh_script" argv0 arg1 "two words"
c1=$child p1=$parent
trigger_exec exec "$nest" argv0 n1
c2=$child p2=$parent
trigger_exec exec "$TRIGGER" argv0 noop plain
tool_stop
expect_line "$(exec_line_interp PCOMM PID PPID RET INTERP ARGS)"
expect_line "$(exec_line_interp ct-sh.sh "$c1" "$p1" 0 /bin/sh \
	"$sh_script arg1 two words")"
expect_line "$(exec_line_interp ct-nest.sh "$c2" "$p2" 0 \
	"/bin/sh,$inner,XMARK" "$nest n1")"
expect_line "$(exec_line_interp ct-trigger "$child" "$parent" 0 - \
	"$TRIGGER noop plain")"
ct_done

ct_case "execsnoop: -i -q quotes the interpreter's words"
tool_start execsnoop -i -q -n ct-
trigger_exec exec "$nest" argv0 "n 1"
tool_stop
expect_line "$(exec_line_interp ct-nest.sh "$child" "$parent" 0 \
	"\"/bin/sh\",\"$inner\",\"XMARK\"" "\"$nest\" \"n 1\"")"
ct_done

ct_case "execsnoop: --json has the script's argv and its interpreter"
tool_start execsnoop --json -v -n ct-
trigger_exec exec "$sh_script" argv0 arg1 "two words"
c1=$child p1=$parent
trigger_exec exec "$nest" argv0 n1
tool_stop
expect_json_line "{\"uid\":0,\"comm\":\"ct-sh.sh\",\"pid\":$c1,\"ppid\":$p1,\"err\":0,\"errno\":null,\"filename\":\"$sh_script\",\"filename_truncated\":false,\"args\":[\"$sh_script\",\"arg1\",\"two words\"],\"args_truncated\":false,\"interpreter\":[\"/bin/sh\"]}"
expect_json_line "{\"uid\":0,\"comm\":\"ct-nest.sh\",\"pid\":$child,\"ppid\":$parent,\"err\":0,\"errno\":null,\"filename\":\"$nest\",\"filename_truncated\":false,\"args\":[\"$nest\",\"n1\"],\"args_truncated\":false,\"interpreter\":[\"/bin/sh\",\"$inner\",\"XMARK\"]}"
ct_done

ct_case "execsnoop: #!/usr/bin/env with an argument"
# The guest's busybox has no python3: env runs sh there.
interp=python3
[ -x /usr/bin/python3 ] || [ -x /bin/python3 ] || interp=sh
if [ ! -x /usr/bin/env ]; then
	ct_skip "no /usr/bin/env here"
else
	env_script=$(script ct-env.sh "#!/usr/bin/env $interp")
	tool_start execsnoop -i -n ct-env
	trigger_exec exec "$env_script" argv0 x
	tool_stop
	expect_line "$(exec_line_interp ct-env.sh "$child" "$parent" 0 \
		"/usr/bin/env,$interp" "$env_script x")"
	tool_start execsnoop --json -v -n ct-env
	trigger_exec exec "$env_script" argv0 x
	tool_stop
	expect_json_line "{\"uid\":0,\"comm\":\"ct-env.sh\",\"pid\":$child,\"ppid\":$parent,\"err\":0,\"errno\":null,\"filename\":\"$env_script\",\"filename_truncated\":false,\"args\":[\"$env_script\",\"x\"],\"args_truncated\":false,\"interpreter\":[\"/usr/bin/env\",\"$interp\"]}"
fi
ct_done

ct_case "execsnoop: --max-args does not count a script's interpreter"
tool_start execsnoop --max-args 3 -n ct-
trigger_exec exec "$nest" argv0 a b
c2=$child p2=$parent
trigger_exec exec "$nest" argv0 a b c
tool_stop
expect_line "$(exec_line ct-nest.sh "$c2" "$p2" 0 "$nest a b")"
expect_line "$(exec_line ct-nest.sh "$child" "$parent" 0 "$nest a b ...")"
ct_done

ct_case "execsnoop: -l matches neither interpreter words nor argv[0]"
tool_start execsnoop -l MARK -n ct-
trigger_exec exec "$nest" argv0 n1
c1=$child
trigger_exec exec "$TRIGGER" argv0_MARK noop
c2=$child
trigger_exec exec "$nest" argv0 LMARK
tool_stop
expect_line "$(exec_line ct-nest.sh "$child" "$parent" 0 "$nest LMARK")"
expect_no_grep "^ct-nest.sh  *$c1 "
expect_no_grep "^ct-trigger  *$c2 "
ct_done

ct_case "execsnoop: -l matches the file name shown"
tool_start execsnoop -l ct-sh.sh -n ct-
trigger_exec exec "$sh_script" argv0 a
tool_stop
expect_line "$(exec_line ct-sh.sh "$child" "$parent" 0 "$sh_script a")"
ct_done

for tp in raw_tp tracepoint; do
	ct_case "execsnoop: scripts with CT_FORCE_TP=$tp"
	CT_FORCE_TP=$tp tool_start execsnoop -v -i -n ct-
	trigger_exec exec "$nest" argv0 n1
	tool_stop
	expect_grep "^execsnoop: exec: using $tp\$" "$err"
	if [ "$tp" = raw_tp ]; then
		expect_line "$(exec_line_interp ct-nest.sh "$child" "$parent" 0 \
			"/bin/sh,$inner,XMARK" "$nest n1")"
	else
		# Documented: the plain tracepoint cannot tell a script.
		expect_grep "plain tracepoint cannot tell scripts" "$err"
		expect_line "$(exec_line_interp ct-nest.sh "$child" "$parent" 0 \
			- "$nest $inner XMARK $nest n1")"
	fi
	ct_done
done

# Limits: the file name is read up to 511 bytes, argv up to 4095 bytes
# (each string with its NUL), at most 128 arguments; exactly at a limit
# nothing is cut. $runs collects "N:CHILD:PARENT" of each exec.
ct_case "execsnoop: file names of 510 to 513 bytes, failed exec"
tool_start execsnoop -x -n ct-trigger
runs=
for n in 510 511 512 513; do
	trigger_exec exec "$(long_path $n ct-nofile)" argv0 arg
	runs="$runs $n:$child:$parent"
done
tool_stop
for r in $runs; do
	IFS=: read -r n c p <<-EOR
	$r
	EOR
	name=$(long_path "$n" ct-nofile)
	[ "$n" -gt 511 ] && name="$(echo "$name" | cut -c1-511)..."
	expect_line "$(exec_line ct-trigger "$c" "$p" -2 "$name arg")"
done
ct_done

ct_case "execsnoop: file names of 510 to 512 bytes, exec and --json"
for n in 510 511 512; do
	lp=$(long_path $n ct-long)
	mkdir -p "${lp%/*}"
	ln -s "$TRIGGER" "$lp"
done
for json in "" "--json -v"; do
	tool_start execsnoop $json -n ct-long
	runs=
	for n in 510 511 512; do
		trigger_exec exec "$(long_path $n ct-long)" argv0 noop
		runs="$runs $n:$child:$parent"
	done
	tool_stop
	for r in $runs; do
		IFS=: read -r n c p <<-EOR
		$r
		EOR
		name=$(long_path "$n" ct-long) cut=false
		if [ "$n" -gt 511 ]; then
			name=$(echo "$name" | cut -c1-511) cut=true
		fi
		if [ -z "$json" ]; then
			[ $cut = true ] && name=$name...
			expect_line "$(exec_line ct-long "$c" "$p" 0 "$name noop")"
		else
			expect_json_line "{\"uid\":0,\"comm\":\"ct-long\",\"pid\":$c,\"ppid\":$p,\"err\":0,\"errno\":null,\"filename\":\"$name\",\"filename_truncated\":$cut,\"args\":[\"argv0\",\"noop\"],\"args_truncated\":false,\"interpreter\":null}"
		fi
	done
done
ct_done

# A failed exec's argv is read with bpf_loop() where the kernel has it,
# else (and with CT_NO_BPF_LOOP=1) in a bounded loop: the same limits.
ct_case "execsnoop: -x reads a failed exec's argv with bpf_loop() (5.17+)"
tool_start execsnoop -x -v -n ct-trigger
tool_stop
expect_status 0
if [ "$(ct_kernel_helper loop 5017)" = yes ]; then
	expect_grep "^execsnoop: failed exec: argv read with bpf_loop()\$" "$err"
else
	expect_grep "^execsnoop: failed exec: argv read in a bounded loop: no bpf_loop() in this kernel (5.17+)\$" "$err"
fi
CT_NO_BPF_LOOP=1 tool_start execsnoop -x -v -n ct-trigger
tool_stop
expect_grep "^execsnoop: failed exec: argv read in a bounded loop: CT_NO_BPF_LOOP is set\$" "$err"
ct_done

# exec_and_fail N ARG...: ct-trigger execs itself with ARGs, then a program
# that does not exist with the same; adds N:CHILD:PARENT:RET:PATH of each
# to $runs.
exec_and_fail() {
	n=$1
	shift
	trigger_exec exec "$TRIGGER" "$@"
	runs="$runs $n:$child:$parent:0:$TRIGGER"
	trigger_exec exec /nonexistent/p "$@"
	runs="$runs $n:$child:$parent:-2:/nonexistent/p"
}

# argv0 (6 bytes with its NUL) + noop (5) + X (n + 1) = 4094, 4095, 4096.
for how in "" " (CT_NO_BPF_LOOP=1)"; do
	export CT_NO_BPF_LOOP=${how:+1}
	ct_case "execsnoop: argv of 4094, 4095 and 4096 bytes, exec and failed$how"
	tool_start execsnoop -x -n ct-trigger
	runs=
	for n in 4082 4083 4084; do
		exec_and_fail "$n" argv0 noop "$(pad $n)"
	done
	tool_stop
	for r in $runs; do
		IFS=: read -r n c p ret path <<-EOR
		$r
		EOR
		more=
		[ "$n" -gt 4083 ] && more=" ..."
		expect_line "$(exec_line ct-trigger "$c" "$p" "$ret" \
			"$path noop $(pad "$n")$more")"
	done
	ct_done
done
unset CT_NO_BPF_LOOP

# The script's path (its length + 1) + X (n + 1) = 4094, 4095, 4096: the
# interpreter's words in front do not count.
ct_case "execsnoop: a script's argv of 4094, 4095 and 4096 bytes"
base=$((4094 - ${#sh_script} - 2))
for json in "" "--json -v"; do
	tool_start execsnoop $json -n ct-sh.sh
	runs=
	for n in $base $((base + 1)) $((base + 2)); do
		trigger_exec exec "$sh_script" argv0 "$(pad $n)"
		runs="$runs $n:$child:$parent"
	done
	tool_stop
	for r in $runs; do
		IFS=: read -r n c p <<-EOR
		$r
		EOR
		cut=false more=
		[ "$n" -gt $((base + 1)) ] && cut=true more=" ..."
		if [ -z "$json" ]; then
			expect_line "$(exec_line ct-sh.sh "$c" "$p" 0 \
				"$sh_script $(pad "$n")$more")"
		else
			expect_json_line "{\"uid\":0,\"comm\":\"ct-sh.sh\",\"pid\":$c,\"ppid\":$p,\"err\":0,\"errno\":null,\"filename\":\"$sh_script\",\"filename_truncated\":false,\"args\":[\"$sh_script\",\"$(pad "$n")\"],\"args_truncated\":$cut,\"interpreter\":[\"/bin/sh\"]}"
		fi
	done
done
ct_done

for how in "" " (CT_NO_BPF_LOOP=1)"; do
	export CT_NO_BPF_LOOP=${how:+1}
	ct_case "execsnoop: --max-args 128 with 127, 128 and 129 arguments$how"
	tool_start execsnoop -x --max-args 128 -n ct-trigger
	# argv0, noop and 125, 126, 127 more: 127, 128, 129 arguments.
	runs=
	for n in 125 126 127; do
		exec_and_fail "$n" argv0 noop $(pad $n 'y ')
	done
	tool_stop
	for r in $runs; do
		IFS=: read -r n c p ret path <<-EOR
		$r
		EOR
		shown=$(pad "$n" ' y')
		[ "$n" -gt 126 ] && shown="$(pad 126 ' y') ..."
		expect_line "$(exec_line ct-trigger "$c" "$p" "$ret" \
			"$path noop$shown")"
	done
	ct_done
done
unset CT_NO_BPF_LOOP

ct_case "execsnoop: --ppid keeps only children of that process"
tool_start execsnoop --ppid $$ -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop grandchild
tool_stop
# The trigger itself is this shell's child; the process it forks is not.
expect_grep "^ct-trigger  *$parent  *$$  *0 .*exec"
expect_no_grep "^ct-trigger  *$child "
ct_done

ct_case "execsnoop: -u by name and by number"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	for who in nobody 65534; do
		tool_start execsnoop -u "$who" -n ct-trigger
		trigger_exec exec "$TRIGGER" argv0 noop asroot
		set -- $(setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$TRIGGER" exec "$TRIGGER" argv0 noop asnobody)
		tool_stop
		expect_line "$(exec_line ct-trigger "$1" "$2" 0 \
			"$TRIGGER noop asnobody")"
		expect_no_grep "asroot"
	done
fi
ct_done

ct_case "execsnoop: -U and -T columns"
tool_start execsnoop -U -T -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop cols
tool_stop
expect_line "TIME     UID   PCOMM            PID     PPID    RET ARGS"
expect_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] 0     ct-trigger  *$child "
ct_done

# What the exec program costs each exec (bench/RESULTS.md): with tp_btf,
# the task's numbers and name and bprm's file names are loads from the
# typed arguments, the clock is read only for a time column, and the
# argument bounds come in one read with the task's mm: 4 helper reads of
# kernel memory (mm, bounds, the parent and its tgid).
ct_case "execsnoop: the tp_btf program's helper calls"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "bpftool is not installed"
else
	tool_start execsnoop -v -n ct-trigger
	calls=$(ct_prog_calls btf_exec)
	tool_stop
	expect_grep "^execsnoop: exec: using tp_btf\$" "$err"
	for c in bpf_get_current_comm bpf_get_current_pid_tgid \
		bpf_get_current_task; do
		printf '%s\n' "$calls" | grep -qx "$c" &&
			ct_fail "btf_exec calls $c"
	done
	n=$(printf '%s\n' "$calls" | grep -cx bpf_probe_read_kernel)
	[ "$n" = 4 ] || ct_fail "btf_exec reads kernel memory $n times, not 4"
	clock=$(printf '%s\n' "$calls" | grep -cx bpf_ktime_get_ns)
	for a in -T -t --json; do
		tool_start execsnoop -v $a -n ct-trigger
		n=$(ct_prog_calls btf_exec | grep -cx bpf_ktime_get_ns)
		tool_stop
		[ "$n" = $((clock + 1)) ] ||
			ct_fail "$a: btf_exec reads the clock $n times, not $((clock + 1))"
	done
fi
ct_done

ct_case "execsnoop: -t seconds since start"
tool_start execsnoop -t -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop ts
tool_stop
expect_grep "^[0-9]*\.[0-9][0-9][0-9]  *ct-trigger  *$child "
ct_done

ct_case "execsnoop: -c keeps only the cgroup's processes"
if ! ct_make_cgroup execsnoop; then
	ct_skip "cannot create a cgroup v2 directory"
else
	tool_start execsnoop -c "$cg" -n ct-trigger
	trigger_exec exec "$TRIGGER" argv0 noop outside
	set -- $(ct_in_cgroup "$cg" "$TRIGGER" exec "$TRIGGER" argv0 noop inside)
	tool_stop
	expect_line "$(exec_line ct-trigger "$1" "$2" 0 "$TRIGGER noop inside")"
	expect_no_grep "outside"
fi
ct_done

ct_case "execsnoop: -c rejects a cgroup v1 path"
v1=$(awk '$3 == "cgroup" { print $2; exit }' /proc/mounts)
if [ -z "$v1" ]; then
	ct_skip "no cgroup v1 hierarchy is mounted here"
else
	run_tool execsnoop -c "$v1"
	expect_status 2
	expect_grep "^execsnoop: -c/--cgroup: '$v1' is not a cgroup v2 directory" "$err"
	[ "$(wc -l <"$err")" -eq 1 ] || ct_fail "more than one line of error"
fi
ct_done

ct_case "execsnoop: --json lines parse and carry the data"
tool_start execsnoop --json -v -x -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop "a b" "nl${nl}x"
ok_child=$child ok_parent=$parent
trigger_exec exec /nonexistent/prog prog
tool_stop
if ! have_python; then
	ct_skip "python3 is not installed: no JSON parser to check with"
else
	python3 - "$out" "$ok_child" "$ok_parent" "$child" "$TRIGGER" <<'PY' || ct_fail "JSON check failed"
import json, sys
path, okc, okp, failc, trig = sys.argv[1:]
events = [json.loads(l) for l in open(path, encoding="utf-8")]
ok = [e for e in events if e["pid"] == int(okc)]
bad = [e for e in events if e["pid"] == int(failc)]
assert len(ok) == 1 and len(bad) == 1, events
ok, bad = ok[0], bad[0]
assert ok["ppid"] == int(okp) and ok["err"] == 0 and ok["errno"] is None
assert ok["args"] == ["argv0", "noop", "a b", "nl\nx"], ok
assert ok["filename"] == trig and ok["comm"] == "ct-trigger"
assert ok["args_truncated"] is False and ok["filename_truncated"] is False
assert ok["interpreter"] is None and "ret" not in ok and "truncated" not in ok
assert ok["uid"] == 0 and ok["user"] == "root"
assert bad["err"] == 2 and bad["errno"] == "ENOENT"
assert bad["filename"] == "/nonexistent/prog" and bad["args"] == ["prog"]
assert ok["time"].endswith("Z") and "T" in ok["time"]
PY
fi
ct_done

ct_case "execsnoop: perf buffer fallback delivers events"
CT_FORCE_PERFBUF=1 tool_start execsnoop -v -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop perfbuf
tool_stop
expect_grep "events: using perf buffer" "$err"
expect_line "$(exec_line ct-trigger "$child" "$parent" 0 "$TRIGGER noop perfbuf")"
ct_done

ct_case "execsnoop: -d 1 ends by itself with status 0"
start=$(date +%s)
run_tool execsnoop -d 1
end=$(date +%s)
expect_status 0
[ $((end - start)) -le 4 ] || ct_fail "took $((end - start)) s"
ct_done

for sig in INT TERM HUP; do
	ct_case "execsnoop: SIG$sig exits 0 and leaves no BPF program"
	tool_start execsnoop
	record_bpf_ids
	tool_stop "$sig"
	expect_status 0
	expect_no_bpf_left
	ct_done
done

ct_case "execsnoop: a closed pipe ends it quietly with status 0"
( "$CT_BIN/execsnoop" -n ct-trigger 2>"$err"; echo $? >"$CT_TMP/st" ) |
	head -1 >"$out" &
ct_sleep 1.5
trigger_exec exec "$TRIGGER" argv0 noop
trigger_exec exec "$TRIGGER" argv0 noop
wait
[ "$(cat "$CT_TMP/st")" = 0 ] || ct_fail "exit status $(cat "$CT_TMP/st")"
[ -s "$err" ] && ct_fail "stderr: $(cat "$err")"
ct_done

ct_case "execsnoop: bad input gets one line and status 2"
for args in "-u no_such_user_x" "-p abc" "-p -1" "-p 0" "-p 99999999999" \
	"-d 0" "-d -1" "-d abc" "-n abcdefghijklmnopq" "--max-args 0" \
	"--max-args 100000" "--ppid x" "-c /nonexistent" "-l" "--bogus" \
	"extra"; do
	run_tool execsnoop $args
	[ "$tool_status" = 2 ] || ct_fail "'$args': status $tool_status"
	head -1 "$err" | grep -q '^execsnoop: ' ||
		ct_fail "'$args': first line '$(head -1 "$err")'"
done
run_tool execsnoop -n ""
[ "$tool_status" = 2 ] || ct_fail "'-n \"\"': status $tool_status"
ct_done

ct_case "execsnoop: unprivileged run says what is missing"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "setpriv (util-linux) is not installed"
else
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$CT_BIN/execsnoop" >"$out" 2>"$err"
	tool_status=$?
	expect_status 1
	[ -s "$out" ] && ct_fail "stdout: $(cat "$out")"
	[ "$(cat "$err")" = "execsnoop: needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN): try 'sudo execsnoop'" ] ||
		ct_fail "stderr: $(cat "$err")"
fi
ct_done

ct_case "execsnoop: exec from a non-leader thread, -x leaves no state behind"
if ! command -v setpriv >/dev/null 2>&1 || ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "needs setpriv and bpftool"
else
	tool_start execsnoop -x -u 65534
	set -- $(setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CT_BIN/tests/thread-exec" "$TRIGGER" argv0 noop fromthread)
	ct_sleep 0.3
	left=$(bpftool map dump name starts 2>/dev/null | grep -c '"key"\|^key' || true)
	tool_stop
	expect_line "$(exec_line ct-trigger "$1" "$2" 0 "$TRIGGER noop fromthread")"
	[ "$left" = 0 ] || ct_fail "$left exec entries left in the starts map"
fi
ct_done

ct_case "execsnoop: text, --json and --csv of one failed exec agree field by field"
f=time,uid,user,comm,pid,ppid,err,errno,filename,args
fields_start execsnoop -x --fields=$f -n ct-trigger
trigger_exec exec /nonexistent/FIELDS1 prog "a,b" 'q"x' "s p"
fields_stop
expect_grep "^[0-2][0-9]:[0-5][0-9]:[0-6][0-9] 0     root     ct-trigger       $child  *$parent  *-2 ENOENT  *"
expect_grep "^[-0-9T:.]*Z,0,root,ct-trigger,$child,$parent,2,ENOENT,/nonexistent/FIELDS1,\"prog a,b q\"\"x s\\\\x20p\"\$" \
	"$CT_TMP/fields.csv"
# Last: without python3 it skips the case.
fields_agree "$f" pid "$child"
ct_done

ct_case "execsnoop: --fields picks fields and their order, in every format"
tool_start execsnoop --fields=pid,comm,cmdline -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop picked
tool_stop
expect_line "PID     PCOMM            ARGS"
expect_line "$(printf '%-7s %-16s %s' "$child" ct-trigger "$TRIGGER noop picked")"
tool_start execsnoop --json -v --fields=pid,args,time,err -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop picked
tool_stop
expect_grep "^{\"pid\":$child,\"args\":\[\"argv0\",\"noop\",\"picked\"\],\"time\":\"[-0-9T:.]*Z\",\"err\":0}\$"
ct_done

ct_case "execsnoop: --fields=+NAME and -T/-U/-i add to the defaults"
tool_start execsnoop --fields=+errno,+ppid -U -n ct-trigger
trigger_exec exec "$TRIGGER" argv0 noop added
tool_stop
expect_line "UID   PCOMM            PID     PPID    RET ERRNO           ARGS"
expect_line "$(printf '%-5s %-16s %-7s %-7s %3s %-15s %s' 0 ct-trigger "$child" "$parent" 0 - "$TRIGGER noop added")"
ct_done

ct_case "execsnoop: --fields=help, unknown and repeated fields, --csv with --json"
run_tool execsnoop --fields=help
expect_status 0
expect_grep "^time  *when (text: HH:MM:SS)\$"
expect_grep "^cmdline  *filename then argv"
[ "$(wc -l <"$out")" -eq 15 ] || ct_fail "$(wc -l <"$out") fields listed"
expect_fields_usage execsnoop pid
ct_done
