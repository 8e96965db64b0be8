/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small writer of JSON lines: one object per event, always valid JSON.
 * Strings from the traced system may hold any bytes: control characters are
 * \u-escaped and bytes that are not UTF-8 become U+FFFD.
 */
#ifndef CT_JSON_H
#define CT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "outbuf.h"

#define CT_JSON_MAX_DEPTH 8

/*
 * An object is built in memory and written to f at its end (or in pieces
 * of CT_JSON_CHUNK when it grows past that): one write per line.
 */
struct ct_json {
	FILE *f;
	struct ct_buf buf;
	int depth;
	bool first[CT_JSON_MAX_DEPTH];	/* no member yet at this depth */
	char closer[CT_JSON_MAX_DEPTH];	/* '}' or ']' */
	int skip;		/* levels opened past the maximum depth */
};

/* Start a top-level object on f; ct_json_end() closes it with a newline. */
void ct_json_begin(struct ct_json *j, FILE *f);
void ct_json_end(struct ct_json *j);

/* key is NULL for array elements. */
void ct_json_object(struct ct_json *j, const char *key);
void ct_json_array(struct ct_json *j, const char *key);
/*
 * A member whose key is given as JSON text with its quotes and colon
 * ("\"pid\":"), as columns keep theirs: returns the buffer to append its
 * value to as JSON text, or NULL if the value is to be dropped.
 */
struct ct_buf *ct_json_member_text(struct ct_json *j, const char *key,
				   size_t len);

/* Close the innermost object or array. */
void ct_json_close(struct ct_json *j);

void ct_json_str(struct ct_json *j, const char *key, const char *s);
void ct_json_strn(struct ct_json *j, const char *key, const char *s,
		  size_t len);
void ct_json_int(struct ct_json *j, const char *key, long long v);
void ct_json_uint(struct ct_json *j, const char *key, unsigned long long v);
void ct_json_double(struct ct_json *j, const char *key, double v);
void ct_json_bool(struct ct_json *j, const char *key, bool v);
void ct_json_null(struct ct_json *j, const char *key);

/* Append s as a JSON string literal, quotes included. */
void ct_json_write_string(struct ct_buf *b, const char *s, size_t len);

/* The most bytes the literal of len bytes takes. */
#define CT_JSON_STRING_ROOM(len) (6 * (size_t)(len) + 2)

/* The same written at d, which has that room; the end. */
char *ct_json_put_string(char *d, const char *s, size_t len);

#endif
