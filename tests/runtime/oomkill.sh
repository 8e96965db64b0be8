# Runtime tests of oomkill: real OOM kills in a memory cgroup of 16 MiB.
. "$(dirname "$0")/lib.sh"
ct_require_root "oomkill"

nl='
'
esc=$(printf '\033')

# bg_start NAME ARGS...: oomkill -v ARGS in the background, its stdout in
# $CT_TMP/NAME and stderr in $CT_TMP/NAME.err; waits until it is attached.
bg_pids=
bg_start() {
	bg=$CT_TMP/$1
	shift
	"$CT_BIN/oomkill" -v "$@" >"$bg" 2>"$bg.err" &
	bg_pids="$bg_pids $!"
	i=0
	until grep -qs attached "$bg.err"; do
		[ $i -lt 200 ] || {
			ct_fail "oomkill $* not attached"
			break
		}
		ct_sleep 0.05
		i=$((i + 1))
	done
}

bg_stop() {
	for p in $bg_pids; do
		kill -INT "$p"
		wait "$p" || ct_fail "oomkill in the background exited with $?"
	done
	bg_pids=
}

# The text line oomkill prints, without its time: oom_line TPID TCOMM PID
# COMM UID ADJ ANON FILE SHMEM PAGES CONSTRAINT KILLED MEMCG.
oom_line() {
	printf '%-7s %-16s %-7s %-16s %-5s %5s %9s %9s %9s %9s %-10s %-6s %s\n' \
		"$@"
}

# await_victim COMM: the text line of $victim, named COMM, while it runs.
await_victim() {
	await_out "the victim $victim" -F -- "$(printf ' %-7s %-16s ' \
		"$victim" "$1")"
}

# The resident sizes in the text line of PID $1 (column 4): the victim
# touched up to 16 MiB in all, most of it anonymous, and is no shared
# memory. Sets $anon and $file.
rss_of() {
	set -- $(awk -v p="$1" '$4 == p { print $8, $9, $10; exit }' "$out")
	anon=${1:-0} file=${2:-0}
	[ "$anon" -ge 8192 ] && [ "$anon" -le 16384 ] ||
		ct_fail "anon_rss_kb $anon, expected 8192..16384"
	[ "$file" -le 8192 ] || ct_fail "file_rss_kb $file, expected <= 8192"
	[ "${3:-x}" = 0 ] || ct_fail "shmem_rss_kb ${3:-}, expected 0"
}

# expect_oom_line LINE: stdout has LINE after a HH:MM:SS time.
expect_oom_line() {
	cut -c10- "$out" | grep -Fxq -- "$1" || ct_fail "no line '$1'"
	grep -F -- "$1" "$out" | cut -c1-9 |
		grep -q '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] $' ||
		ct_fail "no time in front of '$1'"
}

# The --json line of PID $1 without "time" and the RSS values (checked
# in text), to compare whole lines.
json_of() {
	grep "\"pid\":$1," "$2" | sed 's/^{"time":"[^"]*",/{/
		s/"total_vm_kb":[0-9]*,//; s/"anon_rss_kb":[0-9]*,//
		s/"file_rss_kb":[0-9]*,//'
}

# PAGES: the kprobe path (-v says so) knows the limit, 16 MiB in pages
# with no swap to add; the tracepoint alone does not.
expected_pages() {
	if grep -q 'kprobe oom_kill_process' "$1"; then
		echo $((16 * 1048576 / $(getconf PAGESIZE)))
	else
		echo -
	fi
}

ct_case "oomkill: a memcg OOM kill, exact text and --json, escaped comm"
if ! ct_make_memcg a; then
	ct_skip "no memory cgroup can be made here"
else
	name="oom${nl}x${esc}[1"
	tname='oom\nx\x1b[1'
	jname='oom\nx\u001b[1'
	ct_oom_start "$name"
	bg_start json --json
	tool_start oomkill -v
	ct_oom_go
	await_victim "$tname"
	pages=$(expected_pages "$err")
	rss_of "$victim"
	line=$(oom_line "$victim" "$tname" "$victim" "$tname" 0 0 \
		"$anon" "$file" 0 "$pages" memcg true "$memcg_path")
	tool_stop
	bg_stop
	expect_status 0
	expect_oom_line "$line"
	jpages=$pages
	[ "$jpages" != - ] || jpages=null
	json_of "$victim" "$CT_TMP/json" | grep -Fxq -- \
"{\"tpid\":$victim,\"tcomm\":\"$jname\",\"pid\":$victim,\"comm\":\"$jname\",\"uid\":0,\"user\":\"root\",\"oom_score_adj\":0,\"shmem_rss_kb\":0,\"totalpages\":$jpages,\"constraint\":\"memcg\",\"killed\":true,\"memcg\":\"$memcg_path\"}" ||
		ct_fail "no exact JSON line: $(json_of "$victim" "$CT_TMP/json")"
	if have_python; then
		python3 -c 'import json, sys
for l in open(sys.argv[1]): json.loads(l)' "$CT_TMP/json" ||
			ct_fail "invalid JSON"
	fi
fi
ct_done

ct_case "oomkill: -p, -u and -c show the victim, others' do not; --csv agrees"
if ! ct_make_memcg b || ! ct_make_cgroup oomother; then
	ct_skip "no memory cgroup can be made here"
else
	other=$cg
	ct_make_memcg c
	ct_oom_start "ct-oom-u" 65534
	bg_start reject-u -u 0
	bg_start reject-p -p $$
	bg_start reject-c -c "$other"
	f=time,tpid,tcomm,pid,comm,uid,oom_score_adj,anon_rss_kb,file_rss_kb
	f=$f,shmem_rss_kb,totalpages,constraint,killed,memcg
	fields_start oomkill --fields=$f -p "$victim" -u 65534 -c "$cg"
	ct_oom_go
	await_victim ct-oom-u
	rss_of "$victim"
	line=$(oom_line "$victim" ct-oom-u "$victim" ct-oom-u 65534 0 \
		"$anon" "$file" 0 "$(expected_pages "$CT_TMP/fields.json.err")" \
		memcg true "$memcg_path")
	fields_stop
	bg_stop
	expect_oom_line "$line"
	fields_agree "$f" pid "$victim"
	for f in u p c; do
		[ "$(wc -l <"$CT_TMP/reject-$f")" = 1 ] ||
			ct_fail "oomkill -$f showed another's victim"
		grep -q "0 events sent by the kernel" "$CT_TMP/reject-$f.err" ||
			ct_fail "oomkill -$f: its filter did not run in the kernel"
	done
fi
ct_done

ct_case "oomkill: raw tracepoint fallback, same line (CT_FORCE_TP=raw_tp)"
if ! ct_make_memcg d; then
	ct_skip "no memory cgroup can be made here"
else
	ct_oom_start ct-oom-raw
	CT_FORCE_TP=raw_tp tool_start oomkill -v
	ct_oom_go
	await_victim ct-oom-raw
	rss_of "$victim"
	line=$(oom_line "$victim" ct-oom-raw "$victim" ct-oom-raw 0 0 \
		"$anon" "$file" 0 "$(expected_pages "$err")" memcg true \
		"$memcg_path")
	tool_stop
	expect_oom_line "$line"
	expect_grep "victim: using raw_tp oom:mark_victim" "$err"
fi
ct_done

ct_case "oomkill: a global OOM (whole machine)"
ct_skip "a global OOM kills what the kernel picks, the test runner too: not caused here nor in the guest"
ct_done
