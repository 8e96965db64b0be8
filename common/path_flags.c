// SPDX-License-Identifier: GPL-2.0
/* A path as text, with the marks of how it was obtained. */
#include "escape.h"
#include "path_flags.h"

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
