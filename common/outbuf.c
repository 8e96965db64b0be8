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

/* The digits of v (and a '-') at the end of num; where they start. */
static char *digits(char num[24], unsigned long long v, bool minus)
{
	char *p = num + 23;

	*p = '\0';
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	if (minus)
		*--p = '-';
	return p;
}

/* The magnitude of LLONG_MIN fits in unsigned long long only. */
static unsigned long long magnitude(long long v)
{
	return v < 0 ? -(unsigned long long)v : (unsigned long long)v;
}

size_t ct_fmt_uint(char *buf, unsigned long long v)
{
	char num[24];
	char *p = digits(num, v, false);
	size_t n = num + 23 - p;

	memcpy(buf, p, n + 1);
	return n;
}

size_t ct_fmt_int(char *buf, long long v)
{
	char num[24];
	char *p = digits(num, magnitude(v), v < 0);
	size_t n = num + 23 - p;

	memcpy(buf, p, n + 1);
	return n;
}

size_t ct_buf_int_right(struct ct_buf *b, long long v, int width)
{
	char num[24];
	char *p = digits(num, magnitude(v), v < 0);
	int n = num + 23 - p;

	ct_buf_pad(b, width - n);
	ct_buf_put(b, p, n);
	return n > width ? n : width;
}

size_t ct_buf_int(struct ct_buf *b, long long v)
{
	return ct_buf_int_right(b, v, 0);
}

size_t ct_buf_uint(struct ct_buf *b, unsigned long long v)
{
	char num[24];
	char *p = digits(num, v, false);
	size_t n = num + 23 - p;

	ct_buf_put(b, p, n);
	return n;
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
	if (b->len)
		fwrite(b->p, 1, b->len, f);
	b->len = 0;
}

void ct_buf_free(struct ct_buf *b)
{
	free(b->p);
	*b = (struct ct_buf){ 0 };
}
