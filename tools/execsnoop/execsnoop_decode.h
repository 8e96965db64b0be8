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

/* Bytes of the caller's argv shown, NULs included. */
#define EXEC_ARGS_MAX (EXEC_ARGS_BYTES - 1)

/* argv in the event: NUL-separated strings, the last maybe unterminated. */
struct argv_view {
	/* The caller's argv; a script's path in place of its lost argv[0]. */
	const char *arg[EXEC_MAX_ARGS];
	size_t len[EXEC_MAX_ARGS];
	int count;
	bool truncated;		/* more arguments, or longer, than shown */
	/* The interpreters' words in front of a script's argv, if any. */
	const char *interp[EXEC_INTERP_WORDS];
	size_t interp_len[EXEC_INTERP_WORDS];
	int interp_count;
};

/* Does an event of size bytes hold all the data its lengths claim? */
static inline bool exec_event_whole(const struct exec_event *e, size_t size)
{
	return size >= offsetof(struct exec_event, data) &&
	       size >= offsetof(struct exec_event, data) + e->args_len +
			       e->filename_len;
}

/* The filename of a whole event, as the kernel sent it. */
static inline const char *exec_filename(const struct exec_event *e,
					size_t *len)
{
	const char *s = e->data + e->args_len;

	*len = strnlen(s, e->filename_len);
	return s;
}

/* The length of the string at p, which may run to end unterminated. */
static inline size_t exec_str_len(const char *p, const char *end)
{
	const char *nul = memchr(p, '\0', end - p);

	return nul ? (size_t)(nul - p) : (size_t)(end - p);
}

/* Is the argv string s the (maybe cut) filename of the event? */
static inline bool exec_is_filename(const struct exec_event *e,
				    const char *s, size_t len)
{
	size_t flen;
	const char *f = exec_filename(e, &flen);

	if (len != flen && !(len > flen &&
			     (e->flags & EXEC_FILENAME_TRUNCATED)))
		return false;
	return !memcmp(s, f, flen);
}

/*
 * An interpreter replaced argv[0] by [interpreter, optional argument,
 * script path], each nested one adding its own two words in front: the
 * caller's part starts at the first string after the first that is the
 * filename. Returns it (or NULL if there is none) and sets the
 * interpreters' words before it.
 */
static inline const char *exec_find_script(const struct exec_event *e,
					    struct argv_view *v)
{
	const char *p = e->data, *end = e->data + e->args_len;

	for (int i = 0; p < end && i <= EXEC_INTERP_WORDS; i++) {
		size_t len = exec_str_len(p, end);

		if (i > 0 && exec_is_filename(e, p, len))
			return p;
		if (i == EXEC_INTERP_WORDS)
			break;
		v->interp[i] = p;
		v->interp_len[i] = len;
		v->interp_count = i + 1;
		p += len + 1;
	}
	v->interp_count = 0;
	return NULL;
}

/* Split the argv of a whole event, keeping at most max_args arguments. */
static inline void exec_split_argv(const struct exec_event *e, int max_args,
				   struct argv_view *v)
{
	const char *p = e->data, *end = e->data + e->args_len;

	if (max_args > EXEC_MAX_ARGS)
		max_args = EXEC_MAX_ARGS;
	v->count = 0;
	v->interp_count = 0;
	v->truncated = e->flags & EXEC_ARGS_TRUNCATED;
	if (e->flags & EXEC_INTERP) {
		const char *caller = exec_find_script(e, v);

		/* The caller's part alone is limited as any argv. */
		if (caller) {
			p = caller;
			if (end - p > EXEC_ARGS_MAX) {
				end = p + EXEC_ARGS_MAX;
				v->truncated = true;
			}
		}
	}
	while (p < end) {
		size_t len = exec_str_len(p, end);

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
