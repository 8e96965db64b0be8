/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The path of a cgroup v2 directory from its id, the id
 * bpf_get_current_cgroup_id() returns: the directory's kernfs node id, also
 * its file handle and (64-bit ino_t) its inode number.
 *
 * Paths are relative to the cgroup2 hierarchy's root as this process sees
 * it, like the "0::" line of /proc/PID/cgroup: "/" for the root,
 * "/system.slice/ssh.service". The cgroup2 mount is found in
 * /proc/self/mountinfo (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * hybrid system). An id is resolved by opening its file handle (needs
 * CAP_DAC_READ_SEARCH), else by a walk of the mount; results are cached,
 * misses too: ids are not reused, a cgroup not found is gone (a cgroup
 * renamed after its lookup keeps its old name).
 */
#ifndef CT_CGROUP_PATH_H
#define CT_CGROUP_PATH_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Where cgroup v2 is mounted: /sys/fs/cgroup preferred, then
 * /sys/fs/cgroup/unified, then the first. Returns 0, or -ENOENT if nowhere.
 */
int ct_cgroup2_mount(char *buf, size_t size);

/* The id of the cgroup v2 directory at path. Returns 0 or -errno. */
int ct_cgroup_id(const char *path, __u64 *id);

/*
 * The path of cgroup id into buf. Returns 0, -ENOENT if there is no such
 * cgroup (any more) or no cgroup2 mount, -ENAMETOOLONG if buf is too small,
 * -EOPNOTSUPP if file handles do not work with CT_CGROUP_HANDLE. Cgroup
 * names are chosen by users: escape the path for output.
 */
int ct_cgroup_path(__u64 id, char *buf, size_t size);

/*
 * The path of cgroup id in the cgroup v1 hierarchy of controller (e.g.
 * "memory", where a hybrid system keeps it), as in ct_cgroup_path(): the
 * same errors, by file handle only, nothing cached.
 */
int ct_cgroup1_path(const char *controller, __u64 id, char *buf, size_t size);

/*
 * For tests: the cgroup2 mount a mountinfo file lists, and the mount's
 * root in the hierarchy ("" for the whole hierarchy).
 */
int ct_cgroup2_mount_in(const char *mountinfo, char *dir, size_t dir_size,
			char *root, size_t root_size);

/* How ct_cgroup_path() resolves ids not in its cache. */
enum ct_cgroup_method {
	CT_CGROUP_AUTO,		/* file handles if they work, else a walk */
	CT_CGROUP_HANDLE,	/* file handles only (tests) */
	CT_CGROUP_WALK,		/* walks only (tests) */
};

/* For tests: choose the method and empty the cache. */
void ct_cgroup_path_reset(enum ct_cgroup_method method);

#endif
