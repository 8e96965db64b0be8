// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/cgroup_path.c: which cgroup2 mount mountinfo gives
 * (unified, hybrid, escaped, a subtree), and the root cgroup of this system
 * resolved both ways. tests/runtime/cgroup_path.sh makes cgroups.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cgroup_path.h"

static char dir[PATH_MAX], root[PATH_MAX];

static int mount_of(const char *text)
{
	char path[] = "/tmp/ct-mountinfo-XXXXXX";
	int fd = mkstemp(path), err;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	err = ct_cgroup2_mount_in(path, dir, sizeof(dir), root, sizeof(root));
	unlink(path);
	return err;
}

static void test_unified(void **state)
{
	(void)state;
	assert_int_equal(mount_of(
		"22 27 0:20 / /proc rw - proc proc rw\n"
		"30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 "
		"cgroup2 rw,nsdelegate\n"), 0);
	assert_string_equal(dir, "/sys/fs/cgroup");
	assert_string_equal(root, "");
}

static void test_hybrid(void **state)
{
	(void)state;
	assert_int_equal(mount_of(
		"30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		"31 30 0:27 / /sys/fs/cgroup/unified rw shared:2 - cgroup2 "
		"cgroup2 rw\n"
		"32 30 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup "
		"rw,name=systemd\n"), 0);
	assert_string_equal(dir, "/sys/fs/cgroup/unified");
	/* /sys/fs/cgroup wins over the others, wherever it is listed. */
	assert_int_equal(mount_of(
		"40 23 0:26 / /mnt/cg rw - cgroup2 cgroup2 rw\n"
		"41 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
		"42 23 0:26 / /sys/fs/cgroup/unified rw - cgroup2 none rw\n"),
		0);
	assert_string_equal(dir, "/sys/fs/cgroup");
}

static void test_escaped_subtree(void **state)
{
	(void)state;
	assert_int_equal(mount_of(
		"40 23 0:26 /a\\040b /mnt/my\\040cg\\134x rw - cgroup2 "
		"cgroup2 rw\n"), 0);
	assert_string_equal(dir, "/mnt/my cg\\x");
	assert_string_equal(root, "/a b");
}

static void test_none(void **state)
{
	(void)state;
	assert_int_equal(mount_of(
		"30 23 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
		"31 30 0:27 / /sys/fs/cgroup/cgroup2 rw - cgroup cgroup2 rw\n"
		"garbage\n\n"), -ENOENT);
}

/* This system's cgroup2 root is "/" both ways, if cgroup2 is mounted. */
static void test_root(void **state)
{
	static const enum ct_cgroup_method methods[] = {
		CT_CGROUP_AUTO, CT_CGROUP_WALK,
	};
	char mnt[PATH_MAX], path[PATH_MAX];
	__u64 id;

	(void)state;
	if (ct_cgroup2_mount(mnt, sizeof(mnt))) {
		skip();
		return;
	}
	assert_int_equal(ct_cgroup_id(mnt, &id), 0);
	for (int i = 0; i < 2; i++) {
		ct_cgroup_path_reset(methods[i]);
		assert_int_equal(ct_cgroup_path(id, path, sizeof(path)), 0);
		assert_string_equal(path, "/");
		assert_int_equal(ct_cgroup_path(id, path, 1), -ENAMETOOLONG);
		assert_int_equal(ct_cgroup_path(~0ULL, path, sizeof(path)),
				 -ENOENT);
	}
	assert_int_equal(ct_cgroup_id("/nonexistent-ct", &id), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unified),
		cmocka_unit_test(test_hybrid),
		cmocka_unit_test(test_escaped_subtree),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
