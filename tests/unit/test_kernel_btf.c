// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/kernel_btf.c against this kernel's BTF: the ids the
 * streaming pass finds are the ones libbpf's full parse gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "kernel_btf.h"

static struct btf *vmlinux;

static int setup(void **state)
{
	(void)state;
	if (access(CT_KERNEL_BTF, R_OK) == 0)
		vmlinux = btf__load_vmlinux_btf();
	return 0;
}

static void expect_same_id(const char *name, int kind)
{
	assert_int_equal(ct_kernel_btf_id(name, kind),
			 btf__find_by_name_kind(vmlinux, name, kind));
}

static void test_ids_match_libbpf(void **state)
{
	(void)state;
	if (!vmlinux) {
		skip();
		return;
	}
	expect_same_id("task_struct", BTF_KIND_STRUCT);
	expect_same_id(CT_FENTRY_PROBE_FUNC, BTF_KIND_FUNC);
	expect_same_id("btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	/* The last type of all, and a name that exists in another kind. */
	expect_same_id("task_struct", BTF_KIND_TYPEDEF);
	assert_int_equal(ct_kernel_btf_id("no_such_type_ct", BTF_KIND_STRUCT),
			 -ENOENT);
	assert_int_equal(ct_kernel_btf_id("", BTF_KIND_STRUCT), -ENOENT);
}

static void test_digest_is_stable(void **state)
{
	__u64 a = 0, b = 1;

	(void)state;
	if (!vmlinux) {
		skip();
		return;
	}
	assert_int_equal(ct_kernel_btf_digest(&a), 0);
	assert_int_equal(ct_kernel_btf_digest(&b), 0);
	assert_true(a == b && a != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_match_libbpf),
		cmocka_unit_test(test_digest_is_stable),
	};

	return cmocka_run_group_tests_name("kernel_btf", tests, setup, NULL);
}
