// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/json.c: exact output for known input, and for any
 * input a line that a strict parser accepts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"
#include "json_check.h"

/* Output captured from one writer. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
	struct ct_json j;
};

static void cap_begin(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	ct_json_begin(&c->j, c->f);
}

/* End the line; it must be valid JSON and equal want (unless NULL). */
static void cap_end(struct capture *c, const char *want)
{
	ct_json_end(&c->j);
	fclose(c->f);
	assert_int_equal(c->buf[c->len - 1], '\n');
	assert_null(memchr(c->buf, '\n', c->len - 1));
	if (!json_valid(c->buf, c->len))
		fail_msg("not valid JSON: %s", c->buf);
	if (want)
		assert_string_equal(c->buf, want);
	free(c->buf);
}

/* The string literal ct_json_write_string() makes of len bytes of s. */
static const char *literal(const char *s, size_t len)
{
	static char out[1024];
	struct ct_buf b = { 0 };

	ct_json_write_string(&b, s, len);
	assert_true(b.len < sizeof(out));
	assert_true(json_valid(b.p, b.len));
	memcpy(out, b.p, b.len);
	out[b.len] = '\0';
	ct_buf_free(&b);
	return out;
}

#define LIT(s) literal(s, sizeof(s) - 1)

static void test_checker_rejects(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":}", "{\"a\":1,}", "[1,]", "{a:1}", "nul",
		"\"\x01\"", "\"\\x41\"", "\"\\u12\"", "01", "1.", "-", "1e",
		"\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "{} {}", "NaN", "[\"\"",
	};
	const char *good;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (json_valid(bad[i], strlen(bad[i])))
			fail_msg("checker accepted '%s'", bad[i]);
	good = "{\"a\":[1,-2.5e3,true,null,\"\\u00e9\",{}]}";
	assert_true(json_valid(good, strlen(good)));
}

static void test_flat_object(void **state)
{
	struct capture c;

	(void)state;
	cap_begin(&c);
	ct_json_str(&c.j, "comm", "bash");
	ct_json_int(&c.j, "ret", -2);
	ct_json_uint(&c.j, "pid", 4242);
	ct_json_bool(&c.j, "ok", true);
	ct_json_bool(&c.j, "bad", false);
	ct_json_null(&c.j, "none");
	ct_json_str(&c.j, "errno", NULL);
	cap_end(&c, "{\"comm\":\"bash\",\"ret\":-2,\"pid\":4242,\"ok\":true,"
		    "\"bad\":false,\"none\":null,\"errno\":null}\n");
}

static void test_empty_object(void **state)
{
	struct capture c;

	(void)state;
	cap_begin(&c);
	cap_end(&c, "{}\n");
}

static void test_nesting(void **state)
{
	struct capture c;

	(void)state;
	cap_begin(&c);
	ct_json_array(&c.j, "args");
	ct_json_str(&c.j, NULL, "ls");
	ct_json_str(&c.j, NULL, "-l");
	ct_json_close(&c.j);
	ct_json_array(&c.j, "empty");
	ct_json_close(&c.j);
	ct_json_array(&c.j, "hist");
	ct_json_object(&c.j, NULL);
	ct_json_uint(&c.j, "low", 0);
	ct_json_uint(&c.j, "count", 3);
	ct_json_close(&c.j);
	ct_json_object(&c.j, NULL);
	ct_json_array(&c.j, "x");
	ct_json_int(&c.j, NULL, 1);
	/* ct_json_end() closes what is still open. */
	cap_end(&c, "{\"args\":[\"ls\",\"-l\"],\"empty\":[],"
		    "\"hist\":[{\"low\":0,\"count\":3},{\"x\":[1]}]}\n");
}

static void test_close_at_top_is_harmless(void **state)
{
	struct capture c;

	(void)state;
	cap_begin(&c);
	ct_json_close(&c.j);
	ct_json_int(&c.j, "a", 1);
	cap_end(&c, "{\"a\":1}\n");
}

