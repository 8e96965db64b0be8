# Runtime tests of profile: perf_event sampling of stacks, named from
# kallsyms and from the sampled programs' files. tests/helpers/profile's
# ct-profile spins in main -> prof_a -> prof_b -> prof_spin, with frame
# pointers: built as a non-PIE, a PIE and a stripped copy whose functions
# are only in the debug file it links, and a stripped PIE whose functions
# are in its MiniDebugInfo and .dynsym; "jit" spins in code it wrote, named
# in its /tmp/perf-PID.map. Folded lines are checked frame by frame.
. "$(dirname "$0")/lib.sh"
ct_require_root "profile"

H=$CT_PUBLIC_BIN/tests
CHAIN='main;prof_a;prof_b;prof_spin'

# helper COPY-NAME ARGS...: run ct-profile as $CT_TMP/COPY-NAME (its comm)
# in the background; its pid in $hpid.
helper() {
	name=$1
	shift
	[ -e "$CT_TMP/$name" ] || cp "$H/ct-profile" "$CT_TMP/$name"
	"$CT_TMP/$name" "$@" &
	hpid=$!
}

# expect_chain COMM [TAIL]: a folded line of COMM ends in the call chain
# (then TAIL: more frames, ";ct_jit_spin"...), outermost frame first.
expect_chain() {
	expect_grep "^$1;\(.*;\)\{0,1\}${2:-$CHAIN} [1-9][0-9]*\$"
}

ct_case "profile: -f: the call chain, in order, of a non-PIE, a PIE, a stripped program with a debug link, a process gone before the report"
tool_start profile -f -d 3.5 -v
helper ct-prof-early spin 1
early=$hpid
"$H/ct-profile" spin 2 & p1=$!
"$H/ct-profile-pie" spin 2 & p2=$!
"$H/ct-profile-stripped" spin 2 & p3=$!
wait $early $p1 $p2 $p3
tool_wait
expect_status 0
# Which step lost it, should it fail: its mappings read too late (-v).
expect_no_grep "^profile: process $early exited before" "$err"
expect_chain ct-profile
expect_chain ct-profile-pie
# comm is 15 bytes at most.
expect_chain ct-profile-stri
expect_chain ct-prof-early
# Idle CPUs are left out without -I.
expect_no_grep '^swapper/[0-9]*;'
expect_grep "^profile: perf_event: using cpu-clock, on [0-9]* CPUs\$" "$err"
ct_done

ct_case "profile: a debug link to a FIFO stalls nothing: offsets shown, a process that exits meanwhile named"
# Debug files are found by names the traced program chooses: a FIFO (or a
# device node) named like one must not be opened for real, nor make root's
# tool wait for a writer that never comes. No writer holds this one.
mkdir "$CT_TMP/fifo"
cp "$H/ct-profile-stripped" "$CT_TMP/fifo/ct-prof-fifo"
fifo=$CT_TMP/fifo/ct-profile-stripped.debug
mkfifo "$fifo"
tool_start profile -f -d 3 -v
"$CT_TMP/fifo/ct-prof-fifo" spin 2.5 &
slow=$!
ct_sleep 1
helper ct-prof-gone spin 1
gone=$hpid
wait $gone $slow
# Past its 3 s and a grace, a tool waiting on the FIFO is still there.
i=0
while ct_running "$tool_pid" && [ $i -lt 50 ]; do
	ct_sleep 0.1
	i=$((i + 1))
done
if ct_running "$tool_pid"; then
	ct_fail "profile still runs 5 s after its 3 s: it waits on the FIFO"
	# A reader and writer at once never block: it frees the tool.
	exec 3<>"$fifo"
	exec 3>&-
fi
tool_wait
rm "$fifo"
expect_status 0
# Which step lost it, should it fail: its mappings read too late (-v).
expect_no_grep "^profile: process $gone exited before" "$err"
expect_chain ct-prof-gone
expect_grep '^ct-prof-fifo;.*;\[ct-prof-fifo+0x[0-9a-f]*\] [0-9]*$'
ct_done

ct_case "profile: a stripped program without its debug file: file offsets"
mkdir "$CT_TMP/nodebug"
cp "$H/ct-profile-stripped" "$CT_TMP/nodebug/"
# -p: the same program runs with its debug file elsewhere (other tests).
"$CT_TMP/nodebug/ct-profile-stripped" spin 2.5 &
hpid=$!
ct_sleep 0.3
tool_start profile -f -d 1.5 -v -p $hpid
tool_wait
wait $hpid
expect_status 0
expect_grep '^ct-profile-stri;.*;\[ct-profile-stripped+0x[0-9a-f]*\] [0-9]*$'
expect_no_grep '^ct-profile-stri;.*prof_spin'
ct_done

