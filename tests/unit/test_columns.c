// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/columns.c: CSV quoting, and one row of each value
 * type as text, JSON and CSV, with the default and selected fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "columns.h"
#include "json_check.h"
#include "tool.h"

static char *buf;
static size_t len;
static FILE *saved;

/* Send stdout (where rows go) to a buffer. */
static void cap_begin(void)
{
	saved = stdout;
	stdout = open_memstream(&buf, &len);
	assert_non_null(stdout);
}

static void cap_end(const char *want)
{
	fclose(stdout);
	stdout = saved;
	assert_string_equal(buf, want);
	free(buf);
}

static const struct {
	const char *in;
	size_t len;
	const char *want;
} csv_cases[] = {
	{ "plain", 5, "plain" },
	{ "a b", 3, "a b" },
	{ "a,b", 3, "\"a,b\"" },
	{ "say \"hi\"", 8, "\"say \"\"hi\"\"\"" },
	{ "\"", 1, "\"\"\"\"" },
	{ "", 0, "\"\"" },
	/* A record stays one line, with no control byte: escaped as text. */
	{ "a\nb", 3, "a\\nb" },
	{ "a\r\nb", 4, "a\\r\\nb" },
	{ "\x1b[31m", 5, "\\x1b[31m" },
	{ "back\\slash", 10, "back\\\\slash" },
	{ "\xff,", 2, "\"\\xff,\"" },
	{ "\xc3\xbc", 2, "\xc3\xbc" },
	{ "\xe2\x80\xae", 3, "\\xe2\\x80\\xae" },
};

/* A CSV field as ct_csv_str() or ct_csv_strs() appends it. */
static void buf_end(struct ct_buf *b, const char *want)
{
	ct_buf_putc(b, '\0');
	assert_string_equal(b->p, want);
	b->len = 0;
}

static void test_csv_str(void **state)
{
	struct ct_buf b = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		ct_csv_str(&b, csv_cases[i].in, csv_cases[i].len);
		buf_end(&b, csv_cases[i].want);
	}
	ct_buf_free(&b);
}

static void test_csv_words(void **state)
{
	const char *w[] = { "ls", "a b", "x,\"y\"" };
	size_t l[] = { 2, 3, 5 };
	struct ct_strs words = { w, l, 2 };
	struct ct_buf b = { 0 };

	(void)state;
	ct_csv_strs(&b, &words);
	buf_end(&b, "ls a\\x20b");
	words.n = 3;
	ct_csv_strs(&b, &words);
	buf_end(&b, "\"ls a\\x20b x,\"\"y\"\"\"");
	words.n = 0;
	ct_csv_strs(&b, &words);
	buf_end(&b, "\"\"");
	ct_buf_free(&b);
}

struct row {
	int i;
	unsigned long long u;
	unsigned int h;
	unsigned int o;
	bool b;
	struct ct_str s;
	struct ct_str none;
	struct ct_strs w;
	int err;
	unsigned int uid;
	unsigned long long addr;
};

#define AT(m) CT_AT(struct row, m)

static const struct ct_column cols[] = {
	{ "i", "I", "int", 4, CT_COL_INT, AT(i), NULL },
	{ "u", "U", "uint", -6, CT_COL_UINT, AT(u), NULL },
	{ "h", "H", "hex", -5, CT_COL_HEX, AT(h), NULL },
	{ "o", "O", "octal", -5, CT_COL_OCT, AT(o), NULL },
	{ "b", "B", "bool", -5, CT_COL_BOOL, AT(b), NULL },
	{ "s", "S", "string", -6, CT_COL_STR, AT(s), NULL },
	{ "none", "N", "null string", -2, CT_COL_STR, AT(none), NULL },
	{ "w", "W", "words", -4, CT_COL_STRS, AT(w), NULL },
	{ "err", "RET", "error", 3, CT_COL_ERR, AT(err), NULL },
	{ "errno", "ERRNO", "error name", -6, CT_COL_ERRNO, AT(err), NULL },
	{ "user", "USER", "user", -4, CT_COL_USER, AT(uid), NULL },
	{ "addr", "ADDR", "address", 0, CT_COL_ADDR, AT(addr), NULL },
};

static const struct ct_fields fields = {
	.cols = cols,
	.n = sizeof(cols) / sizeof(cols[0]),
	.text = "i,u,h,o,b,s,none,w,err,errno,user,addr",
	.data = "addr,i,err,errno,s,none,w,b,user",
};

static const char *words[] = { "a b", "\n" };
static const size_t word_lens[] = { 3, 1 };

static const struct row row = {
	.i = -12, .u = 18446744073709551615ULL, .h = 31, .o = 0755,
	.b = true, .s = { "x\x1b,y", 4 }, .w = { words, word_lens, 2 },
	.err = 2, .uid = 0, .addr = 0xdeadbeef,
};

