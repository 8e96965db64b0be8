// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/args.c. Good values are parsed in the test process;
 * a bad value has to exit 2 with one line naming the option, so each runs
 * in a forked child whose stderr and status are checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "args.h"

enum kind { PID, USER, DURATION, LONG, STRING, CGROUP };

/* Parse arg as kind in the current process (range 1..10 for LONG). */
static void parse(enum kind kind, const char *opt, const char *arg)
{
	char buf[8];

	switch (kind) {
	case PID:
		ct_parse_pid(opt, arg);
		break;
	case USER:
		ct_parse_user(opt, arg);
		break;
	case DURATION:
		ct_parse_duration(opt, arg);
		break;
	case LONG:
		ct_parse_long(opt, arg, 1, 10);
		break;
	case STRING:
		ct_parse_string(opt, arg, buf, sizeof(buf));
		break;
	case CGROUP:
		ct_parse_cgroup(opt, arg);
		break;
	}
}

/* Parse in a child: it must exit 2 after one line "coretrace: OPT: ...". */
static void expect_usage_error(enum kind kind, const char *opt,
			       const char *arg)
{
	char msg[1024] = "", prefix[64];
	int fds[2], status;
	ssize_t n, len = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		parse(kind, opt, arg);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], msg + len, sizeof(msg) - 1 - len)) > 0)
		len += n;
	msg[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
		fail_msg("%s '%s': status 0x%x, stderr '%s'", opt, arg, status,
			 msg);
	snprintf(prefix, sizeof(prefix), "coretrace: %s: ", opt);
	if (strncmp(msg, prefix, strlen(prefix)) ||
	    strchr(msg, '\n') != msg + len - 1)
		fail_msg("%s '%s': stderr is not one line naming the option: "
			 "'%s'", opt, arg, msg);
}

static void test_pid_good(void **state)
{
	(void)state;
	assert_int_equal(ct_parse_pid("-p", "1"), 1);
	assert_int_equal(ct_parse_pid("-p", "4242"), 4242);
}

static void test_pid_bad(void **state)
{
	static const char *const bad[] = {
		"", "0", "-1", "abc", "12abc", " 1", "1 ", "0x10", "1.5",
		"99999999999", "99999999999999999999999", "4194304",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(PID, "-p/--pid", bad[i]);
}

static void test_user_good(void **state)
{
	(void)state;
	assert_int_equal(ct_parse_user("-u", "root"), 0);
	assert_int_equal(ct_parse_user("-u", "0"), 0);
	assert_int_equal(ct_parse_user("-u", "65534"), 65534);
}

static void test_user_bad(void **state)
{
	static const char *const bad[] = {
		"", "no_such_user_ct", "-1", "4294967295", "99999999999",
		"root\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(USER, "-u/--uid", bad[i]);
}

static void test_duration_good(void **state)
{
	(void)state;
	assert_true(ct_parse_duration("-d", "10") == 10);
	assert_true(ct_parse_duration("-d", "0.5") == 0.5);
	assert_true(ct_parse_duration("-d", "1s") == 1);
	assert_true(ct_parse_duration("-d", "2m") == 120);
	assert_true(ct_parse_duration("-d", "1h") == 3600);
	assert_true(ct_parse_duration("-d", "1.5m") == 90);
}

static void test_duration_bad(void **state)
{
	static const char *const bad[] = {
		"", "0", "-1", "-0.5", "0s", "abc", "1x", "1ms", "1 ", " 1",
		"nan", "inf", "-inf", "1e400", "9000h", "1e-400", "m",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(DURATION, "-d/--duration", bad[i]);
}

static void test_long_good(void **state)
{
	(void)state;
	assert_int_equal(ct_parse_long("-n", "1", 1, 10), 1);
	assert_int_equal(ct_parse_long("-n", "10", 1, 10), 10);
	assert_int_equal(ct_parse_long("-n", "-5", -10, 10), -5);
}

static void test_long_bad(void **state)
{
	static const char *const bad[] = {
		"", "0", "11", "-1", "x", "5x", "99999999999999999999999",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_usage_error(LONG, "--max-args", bad[i]);
}

static void test_string(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(ct_parse_string("-n", "abcdefg", buf, sizeof(buf)),
			 7);
	assert_string_equal(buf, "abcdefg");
	expect_usage_error(STRING, "-n/--name", "");
	/* One byte too long for the kernel's buffer (with its NUL). */
	expect_usage_error(STRING, "-n/--name", "abcdefgh");
}

static bool is_cgroup2(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

static void test_cgroup(void **state)
{
	const char *v2 = is_cgroup2("/sys/fs/cgroup") ? "/sys/fs/cgroup" :
			 "/sys/fs/cgroup/unified";
	int fd;

	(void)state;
	expect_usage_error(CGROUP, "-c/--cgroup", "/nonexistent/cg");
	expect_usage_error(CGROUP, "-c/--cgroup", "/tmp");
	expect_usage_error(CGROUP, "-c/--cgroup", "");
	if (!is_cgroup2(v2)) {
		skip();
		return;
	}
	fd = ct_parse_cgroup("-c", v2);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid_good),
		cmocka_unit_test(test_pid_bad),
		cmocka_unit_test(test_user_good),
		cmocka_unit_test(test_user_bad),
		cmocka_unit_test(test_duration_good),
		cmocka_unit_test(test_duration_bad),
		cmocka_unit_test(test_long_good),
		cmocka_unit_test(test_long_bad),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_cgroup),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
