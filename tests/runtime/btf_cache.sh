# Runtime tests of the kernel-type cache (common/btf_cache.c, min_btf.c):
# the first run of a tool on a kernel writes the types its relocations need,
# the next runs read them instead of the whole kernel BTF, only from files
# nobody else can write, and relocate exactly as with the whole BTF; once
# attached, the memory only loading needed is given back.
. "$(dirname "$0")/lib.sh"
ct_require_root "btf_cache"

OPEN=$CT_BIN/tests/ct-open
C=$CT_TMP/cache
export CT_BTF_CACHE_DIR="$C"
# With fexit, libbpf reads the whole kernel BTF anyway and nothing is cached:
# these cases take opensnoop's tracepoints on every kernel.
export CT_NO_FENTRY=1
hex16='[0-9a-f]\{16\}'

# The cache file of opensnoop, if there is one.
cache_file() {
	ls "$C"/opensnoop-*.btf 2>/dev/null
}

# Open a file with ct-open as the traced event; sets $pid and $fd.
open_one() {
	set -- $("$OPEN" open "$1")
	pid=$1 fd=$2
}

ct_case "btf cache: the first run writes the types, private to root"
rm -rf "$C"
run_tool opensnoop -v -d 0.2
expect_status 0
expect_grep "^opensnoop: kernel types: wrote $C/opensnoop-$hex16-$hex16\.btf for the next runs\$" "$err"
f=$(cache_file)
[ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ] ||
	ct_fail "cache file '$f' is not mode 600"
[ "$(stat -c %a "$C")" = 700 ] || ct_fail "cache directory is not mode 700"
ct_done

ct_case "btf cache: the next run reads them and prints the exact line"
tool_start opensnoop -v -n ct-open
open_one /etc/hostname
tool_stop
expect_status 0
expect_grep "^opensnoop: kernel types: $f\$" "$err"
expect_no_grep "wrote" "$err"
expect_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open "$fd" 0 \
	/etc/hostname)"
ct_done

# What a probe program finds (a helper, the ring buffer, fentry...) is a
# fact of the kernel: the first run keeps each answer in the file, later
# runs load no probe. -vv says where each answer came from.
feature_lines() {
	sed -n "s/^opensnoop: kernel feature \(.*\), from $1\$/\1/p" "$err"
}

ct_case "btf cache: feature probes' answers come from the cache on a warm start"
rm -rf "$C"
run_tool opensnoop -vv -d 0.2
expect_status 0
feature_lines "a probe" >"$CT_TMP/probed"
[ -s "$CT_TMP/probed" ] || ct_fail "first run: no feature probed"
[ -z "$(feature_lines "the cache")" ] ||
	ct_fail "first run: an answer from a cache not yet written"
grep '^opensnoop: [a-z]*: using ' "$err" >"$CT_TMP/methods"
for json in "" --json; do
	tool_start opensnoop -vv -n ct-open $json
	open_one /etc/hostname
	tool_stop
	expect_status 0
	feature_lines "the cache" >"$CT_TMP/cached"
	cmp -s "$CT_TMP/probed" "$CT_TMP/cached" ||
		ct_fail "${json:-text}: cached answers '$(cat "$CT_TMP/cached")'" \
			"differ from the probed '$(cat "$CT_TMP/probed")'"
	probed=$(feature_lines "a probe")
	[ -z "$probed" ] || ct_fail "${json:-text}: probed again: $probed"
	# The same choices as with the probes.
	grep '^opensnoop: [a-z]*: using ' "$err" >"$CT_TMP/methods2"
	cmp -s "$CT_TMP/methods2" "$CT_TMP/methods" ||
		ct_fail "${json:-text}: not the first run's attach methods"
	if [ -z "$json" ]; then
		expect_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open \
			"$fd" 0 /etc/hostname)"
	else
		expect_grep "\"pid\":$pid,\"tid\":$pid,.*\"comm\":\"ct-open\",\"syscall\":\"open\",\"fd\":$fd,\"err\":0,\"errno\":null,.*\"path\":\"/etc/hostname\","
	fi
done
ct_done

# The file is read as root: a valid file cut short is refused whole.
ct_case "btf cache: a file cut short is ignored and written anew"
f=$(cache_file)
size=$(wc -c <"$f")
head -c $((size / 2)) "$f" >"$CT_TMP/half"
cat "$CT_TMP/half" >"$f"
run_tool opensnoop -vv -d 0.2
expect_status 0
expect_grep "^opensnoop: kernel types: ignoring $f: not BTF\$" "$err"
expect_grep "^opensnoop: kernel types: wrote $f for the next runs\$" "$err"
[ -n "$(feature_lines "a probe")" ] ||
	ct_fail "answers taken from a file that was ignored"
