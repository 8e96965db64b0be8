// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/top.c: sort keys, row limit, the load average
 * header, and whole screens (text on a pipe-like stream and on a real
 * pseudo-terminal, --json) from a tool's callbacks.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <cmocka.h>

#include "json_check.h"
#include "output.h"
#include "tool.h"
#include "top.h"

struct row {
	unsigned int id;
	unsigned long long reads, writes;
};

static int by_reads(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->reads != y->reads)
		return x->reads < y->reads ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_writes(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->writes != y->writes)
		return x->writes < y->writes ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static const struct ct_top_sort sorts[] = {
	{ "reads", by_reads }, { "writes", by_writes }, {},
};

static const struct row sample[] = {
	{ 1, 10, 500 }, { 2, 30, 100 }, { 3, 20, 300 }, { 4, 30, 0 },
	{ 5, 0, 200 },
};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

static void ids(const struct row *r, size_t n, const char *want)
{
	char got[64] = "";

	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%u",
			 r[i].id);
	assert_string_equal(got, want);
}

static void test_sort_and_limit(void **state)
{
	struct row r[NSAMPLE];

	(void)state;
	memcpy(r, sample, sizeof(r));
	assert_int_equal(ct_top_sort_rows(r, NSAMPLE, sizeof(*r), &sorts[0],
					  0), 5);
	ids(r, 5, "24315");
	assert_int_equal(ct_top_sort_rows(r, NSAMPLE, sizeof(*r), &sorts[1],
					  3), 3);
	ids(r, 5, "13524");
	assert_int_equal(ct_top_sort_rows(r, NSAMPLE, sizeof(*r), &sorts[0],
					  5), 5);
	assert_int_equal(ct_top_sort_rows(r, NSAMPLE, sizeof(*r), &sorts[0],
					  6), 5);
	/* No sort key: as collected. */
	memcpy(r, sample, sizeof(r));
	assert_int_equal(ct_top_sort_rows(r, NSAMPLE, sizeof(*r), NULL, 2),
			 2);
	ids(r, 5, "12345");
	assert_int_equal(ct_top_sort_rows(r, 0, sizeof(*r), &sorts[0], 2), 0);
}

static void test_find_sort(void **state)
{
	struct ct_top_opts o;

	(void)state;
	assert_ptr_equal(ct_top_find_sort(sorts, "writes"), &sorts[1]);
	assert_ptr_equal(ct_top_find_sort(sorts, "READS"), &sorts[0]);
	assert_null(ct_top_find_sort(sorts, "rbytes"));
	assert_null(ct_top_find_sort(sorts, ""));
	assert_null(ct_top_find_sort(NULL, "reads"));
	ct_top_opts_init(&o, sorts);
	assert_ptr_equal(o.sort, &sorts[0]);
	assert_int_equal(o.max_rows, 20);
	assert_true(o.interval == 1);
	assert_int_equal(o.count, 0);
	assert_false(o.no_clear);
}

static struct ct_top_opts parsed;

static error_t parse(int key, char *arg, struct argp_state *state)
{
	return ct_top_parse_opt(&parsed, key, arg, state);
}

/* The options as a tool's argp parser hands them on. */
static void test_parse_opts(void **state)
{
	static const struct argp_option options[] = {
		CT_TOP_OPTIONS("reads, writes", "reads"),
		{},
	};
	const struct argp argp = { options, parse, CT_TOP_ARGS_DOC, NULL,
				   NULL, NULL, NULL };
	char *argv[] = { "t", "-C", "-r", "5", "--sort=WRITES", "2.5", "3",
			 NULL };
	char *bare[] = { "t", NULL };

	(void)state;
	ct_top_opts_init(&parsed, sorts);
	assert_int_equal(argp_parse(&argp, 7, argv, 0, NULL, NULL), 0);
	assert_true(parsed.no_clear);
	assert_int_equal(parsed.max_rows, 5);
	assert_ptr_equal(parsed.sort, &sorts[1]);
	assert_true(parsed.interval == 2.5);
	assert_int_equal(parsed.count, 3);
	ct_top_opts_init(&parsed, sorts);
	assert_int_equal(argp_parse(&argp, 1, bare, 0, NULL, NULL), 0);
	assert_ptr_equal(parsed.sort, &sorts[0]);
	assert_true(parsed.interval == 1);
	assert_int_equal(parsed.count, 0);
}

