// SPDX-License-Identifier: GPL-2.0
/* The screen of the top tools. See top.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "args.h"
#include "output.h"
#include "tool.h"
#include "top.h"

#define DEFAULT_ROWS 20
#define CLEAR_SCREEN "\033[H\033[2J"

void ct_top_opts_init(struct ct_top_opts *o,
		      const struct ct_top_sort *sorts)
{
	memset(o, 0, sizeof(*o));
	o->interval = 1;
	o->max_rows = DEFAULT_ROWS;
	o->sorts = sorts;
	o->sort = sorts && sorts[0].name ? &sorts[0] : NULL;
}

const struct ct_top_sort *ct_top_find_sort(const struct ct_top_sort *sorts,
					   const char *name)
{
	for (; sorts && sorts->name; sorts++)
		if (!strcasecmp(sorts->name, name))
			return sorts;
	return NULL;
}

static void __attribute__((noreturn))
bad_sort(const struct ct_top_sort *sorts, const char *arg)
{
	char keys[256] = "";
	size_t used = 0;

	for (; sorts && sorts->name && used < sizeof(keys); sorts++)
		used += snprintf(keys + used, sizeof(keys) - used, "%s%s",
				 used ? ", " : "", sorts->name);
	ct_usage_error("-s/--sort: unknown key '%s' (keys: %s)", arg, keys);
}

int ct_top_parse_opt(struct ct_top_opts *o, int key, char *arg,
		     struct argp_state *state)
{
	switch (key) {
	case 'C':
		o->no_clear = true;
		return 0;
	case 'r':
		o->max_rows = ct_parse_long("-r/--maxrows", arg, 0, 1000000000);
		return 0;
	case 's':
		o->sort = ct_top_find_sort(o->sorts, arg);
		if (!o->sort)
			bad_sort(o->sorts, arg);
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0)
			o->interval = ct_parse_duration("INTERVAL", arg);
		else if (state->arg_num == 1)
			o->count = ct_parse_long("COUNT", arg, 1, 1000000000);
		else
			ct_usage_error("unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

size_t ct_top_sort_rows(void *rows, size_t n, size_t row_size,
			const struct ct_top_sort *s, long max_rows)
{
	if (s && s->cmp && n > 1)
		qsort(rows, n, row_size, s->cmp);
	if (max_rows > 0 && (size_t)max_rows < n)
		return max_rows;
	return n;
}

char *ct_top_loadavg_line(char *buf, size_t size, time_t now,
			  const char *loadavg)
{
	size_t len = strcspn(loadavg, "\n");
	char hms[16] = "";
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(buf, size, "%s loadavg: %.*s", hms, (int)len, loadavg);
	return buf;
}

/* The text of /proc/loadavg, "" if unreadable. */
static void read_loadavg(char *buf, size_t size)
{
	FILE *f = fopen("/proc/loadavg", "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
}

static void show_text(const struct ct_top_ops *ops,
		      const struct ct_top_opts *o, void *ctx, FILE *f,
		      const void *rows, size_t n, size_t shown, bool first,
		      const char *loadavg)
{
	char line[160];

	if (!o->no_clear && isatty(fileno(f)))
		fputs(CLEAR_SCREEN, f);
	else if (!first)
		fputc('\n', f);
	if (!o->no_summary) {
		fprintf(f, "%s\n", ct_top_loadavg_line(line, sizeof(line),
						       time(NULL), loadavg));
		if (ops->print_totals)
			ops->print_totals(ctx, f, rows, n);
		fputc('\n', f);
	}
	ops->print_header(ctx, f);
	for (size_t i = 0; i < shown; i++)
		ops->print_row(ctx, f, (const char *)rows + i * ops->row_size);
}

static void show_json(const struct ct_top_ops *ops, void *ctx, FILE *f,
		      const void *rows, size_t n, size_t shown,
		      const char *loadavg)
{
	double avg[3];
	struct ct_json j;
	char buf[40];

	ct_json_begin(&j, f);
	ct_json_str(&j, "time", ct_fmt_iso8601(buf, sizeof(buf),
					       ct_now_ns()));
	if (sscanf(loadavg, "%lf %lf %lf", &avg[0], &avg[1], &avg[2]) == 3) {
		ct_json_array(&j, "loadavg");
		for (int i = 0; i < 3; i++)
			ct_json_double(&j, NULL, avg[i]);
		ct_json_close(&j);
	}
	if (ops->json_totals)
		ops->json_totals(ctx, &j, rows, n);
	ct_json_array(&j, ops->json_rows_key);
	for (size_t i = 0; i < shown; i++) {
		ct_json_object(&j, NULL);
		ops->json_row(ctx, &j, (const char *)rows + i * ops->row_size);
		ct_json_close(&j);
	}
	ct_json_close(&j);
	ct_json_uint(&j, "not_shown", n - shown);
	ct_json_end(&j);
}

int ct_top_show(const struct ct_top_ops *ops, const struct ct_top_opts *o,
		void *ctx, FILE *f, void *rows, size_t max, bool first)
{
	char loadavg[128];
	size_t shown;
	int n;

	n = ops->collect(ctx, rows, max);
	if (n < 0) {
		ct_warn("cannot read the counts: %s", strerror(-n));
		return CT_EXIT_ERROR;
	}
	if ((size_t)n > max)
		n = max;
	shown = ct_top_sort_rows(rows, n, ops->row_size, o->sort,
				 o->max_rows);
	read_loadavg(loadavg, sizeof(loadavg));
	if ((ct_env.json && !ops->json_rows_key) || ct_env.csv)
		for (size_t i = 0; i < shown; i++)
			ops->print_row(ctx, f, (char *)rows +
						i * ops->row_size);
	else if (ct_env.json)
		show_json(ops, ctx, f, rows, n, shown, loadavg);
	else
		show_text(ops, o, ctx, f, rows, n, shown, first, loadavg);
	if (f == stdout)
		ct_flush();
	else
		fflush(f);
	return 0;
}

struct top_run {
	const struct ct_top_ops *ops;
	const struct ct_top_opts *o;
	void *ctx;
	void *rows;
	size_t max;
	bool first;
};

static int show_one(void *arg)
{
	struct top_run *r = arg;
	int err = ct_top_show(r->ops, r->o, r->ctx, stdout, r->rows, r->max,
			      r->first);

	r->first = false;
	return err;
}

int ct_top_run(const struct ct_top_ops *ops, const struct ct_top_opts *o,
	       void *ctx, size_t max)
{
	struct top_run r = { ops, o, ctx, NULL, max, true };
	int err;

	r.rows = calloc(max ? max : 1, ops->row_size);
	if (!r.rows) {
		ct_warn("out of memory");
		return CT_EXIT_ERROR;
	}
	err = ct_print_intervals(o->interval, o->count, show_one, &r);
	free(r.rows);
	return err;
}
