// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "columns.h"
#include "escape.h"
#include "json.h"
#include "journal.h"
#include "output.h"
#include "prom.h"
#include "tool.h"

#define MAX_COLS 64

struct selection {
	int idx[MAX_COLS];
	int n;
};

static const struct ct_fields *fields;
static void make_keys(void);
static unsigned int col_flags[MAX_COLS];
static struct selection text_sel, data_sel;
static const char *explicit_list;	/* --fields=LIST */
static bool user_added;			/* --fields=+NAME */
static int added[MAX_COLS];		/* shorthands and +NAME */
static int n_added;

static int find(const char *name, size_t len)
{
	for (int i = 0; i < fields->n; i++)
		if (strlen(fields->cols[i].name) == len &&
		    !memcmp(fields->cols[i].name, name, len))
			return i;
	return -1;
}

static int find_or_exit(const char *name, size_t len)
{
	int i = find(name, len);

	if (!len)
		ct_usage_error("--fields: empty field name");
	if (i < 0)
		ct_usage_error("--fields: unknown field '%.*s' (--fields=help "
			       "lists them)", (int)len, name);
	return i;
}

static bool selected(const struct selection *sel, int idx)
{
	for (int i = 0; i < sel->n; i++)
		if (sel->idx[i] == idx)
			return true;
	return false;
}

/* "a,b,c" into sel, in that order. */
static void parse_list(const char *list, struct selection *sel)
{
	sel->n = 0;
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		int i = find_or_exit(p, len);

		if (selected(sel, i))
			ct_usage_error("--fields: '%.*s' given twice", (int)len,
				       p);
		sel->idx[sel->n++] = i;
		p += len;
		if (!*p)
			break;
	}
}

/* Add idx before the first selected field that follows it in the table. */
static void add_to(struct selection *sel, int idx)
{
	int at = 0;

	if (selected(sel, idx))
		return;
	while (at < sel->n && sel->idx[at] < idx)
		at++;
	memmove(sel->idx + at + 1, sel->idx + at,
		(sel->n - at) * sizeof(sel->idx[0]));
	sel->idx[at] = idx;
	sel->n++;
}

void ct_fields_init(const struct ct_fields *f)
{
	fields = f;
	explicit_list = NULL;
	user_added = false;
	n_added = 0;
	memset(col_flags, 0, sizeof(col_flags));
}

static void add_index(int i)
{
	for (int k = 0; k < n_added; k++)
		if (added[k] == i)
			return;
	added[n_added++] = i;
}

void ct_fields_add(const char *name)
{
	add_index(find_or_exit(name, strlen(name)));
}

/* "+a,+b": each name added to the defaults. */
static void parse_adds(const char *list)
{
	user_added = true;
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");

		if (*p != '+')
			ct_usage_error("--fields: '%.*s': a list either names "
				       "all fields or adds with +NAME",
				       (int)len, p);
		add_index(find_or_exit(p + 1, len - 1));
		p += len;
		if (!*p)
			break;
	}
}

bool ct_fields_shown(const char *name)
{
	int i = fields ? find(name, strlen(name)) : -1;

	if (i < 0)
		return false;
	/* A journal entry has both: its message and the data fields. */
	if (ct_env.journal)
		return selected(&text_sel, i) || selected(&data_sel, i);
	return selected(ct_env.json || ct_env.csv ? &data_sel : &text_sel, i);
}

void ct_fields_flag(const char *name, unsigned int flag)
{
	col_flags[find_or_exit(name, strlen(name))] |= flag;
}

/* A journal entry always has the event's own time and pid. */
static void journal_fields(void)
{
	int time = find("time", 4), pid = find("pid", 3);

	if (time >= 0)
		add_to(&data_sel, time);
	if (pid >= 0)
		add_to(&data_sel, pid);
}

/* One series per process (or path...) would flood a fleet's Prometheus. */
static void prom_check(void)
{
	for (int i = 0; i < fields->n; i++) {
		const struct ct_column *c = &fields->cols[i];

		if (c->key && !c->label && !(col_flags[i] & CT_COL_OFF))
			ct_usage_error("--prom-textfile: no series per '%s' "
				       "(only fixed, small label sets)",
				       c->name);
	}
}

