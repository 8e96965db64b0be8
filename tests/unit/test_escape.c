// SPDX-License-Identifier: GPL-2.0
/* Unit tests of common/escape.c: what untrusted strings look like printed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

/* ct_escape() of the first len bytes of s, into a buffer big enough. */
static const char *esc_n(const char *s, size_t len, unsigned int flags)
{
	static char buf[4096];
	size_t n = ct_escape(buf, sizeof(buf), s, len, flags);

	assert_true(n < sizeof(buf));
	assert_int_equal(strlen(buf), n);
	return buf;
}

static const char *esc(const char *s, unsigned int flags)
{
	return esc_n(s, strlen(s), flags);
}

static void test_plain_text_unchanged(void **state)
{
	(void)state;
	assert_string_equal(esc("", 0), "");
	assert_string_equal(esc("/usr/bin/ls -la", 0), "/usr/bin/ls -la");
	assert_string_equal(esc("~!@#$%^&*()_+{}|:<>?'`", 0),
			    "~!@#$%^&*()_+{}|:<>?'`");
}

static void test_named_escapes(void **state)
{
	(void)state;
	assert_string_equal(esc("a\nb", 0), "a\\nb");
	assert_string_equal(esc("a\tb\r", 0), "a\\tb\\r");
	/* The backslash is escaped so that the escaping is reversible. */
	assert_string_equal(esc("a\\nb", 0), "a\\\\nb");
}

static void test_control_chars(void **state)
{
	(void)state;
	assert_string_equal(esc("\x01\x1f", 0), "\\x01\\x1f");
	assert_string_equal(esc("\x7f", 0), "\\x7f");
	assert_string_equal(esc("\a\b\v\f", 0), "\\x07\\x08\\x0b\\x0c");
}

static void test_embedded_nul(void **state)
{
	(void)state;
	/* NUL inside the given length is data, not the end. */
	assert_string_equal(esc_n("a\0b", 3, 0), "a\\x00b");
}

static void test_terminal_escape_sequences(void **state)
{
	(void)state;
	assert_string_equal(esc("\033[31mred\033[0m", 0),
			    "\\x1b[31mred\\x1b[0m");
	/* OSC 52 would write the clipboard; ESC ] must not get through. */
	assert_string_equal(esc("\033]52;c;aGk=\a", 0),
			    "\\x1b]52;c;aGk=\\x07");
}

static void test_c1_controls(void **state)
{
	(void)state;
	/* U+009B (CSI) and U+0085 (NEL) as UTF-8: both bytes escaped. */
	assert_string_equal(esc("\xc2\x9b" "31m", 0), "\\xc2\\x9b31m");
	assert_string_equal(esc("\xc2\x85", 0), "\\xc2\\x85");
	/* A raw 8-bit C1 byte is not UTF-8 either. */
	assert_string_equal(esc("\x9b", 0), "\\x9b");
	/* U+00A0 is the first printable code point after C1. */
	assert_string_equal(esc("\xc2\xa0", 0), "\xc2\xa0");
}

static void test_bidi_overrides(void **state)
{
	(void)state;
	/* U+202E RIGHT-TO-LEFT OVERRIDE: "evil\u202Etxt.exe". */
	assert_string_equal(esc("evil\xe2\x80\xaetxt.exe", 0),
			    "evil\\xe2\\x80\\xaetxt.exe");
	assert_string_equal(esc("\xe2\x80\xaa\xe2\x80\xac", 0),
			    "\\xe2\\x80\\xaa\\xe2\\x80\\xac");
	/* U+2066..U+2069 isolates. */
	assert_string_equal(esc("\xe2\x81\xa6x\xe2\x81\xa9", 0),
			    "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9");
	/* Neighbours of those ranges are ordinary text. */
	assert_string_equal(esc("\xe2\x80\xa9\xe2\x80\xaf", 0),
			    "\xe2\x80\xa9\xe2\x80\xaf");
}

