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

#include "btf_attach.h"
#include "btf_cache.h"
#include "kernel_btf.h"
#include "min_btf.h"
#include "path_flags.h"
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

/* A word at a time: every start digests the whole object (~400 KB). */
static __u64 digest_bytes(const unsigned char *p, size_t n)
{
	__u64 h = 0xcbf29ce484222325ULL, w;

	for (; n >= sizeof(w); p += sizeof(w), n -= sizeof(w)) {
		memcpy(&w, p, sizeof(w));
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
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

/*
 * Beside the types, a file holds numbers, as the values of enums whose
 * enumerators are named as the numbers: the kernel's ids of the types the
 * tool asked for by name (kernel_btf.h: what its tp_btf, fentry and fexit
 * programs attach to, and feature probes), an enum per BTF kind, 0 for
 * none; and the facts the tool learned from the kernel's BTF in user
 * space. No relocation looks at these enums: no object has types of their
 * names.
 */
#define IDS_ENUM "ct_kernel_ids_%d"
#define MAX_KIND 31		/* BTF kinds have 5 bits */
#define FACTS_ENUM "ct_tool_facts"
#define MAX_VALUES 64

struct named_value {
	char name[128];
	int value;
};

struct values {
	struct named_value v[MAX_VALUES];
	int n;
};

/*
 * The facts read from the file at open, or learned for the one written;
 * the first facts_read of them came from the file.
 */
static struct values facts;
static int facts_read;

static void add_value(struct values *vs, const char *name, int value)
{
	for (int i = 0; i < vs->n; i++) {
		if (!strcmp(vs->v[i].name, name)) {
			vs->v[i].value = value;
			return;
		}
	}
	if (vs->n == MAX_VALUES || strlen(name) >= sizeof(vs->v[0].name))
		return;
	strcpy(vs->v[vs->n].name, name);
	vs->v[vs->n++].value = value;
}

/* The enumerators of enum t in btf, added to vs. */
static void read_values(const struct btf *btf, const struct btf_type *t,
			struct values *vs)
{
	const struct btf_enum *e = btf_enum(t);

	for (int j = 0; j < btf_vlen(t); j++, e++)
		add_value(vs, btf__name_by_offset(btf, e->name_off), e->val);
}

/* The BTF kind whose ids enum name holds, or 0 if it holds none. */
static int ids_kind(const char *name)
{
	int kind, end = 0;

	if (sscanf(name, IDS_ENUM "%n", &kind, &end) != 1 || name[end] ||
	    kind < 1 || kind > MAX_KIND)
		return 0;
	return kind;
}

/* One walk over the types: the numbers are in the last few. */
static void read_numbers(const struct btf *btf)
{
	__u32 n = btf__type_cnt(btf);
	struct values ids;
	const char *name;

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		int kind;

		if (!btf_is_enum(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || strncmp(name, "ct_", 3))
			continue;
		if (!strcmp(name, FACTS_ENUM)) {
			read_values(btf, t, &facts);
			continue;
		}
		kind = ids_kind(name);
		if (!kind)
			continue;
		ids.n = 0;
		read_values(btf, t, &ids);
		for (int j = 0; j < ids.n; j++)
			ct_kernel_btf_remember(ids.v[j].name, kind,
					       ids.v[j].value);
	}
}

bool ct_btf_cache_fact(const char *name, int *value)
{
	if (cache.fd < 0)
		return false;
	for (int i = 0; i < facts.n; i++) {
		if (!strcmp(facts.v[i].name, name)) {
			*value = facts.v[i].value;
			return true;
		}
	}
	return false;
}

void ct_btf_cache_each_fact(void (*fn)(const char *name, int value))
{
	if (cache.fd < 0)
		return;
	for (int i = 0; i < facts.n; i++)
		fn(facts.v[i].name, facts.v[i].value);
}

/*
 * Also with a file read: one that does not fit is written anew
 * (ct_btf_cache_reload()), with what this run learned.
 */
void ct_btf_cache_learn(const char *name, int value)
{
	add_value(&facts, name, value);
}

/* Far above any tool's types (~80 KB): not read whole into memory. */
#define MAX_FILE (16 << 20)

/* The file through its fd, parsed (and checked) by libbpf, or NULL. */
static struct btf *parse_file(int fd)
{
	struct btf *btf = NULL;
	struct stat st;
	void *data;

	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > MAX_FILE)
		return NULL;
	data = malloc(st.st_size);
	if (data && pread(fd, data, st.st_size, 0) == st.st_size)
		btf = btf__new(data, st.st_size);
	free(data);
	return btf;
}

/*
 * Read once through the open file. A damaged file is written anew rather
 * than failing the load.
 */
static bool read_file(int fd)
{
	struct btf *btf = parse_file(fd);

	if (!btf)
		return false;
	read_numbers(btf);
	facts_read = facts.n;
	btf__free(btf);
	return true;
}

const struct bpf_object_open_opts *
ct_btf_cache_open_opts(const void *(*elf_bytes)(size_t *size))
{
	const void *elf;
	size_t size;

	ct_btf_attach_init();
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
	if (!read_file(cache.fd)) {
		ct_verbose("kernel types: ignoring %s/%s: not BTF", cache.dir,
			   cache.file);
		close(cache.fd);
		cache.fd = -1;
		return &cache.opts;
	}
	cache.opts.btf_custom_path = cache.fd_path;
	/* Its time is its last use: prune() keeps the recently used. */
	futimens(cache.fd, NULL);
	ct_verbose("kernel types: %s/%s", cache.dir, cache.file);
	return &cache.opts;
}

/* The settings a tool may give a map before load, from one to the other. */
static int copy_map(struct bpf_map *to, struct bpf_map *from)
{
	const void *data;
	size_t size;
	int err = 0;

	if (bpf_map__type(to) != bpf_map__type(from))
		err = bpf_map__set_type(to, bpf_map__type(from));
	if (!err && bpf_map__key_size(to) != bpf_map__key_size(from))
		err = bpf_map__set_key_size(to, bpf_map__key_size(from));
	if (!err && bpf_map__value_size(to) != bpf_map__value_size(from))
		err = bpf_map__set_value_size(to, bpf_map__value_size(from));
	if (!err && bpf_map__max_entries(to) != bpf_map__max_entries(from))
		err = bpf_map__set_max_entries(to,
					       bpf_map__max_entries(from));
	if (!err && bpf_map__map_flags(to) != bpf_map__map_flags(from))
		err = bpf_map__set_map_flags(to, bpf_map__map_flags(from));
	if (!err && bpf_map__autocreate(to) != bpf_map__autocreate(from))
		err = bpf_map__set_autocreate(to, bpf_map__autocreate(from));
	/* .rodata, .data, .bss; .kconfig is libbpf's, filled at load. */
	data = bpf_map__initial_value(from, &size);
	if (!err && data && strcmp(bpf_map__name(from), ".kconfig"))
		err = bpf_map__set_initial_value(to, data, size);
	return err;
}

static int copy_prog(struct bpf_program *to, struct bpf_program *from)
{
	int err = bpf_program__set_autoload(to, bpf_program__autoload(from));

	if (!err && bpf_program__type(to) != bpf_program__type(from))
		err = bpf_program__set_type(to, bpf_program__type(from));
	if (!err && bpf_program__expected_attach_type(to) !=
		    bpf_program__expected_attach_type(from))
		err = bpf_program__set_expected_attach_type(to,
			bpf_program__expected_attach_type(from));
	if (!err)
		err = bpf_program__set_log_level(to,
						 bpf_program__log_level(from));
	return err;
}

/* Both objects come from the same ELF: their maps and programs pair up. */
static int copy_settings(struct bpf_object *to, struct bpf_object *from)
{
	struct bpf_map *m = NULL, *fm = NULL;
	struct bpf_program *p = NULL, *fp = NULL;
	int err = 0;

	while (!err && (m = bpf_object__next_map(to, m)) &&
	       (fm = bpf_object__next_map(from, fm)))
		err = copy_map(m, fm);
	while (!err && (p = bpf_object__next_program(to, p)) &&
	       (fp = bpf_object__next_program(from, fp)))
		err = copy_prog(p, fp);
	return err;
}

int ct_btf_cache_reload(struct bpf_object_skeleton *s)
{
	struct bpf_object *old = *s->obj;
	int err;

	if (cache.fd >= 0) {
		ct_verbose("kernel types: %s/%s does not fit this program: "
			   "reading the kernel's", cache.dir, cache.file);
		close(cache.fd);
	}
	cache.fd = -1;
	cache.opts.btf_custom_path = NULL;
	ct_kernel_btf_forget();
	err = bpf_object__open_skeleton(s, &cache.opts);
	if (*s->obj == old)
		return err ? err : -EINVAL;
	if (!err)
		err = copy_settings(*s->obj, old);
	if (!err)
		err = ct_path_typed_clear(*s->obj);
	bpf_object__close(old);
	if (!err)
		err = bpf_object__load_skeleton(s);
	return err;
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

		if (bpf_program__autoload(prog) && !ct_btf_attach_ours(prog) &&
		    (type == BPF_PROG_TYPE_TRACING ||
		     type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_EXT))
			return true;
	}
	return false;
}

