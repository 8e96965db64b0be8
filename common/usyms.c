// SPDX-License-Identifier: GPL-2.0
/* User-space symbols of traced processes. See usyms.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <zlib.h>

#include "elf_symbols.h"
#include "symtab.h"
#include "usyms.h"

/*
 * A mapped file, shared by the processes that map it. Its symbols are read
 * at its first lookup, not when a process that maps it is snapshotted:
 * reading a large file (or its debug file) there would leave the next
 * processes' notices waiting, and a short-lived process would exit before
 * its mappings were read. Until then the file and the root of the process
 * that mapped it are held open.
 */
struct dso {
	unsigned int major, minor;
	unsigned long inode;	/* 0 for the vdso */
	struct ct_elf_info info;
	struct ct_symtab syms;
	bool elf;		/* read as ELF */
	int fd, root_fd;	/* not read yet: the file, its root; else -1 */
	char *path;		/* as mapped, until read */
	struct dso *next;
};

/* Files held open to be read later, at most: then read at once. */
#define MAX_UNREAD 128

struct map {
	unsigned long start, end, pgoff;
	struct dso *dso;	/* NULL: anonymous or unreadable */
	char *path;
};

struct proc {
	int pid;
	unsigned long long id;
	struct map *maps;
	size_t n_maps;
	FILE *perf_map;		/* read at the first lookup in it */
	char *perf_map_name;
	struct ct_symtab jit;
	unsigned long long start;	/* ticks after boot, 0: unknown */
	bool refreshed;
	bool late_tried;	/* the perf map, at the first lookup in it */
	struct map *old_maps;	/* before the refresh: frames point in */
	size_t n_old;
	struct proc *next;
};

#define PROC_BUCKETS 1024

struct ct_usyms {
	struct proc *procs[PROC_BUCKETS];
	struct dso *dsos;
	struct dso *vdso;
	int unread;		/* dsos not read yet */
};

struct ct_usyms *ct_usyms_new(void)
{
	return calloc(1, sizeof(struct ct_usyms));
}

static void drop_maps(struct proc *p);
static void close_unread(struct ct_usyms *u, struct dso *d);

static void free_proc(struct proc *p)
{
	drop_maps(p);
	if (p->perf_map)
		fclose(p->perf_map);
	free(p->perf_map_name);
	ct_symtab_free(&p->jit);
	free(p);
}

void ct_usyms_free(struct ct_usyms *u)
{
	if (!u)
		return;
	for (int b = 0; b < PROC_BUCKETS; b++) {
		while (u->procs[b]) {
			struct proc *p = u->procs[b];

			u->procs[b] = p->next;
			free_proc(p);
		}
	}
	while (u->dsos) {
		struct dso *d = u->dsos;

		u->dsos = d->next;
		close_unread(u, d);
		ct_symtab_free(&d->syms);
		free(d);
	}
	if (u->vdso)
		ct_symtab_free(&u->vdso->syms);
	free(u->vdso);
	free(u);
}

static bool next_field(char **p, char **field)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return false;
	*field = *p;
	*p += strcspn(*p, " ");
	if (**p)
		*(*p)++ = '\0';
	return true;
}

static bool parse_ulong(const char *s, int base, char **end,
			unsigned long *v)
{
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoul(s, end, base);
	return !errno;
}

/* "7f00-7f10 r-xp 00001000 08:01 1234    /usr/lib/x.so" */
int ct_maps_parse_line(char *line, struct ct_maps_line *m)
{
	char *p = line, *range, *perms, *off, *dev, *ino, *end;
	unsigned long major, minor;

	if (!next_field(&p, &range) || !next_field(&p, &perms) ||
	    !next_field(&p, &off) || !next_field(&p, &dev) ||
	    !next_field(&p, &ino))
		return -EINVAL;
	if (!parse_ulong(range, 16, &end, &m->start) || *end != '-' ||
	    !parse_ulong(end + 1, 16, &end, &m->end) || *end ||
	    m->end < m->start || strlen(perms) != 4 ||
	    !parse_ulong(off, 16, &end, &m->pgoff) || *end ||
	    !parse_ulong(dev, 16, &end, &major) || *end != ':' ||
	    !parse_ulong(end + 1, 16, &end, &minor) || *end ||
	    !parse_ulong(ino, 10, &end, &m->inode) || *end)
		return -EINVAL;
	m->major = major;
	m->minor = minor;
	m->exec = perms[2] == 'x';
	while (*p == ' ')
		p++;
	m->path = p;
	return 0;
}

