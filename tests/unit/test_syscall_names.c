// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/syscall_names.c: the committed tables must agree with
 * the C library's SYS_* numbers of the same architecture, and name every
 * syscall up to the newest kernel tested (6.18).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "syscall_names.h"

static void test_names_of_numbers(void **state)
{
	(void)state;
	assert_string_equal(ct_syscall_name(SYS_read), "read");
	assert_string_equal(ct_syscall_name(SYS_getppid), "getppid");
	assert_string_equal(ct_syscall_name(SYS_openat), "openat");
	assert_string_equal(ct_syscall_name(SYS_exit_group), "exit_group");
	assert_string_equal(ct_syscall_name(SYS_execve), "execve");
}

static void test_numbers_of_names(void **state)
{
	(void)state;
	assert_int_equal(ct_syscall_nr("read"), SYS_read);
	assert_int_equal(ct_syscall_nr("getppid"), SYS_getppid);
	assert_int_equal(ct_syscall_nr("clone3"), SYS_clone3);
	assert_int_equal(ct_syscall_nr("exit_group"), SYS_exit_group);
}

static void test_unknown(void **state)
{
	(void)state;
	assert_null(ct_syscall_name(-1));
	assert_null(ct_syscall_name(100000));
	assert_int_equal(ct_syscall_nr("no_such_syscall"), -1);
	assert_int_equal(ct_syscall_nr(""), -1);
	/* Placeholders of <asm/unistd.h> are no syscalls. */
	assert_int_equal(ct_syscall_nr("syscalls"), -1);
}

/* Every name maps back to a number that has a name. */
static void test_round_trip(void **state)
{
	static const char *const names[] = {
		"write", "close", "mmap", "futex", "bpf", "io_uring_enter",
		"rt_sigreturn", "wait4", "pidfd_open",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		long nr = ct_syscall_nr(names[i]);

		assert_true(nr >= 0);
		assert_string_equal(ct_syscall_name(nr), names[i]);
	}
}

/* x86_64's 32-bit ABI numbers its calls its own way; none elsewhere. */
static void test_compat_names(void **state)
{
	(void)state;
#if defined(__x86_64__)
	assert_string_equal(ct_syscall32_name(64), "getppid");
	assert_string_equal(ct_syscall32_name(5), "open");
	assert_string_equal(ct_syscall32_name(1), "exit");
	assert_string_equal(ct_syscall32_name(110), "iopl");
#endif
	assert_null(ct_syscall32_name(-1));
	assert_null(ct_syscall32_name(100000));
}

/* The highest number with a name, looking up to 1000. */
static long highest(const char *(*name_of)(long nr))
{
	long last = -1;

	for (long nr = 0; nr < 1000; nr++)
		if (name_of(nr))
			last = nr;
	return last;
}

static bool in_holes(long nr, const long (*holes)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nr >= holes[i][0] && nr <= holes[i][1])
			return true;
	return false;
}

/*
 * Every number up to the highest has a name, but for the ranges the kernel
 * never used (first, last). Newer than the build host's headers: 6.1 had
 * none of fchmodat2 and later.
 */
static void test_complete(void **state)
{
#if defined(__x86_64__)
	static const long holes64[][2] = { { 337, 423 } };
	static const long holes32[][2] = {
		{ 222, 223 }, { 251, 251 }, { 285, 285 }, { 387, 392 },
		{ 415, 415 },
	};
	long last64 = highest(ct_syscall_name);
	long last32 = highest(ct_syscall32_name);

	(void)state;
	assert_true(last64 >= 469);
	assert_true(last32 >= 469);
	for (long nr = 0; nr <= last64; nr++)
		if (!in_holes(nr, holes64, 1) && !ct_syscall_name(nr))
			fail_msg("x86_64 syscall %ld has no name", nr);
	for (long nr = 0; nr <= last32; nr++)
		if (!in_holes(nr, holes32, 5) && !ct_syscall32_name(nr))
			fail_msg("i386 syscall %ld has no name", nr);
	for (long nr = 0; nr < 1000; nr++)
		if (in_holes(nr, holes64, 1) && ct_syscall_name(nr))
			fail_msg("x86_64 syscall %ld is no hole", nr);
#else
	(void)state;
	(void)highest;
	(void)in_holes;
#endif
}

/* Some of the calls added since 6.1, in both ABIs (the same numbers). */
static void test_newer_than_6_1(void **state)
{
	static const struct {
		long nr;
		const char *name;
	} calls[] = {
		{ 451, "cachestat" }, { 452, "fchmodat2" },
		{ 453, "map_shadow_stack" }, { 457, "statmount" },
		{ 462, "mseal" }, { 464, "getxattrat" },
		{ 467, "open_tree_attr" }, { 469, "file_setattr" },
	};

	(void)state;
#if defined(__x86_64__)
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		assert_string_equal(ct_syscall_name(calls[i].nr),
				    calls[i].name);
		assert_string_equal(ct_syscall32_name(calls[i].nr),
				    calls[i].name);
		assert_int_equal(ct_syscall_nr(calls[i].name), calls[i].nr);
	}
	assert_string_equal(ct_syscall_name(335), "uretprobe");
	assert_string_equal(ct_syscall_name(336), "uprobe");
#else
	(void)calls;
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_of_numbers),
		cmocka_unit_test(test_numbers_of_names),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_compat_names),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_newer_than_6_1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
