// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/alias.c: which name a multi-name binary runs as. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tool.h"

static const char *const names[] = { "sigsnoop", "killsnoop" };
static const char *const fs[] = { "fsslower", "ext4slower", "xfsslower" };

static int run_as(const char *argv0, const char *exe)
{
	return ct_alias_index(names, 2, argv0, exe);
}

static void test_plain_names(void **state)
{
	(void)state;
	assert_int_equal(run_as("sigsnoop", "sigsnoop"), 0);
	assert_int_equal(run_as("killsnoop", "sigsnoop"), 1);
	/* Anything else runs the binary's own tool. */
	assert_int_equal(run_as("snoop", "sigsnoop"), 0);
	assert_int_equal(run_as("", "sigsnoop"), 0);
}

/* A link installed with TOOL_PREFIX/TOOL_SUFFIX is named like its tool. */
static void test_prefix_and_suffix(void **state)
{
	(void)state;
	assert_int_equal(run_as("bpf-killsnoop", "bpf-sigsnoop"), 1);
	assert_int_equal(run_as("killsnoop-bpfcc", "sigsnoop-bpfcc"), 1);
	assert_int_equal(run_as("bpf-sigsnoop", "bpf-sigsnoop"), 0);
	/* Named otherwise than make install names it: not the alias. */
	assert_int_equal(run_as("killsnoop", "bpf-sigsnoop"), 0);
	assert_int_equal(run_as("bpf-killsnoop-x", "bpf-sigsnoop"), 0);
}

/* A copy (no link) under the alias's name is told by its own file name. */
static void test_copy(void **state)
{
	(void)state;
	assert_int_equal(run_as("whatever", "bpf-killsnoop"), 1);
	assert_int_equal(run_as("whatever", "other"), 0);
}

/* An alias may hold the tool's name: xfsslower and fsslower. */
static void test_alias_holding_the_name(void **state)
{
	(void)state;
	assert_int_equal(ct_alias_index(fs, 3, "xfsslower", "fsslower"), 2);
	assert_int_equal(ct_alias_index(fs, 3, "bpf-ext4slower",
					"bpf-fsslower"), 1);
	assert_int_equal(ct_alias_index(fs, 3, "fsslower", "fsslower"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_prefix_and_suffix),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_alias_holding_the_name),
	};

	return cmocka_run_group_tests_name("alias", tests, NULL, NULL);
}