void ct_fields_finish(void)
{
	if (!fields)
		return;
	if (ct_env.json && ct_env.csv)
		ct_usage_error("--json and --csv: choose one");
	if (fields->csv_only && !ct_env.csv && (explicit_list || user_added))
		ct_usage_error("--fields: histograms take it with --csv only");
	if (explicit_list) {
		parse_list(explicit_list, &text_sel);
		data_sel = text_sel;
	} else {
		parse_list(fields->text, &text_sel);
		parse_list(ct_env.csv && fields->csv ? fields->csv :
			   fields->data, &data_sel);
	}
	for (int k = 0; k < n_added; k++) {
		add_to(&text_sel, added[k]);
		add_to(&data_sel, added[k]);
	}
	for (int i = 0; i < text_sel.n; i++)
		if (col_flags[text_sel.idx[i]] & CT_COL_OFF)
			ct_usage_error("--fields: '%s' does not apply with "
				       "these options",
				       fields->cols[text_sel.idx[i]].name);
	if (ct_env.journal)
		journal_fields();
	if (ct_env.prom_dir)
		prom_check();
	make_keys();
}

static void list_fields(void)
{
	int width = 0;

	for (int i = 0; i < fields->n; i++)
		if ((int)strlen(fields->cols[i].name) > width)
			width = strlen(fields->cols[i].name);
	for (int i = 0; i < fields->n; i++)
		printf("%-*s  %s\n", width, fields->cols[i].name,
		       fields->cols[i].desc);
}

enum { OPT_FIELDS = 0x1100, OPT_CSV };

