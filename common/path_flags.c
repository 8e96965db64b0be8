// SPDX-License-Identifier: GPL-2.0
/* A path as text, with the marks of how it was obtained. */
#include <string.h>
#include <bpf/libbpf.h>

#include "escape.h"
#include "feature_probe.h"
#include "path_flags.h"
#include "tool.h"

size_t ct_buf_path(struct ct_buf *b, const char *path, size_t len,
		   unsigned int flags)
{
	static const struct {
		unsigned int flag;
		const char *mark;
	} marks[] = {
		{ CT_PATH_DELETED, " (deleted)" },
		{ CT_PATH_RECONSTRUCTED, " (reconstructed)" },
		{ CT_PATH_UNRESOLVED, " (unresolved)" },
	};
	size_t n = 0;

	if (flags & CT_PATH_HEAD_MISSING)
		n += ct_buf_puts(b, "...");
	n += ct_buf_escaped(b, path, len, 0);
	if (flags & CT_PATH_TAIL_MISSING)
		n += ct_buf_puts(b, "...");
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (flags & marks[i].flag)
			n += ct_buf_puts(b, marks[i].mark);
	return n;
}

static const char *needle;

const char *ct_contains_parse(const char *arg, size_t max)
{
	if (!*arg)
		ct_usage_error("--contains: empty string");
	if (strlen(arg) > max)
		ct_usage_error("--contains: %zu bytes, longer than the longest "
			       "path shown (%zu)", strlen(arg), max);
	needle = arg;
	return arg;
}

bool ct_contains_where(const char *what, char *buf, unsigned int *len)
{
	const char *why = ct_no_bpf_loop("CT_NO_KERNEL_CONTAINS");
	size_t n = strlen(needle);

	if (why) {
		ct_verbose("--contains: %s: matching in user space, %s "
			   "crosses the buffer", why, what);
		return false;
	}
	/*
	 * The verifier walks the comparison once per byte of a needle it
	 * knows: 63 took seconds to load in an emulated guest. 16 bytes
	 * are as selective in practice.
	 */
	if (n >= CT_CONTAINS_BYTES) {
		n = CT_CONTAINS_HEAD;
		ct_verbose("--contains: matching its first %zu bytes in the "
			   "kernel, the whole in user space", n);
	} else {
		ct_verbose("--contains: matching in the kernel");
	}
	memcpy(buf, needle, n);
	*len = n;
	return true;
}

bool ct_path_walk_in_loop(bool contains_in_kernel, bool full_path)
{
	static int loop = -1;
	const char *why;

	if (loop >= 0)
		return loop;
	loop = contains_in_kernel;
	if (!loop && full_path) {
		why = ct_no_bpf_loop("CT_NO_LOOP_WALK");
		if (why)
			ct_verbose("paths: walked unrolled: %s", why);
		loop = !why;
	}
	if (loop)
		ct_verbose("paths: walked in bpf_loop()");
	return loop;
}

struct bpf_program *ct_contains_program(bool in_kernel,
					struct bpf_program *plain,
					struct bpf_program *search)
{
	bpf_program__set_autoload(in_kernel ? plain : search, false);
	return in_kernel ? search : plain;
}

bool ct_contains_match(const char *path, size_t len)
{
	return !needle || memmem(path, len, needle, strlen(needle));
}