int ct_usyms_nspid(int pid)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	int nspid = pid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return pid;
	while (getline(&line, &cap, f) > 0) {
		char *last;

		if (strncmp(line, "NSpid:", 6))
			continue;
		last = strrchr(line, '\t');
		if (last && isdigit((unsigned char)last[1]))
			nspid = atoi(last + 1);
		break;
	}
	free(line);
	fclose(f);
	return nspid;
}

/* The CRC-32 of the file on fd, as .gnu_debuglink records it. */
static bool crc_matches(int fd, unsigned int want)
{
	unsigned char buf[65536];
	uLong crc = crc32(0, Z_NULL, 0);
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, n);
	return n == 0 && crc == want;
}

/* Take functions from the debug file at path, if it has them. */
static bool try_debug_file(struct dso *d, const char *path, bool check_crc)
{
	struct ct_elf_info info;
	struct ct_symtab syms = { 0 };
	int fd = ct_open_regular(path);
	bool ok;

	if (fd < 0)
		return false;
	ok = !check_crc || crc_matches(fd, d->info.debuglink_crc);
	ok = ok && !ct_elf_read_fd(fd, &info, &syms) && info.has_symtab &&
	     syms.n;
	close(fd);
	if (!ok) {
		ct_symtab_free(&syms);
		return false;
	}
	ct_symtab_free(&d->syms);
	d->syms = syms;
	return true;
}

static bool try_build_id(struct dso *d, const char *root)
{
	char path[PATH_MAX], hex[2 * CT_ELF_BUILD_ID_MAX + 1];

	if (d->info.build_id_len < 2)
		return false;
	for (size_t i = 0; i < d->info.build_id_len; i++)
		sprintf(hex + 2 * i, "%02x", d->info.build_id[i]);
	snprintf(path, sizeof(path), "%s/usr/lib/debug/.build-id/%.2s/%s.debug",
		 root, hex, hex + 2);
	return try_debug_file(d, path, false);
}

/* GDB's places: the file's directory, its .debug/, /usr/lib/debug/DIR. */
static bool try_debuglink(struct dso *d, const char *root, const char *file)
{
	const char *slash = strrchr(file, '/');
	int dir_len = slash ? (int)(slash - file) : 0;
	const char *fmts[] = { "%s%.*s/%s", "%s%.*s/.debug/%s",
			       "%s/usr/lib/debug%.*s/%s" };
	char path[PATH_MAX];

	if (!d->info.debuglink[0])
		return false;
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		snprintf(path, sizeof(path), fmts[i], root, dir_len, file,
			 d->info.debuglink);
		if (try_debug_file(d, path, true))
			return true;
	}
	return false;
}

/* The file behind mapping m of pid, opened as the process sees it. */
static int open_mapped(int pid, const struct ct_maps_line *m,
		       const char *path)
{
	char buf[PATH_MAX];
	int fd;

	snprintf(buf, sizeof(buf), "/proc/%d/map_files/%lx-%lx", pid,
		 m->start, m->end);
	fd = ct_open_regular(buf);
	if (fd >= 0)
		return fd;
	snprintf(buf, sizeof(buf), "/proc/%d/root%s", pid, path);
	return ct_open_regular(buf);
}

static void close_unread(struct ct_usyms *u, struct dso *d)
{
	if (d->fd < 0)
		return;
	close(d->fd);
	if (d->root_fd >= 0)
		close(d->root_fd);
	d->fd = d->root_fd = -1;
	free(d->path);
	d->path = NULL;
	u->unread--;
}

/*
 * A stripped file's functions: its debug file (all of them), else its
 * MiniDebugInfo's added to those of its .dynsym.
 */
static void load_stripped(struct dso *d, const char *root)
{
	if (try_build_id(d, root) ||
	    (d->path && try_debuglink(d, root, d->path)))
		return;
	if (d->info.has_minidebug)
		ct_elf_read_minidebug_fd(d->fd, &d->syms);
}

/* Read a held file's functions, from its debug file if it is stripped. */
static void read_dso(struct ct_usyms *u, struct dso *d)
{
	char root[64] = "";

	if (d->fd < 0)
		return;
	d->elf = !ct_elf_read_fd(d->fd, &d->info, &d->syms);
	/* The process's root, held open: it may have exited since. */
	if (d->root_fd >= 0)
		snprintf(root, sizeof(root), "/proc/self/fd/%d", d->root_fd);
	if (d->elf && !d->info.has_symtab)
		load_stripped(d, root);
	close_unread(u, d);
}

