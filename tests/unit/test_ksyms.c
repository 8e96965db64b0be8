// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/ksyms.c: kallsyms as the kernel writes it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ksyms.h"

static struct ct_ksyms *parse(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct ct_ksyms *ks;

	assert_non_null(f);
	ks = ct_ksyms_parse(f);
	fclose(f);
	assert_non_null(ks);
	return ks;
}

static const char kallsyms[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81001000 t do_thing.llvm.1234567\n"
	"ffffffff81001100 t do_thing.cold\n"
	"ffffffff81001180 T schedule\n"
	"ffffffff81001200 D some_data\n"
	"garbage line\n"
	"ffffffff81001300 T\n"
	"ffffffffc0100000 t ext4_read\t[ext4]\n"
	"ffffffffc0100040 t ext4_write\t[ext4]\n"
	"ffffffffc0200000 t bpf_prog_6deef7357e7b4530_sd_fw\t[bpf]\n";

/* The name as printed: up to name_len. */
static void expect(const struct ct_ksyms *ks, unsigned long addr,
		   const char *name, const char *module, unsigned long off)
{
	struct ct_ksym s;

	assert_int_equal(ct_ksyms_find(ks, addr, &s), 0);
	assert_int_equal(s.name_len, strlen(name));
	assert_memory_equal(s.name, name, s.name_len);
	if (module)
		assert_string_equal(s.module, module);
	else
		assert_null(s.module);
	assert_int_equal(s.offset, off);
}

static void test_lookup(void **state)
{
	struct ct_ksyms *ks = parse(kallsyms);
	struct ct_ksym s;

	(void)state;
	assert_int_equal(ct_ksyms_count(ks), 9);
	assert_false(ct_ksyms_restricted(ks));
	/* Two names at one address: the first, as the file has them. */
	expect(ks, 0xffffffff81000010, "_text", NULL, 0x10);
	expect(ks, 0xffffffff81001010, "do_thing", NULL, 0x10);
	expect(ks, 0xffffffff81001104, "do_thing", NULL, 4);
	expect(ks, 0xffffffff81001180, "schedule", NULL, 0);
	expect(ks, 0xffffffffc0100044, "ext4_write", "ext4", 4);
	expect(ks, 0xffffffffc0200000,
	       "bpf_prog_6deef7357e7b4530_sd_fw", "bpf", 0);
	/* Data, below the first symbol, past the last: no function. */
	assert_int_equal(ct_ksyms_find(ks, 0xffffffff81001208, &s), -ENOENT);
	assert_int_equal(ct_ksyms_find(ks, 0xffffffff80000000, &s), -ENOENT);
	assert_int_equal(ct_ksyms_find(ks, 0xffffffffc0200001, &s), -ENOENT);
	ct_ksyms_free(ks);
}

static void test_restricted(void **state)
{
	struct ct_ksyms *ks = parse("0000000000000000 T _text\n"
				    "0000000000000000 T schedule\n"
				    "0000000000000000 t ext4_read\t[ext4]\n");
	struct ct_ksym s;

	(void)state;
	assert_true(ct_ksyms_restricted(ks));
	assert_int_equal(ct_ksyms_find(ks, 0xffffffff81001180, &s), -EPERM);
	ct_ksyms_free(ks);
	ks = parse("");
	assert_false(ct_ksyms_restricted(ks));
	assert_int_equal(ct_ksyms_find(ks, 1, &s), -ENOENT);
	ct_ksyms_free(ks);
}

/*
 * Call padding (__pfx_NAME just before NAME: the name is stored once) and
 * modules whose lines come in several runs, the image's between them.
 */
static void test_padding_and_modules(void **state)
{
	struct ct_ksyms *ks = parse(
		"ffffffff81000ff0 T __pfx_schedule\n"
		"ffffffff81001000 T schedule\n"
		"ffffffff81001040 t __pfx_helper\n"
		"ffffffff81001050 t helper.cold\n"
		"ffffffff81001060 t __pfx_\n"
		"ffffffff81001070 t __pfx_\n"
		"ffffffffc0100000 t __pfx_ext4_read\t[ext4]\n"
		"ffffffffc0100010 t ext4_read\t[ext4]\n"
		"ffffffff81002000 T after_modules\n"
		"ffffffffc0200000 t xfs_read\t[xfs]\n"
		"ffffffffc0100020 t ext4_write\t[ext4]\n");

	(void)state;
	assert_int_equal(ct_ksyms_count(ks), 11);
	expect(ks, 0xffffffff81000ff4, "__pfx_schedule", NULL, 4);
	expect(ks, 0xffffffff81001008, "schedule", NULL, 8);
	expect(ks, 0xffffffff81001044, "__pfx_helper", NULL, 4);
	expect(ks, 0xffffffff81001050, "helper", NULL, 0);
	expect(ks, 0xffffffff81001064, "__pfx_", NULL, 4);
	expect(ks, 0xffffffff81001074, "__pfx_", NULL, 4);
	expect(ks, 0xffffffffc0100008, "__pfx_ext4_read", "ext4", 8);
	expect(ks, 0xffffffffc0100018, "ext4_read", "ext4", 8);
	expect(ks, 0xffffffff81002004, "after_modules", NULL, 4);
	expect(ks, 0xffffffffc0100024, "ext4_write", "ext4", 4);
	expect(ks, 0xffffffffc0200000, "xfs_read", "xfs", 0);
	ct_ksyms_free(ks);
}

static void test_base_len(void **state)
{
	static const struct {
		const char *name;
		size_t len;
	} cases[] = {
		{ "foo", 3 },
		{ "foo.llvm.123", 3 },
		{ "foo.llvm.", 9 },
		{ "foo.llvm.x1", 11 },
		{ "foo.cold", 3 },
		{ "foo.cold.7", 3 },
		{ "foo.cold.x", 10 },
		{ "foo.coldx", 9 },
		{ "foo.isra.0", 10 },
		{ "foo.llvm.77.cold", 3 },
		{ "foo.cold.llvm.5", 8 },
		{ ".cold", 5 },
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(ct_sym_base_len(cases[i].name,
						 strlen(cases[i].name)),
				 cases[i].len);
}

/* This kernel's own: schedule is a function of the image. */
static void test_proc_kallsyms(void **state)
{
	struct ct_ksyms *ks = ct_ksyms_load();

	(void)state;
	if (!ks)
		skip();
	assert_true(ct_ksyms_count(ks) > 1000);
	ct_ksyms_free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_padding_and_modules),
		cmocka_unit_test(test_base_len),
		cmocka_unit_test(test_proc_kallsyms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
