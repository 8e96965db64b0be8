# Runtime tests of event delivery (common/consume.c): every event is shown
# while the tool runs, also one sent right after another (the kernel side
# then skips the wake-up); a small buffer keeps being read under load;
# records that wrap around the ring arrive whole, read through a window of
# its pages; a stop signal ends a tool blocked on a full pipe; a closed
# stdout is an error.
. "$(dirname "$0")/lib.sh"
ct_require_root "delivery"

OPEN=$CT_BIN/tests/ct-open
PTY=$CT_BIN/tests/ct-pty
# The helpers under names of their own, which -n filters on: other events
# would wake the tool up and show the late ones too. This run's names
# (lib.sh's CT_ID): the same test in another checkout at once must not
# add its events to the counts here.
L=ct-late.$CT_ID
L1=$L-1
L2=$L-2
LATE=$CT_TMP/$L
ln -s "$OPEN" "$LATE"
ln -s "$TRIGGER" "$CT_TMP/$L1"
ln -s "$TRIGGER" "$CT_TMP/$L2"
: >"$CT_TMP/first"
: >"$CT_TMP/second"

# "PID FD1 FD2" of $L opening first, then second 2 ms later: after
# the tool has taken the first, long before the kernel wakes it again.
open_two() {
	"$LATE" open "$CT_TMP/first" sleep 2 open "$CT_TMP/second" |
		tr '\n' ' '
}

# The line opensnoop prints for PID's open of PATH as FD.
open_line() {
	printf '%-7s %-16s %4s %3s %s\n' "$1" "$L" "$2" 0 "$3"
}

# The --json members from "comm" on, for PID's open of PATH as FD.
json_open() {
	printf '"comm":"%s","syscall":"open","fd":%s,"err":0,' "$L" "$1"
	printf '"errno":null,"flags":0,"flag_names":["O_RDONLY"],"mode":null,'
	printf '"path":"%s","full_path":false,"reconstructed":false,' "$2"
	printf '"truncated":false,"deleted":false,"unresolved":false}'
}

for how in text json perfbuf; do
	ct_case "delivery: opensnoop ($how) shows an open 2 ms after another at once"
	case $how in
	text) tool_start opensnoop -n "$L" ;;
	json) tool_start opensnoop --json -v -n "$L" ;;
	perfbuf) CT_FORCE_PERFBUF=1 tool_start opensnoop -v -n "$L" ;;
	esac
	set -- $(open_two)
	if [ $how = json ]; then
		await_out "the second open" -F -- \
			"\"pid\":$1,\"tid\":$1,"
		await_out "the second open" -F -- \
			"$(json_open "$3" "$CT_TMP/second")"
	else
		wait_line "$(open_line "$1" "$3" "$CT_TMP/second")"
	fi
	tool_stop
	expect_status 0
	[ $how != perfbuf ] ||
		expect_grep "^opensnoop: events: using perf buffer" "$err"
	ct_done
done

# The -v counts of $err as "ASLEEP NAPPING NAPS": the kernel's wake-ups
# of the reader asleep, of the reader napping, and the reader's naps.
wake_counts() {
	sed -n 's/^opensnoop: the kernel woke the reader \([0-9]*\) times asleep, and \([0-9]*\) of its \([0-9]*\) naps$/\1 \2 \3/p' "$err"
}

# Voluntary context switches of process $1 so far: its wake-ups.
wakeups() {
	sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status"
}

