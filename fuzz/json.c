// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the JSON writer: the input is a program of writer calls (open and
 * close objects and arrays, strings of input bytes as keys and values,
 * numbers of any bit pattern, NaN included). Whatever it does, the line
 * written must be one valid JSON object.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_check.h"

struct input {
	const uint8_t *p, *end;
};

static unsigned int next(struct input *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

/* The next up to 255 bytes of input, length first. */
static const char *bytes(struct input *in, size_t *len)
{
	const char *s;

	*len = next(in);
	if (*len > (size_t)(in->end - in->p))
		*len = in->end - in->p;
	s = (const char *)in->p;
	in->p += *len;
	return s;
}

static uint64_t word(struct input *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | next(in);
	return v;
}

/* Keys must be NUL-terminated strings; keep them in a scratch buffer. */
static const char *key(struct input *in, bool in_array, char *buf)
{
	size_t len;
	const char *s;

	if (in_array)
		return NULL;
	s = bytes(in, &len);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static void run(struct ct_json *j, struct input *in)
{
	/* What the caller knows: is the innermost container an array? */
	bool is_array[64] = { false };
	int depth = 0;
	char kbuf[256];

	while (in->p < in->end) {
		unsigned int op = next(in) % 10;
		const char *k = key(in, is_array[depth], kbuf);
		uint64_t w;
		double d;
		size_t len;
		const char *s;

		switch (op) {
		case 0:
		case 1:
			if (depth == 63)
				break;
			if (op == 0)
				ct_json_object(j, k);
			else
				ct_json_array(j, k);
			is_array[++depth] = op == 1;
			break;
		case 2:
			if (depth > 0) {
				ct_json_close(j);
				depth--;
			}
			break;
		case 3:
			s = bytes(in, &len);
			ct_json_strn(j, k, s, len);
			break;
		case 4:
			ct_json_int(j, k, (long long)word(in));
			break;
		case 5:
			ct_json_uint(j, k, word(in));
			break;
		case 6:
			w = word(in);
			memcpy(&d, &w, sizeof(d));
			ct_json_double(j, k, d);
			break;
		case 7:
			ct_json_bool(j, k, next(in) & 1);
			break;
		case 8:
			ct_json_null(j, k);
			break;
		case 9:
			ct_json_str(j, k, NULL);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, data + size };
	struct ct_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	ct_json_begin(&j, f);
	run(&j, &in);
	ct_json_end(&j);
	fclose(f);
	/* One line, and one valid JSON object on it. */
	if (len < 3 || buf[len - 1] != '\n' || memchr(buf, '\n', len - 1) ||
	    buf[0] != '{' || !json_valid(buf, len))
		abort();
	free(buf);
	return 0;
}
