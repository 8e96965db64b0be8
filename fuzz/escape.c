// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz ct_escape() and ct_fput_escaped(). The input: one byte of flags, two
 * of buffer size, then the string. Checked: the result never holds a control
 * character or invalid UTF-8, a cut result is a prefix of the whole one, and
 * the chunked stream writer gives the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Printable ASCII, or valid UTF-8 of no control or bidi code point. */
static void check_clean(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned int cp;
		size_t n = ct_utf8_seq((const unsigned char *)s + i, len - i,
				       &cp);

		if (!n || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 3;
	size_t len, full, cut_size, n;
	unsigned int flags;
	char *all, *cut, *streamed = NULL;
	size_t streamed_len = 0;
	FILE *f;

	if (size < 3)
		return 0;
	flags = data[0] & (CT_ESC_QUOTE | CT_ESC_SPACE);
	cut_size = data[1] | (data[2] << 8);
	len = size - 3;

	full = ct_escape(NULL, 0, s, len, flags);
	all = malloc(full + 1);
	cut = malloc(cut_size ? cut_size : 1);
	if (!all || !cut)
		abort();
	if (ct_escape(all, full + 1, s, len, flags) != full ||
	    strlen(all) != full)
		abort();
	check_clean(all, full);

	n = ct_escape(cut, cut_size, s, len, flags);
	if (n != full)
		abort();
	if (cut_size) {
		size_t cut_len = strlen(cut);

		if (cut_len >= cut_size || memcmp(cut, all, cut_len))
			abort();
		check_clean(cut, cut_len);
	}

	f = open_memstream(&streamed, &streamed_len);
	if (!f)
		abort();
	ct_fput_escaped(f, s, len, flags);
	fclose(f);
	if (streamed_len != full || memcmp(streamed, all, full))
		abort();
	free(streamed);
	free(all);
	free(cut);
	return 0;
}
