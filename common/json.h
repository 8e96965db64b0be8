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

#define CT_JSON_MAX_DEPTH 8

struct ct_json {
	FILE *f;
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
/* Close the innermost object or array. */
void ct_json_close(struct ct_json *j);

void ct_json_str(struct ct_json *j, const char *key, const char *s);
void ct_json_strn(struct ct_json *j, const char *key, const char *s,
		  size_t len);
void ct_json_int(struct ct_json *j, const char *key, long long v);
/* A number in decimal, as JSON and CSV write it (cheaper than fprintf). */
void ct_fput_int(FILE *f, long long v);
void ct_fput_uint(FILE *f, unsigned long long v);
void ct_json_uint(struct ct_json *j, const char *key, unsigned long long v);
void ct_json_double(struct ct_json *j, const char *key, double v);
void ct_json_bool(struct ct_json *j, const char *key, bool v);
void ct_json_null(struct ct_json *j, const char *key);

/* Write s as a JSON string literal, quotes included. */
void ct_json_write_string(FILE *f, const char *s, size_t len);

#endif
