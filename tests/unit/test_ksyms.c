// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/ksyms.c: kallsyms as the kernel writes it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Lines not as the kernel writes them are not symbols. */
static void test_malformed(void **state)
{
	static const char text[] =
		"1ffffffff81000000 T wrapped\n"	/* 17 digits */
		"0xffffffff81000000 T hex_prefix\n"
		"-ffffffff81000000 T negative\n"
		" ffffffff81000000 T leading_space\n"
		"ffffffff81000000  T two_spaces\n"
		"ffffffff81000000 TT long_type\n"
		"ffffffff81000000 T \n"
		"ffffffff81000000 t open_module\t[ext4\n"
		"ffffffff81000000 T\n"
		"ffffffff81001000 T good\n"
		"ffffffff81002000 T end\n";
	struct ct_ksyms *ks = parse(text);
	struct ct_ksym s;

	(void)state;
	assert_int_equal(ct_ksyms_count(ks), 2);
	expect(ks, 0xffffffff81001004, "good", NULL, 4);
	assert_int_equal(ct_ksyms_find(ks, 0xffffffff81000004, &s), -ENOENT);
	ct_ksyms_free(ks);
}

/* ct_ksyms_scan_name() over text: its result, *r as it left it. */
static int scan(const char *text, size_t len, const char *name,
		struct ct_ksym_range *r)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int err;

	assert_non_null(f);
	r->start = r->end = 1;	/* must be overwritten */
	err = ct_ksyms_scan_name(f, name, r);
	fclose(f);
	if (err) {
		assert_int_equal(r->start, 0);
		assert_int_equal(r->end, 0);
	}
	return err;
}

#define SCAN(text, name, r) scan(text, sizeof(text) - 1, name, r)

static const char image[] =
	"ffffffff81000ff0 T __pfx_schedule\n"
	"ffffffff81001000 T schedule\n"
	"ffffffff81001000 T schedule_alias\n"
	"ffffffff81001180 t __pfx_helper\n"
	"ffffffff81001190 t helper\n"
	"ffffffff81001100 t out_of_order\n"
	"ffffffff81001200 D helper_data\n"
	"ffffffff81001300 d helper\n"
	"ffffffff81001400 t helper\n"
	"ffffffff81001480 W weak_fn\n"
	"ffffffff81001500 T last_of_image\n"
	"ffffffffc0100000 t ext4_read\t[ext4]\n"
	"ffffffffc0100040 t ext4_write\t[ext4]\n";

/*
 * A function of the image by name, in one pass: it ends where the next
 * address starts (its padding is the next one's), the first of a name
 * counts, data and modules are not functions of the image.
 */
static void test_scan_name(void **state)
{
	struct ct_ksym_range r;

	(void)state;
	assert_int_equal(SCAN(image, "schedule", &r), 0);
	assert_true(r.start == 0xffffffff81001000 && r.end == 0xffffffff81001180);
	assert_int_equal(SCAN(image, "__pfx_schedule", &r), 0);
	assert_true(r.start == 0xffffffff81000ff0 && r.end == 0xffffffff81001000);
	/* A lower address after it is not its end. */
	assert_int_equal(SCAN(image, "helper", &r), 0);
	assert_true(r.start == 0xffffffff81001190 && r.end == 0xffffffff81001200);
	assert_int_equal(SCAN(image, "weak_fn", &r), 0);
	assert_true(r.start == 0xffffffff81001480 && r.end == 0xffffffff81001500);
	/* Data, a prefix or extension of a name, a module's: none. */
	assert_int_equal(SCAN(image, "helper_data", &r), -ENOENT);
	assert_int_equal(SCAN(image, "sched", &r), -ENOENT);
	assert_int_equal(SCAN(image, "schedule_", &r), -ENOENT);
	assert_int_equal(SCAN(image, "ext4_read", &r), -ENOENT);
	assert_int_equal(SCAN(image, "", &r), -ENOENT);
	/* Nothing of the image after it: no end, no range. */
	assert_int_equal(SCAN(image, "last_of_image", &r), -ENOENT);
	assert_int_equal(SCAN("", "schedule", &r), -ENOENT);
}

