// SPDX-License-Identifier: GPL-2.0
/* Binaries with several names: which one they were run as. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Is s prefix, name, suffix? */
static bool named(const char *s, const char *prefix, size_t prefix_len,
		  const char *name, const char *suffix)
{
	size_t name_len = strlen(name);

	return !strncmp(s, prefix, prefix_len) &&
	       !strncmp(s + prefix_len, name, name_len) &&
	       !strcmp(s + prefix_len + name_len, suffix);
}

int ct_alias_index(const char *const *names, int n, const char *run_as,
		   const char *exe)
{
	const char *own = strstr(exe, names[0]);

	for (int i = 1; i < n; i++) {
		/* A copy under another name (no link): its file name tells. */
		if (!own && strstr(exe, names[i]))
			return i;
		if (own && named(run_as, exe, own - exe, names[i],
				 own + strlen(names[0])))
			return i;
	}
	return 0;
}

const struct ct_tool *ct_tool_run_as(const struct ct_tool *const *tools,
				     const char *argv0)
{
	const char *names[16];
	char exe[PATH_MAX];
	ssize_t len;
	int n = 0;

	while (tools[n] && n < 16) {
		names[n] = tools[n]->name;
		n++;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	/* Without /proc, the name alone, as make installs it unprefixed. */
	if (len < 0)
		len = snprintf(exe, sizeof(exe), "%s", names[0]);
	exe[len] = '\0';
	/* A binary replaced while it runs. */
	if (len > 10 && !strcmp(exe + len - 10, " (deleted)"))
		exe[len - 10] = '\0';
	return tools[ct_alias_index(names, n, base_name(argv0),
				    base_name(exe))];
}
