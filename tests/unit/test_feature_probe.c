// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/feature_probe.c against this kernel: what surely
 * exists is found, what cannot exist is not, and odd names never crash.
 * Probes that need privileges are skipped without them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/libbpf.h>

#include "feature_probe.h"

static bool have_tracefs(void)
{
	if (!ct_tracefs() && geteuid() == 0)
		ct_mount_tracefs();
	return ct_tracefs() != NULL;
}

static void test_tracefs_location(void **state)
{
	const char *root;

	(void)state;
	if (!have_tracefs()) {
		skip();
		return;
	}
	root = ct_tracefs();
	assert_true(!strcmp(root, "/sys/kernel/tracing") ||
		    !strcmp(root, "/sys/kernel/debug/tracing"));
	/* Already there: mounting again is a no-op that succeeds. */
	assert_int_equal(ct_mount_tracefs(), 0);
}

static void test_tracepoint_exists(void **state)
{
	(void)state;
	if (!have_tracefs()) {
		skip();
		return;
	}
	/* Every kernel since 3.4 has these. */
	assert_true(ct_has_tracepoint("sched", "sched_process_exec"));
	assert_true(ct_has_tracepoint("sched", "sched_switch"));
}

static void test_tracepoint_missing(void **state)
{
	(void)state;
	assert_false(ct_has_tracepoint("no_such_category_ct", "x"));
	assert_false(ct_has_tracepoint("sched", "no_such_event_ct"));
	assert_false(ct_has_tracepoint("sched", ""));
	assert_false(ct_has_tracepoint("", "sched_switch"));
}

static void test_tracepoint_odd_names(void **state)
{
	static char huge[8192];

	(void)state;
	/* Longer than PATH_MAX: cut by snprintf, and still not found. */
	memset(huge, 'a', sizeof(huge) - 1);
	assert_false(ct_has_tracepoint(huge, huge));
	assert_false(ct_has_tracepoint("sched", huge));
}

static void test_bpf_features(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	/* The oldest kernel coretrace supports has all of these. */
	assert_true(ct_has_ringbuf());
	assert_true(ct_has_raw_tracepoint());
	assert_true(ct_has_tp_btf("sched_switch"));
	assert_false(ct_has_tp_btf("no_such_tracepoint_ct"));
	assert_false(ct_has_tp_btf(""));
}

static void test_probe_pmus(void **state)
{
	(void)state;
	/* The PMU's presence decides, whatever tracefs says. */
	if (access("/sys/bus/event_source/devices/uprobe/type", F_OK) == 0)
		assert_true(ct_has_uprobe());
	if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0)
		assert_true(ct_has_kprobe());
	/* Only that fentry probing returns, with either answer. */
	(void)ct_has_fentry();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracefs_location),
		cmocka_unit_test(test_tracepoint_exists),
		cmocka_unit_test(test_tracepoint_missing),
		cmocka_unit_test(test_tracepoint_odd_names),
		cmocka_unit_test(test_bpf_features),
		cmocka_unit_test(test_probe_pmus),
	};

	/* The probes of missing things make libbpf complain: not a failure. */
	libbpf_set_print(NULL);
	return cmocka_run_group_tests_name("feature_probe", tests, NULL,
					   NULL);
}