static void test_loadavg_line(void **state)
{
	char buf[128];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(ct_top_loadavg_line(buf, sizeof(buf), 3723,
						"0.07 0.06 0.07 1/193 5474\n"),
			    "01:02:03 loadavg: 0.07 0.06 0.07 1/193 5474");
	assert_string_equal(ct_top_loadavg_line(buf, sizeof(buf), 0, ""),
			    "00:00:00 loadavg: ");
}

/* The tool's side: rows from sample[], or an error. */
static int collect_err;

static int collect(void *ctx, void *rows, size_t max)
{
	size_t n = NSAMPLE < max ? NSAMPLE : max;

	(void)ctx;
	if (collect_err)
		return -collect_err;
	memcpy(rows, sample, n * sizeof(sample[0]));
	return n;
}

static void header(void *ctx, FILE *f)
{
	(void)ctx;
	fprintf(f, "ID READS WRITES\n");
}

static void print_row(void *ctx, FILE *f, const void *row)
{
	const struct row *r = row;

	(void)ctx;
	fprintf(f, "%u %llu %llu\n", r->id, r->reads, r->writes);
}

static void totals(void *ctx, FILE *f, const void *rows, size_t n)
{
	const struct row *r = rows;
	unsigned long long sum = 0;

	(void)ctx;
	for (size_t i = 0; i < n; i++)
		sum += r[i].reads;
	fprintf(f, "Reads: %llu\n", sum);
}

static void json_row(void *ctx, struct ct_json *j, const void *row)
{
	const struct row *r = row;

	(void)ctx;
	ct_json_uint(j, "id", r->id);
	ct_json_uint(j, "reads", r->reads);
}

static const struct ct_top_ops ops = {
	.row_size = sizeof(struct row),
	.collect = collect,
	.print_header = header,
	.print_row = print_row,
	.print_totals = totals,
	.json_rows_key = "things",
	.json_row = json_row,
};

/* One screen into a memory stream (not a terminal); returns it. */
static char *screen(const struct ct_top_opts *o, bool first, size_t max,
		    int *err)
{
	struct row rows[8];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*err = ct_top_show(&ops, o, NULL, f, rows, max, first);
	fclose(f);
	return text;
}

/* Drop the load average line's variable part: "HH:MM:SS loadavg: ...". */
static void mask_loadavg(char *text)
{
	char *l = strstr(text, " loadavg: ");

	assert_non_null(l);
	assert_true(l - text >= 8);
	memset(l - 8, 'T', 8);
	memset(l + 10, 'L', strcspn(l + 10, "\n"));
}

static void test_screen_text(void **state)
{
	struct ct_top_opts o;
	char *text;
	int err;

	(void)state;
	ct_env.json = false;
	ct_top_opts_init(&o, sorts);
	o.max_rows = 3;
	text = screen(&o, true, 8, &err);
	assert_int_equal(err, 0);
	mask_loadavg(text);
	assert_memory_equal(text, "TTTTTTTT loadavg: L", 19);
	assert_string_equal(strchr(text, '\n'),
			    "\nReads: 90\n\nID READS WRITES\n"
			    "2 30 100\n4 30 0\n3 20 300\n");
	free(text);
	/* Appended after the first: a blank line between screens. */
	o.sort = &sorts[1];
	o.max_rows = 0;
	text = screen(&o, false, 8, &err);
	mask_loadavg(text);
	assert_memory_equal(text, "\nTTTTTTTT loadavg: ", 19);
	assert_string_equal(strstr(text, "\nReads"),
			    "\nReads: 90\n\nID READS WRITES\n"
			    "1 10 500\n3 20 300\n5 0 200\n2 30 100\n4 30 0\n");
	free(text);
	/* Room for fewer rows than the tool has. */
	text = screen(&o, true, 2, &err);
	assert_string_equal(strstr(text, "\nReads"),
			    "\nReads: 40\n\nID READS WRITES\n"
			    "1 10 500\n2 30 100\n");
	free(text);
}

