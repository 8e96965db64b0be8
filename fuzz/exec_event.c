// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz execsnoop's decoding of an event from the kernel: the input is the
 * event as received (any size, any lengths in it) and a max_args byte.
 * Checked: an event is used only if whole, and then every argument lies
 * inside the argv bytes, holds no NUL, and there are at most max_args;
 * so does every interpreter word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "execsnoop/execsnoop_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct exec_event *e;
	struct argv_view v;
	int max_args;

	if (size < 1)
		return 0;
	max_args = 1 + data[0] % (EXEC_MAX_ARGS + 8);
	data++, size--;
	/* Exactly size bytes, as the ring buffer would hand them over. */
	e = malloc(size ? size : 1);
	if (!e)
		abort();
	memcpy(e, data, size);
	if (!exec_event_whole(e, size)) {
		free(e);
		return 0;
	}
	exec_split_argv(e, max_args, &v);
	if (v.count > max_args || v.count > EXEC_MAX_ARGS)
		abort();
	for (int i = 0; i < v.count; i++) {
		if (v.arg[i] < e->data ||
		    v.arg[i] + v.len[i] > e->data + e->args_len ||
		    memchr(v.arg[i], '\0', v.len[i]))
			abort();
	}
	if (v.interp_count > EXEC_INTERP_WORDS)
		abort();
	for (int i = 0; i < v.interp_count; i++) {
		if (v.interp[i] < e->data ||
		    v.interp[i] + v.interp_len[i] > e->data + e->args_len ||
		    memchr(v.interp[i], '\0', v.interp_len[i]))
			abort();
	}
	free(e);
	return 0;
}