ct_case "profile: a stripped PIE's MiniDebugInfo (.gnu_debugdata) with its .dynsym; without it, file offsets"
# prof_b is in both files' .dynsym; main, prof_a and prof_spin are only in
# ct-profile-mini's MiniDebugInfo.
tool_start profile -f -d 3 -v
"$H/ct-profile-mini" spin 2 & p1=$!
"$H/ct-profile-nomini" spin 2 & p2=$!
wait $p1 $p2
tool_wait
expect_status 0
expect_chain ct-profile-mini
f='\[ct-profile-nomini+0x[0-9a-f]*\]'
expect_grep "^ct-profile-nomi;\(.*;\)\{0,1\}$f;$f;prof_b;$f [1-9][0-9]*\$"
expect_no_grep '^ct-profile-nomi;.*prof_spin'
expect_no_grep '^ct-profile-nomi;.*prof_a'
ct_done

ct_case "profile: MiniDebugInfo: -a text frames, --json frames"
"$H/ct-profile-mini" spin 30 &	# bounded, should the file stop here
hpid=$!
tool_start profile -a -U -p "$hpid" -d 1.5
tool_wait
expect_status 0
for fn in prof_spin prof_b prof_a main; do
	expect_grep "^    0x[0-9a-f]* $fn+0x[0-9a-f]* ($H/ct-profile-mini+0x[0-9a-f]*)\$"
done
tool_start profile --json -U -v -p "$hpid" -d 1.5
tool_wait
kill $hpid
wait $hpid 2>/dev/null
expect_status 0
expect_grep '"sym":"prof_a","offset":[0-9]*,"dso":"'"$H"'/ct-profile-mini","dso_offset":[0-9]*}'
if have_python; then
	python3 - "$out" "$H/ct-profile-mini" <<'PY' >"$CT_TMP/py" 2>&1 ||
import json, sys
exe = sys.argv[2]
start, ok = {}, False
for line in open(sys.argv[1]):
    u = json.loads(line)["ustack"]
    if not u or [f["sym"] for f in u[:4]] != \
            ["prof_spin", "prof_b", "prof_a", "main"]:
        continue
    for f in u[:4]:
        assert f["dso"] == exe and f["offset"] >= 0, f
        # Every frame of a function says where it starts in the file.
        s = start.setdefault(f["sym"], f["dso_offset"] - f["offset"])
        assert s == f["dso_offset"] - f["offset"], (f, s)
    ok = True
assert ok, "no stack main -> prof_a -> prof_b -> prof_spin"
PY
	ct_fail "JSON: $(cat "$CT_TMP/py")"
fi
ct_done

ct_case "profile: a stripped program's debug file by build ID, in the process's mount namespace"
if ! command -v unshare >/dev/null 2>&1; then
	ct_skip "no unshare(1) to make a mount namespace"
elif ! why=$(unshare -m true 2>&1); then
	ct_skip "unshare -m fails here: $why"
elif [ ! -d /usr/lib/debug ]; then
	ct_skip "no /usr/lib/debug to mount a debug directory over"
else
	# Only the process's namespace has the debug file, where Debian's
	# -dbgsym packages put them: found through /proc/PID/root.
	id=$("$H/ct-profile-nolink" build-id)
	cp "$H/ct-profile-nolink" "$CT_TMP/ct-prof-buildid"
	unshare -m sh -c 'mount -t tmpfs tmpfs /usr/lib/debug &&
		d=/usr/lib/debug/.build-id/$(echo "$2" | cut -c1-2) &&
		mkdir -p "$d" &&
		cp "$1" "$d/$(echo "$2" | cut -c3-).debug" &&
		exec "$0" spin 2.5' "$CT_TMP/ct-prof-buildid" \
		"$H/ct-profile-stripped.debug" "$id" &
	hpid=$!
	ct_sleep 0.3
	tool_start profile -f -d 1.5 -v
	tool_wait
	wait $hpid
	expect_status 0
	expect_chain ct-prof-buildid
	[ ! -e "/usr/lib/debug/.build-id/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-).debug" ] ||
		ct_fail "the debug file is on the host"
	ct_done
fi