static void test_valid_utf8_unchanged(void **state)
{
	(void)state;
	assert_string_equal(esc("caf\xc3\xa9", 0), "caf\xc3\xa9");
	assert_string_equal(esc("\xe6\x97\xa5\xe6\x9c\xac", 0),
			    "\xe6\x97\xa5\xe6\x9c\xac");
	assert_string_equal(esc("\xf0\x9f\x98\x80", 0), "\xf0\x9f\x98\x80");
	/* U+10FFFF is the last code point. */
	assert_string_equal(esc("\xf4\x8f\xbf\xbf", 0), "\xf4\x8f\xbf\xbf");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* Lone continuation byte, lone lead bytes, bytes never in UTF-8. */
	assert_string_equal(esc("a\x80z", 0), "a\\x80z");
	assert_string_equal(esc("\xc3z", 0), "\\xc3z");
	assert_string_equal(esc("\xfe\xff", 0), "\\xfe\\xff");
	/* A sequence cut by the end of the data. */
	assert_string_equal(esc("\xe2\x82", 0), "\\xe2\\x82");
	assert_string_equal(esc("\xf0\x9f\x98", 0), "\\xf0\\x9f\\x98");
	/* Past U+10FFFF. */
	assert_string_equal(esc("\xf4\x90\x80\x80", 0),
			    "\\xf4\\x90\\x80\\x80");
}

static void test_overlong_forms(void **state)
{
	(void)state;
	/* '/' and NUL in two bytes: path tricks of old decoders. */
	assert_string_equal(esc("\xc0\xaf", 0), "\\xc0\\xaf");
	assert_string_equal(esc("\xc0\x80", 0), "\\xc0\\x80");
	assert_string_equal(esc("\xe0\x80\xaf", 0), "\\xe0\\x80\\xaf");
	assert_string_equal(esc("\xf0\x80\x80\xaf", 0),
			    "\\xf0\\x80\\x80\\xaf");
}

static void test_surrogates(void **state)
{
	(void)state;
	assert_string_equal(esc("\xed\xa0\x80", 0), "\\xed\\xa0\\x80");
	assert_string_equal(esc("\xed\xbf\xbf", 0), "\\xed\\xbf\\xbf");
	/* U+D7FF, just below them, is fine. */
	assert_string_equal(esc("\xed\x9f\xbf", 0), "\xed\x9f\xbf");
}

static void test_quote_and_space_flags(void **state)
{
	(void)state;
	assert_string_equal(esc("say \"hi\"", 0), "say \"hi\"");
	assert_string_equal(esc("say \"hi\"", CT_ESC_QUOTE),
			    "say \\\"hi\\\"");
	assert_string_equal(esc("a b", CT_ESC_SPACE), "a\\x20b");
	assert_string_equal(esc("\"a b\"", CT_ESC_QUOTE | CT_ESC_SPACE),
			    "\\\"a\\x20b\\\"");
}