/* Hold the file of mapping m, and pid's root, open to read them later. */
static void hold_dso(struct ct_usyms *u, struct dso *d, int pid,
		     const struct ct_maps_line *m, const char *path)
{
	char root[64];

	d->fd = open_mapped(pid, m, path);
	if (d->fd < 0)
		return;
	snprintf(root, sizeof(root), "/proc/%d/root", pid);
	d->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	d->path = strdup(path);
	u->unread++;
	if (u->unread > MAX_UNREAD)
		read_dso(u, d);
}

static struct dso *get_dso(struct ct_usyms *u, int pid,
			   const struct ct_maps_line *m, const char *path)
{
	struct dso *d;

	for (d = u->dsos; d; d = d->next)
		if (d->inode == m->inode && d->major == m->major &&
		    d->minor == m->minor)
			return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->major = m->major;
	d->minor = m->minor;
	d->inode = m->inode;
	d->fd = d->root_fd = -1;
	hold_dso(u, d, pid, m, path);
	d->next = u->dsos;
	u->dsos = d;
	return d;
}

/* The tracer's own vdso: the kernel gives every process the same. */
static struct dso *get_vdso(struct ct_usyms *u)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	struct ct_maps_line m;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (u->vdso || !base)
		return u->vdso;
	u->vdso = calloc(1, sizeof(*u->vdso));
	if (!u->vdso)
		return NULL;
	u->vdso->fd = u->vdso->root_fd = -1;	/* read here */
	f = fopen("/proc/self/maps", "re");
	if (!f)
		goto out;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (ct_maps_parse_line(line, &m) || m.start != base)
			continue;
		u->vdso->elf = !ct_elf_read_mem((void *)base, m.end - m.start,
						&u->vdso->info,
						&u->vdso->syms);
		break;
	}
out:
	free(line);
	if (f)
		fclose(f);
	return u->vdso;
}

/* " (deleted)" ends the name of a file removed since it was mapped. */
static char *map_path(const char *path)
{
	size_t len = strlen(path);
	const char *del = " (deleted)";

	if (len > strlen(del) && !strcmp(path + len - strlen(del), del))
		len -= strlen(del);
	return strndup(path, len);
}

static int add_map(struct ct_usyms *u, struct proc *p,
		   const struct ct_maps_line *m)
{
	struct map *maps, *map;

	maps = realloc(p->maps, (p->n_maps + 1) * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	p->maps = maps;
	map = &maps[p->n_maps];
	*map = (struct map){ m->start, m->end, m->pgoff, NULL, NULL };
	if (m->path[0] == '/') {
		map->path = map_path(m->path);
		if (!map->path)
			return -ENOMEM;
		map->dso = get_dso(u, p->pid, m, map->path);
	} else if (!strcmp(m->path, "[vdso]")) {
		map->path = strdup(m->path);
		map->dso = get_vdso(u);
	}
	p->n_maps++;
	return 0;
}

static void open_perf_map(struct proc *p)
{
	char path[96], name[64];

	snprintf(name, sizeof(name), "/tmp/perf-%d.map",
		 ct_usyms_nspid(p->pid));
	snprintf(path, sizeof(path), "/proc/%d/root%s", p->pid, name);
	p->perf_map = ct_fopen_regular(path);
	if (p->perf_map && !p->perf_map_name)
		p->perf_map_name = strdup(name);
}

/* When pid started (/proc/PID/stat's 22nd field), to tell its lives apart. */
static unsigned long long start_time(int pid)
{
	unsigned long long start = 0;
	char path[64], buf[1024], *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The name may hold anything, ')' too: the fields follow the last. */
	p = strrchr(buf, ')');
	if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			"%*u %*u %*d %*d %*d %*d %*d %*d %llu", &start) != 1)
		start = 0;
	return start;
}

static void free_maps(struct map *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(maps[i].path);
	free(maps);
}

static void drop_maps(struct proc *p)
{
	free_maps(p->maps, p->n_maps);
	free_maps(p->old_maps, p->n_old);
	p->maps = p->old_maps = NULL;
	p->n_maps = p->n_old = 0;
}

