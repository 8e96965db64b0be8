/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output built in memory, then written with one call: a line of text, CSV
 * or JSON costs one stdio write instead of one per value or character (a
 * call per value was most of a tool's CPU at high event rates).
 */
#ifndef CT_OUTBUF_H
#define CT_OUTBUF_H

#include <stdio.h>
#include <string.h>

struct ct_buf {
	char *p;
	size_t len;
	size_t cap;
};

/* Make room for n more bytes; exits with an error if memory runs out. */
void ct_buf_grow(struct ct_buf *b, size_t n);

static inline void ct_buf_put(struct ct_buf *b, const void *s, size_t n)
{
	if (!n)
		return;
	if (b->cap - b->len < n)
		ct_buf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void ct_buf_putc(struct ct_buf *b, char c)
{
	if (b->cap == b->len)
		ct_buf_grow(b, 1);
	b->p[b->len++] = c;
}

/* Returns the bytes added, as the text columns count them. */
static inline size_t ct_buf_puts(struct ct_buf *b, const char *s)
{
	size_t n = strlen(s);

	ct_buf_put(b, s, n);
	return n;
}

/*
 * A number in decimal, without printf's parsing of a format; returns the
 * bytes added. _right: right-aligned in width bytes, as "%*lld".
 */
size_t ct_buf_int(struct ct_buf *b, long long v);
size_t ct_buf_uint(struct ct_buf *b, unsigned long long v);
size_t ct_buf_int_right(struct ct_buf *b, long long v, int width);

/* v in decimal into buf (at least 21 bytes), NUL-terminated; its length. */
size_t ct_fmt_int(char *buf, long long v);
size_t ct_fmt_uint(char *buf, unsigned long long v);

/*
 * The same written at d (no NUL), which has room for CT_PUT_NUMBER_ROOM
 * bytes (more than the number takes); the end. For writers that make room
 * for a whole line once, not a value at a time.
 */
#define CT_PUT_NUMBER_ROOM 21
char *ct_put_int(char *d, long long v);
char *ct_put_uint(char *d, unsigned long long v);

/* Room for n more bytes past the contents: where they start. */
static inline char *ct_buf_reserve(struct ct_buf *b, size_t n)
{
	if (b->cap - b->len < n)
		ct_buf_grow(b, n);
	return b->p + b->len;
}

/*
 * Room for n more bytes from d on, d in b's storage past its contents;
 * returns d, moved if the storage had to grow (b->len is set to d's place).
 */
static inline char *ct_buf_room(struct ct_buf *b, char *d, size_t n)
{
	if ((size_t)(b->p + b->cap - d) >= n)
		return d;
	b->len = d - b->p;
	ct_buf_grow(b, n);
	return b->p + b->len;
}

/* n spaces (none if n <= 0). */
void ct_buf_pad(struct ct_buf *b, int n);

/* printf into the buffer; returns the bytes added. */
size_t ct_buf_printf(struct ct_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* len bytes of s escaped (escape.h); returns the bytes added. */
size_t ct_buf_escaped(struct ct_buf *b, const char *s, size_t len,
		      unsigned int flags);

/* Write the contents to f with one call, and empty the buffer. */
void ct_buf_flush(struct ct_buf *b, FILE *f);

void ct_buf_free(struct ct_buf *b);

#endif
