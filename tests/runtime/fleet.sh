# Fleet use, end to end with the real engines on loopback: a private
# node_exporter reads --prom-textfile's directory and a private Prometheus
# scrapes it every second (queried over its HTTP API); journald (started
# here when systemd is not PID 1) takes --journal's entries, read back with
# journalctl. Forced loss must show on stderr, in Prometheus, in --json and
# in the journal. Engines missing (the busybox guest): the cases skip.
. "$(dirname "$0")/lib.sh"
ct_require_root "fleet"

MSGID_EVENT=b7ca4d659eb244a8b1c88950af317866
MSGID_LOST=3b28781b7f8a49aca227372a6d14cd81
PDIR=$CT_TMP/textfile
mkdir -p "$PDIR"
ne_pid=
prom_pid=
jd_pid=
PPORT=

loop=
fleet_cleanup() {
	tool_kill
	for p in $ne_pid $prom_pid $jd_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -z "$loop" ] || losetup -d "$loop"
}
trap 'st=$?; fleet_cleanup; (exit $st); ct_finish' EXIT

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Why Prometheus cannot be used here; nothing when it can.
prom_missing() {
	have_python || { echo "no python3"; return; }
	for b in prometheus prometheus-node-exporter promtool curl; do
		command -v $b >/dev/null 2>&1 ||
			{ echo "no $b (Debian: apt-get install prometheus \
prometheus-node-exporter curl)"; return; }
	done
}

# Start node_exporter on PDIR and Prometheus scraping it every second.
prom_up() {
	nport=$(free_port)
	PPORT=$(free_port)
	prometheus-node-exporter --web.listen-address="127.0.0.1:$nport" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$PDIR" \
		>"$CT_TMP/ne.log" 2>&1 &
	ne_pid=$!
	cat >"$CT_TMP/prom.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$nport']
EOF
	prometheus --config.file="$CT_TMP/prom.yml" \
		--storage.tsdb.path="$CT_TMP/tsdb" \
		--web.listen-address="127.0.0.1:$PPORT" >"$CT_TMP/prom.log" 2>&1 &
	prom_pid=$!
	i=0
	until curl -sf -m 2 -m 5 "http://127.0.0.1:$PPORT/-/ready" >/dev/null 2>&1; do
		[ $i -lt 300 ] || return 1
		ct_sleep 0.1
		i=$((i + 1))
	done
}

# query EXPR: the result's series, one line each: "le=... value" (the le
# label if any, then the value), sorted.
query() {
	curl -sf -m 5 "http://127.0.0.1:$PPORT/api/v1/query" \
		--data-urlencode "query=$1" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    le = r["metric"].get("le")
    print(("le=%s " % le if le else "") + r["value"][1])' | sort
}

# await_query EXPR: poll up to 15 s until EXPR has a result.
await_query() {
	i=0
	until [ -n "$(query "$1")" ]; do
		if [ $i -ge 150 ]; then
			ct_fail "Prometheus has no '$1' after 15 s"
			return 1
		fi
		ct_sleep 0.1
		i=$((i + 1))
	done
}