ct_case "profile: text: bcc's stack lines, process and count (-p)"
helper ct-profile spin 30	# bounded, should the file stop here
tool_start profile -p "$hpid" -d 2
wait_line "Sampling at 49 Hz of one process by user + kernel stack... Hit Ctrl-C to end."
tool_wait
kill $hpid
wait $hpid 2>/dev/null
expect_status 0
# The leaf first, each frame on its line, then "-  comm (pid)" and count.
awk -v pid="$hpid" '
	/^    prof_spin$/ { s = 1; next }
	s == 1 && /^    prof_b$/ { s = 2; next }
	s == 2 && /^    prof_a$/ { s = 3; next }
	s == 3 && /^    main$/ { s = 4; next }
	s == 4 && $0 == "    -                ct-profile (" pid ")" { s = 5; next }
	s == 5 && /^        [1-9][0-9]*$/ { ok = 1 }
	s != 4 { s = 0 }
	END { exit !ok }' "$out" ||
	ct_fail "no prof_spin, prof_b, prof_a, main block of ct-profile ($hpid)"
ct_done

ct_case "profile: -a: addresses, offsets and files; --json frames"
helper ct-profile spin 30	# bounded, should the file stop here
tool_start profile -a -p "$hpid" -d 1.5
tool_wait
expect_grep "^    0x[0-9a-f]* prof_spin+0x[0-9a-f]* ($CT_TMP/ct-profile+0x[0-9a-f]*)\$"
expect_grep "^    0x[0-9a-f]* main+0x[0-9a-f]* ($CT_TMP/ct-profile+0x[0-9a-f]*)\$"
tool_start profile --json -v -p "$hpid" -d 1
tool_wait
kill $hpid
wait $hpid 2>/dev/null
expect_status 0
if have_python; then
	python3 - "$out" "$hpid" "$CT_TMP/ct-profile" <<'PY' >"$CT_TMP/py" 2>&1 ||
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
pid, exe = int(sys.argv[2]), sys.argv[3]
ok = False
for r in rows:
    assert r["pid"] == pid and r["comm"] == "ct-profile", r
    assert r["count"] >= 1 and r["kstack_missed"] is False, r
    u = r["ustack"]
    if not u or [f["sym"] for f in u[:4]] != \
            ["prof_spin", "prof_b", "prof_a", "main"]:
        continue
    for f in u[:4]:
        assert f["dso"] == exe and isinstance(f["dso_offset"], int), f
        assert isinstance(f["addr"], int) and f["offset"] >= 0, f
    ok = True
assert ok, "no stack main -> prof_a -> prof_b -> prof_spin"
PY
	ct_fail "JSON: $(cat "$CT_TMP/py")"
fi
ct_done

ct_case "profile: a JIT's frames from its perf map, read after it exited and removed it; names escaped"
if [ "$(uname -m)" != x86_64 ]; then
	ct_skip "the test JIT writes x86_64 code"
else
	# A JIT writes its map after its first samples (exec, start-up):
	# profile looks for it again while the process is sampled.
	tool_start profile -f -d 3.5 -v
	helper ct-profile jit 2
	j1=$hpid
	helper ct-prof-jit2 jit 2 "$(printf 'ct_jit\033[1m;x')"
	wait $j1 $hpid
	tool_wait
	[ ! -e "/tmp/perf-$j1.map" ] || ct_fail "the JIT left its perf map"
	expect_chain ct-profile 'main;ct_jit_spin'
	expect_chain ct-prof-jit2 'main;ct_jit\\x1b\[1m\\x3bx'
	ct_done
fi

ct_case "profile: -K: kernel frames named from /proc/kallsyms, no user frames"
tool_start profile -K -f -d 2 -v
timeout 1.5 dd if=/dev/zero of=/dev/null bs=64k 2>/dev/null
tool_wait
expect_status 0
expect_grep '^dd;\(.*;\)\{0,1\}vfs_read;'
# Every frame of dd is a kernel function (or a stack the map had no slot
# for: on a busy machine some collide).
grep '^dd;' "$out" | sed 's/^dd;//; s/ [0-9]*$//' | tr ';' '\n' |
	grep -vFx '[Missed Kernel Stack]' | sort -u >"$CT_TMP/frames"
awk 'NR == FNR { if ($2 ~ /^[tTwW]$/) known[$3] = 1; next }
	!($0 in known) { print; bad = 1 } END { exit bad }' \
	/proc/kallsyms "$CT_TMP/frames" >"$CT_TMP/unknown" ||
	ct_fail "not kernel functions: $(head -3 "$CT_TMP/unknown" | tr '\n' ' ')"
ct_done

