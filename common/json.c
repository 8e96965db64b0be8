// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "escape.h"
#include "json.h"

/* A byte that goes into a JSON string as it is: printable ASCII. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Code point cp (or an invalid byte, n == 0) as a JSON escape. */
static void json_escape(FILE *f, unsigned int cp, size_t n)
{
	if (!n)
		fputs("\\ufffd", f);
	else if (cp == '"' || cp == '\\')
		fprintf(f, "\\%c", cp);
	else if (cp == '\n')
		fputs("\\n", f);
	else if (cp == '\t')
		fputs("\\t", f);
	else
		fprintf(f, "\\u%04x", cp);
}

/*
 * Runs of bytes that need no escape are written at once: a call per byte
 * was most of --json's cost at high event rates.
 */
void ct_json_write_string(FILE *f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	fputc('"', f);
	while (i < len) {
		unsigned int cp;
		size_t n;

		if (json_plain(s[i])) {
			i++;
			continue;
		}
		n = ct_utf8_seq(s + i, len - i, &cp);
		/* Valid UTF-8 past the C1 controls stays as it is. */
		if (n && cp >= 0xa0) {
			i += n;
			continue;
		}
		fwrite(s + run, 1, i - run, f);
		json_escape(f, cp, n);
		i += n ? n : 1;
		run = i;
	}
	fwrite(s + run, 1, i - run, f);
	fputc('"', f);
}

/* Is key written as it is, with no escape? */
static bool json_plain_key(const char *key, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!json_plain(key[i]))
			return false;
	return true;
}

/*
 * The comma and key before a value; false if the value is to be dropped.
 * A plain key goes out in one write with its comma, quotes and colon: a
 * call per character of them was a sizable part of --json's cost.
 */
static bool member(struct ct_json *j, const char *key)
{
	char buf[64];
	size_t len, n = 0;

	if (j->skip)
		return false;
	if (!j->first[j->depth])
		buf[n++] = ',';
	j->first[j->depth] = false;
	len = key ? strlen(key) : 0;
	if (key && len <= sizeof(buf) - 4 && json_plain_key(key, len)) {
		buf[n++] = '"';
		memcpy(buf + n, key, len);
		n += len;
		buf[n++] = '"';
		buf[n++] = ':';
		fwrite(buf, 1, n, j->f);
		return true;
	}
	fwrite(buf, 1, n, j->f);
	if (key) {
		ct_json_write_string(j->f, key, len);
		fputc(':', j->f);
	}
	return true;
}

/* v in decimal, without printf's parsing of a format for every number. */
static void put_num(FILE *f, unsigned long long v, bool minus)
{
	char buf[24];
	char *p = buf + sizeof(buf);

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	if (minus)
		*--p = '-';
	fwrite(p, 1, buf + sizeof(buf) - p, f);
}

void ct_fput_int(FILE *f, long long v)
{
	/* The magnitude of LLONG_MIN fits in unsigned long long only. */
	put_num(f, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
		v < 0);
}

void ct_fput_uint(FILE *f, unsigned long long v)
{
	put_num(f, v, false);
}

static void open_nested(struct ct_json *j, const char *key, char open,
			char closer)
{
	/* Too deep to track: null in its place, its contents dropped. */
	if (j->skip || j->depth + 1 >= CT_JSON_MAX_DEPTH) {
		if (member(j, key))
			fputs("null", j->f);
		j->skip++;
		return;
	}
	member(j, key);
	fputc(open, j->f);
	j->depth++;
	j->first[j->depth] = true;
	j->closer[j->depth] = closer;
}

void ct_json_begin(struct ct_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->skip = 0;
	j->first[0] = true;
	j->closer[0] = '}';
	fputc('{', f);
}

void ct_json_end(struct ct_json *j)
{
	j->skip = 0;
	while (j->depth > 0)
		ct_json_close(j);
	fputs("}\n", j->f);
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
	fputc(j->closer[j->depth], j->f);
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
	ct_json_write_string(j->f, s, len);
}

void ct_json_int(struct ct_json *j, const char *key, long long v)
{
	if (!member(j, key))
		return;
	ct_fput_int(j->f, v);
}

void ct_json_uint(struct ct_json *j, const char *key, unsigned long long v)
{
	if (!member(j, key))
		return;
	ct_fput_uint(j->f, v);
}

void ct_json_double(struct ct_json *j, const char *key, double v)
{
	if (!member(j, key))
		return;
	/* JSON has no NaN or infinity. */
	if (isfinite(v))
		fprintf(j->f, "%.9g", v);
	else
		fputs("null", j->f);
}

void ct_json_bool(struct ct_json *j, const char *key, bool v)
{
	if (!member(j, key))
		return;
	fputs(v ? "true" : "false", j->f);
}

void ct_json_null(struct ct_json *j, const char *key)
{
	if (!member(j, key))
		return;
	fputs("null", j->f);
}
