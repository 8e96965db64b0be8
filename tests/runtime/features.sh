# Runtime tests of the feature probes (common/feature_probe.c) and of the
# attach methods the tools choose from them. The expectations come from
# what the kernel under test is known to offer: its config (/proc/config.gz,
# or /boot/config-VERSION, which tests/kernels/run.sh packs into its guests)
# and the version that brought each feature. The guest says it booted a
# Debian build in CT_EXPECT_KERNEL.
. "$(dirname "$0")/lib.sh"
ct_require_root "features"
FEATURES=$CT_BIN/tests/ct-features

kver=$(ct_kver)

# yes if $1 holds, else no.
yes_if() {
	if eval "$1"; then echo yes; else echo no; fi
}

# CONFIG_$1 of the running kernel: yes, no, or "" when the config is unknown.
kconfig() {
	if [ -r /proc/config.gz ]; then
		zcat /proc/config.gz
	elif [ -r "/boot/config-$(uname -r)" ]; then
		cat "/boot/config-$(uname -r)"
	else
		return 0
	fi >"$CT_TMP/config"
	if grep -q "^CONFIG_$1=[ym]" "$CT_TMP/config"; then
		echo yes
	else
		echo no
	fi
}

# Sets expect_<feature> to yes, no, or "" (not asserted here).
expectations() {
	expect_tracepoint=yes
	expect_raw_tracepoint=$(yes_if '[ $kver -ge 4017 ]')
	expect_tp_btf=$(yes_if '[ $kver -ge 5005 ] &&
		[ -e /sys/kernel/btf/vmlinux ]')
	expect_ringbuf=$(ct_kernel_helper ringbuf_output 5008)
	expect_kprobe=$(kconfig KPROBE_EVENTS)
	expect_uprobe=$(kconfig UPROBE_EVENTS)
	expect_fentry=
	[ "$(kconfig DYNAMIC_FTRACE_WITH_DIRECT_CALLS)" = no ] &&
		expect_fentry=no
	case $(uname -r) in
	6.18.*-fc-*)
		# The development VM: kprobes are off, and fentry cannot
		# attach although the kernel is built with direct calls.
		expect_fentry=no ;;
	esac
	case ${CT_EXPECT_KERNEL:-} in
	debian-*)
		# Debian's builds attach fentry wherever BTF and direct
		# calls are there (5.5+).
		[ "$expect_tp_btf" = yes ] &&
			[ "$(kconfig DYNAMIC_FTRACE_WITH_DIRECT_CALLS)" = yes ] &&
			expect_fentry=yes ;;
	esac
}

# The value ct-features printed for $1.
feature() {
	sed -n "s/^$1=//p" "$CT_TMP/features"
}

expectations
ct_case "features: ct-features runs"
"$FEATURES" >"$CT_TMP/features" 2>"$err"
tool_status=$?
cp "$CT_TMP/features" "$out"
expect_status 0
echo "  kernel $(uname -r)${CT_EXPECT_KERNEL:+ ($CT_EXPECT_KERNEL)}:" \
	$(cat "$CT_TMP/features") \
	loop=$(ct_kernel_helper loop 5017) \
	task_pt_regs=$(ct_kernel_helper task_pt_regs 5015) \
	get_func_ret=$(ct_kernel_helper get_func_ret 5017)
ct_done

for f in tracepoint raw_tracepoint tp_btf ringbuf kprobe fentry uprobe; do
	eval want=\$expect_$f
	ct_case "features: $f probe"
	got=$(feature "$f")
	if [ -z "$want" ]; then
		ct_skip "no known expectation on $(uname -r) (probe says '$got')"
		continue
	fi
	[ "$got" = "$want" ] || ct_fail "$f=$got, expected $f=$want"
	ct_done
done

# attach_case TOOL FEATURE LINE_IF_YES LINE_IF_NO: with -v, TOOL says it
# chose the method the FEATURE probe allows (lines are basic regexes after
# "TOOL: "). On the test guest's 6.1 the preferred method is chosen, on
# older or stripped-down kernels the fallback: both sides get run.
attach_case() {
	tool=$1 probe=$(feature "$2")
	ct_case "features: $tool -v attach method follows the $2 probe ($probe)"
	if [ ! -x "$CT_BIN/$tool" ]; then
		ct_skip "$tool is not built"
		return
	fi
	line=$3
	[ "$probe" = yes ] || line=$4
	run_tool "$tool" -v -d 1
	expect_status 0
	expect_grep "^$tool: $line" "$err"
	ct_done
}

attach_case execsnoop ringbuf "events: using BPF ring buffer" \
	"events: using perf buffer"
attach_case syscount raw_tracepoint "raw_syscalls: using raw tracepoints" \
	"raw_syscalls: using tracepoints"
attach_case runqlat tp_btf "sched: using tp_btf" \
	"sched: using \(raw_tp\|tracepoint\)"
attach_case biolatency tp_btf "block: using tp_btf" \
	"block: using \(raw_tp\|tracepoint\)"