static void test_utf8_seq(void **state)
{
	unsigned int cp = 0;

	(void)state;
	assert_int_equal(ct_utf8_seq((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(ct_utf8_seq((const unsigned char *)"\xc3\xa9", 2,
				     &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(ct_utf8_seq((const unsigned char *)"\xf0\x9f\x98\x80",
				     4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* The length limit is respected even when more bytes follow. */
	assert_int_equal(ct_utf8_seq((const unsigned char *)"\xc3\xa9", 1,
				     &cp), 0);
}

static void test_size_returns_full_length(void **state)
{
	char buf[5];

	(void)state;
	/* Like snprintf: the return value is the length it would need. */
	assert_int_equal(ct_escape(buf, sizeof(buf), "abcdefgh", 8, 0), 8);
	assert_string_equal(buf, "abcd");
	assert_int_equal(ct_escape(NULL, 0, "a\nb", 3, 0), 4);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(ct_escape(buf, 1, "abc", 3, 0), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');
}

static void test_truncation_never_splits(void **state)
{
	char buf[8];

	(void)state;
	/* "ab\x1b" needs 6 bytes: with 5 the escape is left out whole. */
	assert_int_equal(ct_escape(buf, 5, "ab\033", 3, 0), 6);
	assert_string_equal(buf, "ab");
	/* A cut "\n" would turn into a lone backslash. */
	assert_int_equal(ct_escape(buf, 2, "\n", 1, 0), 2);
	assert_string_equal(buf, "");
	/* No half of a UTF-8 sequence, and nothing after what was cut. */
	assert_int_equal(ct_escape(buf, 4, "ab\xc3\xa9z", 5, 0), 5);
	assert_string_equal(buf, "ab");
	assert_int_equal(ct_escape(buf, 6, "\xe6\x97\xa5\xe6\x9c\xac", 6, 0),
			 6);
	assert_string_equal(buf, "\xe6\x97\xa5");
	/* A run of plain bytes is cut byte by byte, nothing after it kept. */
	assert_int_equal(ct_escape(buf, 4, "abcdef", 6, 0), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(ct_escape(buf, 4, "abc\nd", 5, 0), 6);
	assert_string_equal(buf, "abc");
}

/* ct_fput_escaped() works in chunks: the result must not depend on them. */
static void test_fput_matches_escape(void **state)
{
	static char in[3000], want[4 * sizeof(in) + 1];
	char *got = NULL;
	size_t got_len = 0, i;
	FILE *f;

	(void)state;
	for (i = 0; i + 3 <= sizeof(in); i += 3) {
		/* Multibyte sequences straddle every chunk boundary. */
		memcpy(in + i, i % 2 ? "\xe2\x82\xac" : "\xc3\xa9\n", 3);
	}
	in[sizeof(in) - 7] = '\033';
	in[sizeof(in) - 5] = (char)0xff;
	ct_escape(want, sizeof(want), in, sizeof(in), CT_ESC_QUOTE);
	f = open_memstream(&got, &got_len);
	assert_non_null(f);
	ct_fput_escaped(f, in, sizeof(in), CT_ESC_QUOTE);
	fclose(f);
	assert_string_equal(got, want);
	free(got);
}

/* What a plain byte is, one byte at a time: the reference. */
static size_t slow_plain_run(const char *s, size_t len, char a, char b)
{
	size_t i = 0;

	while (i < len && (unsigned char)s[i] >= 0x20 &&
	       (unsigned char)s[i] < 0x7f && s[i] != '\\' && s[i] != a &&
	       s[i] != b)
		i++;
	return i;
}

/*
 * Runs of every length, with the one byte that ends them at every place
 * (every byte value there), at every alignment: as the reference, and
 * the copy holds the run and writes nothing past it.
 */
static void test_plain_run(void **state)
{
	static const char stops[][2] = {
		{ '\\', '\\' }, { '"', '"' }, { '"', ' ' }, { ',', '"' },
	};
	char src[80], dst[80];

	(void)state;
	for (size_t k = 0; k < sizeof(stops) / sizeof(stops[0]); k++)
	for (size_t len = 0; len <= 40; len++)
	for (size_t at = 0; at <= len; at++)
	for (int c = 0; c < 256; c += (at == len ? 256 : 1)) {
		const char *s = src + (len + at) % 8;
		size_t want, n;

		memset(src, 'x', sizeof(src));
		if (at < len)
			src[(len + at) % 8 + at] = (char)c;
		want = slow_plain_run(s, len, stops[k][0], stops[k][1]);
		n = ct_plain_run(s, len, stops[k][0], stops[k][1]);
		assert_int_equal(n, want);
		memset(dst, '#', sizeof(dst));
		n = ct_copy_plain(dst, s, len, stops[k][0], stops[k][1]);
		assert_int_equal(n, want);
		assert_memory_equal(dst, s, n);
		assert_int_equal(dst[n], '#');
		if (stops[k][0] != '"' || stops[k][1] != '"')
			continue;
		memset(dst, '#', sizeof(dst));
		n = ct_copy_json_plain(dst, s, len);
		assert_int_equal(n, want);
		assert_memory_equal(dst, s, n);
		assert_int_equal(dst[n], '#');
	}
}

/* Random bytes, printable or not, in runs of any length. */
static void test_plain_run_random(void **state)
{
	char s[300], dst[300];

	(void)state;
	srand(22);
	for (int round = 0; round < 20000; round++) {
		size_t len = rand() % sizeof(s);
		int odds = 1 + rand() % 64;

		for (size_t i = 0; i < len; i++)
			s[i] = rand() % odds ? 0x20 + rand() % 0x5f : rand();
		assert_int_equal(ct_plain_run(s, len, '"', ' '),
				 slow_plain_run(s, len, '"', ' '));
		assert_int_equal(ct_copy_plain(dst, s, len, ',', '"'),
				 slow_plain_run(s, len, ',', '"'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_named_escapes),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_terminal_escape_sequences),
		cmocka_unit_test(test_c1_controls),
		cmocka_unit_test(test_bidi_overrides),
		cmocka_unit_test(test_valid_utf8_unchanged),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_overlong_forms),
		cmocka_unit_test(test_surrogates),
		cmocka_unit_test(test_quote_and_space_flags),
		cmocka_unit_test(test_utf8_seq),
		cmocka_unit_test(test_size_returns_full_length),
		cmocka_unit_test(test_truncation_never_splits),
		cmocka_unit_test(test_fput_matches_escape),
		cmocka_unit_test(test_plain_run),
		cmocka_unit_test(test_plain_run_random),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