/* Select with these options, as the command line would. */
static void setup_fields(int json, int csv, const char *opt)
{
	char *argv[] = { "t", (char *)opt, NULL };

	ct_fields_init(&fields);
	ct_env.json = json;
	ct_env.csv = false;
	if (opt)
		argp_parse(&ct_fields_argp, 2, argv, ARGP_NO_EXIT, NULL,
			   NULL);
	if (csv)
		ct_env.csv = true;
	ct_fields_finish();
}

static void test_text(void **state)
{
	(void)state;
	setup_fields(0, 0, NULL);
	cap_begin();
	ct_fields_header();
	ct_fields_print(&row);
	cap_end("   I U      H     O     B     S      N  W    RET ERRNO  "
		"USER ADDR\n"
		" -12 18446744073709551615 0x1f  0755  true  x\\x1b,y -  "
		"a\\x20b \\n  -2 ENOENT root 0x00000000deadbeef\n");
}

static void test_errno_names(void **state)
{
	(void)state;
	setup_fields(0, 0, "--fields=err,i");
	ct_fields_flag("err", CT_COL_NAMES);
	cap_begin();
	ct_fields_header();
	ct_fields_print(&row);
	/* A number stays right-aligned in the last column. */
	cap_end("            RET    I\n         ENOENT  -12\n");
}

static void test_json(void **state)
{
	(void)state;
	setup_fields(1, 0, NULL);
	cap_begin();
	ct_fields_header();
	ct_fields_print(&row);
	fflush(stdout);
	if (!json_valid(buf, strlen(buf)))
		fail_msg("not valid JSON: %s", buf);
	cap_end("{\"addr\":\"0x00000000deadbeef\",\"i\":-12,\"err\":2,"
		"\"errno\":\"ENOENT\",\"s\":\"x\\u001b,y\",\"none\":null,"
		"\"w\":[\"a b\",\"\\n\"],\"b\":true,\"user\":\"root\"}\n");
}

static void test_csv(void **state)
{
	(void)state;
	setup_fields(0, 1, NULL);
	cap_begin();
	ct_fields_header();
	ct_fields_print(&row);
	cap_end("addr,i,err,errno,s,none,w,b,user\n"
		"0x00000000deadbeef,-12,2,ENOENT,\"x\\x1b,y\",,a\\x20b \\n,"
		"true,root\n");
}

/* --fields sets the order for every format; +NAME adds in table order. */
static void test_selection(void **state)
{
	(void)state;
	setup_fields(0, 1, "--fields=user,i");
	cap_begin();
	ct_fields_header();
	ct_fields_print(&row);
	cap_end("user,i\nroot,-12\n");
	setup_fields(1, 0, "--fields=s,i");
	cap_begin();
	ct_fields_print(&row);
	cap_end("{\"s\":\"x\\u001b,y\",\"i\":-12}\n");
	setup_fields(0, 1, "--fields=+u,+o");
	cap_begin();
	ct_fields_header();
	cap_end("u,o,addr,i,err,errno,s,none,w,b,user\n");
}

/* Shown: in the selection of the format chosen, text or data (or both). */
static void test_shown(void **state)
{
	(void)state;
	setup_fields(0, 0, NULL);
	assert_true(ct_fields_shown("h"));
	assert_false(ct_fields_shown("nosuch"));
	setup_fields(1, 0, NULL);
	assert_false(ct_fields_shown("h"));
	assert_true(ct_fields_shown("addr"));
	setup_fields(0, 1, "--fields=+u");
	assert_true(ct_fields_shown("u"));
	setup_fields(0, 0, "--fields=i");
	assert_false(ct_fields_shown("u"));
	/* --journal: also in the entry's message, which is the text. */
	ct_env.journal = true;
	setup_fields(1, 0, NULL);
	assert_true(ct_fields_shown("h"));
	assert_true(ct_fields_shown("addr"));
	assert_false(ct_fields_shown("nosuch"));
	ct_env.journal = false;
}

struct ns_row {
	unsigned long long ns;
};

static const struct ct_column ns_cols[] = {
	{ "t_ns", "TIME (us)", "a duration", 10, CT_COL_NS,
	  CT_AT(struct ns_row, ns), NULL },
};

static const struct ct_fields ns_fields = {
	.cols = ns_cols, .n = 1, .text = "t_ns", .data = "t_ns",
};

/* Durations: us or ms with 3 decimals in text, integer ns in JSON. */
static void test_durations(void **state)
{
	const struct ns_row r = { 1234567 };

	(void)state;
	ct_fields_init(&ns_fields);
	ct_env.json = false;
	ct_env.csv = false;
	ct_fields_finish();
	cap_begin();
	ct_fields_print(&r);
	ct_fields_flag("t_ns", CT_COL_MS);
	ct_fields_print(&r);
	cap_end("  1234.567\n     1.235\n");
	ct_env.json = true;
	cap_begin();
	ct_fields_print(&r);
	cap_end("{\"t_ns\":1234567}\n");
}