ct_case "profile: -U: user stacks only"
helper ct-profile spin 30	# bounded, should the file stop here
tool_start profile -U --json -p "$hpid" -d 1.5 -v
tool_wait
kill $hpid
wait $hpid 2>/dev/null
[ -s "$out" ] || ct_fail "no stacks"
grep -v '"kstack":null,"kstack_missed":false,"ustack":\[{' "$out" | head -3 \
	>"$CT_TMP/bad"
[ ! -s "$CT_TMP/bad" ] || ct_fail "kernel stack with -U: $(cut -c1-200 "$CT_TMP/bad")"
ct_done

# Two helpers spin: ct-prof-in, which a filter selects, and ct-prof-out.
# filter_start: start them, prefixed by the commands in $run_in and
# $run_out; filter_check: after the tool, only ct-prof-in was sampled.
chmod 755 "$CT_TMP"	# for the helper run as another user
filter_start() {
	for n in ct-prof-in ct-prof-out; do
		[ -e "$CT_TMP/$n" ] || cp "$H/ct-profile" "$CT_TMP/$n"
	done
	$run_in "$CT_TMP/ct-prof-in" spin 3 &
	in_pid=$!
	$run_out "$CT_TMP/ct-prof-out" spin 3 &
	out_pid=$!
	ct_sleep 0.1
}
filter_check() {
	tool_wait
	kill $in_pid $out_pid 2>/dev/null
	wait $in_pid $out_pid 2>/dev/null
	expect_status 0
	expect_chain ct-prof-in
	expect_no_grep '^ct-prof-out;'
}
run_in=
run_out=

ct_case "profile: -p: one process"
filter_start
tool_start profile -f -d 1.5 -v -p "$in_pid"
filter_check
ct_done

ct_case "profile: -L: one thread"
filter_start
tool_start profile -f -d 1.5 -v -L "$in_pid"
filter_check
ct_done

ct_case "profile: -u: one user's processes"
if ! command -v setpriv >/dev/null 2>&1; then
	ct_skip "no setpriv to run a helper as another user"
else
	run_in="setpriv --reuid=65534 --regid=65534 --clear-groups"
	filter_start
	run_in=
	tool_start profile -f -d 1.5 -v -u 65534
	filter_check
	ct_done
fi

ct_case "profile: -c: one cgroup"
if ! ct_make_cgroup profile; then
	ct_skip "cannot make a cgroup v2 directory"
else
	run_in="ct_in_cgroup $cg"
	filter_start
	run_in=
	tool_start profile -f -d 1.5 -v -c "$cg"
	filter_check
	ct_done
fi

ct_case "profile: -C: one CPU"
if [ "$(grep -c '^processor' /proc/cpuinfo)" -lt 2 ]; then
	ct_skip "one CPU only"
elif ! command -v taskset >/dev/null 2>&1; then
	ct_skip "no taskset to pin the helpers"
else
	run_in="taskset 1"
	run_out="taskset 2"
	filter_start
	run_in=
	run_out=
	tool_start profile -f -d 1.5 -v -C 0
	filter_check
	expect_grep "^profile: perf_event: using cpu-clock, on 1 CPUs\$" "$err"
	ct_done
fi

ct_case "profile: --period: every N ns of CPU time"
# All of the helper's run is sampled; it says how much CPU time it had (a
# busy machine may give it little).
tool_start profile -f -d 3 -v --period 5000000
helper ct-prof-period spin 1 "$CT_TMP/cpu_ms"
wait $hpid
tool_wait
expect_status 0
expect_chain ct-prof-period
# A sample per 5 ms of CPU time; at -F 49, one per 20 ms.
n=$(awk '/^ct-prof-period;/ { n += $NF } END { print n + 0 }' "$out")
ms=$(cat "$CT_TMP/cpu_ms")
[ "$n" -gt $((ms / 5 * 6 / 10)) ] ||
	ct_fail "$n samples in $ms ms of CPU time at one per 5 ms"
ct_done

ct_case "profile: -I: the CPUs' idle tasks, when they ran"
idle_ticks() {
	awk '/^cpu / { print $5; exit }' /proc/stat
}
# Idle time counted while it samples only (not during its start-up, which
# a busy machine can make long); 0.5 s of idle CPU at 49 Hz is ~25 samples.
tool_start profile -I -K -f -d 1.5 -v
before=$(idle_ticks)
tool_wait
expect_status 0
if [ $(($(idle_ticks) - before)) -gt 50 ]; then
	expect_grep '^swapper/[0-9]*;'