[ "$(wc -c <"$f")" -eq "$size" ] || ct_fail "not written anew whole"
ct_done

ct_case "btf cache: a file others can write is not read, but written anew"
chmod 666 "$f"
run_tool opensnoop -v -d 0.2
expect_status 0
expect_no_grep "^opensnoop: kernel types: $f\$" "$err"
expect_grep "^opensnoop: kernel types: wrote $f for the next runs\$" "$err"
[ "$(stat -c %a "$f")" = 600 ] || ct_fail "rewritten file is not mode 600"
ct_done

ct_case "btf cache: a directory others can write is not used at all"
chmod 777 "$C"
rm -f "$f"
run_tool opensnoop -v -d 0.2
chmod 700 "$C"
expect_status 0
expect_grep "^opensnoop: kernel types: not using $C: others can write it\$" "$err"
[ -z "$(cache_file)" ] || ct_fail "wrote into a directory others can write"
ct_done

ct_case "btf cache: a damaged file is ignored and written anew"
run_tool opensnoop -d 0.2
f=$(cache_file)
echo damaged >"$f"
run_tool opensnoop -v -d 0.2
expect_status 0
expect_grep "^opensnoop: kernel types: ignoring $f: not BTF\$" "$err"
expect_grep "^opensnoop: kernel types: wrote $f for the next runs\$" "$err"
run_tool opensnoop -v -d 0.2
expect_grep "^opensnoop: kernel types: $f\$" "$err"
ct_done

# A raw BTF file holding one type, "int": it parses, but no relocation of
# opensnoop finds its types in it (like types of another kernel).
wrong_btf() {
	printf '\237\353\001\000\030\000\000\000\000\000\000\000' >"$1"
	printf '\020\000\000\000\020\000\000\000\005\000\000\000' >>"$1"
	printf '\001\000\000\000\000\000\000\001\004\000\000\000' >>"$1"
	printf '\040\000\000\000\000int\000' >>"$1"
}

ct_case "btf cache: wrong types that parse: the run reads the kernel's, silently, and writes them anew"
rm -rf "$C"
run_tool opensnoop -d 0.2
f=$(cache_file)
cp "$f" "$CT_TMP/good.btf"
for json in "" --json; do
	wrong_btf "$f"
	# Reading and cutting down the whole kernel BTF takes a while in an
	# emulated guest.
	CT_READY_SECS=60 tool_start opensnoop -n ct-open $json ${json:+-v}
	open_one /etc/hostname
	tool_stop
	expect_status 0
	if [ -z "$json" ]; then
		expect_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open \
			"$fd" 0 /etc/hostname)"
	else
		expect_grep "\"pid\":$pid,\"tid\":$pid,.*\"comm\":\"ct-open\",\"syscall\":\"open\",\"fd\":$fd,\"err\":0,\"errno\":null,.*\"path\":\"/etc/hostname\","
	fi
	# Silent but for events lost to a busy machine; -v (which --json
	# needs to say it is ready) says why the kernel's types were read.
	if [ -z "$json" ]; then
		said=$(grep -v '^opensnoop: lost [0-9]* events' "$err" |
			head -1)
		[ -n "$said" ] && ct_fail "text: stderr '$said'"
	else
		expect_grep "^opensnoop: kernel types: $f does not fit this program: reading the kernel's\$" "$err"
		expect_grep "^opensnoop: kernel types: wrote $f for the next runs\$" "$err"
	fi
	cmp -s "$f" "$CT_TMP/good.btf" ||
		ct_fail "${json:-text}: the entry was not written anew"
done
run_tool opensnoop -v -d 0.2
expect_grep "^opensnoop: kernel types: $f\$" "$err"
expect_no_grep "does not fit" "$err"
ct_done

# statsnoop's bpf_task_pt_regs() probe and --contains's bpf_loop() probe
# too: helper_TYPE_ID, with a tracepoint's type 5 and the helpers' ids 175
# and 181 (the kernel's enum bpf_func_id, a stable ABI).
ct_case "btf cache: statsnoop's and --contains's probes answered by the cache"
rm -rf "$C"
run_tool statsnoop -vv --contains /etc -d 0.2
expect_status 0
for id in 175 181; do
	expect_grep "^statsnoop: kernel feature helper_5_$id: [a-z]*, from a probe\$" "$err"
