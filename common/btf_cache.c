// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "btf_cache.h"
#include "kernel_btf.h"
#include "min_btf.h"
#include "tool.h"

#define DEFAULT_DIR "/var/cache/coretrace"

static struct {
	char dir[PATH_MAX];
	char file[NAME_MAX + 1];	/* this object's, on this kernel */
	int fd;				/* open cache file, or -1 */
	char fd_path[64];		/* how libbpf opens it: no race */
	struct bpf_object_open_opts opts;
} cache = { .fd = -1 };

/* Files and directories that only their owner (this user) can change. */
static bool trusted(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static __u64 digest_bytes(const unsigned char *p, size_t n)
{
	__u64 h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Name this object's cache file on this kernel; false: no cache. */
static bool name_file(const void *elf, size_t size)
{
	const char *dir = getenv("CT_BTF_CACHE_DIR");
	__u64 kernel;
	int err;

	if (!dir)
		dir = DEFAULT_DIR;
	if (!dir[0] || strlen(dir) >= sizeof(cache.dir))
		return false;
	err = ct_kernel_btf_identity(&kernel);
	if (err) {
		ct_verbose("kernel types: no cache (%s: %s)", CT_KERNEL_BTF,
			   strerror(-err));
		return false;
	}
	strcpy(cache.dir, dir);
	snprintf(cache.file, sizeof(cache.file), "%s-%016llx-%016llx.btf",
		 ct_tool_name(), (unsigned long long)digest_bytes(elf, size),
		 (unsigned long long)kernel);
	return true;
}

static int open_file(void)
{
	struct stat st;
	int dir, fd;

	dir = open(cache.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	if (fstat(dir, &st) || !trusted(&st)) {
		ct_verbose("kernel types: not using %s: others can write it",
			   cache.dir);
		close(dir);
		cache.file[0] = '\0';
		return -1;
	}
	fd = openat(dir, cache.file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dir);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !trusted(&st)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A damaged file is written anew rather than failing the load. */
static bool is_btf(const char *path)
{
	struct btf *btf = btf__parse_raw(path);

	btf__free(btf);
	return btf != NULL;
}

const struct bpf_object_open_opts *
ct_btf_cache_open_opts(const void *(*elf_bytes)(size_t *size))
{
	const void *elf;
	size_t size;

	cache.opts = (struct bpf_object_open_opts){
		.sz = sizeof(cache.opts)
	};
	elf = elf_bytes(&size);
	if (!name_file(elf, size))
		return &cache.opts;
	cache.fd = open_file();
	if (cache.fd < 0)
		return &cache.opts;
	snprintf(cache.fd_path, sizeof(cache.fd_path), "/proc/self/fd/%d",
		 cache.fd);
	if (!is_btf(cache.fd_path)) {
		ct_verbose("kernel types: ignoring %s/%s: not BTF", cache.dir,
			   cache.file);
		close(cache.fd);
		cache.fd = -1;
		return &cache.opts;
	}
	cache.opts.btf_custom_path = cache.fd_path;
	ct_verbose("kernel types: %s/%s", cache.dir, cache.file);
	return &cache.opts;
}

bool ct_btf_cache_used(void)
{
	return cache.fd >= 0;
}

/* Did libbpf read the kernel's BTF for more than relocations? */
static bool needs_kernel_btf(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		enum bpf_prog_type type = bpf_program__type(prog);

		if (bpf_program__autoload(prog) &&
		    (type == BPF_PROG_TYPE_TRACING ||
		     type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_EXT))
			return true;
	}
	return false;
}

/* Other builds' files of this tool: each kernel or build leaves one. */
static void remove_old(int dir)
{
	size_t prefix = strlen(ct_tool_name()) + 1;
	DIR *d = fdopendir(dup(dir));
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, cache.file, prefix) &&
		    strcmp(e->d_name, cache.file) &&
		    strstr(e->d_name, ".btf"))
			unlinkat(dir, e->d_name, 0);
	}
	closedir(d);
}

static int write_raw(int dir, const struct btf *btf)
{
	char tmp[NAME_MAX + 32];
	const void *data;
	__u32 size;
	int fd, err = 0;

	data = btf__raw_data(btf, &size);
	if (!data)
		return -errno;
	snprintf(tmp, sizeof(tmp), ".%s.%d", cache.file, getpid());
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, data, size) != (ssize_t)size)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(dir, tmp, dir, cache.file))
		err = -errno;
	if (err)
		unlinkat(dir, tmp, 0);
	return err;
}

static int write_file(struct bpf_object *obj)
{
	struct btf *kernel, *min;
	int dir, err;

	if (mkdir(cache.dir, 0700) && errno != EEXIST)
		return -errno;
	dir = open(cache.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	kernel = btf__load_vmlinux_btf();
	err = kernel ? 0 : -errno;
	min = kernel ? ct_min_btf(kernel, bpf_object__btf(obj)) : NULL;
	if (kernel && !min)
		err = -errno;
	btf__free(kernel);
	if (min) {
		err = write_raw(dir, min);
		btf__free(min);
	}
	if (!err)
		remove_old(dir);
	close(dir);
	return err;
}

void ct_btf_cache_loaded(struct bpf_object *obj, bool loaded)
{
	char path[PATH_MAX + NAME_MAX + 2];
	int err;

	snprintf(path, sizeof(path), "%s/%s", cache.dir, cache.file);
	if (cache.fd >= 0) {
		close(cache.fd);
		cache.fd = -1;
		/* A file libbpf cannot use would fail every run. */
		if (!loaded && !unlink(path))
			ct_warn("removed the cached kernel types %s: run again",
				path);
		return;
	}
	if (!loaded || !cache.file[0] || needs_kernel_btf(obj))
		return;
	err = write_file(obj);
	if (err)
		ct_verbose("kernel types: cannot write %s: %s", path,
			   strerror(-err));
	else
		ct_verbose("kernel types: wrote %s for the next runs", path);
}