# promtool on every file the tool wrote: the current one, while it runs.
lint_prom() {
	for f in "$PDIR"/*.prom; do
		[ -f "$f" ] || { ct_fail "no .prom file in $PDIR"; return; }
		promtool check metrics <"$f" >"$CT_TMP/lint" 2>&1 ||
			ct_fail "promtool: $(head -1 "$CT_TMP/lint")"
	done
}

# The buckets of a log2 histogram in microseconds, as documented.
LES="2e-06 4e-06 8e-06 1.6e-05 3.2e-05 6.4e-05 0.000128 0.000256 0.000512
0.001024 0.002048 0.004096 0.008192 0.016384 0.032768 0.065536 0.131072
0.262144 0.524288 1.048576 2.097152 4.194304 8.388608 16.777216 33.554432
67.108864 134.217728 268.435456 536.870912 1073.741824 2147.483648 +Inf"

# Scheduler load: two CPU burners at once, for a second.
load() {
	"$TRIGGER" spin 1 &
	s1=$!
	"$TRIGGER" spin 1 &
	s2=$!
	wait $s1 $s2
}

why=$(prom_missing)
if [ -z "$why" ] && ! prom_up; then
	why="Prometheus did not start: $(tail -1 "$CT_TMP/prom.log")"
fi

ct_case "fleet: runqlat --prom-textfile in Prometheus, cumulative, removed at exit"
if [ -n "$why" ]; then
	ct_skip "$why"
else
	tool_start runqlat -v --prom-textfile="$PDIR" --prom-interval=1 &&
		await_query 'coretrace_runqlat_seconds_count'
	load
	first=$(query 'coretrace_runqlat_seconds_count')
	lint_prom
	ct_sleep 2.5
	load
	ct_sleep 2.5
	second=$(query 'coretrace_runqlat_seconds_count')
	[ "${second:-0}" -gt "${first:-0}" ] 2>/dev/null ||
		ct_fail "count did not grow: '$first' then '$second'"
	query 'coretrace_runqlat_seconds_bucket' | cut -d' ' -f1 |
		sed 's/^le=//' | sort >"$CT_TMP/les"
	echo $LES | tr ' ' '\n' | sort >"$CT_TMP/want"
	cmp -s "$CT_TMP/les" "$CT_TMP/want" ||
		ct_fail "buckets: $(tr '\n' ' ' <"$CT_TMP/les")"
	[ -n "$(query 'coretrace_runqlat_seconds_sum > 0')" ] ||
		ct_fail "_sum is not > 0"
	[ "$(query 'node_textfile_scrape_error')" = 0 ] ||
		ct_fail "node_textfile_scrape_error: $(query node_textfile_scrape_error)"
	[ -n "$(query 'coretrace_info{tool="runqlat"}')" ] ||
		ct_fail "no coretrace_info"
	tool_stop TERM
	expect_status 0
	[ ! -e "$PDIR/coretrace-runqlat.prom" ] || ct_fail "file left at exit"
	[ -z "$(ls -A "$PDIR")" ] || ct_fail "left in the directory: $(ls -A "$PDIR")"
	ct_done
fi

ct_case "fleet: syscount --prom-textfile counts 1000 getppid exactly"
if [ -n "$why" ]; then
	ct_skip "$why"
else
	"$TRIGGER" wait-syscalls 1000 300 0 >"$CT_TMP/tpid" &
	trig=$!
	i=0
	while [ ! -s "$CT_TMP/tpid" ] && [ $i -lt 100 ]; do
		ct_sleep 0.05
		i=$((i + 1))
	done
	tpid=$(cat "$CT_TMP/tpid")
	if tool_start syscount -v -p "$tpid" --prom-textfile="$PDIR" \
		--prom-instance=t1 --prom-interval=1; then
		kill -USR1 "$tpid"
		wait "$trig"
		q='coretrace_syscount_calls_total{syscall="getppid",run="t1",compat="false"}'
		await_query "$q"
		i=0
		while [ "$(query "$q")" != 1000 ] && [ $i -lt 50 ]; do
			ct_sleep 0.1
			i=$((i + 1))
		done
		[ "$(query "$q")" = 1000 ] || ct_fail "getppid: $(query "$q")"
		lint_prom
	fi
	kill "$trig" 2>/dev/null
	tool_stop TERM
	expect_status 0
	[ -z "$(ls -A "$PDIR")" ] || ct_fail "left: $(ls -A "$PDIR")"
	ct_done
fi

ct_case "fleet: biolatency -D -F --prom-textfile counts 200 direct writes"
if [ -n "$why" ]; then
	ct_skip "$why"
elif ! command -v losetup >/dev/null 2>&1 ||
	! dd if=/dev/zero of="$CT_TMP/disk" bs=1048576 count=8 2>/dev/null ||
	! loop=$(losetup -f 2>/dev/null) ||
	! losetup "$loop" "$CT_TMP/disk" 2>/dev/null; then
	loop=
	ct_skip "cannot create a loop device"
else
	disk=${loop#/dev/}
	q="sum(coretrace_biolatency_seconds_count{device=\"$disk\"})"
	if tool_start biolatency -v -D -F --disk "$disk" \
		--prom-textfile="$PDIR" --prom-interval=1; then
		dd if=/dev/zero of="$loop" bs=4096 count=200 oflag=direct \
			2>/dev/null
		i=0
		while [ "$(query "$q")" != 200 ] && [ $i -lt 100 ]; do
			ct_sleep 0.1
			i=$((i + 1))
		done
		n=$(query "$q")
		w=$(query "coretrace_biolatency_seconds_count{device=\"$disk\",op=\"Write\"}")
		lint_prom
		seen=$(grep -c '^coretrace_biolatency_seconds_count' \
			"$PDIR"/*.prom 2>/dev/null)
		tool_stop TERM
		expect_status 0
		if [ "${seen:-0}" = 0 ]; then
			# bio-based drivers all the way: no block_rq_* events.
			ct_skip "no block:block_rq_* events for $loop here"
		else
			[ "$n" = 200 ] || ct_fail "count for $disk: '$n'"
			[ -n "$w" ] || ct_fail "no op=\"Write\" series"
		fi
	fi
	ct_done
fi

ct_case "fleet: syscount's full table shows in coretrace_map_full_total"
# 1101 syscall numbers (1000..2100, none valid: ENOSYS) in a table of 1024.
: >"$CT_TMP/tpid"
# shellcheck disable=SC2046
"$TRIGGER" wait-calls $(seq 1000 2100 | sed 's/$/:1/') >"$CT_TMP/tpid" &
trig=$!
i=0
while [ ! -s "$CT_TMP/tpid" ] && [ $i -lt 100 ]; do
	ct_sleep 0.05
	i=$((i + 1))
done
tpid=$(cat "$CT_TMP/tpid")
if tool_start syscount -v -p "$tpid" --prom-textfile="$PDIR" \
	--prom-interval=0.2; then
	kill -USR1 "$tpid"
	wait "$trig"
	f=$PDIR/coretrace-syscount.prom
	i=0
	while ! grep -q '^coretrace_map_full_total{tool="syscount"} [1-9]' \
		"$f" 2>/dev/null && [ $i -lt 50 ]; do
		ct_sleep 0.1
		i=$((i + 1))
	done
	n=$(sed -n 's/^coretrace_map_full_total{tool="syscount"} //p' "$f")
	[ "${n:-0}" -ge 77 ] || ct_fail "map_full_total: '$n', expected >= 77"
	# The table's (numbers from 512 on); the helper's other calls are
	# below 512, which the array counts.
	n=$(sed -n 's/^coretrace_syscount_calls_total{.*nr="\([0-9]*\)".*/\1/p' \
		"$f" | awk '$1 >= 512' | wc -l)
	[ "$n" -eq 1024 ] || ct_fail "$n series of numbers from 512, not 1024"
fi
kill "$trig" 2>/dev/null
tool_stop TERM
expect_status 0
expect_grep '^syscount: [0-9]* calls not counted: more than 1024 syscall numbers at once$' "$err"
ct_done

ct_case "fleet: --prom-textfile refuses per-process series, one line, exit 2"
for t in "runqlat -P" "runqlat -L" "runqlat --pidnss" "syscount -P"; do
	# shellcheck disable=SC2086
	"$CT_BIN"/$t --prom-textfile="$PDIR" >"$out" 2>"$err"
	tool_status=$?
	expect_status 2
	[ "$(wc -l <"$err")" -eq 1 ] || ct_fail "$t: not one line"
	expect_grep "^${t%% *}: --prom-textfile: no series per '" "$err"
done
ct_done

ct_case "fleet: two runs never write the same file (--prom-instance)"
tool_start runqlat -v --prom-textfile="$PDIR" --prom-interval=1
run_tool runqlat --prom-textfile="$PDIR" -d 1
expect_status 1
expect_grep "^runqlat: another run writes .*coretrace-runqlat.prom: give each run its own --prom-instance=NAME\$" "$err"
run_tool runqlat --prom-textfile="$PDIR" --prom-instance=b -d 1
expect_status 0
tool_stop
ct_done

# Start journald; wait until it says it has started.
journald_start() {
	: >"$CT_TMP/jd.log"
	"$JOURNALD" >"$CT_TMP/jd.log" 2>&1 &
	jd_pid=$!
	i=0
	until [ -S /run/systemd/journal/socket ] &&
		grep -q . "$CT_TMP/jd.log" 2>/dev/null || [ $i -ge 50 ]; do
		ct_sleep 0.1
		i=$((i + 1))
	done
	ct_sleep 0.5
}

# The journal: systemd's, or one started here.
JOURNALD=/lib/systemd/systemd-journald
jwhy=
if ! have_python; then
	jwhy="no python3"
elif ! command -v journalctl >/dev/null 2>&1; then
	jwhy="no journalctl (Debian: apt-get install systemd)"
elif [ "$(cat /proc/1/comm 2>/dev/null)" != systemd ]; then
	if [ ! -x "$JOURNALD" ]; then
		jwhy="no systemd-journald"
	else
		journald_start
	fi
fi

# journal_of PID MSGID: that tool run's entries of that kind, JSON lines.
journal_of() {
	i=0
	while [ $i -lt 50 ]; do
		journalctl --no-pager -o json _PID="$1" MESSAGE_ID="$2" \
			>"$CT_TMP/journal" 2>/dev/null
		[ -s "$CT_TMP/journal" ] && return 0
		ct_sleep 0.1
		i=$((i + 1))
	done
}

ct_case "fleet: execsnoop --journal: every field as in --json, hostile argv a string"
if [ -n "$jwhy" ]; then
	ct_skip "$jwhy"
else
	long=$(head -c 5000 /dev/zero | tr '\0' x)
	if tool_start execsnoop -v -n true --journal --json; then
		jpid=$tool_pid
		"$TRIGGER" exec /bin/true true "$(printf 'a\nb')" \
			"$(printf '\033[31m')" "$(printf '\377\376')" "$long" \
			>"$CT_TMP/child"
		tool_stop
		expect_status 0
		journal_of "$jpid" "$MSGID_EVENT"
		python3 - "$(cut -d' ' -f1 "$CT_TMP/child")" "$out" \
			"$CT_TMP/journal" >"$CT_TMP/cmp" 2>&1 <<'EOF' ||
import json, sys
pid = int(sys.argv[1])
ev = [e for e in map(json.loads, open(sys.argv[2])) if e.get("pid") == pid]
je = [e for e in map(json.loads, open(sys.argv[3]))
      if e.get("CT_PID") == str(pid)]
assert len(ev) == 1 and len(je) == 1, "%d json, %d journal" % (len(ev), len(je))
ev, je = ev[0], je[0]
cut = je.get("CT_CUT", "").split()
assert cut == ["MESSAGE", "CT_ARGS"], "CT_CUT %r" % cut
for k, v in ev.items():
    jv = je.get("CT_" + k.upper())
    if v is None:
        assert jv is None, k
        continue
    assert isinstance(jv, str), "%s: %r is not a string" % (k, jv)
    assert len(jv) < 4096, k
    if "CT_" + k.upper() in cut:
        assert json.dumps(v, separators=(",", ":")).startswith(jv), k
        continue
    got = json.loads('"' + jv + '"') if isinstance(v, str) else json.loads(jv)
    assert got == v, "%s: %r != %r" % (k, got, v)
for k, v in (("SYSLOG_IDENTIFIER", "execsnoop"), ("PRIORITY", "6"),
             ("CT_SCHEMA", "1"), ("CT_TYPE", "event")):
    assert je.get(k) == v, "%s=%r" % (k, je.get(k))
m = je["MESSAGE"]
assert m.startswith("true ") and len(m) < 4096, m[:80]
assert "/bin/true a\\nb \\x1b[31m \\xff\\xfe xxx" in m, m[:80]
EOF
			ct_fail "$(tail -1 "$CT_TMP/cmp")"
	fi
	ct_done
fi

# mountsnoop makes its call text for text output and the flags' names for
# the data fields only when shown: a journal entry has both.
ct_case "fleet: mountsnoop --journal: the call in MESSAGE, flag names in CT_"
if [ -n "$jwhy" ]; then
	ct_skip "$jwhy"
else
	mkdir -p "$CT_TMP/mnt"
	for fmt in "" --json; do
		tool_start mountsnoop -v --journal $fmt || break
		jpid=$tool_pid
		set -- $("$CT_PUBLIC_BIN/tests/ct-mount" unshare \
			mount none "$CT_TMP/mnt" tmpfs 0x2 -)
		tool_stop
		expect_status 0
		journal_of "$jpid" "$MSGID_EVENT"
		python3 - "$1" "$CT_TMP/mnt" "$CT_TMP/journal" \
			>"$CT_TMP/cmp" 2>&1 <<'EOF' ||
import json, sys
pid, mnt = sys.argv[1], sys.argv[2]
je = [e for e in map(json.loads, open(sys.argv[3]))
      if e.get("CT_PID") == pid and e.get("CT_TARGET") == mnt]
assert len(je) == 1, "%d journal entries" % len(je)
call = 'mount("none", "%s", "tmpfs", MS_NOSUID, NULL) = 0' % mnt
assert je[0]["MESSAGE"].endswith(" " + call), je[0]["MESSAGE"]
assert je[0]["CT_FLAG_NAMES"] == '["MS_NOSUID"]', je[0]["CT_FLAG_NAMES"]
EOF
			ct_fail "mountsnoop --journal $fmt: $(tail -1 "$CT_TMP/cmp")"
	done
	ct_done
fi

ct_case "fleet: forced loss in stderr, --json, the journal and Prometheus"
if [ -n "$jwhy$why" ]; then
	ct_skip "${jwhy:-$why}"
else
	if tool_start opensnoop -v -b 1 -n ct-trigger --json --journal \
		--prom-textfile="$PDIR" --prom-interval=1; then
		jpid=$tool_pid
		kill -STOP "$jpid"
		"$TRIGGER" failopen 20000 >/dev/null
		kill -CONT "$jpid"
		await_query 'coretrace_events_lost_total{tool="opensnoop"} > 0'
		lint_prom
		tool_stop
		expect_status 0
		lost=$(sed -n 's/^opensnoop: lost \([0-9]*\) events in total$/\1/p' "$err")
		[ -n "$lost" ] || ct_fail "no loss on stderr"
		expect_grep "^{\"type\":\"lost\",\"time\":\"[-0-9T:.]*Z\",\"lost\":[0-9]*,\"lost_total\":$lost,\"final\":true}\$"
		expect_grep '^{"type":"lost",.*"final":false}$'
		journal_of "$jpid" "$MSGID_LOST"
		grep -q "\"CT_LOST_TOTAL\":\"$lost\"" "$CT_TMP/journal" ||
			ct_fail "no loss record of $lost in the journal"
		grep -q '"PRIORITY":"4"' "$CT_TMP/journal" ||
			ct_fail "loss record not a warning"
	fi
	ct_done
fi

ct_case "fleet: --journal reconnects when journald restarts"
if [ -n "$jwhy" ]; then
	ct_skip "$jwhy"
elif [ -z "$jd_pid" ]; then
	ct_skip "journald is systemd's here: not restarted by a test"
else
	if tool_start execsnoop -v -n true --journal; then
		jpid=$tool_pid
		kill "$jd_pid"
		wait "$jd_pid"
		journald_start
		child=$("$TRIGGER" exec /bin/true true restarted | cut -d' ' -f1)
		tool_stop
		expect_status 0
		journal_of "$jpid" "$MSGID_EVENT"
		grep -q "\"CT_PID\":\"$child\"" "$CT_TMP/journal" ||
			ct_fail "the exec after the restart is not in the journal"
		expect_no_grep "cannot send" "$err"
	fi
	ct_done
fi