fi
ct_done

ct_case "profile: a full stack map: missed stacks and counts reported"
helper ct-profile spin 3
p1=$hpid
helper ct-prof-jit2 jit 3
p2=$hpid
"$H/ct-profile-pie" spin 3 &
p3=$!
tool_start profile -f -d 1.5 -v --stack-storage-size 1
tool_wait
kill $p1 $p2 $p3 2>/dev/null
wait $p1 $p2 $p3 2>/dev/null
expect_status 0
expect_grep '^profile: [1-9][0-9]* stacks missed (no slot in the stack map): raise --stack-storage-size$' "$err"
expect_grep '^profile: [1-9][0-9]* samples not counted (a map was full)$' "$err"
ct_done

ct_case "profile: a stack whose slot another holds is kept in the second map"
# 32 chains of 32 depths, and their leaves: far more stacks than the 4
# slots of the first map; the second (a quarter: 1 slot) takes one more.
"$H/ct-profile" depths 30 &	# bounded, should the file stop here
hpid=$!
tool_start profile -U -f -F 499 -d 1.5 -v -p "$hpid" --stack-storage-size 4
tool_wait
kill $hpid
wait $hpid 2>/dev/null
expect_status 0
expect_grep '^profile: 5 stacks kept, 1 of them in the second map (their slot in the first held another stack)$' "$err"
expect_grep '^profile: [1-9][0-9]* stacks missed (no slot in the stack map): raise --stack-storage-size$' "$err"
expect_chain ct-profile 'main;depths;prof_deep;\(prof_deep;\)*prof_spin'
ct_done

ct_case "profile: a program seen only in another mount namespace"
if ! command -v unshare >/dev/null 2>&1; then
	ct_skip "no unshare(1) to make a mount namespace"
elif ! why=$(unshare -m true 2>&1); then
	ct_skip "unshare -m fails here: $why"
else
	# Here ct-prof-ns is not even an ELF file; in the namespace the
	# helper is mounted over it: only /proc/PID/map_files or
	# /proc/PID/root reach the file the process runs.
	echo "not the program" >"$CT_TMP/ct-prof-ns"
	cp "$H/ct-profile" "$CT_TMP/ns-real"
	unshare -m sh -c 'mount --bind "$0" "$1" && exec "$1" spin 2.5' \
		"$CT_TMP/ns-real" "$CT_TMP/ct-prof-ns" &
	hpid=$!
	ct_sleep 0.3
	tool_start profile -f -d 1.5 -v
	tool_wait
	wait $hpid
	expect_status 0
	expect_chain ct-prof-ns
	ct_done
fi

ct_case "profile: an untrusted command name, escaped in text, folded and JSON"
name=$(printf 'ct\033[1mp\nq')
cp "$H/ct-profile" "$CT_TMP/$name"
"$CT_TMP/$name" spin 30 &	# bounded, should the file stop here
hpid=$!
tool_start profile -d 1.2 -p "$hpid"
tool_wait
expect_line "    -                ct\\x1b[1mp\\nq ($hpid)"
tool_start profile -f -d 1.2 -v -p "$hpid"
tool_wait
expect_chain 'ct\\x1b\[1mp\\nq'
tool_start profile --json -d 1.2 -v -p "$hpid"
tool_wait
kill $hpid
wait $hpid 2>/dev/null
expect_grep '^{"time":"[-0-9T:.]*Z","pid":[0-9]*,"comm":"ct\\u001b\[1mp\\nq",'
if have_python; then
	python3 -c 'import json, sys
for l in open(sys.argv[1]): json.loads(l)' "$out" ||
		ct_fail "invalid JSON"
fi
ct_done

ct_case "profile: bcc's positional duration; usage errors"
run_tool profile 0.5
expect_status 0
expect_line "Sampling at 49 Hz of all threads by user + kernel stack... Hit Ctrl-C to end."
run_tool profile -U -K
expect_status 2
expect_grep '^profile: -U and -K exclude each other$' "$err"
run_tool profile -f --json
expect_status 2
run_tool profile --journal
expect_status 2
expect_grep "unrecognized option '--journal'" "$err"
run_tool profile -C 100000
expect_status 2
run_tool profile 1 2
expect_status 2
# Above the kernel's maximum rate: one line, a runtime error.
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
run_tool profile -F $((max + 1)) -d 1
expect_status 1
expect_grep "^profile: $((max + 1)) Hz is above kernel.perf_event_max_sample_rate ($max)\$" "$err"
ct_done