/* Hidden addresses, and lines that are not the kernel's. */
static void test_scan_name_untrusted(void **state)
{
	static const char hidden[] =
		"0000000000000000 T _text\n"
		"0000000000000000 T schedule\n"
		"0000000000000000 T after\n";
	static const char zero_end[] =
		"ffffffff81001000 T schedule\n"
		"0000000000000000 T zero\n";
	static const char bad[] =
		"1ffffffff81001000 T schedule\n"
		"0xffffffff81001000 T schedule\n"
		"ffffffff81001000 T  schedule\n"
		"ffffffff81001000 T schedule\t[open\n"
		"ffffffff81002000 T schedule\n"
		"1ffffffff81000000 T bad_end\n"
		"ffffffff81002040 T\n"
		"ffffffff81002080 T next\n";
	/* A NUL byte: "schedule" would be its name cut short. */
	static const char nul[] =
		"ffffffff81001000 T schedule\0junk\n"
		"ffffffff81002000 T next\n";
	/* No newline at the end of the file. */
	static const char unended[] =
		"ffffffff81001000 T schedule\n"
		"ffffffff81002000 T next";
	char *big, *name;
	struct ct_ksym_range r;
	size_t n = 1 << 16;

	(void)state;
	assert_int_equal(SCAN(hidden, "schedule", &r), -EPERM);
	assert_int_equal(SCAN(zero_end, "schedule", &r), -ENOENT);
	assert_int_equal(SCAN(bad, "schedule", &r), 0);
	assert_true(r.start == 0xffffffff81002000 && r.end == 0xffffffff81002080);
	assert_int_equal(SCAN(nul, "schedule", &r), -ENOENT);
	assert_int_equal(SCAN(unended, "schedule", &r), 0);
	assert_true(r.start == 0xffffffff81001000 && r.end == 0xffffffff81002000);
	/* A name longer than a fixed-size reader's buffer: whole or none. */
	big = malloc(2 * n + 64);
	name = malloc(n + 1);
	assert_true(big && name);
	memset(name, 'a', n);
	name[n] = '\0';
	snprintf(big, 2 * n + 64, "ffffffff81001000 T %s\n"
		 "ffffffff81002000 T b\n", name);
	assert_int_equal(scan(big, strlen(big), name, &r), 0);
	assert_true(r.start == 0xffffffff81001000 && r.end == 0xffffffff81002000);
	name[n - 1] = '\0';
	assert_int_equal(scan(big, strlen(big), name, &r), -ENOENT);
	assert_int_equal(scan(big, strlen(big), "a", &r), -ENOENT);
	free(name);
	free(big);
}

static bool shown(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	bool yes;

	assert_non_null(f);
	yes = ct_ksyms_scan_shown(f);
	fclose(f);
	return yes;
}

/* Addresses shown: the first function's says, not a per-CPU symbol's. */
static void test_scan_shown(void **state)
{
	(void)state;
	assert_true(shown("ffffffff81000000 T _text\n"));
	assert_true(shown("0000000000000000 A fixed_percpu_data\n"
			  "0000000000001000 A cpu_debug_store\n"
			  "ffffffff81000000 T _stext\n"));
	assert_false(shown("0000000000000000 A fixed_percpu_data\n"
			   "0000000000000000 T _stext\n"
			   "ffffffff81000000 T not_the_first\n"));
	assert_true(shown("garbage\n1ffffffff81000000 T wrapped\n"
			  "ffffffff81000000 T _text\n"));
	assert_false(shown("0000000000000000 T _text\n"));
	assert_false(shown("garbage\nffffffff81000000 T\n"));
	assert_false(shown(""));
}

/*
 * This kernel's own: schedule is a function of the image, where the
 * table and the one-pass scan put it.
 */
static void test_proc_kallsyms(void **state)
{
	struct ct_ksyms *ks = ct_ksyms_load();
	struct ct_ksym_range r;
	struct ct_ksym s;

	(void)state;
	if (!ks)
		skip();
	assert_true(ct_ksyms_count(ks) > 1000);
	if (ct_ksyms_restricted(ks)) {
		assert_false(ct_ksyms_shown());
		ct_ksyms_free(ks);
		skip();
	}
	assert_true(ct_ksyms_shown());
	/* The one-pass scan agrees with the table on a function's text. */
	assert_int_equal(ct_ksyms_find_name("schedule", &r), 0);
	expect(ks, r.start, "schedule", NULL, 0);
	expect(ks, r.end - 1, "schedule", NULL, r.end - 1 - r.start);
	assert_int_equal(ct_ksyms_find(ks, r.end, &s), 0);
	assert_false(s.name_len == 8 && !memcmp(s.name, "schedule", 8));
	ct_ksyms_free(ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_restricted),
		cmocka_unit_test(test_padding_and_modules),
		cmocka_unit_test(test_base_len),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_scan_name),
		cmocka_unit_test(test_scan_name_untrusted),
		cmocka_unit_test(test_scan_shown),
		cmocka_unit_test(test_proc_kallsyms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
