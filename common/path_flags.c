// SPDX-License-Identifier: GPL-2.0
/* A path as text, with the marks of how it was obtained. */
#include <string.h>
#include <bpf/libbpf.h>

#include "escape.h"
#include "path_flags.h"
#include "tool.h"

size_t ct_fput_path(FILE *f, const char *path, size_t len,
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
	size_t n = ct_escape(NULL, 0, path, len, 0);

	if (flags & CT_PATH_HEAD_MISSING)
		n += fprintf(f, "...");
	ct_fput_escaped(f, path, len, 0);
	if (flags & CT_PATH_TAIL_MISSING)
		n += fprintf(f, "...");
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (flags & marks[i].flag)
			n += fprintf(f, "%s", marks[i].mark);
	return n;
}

bool ct_contains_where(const char *needle, const char *what, char *buf,
		       unsigned int *len)
{
	size_t n = strlen(needle);

	if (n >= CT_CONTAINS_BYTES) {
		ct_verbose("--contains: %zu bytes is more than the kernel-side "
			   "%d: matching in user space, %s crosses the buffer",
			   n, CT_CONTAINS_BYTES - 1, what);
		return false;
	}
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_loop,
				    NULL) != 1) {
		ct_verbose("--contains: no bpf_loop() in this kernel (5.17+): "
			   "matching in user space, %s crosses the buffer",
			   what);
		return false;
	}
	memcpy(buf, needle, n);
	*len = n;
	ct_verbose("--contains: matching in the kernel");
	return true;
}