done
run_tool statsnoop -vv --contains /etc -d 0.2
expect_status 0
expect_no_grep "^statsnoop: kernel feature .*, from a probe\$" "$err"
for id in 175 181; do
	expect_grep "^statsnoop: kernel feature helper_5_$id: [a-z]*, from the cache\$" "$err"
done
ct_done

# A run that needs a probe the file's first run did not (bpf_loop() for
# --contains) keeps its answer in the file: probed once, not every run.
ct_case "btf cache: a later run's new probe answers are added to the file"
rm -rf "$C"
run_tool opensnoop -vv -d 0.2
expect_status 0
expect_no_grep "^opensnoop: kernel feature helper_5_181: " "$err"
run_tool opensnoop -vv --contains /etc -d 0.2
expect_status 0
expect_grep "^opensnoop: kernel feature helper_5_181: [a-z]*, from a probe\$" "$err"
expect_grep "^opensnoop: kernel types: this run's new facts kept in $C/opensnoop-$hex16-$hex16\.btf\$" "$err"
for a in "--contains /etc" ""; do
	run_tool opensnoop -vv $a -d 0.2
	expect_status 0
	expect_no_grep "^opensnoop: kernel feature .*, from a probe\$" "$err"
	expect_no_grep "new facts" "$err"
done
expect_grep "^opensnoop: kernel feature helper_5_158: [a-z]*, from the cache\$" "$err"
[ "$(ls "$C" | wc -l)" -eq 1 ] || ct_fail "files: $(ls "$C")"
ct_done

