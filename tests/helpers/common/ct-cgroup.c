// SPDX-License-Identifier: GPL-2.0
/*
 * ct-cgroup: common/cgroup_path.c from the shell, for tests/runtime/
 * cgroup_path.sh.
 *   ct-cgroup mount               the cgroup2 mount point
 *   ct-cgroup id DIR              the id of cgroup directory DIR
 *   ct-cgroup path METHOD ID...   the path of each id, or "ENOENT", one a
 *                                 line, with METHOD auto, handle or walk
 *   ct-cgroup self                the id bpf_get_current_cgroup_id() gives
 *                                 for this process, and its path
 * Exits 1 on an error other than ENOENT.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_path.h"
#include "tool.h"
#include "helpers/ct-cgroup.skel.h"

static int usage(void)
{
	fprintf(stderr, "usage: ct-cgroup mount | id DIR | "
		"path auto|handle|walk ID... | self\n");
	return 2;
}

static int show_paths(const char *how, int n, char **ids)
{
	enum ct_cgroup_method m;
	char path[PATH_MAX];

	if (!strcmp(how, "auto"))
		m = CT_CGROUP_AUTO;
	else if (!strcmp(how, "handle"))
		m = CT_CGROUP_HANDLE;
	else if (!strcmp(how, "walk"))
		m = CT_CGROUP_WALK;
	else
		return usage();
	ct_cgroup_path_reset(m);
	for (int i = 0; i < n; i++) {
		int err = ct_cgroup_path(strtoull(ids[i], NULL, 0), path,
					 sizeof(path));

		if (err && err != -ENOENT) {
			fprintf(stderr, "ct-cgroup: %s: %s\n", ids[i],
				strerror(-err));
			return 1;
		}
		printf("%s\n", err ? "ENOENT" : path);
	}
	return 0;
}

/* What BPF sees as our cgroup, then what that id resolves to. */
static int show_self(void)
{
	struct ct_cgroup_bpf *skel;
	char path[PATH_MAX];
	int err = 1;

	if (ct_setup())
		return 1;
	skel = ct_cgroup_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->self_tgid = getpid();
	if (!ct_load_and_attach(skel->skeleton)) {
		getppid();
		ct_detach();
		err = ct_cgroup_path(skel->bss->cgroup_id, path, sizeof(path));
		printf("%llu %s\n", (unsigned long long)skel->bss->cgroup_id,
		       err ? strerror(-err) : path);
	}
	ct_cgroup_bpf__destroy(skel);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	char buf[PATH_MAX];
	__u64 id;
	int err;

	if (argc == 2 && !strcmp(argv[1], "mount")) {
		err = ct_cgroup2_mount(buf, sizeof(buf));
		if (!err)
			printf("%s\n", buf);
	} else if (argc == 3 && !strcmp(argv[1], "id")) {
		err = ct_cgroup_id(argv[2], &id);
		if (!err)
			printf("%llu\n", (unsigned long long)id);
	} else if (argc >= 3 && !strcmp(argv[1], "path")) {
		return show_paths(argv[2], argc - 3, argv + 3);
	} else if (argc == 2 && !strcmp(argv[1], "self")) {
		return show_self();
	} else {
		return usage();
	}
	if (err)
		fprintf(stderr, "ct-cgroup: %s\n", strerror(-err));
	return err ? 1 : 0;
}
