// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/kernel_btf.c against this kernel's BTF: the ids the
 * streaming pass finds are the ones libbpf's full parse gives; and the
 * build ID found among ELF notes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <elf.h>
#include <errno.h>
#include <string.h>
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

/*
 * Remembered answers (a cache's) are given without a pass and said to be
 * remembered, until forgotten; a pass's own answer is never overridden.
 */
static void test_remembered_answers(void **state)
{
	int sw;

	(void)state;
	if (!vmlinux) {
		skip();
		return;
	}
	ct_kernel_btf_remember("ct_cached_only", BTF_KIND_TYPEDEF, 4242);
	ct_kernel_btf_remember("ct_cached_none", BTF_KIND_FUNC, 0);
	assert_int_equal(ct_kernel_btf_id("ct_cached_only", BTF_KIND_TYPEDEF),
			 4242);
	assert_true(ct_kernel_btf_remembered("ct_cached_only",
					     BTF_KIND_TYPEDEF));
	assert_int_equal(ct_kernel_btf_id("ct_cached_none", BTF_KIND_FUNC),
			 -ENOENT);
	sw = ct_kernel_btf_id("btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	ct_kernel_btf_remember("btf_trace_sched_switch", BTF_KIND_TYPEDEF, 7);
	assert_int_equal(ct_kernel_btf_id("btf_trace_sched_switch",
					  BTF_KIND_TYPEDEF), sw);
	assert_false(ct_kernel_btf_remembered("btf_trace_sched_switch",
					      BTF_KIND_TYPEDEF));
	/* Forgotten, the kernel's BTF answers: it has no such type. */
	ct_kernel_btf_forget();
	assert_false(ct_kernel_btf_remembered("ct_cached_only",
					      BTF_KIND_TYPEDEF));
	assert_int_equal(ct_kernel_btf_id("ct_cached_only", BTF_KIND_TYPEDEF),
			 -ENOENT);
}

/*
 * Names asked beforehand are all answered by the pass the next question
 * makes, and said to be found by it (to be kept in a cache file that lacks
 * them); remembered answers, and names never asked, are not.
 */
static void test_asked_names_found_by_one_pass(void **state)
{
	int id = -1;

	(void)state;
	if (!vmlinux) {
		skip();
		return;
	}
	ct_kernel_btf_remember("ct_cached_found", BTF_KIND_STRUCT, 99);
	ct_kernel_btf_ask("dentry", BTF_KIND_STRUCT);
	ct_kernel_btf_ask("no_such_type_ct2", BTF_KIND_STRUCT);
	assert_false(ct_kernel_btf_found("dentry", BTF_KIND_STRUCT, &id));
	expect_same_id("file", BTF_KIND_STRUCT);
	/* Not asked again: the pass for "file" answered it. */
	assert_true(ct_kernel_btf_found("dentry", BTF_KIND_STRUCT, &id));
	assert_int_equal(id, btf__find_by_name_kind(vmlinux, "dentry",
						    BTF_KIND_STRUCT));
	assert_true(ct_kernel_btf_found("no_such_type_ct2", BTF_KIND_STRUCT,
					&id));
	assert_int_equal(id, 0);
	assert_false(ct_kernel_btf_found("ct_cached_found", BTF_KIND_STRUCT,
					 &id));
	assert_false(ct_kernel_btf_found("mount", BTF_KIND_STRUCT, &id));
	ct_kernel_btf_forget();
}

/* get() answers, twice the same, and not 0. */
static void expect_stable(int (*get)(__u64 *))
{
	__u64 a = 0, b = 1;

	if (!vmlinux) {
		skip();
		return;
	}
	assert_int_equal(get(&a), 0);
	assert_int_equal(get(&b), 0);
	assert_true(a == b && a != 0);
}

static void test_digest_is_stable(void **state)
{
	(void)state;
	expect_stable(ct_kernel_btf_digest);
}

static void test_identity_is_stable(void **state)
{
	(void)state;
	expect_stable(ct_kernel_btf_identity);
}

/* Append one ELF note (name and description padded to 4 bytes). */
static size_t put_note(unsigned char *p, __u32 type, const char *name,
		       const void *desc, __u32 desc_len)
{
	__u32 name_len = strlen(name) + 1;
	__u32 h[3] = { name_len, desc_len, type };
	size_t at = sizeof(h);

	memcpy(p, h, sizeof(h));
	memcpy(p + at, name, name_len);
	at += (name_len + 3) & ~3U;
	memcpy(p + at, desc, desc_len);
	return at + ((desc_len + 3) & ~3U);
}

static void test_build_id_among_notes(void **state)
{
	static const unsigned char build_id[20] = { 0xab, 0xf9, 0xec, 0x0e };
	unsigned char notes[256] = {};
	const unsigned char *id = NULL;
	size_t n = 0;

	(void)state;
	/* Other notes first, of odd sizes: a "Linux" one, a type-3 "Xen". */
	n += put_note(notes + n, 6, "Linux", "6.1.0", 6);
	n += put_note(notes + n, NT_GNU_BUILD_ID, "Xen", "\1\2\3", 3);
	n += put_note(notes + n, NT_GNU_BUILD_ID, "GNU", build_id, 20);
	assert_int_equal(ct_notes_build_id(notes, n, &id), 20);
	assert_memory_equal(id, build_id, 20);
	/* Cut short anywhere in the build ID's note: none, never past n. */
	for (size_t cut = n - 1; cut > n - 32; cut--)
		assert_int_equal(ct_notes_build_id(notes, cut, &id), 0);
	/* A size that runs past the end. */
	notes[4] = 0xff;
	assert_int_equal(ct_notes_build_id(notes, n, &id), 0);
	assert_int_equal(ct_notes_build_id(notes, 0, &id), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_match_libbpf),
		cmocka_unit_test(test_remembered_answers),
		cmocka_unit_test(test_asked_names_found_by_one_pass),
		cmocka_unit_test(test_digest_is_stable),
		cmocka_unit_test(test_identity_is_stable),
		cmocka_unit_test(test_build_id_among_notes),
	};

	return cmocka_run_group_tests_name("kernel_btf", tests, setup, NULL);
}
