// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "escape.h"
#include "outbuf.h"
#include "tool.h"

void ct_buf_grow(struct ct_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		ct_warn("out of memory for output");
		exit(CT_EXIT_ERROR);
	}
	b->p = p;
	b->cap = cap;
}

/* "00" to "99": two digits a division. */
static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* The decimal digits of v written to end backwards; where they start. */
static char *digits_before(char *end, unsigned long long v)
{
	while (v >= 100) {
		end -= 2;
		memcpy(end, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, pairs + 2 * v, 2);
	} else {
		*--end = '0' + v;
	}
	return end;
}

static int n_digits(unsigned long long v)
{
	int n = 1;

	for (; v >= 10000; v /= 10000)
		n += 4;
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* The magnitude of LLONG_MIN fits in unsigned long long only. */
static unsigned long long magnitude(long long v)
{
	return v < 0 ? -(unsigned long long)v : (unsigned long long)v;
}

/* v (with a '-' if minus) into buf, which has room; its length. */
static size_t put_number(char *buf, unsigned long long v, bool minus,
			 size_t n)
{
	digits_before(buf + n, v);
	if (minus)
		buf[0] = '-';
	return n;
}

size_t ct_fmt_uint(char *buf, unsigned long long v)
{
	size_t n = put_number(buf, v, false, n_digits(v));

	buf[n] = '\0';
	return n;
}

size_t ct_fmt_int(char *buf, long long v)
{
	unsigned long long m = magnitude(v);
	size_t n = put_number(buf, m, v < 0, n_digits(m) + (v < 0));

	buf[n] = '\0';
	return n;
}

/*
 * Digits written backwards need their count first, or a copy: a copy of
 * a fixed 20 bytes is cheaper than counting them.
 */
char *ct_put_uint(char *d, unsigned long long v)
{
	char digits[40];
	char *start;

	/* Descriptors, errors, flags: many numbers are one digit. */
	if (v < 10) {
		*d = '0' + v;
		return d + 1;
	}
	start = digits_before(digits + 20, v);
	memcpy(d, start, 20);
	return d + (digits + 20 - start);
}

char *ct_put_int(char *d, long long v)
{
	if (v < 0)
		*d++ = '-';
	return ct_put_uint(d, magnitude(v));
}

/* Written in place: no copy, and no call to copy with. */
static size_t buf_number(struct ct_buf *b, unsigned long long v, bool minus,
			 int width)
{
	size_t n = n_digits(v) + minus;

	ct_buf_pad(b, width - (int)n);
	if (b->cap - b->len < n)
		ct_buf_grow(b, n);
	b->len += put_number(b->p + b->len, v, minus, n);
	return (int)n > width ? n : (size_t)width;
}

size_t ct_buf_int_right(struct ct_buf *b, long long v, int width)
{
	return buf_number(b, magnitude(v), v < 0, width);
}

size_t ct_buf_int(struct ct_buf *b, long long v)
{
	return buf_number(b, magnitude(v), v < 0, 0);
}

size_t ct_buf_uint(struct ct_buf *b, unsigned long long v)
{
	return buf_number(b, v, false, 0);
}

void ct_buf_pad(struct ct_buf *b, int n)
{
	if (n <= 0)
		return;
	if (b->cap - b->len < (size_t)n)
		ct_buf_grow(b, n);
	memset(b->p + b->len, ' ', n);
	b->len += n;
}

size_t ct_buf_printf(struct ct_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->p)
		ct_buf_grow(b, 1);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	if ((size_t)n >= b->cap - b->len) {
		ct_buf_grow(b, n + 1);
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
	return n;
}

/* An escape is at most 4 bytes a byte ("\x1b"), plus the NUL. */
size_t ct_buf_escaped(struct ct_buf *b, const char *s, size_t len,
		      unsigned int flags)
{
	size_t n;

	if (b->cap - b->len < 4 * len + 1)
		ct_buf_grow(b, 4 * len + 1);
	n = ct_escape(b->p + b->len, b->cap - b->len, s, len, flags);
	b->len += n;
	return n;
}

void ct_buf_flush(struct ct_buf *b, FILE *f)
{
	/* The tools have one thread: the stream's lock is no use to them. */
	if (b->len)
		fwrite_unlocked(b->p, 1, b->len, f);
	b->len = 0;
}

void ct_buf_free(struct ct_buf *b)
{
	free(b->p);
	*b = (struct ct_buf){ 0 };
}