static const struct argp_option options[] = {
	{ "fields", OPT_FIELDS, "LIST", 0,
	  "Show these fields, in this order (+NAME,...: add to the "
	  "defaults; help: list them)", 0 },
	{ "csv", OPT_CSV, NULL, 0,
	  "Print CSV: a header line, then one record per line", 0 },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case OPT_FIELDS:
		if (!strcmp(arg, "help")) {
			list_fields();
			exit(CT_EXIT_OK);
		}
		if (*arg == '+')
			parse_adds(arg);
		else
			explicit_list = arg;
		break;
	case OPT_CSV:
		ct_env.csv = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp ct_fields_argp = {
	.options = options,
	.parser = parse_opt,
};

/* For what runs once a field of every line: no call. */
#define CT_INLINE static inline __attribute__((always_inline))

CT_INLINE const void *at(const struct ct_column *c, const void *row)
{
	return (const char *)row + c->off;
}

CT_INLINE long long get_int(const struct ct_column *c, const void *row)
{
	switch (c->size) {
	case 1:
		return *(const __s8 *)at(c, row);
	case 2:
		return *(const __s16 *)at(c, row);
	case 4:
		return *(const __s32 *)at(c, row);
	default:
		return *(const __s64 *)at(c, row);
	}
}

CT_INLINE unsigned long long get_uint(const struct ct_column *c,
				      const void *row)
{
	switch (c->size) {
	case 1:
		return *(const __u8 *)at(c, row);
	case 2:
		return *(const __u16 *)at(c, row);
	case 4:
		return *(const __u32 *)at(c, row);
	default:
		return *(const __u64 *)at(c, row);
	}
}

/*
 * A value for a Prometheus label (label_value()); JSON and CSV write
 * theirs in place, with put_value().
 */
struct value {
	enum { V_NULL, V_INT, V_UINT, V_BOOL, V_STR, V_STRS } kind;
	long long i;
	unsigned long long u;
	struct ct_str s;
	const struct ct_strs *w;
	char buf[40];
};

static void set_str(struct value *v, const char *s)
{
	v->kind = s ? V_STR : V_NULL;
	v->s.s = s;
	v->s.len = s ? strlen(s) : 0;
}

/* As "0x%016llx". */
static char *put_addr(char *d, unsigned long long v)
{
	static const char hex[] = "0123456789abcdef";

	d[0] = '0';
	d[1] = 'x';
	for (int i = 17; i > 1; i--, v >>= 4)
		d[i] = hex[v & 15];
	return d + 18;
}

static void data_value(const struct ct_column *c, const void *row,
		       struct value *v)
{
	v->kind = V_UINT;
	if (c->null && c->null(row)) {
		v->kind = V_NULL;
		return;
	}
	switch (c->type) {
	case CT_COL_INT:
	case CT_COL_ERR:
		v->kind = V_INT;
		v->i = get_int(c, row);
		break;
	case CT_COL_BOOL:
		v->kind = V_BOOL;
		v->u = *(const bool *)at(c, row);
		break;
	case CT_COL_STR:
		v->s = *(const struct ct_str *)at(c, row);
		v->kind = v->s.s ? V_STR : V_NULL;
		break;
	case CT_COL_STRS:
		v->w = at(c, row);
		v->kind = v->w->s ? V_STRS : V_NULL;
		break;
	case CT_COL_TIME:
		set_str(v, ct_fmt_iso8601(v->buf, sizeof(v->buf),
					  get_uint(c, row)));
		break;
	case CT_COL_ELAPSED:
		v->u = ct_ns_since_start(get_uint(c, row));
		break;
	case CT_COL_NS:
		v->u = get_uint(c, row);
		break;
	case CT_COL_ERRNO:
		set_str(v, get_int(c, row) ? ct_errno_name(get_int(c, row)) :
					     NULL);
		break;
	case CT_COL_USER:
		set_str(v, ct_user_name(get_uint(c, row)));
		break;
	case CT_COL_ADDR:
		*put_addr(v->buf, get_uint(c, row)) = '\0';
		set_str(v, v->buf);
		break;
	default:
		v->u = get_uint(c, row);
	}
}

/*
 * JSON and CSV check for room once a line and once a string, not per byte
 * or value: a line starts with line_room bytes free, VALUE_ROOM (the most
 * any value but a string takes) for each field with its key, and a string
 * makes room for itself and line_room more.
 */
#define VALUE_ROOM (CT_ISO8601_MAX + 2)

static size_t line_room;

static char *put_null(char *d)
{
	memcpy(d, "null", 4);
	return d + 4;
}

/*
 * Times, errno names and addresses: our own printable ASCII, quoted in
 * JSON, as they are in CSV; NULL for none (no errno).
 */
static char *put_ours(char *d, const struct ct_column *c, const void *row,
		      bool quote)
{
	char *e = d + quote;
	const char *name;
	size_t n;

	if (c->type == CT_COL_TIME) {
		e = ct_put_iso8601(e, get_uint(c, row));
	} else if (c->type == CT_COL_ADDR) {
		e = put_addr(e, get_uint(c, row));
	} else {
		name = get_int(c, row) ? ct_errno_name(get_int(c, row)) : NULL;
		if (!name)
			return NULL;
		n = strnlen(name, VALUE_ROOM - 2);
		memcpy(e, name, n);
		e += n;
	}
	if (quote) {
		*d = '"';
		*e++ = '"';
	}
	return e;
}

/* A string from the traced system as JSON; a string makes its own room. */
static char *json_put_str(struct ct_buf *b, char *d, const char *s,
			  size_t len)
{
	if (!s)
		return put_null(d);
	d = ct_buf_room(b, d, CT_JSON_STRING_ROOM(len) + line_room);
	return ct_json_put_string(d, s, len);
}

/* Room for each word, its comma and the closing bracket. */
static char *json_put_strs(struct ct_buf *b, char *d,
			   const struct ct_strs *w)
{
	if (!w->s)
		return put_null(d);
	*d++ = '[';
	for (int i = 0; i < w->n; i++) {
		d = ct_buf_room(b, d, CT_JSON_STRING_ROOM(w->len[i]) + 1 +
				     line_room);
		if (i)
			*d++ = ',';
		d = ct_json_put_string(d, w->s[i], w->len[i]);
	}
	*d++ = ']';
	return d;
}

static const char *user_of(const struct ct_column *c, const void *row,
			   size_t *len)
{
	const char *user = ct_user_name(get_uint(c, row));

	*len = user ? strlen(user) : 0;
	return user;
}

/* A string from the traced system as CSV; a string makes its own room. */
static char *csv_put_str(struct ct_buf *b, char *d, const char *s,
			 size_t len)
{
	b->len = d - b->p;
	if (s)
		ct_csv_str(b, s, len);
	return ct_buf_room(b, b->p + b->len, line_room);
}

static char *csv_put_strs(struct ct_buf *b, char *d, const struct ct_strs *w)
{
	b->len = d - b->p;
	if (w->s)
		ct_csv_strs(b, w);
	return ct_buf_room(b, b->p + b->len, line_room);
}

/* null in JSON, an empty field in CSV. */
static char *put_none(char *d, bool json)
{
	return json ? put_null(d) : d;
}

/*
 * The value of c in row as JSON (json) or CSV at d, which has VALUE_ROOM;
 * the end. Numbers and booleans are the same in both.
 */
CT_INLINE char *put_value(struct ct_buf *b, char *d,
			  const struct ct_column *c, const void *row,
			  bool json)
{
	const struct ct_str *s = at(c, row);
	const char *user;
	size_t len;
	char *e;

	if (c->null && c->null(row))
		return put_none(d, json);
	switch (c->type) {
	case CT_COL_INT:
	case CT_COL_ERR:
		return ct_put_int(d, get_int(c, row));
	case CT_COL_ELAPSED:
		return ct_put_uint(d, ct_ns_since_start(get_uint(c, row)));
	case CT_COL_BOOL:
		if (!*(const bool *)at(c, row)) {
			memcpy(d, "false", 5);
			return d + 5;
		}
		memcpy(d, "true", 4);
		return d + 4;
	case CT_COL_STR:
		return json ? json_put_str(b, d, s->s, s->len) :
			      csv_put_str(b, d, s->s, s->len);
	case CT_COL_STRS:
		return json ? json_put_strs(b, d, at(c, row)) :
			      csv_put_strs(b, d, at(c, row));
	case CT_COL_USER:
		user = user_of(c, row, &len);
		return json ? json_put_str(b, d, user, len) :
			      csv_put_str(b, d, user, len);
	case CT_COL_TIME:
	case CT_COL_ERRNO:
	case CT_COL_ADDR:
		e = put_ours(d, c, row, json);
		return e ? e : put_none(d, json);
	default:
		return ct_put_uint(d, get_uint(c, row));
	}
}

/* The value of c in row as JSON text. */
static void json_value(struct ct_buf *b, const struct ct_column *c,
		       const void *row)
{
	char *d = ct_buf_reserve(b, VALUE_ROOM);

	b->len = put_value(b, d, c, row, true) - b->p;
}

/* Each column's JSON key, quoted with its colon, made once. */
static struct ct_buf keys;
static size_t key_at[MAX_COLS + 1];
/* The same for each data field in order, after a comma but the first's. */
static struct ct_buf row_keys;

/*
 * A key is copied KEY_COPY bytes at once (the storage has them, and the
 * line room for them), then the line goes on after its own length.
 */
#define KEY_COPY 32

struct data_field {
	const struct ct_column *c;
	const char *key;
	size_t key_len;
};

static struct data_field data_fields[MAX_COLS];

static void make_keys(void)
{
	size_t row_key_at[MAX_COLS];

	keys.len = 0;
	for (int i = 0; i < fields->n; i++) {
		key_at[i] = keys.len;
		ct_json_write_string(&keys, fields->cols[i].name,
				     strlen(fields->cols[i].name));
		ct_buf_putc(&keys, ':');
	}
	key_at[fields->n] = keys.len;
	row_keys.len = 0;
	for (int k = 0; k < data_sel.n; k++) {
		int i = data_sel.idx[k];

		row_key_at[k] = row_keys.len;
		if (k)
			ct_buf_putc(&row_keys, ',');
		ct_buf_put(&row_keys, keys.p + key_at[i],
			   key_at[i + 1] - key_at[i]);
	}
	ct_buf_reserve(&row_keys, KEY_COPY);
	/* '{' and '}', or a comma a field in CSV. */
	line_room = 2;
	for (int k = 0; k < data_sel.n; k++) {
		struct data_field *f = &data_fields[k];
		size_t end = k + 1 < data_sel.n ? row_key_at[k + 1] :
						  row_keys.len;

		f->c = &fields->cols[data_sel.idx[k]];
		f->key = row_keys.p + row_key_at[k];
		f->key_len = end - row_key_at[k];
		line_room += (f->key_len > KEY_COPY ? f->key_len : KEY_COPY) +
			     VALUE_ROOM;
	}
}

static char *put_key(char *d, const struct data_field *f)
{
	if (f->key_len <= KEY_COPY)
		memcpy(d, f->key, KEY_COPY);
	else
		memcpy(d, f->key, f->key_len);
	return d + f->key_len;
}

static void json_cell(struct ct_json *j, const struct ct_column *c,
		      const void *row)
{
	int i = c - fields->cols;
	struct ct_buf *b;

	b = ct_json_member_text(j, keys.p + key_at[i],
				key_at[i + 1] - key_at[i]);
	if (b)
		json_value(b, c, row);
}

/* The longest errno name, as wide as RET with names. */
static int errno_name_width(void)
{
	static int width;

	if (width)
		return width;
	for (int err = 1; err < 4096; err++) {
		const char *name = ct_errno_name(err);

		if (name && (int)strlen(name) > width)
			width = strlen(name);
	}
	return width;
}

static int col_width(int idx)
{
	const struct ct_column *c = &fields->cols[idx];
	int names;

	if (c->type != CT_COL_ERR || !(col_flags[idx] & CT_COL_NAMES))
		return c->width;
	names = errno_name_width();
	if (c->width < 0)
		return -c->width > names ? c->width : -names;
	return c->width > names ? c->width : names;
}

/* The text of a value that is not a string; NULL if it is one. */
static const char *scalar_text(int idx, const void *row, char *buf,
			       size_t size)
{
	const struct ct_column *c = &fields->cols[idx];
	const char *name;

	switch (c->type) {
	case CT_COL_INT:
		ct_fmt_int(buf, get_int(c, row));
		return buf;
	case CT_COL_UINT:
		ct_fmt_uint(buf, get_uint(c, row));
		return buf;
	case CT_COL_HEX:
		snprintf(buf, size, "0x%llx", get_uint(c, row));
		return buf;
	case CT_COL_OCT:
		snprintf(buf, size, "0%llo", get_uint(c, row));
		return buf;
	case CT_COL_BOOL:
		return *(const bool *)at(c, row) ? "true" : "false";
	case CT_COL_TIME:
		return ct_fmt_hms(buf, size, get_uint(c, row));
	case CT_COL_ELAPSED:
		snprintf(buf, size, "%.3f",
			 ct_secs_since_start(get_uint(c, row)));
		return buf;
	case CT_COL_ERR:
		name = ct_errno_name(get_int(c, row));
		if ((col_flags[idx] & CT_COL_NAMES) && get_int(c, row) && name)
			return name;
		ct_fmt_int(buf, -get_int(c, row));
		return buf;
	case CT_COL_ERRNO:
		name = ct_errno_name(get_int(c, row));
		return get_int(c, row) && name ? name : "-";
	case CT_COL_ADDR:
		*put_addr(buf, get_uint(c, row)) = '\0';
		return buf;
	case CT_COL_NS:
		snprintf(buf, size, "%.3f", get_uint(c, row) /
			 (col_flags[idx] & CT_COL_MS ? 1e6 : 1e3));
		return buf;
	default:
		return NULL;
	}
}

static size_t text_str(struct ct_buf *b, const char *s, size_t len)
{
	if (!s) {
		ct_buf_putc(b, '-');
		return 1;
	}
	return ct_buf_escaped(b, s, len, 0);
}

/* A string value as text; returns the bytes written. */
static size_t string_text(struct ct_buf *f, const struct ct_column *c,
			  const void *row)
{
	const struct ct_str *s = at(c, row);
	const struct ct_strs *w = at(c, row);
	const char *user;

	switch (c->type) {
	case CT_COL_STR:
		return text_str(f, s->s, s->len);
	case CT_COL_STRS:
		return w->s ? ct_text_strs(f, w) : text_str(f, NULL, 0);
	default:
		user = ct_user_name(get_uint(c, row));
		return text_str(f, user, user ? strlen(user) : 0);
	}
}

/* Right-aligned text is for numbers; strings are aligned left. */
static void text_cell(struct ct_buf *f, int idx, const void *row, bool last)
{
	const struct ct_column *c = &fields->cols[idx];
	int width = last && col_width(idx) < 0 ? 0 : col_width(idx);
	const char *s = NULL;
	char buf[64];
	size_t n;

	if (!c->text && c->null && c->null(row))
		s = "-";
	else if (!c->text)
		s = scalar_text(idx, row, buf, sizeof(buf));
	if (s && width > 0) {
		n = strlen(s);
		ct_buf_pad(f, width - (int)n);
		ct_buf_put(f, s, n);
		return;
	}
	if (s)
		n = ct_buf_puts(f, s);
	else if (c->text)
		n = c->text(f, row);
	else
		n = string_text(f, c, row);
	ct_buf_pad(f, width < 0 ? -width - (int)n : 0);
}

static void text_header(void)
{
	for (int i = 0; i < text_sel.n; i++) {
		int idx = text_sel.idx[i];
		int width = col_width(idx);

		if (i == text_sel.n - 1 && width < 0)
			width = 0;

		printf("%s%*s", i ? " " : "", width,
		       fields->cols[idx].header);
	}
	putchar('\n');
}

void ct_fields_header(void)
{
	if (!fields || ct_env.json || (ct_env.journal && !ct_env.csv))
		return;
	if (!ct_env.csv) {
		text_header();
		return;
	}
	for (int i = 0; i < data_sel.n; i++)
		printf("%s%s", i ? "," : "",
		       fields->cols[data_sel.idx[i]].name);
	putchar('\n');
}

static void json_cells(struct ct_json *j, const void *row)
{
	for (int i = 0; i < data_sel.n; i++)
		json_cell(j, &fields->cols[data_sel.idx[i]], row);
}

void ct_fields_json_keys(struct ct_json *j, const void *row)
{
	for (int i = 0; i < fields->n; i++)
		if (fields->cols[i].key && !(col_flags[i] & CT_COL_OFF))
			json_cell(j, &fields->cols[i], row);
}

void ct_fields_json_members(struct ct_json *j, const void *row)
{
	json_cells(j, row);
}

void ct_fields_json(struct ct_json *j, const void *row)
{
	ct_json_object(j, NULL);
	json_cells(j, row);
	ct_json_close(j);
}

/* A row's line, built here and written with one call. */
static struct ct_buf line;

/* As ct_json_begin(), json_cells() and ct_json_end() would, with less. */
static void json_row(struct ct_buf *b, const void *row)
{
	char *d = ct_buf_reserve(b, line_room);

	const struct data_field *f = data_fields, *end = f + data_sel.n;

	*d++ = '{';
	for (; f < end; f++) {
		d = put_key(d, f);
		d = put_value(b, d, f->c, row, true);
	}
	*d++ = '}';
	b->len = d - b->p;
}

static void csv_row(struct ct_buf *b, const void *row)
{
	char *d = ct_buf_reserve(b, line_room);

	for (int k = 0; k < data_sel.n; k++) {
		if (k)
			*d++ = ',';
		d = put_value(b, d, data_fields[k].c, row, false);
	}
	b->len = d - b->p;
}

void ct_fields_print(const void *row)
{
	if (ct_env.journal) {
		ct_journal_event(row);
		if (!ct_env.json && !ct_env.csv)
			return;
	}
	if (ct_env.json)
		json_row(&line, row);
	else if (ct_env.csv)
		csv_row(&line, row);
	else
		ct_fields_text(&line, row);
	ct_buf_putc(&line, '\n');
	ct_buf_flush(&line, stdout);
}

void ct_fields_text(struct ct_buf *b, const void *row)
{
	for (int i = 0; i < text_sel.n; i++) {
		if (i)
			ct_buf_putc(b, ' ');
		text_cell(b, text_sel.idx[i], row, i == text_sel.n - 1);
	}
}

static bool csv_special(const char *s, size_t len)
{
	return memchr(s, ',', len) || memchr(s, '"', len);
}

/* Escaped as text, each '"' doubled; '"' is never inside a UTF-8 code. */
static void csv_put(struct ct_buf *b, const char *s, size_t len,
		    unsigned int flags)
{
	const char *q;

	while ((q = memchr(s, '"', len))) {
		ct_buf_escaped(b, s, q - s, flags);
		ct_buf_put(b, "\"\"", 2);
		len -= q - s + 1;
		s = q + 1;
	}
	ct_buf_escaped(b, s, len, flags);
}

void ct_csv_str(struct ct_buf *b, const char *s, size_t len)
{
	bool quote;

	/* Most are plain, with no comma or quote: copied as they are. */
	if (b->cap - b->len < len)
		ct_buf_grow(b, len);
	if (len && ct_copy_plain(b->p + b->len, s, len, ',', '"') == len) {
		b->len += len;
		return;
	}
	quote = !len || csv_special(s, len);

	if (quote)
		ct_buf_putc(b, '"');
	csv_put(b, s, len, 0);
	if (quote)
		ct_buf_putc(b, '"');
}

void ct_csv_strs(struct ct_buf *b, const struct ct_strs *w)
{
	bool quote = !w->n;

	for (int i = 0; i < w->n; i++)
		quote = quote || csv_special(w->s[i], w->len[i]);
	if (quote)
		ct_buf_putc(b, '"');
	for (int i = 0; i < w->n; i++) {
		if (i)
			ct_buf_putc(b, ' ');
		csv_put(b, w->s[i], w->len[i], CT_ESC_SPACE);
	}
	if (quote)
		ct_buf_putc(b, '"');
}

size_t ct_text_strs(struct ct_buf *b, const struct ct_strs *w)
{
	size_t n = 0;

	for (int i = 0; i < w->n; i++) {
		if (i)
			ct_buf_putc(b, ' ');
		n += (i > 0) + ct_buf_escaped(b, w->s[i], w->len[i],
					      CT_ESC_SPACE);
	}
	return n;
}

void ct_fields_each(const void *row,
		    void (*fn)(void *ctx, const char *name, const char *json,
			       size_t len),
		    void *ctx)
{
	static struct ct_buf b;

	for (int i = 0; i < data_sel.n; i++) {
		const struct ct_column *c = &fields->cols[data_sel.idx[i]];

		b.len = 0;
		json_value(&b, c, row);
		/* A string "null" is quoted: this is a null value. */
		if (b.len == 4 && !memcmp(b.p, "null", 4))
			continue;
		fn(ctx, c->name, b.p, b.len);
	}
}

/* A label's value as text output shows it, then quoted for Prometheus. */
static void label_value(FILE *f, const struct ct_column *c, const void *row)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct value v;

	if (!m)
		return;
	data_value(c, row, &v);
	if (v.kind == V_STRS) {
		for (int i = 0; i < v.w->n; i++) {
			fputs(i ? "," : "", m);
			ct_fput_escaped(m, v.w->s[i], v.w->len[i], 0);
		}
	} else if (v.kind == V_STR) {
		ct_fput_escaped(m, v.s.s, v.s.len, 0);
	} else if (v.kind == V_BOOL) {
		fputs(v.u ? "true" : "false", m);
	} else if (v.kind == V_INT) {
		fprintf(m, "%lld", v.i);
	} else if (v.kind == V_UINT) {
		fprintf(m, "%llu", v.u);
	}
	fclose(m);
	ct_prom_quote(f, buf, len);
	free(buf);
}