ct_case "btf cache: other builds' files stay, other kernels' go, at most 4"
rm -rf "$C"
run_tool opensnoop -d 0.2
f=$(cache_file)
name=${f##*/}
obj=$(echo "$name" | cut -d- -f2)
kern=$(echo "$name" | cut -d- -f3)
kern=${kern%.btf}
build2=$C/opensnoop-1111111111111111-$kern.btf
cp -p "$f" "$build2"
cp -p "$f" "$C/opensnoop-$obj-2222222222222222.btf"
cp -p "$f" "$C/execsnoop-$obj-2222222222222222.btf"
rm "$f"
run_tool opensnoop -v -d 0.2
expect_grep "^opensnoop: kernel types: wrote $f for the next runs\$" "$err"
[ -e "$build2" ] || ct_fail "the other build's file was removed"
[ -e "$C/opensnoop-$obj-2222222222222222.btf" ] &&
	ct_fail "the file of another kernel stayed"
[ -e "$C/execsnoop-$obj-2222222222222222.btf" ] ||
	ct_fail "another tool's file was removed"
# Both builds read their own file: no more first runs.
run_tool opensnoop -v -d 0.2
expect_grep "^opensnoop: kernel types: $f\$" "$err"
[ -e "$build2" ] || ct_fail "the other build's file was removed"
# Six other builds' files, of different last uses: the three used least
# recently go.
for d in 3 4 5 6 7; do
	cp "$f" "$C/opensnoop-$d$d$d$d$d$d$d$d$d$d$d$d$d$d$d$d-$kern.btf"
	touch -d "2026-01-0$d 00:00:00" \
		"$C/opensnoop-$d$d$d$d$d$d$d$d$d$d$d$d$d$d$d$d-$kern.btf"
done
touch -d "2026-01-01 00:00:00" "$build2"
rm "$f"
run_tool opensnoop -d 0.2
n=$(ls "$C"/opensnoop-*.btf | wc -l)
[ "$n" -eq 4 ] || ct_fail "$n files of opensnoop, expected 4"
for d in 5 6 7; do
	[ -e "$C/opensnoop-$d$d$d$d$d$d$d$d$d$d$d$d$d$d$d$d-$kern.btf" ] ||
		ct_fail "a recently used file ($d) was removed"
done
[ -e "$f" ] || ct_fail "the file just written was removed"
# A read is a use: it keeps the file among the recently used.
touch -d "2026-01-02 00:00:00" "$f"
run_tool opensnoop -d 0.2
[ -n "$(find "$f" -newer "$C/opensnoop-7777777777777777-$kern.btf")" ] ||
	ct_fail "reading the file did not count as a use"
ct_done

# A tp_btf program attaches by the kernel's BTF id of its tracepoint, which
# libbpf finds by reading the whole kernel BTF (its debug output, -vv, says
# "loading kernel BTF"). The first run finds it in one pass of its own and
# caches it beside the types; a warm start takes it from there, and then
# nothing reads the whole BTF. The exec lines come from that program.
ct_case "btf cache: tp_btf attach ids come from the cache, never the whole BTF"
rm -rf "$C"
run_tool execsnoop -vv -d 0.2
expect_status 0
tp="^execsnoop: tp_btf/sched_process_exec: kernel BTF id"
id=$(sed -n "s|$tp \([0-9]*\), from /sys/kernel/btf/vmlinux\$|\1|p" "$err")
[ -n "$id" ] || ct_fail "first run: no attach id from the kernel's BTF"
expect_grep "$CT_LIBBPF_READS_BTF" "$err"
f=$(ls "$C"/execsnoop-*.btf 2>/dev/null)
expect_grep "^execsnoop: kernel types: wrote $f for the next runs\$" "$err"
for json in "" --json; do
	tool_start execsnoop -vv $json -n ct-trigger
	set -- $("$TRIGGER" exec "$TRIGGER" argv0 noop "w 1")
	tool_stop
	expect_status 0
	expect_grep "^execsnoop: kernel types: $f\$" "$err"
	expect_grep "$tp $id, from the cache\$" "$err"
	expect_no_grep "$CT_LIBBPF_READS_BTF" "$err"
	if [ -z "$json" ]; then
		expect_line "$(printf '%-16s %-7s %-7s %3s %s' ct-trigger \
			"$1" "$2" 0 "$TRIGGER noop w 1")"
	else
		grep -Fq -- "\"comm\":\"ct-trigger\",\"pid\":$1,\"ppid\":$2,\"err\":0,\"errno\":null,\"filename\":\"$TRIGGER\",\"filename_truncated\":false,\"args\":[\"argv0\",\"noop\",\"w 1\"],\"args_truncated\":false,\"interpreter\":null}" "$out" ||
			ct_fail "no JSON line of the exec"
	fi
done
ct_done

# Once a tool has run on a kernel, it starts without its whole BTF: neither
# libbpf ("loading kernel BTF" in its debug output, -vv) nor a pass of our
# own ("a pass over", -vv) reads it; what they answered is in the cache.
ct_case "btf cache: every tool's second run reads no whole kernel BTF"
rm -rf "$C"
# Each with its best programs: opensnoop's fexit where the kernel has it.
export CT_NO_FENTRY=0
for b in "$CT_BIN"/*; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	t=${b##*/}
	run_tool "$t" -d 0.2
	[ "$tool_status" = 0 ] || ct_fail "$t: first run exited $tool_status"
	run_tool "$t" -vv -d 0.2
	[ "$tool_status" = 0 ] || ct_fail "$t: second run exited $tool_status"
	grep -q "^$t: kernel types: $C/" "$err" ||
		ct_fail "$t: no cached kernel types read"
	read=$(grep -m1 "$CT_LIBBPF_READS_BTF\|kernel types: a pass over" "$err")
	[ -z "$read" ] || ct_fail "$t: $read"
done
export CT_NO_FENTRY=1
ct_done

ct_case "btf cache: CT_BTF_CACHE_DIR set but empty turns it off"
rm -rf "$C"
CT_BTF_CACHE_DIR= "$CT_BIN/execsnoop" -v -d 0.2 >"$out" 2>"$err"
tool_status=$?
expect_status 0
expect_no_grep "kernel types" "$err"
[ ! -e "$C" ] || ct_fail "the cache was written"
ct_done

ct_case "btf cache: a run that wrote the types gives their memory back"
# The first run reads the whole kernel BTF and works out the types to
# cache (VmHWM ~13 MB): the heap freed after must not stay resident.
rm -rf "$C"
tool_start opensnoop -n ct-open
open_one /etc/hostname
wait_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open "$fd" 0 \
	/etc/hostname)"
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$tool_pid/status")
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$tool_pid/status")
tool_stop
expect_status 0
if ct_sanitized; then
	ct_skip "ASan's allocator keeps freed memory (its quarantine)"
elif [ "${hwm:-0}" -lt 8192 ]; then
	ct_fail "peak RSS ${hwm:-?} kB: the whole BTF was not read"
elif [ "${rss:-0}" -ge $((hwm / 2)) ]; then
	ct_fail "RSS $rss kB after start, peak $hwm kB: not given back"