# An idle tool sleeps until the kernel side wakes it for an event: it
# never looks again by itself, so an open it were not woken for would not
# be shown at all.
for how in text json; do
	ct_case "delivery: opensnoop ($how) sleeps while idle, and a lone open wakes it at once"
	case $how in
	text) tool_start opensnoop -n "$L" ;;
	json) tool_start opensnoop --json -v -n "$L" ;;
	esac
	ct_sleep 0.5
	w=$(wakeups "$tool_pid")
	ct_sleep 2
	w=$(($(wakeups "$tool_pid") - w))
	if [ -n "${CT_FORCE_PERFBUF:-}" ]; then
		:	# a perf buffer's reader looks again every 100 ms
	elif [ "$w" -gt 2 ]; then
		ct_fail "woke up $w times in 2 s idle"
	fi
	# The second after a second of idling again.
	for n in 1 2; do
		set -- $("$LATE" open "$CT_TMP/first" | tr '\n' ' ')
		if [ $how = json ]; then
			await_out "open $n" -F -- "\"pid\":$1,\"tid\":$1,"
			await_out "open $n" -F -- \
				"$(json_open "$2" "$CT_TMP/first")"
		else
			wait_line "$(open_line "$1" "$2" "$CT_TMP/first")"
		fi
		ct_sleep 1
	done
	tool_stop
	expect_status 0
	if [ -z "${CT_FORCE_PERFBUF:-}" ] && [ $how = json ]; then
		set -- $(wake_counts)
		[ "${1:-0}" -ge 2 ] ||
			ct_fail "the kernel woke the reader ${1:-no} times for 2 lone opens"
	fi
	ct_done
done

# The line execsnoop prints for one exec.
exec_line() {
	printf '%-16s %-7s %-7s %3s %s\n' "$1" "$2" "$3" "$4" "$5"
}

for how in text json; do
	ct_case "delivery: execsnoop ($how) shows an exec right after another at once"
	if [ $how = json ]; then
		tool_start execsnoop --json -v -n "$L"
	else
		tool_start execsnoop -n "$L"
	fi
	late2=$CT_TMP/$L2
	sh -c "\"$CT_TMP/$L1\" noop one; exec \"$late2\" noop two" &
	pid=$!
	if [ $how = json ]; then
		await_out "the second exec" -F -- \
			"\"comm\":\"$L2\",\"pid\":$pid,\"ppid\":$$,"
		await_out "the second exec" -F -- \
			"\"filename\":\"$late2\",\"filename_truncated\":false,\"args\":[\"$late2\",\"noop\",\"two\"],\"args_truncated\":false,\"interpreter\":null}"
	else
		wait_line "$(exec_line "$L2" "$pid" $$ 0 "$late2 noop two")"
	fi
	wait "$pid"
	tool_stop
	expect_status 0
	ct_done
done

ct_find_bash
CR=$(printf '\r')
PROMPT='ct-pty> '
# A perf buffer is opened before the programs are attached: until then a
# CPU's events fail and count as lost. opensnoop opens the tracepoints' ids
# as it attaches its exit programs one after the other: its own opens,
# events from the first attach on, none lost.
ct_case "delivery: the perf buffer is there before the programs run"
CT_FORCE_PERFBUF=1 tool_start opensnoop -v -d 1 -n opensnoop
tool_wait
expect_status 0
expect_grep " received, 0 lost\$" "$err"
expect_no_grep "lost [0-9]* events" "$err"
if grep -q "opens: using tracepoints syscalls:sys_exit_" "$err"; then
	expect_grep "^[0-9]*  *opensnoop  *[0-9]*  *0 /sys/.*/id\$"
fi
ct_done

ct_case "delivery: bashreadline shows lines typed in quick succession at once"
if [ -z "$BASH_BIN" ]; then
	ct_skip "no bash on this system"
