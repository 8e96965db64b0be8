// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the errno names of common/output.c, aliases included. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "output.h"

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(ct_errno_by_name("ENOENT"), ENOENT);
	assert_int_equal(ct_errno_by_name("enoent"), ENOENT);
	assert_int_equal(ct_errno_by_name("EAGAIN"), EAGAIN);
	assert_int_equal(ct_errno_by_name("EOPNOTSUPP"), EOPNOTSUPP);
	assert_int_equal(ct_errno_by_name("EDEADLK"), EDEADLK);
	assert_int_equal(ct_errno_by_name("EHWPOISON"), EHWPOISON);
	assert_int_equal(ct_errno_by_name("ENOPE"), 0);
	assert_int_equal(ct_errno_by_name(""), 0);
}

/* Each second name of <errno.h> maps to its first name's number. */
static void test_aliases(void **state)
{
	(void)state;
	assert_int_equal(ct_errno_by_name("EWOULDBLOCK"), EAGAIN);
	assert_int_equal(ct_errno_by_name("ewouldblock"), EAGAIN);
	assert_int_equal(ct_errno_by_name("ENOTSUP"), EOPNOTSUPP);
	assert_int_equal(ct_errno_by_name("EDEADLOCK"), EDEADLK);
#if defined(__x86_64__)
	assert_int_equal(ct_errno_by_name("EWOULDBLOCK"), 11);
	assert_int_equal(ct_errno_by_name("ENOTSUP"), 95);
	assert_int_equal(ct_errno_by_name("EDEADLOCK"), 35);
#endif
	/* The number's name stays the first one. */
	assert_string_equal(ct_errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(ct_errno_name(-EOPNOTSUPP), "EOPNOTSUPP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_aliases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