/*
 * Each build of a tool (say /usr/sbin's and /usr/local/sbin's) has its own
 * file, by its object's digest: removing the others' would make every run
 * of each build a first run. The directory is bounded instead: this tool's
 * files of other kernels go, and of this kernel's, only the KEEP most
 * recently used stay.
 */
#define KEEP 4

/* One of this tool's files ("<tool>-<object>-<kernel>.btf"), not ours? */
static bool other_file(const char *name, bool *same_kernel)
{
	size_t len = strlen(cache.file);
	size_t prefix = strlen(ct_tool_name()) + 1;
	size_t kernel = len - strlen("0123456789abcdef.btf");

	if (strlen(name) != len || strncmp(name, cache.file, prefix) ||
	    strcmp(name + len - 4, ".btf") || !strcmp(name, cache.file))
		return false;
	*same_kernel = !strcmp(name + kernel, cache.file + kernel);
	return true;
}

/* How many other files of this kernel there are; the oldest in oldest. */
static int scan(int dir, char *oldest, size_t size)
{
	DIR *d = fdopendir(dup(dir));
	struct timespec old = { 0 };
	struct dirent *e;
	struct stat st;
	bool same;
	int n = 0;

	if (!d)
		return 0;
	/* The dup shares dir's offset: at the end after a first scan. */
	rewinddir(d);
	while ((e = readdir(d))) {
		if (!other_file(e->d_name, &same))
			continue;
		if (!same) {
			unlinkat(dir, e->d_name, 0);
			continue;
		}
		if (fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!n++ || st.st_mtim.tv_sec < old.tv_sec ||
		    (st.st_mtim.tv_sec == old.tv_sec &&
		     st.st_mtim.tv_nsec < old.tv_nsec)) {
			old = st.st_mtim;
			snprintf(oldest, size, "%s", e->d_name);
		}
	}
	closedir(d);
	return n;
}

