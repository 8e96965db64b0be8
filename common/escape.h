/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing strings that come from the traced system (file names, argv, typed
 * lines). Nothing in them may reach the terminal raw: control characters (C0,
 * DEL, and the C1 range that some terminals obey), bidirectional overrides,
 * and bytes that are not valid UTF-8 are written as escapes. Valid UTF-8
 * text passes unchanged. The escaping is reversible: a backslash is "\\".
 */
#ifndef CT_ESCAPE_H
#define CT_ESCAPE_H

#include <stdio.h>
#include <stddef.h>

enum ct_escape_flags {
	CT_ESC_QUOTE = 1 << 0,	/* also escape '"', for quoted output */
	CT_ESC_SPACE = 1 << 1,	/* also escape ' ' as \x20 */
};

/*
 * Escape len bytes of s into dst (size bytes, always NUL-terminated when
 * size > 0). Returns the length the full escaped string has, as snprintf.
 */
size_t ct_escape(char *dst, size_t size, const char *s, size_t len,
		 unsigned int flags);

/*
 * The length of the run at the start of s (at most len bytes) of printable
 * ASCII holding no '\\', nor stop1 or stop2: what every escaping copies as
 * it is. Eight bytes a step, for the long plain runs paths and arguments
 * are.
 */
size_t ct_plain_run(const char *s, size_t len, char stop1, char stop2);

/* The same run copied to dst, which has room for len bytes. */
size_t ct_copy_plain(char *dst, const char *s, size_t len, char stop1,
		     char stop2);

/* The same with JSON's stop, '"' (and '\\'). */
size_t ct_copy_json_plain(char *dst, const char *s, size_t len);

/* Write len bytes of s to f, escaped. */
void ct_fput_escaped(FILE *f, const char *s, size_t len, unsigned int flags);

/*
 * Length of the valid UTF-8 sequence at s (at most len bytes), or 0 if the
 * bytes there are not one; *cp gets the code point.
 */
size_t ct_utf8_seq(const unsigned char *s, size_t len, unsigned int *cp);

#endif
