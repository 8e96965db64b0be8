# Runtime tests of the kernel-type cache (common/btf_cache.c, min_btf.c):
# the first run of a tool on a kernel writes the types its relocations need,
# the next runs read them instead of the whole kernel BTF, only from files
# nobody else can write, and relocate exactly as with the whole BTF.
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

ct_case "btf cache: CT_BTF_CACHE_DIR set but empty turns it off"
rm -rf "$C"
CT_BTF_CACHE_DIR= "$CT_BIN/execsnoop" -v -d 0.2 >"$out" 2>"$err"
tool_status=$?
expect_status 0
expect_no_grep "kernel types" "$err"
[ ! -e "$C" ] || ct_fail "the cache was written"
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
