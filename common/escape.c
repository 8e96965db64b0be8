// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "escape.h"

size_t ct_utf8_seq(const unsigned char *s, size_t len, unsigned int *cp)
{
	unsigned int c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* The high bit of each byte of x that is 0 set (see word_stops()). */
static inline uint64_t zero_bytes(uint64_t x)
{
	return (x - ONES) & ~x;
}

/*
 * Is any of the eight bytes x holds not plain? The sums carry and borrow
 * out of a byte only where that byte is not plain itself, so that the
 * answer is exact; which byte it is, a byte loop then finds.
 */
static inline bool word_stops(uint64_t x, uint64_t stop1, uint64_t stop2)
{
	uint64_t bad = x | (x + ONES);		/* 0x7f and up */

	bad |= (x - 0x20 * ONES) & ~x;		/* controls */
	bad |= zero_bytes(x ^ ('\\' * ONES));
	bad |= zero_bytes(x ^ stop1) | zero_bytes(x ^ stop2);
	return bad & HIGHS;
}

static inline bool plain_byte(unsigned char c, char stop1, char stop2)
{
	return c >= 0x20 && c < 0x7f && c != '\\' &&
	       c != (unsigned char)stop1 && c != (unsigned char)stop2;
}

static inline uint32_t half_at(const char *s)
{
	uint32_t x;

	memcpy(&x, s, 4);
	return x;
}

/*
 * The n < 8 bytes at s as a word to test at once: from 4 on, the first
 * four and the last four (they overlap); below, the first, middle and
 * last byte, which are all of them, the rest filled with plain bytes.
 */
static inline uint64_t short_word(const char *s, size_t n)
{
	uint64_t x = 'a' * ONES;

	if (n >= 4)
		return half_at(s) | (uint64_t)half_at(s + n - 4) << 32;
	if (n) {
		x = (x & ~0xffffffULL) | (unsigned char)s[0] |
		    (unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	}
	return x;
}

/* The n < 8 bytes at s to dst, as short_word() read them. */
static inline void short_copy(char *dst, const char *s, size_t n)
{
	if (n >= 4) {
		memcpy(dst, s, 4);
		memcpy(dst + n - 4, s + n - 4, 4);
	} else if (n) {
		dst[0] = s[0];
		dst[n / 2] = s[n / 2];
		dst[n - 1] = s[n - 1];
	}
}

static inline uint64_t word_at(const char *s)
{
	uint64_t x;

	memcpy(&x, s, 8);
	return x;
}

/*
 * The plain run at the start of s, a word at a time, copied to dst unless
 * it is NULL (inlined twice: the scan alone and the copy).
 */
static inline __attribute__((always_inline)) size_t
plain_run(char *dst, const char *s, size_t len, char stop1, char stop2)
{
	uint64_t a = ONES * (unsigned char)stop1;
	uint64_t b = ONES * (unsigned char)stop2;
	size_t i = 0;
	uint64_t x;

	if (len < 8) {
		x = short_word(s, len);
		if (!word_stops(x, a, b)) {
			if (dst)
				short_copy(dst, s, len);
			return len;
		}
	} else {
		while (len - i >= 8 && !word_stops(x = word_at(s + i), a, b)) {
			if (dst)
				memcpy(dst + i, &x, 8);
			i += 8;
		}
		/* The last word overlaps the plain bytes before it. */
		x = word_at(s + len - 8);
		if (i == len || (len - i < 8 && !word_stops(x, a, b))) {
			if (dst)
				memcpy(dst + len - 8, &x, 8);
			return len;
		}
	}
	for (; i < len && plain_byte(s[i], stop1, stop2); i++)
		if (dst)
			dst[i] = s[i];
	return i;
}

size_t ct_plain_run(const char *s, size_t len, char stop1, char stop2)
{
	return plain_run(NULL, s, len, stop1, stop2);
}

size_t ct_copy_plain(char *dst, const char *s, size_t len, char stop1,
		     char stop2)
{
	return plain_run(dst, s, len, stop1, stop2);
}

/* Its stops known here, the tests of a word are fewer. */
size_t ct_copy_json_plain(char *dst, const char *s, size_t len)
{
	return plain_run(dst, s, len, '"', '"');
}

/* Code points that reorder or control what a terminal shows. */
static int unsafe_code_point(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||		/* C1 controls */
	       (cp >= 0x202a && cp <= 0x202e) ||	/* bidi embeddings */
	       (cp >= 0x2066 && cp <= 0x2069);		/* bidi isolates */
}

struct sink {
	char *dst;
	size_t size;
	size_t len;
	size_t written;		/* what fits in dst: whole units only */
};

/*
 * Add one unit (an escape or a UTF-8 sequence). A unit that does not fit is
 * left out whole, and so is all that follows: cutting one in half would
 * leave a lone backslash or a partial UTF-8 sequence.
 */
static void put(struct sink *k, const char *s, size_t n)
{
	if (k->written == k->len && k->len + n < k->size) {
		memcpy(k->dst + k->len, s, n);
		k->written += n;
	}
	k->len += n;
}

/* A run of n one-byte units: those that fit go in. */
static void put_run(struct sink *k, const char *s, size_t n)
{
	size_t fit = 0;

	if (k->written == k->len && k->len + 1 < k->size) {
		fit = k->size - 1 - k->len;
		fit = fit < n ? fit : n;
		memcpy(k->dst + k->len, s, fit);
		k->written += fit;
	}
	k->len += n;
}


static void put_hex(struct sink *k, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char esc[4] = { '\\', 'x' };

	for (size_t i = 0; i < n; i++) {
		esc[2] = hex[s[i] >> 4];
		esc[3] = hex[s[i] & 15];
		put(k, esc, 4);
	}
}

static const char *named_escape(unsigned char c, unsigned int flags)
{
	switch (c) {
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	case '\r':
		return "\\r";
	case '\\':
		return "\\\\";
	case '"':
		return flags & CT_ESC_QUOTE ? "\\\"" : NULL;
	case ' ':
		return flags & CT_ESC_SPACE ? "\\x20" : NULL;
	default:
		return NULL;
	}
}

size_t ct_escape(char *dst, size_t size, const char *str, size_t len,
		 unsigned int flags)
{
	const unsigned char *s = (const unsigned char *)str;
	struct sink k = { dst, size, 0, 0 };
	char quote = flags & CT_ESC_QUOTE ? '"' : '\\';
	char space = flags & CT_ESC_SPACE ? ' ' : '\\';
	size_t i = 0;

	while (i < len) {
		const char *named;
		unsigned int cp;
		size_t n;

		/* Most text is plain: copied a run at a time. */
		n = i + ct_plain_run(str + i, len - i, quote, space);
		if (n > i) {
			put_run(&k, str + i, n - i);
			i = n;
			continue;
		}
		named = named_escape(s[i], flags);
		if (named) {
			put(&k, named, strlen(named));
			i++;
			continue;
		}
		n = ct_utf8_seq(s + i, len - i, &cp);
		if (!n) {
			put_hex(&k, s + i, 1);
			i++;
		} else if (cp < 0x20 || cp == 0x7f || unsafe_code_point(cp)) {
			put_hex(&k, s + i, n);
			i += n;
		} else {
			put(&k, str + i, n);
			i += n;
		}
	}
	if (size)
		dst[k.written] = '\0';
	return k.len;
}

void ct_fput_escaped(FILE *f, const char *s, size_t len, unsigned int flags)
{
	char buf[1024];
	size_t done = 0;

	/* Escape in chunks that end on a whole UTF-8 sequence. */
	while (done < len) {
		size_t chunk = len - done, n;
		unsigned int cp;

		if (chunk > 200) {
			chunk = 0;
			while (chunk < 200) {
				n = ct_utf8_seq((const unsigned char *)s +
							done + chunk,
						len - done - chunk, &cp);
				chunk += n ? n : 1;
			}
		}
		n = ct_escape(buf, sizeof(buf), s + done, chunk, flags);
		fwrite(buf, 1, n, f);
		done += chunk;
	}
}
