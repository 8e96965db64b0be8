// SPDX-License-Identifier: GPL-2.0
/* cgroup v2 id to path. See cgroup_path.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cgroup_path.h"

/* The handle type of kernfs (FILEID_KERNFS), whose handle is the id. */
#define KERNFS_HANDLE 0xfe

/* Deep enough for any real hierarchy; a bound for the recursion. */
#define MAX_DEPTH 64

struct cg_entry {
	__u64 id;
	char *path;		/* NULL: no such cgroup */
	struct cg_entry *next;
};

#define BUCKETS 256
static struct cg_entry *cache[BUCKETS];
static enum ct_cgroup_method method = CT_CGROUP_AUTO;
static char mount_dir[PATH_MAX];
static char mount_root[PATH_MAX];	/* the mount's root in the hierarchy */
static int mount_fd = -1;

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 |
				 (s[3] - '0');
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* How much we like a cgroup2 mount at dir: higher is better. */
static int rank(const char *dir)
{
	if (!strcmp(dir, "/sys/fs/cgroup"))
		return 3;
	if (!strcmp(dir, "/sys/fs/cgroup/unified"))
		return 2;
	return 1;
}

static int mount_fields(char *line, char **root, char **dir);

/* A mountinfo line: "id parent maj:min root dir opts [tags] - type ...". */
static int parse_mountinfo_line(char *line, char **root, char **dir)
{
	char *sep = strstr(line, " - ");

	if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
		return -1;
	return mount_fields(line, root, dir);
}

/* The root and dir of a mountinfo line. */
static int mount_fields(char *line, char **root, char **dir)
{
	char *save, *f;
	int i;

	f = strtok_r(line, " ", &save);
	for (i = 0; f && i < 3; i++)
		f = strtok_r(NULL, " ", &save);
	*root = f;
	*dir = strtok_r(NULL, " ", &save);
	if (!*root || !*dir)
		return -1;
	unescape(*root);
	unescape(*dir);
	return 0;
}

/* The best cgroup2 mount listed in mountinfo file path, into dir, root. */
static int find_mount_in(const char *path, char *dir_out, size_t dir_size,
			 char *root_out, size_t root_size)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, *root, *dir;
	size_t cap = 0;
	int best = 0;

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (parse_mountinfo_line(line, &root, &dir) ||
		    rank(dir) <= best ||
		    (size_t)snprintf(dir_out, dir_size, "%s", dir) >= dir_size)
			continue;
		best = rank(dir);
		snprintf(root_out, root_size, "%s",
			 strcmp(root, "/") ? root : "");
	}
	free(line);
	fclose(f);
	return best ? 0 : -ENOENT;
}

static int find_mount(void)
{
	return find_mount_in("/proc/self/mountinfo", mount_dir,
			     sizeof(mount_dir), mount_root,
			     sizeof(mount_root));
}

int ct_cgroup2_mount_in(const char *mountinfo, char *dir, size_t dir_size,
			char *root, size_t root_size)
{
	return find_mount_in(mountinfo, dir, dir_size, root, root_size);
}

int ct_cgroup2_mount(char *buf, size_t size)
{
	int err = 0;

	if (!*mount_dir)
		err = find_mount();
	if (err)
		return err;
	if ((size_t)snprintf(buf, size, "%s", mount_dir) >= size)
		return -ENAMETOOLONG;
	return 0;
}

static int fd_cgroup_id(int fd, __u64 *id)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64) };
	struct stat st;
	int mount_id;

	if (!name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) &&
	    h.fh.handle_bytes == sizeof(__u64)) {
		memcpy(id, h.fh.f_handle, sizeof(*id));
		return 0;
	}
	/* With a 64-bit ino_t, the inode number is the id too. */
	if (sizeof(st.st_ino) < sizeof(*id) || fstat(fd, &st))
		return -EOPNOTSUPP;
	*id = st.st_ino;
	return 0;
}

int ct_cgroup_id(const char *path, __u64 *id)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = fd_cgroup_id(fd, id);
	close(fd);
	return err;
}

static struct cg_entry *lookup(__u64 id)
{
	struct cg_entry *e;

	for (e = cache[id % BUCKETS]; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

/* Cache path (NULL: none) for id; the newest answer wins. */
static void remember(__u64 id, const char *path)
{
	struct cg_entry *e = lookup(id);
	char *copy = path ? strdup(path) : NULL;

	if (path && !copy)
		return;
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e) {
			free(copy);
			return;
		}
		e->id = id;
		e->next = cache[id % BUCKETS];
		cache[id % BUCKETS] = e;
	}
	free(e->path);
	e->path = copy;
}

/*
 * The path of an absolute directory path under the mount, as the hierarchy
 * names it (the mount's root prefixed, "/" for the root itself).
 */
