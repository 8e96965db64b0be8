# Runtime tests of biolatency: direct writes to a loop device the test
# creates, so that the I/Os counted are known and nothing else touches it.
. "$(dirname "$0")/lib.sh"
ct_require_root "biolatency"

WRITES=200
loop=
cg=
trap 'tool_kill; [ -z "$loop" ] || losetup -d "$loop"; ct_finish' EXIT

# $WRITES synchronous 4 KiB writes that bypass the page cache: one request
# each (dd waits for each before the next, so none merge).
direct_writes() {
	dd if=/dev/zero of="$loop" bs=4096 count=$WRITES oflag=direct \
		2>>"$err" || ct_fail "dd oflag=direct failed"
}

# A loop device on a file: busybox and util-linux both know losetup -f.
make_loop() {
	command -v losetup >/dev/null 2>&1 || return 1
	dd if=/dev/zero of="$CT_TMP/disk" bs=1048576 count=8 2>/dev/null ||
		return 1
	loop=$(losetup -f 2>/dev/null) || return 1
	losetup "$loop" "$CT_TMP/disk" 2>/dev/null || { loop=; return 1; }
}

ct_case "biolatency: counts direct writes to a loop device"
if ! make_loop; then
	ct_skip "cannot create a loop device (losetup, /dev/loop-control)"
	exit 0
fi
disk=${loop#/dev/}
tool_start biolatency -D --disk "$disk"
direct_writes
tool_stop
expect_status 0
if ! grep -q '^disk = ' "$out"; then
	# Some environments (bio-based drivers all the way) fire no
	# block_rq_* tracepoints at all: nothing to measure here.
	ct_skip "no block:block_rq_* events for $loop in this environment"
	exit 0
fi
expect_line "disk = $disk"
[ "$(grep -c '^disk = ' "$out")" = 1 ] || ct_fail "--disk let other disks in"
expect_total_at_least $WRITES
ct_done

for tp in raw_tp tracepoint; do
	ct_case "biolatency: -F per flags, -v attach method ($tp)"
	CT_FORCE_TP=$tp tool_start biolatency -v -F --disk "$disk"
	direct_writes
	tool_stop
	expect_status 0
	expect_grep "^biolatency: block: using $tp\$" "$err"
	# O_DIRECT writes are synchronous.
	expect_line "flags = Write Sync"
	expect_total_at_least $WRITES
	ct_done
done

# Which argument of block_rq_insert/issue is the request, and the names of
# the operations, come from the kernel's BTF: a first run on a kernel caches
# them with the kernel types, and a warm start reads them there, never the
# whole BTF (which libbpf's debug output, -vv, would show: "loading kernel
# BTF"). -Q reads the request of both tracepoints.
ct_case "biolatency: a warm start learns the kernel from the cache, not the whole BTF"
C=$CT_TMP/types
mkdir -m 700 "$C"
CT_BTF_CACHE_DIR=$C run_tool biolatency -vv -d 0.2
expect_status 0
expect_grep "$CT_LIBBPF_READS_BTF" "$err"
expect_grep "^biolatency: kernel types: wrote $C/biolatency-.*\.btf for the next runs\$" "$err"
for json in "" --json; do
	CT_BTF_CACHE_DIR=$C tool_start biolatency -vv -Q -D -F $json \
		--disk "$disk"
	direct_writes
	tool_stop
	expect_status 0
	expect_grep "^biolatency: kernel types: $C/biolatency-.*\.btf\$" "$err"
	expect_grep "^biolatency: tp_btf/block_rq_insert: kernel BTF id [0-9]*, from the cache\$" "$err"
	expect_no_grep "$CT_LIBBPF_READS_BTF" "$err"
	if [ -z "$json" ]; then
		expect_line "disk = $disk, flags = Write Sync"
		expect_total_at_least $WRITES
	else
		expect_grep '"disk":"'"$disk"'","op":"Write","flag_names":\["Sync"\]'
	fi
done
ct_done

# Inserts are traced for -Q and the filter only: else a program that runs
# for every request inserted into a queue (each one, with a scheduler) for
# nothing.
ct_case "biolatency: block_rq_insert attached only with -Q or a filter"
run_tool biolatency -v -d 0.2 --disk "$disk"
expect_status 0
expect_grep "^biolatency: attached 2 programs\$" "$err"
run_tool biolatency -v -Q -d 0.2 --disk "$disk"
expect_status 0
expect_grep "^biolatency: attached 3 programs\$" "$err"
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ]; then
	run_tool biolatency -v -c "$cg2" -d 0.2 --disk "$disk"
	expect_status 0
	expect_grep "^biolatency: attached 3 programs\$" "$err"
