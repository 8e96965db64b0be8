# Runtime tests of common/perf_sample.c (one perf event per online CPU, a
# BPF program on each) through tests/helpers/common/ct-perf.c, whose BPF
# program counts the samples of each CPU.
. "$(dirname "$0")/lib.sh"
ct_require_root "perf_sample"

# The online CPUs, one a line, from the kernel's list ("0-3,6").
online_cpus() {
	tr ',' '\n' </sys/devices/system/cpu/online | awk -F- '
		{ hi = NF > 1 ? $2 : $1; for (c = $1; c <= hi; c++) print c }'
}
ncpus=$(online_cpus | wc -l)

# Each online CPU got from $1 to $2 samples; offline ones are listed so.
expect_samples() {
	for cpu in $(online_cpus); do
		n=$(sed -n "s/^cpu $cpu: \([0-9]*\)\$/\1/p" "$out")
		if [ -z "$n" ] || [ "$n" -lt "$1" ] || [ "$n" -gt "$2" ]; then
			ct_fail "cpu $cpu: ${n:-no} samples, expected $1 to $2"
		fi
	done
	[ "$(grep -c '^cpu [0-9]*: [0-9]*$' "$out")" = "$ncpus" ] ||
		ct_fail "not $ncpus online CPUs with samples"
	possible=$(grep -c '^cpu ' "$out")
	[ "$(grep -c '^cpu [0-9]*: offline$' "$out")" = \
		$((possible - ncpus)) ] || ct_fail "offline CPUs not listed"
}

# An idle CPU may see its sampling timer deferred, and counts no cycles:
# keep every CPU busy, so that each one has something to sample all along.
busy_cpus_start() {
	spinners=
	for cpu in $(online_cpus); do
		"$TRIGGER" spin 30 &	# bounded, should the file stop here
		spinners="$spinners $!"
	done
}

busy_cpus_stop() {
	kill $spinners
	wait $spinners 2>/dev/null
}

ct_case "perf_sample: 99 Hz for 3 s samples every online CPU, then detaches"
busy_cpus_start
# 3 s: time enough to read the BPF ids it holds, also in a slow guest.
tool_start tests/ct-perf -v 99 3
record_bpf_ids
tool_wait
busy_cpus_stop
expect_status 0
# 297 expected; a loaded machine delays some timer interrupts.
expect_samples 90 330
expect_line "open after detach: 0 perf events, 0 BPF links"
expect_grep "perf_event: using cpu-clock, on $ncpus CPUs\$" "$err"
expect_grep "attached $ncpus programs\$" "$err"
expect_no_bpf_left
ct_done

ct_case "perf_sample: the hardware cycles event, or cpu-clock where none"
busy_cpus_start
tool_start tests/ct-perf -v --hw 99 1
tool_wait
busy_cpus_stop
expect_status 0
expect_samples 1 1000000
expect_line "open after detach: 0 perf events, 0 BPF links"
fallback="software cpu-clock, no cycles event here (no hardware PMU)"
if ls -d /sys/bus/event_source/devices/cpu* >/dev/null 2>&1; then
	expect_grep "using \(cycles\|$fallback\), on $ncpus CPUs\$" "$err"
else
	expect_grep "perf_event: using $fallback, on $ncpus CPUs\$" "$err"
fi
ct_done

ct_case "perf_sample: a frequency above the kernel's maximum is one line"
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
run_tool tests/ct-perf $((max + 1)) 1
expect_status 1
line="$((max + 1)) Hz is above kernel.perf_event_max_sample_rate ($max)"
[ "$(cat "$err")" = "coretrace: $line" ] || ct_fail "stderr: $(cat "$err")"
expect_no_grep "^cpu" "$out"
ct_done
