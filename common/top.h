/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The screen of the "top" tools (biotop, filetop, tcptop, slabratetop):
 * every interval, take the counts out of the kernel, sort them, show the
 * first rows under a load average header like bcc's:
 *
 *   07:31:25 loadavg: 0.07 0.06 0.07 1/193 5474
 *   [the tool's totals line]
 *
 *   [the tool's column header]
 *   [rows, the first by the sort key first, at most -r of them]
 *
 * On a terminal each screen replaces the last (one write of ESC[H ESC[2J:
 * cursor home, clear screen); with -C, or when stdout is no terminal, the
 * screens follow each other, a blank line between two; -S (no_summary)
 * leaves out the load average and totals. With --json, one object per
 * interval, never a clear:
 *   {"time":"...","loadavg":[0.07,0.06,0.07],<totals>,"<rows>":[{...}],
 *    "not_shown":N}
 * or, for a tool without json_rows_key, each row a record of its own, as
 * with --csv: print_row prints it (ct_fields_print(), the row holding the
 * interval's time), the rows of one interval after another.
 * The loop is ct_print_intervals(): -d, signals and a closed stdout end it.
 */
#ifndef CT_TOP_H
#define CT_TOP_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "json.h"

/* A sort key for -s: qsort() order, the row shown first first. */
struct ct_top_sort {
	const char *name;	/* "rbytes": what -s takes, any case */
	int (*cmp)(const void *a, const void *b);
};

/* What a top tool supplies. ctx is the tool's, passed back. */
struct ct_top_ops {
	size_t row_size;
	/*
	 * Take the counts out of the kernel (read and reset the map) into
	 * rows (room for max; not zeroed, as a map's size of rows is much
	 * to touch every interval). Returns how many, or -errno.
	 */
	int (*collect)(void *ctx, void *rows, size_t max);
	/* The column header line and one row, each with its newline. */
	void (*print_header)(void *ctx, FILE *f);
	void (*print_row)(void *ctx, FILE *f, const void *row);
	/* Optional: a totals line over all n rows (before the limit). */
	void (*print_totals)(void *ctx, FILE *f, const void *rows, size_t n);
	/*
	 * --json: the members of one row's object, and totals (optional).
	 * No json_rows_key: rows are records, as with --csv (above).
	 */
	const char *json_rows_key;	/* "disks", "files"... */
	void (*json_row)(void *ctx, struct ct_json *j, const void *row);
	void (*json_totals)(void *ctx, struct ct_json *j, const void *rows,
			    size_t n);
};

struct ct_top_opts {
	double interval;	/* seconds between screens, > 0 */
	long count;		/* screens to show, 0 for no limit */
	bool no_clear;		/* -C */
	bool no_summary;	/* -S: no load average, no totals */
	long max_rows;		/* -r, 0 for all */
	const struct ct_top_sort *sort;	/* -s, NULL: as collected */
	const struct ct_top_sort *sorts; /* the tool's, ended by a NULL name */
};

/*
 * The options every top tool has, for its argp_option table:
 *   CT_TOP_OPTIONS("all, reads, writes, rbytes, wbytes", "all"),
 * and the parser's default case calls ct_top_parse_opt(). Positional
 * arguments are [INTERVAL [COUNT]]: CT_TOP_ARGS_DOC.
 */
#define CT_TOP_ARGS_DOC "[INTERVAL [COUNT]]"
#define CT_TOP_OPTIONS(keys, dflt)					\
	{ "noclear", 'C', NULL, 0, "Do not clear the screen, append", 0 }, \
	{ "maxrows", 'r', "ROWS", 0,					\
	  "Show at most ROWS rows (default 20, 0: all)", 0 },		\
	{ "sort", 's', "KEY", 0, "Sort by KEY: " keys " (default " dflt ")", \
	  0 }

/* Defaults: 1 s, no count limit, 20 rows, sorted by sorts[0]. */
void ct_top_opts_init(struct ct_top_opts *o,
		      const struct ct_top_sort *sorts);

/*
 * Handle -C, -r, -s, INTERVAL and COUNT for a tool's argp parser; a bad
 * value is a usage error. Returns 0, or ARGP_ERR_UNKNOWN for other keys.
 */
int ct_top_parse_opt(struct ct_top_opts *o, int key, char *arg,
		     struct argp_state *state);

/* The sort key called name (any case), NULL if none. */
const struct ct_top_sort *ct_top_find_sort(const struct ct_top_sort *sorts,
					   const char *name);

/*
 * Sort n rows of row_size bytes by s (if not NULL); returns how many to
 * show: n, or max_rows if that is fewer and not 0.
 */
size_t ct_top_sort_rows(void *rows, size_t n, size_t row_size,
			const struct ct_top_sort *s, long max_rows);

/*
 * "07:31:25 loadavg: 0.07 0.06 0.07 1/193 5474" from a wall clock time
 * and the text of /proc/loadavg (its newline dropped). Returns buf.
 */
char *ct_top_loadavg_line(char *buf, size_t size, time_t now,
			  const char *loadavg);

/*
 * Show one screen on f: collect, sort, print (text or --json), flush.
 * rows has room for max rows of ops->row_size. first: no blank line before
 * an appended screen. Returns 0 or an exit code.
 */
int ct_top_show(const struct ct_top_ops *ops, const struct ct_top_opts *o,
		void *ctx, FILE *f, void *rows, size_t max, bool first);

/*
 * Show a screen on stdout every o->interval seconds, with rows for up to
 * max entries (the map's size), until o->count screens, -d, a signal or a
 * closed stdout. Returns the exit code.
 */
int ct_top_run(const struct ct_top_ops *ops, const struct ct_top_opts *o,
	       void *ctx, size_t max);

#endif