fi
ct_done

# The resident kB of the code (r-x mappings) of the shared libraries whose
# names match $2 in process $1; empty if it maps none.
lib_code_rss() {
	awk -v re="$2" '/^[0-9a-f]+-[0-9a-f]+ / {
			m = $2 ~ /^r-x/ && $6 ~ re
			if ($6 ~ re) seen = 1
		}
		m && /^Rss:/ { kb += $2 }
		END { if (seen) print kb + 0 }' "/proc/$1/smaps"
}

ct_case "btf cache: once attached, libelf's, libz's and libbpf's code is not resident"
# Only loading runs them (libbpf reads the embedded object, and maybe the
# kernel's config); the event loop runs no libbpf code, also when it
# reads the loss counters (every second). Their pages stay in the page
# cache, not in the tool.
tool_start opensnoop -n ct-open
open_one /etc/hostname
wait_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open "$fd" 0 \
	/etc/hostname)"
ct_sleep 1.5
kb=$(lib_code_rss "$tool_pid" '/lib(elf|z|bpf)[-.][^/]*$')
tool_stop
expect_status 0
if [ -z "$kb" ]; then
	ct_skip "a static build: no shared libraries"
elif [ "$kb" -ne 0 ]; then
	ct_fail "$kb kB of libelf's, libz's and libbpf's code resident"
fi
ct_done

# The kB of the r-x mappings of the libraries whose names match $2 in
# process $1.
lib_code_size() {
	kb=0
	for r in $(awk -v re="$2" '$2 ~ /^r-x/ && $6 ~ re { print $1 }' \
		"/proc/$1/maps"); do
		kb=$((kb + (0x${r#*-} - 0x${r%-*}) / 1024))
	done
	echo "$kb"
}

ct_case "btf cache: once attached, most of libc's code is not resident"
# Loading runs much of libc, and the kernel maps the pages around each it
# faults in: ~90 % of libc's code stayed resident (1.2 MB). The loop runs
# little of it: the pages are dropped once attached, what runs comes back.
tool_start opensnoop -n ct-open
open_one /etc/hostname
wait_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open "$fd" 0 \
	/etc/hostname)"
ct_sleep 1.5
kb=$(lib_code_rss "$tool_pid" '/libc[-.][^/]*$')
size=$(lib_code_size "$tool_pid" '/libc[-.][^/]*$')
tool_stop
expect_status 0
if [ -z "$kb" ]; then
	ct_skip "a static build: no shared libc"
elif [ $((kb * 4)) -ge $((size * 3)) ]; then
	ct_fail "$kb kB of libc's $size kB of code resident"
fi
ct_done

ct_case "btf cache: the programs carry no line info, which libbpf would keep in memory"
# libbpf holds the object's line info (~300 kB for opensnoop) for as long
# as it runs; the build strips it (BPF_LINE_INFO=1 keeps it). The
# function info stays: bpftool shows each program's signature.
tool_start opensnoop -n ct-open
record_bpf_ids
open_one /etc/hostname
wait_line "$(printf '%-7s %-16s %4s %3s %s' "$pid" ct-open "$fd" 0 \
	/etc/hostname)"
if ! command -v bpftool >/dev/null 2>&1; then
	ct_skip "no bpftool to dump the programs"
else
	while read -r kind id; do
		[ "$kind" = prog ] || continue
		bpftool prog dump xlated id "$id" >"$CT_TMP/xlated" ||
			ct_fail "bpftool cannot dump program $id"
		grep -q '^int [a-z_0-9]*(.*):$' "$CT_TMP/xlated" ||
			ct_fail "program $id: no signature (function info)"
		! grep -q '^; ' "$CT_TMP/xlated" ||
			ct_fail "program $id: source lines (line info)"
	done <"$ids"
	tool_stop
	expect_status 0
fi
ct_done

ct_case "btf cache: every tool's programs relocate as with the whole BTF"
objs=$(ls "$CT_BIN"/../obj/*.bpf.o 2>/dev/null)
if [ -z "$objs" ]; then
	ct_skip "no BPF objects next to $CT_BIN to check"
else
	"$CT_BIN/tests/ct-btf-check" $objs >"$out" 2>"$err"
	tool_status=$?
	expect_status 0
	expect_no_grep "^FAIL"
	for o in $objs; do
		grep -q "^ok $o " "$out" ||
			ct_fail "no program of $o was checked"
	done
fi
ct_done