static void test_screen_json(void **state)
{
	struct ct_top_opts o;
	char *text;
	int err;

	(void)state;
	ct_env.json = true;
	ct_top_opts_init(&o, sorts);
	o.max_rows = 2;
	text = screen(&o, false, 8, &err);
	ct_env.json = false;
	assert_int_equal(err, 0);
	assert_true(json_valid(text, strlen(text) - 1));
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_non_null(strstr(text, "\"loadavg\":["));
	assert_non_null(strstr(text, ",\"things\":[{\"id\":2,\"reads\":30},"
			       "{\"id\":4,\"reads\":30}],\"not_shown\":3}\n"));
	assert_memory_equal(text, "{\"time\":\"", 9);
	free(text);
}

/* -S: the header and rows alone. */
static void test_screen_no_summary(void **state)
{
	struct ct_top_opts o;
	char *text;
	int err;

	(void)state;
	ct_env.json = false;
	ct_top_opts_init(&o, sorts);
	o.no_summary = true;
	o.max_rows = 2;
	text = screen(&o, true, 8, &err);
	assert_int_equal(err, 0);
	assert_string_equal(text, "ID READS WRITES\n2 30 100\n4 30 0\n");
	free(text);
}

/* No json_rows_key: --json and --csv print each row as print_row does. */
static void test_screen_records(void **state)
{
	struct ct_top_ops records = ops;
	struct row rows[8];
	struct ct_top_opts o;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	records.json_rows_key = NULL;
	ct_top_opts_init(&o, sorts);
	o.max_rows = 3;
	for (int fmt = 0; fmt < 2; fmt++) {
		ct_env.json = !fmt;
		ct_env.csv = fmt;
		f = open_memstream(&text, &len);
		assert_non_null(f);
		assert_int_equal(ct_top_show(&records, &o, NULL, f, rows, 8,
					     false), 0);
		fclose(f);
		assert_string_equal(text, "2 30 100\n4 30 0\n3 20 300\n");
		free(text);
		text = NULL;
	}
	ct_env.json = ct_env.csv = false;
}

static void test_collect_error(void **state)
{
	FILE *saved = stderr;
	struct ct_top_opts o;
	char *text, *msg = NULL;
	size_t len = 0;
	int err;

	(void)state;
	ct_top_opts_init(&o, sorts);
	/* The tool's one-line message, caught. */
	stderr = open_memstream(&msg, &len);
	collect_err = EIO;
	text = screen(&o, true, 8, &err);
	collect_err = 0;
	fclose(stderr);
	stderr = saved;
	assert_string_equal(msg, "coretrace: cannot read the counts: "
			    "Input/output error\n");
	free(msg);
	assert_int_equal(err, CT_EXIT_ERROR);
	assert_string_equal(text, "");
	free(text);
}

/* A screen written to a pseudo-terminal, as the terminal gets it. */
static void on_terminal(const struct ct_top_opts *o, char *got, size_t size)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	struct termios t;
	struct row rows[8];
	ssize_t n;
	FILE *f;
	int slave;

	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	/* Raw: no "\n" to "\r\n" on the way. */
	assert_int_equal(tcgetattr(slave, &t), 0);
	cfmakeraw(&t);
	assert_int_equal(tcsetattr(slave, TCSANOW, &t), 0);
	f = fdopen(slave, "w");
	assert_int_equal(ct_top_show(&ops, o, NULL, f, rows, 8, false), 0);
	fclose(f);
	n = read(master, got, size - 1);
	assert_true(n > 0);
	got[n] = '\0';
	close(master);
}

static void test_screen_clears_terminal(void **state)
{
	struct ct_top_opts o;
	char got[1024];

	(void)state;
	ct_env.json = ct_env.csv = false;
	ct_top_opts_init(&o, sorts);
	on_terminal(&o, got, sizeof(got));
	assert_memory_equal(got, "\033[H\033[2J", 7);
	assert_non_null(strstr(got, " loadavg: "));
	assert_null(strchr(got + 7, '\033'));
	o.no_clear = true;
	on_terminal(&o, got, sizeof(got));
	assert_null(strchr(got, '\033'));
	assert_int_equal(got[0], '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_and_limit),
		cmocka_unit_test(test_find_sort),
		cmocka_unit_test(test_parse_opts),
		cmocka_unit_test(test_loadavg_line),
		cmocka_unit_test(test_screen_text),
		cmocka_unit_test(test_screen_json),
		cmocka_unit_test(test_screen_no_summary),
		cmocka_unit_test(test_screen_records),
		cmocka_unit_test(test_collect_error),
		cmocka_unit_test(test_screen_clears_terminal),
	};

	ct_time_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