else
	tool_start bashreadline
	# Three lines pasted at once: the shell reads each a moment after the
	# one before.
	env PS1="$PROMPT" HISTFILE=/dev/null TERM=dumb "$PTY" "$PROMPT" \
		": ct-late one$CR: ct-late two$CR: ct-late three$CR" \
		"exit$CR" -- \
		"$BASH_BIN" --norc --noprofile -i >"$CT_TMP/pty.out" \
		2>"$CT_TMP/pty.err" &
	pty=$!
	i=0
	while [ ! -s "$CT_TMP/pty.out" ] && [ $i -lt 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	shell=$(printf '%-7s' "$(head -n 1 "$CT_TMP/pty.out")")
	hms='[0-2][0-9]:[0-5][0-9]:[0-6][0-9]'
	wait_grep "^$hms $shell : ct-late three\$"
	wait_grep "^$hms $shell exit\$"
	expect_grep "^$hms $shell : ct-late two\$"
	wait "$pty" || ct_fail "ct-pty: $(cat "$CT_TMP/pty.err")"
	tool_stop
	expect_status 0
fi
ct_done

# The -v totals of $err as "SENT RECEIVED LOST".
totals() {
	sed -n 's/^opensnoop: \([0-9]*\) events sent by the kernel, \([0-9]*\) received, \([0-9]*\) lost$/\1 \2 \3/p' "$err"
}

# A reader that naps for a fixed time would be woken by the kernel's
# backlog mark in nearly every nap at this rate (hundreds of thousands of
# opens a second); one that naps as long as its estimate of the rate says
# looks again long before the mark, whatever the rate.
ct_case "delivery: opensnoop at full rate looks again by itself, seldom woken"
if [ -n "${CT_FORCE_PERFBUF:-}" ]; then
	ct_skip "a perf buffer wakes the reader for every event"
else
	tool_start opensnoop -v -n "$L"
	"$LATE" many 200000 /dev/null >/dev/null
	tool_stop
	expect_status 0
	set -- $(wake_counts)
	if [ $# -ne 3 ]; then
		ct_fail "no wake-up counts on stderr"
	elif [ "$3" -lt 20 ]; then
		ct_fail "$3 naps for 200000 opens"
	elif [ $(($2 * 4)) -gt "$3" ]; then
		ct_fail "the kernel woke the reader in $2 of its $3 naps"
	fi
fi
ct_done

ct_case "delivery: opensnoop -b 1 keeps reading its full buffer under load"
tool_start opensnoop -b 1 -v -n "$L"
"$LATE" many 1000000000 /dev/null >/dev/null &
load=$!
ct_sleep 1
n1=$(wc -l <"$out")
ct_sleep 1
n2=$(wc -l <"$out")
kill "$load"
wait "$load" 2>/dev/null
tool_stop
expect_status 0
[ "$n2" -gt "$n1" ] ||
	ct_fail "nothing read in the 2nd second of load: $n1 lines, then $n2"
set -- $(totals)
if [ $# -ne 3 ]; then
	ct_fail "no totals on stderr"
else
	[ "$1" -eq "$2" ] || ct_fail "$1 sent, but $2 received"
	[ "$3" -gt 0 ] || ct_fail "no loss reported from a one-page buffer"
	expect_grep "^opensnoop: lost $3 events in total\$" "$err"
fi
expect_grep "^opensnoop: lost [0-9]* events\$" "$err"
ct_done

# 600 opens 2 ms apart, of paths of 160 to 240 bytes (81 files): about
# 150 KiB of records of as many sizes, which wrap around a 16 KiB ring
# (smaller than the window it is read through) many times, and around a
# 128 KiB one (two windows) once.
mkdir "$CT_TMP/wrap"
set --
: >"$CT_TMP/paths"
i=1
while [ $i -le 600 ]; do
	p=$CT_TMP/wrap/$(printf "%$((160 + i % 81))s" | tr ' ' x)
	[ -e "$p" ] || : >"$p"
	echo "$p" >>"$CT_TMP/paths"
	set -- "$@" open "$p" sleep 2
	i=$((i + 1))
done
for b in 4 32; do
for how in text json; do
	ct_case "delivery: opensnoop -b $b ($how) shows records that wrap around the ring whole"
	case $how in
	text) tool_start opensnoop -b $b -v -n "$L" ;;
	json) tool_start opensnoop -b $b --json -v -n "$L" ;;
	esac
	"$LATE" "$@" >"$CT_TMP/fds"
	tool_stop
	expect_status 0
	pid=$(head -n 1 "$CT_TMP/fds")
	tail -n +2 "$CT_TMP/fds" | paste - "$CT_TMP/paths" |
		while read -r fd p; do
			if [ $how = json ]; then
				printf '{"pid":%s,"tid":%s,%s\n' "$pid" "$pid" \
					"$(json_open "$fd" "$p")"
			else
				open_line "$pid" "$fd" "$p"
			fi
		done >"$CT_TMP/expected"
	# JSON: without the members that vary (time) or that the system
	# names (user).
	sed 's/"time":"[^"]*",//; s/"uid":0,"user":"root",//' "$out" |
		grep -Fxf "$CT_TMP/expected" >"$CT_TMP/found"
	n=$(wc -l <"$CT_TMP/expected")
	[ "$n" -eq 600 ] && [ "$(wc -l <"$CT_TMP/found")" -eq 600 ] ||
		ct_fail "$(wc -l <"$CT_TMP/found") of $n opens shown exactly"
	lines=600
	[ $how = json ] || lines=601	# the header
	[ "$(grep -c . "$out")" -eq $lines ] ||
		ct_fail "$(grep -c . "$out") lines for 600 opens, not $lines"
	expect_grep "^opensnoop: 600 events sent by the kernel, 600 received, 0 lost\$" "$err"
	ct_done
done
done

# The resident pages of the tool's BPF maps, in kB.
map_rss() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { m = $6 == "anon_inode:bpf-map" }
		m && /^Rss:/ { kb += $2 } END { print kb + 0 }' "/proc/$1/smaps"
}

