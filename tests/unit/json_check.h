/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON checker (RFC 8259) for the tests and the fuzzer: is
 * this text exactly one valid JSON value? Strings must be valid UTF-8 and
 * hold no raw control characters. Header-only: the unit tests and fuzz
 * targets are single files.
 */
#ifndef CT_JSON_CHECK_H
#define CT_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "escape.h"

struct jc {
	const char *p, *end;
	int depth;
};

static bool jc_value(struct jc *c);

static void jc_ws(struct jc *c)
{
	while (c->p < c->end && strchr(" \t\r\n", *c->p) && *c->p)
		c->p++;
}

static bool jc_lit(struct jc *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return false;
	c->p += n;
	return true;
}

static bool jc_hex4(struct jc *c)
{
	for (int i = 0; i < 4; i++, c->p++)
		if (c->p >= c->end || !strchr("0123456789abcdefABCDEF", *c->p) ||
		    !*c->p)
			return false;
	return true;
}

static bool jc_string(struct jc *c)
{
	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	while (c->p < c->end) {
		unsigned char ch = *c->p;
		unsigned int cp;
		size_t n;

		if (ch == '"') {
			c->p++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			if (++c->p >= c->end)
				return false;
			if (*c->p == 'u') {
				c->p++;
				if (!jc_hex4(c))
					return false;
				continue;
			}
			if (!*c->p || !strchr("\"\\/bfnrt", *c->p))
				return false;
			c->p++;
			continue;
		}
		n = ct_utf8_seq((const unsigned char *)c->p, c->end - c->p, &cp);
		if (!n)
			return false;
		c->p += n;
	}
	return false;
}

static bool jc_digits(struct jc *c)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > start;
}

static bool jc_number(struct jc *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!jc_digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!jc_digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!jc_digits(c))
			return false;
	}
	return true;
}

/* Members of an object (pairs) or array (values) up to the closer. */
static bool jc_members(struct jc *c, char closer, bool pairs)
{
	jc_ws(c);
	if (c->p < c->end && *c->p == closer) {
		c->p++;
		return true;
	}
	for (;;) {
		jc_ws(c);
		if (pairs) {
			if (!jc_string(c))
				return false;
			jc_ws(c);
			if (c->p >= c->end || *c->p++ != ':')
				return false;
		}
		if (!jc_value(c))
			return false;
		jc_ws(c);
		if (c->p >= c->end)
			return false;
		if (*c->p == closer) {
			c->p++;
			return true;
		}
		if (*c->p++ != ',')
			return false;
	}
}

static bool jc_value(struct jc *c)
{
	bool ok;
	char open;

	jc_ws(c);
	if (c->p >= c->end)
		return false;
	switch (*c->p) {
	case '{':
	case '[':
		if (++c->depth > 64)
			return false;
		open = *c->p++;
		ok = jc_members(c, open == '{' ? '}' : ']', open == '{');
		c->depth--;
		return ok;
	case '"':
		return jc_string(c);
	case 't':
		return jc_lit(c, "true");
	case 'f':
		return jc_lit(c, "false");
	case 'n':
		return jc_lit(c, "null");
	default:
		return jc_number(c);
	}
}

/* Is s[0..len) one JSON value, with only whitespace around it? */
static inline bool json_valid(const char *s, size_t len)
{
	struct jc c = { s, s + len, 0 };

	if (!jc_value(&c))
		return false;
	jc_ws(&c);
	return c.p == c.end;
}

#endif
