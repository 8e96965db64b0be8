// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/syscall_names.c: the generated table must agree with
 * the C library's SYS_* numbers of the same architecture.
 */
#include <stdarg.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_of_numbers),
		cmocka_unit_test(test_numbers_of_names),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_compat_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