fi
ct_done

ct_case "biolatency: -Q includes the queue, -m in milliseconds"
tool_start biolatency -Q -m --disk "$disk"
direct_writes
tool_stop
expect_line "     msecs               : count    distribution"
expect_total_at_least $WRITES
ct_done

ct_case "biolatency: --json per disk and flags"
tool_start biolatency -v --json -D -F --disk "$disk"
direct_writes
tool_stop
expect_status 0
if have_python; then
	python3 - "$out" "$disk" $WRITES <<'PY' 2>>"$err" || ct_fail "bad JSON"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert objs and all(o["disk"] == sys.argv[2] for o in objs), objs
w = [o for o in objs if o["op"] == "Write" and o["flag_names"] == ["Sync"]]
assert len(w) == 1 and w[0]["total"] >= int(sys.argv[3]), objs
b = w[0]["buckets"]
assert w[0]["total"] == sum(x["count"] for x in b), b
assert all(isinstance(x[k], int) for x in b for k in ("low", "high")), b
PY
else
	expect_grep '"disk":"'"$disk"'","op":"Write","flag_names":\["Sync"\]'
fi
ct_done

ct_case "biolatency: --csv per disk and flags: a record per bucket"
tool_start biolatency --csv -D -F --disk "$disk"
direct_writes
tool_stop
expect_status 0
expect_hist_csv "time,disk,op,flag_names,unit,total,low,high,count" \
	"^[-0-9T:.]*Z,$disk,[A-Za-z0-9]*,[A-Za-z ]*,usecs,[0-9,]*\$" $WRITES
expect_grep "^[-0-9T:.]*Z,$disk,Write,Sync,usecs,"
run_tool biolatency --csv --fields=disk
expect_usage "biolatency: --fields: 'disk' does not apply with these options"
ct_done

# $1 direct writes from a process inside the cgroup $cg.
cgroup_writes() {
	ct_in_cgroup "$cg" dd if=/dev/zero of="$loop" bs=4096 count="$1" \
		oflag=direct 2>>"$err" || ct_fail "dd in the cgroup failed"
}

# Writes from outside the cgroup, then inside, then outside again: with
# -c only the 50 inside may be counted. Under Debian's 6.1 the loop device
# issues these requests from a kernel worker: only the verdict taken at
# insertion, in the writer's context, counts them there.
INSIDE=50
for args in "tp_btf" "tracepoint -Q" "raw_tp --json"; do
	set -- $args
	ct_case "biolatency: -c counts only I/O the cgroup's tasks submit ($*)"
	if [ -z "$cg" ] && ! ct_make_cgroup biolatency; then
		ct_skip "cannot create a cgroup v2 directory"
		continue
	fi
	tp=$1
	shift
	CT_FORCE_TP=$tp tool_start biolatency -v "$@" -c "$cg" --disk "$disk"
	direct_writes
	cgroup_writes $INSIDE
	direct_writes
	tool_stop
	expect_status 0
	expect_grep "^biolatency: block: using $tp\$" "$err"
	if [ "${1:-}" = --json ]; then
		total=$(sed -n 's/.*"total":\([0-9]*\),.*/\1/p' "$out")
		[ "$total" = $INSIDE ] ||
			ct_fail "JSON total '$total', expected $INSIDE"
		expect_grep '^{"time":"[^"]*","unit":"usecs","total":'$INSIDE',"buckets":\[{"low":'
	else
		[ "$(hist_total)" = $INSIDE ] ||
			ct_fail "histograms count $(hist_total), expected $INSIDE"
	fi
	ct_done
done
ct_case "biolatency: -d is --duration; INTERVAL COUNT with -T"
run_tool biolatency -d 0.3 --disk "$disk"
expect_status 0
run_tool biolatency -T 0.2 3 --disk "$disk"
expect_status 0
n=$(grep -c '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$' "$out")
[ "$n" = 3 ] || ct_fail "$n intervals printed, expected 3"
ct_done

ct_case "biolatency: bad arguments exit 2 with one line"
for args in "--disk nosuchdisk" "--disk a/b" "-d sda" "0" "1 0" "1 2 3" \
	"-c /nonexistent" "-c /proc"; do
	run_tool biolatency $args
	expect_status 2
	[ "$(wc -l <"$err")" = 1 ] || ct_fail "'$args': not one line"
done
ct_done
