/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Columns: a tool declares each field of its output once (name, header,
 * width, type, where the value lies in the tool's row struct), and the text
 * header and rows, --json, --csv and --fields all come from that table.
 *
 * Formats of one value by type (text / JSON / CSV):
 *   INT, UINT     -12 / -12 / -12
 *   HEX, OCT      0x1f, 0755 / 31, 493 / 31, 493
 *   BOOL          true / true / true
 *   STR           escaped (escape.h) / JSON string / escaped, RFC 4180
 *   STRS          words escaped (spaces as \x20), joined by spaces / array
 *                 of strings / as text, in one RFC 4180 field
 *   TIME          HH:MM:SS local / ISO 8601 UTC ("2026-11-23T09:46:46.497742Z")
 *   ELAPSED       seconds since the tool started, 1.234 / integer ns
 *   ERR           the call's return value, -2 (with CT_COL_NAMES: ENOENT)
 *                 / positive errno, 2
 *   ERRNO         the errno's name, ENOENT / "ENOENT" / ENOENT; none: null
 *   USER          the user name of a uid / string / string; none: null
 *   ADDR          0x00007f00deadbeef / the same as a string
 *   NS            a duration: 12.345 (us; CT_COL_MS: ms) / integer ns
 * A null value is "-" in text, null in JSON and an empty CSV field (an
 * empty string is "" in CSV).
 *
 * CSV: a header line of field names, then one record per line (RFC 4180).
 * Strings are escaped as in text first, so that a record never spans
 * lines and no control byte reaches a terminal; then a field holding a
 * comma or a double quote is quoted, its quotes doubled.
 *
 * --fields=LIST (the same in every tool with columns) selects the fields
 * and their order, for text, JSON and CSV alike; --fields=+a,+b adds to
 * the defaults instead, as do the tools' column options (-T, -U...): a
 * field added goes where it stands in the table among those selected.
 * --fields=help lists the fields. Unknown or repeated names: exit 2.
 *
 * Table tools (syscount) print their rows through these columns too, one
 * JSON object per printout holding the rows (ct_fields_json()); their
 * CSV is one table. Histogram tools (hist_map.h) declare their key
 * columns and CT_HIST_COLUMNS: CSV is one record per bucket, JSON takes
 * the key members from the key columns, --fields is for CSV only there.
 */
#ifndef CT_COLUMNS_H
#define CT_COLUMNS_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h"
#include "outbuf.h"

enum ct_col_type {
	CT_COL_INT,
	CT_COL_UINT,
	CT_COL_HEX,
	CT_COL_OCT,
	CT_COL_BOOL,
	CT_COL_STR,	/* struct ct_str */
	CT_COL_STRS,	/* struct ct_strs */
	CT_COL_TIME,	/* __u64, bpf_ktime_get_ns() */
	CT_COL_ELAPSED,	/* __u64, bpf_ktime_get_ns() */
	CT_COL_ERR,	/* int, positive errno, 0 for success */
	CT_COL_ERRNO,	/* int, positive errno, 0 for success */
	CT_COL_USER,	/* uid_t */
	CT_COL_ADDR,	/* __u64 */
	CT_COL_NS,	/* __u64 nanoseconds */
};

enum ct_col_flags {
	CT_COL_NAMES = 1 << 0,	/* ERR: names in text (--errno-names) */
	CT_COL_MS = 1 << 1,	/* NS: text in milliseconds */
	CT_COL_OFF = 1 << 2,	/* not with these options: refused */
};

/* A string from the traced system; s NULL for null. */
struct ct_str {
	const char *s;
	size_t len;
};

/* Words (argv); s NULL for null. */
struct ct_strs {
	const char *const *s;
	const size_t *len;
	int n;
};

struct ct_column {
	const char *name;	/* --fields name, JSON key, CSV header */
	const char *header;	/* text header */
	const char *desc;	/* one line, for --fields=help and man pages */
	int width;		/* text; negative: left-aligned */
	enum ct_col_type type;
	size_t off;		/* of the value in the tool's row struct */
	size_t size;
	/*
	 * Text other than by type (e.g. a mark after a cut string): write
	 * the value, return the bytes written (for the padding).
	 */
	size_t (*text)(struct ct_buf *b, const void *row);
	bool key;		/* a histogram's key: in its JSON object */
	/*
	 * Has this row no value here (an fd after a failed open)? Then
	 * null: "-" in text (unless text above), null in JSON, empty in CSV.
	 */
	bool (*null)(const void *row);
	/*
	 * --prom-textfile (prom.h): a key column's Prometheus label name
	 * (a key column without one is refused there, as one series per
	 * value would be: pid, comm); a counter's metric name after
	 * "coretrace_<tool>_", its desc the HELP (NS in seconds).
	 */
	const char *label;
	const char *counter;
};

/* The value's place in row struct type: CT_AT(struct exec_row, pid). */
#define CT_AT(type, member)                                                  \
	.off = offsetof(type, member), .size = sizeof(((type *)0)->member)

/* Fields most event tools have, over member f of row struct type. */
#define CT_COLUMN_TIME(type, f)                                              \
	{ "time", "TIME", "when (text: HH:MM:SS)", -8, CT_COL_TIME,          \
	  CT_AT(type, f), NULL }
#define CT_COLUMN_ELAPSED(type, f)                                           \
	{ "elapsed_ns", "TIME(s)", "since the start (text: seconds)", -8,    \
	  CT_COL_ELAPSED, CT_AT(type, f), NULL }
#define CT_COLUMN_UID(type, f)                                               \
	{ "uid", "UID", "real user ID", -5, CT_COL_UINT, CT_AT(type, f), NULL }
#define CT_COLUMN_USER(type, f)                                              \
	{ "user", "USER", "the name of uid", -8, CT_COL_USER, CT_AT(type, f), \
	  NULL }

struct ct_fields {
	const struct ct_column *cols;
	int n;
	const char *text;	/* the default text fields, "comm,pid" */
	const char *data;	/* the default JSON and CSV fields */
	const char *csv;	/* the default CSV fields, if not data's */
	bool csv_only;		/* --fields is for --csv only (histograms) */
};

/* The --fields and --csv options; ct_parse_args() adds them. */
extern const struct argp ct_fields_argp;

/* Use these columns; before parsing the command line. */
void ct_fields_init(const struct ct_fields *f);

/* Add a field to the defaults: a tool's column option (-T adds "time"). */
void ct_fields_add(const char *name);

/* Set a flag (CT_COL_NAMES) on a field. */
void ct_fields_flag(const char *name, unsigned int flag);

/* After parsing: settle the selection; usage errors exit 2. */
void ct_fields_finish(void);

/*
 * After ct_fields_finish(): is the field shown in the chosen format (with
 * --journal: in the entry's message or its fields)? For what the kernel
 * side need only gather, or user space make, when it is.
 */
bool ct_fields_shown(const char *name);

/* The text or CSV header line; nothing for JSON. */
void ct_fields_header(void);

/*
 * One row in the chosen format; with --journal, a journal entry (and on
 * stdout only with --json or --csv).
 */
void ct_fields_print(const void *row);

/*
 * An event tool's on_event where every event has one fixed size and makes
 * one row: define NAME, which drops a short record, fills a ROW_T from the
 * EVENT_T with FILL(row, event) and prints it.
 */
#define CT_ROW_EVENT_HANDLER(name, row_t, event_t, fill)                     \
	static int name(void *ctx, const void *data, size_t size)            \
	{                                                                    \
		row_t r;                                                     \
                                                                             \
		(void)ctx;                                                   \
		if (size < sizeof(event_t))                                  \
			return 0;                                            \
		fill(&r, data);                                              \
		ct_fields_print(&r);                                         \
		return 0;                                                    \
	}

/*
 * The same for events that end in a variable part: TAIL, an array member,
 * holds the event's LEN member's count of bytes, which must all have
 * arrived. FILL returns false for an event not to show (a filter only user
 * space can apply).
 */
#define CT_TAIL_EVENT_HANDLER(name, row_t, event_t, tail, len, fill)        \
	static int name(void *ctx, const void *data, size_t size)            \
	{                                                                    \
		const event_t *e = data;                                     \
		row_t r;                                                     \
                                                                             \
		(void)ctx;                                                   \
		if (size < offsetof(event_t, tail) ||                        \
		    size - offsetof(event_t, tail) < e->len)                 \
			return 0;                                            \
		if (fill(&r, e))                                             \
			ct_fields_print(&r);                                 \
		return 0;                                                    \
	}

/* The text fields of row, without a newline. */
void ct_fields_text(struct ct_buf *b, const void *row);

/*
 * Each data field of row that is not null: fn(ctx, name, json, len) with
 * its value as JSON text (a string's with its quotes).
 */
void ct_fields_each(const void *row,
		    void (*fn)(void *ctx, const char *name, const char *json,
			       size_t len),
		    void *ctx);

/* The labels of a row ("{device="sda",le="+Inf"}"; row, le may be NULL). */
void ct_fields_prom_labels(FILE *f, const void *row, const char *le);

/* The selected counter columns of rows (n of size bytes) as metrics. */
void ct_fields_prom_counters(FILE *f, const void *rows, int n, size_t size);

/*
 * The selected data fields of row as members of the object open in j, for
 * a tool that adds members of its own (capable's stacks).
 */
void ct_fields_json_members(struct ct_json *j, const void *row);

/* A histogram's key members (key columns not off), in table order. */
void ct_fields_json_keys(struct ct_json *j, const void *row);

/* With --json: one row as an object in the array open in j. */
void ct_fields_json(struct ct_json *j, const void *row);


/* One CSV field: escaped as text, quoted per RFC 4180 if needed. */
void ct_csv_str(struct ct_buf *b, const char *s, size_t len);

/* Words as one CSV field, escaped as text, joined by spaces. */
void ct_csv_strs(struct ct_buf *b, const struct ct_strs *w);

/* Words as text: escaped, spaces as \x20, joined by ' '; returns bytes. */
size_t ct_text_strs(struct ct_buf *b, const struct ct_strs *w);

#endif
