// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "json.h"

/* An object bigger than this (a table, stacks) goes out in pieces. */
#define CT_JSON_CHUNK 65536

/*
 * The storage of the last object ended, for the next one: a line costs
 * no allocation. An object begun while another is open gets its own.
 */
static struct ct_buf spare;

/* A byte that goes into a JSON string as it is: printable ASCII. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Code point cp (or an invalid byte, n == 0) as a JSON escape at d. */
static char *json_escape(char *d, unsigned int cp, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	if (!n) {
		memcpy(d, "\\ufffd", 6);
		return d + 6;
	}
	d[0] = '\\';
	if (cp == '"' || cp == '\\') {
		d[1] = cp;
		return d + 2;
	}
	if (cp == '\n' || cp == '\t') {
		d[1] = cp == '\n' ? 'n' : 't';
		return d + 2;
	}
	/* Only controls (below 0x20, 0x7f, C1) come here. */
	memcpy(d + 1, "u00", 3);
	d[4] = hex[(cp >> 4) & 15];
	d[5] = hex[cp & 15];
	return d + 6;
}

/*
 * The string from its first byte that is not plain on, at d. No byte
 * takes more than 6 ("\u001b", "\ufffd" for one not UTF-8); a C1 control
 * is 2 bytes of UTF-8 and 6 of escape, a valid sequence stays as it is.
 */
static char *json_rest(char *d, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned int cp;
		size_t n;

		n = ct_utf8_seq(s + i, len - i, &cp);
		/* Valid UTF-8 past the C1 controls stays as it is. */
		if (n && cp >= 0xa0) {
			memcpy(d, s + i, n);
			d += n;
			i += n;
		} else {
			d = json_escape(d, cp, n);
			i += n ? n : 1;
		}
		n = ct_copy_json_plain(d, str + i, len - i);
		d += n;
		i += n;
	}
	*d++ = '"';
	return d;
}

/* Runs of bytes that need no escape are copied a word at a time. */
char *ct_json_put_string(char *d, const char *s, size_t len)
{
	size_t n = ct_copy_json_plain(d + 1, s, len);

	*d = '"';
	if (n == len) {
		d[len + 1] = '"';
		return d + len + 2;
	}
	return json_rest(d + 1 + n, s + n, len - n);
}

void ct_json_write_string(struct ct_buf *b, const char *s, size_t len)
{
	char *d = ct_buf_reserve(b, CT_JSON_STRING_ROOM(len));

	b->len = ct_json_put_string(d, s, len) - b->p;
}

/*
 * The key with its quotes and colon, copied while checking that it needs
 * no escape (keys are the tools' own names: they never do, in practice).
 */
static void put_key(struct ct_buf *b, const char *key)
{
	size_t n = strlen(key);
	char *d;

	if (b->cap - b->len < n + 3)
		ct_buf_grow(b, n + 3);
	d = b->p + b->len;
	*d++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (!json_plain(key[i])) {
			ct_json_write_string(b, key, n);
			ct_buf_putc(b, ':');
			return;
		}
		d[i] = key[i];
	}
	d[n] = '"';
	d[n + 1] = ':';
	b->len += n + 3;
}

/* The comma and key before a value; false if the value is to be dropped. */
static bool member(struct ct_json *j, const char *key)
{
	if (j->skip)
		return false;
	if (j->f && j->buf.len >= CT_JSON_CHUNK)
		ct_buf_flush(&j->buf, j->f);
	if (!j->first[j->depth])
		ct_buf_putc(&j->buf, ',');
	j->first[j->depth] = false;
	if (key)
		put_key(&j->buf, key);
	return true;
}

static void open_nested(struct ct_json *j, const char *key, char open,
			char closer)
{
	/* Too deep to track: null in its place, its contents dropped. */
	if (j->skip || j->depth + 1 >= CT_JSON_MAX_DEPTH) {
		if (member(j, key))
			ct_buf_put(&j->buf, "null", 4);
		j->skip++;
		return;
	}
	member(j, key);
	ct_buf_putc(&j->buf, open);
	j->depth++;
	j->first[j->depth] = true;
	j->closer[j->depth] = closer;
}

struct ct_buf *ct_json_member_text(struct ct_json *j, const char *key,
				   size_t len)
{
	if (!member(j, NULL))
		return NULL;
	ct_buf_put(&j->buf, key, len);
	return &j->buf;
}

static void json_fragment(struct ct_json *j)
{
	j->f = NULL;
	j->depth = 0;
	j->skip = 0;
	j->first[0] = true;
	j->closer[0] = '}';
	j->buf = spare;
	spare = (struct ct_buf){ 0 };
	j->buf.len = 0;
}

static void json_done(struct ct_json *j)
{
	if (!spare.p)
		spare = j->buf;
	else
		ct_buf_free(&j->buf);
	j->buf = (struct ct_buf){ 0 };
}

void ct_json_begin(struct ct_json *j, FILE *f)
{
	json_fragment(j);
	j->f = f;
	ct_buf_putc(&j->buf, '{');
}

void ct_json_end(struct ct_json *j)
{
	j->skip = 0;
	while (j->depth > 0)
		ct_json_close(j);
	ct_buf_put(&j->buf, "}\n", 2);
	ct_buf_flush(&j->buf, j->f);
	json_done(j);
}

void ct_json_object(struct ct_json *j, const char *key)
{
	open_nested(j, key, '{', '}');
}

void ct_json_array(struct ct_json *j, const char *key)
{
	open_nested(j, key, '[', ']');
}

void ct_json_close(struct ct_json *j)
{
	if (j->skip) {
		j->skip--;
		return;
	}
	if (j->depth == 0)
		return;
	ct_buf_putc(&j->buf, j->closer[j->depth]);
	j->depth--;
}

void ct_json_str(struct ct_json *j, const char *key, const char *s)
{
	if (!s) {
		ct_json_null(j, key);
		return;
	}
	ct_json_strn(j, key, s, strlen(s));
}

void ct_json_strn(struct ct_json *j, const char *key, const char *s,
		  size_t len)
{
	if (!member(j, key))
		return;
	ct_json_write_string(&j->buf, s, len);
}

void ct_json_int(struct ct_json *j, const char *key, long long v)
{
	if (!member(j, key))
		return;
	ct_buf_int(&j->buf, v);
}

void ct_json_uint(struct ct_json *j, const char *key, unsigned long long v)
{
	if (!member(j, key))
		return;
	ct_buf_uint(&j->buf, v);
}

void ct_json_double(struct ct_json *j, const char *key, double v)
{
	if (!member(j, key))
		return;
	/* JSON has no NaN or infinity. */
	if (isfinite(v))
		ct_buf_printf(&j->buf, "%.9g", v);
	else
		ct_buf_put(&j->buf, "null", 4);
}

void ct_json_bool(struct ct_json *j, const char *key, bool v)
{
	if (!member(j, key))
		return;
	if (v)
		ct_buf_put(&j->buf, "true", 4);
	else
		ct_buf_put(&j->buf, "false", 5);
}

void ct_json_null(struct ct_json *j, const char *key)
{
	if (!member(j, key))
		return;
	ct_buf_put(&j->buf, "null", 4);
}