static void prune(int dir)
{
	char oldest[NAME_MAX + 1];

	while (scan(dir, oldest, sizeof(oldest)) >= KEEP)
		if (unlinkat(dir, oldest, 0))
			break;
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

static int add_enum(struct btf *out, const char *name,
		    const struct values *vs)
{
	int err;

	if (!vs->n)
		return 0;
	err = btf__add_enum(out, name, sizeof(__u32));
	for (int i = 0; i < vs->n && err >= 0; i++)
		err = btf__add_enum_value(out, vs->v[i].name, vs->v[i].value);
	return err < 0 ? err : 0;
}

struct kernel_ids {
	const struct btf *kernel;
	int kind;
	struct values ids;
};

static void add_kernel_id(const char *name, int kind, void *ctx)
{
	struct kernel_ids *k = ctx;
	int id;

	if (kind != k->kind)
		return;
	id = btf__find_by_name_kind(k->kernel, name, kind);
	add_value(&k->ids, name, id > 0 ? id : 0);
}

/*
 * The kernel's ids of every name asked for this run (kernel_btf.h), and
 * the facts learned.
 */
static int add_numbers(struct btf *out, const struct btf *kernel)
{
	struct kernel_ids k = { .kernel = kernel };
	char name[32];
	int err = 0;

	for (k.kind = 1; k.kind <= MAX_KIND && !err; k.kind++) {
		snprintf(name, sizeof(name), IDS_ENUM, k.kind);
		k.ids.n = 0;
		ct_kernel_btf_each(add_kernel_id, &k);
		err = add_enum(out, name, &k.ids);
	}
	return err ? err : add_enum(out, FACTS_ENUM, &facts);
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
	if (min)
		err = add_numbers(min, kernel);
	btf__free(kernel);
	if (!err)
		err = write_raw(dir, min);
	btf__free(min);
	if (!err)
		prune(dir);
	close(dir);
	return err;
}

/* The kernel's ids of one kind found by a pass this run, not in the file. */
struct found_ids {
	int kind;
	struct values ids;
};

static void add_found_id(const char *name, int kind, void *ctx)
{
	struct found_ids *f = ctx;
	int id;

	if (kind == f->kind && ct_kernel_btf_found(name, kind, &id))
		add_value(&f->ids, name, id);
}

/* One more enum of ids per kind that has new ones. */
static int add_found_ids(struct btf *btf)
{
	struct found_ids f;
	char name[32];
	int err = 0;

	for (f.kind = 1; f.kind <= MAX_KIND && !err; f.kind++) {
		snprintf(name, sizeof(name), IDS_ENUM, f.kind);
		f.ids.n = 0;
		ct_kernel_btf_each(add_found_id, &f);
		err = add_enum(btf, name, &f.ids);
	}
	return err;
}

static void count_found_id(const char *name, int kind, void *ctx)
{
	int id;

	if (ct_kernel_btf_found(name, kind, &id))
		(*(int *)ctx)++;
}

/* Did this run learn what the file read lacks: facts, or kernel ids? */
static bool learned_more(void)
{
	int found = 0;

	ct_kernel_btf_each(count_found_id, &found);
	return found || facts.n > facts_read;
}

/*
 * The file read at open, with what this run learned that it lacked (a
 * probe its first run never needed, the kernel's id of a name it never
 * asked) as one more enum of facts, and of ids: read_numbers() reads
 * them all, so later runs probe nothing and pass over no BTF twice.
 */
static int add_learned(void)
{
	struct values learned = { .n = 0 };
	struct btf *btf = parse_file(cache.fd);
	int dir, err;

	if (!btf)
		return -EINVAL;
	for (int i = facts_read; i < facts.n; i++)
		add_value(&learned, facts.v[i].name, facts.v[i].value);
	err = add_enum(btf, FACTS_ENUM, &learned);
	if (!err)
		err = add_found_ids(btf);
	dir = open(cache.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0 && !err)
		err = -errno;
	if (!err)
		err = write_raw(dir, btf);
	if (dir >= 0)
		close(dir);
	btf__free(btf);
	return err;
}

void ct_btf_cache_loaded(struct bpf_object *obj, bool loaded)
{
	char path[PATH_MAX + NAME_MAX + 2];
	int err;

	snprintf(path, sizeof(path), "%s/%s", cache.dir, cache.file);
	if (cache.fd >= 0) {
		bool more = loaded && learned_more();

		err = more ? add_learned() : 0;
		if (err)
			ct_verbose("kernel types: cannot add facts to %s: %s",
				   path, strerror(-err));
		else if (more)
			ct_verbose("kernel types: this run's new facts kept in %s",
				   path);
		close(cache.fd);
		cache.fd = -1;
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