static int read_maps(struct ct_usyms *u, struct proc *p)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", p->pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!err && getline(&line, &cap, f) > 0) {
		struct ct_maps_line m;

		line[strcspn(line, "\n")] = '\0';
		if (!ct_maps_parse_line(line, &m) && m.exec)
			err = add_map(u, p, &m);
	}
	free(line);
	fclose(f);
	return err;
}

static struct proc *find_proc(struct ct_usyms *u, int pid,
			      unsigned long long id)
{
	struct proc *p = u->procs[(unsigned int)pid % PROC_BUCKETS];

	while (p && (p->pid != pid || p->id != id))
		p = p->next;
	return p;
}

int ct_usyms_snapshot(struct ct_usyms *u, int pid, unsigned long long id)
{
	struct proc *p;
	int err;

	p = find_proc(u, pid, id);
	if (p) {
		if (!p->perf_map && !p->jit.n)
			open_perf_map(p);
		return 0;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->pid = pid;
	p->id = id;
	p->start = start_time(pid);
	err = read_maps(u, p);
	/* None: a zombie's, or an exec's before it maps the program. */
	if (!err && !p->n_maps)
		err = -ESRCH;
	if (err) {
		free_proc(p);
		return err;
	}
	open_perf_map(p);
	p->next = u->procs[(unsigned int)pid % PROC_BUCKETS];
	u->procs[(unsigned int)pid % PROC_BUCKETS] = p;
	return 0;
}

static int find_jit(struct proc *p, unsigned long addr, struct ct_usym *sym)
{
	/* Written after the snapshot: still there if the process runs. */
	if (!p->perf_map && !p->jit.n && !p->late_tried) {
		p->late_tried = true;
		open_perf_map(p);
	}
	if (p->perf_map) {
		/* Read late: a JIT adds to its map as it compiles. */
		rewind(p->perf_map);
		ct_perf_map_read(p->perf_map, &p->jit);
		fclose(p->perf_map);
		p->perf_map = NULL;
	}
	sym->name = ct_symtab_find(&p->jit, addr, &sym->offset);
	if (!sym->name)
		return -ENOENT;
	sym->dso = p->perf_map_name;
	sym->jit = true;
	return 0;
}

static void find_in_dso(const struct map *m, unsigned long addr,
			struct ct_usym *sym)
{
	unsigned long vaddr;

	sym->dso = m->path;
	sym->dso_offset = addr - m->start + m->pgoff;
	if (!m->dso || !m->dso->elf ||
	    ct_elf_offset_to_vaddr(&m->dso->info, sym->dso_offset, &vaddr))
		return;
	sym->name = ct_symtab_find(&m->dso->syms, vaddr, &sym->offset);
}

static const struct map *in_maps(const struct map *maps, size_t n,
				 unsigned long addr)
{
	for (size_t i = 0; i < n; i++)
		if (addr >= maps[i].start && addr < maps[i].end)
			return &maps[i];
	return NULL;
}

/*
 * The mapping of addr: in those read last, else in those read first (the
 * second read may find a zombie's, which has none).
 */
static const struct map *find_map(const struct proc *p, unsigned long addr)
{
	const struct map *m = in_maps(p->maps, p->n_maps, addr);

	return m ? m : in_maps(p->old_maps, p->n_old, addr);
}

/*
 * An address in no mapping read: the process may have mapped more since
 * (dlopen). Read its mappings again, once, if it is the same process.
 */
static void refresh(struct ct_usyms *u, struct proc *p)
{
	if (p->refreshed || !p->start || start_time(p->pid) != p->start)
		return;
	p->refreshed = true;
	/* Names already handed out point into them: kept until the end. */
	p->old_maps = p->maps;
	p->n_old = p->n_maps;
	p->maps = NULL;
	p->n_maps = 0;
	read_maps(u, p);
}

int ct_usyms_find(struct ct_usyms *u, int pid, unsigned long long id,
		  unsigned long addr, struct ct_usym *sym)
{
	struct proc *p = find_proc(u, pid, id);
	const struct map *m;

	memset(sym, 0, sizeof(*sym));
	if (!p && (ct_usyms_snapshot(u, pid, id) ||
		   !(p = find_proc(u, pid, id))))
		return -ENOENT;
	m = find_map(p, addr);
	if (!m) {
		refresh(u, p);
		m = find_map(p, addr);
	}
	if (m && m->path) {
		if (m->dso)
			read_dso(u, m->dso);
		find_in_dso(m, addr, sym);
		return 0;
	}
	return find_jit(p, addr, sym);
}