/* Nesting past CT_JSON_MAX_DEPTH must still give valid JSON. */
static void test_too_deep(void **state)
{
	struct capture c;
	int i;

	(void)state;
	cap_begin(&c);
	for (i = 0; i < CT_JSON_MAX_DEPTH + 3; i++)
		ct_json_object(&c.j, "o");
	ct_json_int(&c.j, "deep", 1);
	for (i = 0; i < CT_JSON_MAX_DEPTH + 3; i++)
		ct_json_close(&c.j);
	ct_json_int(&c.j, "after", 2);
	/* Seven levels below the top one; the eighth becomes null. */
	cap_end(&c, "{\"o\":{\"o\":{\"o\":{\"o\":{\"o\":{\"o\":{\"o\":{"
		    "\"o\":null}}}}}}},\"after\":2}\n");

	/* Left open: ct_json_end() still balances everything. */
	cap_begin(&c);
	for (i = 0; i < CT_JSON_MAX_DEPTH + 3; i++)
		ct_json_array(&c.j, i ? NULL : "a");
	cap_end(&c, NULL);
}

static void test_string_escapes(void **state)
{
	(void)state;
	assert_string_equal(LIT("plain"), "\"plain\"");
	assert_string_equal(LIT("q\"b\\"), "\"q\\\"b\\\\\"");
	assert_string_equal(LIT("a\nb\tc"), "\"a\\nb\\tc\"");
	assert_string_equal(LIT("\r\x01\x1b[0m\x7f"),
			    "\"\\u000d\\u0001\\u001b[0m\\u007f\"");
	/* Embedded NUL is data. */
	assert_string_equal(LIT("a\0b"), "\"a\\u0000b\"");
	/* C1 controls as code points. */
	assert_string_equal(LIT("\xc2\x9b"), "\"\\u009b\"");
	/* Valid UTF-8 passes through. */
	assert_string_equal(LIT("caf\xc3\xa9 \xf0\x9f\x98\x80"),
			    "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
	assert_string_equal(LIT(""), "\"\"");
}

static void test_invalid_utf8_is_replaced(void **state)
{
	(void)state;
	assert_string_equal(LIT("a\xffz"), "\"a\\ufffdz\"");
	assert_string_equal(LIT("\x80"), "\"\\ufffd\"");
	/* Overlong, surrogate, cut short: one U+FFFD per bad byte. */
	assert_string_equal(LIT("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	assert_string_equal(LIT("\xed\xa0\x80"),
			    "\"\\ufffd\\ufffd\\ufffd\"");
	assert_string_equal(LIT("x\xe2\x82"), "\"x\\ufffd\\ufffd\"");
}

static void test_keys_are_escaped(void **state)
{
	struct capture c;

	(void)state;
	cap_begin(&c);
	ct_json_int(&c.j, "k\"\n\xff", 1);
	cap_end(&c, "{\"k\\\"\\n\\ufffd\":1}\n");
}

static void test_numbers(void **state)
{
	struct capture c;

	(void)state;
	cap_begin(&c);
	ct_json_int(&c.j, "min", LLONG_MIN);
	ct_json_uint(&c.j, "max", ULLONG_MAX);
	ct_json_double(&c.j, "half", 0.5);
	ct_json_double(&c.j, "big", 1e300);
	ct_json_double(&c.j, "nan", NAN);
	ct_json_double(&c.j, "inf", INFINITY);
	ct_json_double(&c.j, "ninf", -INFINITY);
	cap_end(&c, "{\"min\":-9223372036854775808,"
		    "\"max\":18446744073709551615,\"half\":0.5,"
		    "\"big\":1e+300,\"nan\":null,\"inf\":null,"
		    "\"ninf\":null}\n");
}

/* Every byte value, in every position, gives a valid string. */
static void test_all_bytes_valid(void **state)
{
	char s[3];

	(void)state;
	for (int a = 0; a < 256; a++) {
		for (int b = 0; b < 256; b += 5) {
			s[0] = (char)a;
			s[1] = (char)b;
			s[2] = (char)0xbf;
			literal(s, 3);
			literal(s, 1);
		}
	}
}

/*
 * The string literal of s, a byte at a time, from its definition: the
 * reference for the writer's runs.
 */
static size_t slow_literal(char *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, o = 0;

	out[o++] = '"';
	while (i < len) {
		unsigned int cp;
		size_t n = ct_utf8_seq(s + i, len - i, &cp);

		if (!n) {
			o += sprintf(out + o, "\\ufffd");
			i++;
		} else if (cp == '"' || cp == '\\') {
			o += sprintf(out + o, "\\%c", cp);
			i++;
		} else if (cp == '\n' || cp == '\t') {
			o += sprintf(out + o, cp == '\n' ? "\\n" : "\\t");
			i++;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			o += sprintf(out + o, "\\u%04x", cp);
			i += n;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	out[o++] = '"';
	return o;
}

/*
 * Random strings, short and long (past the writer's first buffer), of
 * printable text with now and then a control byte, a quote, a backslash,
 * valid or invalid UTF-8: exactly as the reference, and valid JSON.
 */
static void test_random_strings(void **state)
{
	static const char odd[] = "\"\\\n\t\r\x01\x1b\x7f\xc2\x9b\xc3\xa9"
				  "\xe2\x80\xae\xf0\x9f\x98\x80\xff\x80\xed"
				  "\xa0\x80\xc0\xaf\xe2\x82";
	static char s[6000], want[6 * sizeof(s) + 2];
	struct ct_buf b = { 0 };

	(void)state;
	srand(22);
	for (int round = 0; round < 3000; round++) {
		size_t len = rand() % 8 ? (size_t)rand() % 64 :
					  rand() % sizeof(s);
		int odds = 1 + rand() % 40;
		size_t n;

		for (size_t i = 0; i < len; i++) {
			if (rand() % odds)
				s[i] = 0x20 + rand() % 0x5f;
			else if (rand() % 2)
				s[i] = odd[rand() % (sizeof(odd) - 1)];
			else
				s[i] = rand();
		}
		b.len = 0;
		ct_json_write_string(&b, s, len);
		n = slow_literal(want, s, len);
		assert_int_equal(b.len, n);
		assert_memory_equal(b.p, want, n);
		if (!json_valid(b.p, b.len))
			fail_msg("not valid JSON: %.*s", (int)b.len, b.p);
	}
	ct_buf_free(&b);
}

/*
 * ct_json_put_string() into exactly the room it asks for (ASan builds
 * see a byte past it): the worst strings (every byte an escape: controls,
 * bytes not UTF-8, C1 controls), and plain runs of every length up to 40
 * with a quote, backslash, control or bad byte at each place, first and
 * last, and none (a run that ends where the string does, on a word or not).
 */
static void put_exact(const char *s, size_t len)
{
	char *want = malloc(CT_JSON_STRING_ROOM(len) + 1);
	char *d = malloc(CT_JSON_STRING_ROOM(len));
	size_t n = slow_literal(want, s, len);

	assert_non_null(d);
	assert_true(n <= CT_JSON_STRING_ROOM(len));
	assert_int_equal(ct_json_put_string(d, s, len) - d, n);
	assert_memory_equal(d, want, n);
	free(d);
	free(want);
}

static void test_put_string_edges(void **state)
{
	static const char odd[] = "\"\\\x01\x1f\x7f\x80\xff\n";
	char s[64];

	(void)state;
	memset(s, 0x01, sizeof(s));
	put_exact(s, sizeof(s));
	memset(s, 0xff, sizeof(s));
	put_exact(s, sizeof(s));
	for (size_t i = 0; i + 1 < sizeof(s); i += 2)
		memcpy(s + i, "\xc2\x9b", 2);
	put_exact(s, sizeof(s));
	for (size_t len = 0; len <= 40; len++) {
		memset(s, 'a', sizeof(s));
		put_exact(s, len);
		for (size_t at = 0; at < len; at++) {
			for (size_t k = 0; k < sizeof(odd) - 1; k++) {
				memset(s, 'a', sizeof(s));
				s[at] = odd[k];
				put_exact(s, len);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_rejects),
		cmocka_unit_test(test_flat_object),
		cmocka_unit_test(test_empty_object),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_close_at_top_is_harmless),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_invalid_utf8_is_replaced),
		cmocka_unit_test(test_keys_are_escaped),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_all_bytes_valid),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_put_string_edges),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