struct fd_row {
	int fd;
};

static bool fd_none(const void *row)
{
	return ((const struct fd_row *)row)->fd < 0;
}

static const struct ct_column fd_cols[] = {
	{ "fd", "FD", "a descriptor", 4, CT_COL_INT,
	  CT_AT(struct fd_row, fd), NULL, .null = fd_none },
	{ "n", "N", "a number", 2, CT_COL_INT, CT_AT(struct fd_row, fd),
	  NULL },
};

static const struct ct_fields fd_fields = {
	.cols = fd_cols, .n = 2, .text = "fd,n", .data = "fd,n",
};

/* A row without a value: "-" in text, null in JSON, empty in CSV. */
static void test_null(void **state)
{
	const struct fd_row r[] = { { 3 }, { -1 } };

	(void)state;
	ct_fields_init(&fd_fields);
	ct_env.json = false;
	ct_env.csv = false;
	ct_fields_finish();
	cap_begin();
	ct_fields_print(&r[0]);
	ct_fields_print(&r[1]);
	cap_end("   3  3\n   - -1\n");
	ct_env.json = true;
	cap_begin();
	ct_fields_print(&r[0]);
	ct_fields_print(&r[1]);
	cap_end("{\"fd\":3,\"n\":3}\n{\"fd\":null,\"n\":-1}\n");
	ct_env.json = false;
	ct_env.csv = true;
	cap_begin();
	ct_fields_print(&r[0]);
	ct_fields_print(&r[1]);
	cap_end("3,3\n,-1\n");
}

/*
 * A row printed is the object the general writer makes of its members
 * (as capable's with stacks), for strings of any bytes and length.
 */
static void test_json_row_as_members(void **state)
{
	static char str[3000], *m;
	struct row r = row;
	struct ct_json j;
	size_t mlen;
	FILE *f;

	(void)state;
	setup_fields(1, 0, "--fields=s,i,u,w,none,b,err,errno,user,addr,h,o");
	srand(22);
	for (int round = 0; round < 500; round++) {
		r.s.len = rand() % 4 ? (size_t)rand() % 40 :
				       rand() % sizeof(str);
		for (size_t i = 0; i < r.s.len; i++)
			str[i] = rand() % 5 ? 0x20 + rand() % 0x5f : rand();
		r.s.s = str;
		r.i = rand() - RAND_MAX / 2;
		r.err = rand() % 3 ? 0 : rand() % 200;
		cap_begin();
		ct_fields_print(&r);
		fflush(stdout);
		if (!json_valid(buf, len))
			fail_msg("not valid JSON: %s", buf);
		f = open_memstream(&m, &mlen);
		ct_json_begin(&j, f);
		ct_fields_json_members(&j, &r);
		ct_json_end(&j);
		fclose(f);
		cap_end(m);
		free(m);
	}
}

/*
 * A string far past the line's room at its start, between other values:
 * the line grows in the middle (and moves), all of it kept, in JSON and
 * CSV; then a short line in the same storage.
 */
static void test_line_grows(void **state)
{
	static char big[4000], want[6 * sizeof(big) + 100];
	struct row r = row;
	size_t n;

	(void)state;
	memset(big, 0x01, sizeof(big));
	r.s = (struct ct_str){ big, sizeof(big) };
	setup_fields(1, 0, "--fields=s,i,w");
	n = sprintf(want, "{\"s\":\"");
	for (size_t i = 0; i < sizeof(big); i++)
		n += sprintf(want + n, "\\u0001");
	sprintf(want + n, "\",\"i\":-12,\"w\":[\"a b\",\"\\n\"]}\n"
		"{\"s\":\"x\\u001b,y\",\"i\":-12,\"w\":[\"a b\",\"\\n\"]}\n");
	cap_begin();
	ct_fields_print(&r);
	ct_fields_print(&row);
	cap_end(want);
	setup_fields(0, 1, "--fields=s,i,w");
	n = sprintf(want, "s,i,w\n");
	for (size_t i = 0; i < sizeof(big); i++)
		n += sprintf(want + n, "\\x01");
	sprintf(want + n, ",-12,a\\x20b \\n\n");
	cap_begin();
	ct_fields_header();
	ct_fields_print(&r);
	cap_end(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_str),
		cmocka_unit_test(test_csv_words),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_shown),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_null),
		cmocka_unit_test(test_json_row_as_members),
		cmocka_unit_test(test_line_grows),
	};

	return cmocka_run_group_tests_name("columns", tests, NULL, NULL);
}