static int hierarchy_path_in(const char *dir, const char *root,
			     const char *abs, char *out, size_t size)
{
	const char *rel = abs + strlen(dir);
	int n = snprintf(out, size, "%s%s", root, *rel || *root ? rel : "/");

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int hierarchy_path(const char *abs, char *out, size_t size)
{
	return hierarchy_path_in(mount_dir, mount_root, abs, out, size);
}

/*
 * Resolve id through its file handle on the mount at dir (open as mfd),
 * whose root in its hierarchy is root; -EOPNOTSUPP if handles fail here.
 */
static int handle_path(int mfd, const char *dir, const char *root, __u64 id,
		       char *out, size_t size)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64),
		.fh.handle_type = KERNFS_HANDLE };
	char link[64], abs[PATH_MAX];
	ssize_t n;
	int fd;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_DIRECTORY |
			       O_CLOEXEC);
	if (fd < 0)
		return errno == ESTALE || errno == ENOENT ? -ENOENT :
		       -EOPNOTSUPP;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, abs, sizeof(abs) - 1);
	close(fd);
	if (n < 0)
		return -EOPNOTSUPP;
	abs[n] = '\0';
	/* Moved out of our view (another mount namespace or deleted). */
	if (strncmp(abs, dir, strlen(dir)) ||
	    (abs[strlen(dir)] && abs[strlen(dir)] != '/'))
		return -ENOENT;
	return hierarchy_path_in(dir, root, abs, out, size);
}

static int by_handle(__u64 id, char *out, size_t size)
{
	return handle_path(mount_fd, mount_dir, mount_root, id, out, size);
}

/* Cache every cgroup under abs (a directory open as fd). */
static void walk(int fd, char *abs, size_t len, int depth)
{
	char path[PATH_MAX];
	struct dirent *d;
	__u64 id;
	DIR *dir;

	if (!fd_cgroup_id(fd, &id) &&
	    !hierarchy_path(abs, path, sizeof(path)))
		remember(id, path);
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while (depth < MAX_DEPTH && (d = readdir(dir))) {
		int sub;

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") ||
		    !strcmp(d->d_name, "..") ||
		    len + 1 + strlen(d->d_name) >= PATH_MAX)
			continue;
		sub = openat(dirfd(dir), d->d_name,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (sub < 0)
			continue;
		snprintf(abs + len, PATH_MAX - len, "/%s", d->d_name);
		walk(sub, abs, len + 1 + strlen(d->d_name), depth + 1);
		abs[len] = '\0';
	}
	closedir(dir);
}

static void walk_mount(void)
{
	char abs[PATH_MAX];
	int fd = open(mount_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	snprintf(abs, sizeof(abs), "%s", mount_dir);
	walk(fd, abs, strlen(abs), 0);
}

static int open_mount(void)
{
	int err;

	if (mount_fd >= 0)
		return 0;
	err = *mount_dir ? 0 : find_mount();
	if (err)
		return err;
	mount_fd = open(mount_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return mount_fd < 0 ? -errno : 0;
}

static int copy_out(const struct cg_entry *e, char *buf, size_t size)
{
	if (!e || !e->path)
		return -ENOENT;
	if ((size_t)snprintf(buf, size, "%s", e->path) >= size)
		return -ENAMETOOLONG;
	return 0;
}

int ct_cgroup_path(__u64 id, char *buf, size_t size)
{
	char path[PATH_MAX];
	int err;

	if (lookup(id))
		return copy_out(lookup(id), buf, size);
	err = open_mount();
	if (err)
		return err;
	err = method == CT_CGROUP_WALK ? -EOPNOTSUPP :
	      by_handle(id, path, sizeof(path));
	if (err == -EOPNOTSUPP && method == CT_CGROUP_HANDLE)
		return err;
	if (err == -EOPNOTSUPP && method == CT_CGROUP_AUTO)
		method = CT_CGROUP_WALK;
	if (err == -EOPNOTSUPP && method == CT_CGROUP_WALK) {
		/* Not cached: made since the last walk, so walk again. */
		walk_mount();
		if (!lookup(id))
			remember(id, NULL);
		return copy_out(lookup(id), buf, size);
	}
	if (err && err != -ENOENT)
		return err;
	remember(id, err ? NULL : path);
	return copy_out(lookup(id), buf, size);
}

void ct_cgroup_path_reset(enum ct_cgroup_method m)
{
	for (int i = 0; i < BUCKETS; i++) {
		while (cache[i]) {
			struct cg_entry *e = cache[i];

			cache[i] = e->next;
			free(e->path);
			free(e);
		}
	}
	method = m;
}

/* A cgroup v1 mount of controller: "... - cgroup SOURCE rw,memory". */
static int parse_v1_line(char *line, const char *controller, char **root,
			 char **dir)
{
	char *sep = strstr(line, " - "), *opts, *tok, *save;

	if (!sep || strncmp(sep + 3, "cgroup ", 7))
		return -1;
	*sep = '\0';
	opts = strchr(sep + 10, ' ');
	if (!opts)
		return -1;
	for (tok = strtok_r(opts + 1, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, controller))
			return mount_fields(line, root, dir);
	return -1;
}

/* The first v1 mount of controller: 0, or -ENOENT. */
static int find_v1_mount(const char *controller, char *dir_out,
			 size_t dir_size, char *root_out, size_t root_size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *root, *dir;
	size_t cap = 0;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && getline(&line, &cap, f) > 0) {
		if (parse_v1_line(line, controller, &root, &dir) ||
		    (size_t)snprintf(dir_out, dir_size, "%s", dir) >= dir_size)
			continue;
		snprintf(root_out, root_size, "%s",
			 strcmp(root, "/") ? root : "");
		err = 0;
	}
	free(line);
	fclose(f);
	return err;
}

int ct_cgroup1_path(const char *controller, __u64 id, char *buf, size_t size)
{
	char dir[PATH_MAX], root[PATH_MAX];
	int fd, err;

	err = find_v1_mount(controller, dir, sizeof(dir), root, sizeof(root));
	if (err)
		return err;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = handle_path(fd, dir, root, id, buf, size);
	close(fd);
	return err;
}