ct_case "delivery: opensnoop maps a 64 KiB window of its 512 KiB ring"
tool_start opensnoop -v -n "$L"
"$LATE" many 2000 /dev/null >/dev/null
kb=$(map_rss "$tool_pid")
tool_stop
expect_status 0
expect_grep "^opensnoop: 2000 events sent by the kernel, 2000 received, 0 lost\$" "$err"
# The window, the ring's two position pages and the global variables'
# maps; not the whole ring (which would be 512 kB and more).
[ "$kb" -ge 64 ] && [ "$kb" -le 96 ] ||
	ct_fail "$kb kB of BPF map pages resident, not 64 to 96"
ct_done

# The size in bytes of the tool's ring buffer (map type 27, a RINGBUF).
ring_bytes() {
	for f in /proc/"$1"/fdinfo/*; do
		awk '/^map_type:/ { t = $2 } /^max_entries:/ { n = $2 }
			END { if (t == 27) print n }' "$f" 2>/dev/null
	done
}

ct_case "delivery: a 2 MiB ring with --json and --csv (512 KiB for text), -b wins, the same window"
if [ -n "${CT_FORCE_PERFBUF:-}" ]; then
	ct_skip "a perf buffer, sized per CPU (-b)"
else
	for run in 524288:mountsnoop 2097152:mountsnoop:--json \
		2097152:mountsnoop:--csv 524288:opensnoop:-n:$L \
		2097152:opensnoop:-n:$L:--json \
		262144:opensnoop:-n:$L:-b:64:--csv; do
		want=${run%%:*}
		args=$(echo "${run#*:}" | tr : ' ')
		tool_start $args -v
		"$LATE" many 2000 /dev/null >/dev/null
		got=$(ring_bytes "$tool_pid")
		kb=$(map_rss "$tool_pid")
		tool_stop
		expect_status 0
		[ "$got" = "$want" ] ||
			ct_fail "$args: a ring of '$got' bytes, not $want"
		# opensnoop read 2000 opens through the window.
		[ "${args%% *}" = mountsnoop ] && continue
		[ "$kb" -ge 64 ] && [ "$kb" -le 96 ] ||
			ct_fail "$args: $kb kB of BPF map pages resident"
	done
fi
ct_done

# Has process $1 exited (and been reaped by wait) within about 1.5 s? The
# tool gives the pipe 0.5 s, then 0.5 s to a cut line.
gone_within_1s5() {
	i=0
	while ct_running "$1"; do
		[ $i -lt 75 ] || return 1
		ct_sleep 0.02
		i=$((i + 1))
	done
}

for sig in INT TERM; do
	ct_case "delivery: SIG$sig stops opensnoop blocked on a full pipe within 1.5 s"
	rm -f "$CT_TMP/pipe"
	mkfifo "$CT_TMP/pipe"
	# A reader that never reads.
	sleep 30 <"$CT_TMP/pipe" &
	reader=$!
	"$CT_BIN/opensnoop" -v -n "$L" >"$CT_TMP/pipe" 2>"$err" &
	tool_pid=$!
	i=0
	until grep -q 'attached' "$err" || [ $i -ge 200 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	# Far more lines than a pipe holds.
	"$LATE" many 20000 /dev/null >/dev/null
	i=0
	until [ "$(cat /proc/$tool_pid/wchan 2>/dev/null)" = pipe_write ] ||
		[ $i -ge 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	kill -"$sig" "$tool_pid"
	if gone_within_1s5 "$tool_pid"; then
		tool_wait
		expect_status 0
	else
		ct_fail "still running 1.5 s after SIG$sig"
	fi
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	ct_done
done

for t in execsnoop opensnoop; do
	ct_case "delivery: $t with stdout closed says so, status 1"
	"$CT_BIN/$t" -d 1 >&- 2>"$err"
	tool_status=$?
	expect_status 1
	[ "$(cat "$err")" = "$t: standard output is closed" ] ||
		ct_fail "stderr: $(cat "$err")"
	ct_done
done

# The stop: the kernel side stops sending, a grace period waits out the
# programs that were, the last drain and the report follow at once, the
# detach last. On 6.18 closing each syscall tracepoint's perf event waits
# ~0.1 s: statsnoop (seven) takes ~0.5-0.8 s to detach, and its last lines
# must not wait for that. Stopped amid stat calls: every event sent before
# the stop is printed (sent = received = lines).
S=ct-stop.$CT_ID
STATS=$CT_TMP/$S
ln -s "$CT_BIN/tests/ct-stat" "$STATS"
for how in ring perfbuf; do
	ct_case "delivery: statsnoop ($how) stopped amid stats: the last lines and the counts reach a pipe before the detach"
	rm -f "$CT_TMP/pipe"
	mkfifo "$CT_TMP/pipe"
	cat <"$CT_TMP/pipe" >"$out" &
	reader=$!
	: >"$err"
	if [ $how = perfbuf ]; then
		CT_FORCE_PERFBUF=1 "$CT_BIN/statsnoop" -v -n "$S" \
			>"$CT_TMP/pipe" 2>&1 &
	else
		"$CT_BIN/statsnoop" -v -n "$S" >"$CT_TMP/pipe" 2>&1 &
	fi
	tool_pid=$!
	i=0
	until grep -q 'attached' "$out" || [ $i -ge 200 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	"$STATS" many 1000000000 /etc/hostname >/dev/null &
	load=$!
	ct_sleep 0.5
	ct_uptime_cs
	sent_at=$ct_now
	kill -INT "$tool_pid"
	report_at= exit_at= i=0
	while [ $i -lt 1000 ]; do
		ct_uptime_cs
		[ -z "$report_at" ] && grep -q 'events sent by the kernel' "$out" &&
			report_at=$ct_now
		if ! ct_running "$tool_pid"; then
			exit_at=$ct_now
			break
		fi
		ct_sleep 0.01
		i=$((i + 1))
	done
	kill "$load" 2>/dev/null
	wait "$load" 2>/dev/null
	tool_wait
	wait "$reader"
	expect_status 0
	set -- $(sed -n 's/^statsnoop: \([0-9]*\) events sent by the kernel, \([0-9]*\) received, \([0-9]*\) lost$/\1 \2 \3/p' "$out")
	if [ $# -ne 3 ]; then
		ct_fail "no totals"
	else
		[ "$1" -gt 0 ] || ct_fail "no event sent"
		[ "$1" -eq "$2" ] || ct_fail "$1 sent, but $2 received"
		n=$(grep -cF " $S " "$out")
		[ "$n" -eq "$2" ] || ct_fail "$2 received, but $n lines"
	fi
	# In hundredths of a second since the signal.
	if [ -z "$exit_at" ] || [ -z "$report_at" ]; then
		ct_fail "no exit or no report within 10 s"
	elif [ -z "$case_failed" ] && [ $((exit_at - sent_at)) -lt 20 ]; then
		ct_skip "the detach is quick here ($((exit_at - sent_at))0 ms to exit): nothing to bring forward"
	elif [ $(((report_at - sent_at) * 2)) -gt $((exit_at - sent_at)) ]; then
		ct_fail "the report $((report_at - sent_at))0 ms after SIGINT, the exit $((exit_at - sent_at))0 ms: it waited for the detach"
	fi
	ct_done
done