static void prom_label(FILE *f, bool *first, const char *name)
{
	fprintf(f, "%s%s=", *first ? "{" : ",", name);
	*first = false;
}

void ct_fields_prom_labels(FILE *f, const void *row, const char *le)
{
	bool first = true;

	if (ct_env.prom_instance) {
		prom_label(f, &first, "run");
		ct_prom_quote(f, ct_env.prom_instance,
			      strlen(ct_env.prom_instance));
	}
	for (int i = 0; row && fields && i < fields->n; i++) {
		const struct ct_column *c = &fields->cols[i];

		if (!c->key || !c->label || (col_flags[i] & CT_COL_OFF))
			continue;
		prom_label(f, &first, c->label);
		label_value(f, c, row);
	}
	if (le) {
		prom_label(f, &first, "le");
		ct_prom_quote(f, le, strlen(le));
	}
	if (!first)
		fputc('}', f);
}

static void prom_counter(FILE *f, const struct ct_column *c,
			 const void *rows, int n, size_t size)
{
	char name[128];

	snprintf(name, sizeof(name), "coretrace_%s_%s", ct_tool_name(),
		 c->counter);
	ct_prom_head(f, name, "counter", c->desc);
	for (int r = 0; r < n; r++) {
		const void *row = (const char *)rows + r * size;

		fputs(name, f);
		ct_fields_prom_labels(f, row, NULL);
		if (c->type == CT_COL_NS)
			fprintf(f, " %.9f\n", get_uint(c, row) / 1e9);
		else
			fprintf(f, " %llu\n", get_uint(c, row));
	}
}

void ct_fields_prom_counters(FILE *f, const void *rows, int n, size_t size)
{
	for (int i = 0; i < data_sel.n; i++) {
		const struct ct_column *c = &fields->cols[data_sel.idx[i]];

		if (c->counter)
			prom_counter(f, c, rows, n, size);
	}
}
