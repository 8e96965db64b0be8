// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/stacks.c: how a frame is printed, named or not, as
 * text, folded and JSON, its untrusted name escaped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stacks.h"

static char *print(const struct ct_frame *f, bool addresses, bool folded)
{
	static char *buf;
	size_t len;
	FILE *out;

	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	ct_frame_print(out, f, addresses, folded);
	fclose(out);
	return buf;
}

static void test_text(void **state)
{
	struct ct_frame f = { .addr = 0x4016a5, .name = "prof_spin",
			      .name_len = 9, .offset = 0x31,
			      .dso = "/usr/bin/app", .has_dso_offset = true,
			      .dso_offset = 0x16a5 };
	struct ct_frame k = { .addr = 0xffffffffc0100044, .kernel = true,
			      .name = "ext4_write.cold", .name_len = 10,
			      .offset = 4, .dso = "ext4" };

	(void)state;
	assert_string_equal(print(&f, false, false), "prof_spin");
	assert_string_equal(print(&f, true, false),
			    "0x4016a5 prof_spin+0x31 (/usr/bin/app+0x16a5)");
	assert_string_equal(print(&k, false, false), "ext4_write");
	assert_string_equal(print(&k, true, false),
			    "0xffffffffc0100044 ext4_write+0x4 [ext4]");
	f.name = NULL;
	assert_string_equal(print(&f, false, false), "[app+0x16a5]");
	f.dso = NULL;
	assert_string_equal(print(&f, false, false), "[unknown]");
	k.hidden = true;
	assert_string_equal(print(&k, false, false), "[kptr_restrict]");
}

static void test_escaped(void **state)
{
	const char *evil = "jit\x1b[31m;a\nb";
	struct ct_frame f = { .addr = 1, .name = evil,
			      .name_len = strlen(evil) };

	(void)state;
	assert_string_equal(print(&f, false, false), "jit\\x1b[31m;a\\nb");
	/* Folded: a ';' would split the frame in two. */
	assert_string_equal(print(&f, false, true),
			    "jit\\x1b[31m\\x3ba\\nb");
}

static void test_json(void **state)
{
	const char *evil = "f\"\n\xff";
	struct ct_frame f = { .addr = 7, .name = evil,
			      .name_len = strlen(evil), .offset = 2,
			      .dso = "[vdso]", .has_dso_offset = true,
			      .dso_offset = 9 };
	struct ct_json j;
	char *buf = NULL;
	size_t len;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	ct_json_begin(&j, out);
	ct_json_array(&j, "ustack");
	ct_frame_json(&j, &f);
	f.name = NULL;
	f.dso = NULL;
	f.has_dso_offset = false;
	ct_frame_json(&j, &f);
	ct_json_close(&j);
	ct_json_end(&j);
	fclose(out);
	assert_string_equal(buf,
		"{\"ustack\":[{\"addr\":7,\"sym\":\"f\\\"\\n\\ufffd\","
		"\"offset\":2,\"dso\":\"[vdso]\",\"dso_offset\":9},"
		"{\"addr\":7,\"sym\":null,\"offset\":null,\"dso\":null,"
		"\"dso_offset\":null}]}\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_escaped),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
