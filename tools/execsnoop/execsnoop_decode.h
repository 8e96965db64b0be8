/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding one exec event from the kernel: is it whole, and where are its
 * arguments. Kept out of execsnoop.c so that fuzz/exec_event.c runs this
 * very code on hostile input.
 */
#ifndef EXECSNOOP_DECODE_H
#define EXECSNOOP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "execsnoop.h"

/* argv in the event: NUL-separated strings, the last maybe unterminated. */
struct argv_view {
	const char *arg[EXEC_MAX_ARGS];
	size_t len[EXEC_MAX_ARGS];
	int count;
	bool truncated;		/* more arguments, or longer, than shown */
};

/* Does an event of size bytes hold all the data its lengths claim? */
static inline bool exec_event_whole(const struct exec_event *e, size_t size)
{
	return size >= offsetof(struct exec_event, data) &&
	       size >= offsetof(struct exec_event, data) + e->args_len +
			       e->filename_len;
}

/* Split the argv of a whole event, keeping at most max_args arguments. */
static inline void exec_split_argv(const struct exec_event *e, int max_args,
				   struct argv_view *v)
{
	const char *p = e->data, *end = e->data + e->args_len;

	if (max_args > EXEC_MAX_ARGS)
		max_args = EXEC_MAX_ARGS;
	v->count = 0;
	v->truncated = e->flags & EXEC_ARGS_TRUNCATED;
	while (p < end) {
		const char *nul = memchr(p, '\0', end - p);
		size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);

		if (v->count >= max_args) {
			v->truncated = true;
			break;
		}
		v->arg[v->count] = p;
		v->len[v->count++] = len;
		p += len + 1;
	}
}

#endif
