// SPDX-License-Identifier: GPL-2.0
/* Loading and attaching a tool's BPF object, with the common globals set. */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf_cache.h"
#include "detach.h"
#include "events.h"
#include "feature_probe.h"
#include "path_flags.h"
#include "tool.h"

/*
 * A pointer to global variable name in section sec (".rodata", ".bss"):
 * in the object's image before load, in the map's pages after; or NULL.
 */
static void *global_var(struct bpf_object *obj, const char *sec_name,
			const char *name, size_t size)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, sec_name);
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t map_size;
	char *data;
	int id, i;

	if (!map || !btf)
		return NULL;
	id = btf__find_by_name_kind(btf, sec_name, BTF_KIND_DATASEC);
	if (id < 0)
		return NULL;
	/* .rodata: writable until load, whatever the prototype says. */
	data = (char *)(uintptr_t)bpf_map__initial_value(map, &map_size);
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *var = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		if (vs->size != size || vs->offset + size > map_size)
			return NULL;
		return data + vs->offset;
	}
	return NULL;
}

void *ct_rodata_var(struct bpf_object *obj, const char *name, size_t size)
{
	return global_var(obj, ".rodata", name, size);
}

volatile __u32 *ct_reader_state(struct bpf_object *obj)
{
	return global_var(obj, ".bss", "ct_reader", sizeof(__u32));
}

volatile __u32 *ct_stop_flag(struct bpf_object *obj)
{
	return global_var(obj, ".bss", "ct_stopped", sizeof(__u32));
}

static bool filter_set(const struct ct_filter *f)
{
	return f->tgid || f->tid || f->uid != CT_ANY_UID || f->cgroup;
}

bool ct_filter_asked(void)
{
	return filter_set(&ct_env.filter) || ct_env.cgroup_fd >= 0;
}

/* The id BPF sees for the cgroup v2 directory open as fd (its handle). */
static int cgroup_id(int fd, __u64 *id)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} h = { .fh.handle_bytes = sizeof(__u64) };
	int mount_id;

	if (name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) ||
	    h.fh.handle_bytes != sizeof(__u64))
		return -1;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

/* For ct_task_struct_wanted(), which cannot use ct_cgroup. */
static int set_cgroup_id(struct bpf_object *obj)
{
	__u64 *id = ct_rodata_var(obj, "ct_cgroup_id", sizeof(*id));

	if (!id || ct_env.cgroup_fd < 0)
		return 0;
	if (!cgroup_id(ct_env.cgroup_fd, id))
		return 0;
	ct_warn("cannot find the cgroup's id: %s", strerror(errno));
	return CT_EXIT_ERROR;
}

static int set_filter(struct bpf_object *obj)
{
	struct ct_filter *f = ct_rodata_var(obj, "ct_filter", sizeof(*f));

	ct_env.filter.cgroup = ct_env.cgroup_fd >= 0;
	if (f) {
		*f = ct_env.filter;
		return set_cgroup_id(obj);
	}
	if (!filter_set(&ct_env.filter))
		return 0;
	ct_warn("internal error: this tool's BPF object has no task filter");
	return CT_EXIT_ERROR;
}

/*
 * The BPF side wakes a napping reader once this much waits in the ring: a
 * share of the ring's real size (-b), which a small ring can reach, and
 * which a reader that naps as events.h says leaves to wait only when the
 * rate grows faster than its naps shrink. Each CPU looks at the backlog
 * after sending its share of that (events.bpf.h): of the CPUs online, the
 * only ones that send.
 */
static int set_wakeup_bytes(struct bpf_object *obj, struct bpf_map *events)
{
	__u64 *bytes = ct_rodata_var(obj, "ct_wakeup_bytes", sizeof(*bytes));
	__u64 *nap = ct_rodata_var(obj, "ct_nap_bytes", sizeof(*nap));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!bytes || !nap) {
		ct_warn("internal error: no ct_wakeup_bytes");
		return CT_EXIT_ERROR;
	}
	*bytes = bpf_map__max_entries(events) / CT_WAKEUP_PART;
	*nap = *bytes / (cpus > 0 ? cpus : 1);
	return 0;
}

/* Kernels before 5.8 have no BPF ring buffer: send through a perf buffer. */
static int set_buffer_kind(struct bpf_object *obj)
{
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	bool *perfbuf = ct_rodata_var(obj, "ct_use_perfbuf", sizeof(bool));

	if (!events || !perfbuf)
		return 0;
	/* CT_FORCE_PERFBUF lets the tests run the fallback on new kernels. */
	if (ct_has_ringbuf() && !getenv("CT_FORCE_PERFBUF")) {
		ct_attach_method("events", "BPF ring buffer");
		return set_wakeup_bytes(obj, events);
	}
	ct_attach_method("events", "perf buffer (no BPF ring buffer here)");
	*perfbuf = true;
	if (bpf_map__set_type(events, BPF_MAP_TYPE_PERF_EVENT_ARRAY) ||
	    bpf_map__set_key_size(events, sizeof(int)) ||
	    bpf_map__set_value_size(events, sizeof(int)) ||
	    bpf_map__set_max_entries(events, 0)) {
		ct_warn("cannot set up a perf buffer");
		return CT_EXIT_ERROR;
	}
	return 0;
}

static size_t perfbuf_pages = 64;

size_t ct_perfbuf_pages(void)
{
	return perfbuf_pages;
}

int ct_set_buffer_bytes(struct bpf_object *obj, size_t bytes)
{
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	size_t page = 4096, size = page;

	if (!events)
		return -ENOENT;
	while (size < bytes && size < (1UL << 30))
		size <<= 1;
	perfbuf_pages = size / page;
	return bpf_map__set_max_entries(events, size);
}

/* "tracepoint/syscalls/sys_enter_open" -> "syscalls", "sys_enter_open" */
static bool tracepoint_of(const struct bpf_program *prog, char *cat,
			  char *event, size_t size)
{
	const char *sec = bpf_program__section_name(prog);
	const char *rest;
	const char *slash;

	if (!strncmp(sec, "tracepoint/", 11))
		rest = sec + 11;
	else if (!strncmp(sec, "tp/", 3))
		rest = sec + 3;
	else
		return false;
	slash = strchr(rest, '/');
	if (!slash || (size_t)(slash - rest) >= size)
		return false;
	snprintf(cat, size, "%.*s", (int)(slash - rest), rest);
	snprintf(event, size, "%s", slash + 1);
	return true;
}

bool ct_tracepoint_here(const char *category, const char *event)
{
	if (ct_has_tracepoint(category, event))
		return true;
	ct_verbose("no tracepoint %s:%s on this kernel, skipping it",
		   category, event);
	return false;
}

bool ct_optional_tracepoint(struct bpf_program *prog)
{
	char cat[64], event[128];

	if (!tracepoint_of(prog, cat, event, sizeof(cat)) ||
	    ct_tracepoint_here(cat, event))
		return true;
	bpf_program__set_autoload(prog, false);
	return false;
}

/* libbpf finds a tracepoint's id in tracefs: mount it if need be. */
static int need_tracefs(void)
{
	int err = ct_mount_tracefs();

	if (err)
		ct_warn("tracefs is not mounted and mounting it failed (%s): "
			"run 'mount -t tracefs nodev /sys/kernel/tracing'",
			strerror(-err));
	return err ? CT_EXIT_ERROR : 0;
}

/* A tracepoint a program to be loaded attaches to: one line if missing. */
static int require_tracepoint(const char *category, const char *event)
{
	if (need_tracefs())
		return CT_EXIT_ERROR;
	if (!ct_has_tracepoint(category, event)) {
		ct_warn("this kernel has no tracepoint %s:%s", category, event);
		return CT_EXIT_ERROR;
	}
	return 0;
}

static int check_tracepoints(struct bpf_object *obj)
{
	char cat[64], event[128];
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog) ||
		    !tracepoint_of(prog, cat, event, sizeof(cat)))
			continue;
		if (require_tracepoint(cat, event))
			return CT_EXIT_ERROR;
	}
	return 0;
}

static int fill_cgroup(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "ct_cgroup");
	__u32 zero = 0, fd = ct_env.cgroup_fd;

	if (ct_env.cgroup_fd < 0)
		return 0;
	if (!map || bpf_map_update_elem(bpf_map__fd(map), &zero, &fd, 0)) {
		ct_warn("cannot set the cgroup filter: %s", strerror(errno));
		return CT_EXIT_ERROR;
	}
	return 0;
}

/*
 * A bare SEC("uprobe") or SEC("uretprobe") names no binary: libbpf cannot
 * attach it by itself, the tool does (with the offset it found) after load.
 * A SEC("perf_event") program needs the perf events the tool opens
 * (perf_sample.h).
 */
static bool tool_attaches(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);

	return !strcmp(sec, "uprobe") || !strcmp(sec, "uretprobe") ||
	       !strcmp(sec, "perf_event");
}

/* Links the tool made itself (ct_keep_link()), for ct_detach(). */
static struct bpf_link **own_links;
static int own_link_count;

int ct_keep_link(struct bpf_link *link)
{
	struct bpf_link **more = realloc(own_links, (own_link_count + 1) *
					 sizeof(*own_links));

	if (!more) {
		bpf_link__destroy(link);
		ct_warn("out of memory");
		return CT_EXIT_ERROR;
	}
	own_links = more;
	own_links[own_link_count++] = link;
	return 0;
}

/*
 * Tracepoints a program attaches to besides its section's own. By the
 * program's name: a reload with the kernel's own types (a stale type
 * cache) opens the object anew, and its programs with it.
 */
#define MAX_ALSO 16

static struct {
	char prog[64];
	char category[32];
	char event[64];
} also[MAX_ALSO];
static int also_count;

int ct_attach_also(struct bpf_program *prog, const char *category,
		   const char *event)
{
	const char *name = bpf_program__name(prog);

	if (also_count == MAX_ALSO ||
	    strlen(name) >= sizeof(also[0].prog) ||
	    strlen(category) >= sizeof(also[0].category) ||
	    strlen(event) >= sizeof(also[0].event))
		return -ENOSPC;
	strcpy(also[also_count].prog, name);
	strcpy(also[also_count].category, category);
	strcpy(also[also_count].event, event);
	also_count++;
	return 0;
}

/* syscalls:sys_<dir>_<call>, dir "enter" or "exit"; false if too long. */
static bool syscall_tp(char *event, size_t size, const char *dir,
		       const char *call)
{
	return (size_t)snprintf(event, size, "sys_%s_%s", dir, call) < size;
}

bool ct_syscall_tp_here(const char *dir, const char *call)
{
	char event[64];

	return syscall_tp(event, sizeof(event), dir, call) &&
	       ct_tracepoint_here("syscalls", event);
}

int ct_attach_also_syscall(struct bpf_program *prog, const char *dir,
			   const char *call)
{
	char event[64];

	if (!syscall_tp(event, sizeof(event), dir, call))
		return -ENOSPC;
	return ct_attach_also(prog, "syscalls", event);
}

/* also[i]'s program in obj, if it is to be loaded. */
static struct bpf_program *also_prog(struct bpf_object *obj, int i)
{
	struct bpf_program *prog;

	prog = bpf_object__find_program_by_name(obj, also[i].prog);
	return prog && bpf_program__autoload(prog) ? prog : NULL;
}

/* Each is a tracepoint the kernel must have, as a program's own is. */
static int check_also(struct bpf_object *obj)
{
	for (int i = 0; i < also_count; i++)
		if (also_prog(obj, i) &&
		    require_tracepoint(also[i].category, also[i].event))
			return CT_EXIT_ERROR;
	return 0;
}

/* Their links are own links: say_attached() counts them. */
static int attach_also(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_link *link;

	for (int i = 0; i < also_count; i++) {
		prog = also_prog(obj, i);
		if (!prog)
			continue;
		link = bpf_program__attach_tracepoint(prog, also[i].category,
						      also[i].event);
		if (!link) {
			ct_warn("cannot attach %s to %s:%s: %s",
				also[i].prog, also[i].category,
				also[i].event, strerror(errno));
			return CT_EXIT_ERROR;
		}
		if (ct_keep_link(link))
			return CT_EXIT_ERROR;
	}
	return 0;
}

/* Attach what libbpf can attach by itself; n counts the links made. */
static int attach_all(struct bpf_object_skeleton *s, int *n)
{
	int i;

	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_program *prog = *s->progs[i].prog;
		struct bpf_link **link = s->progs[i].link;

		if (!bpf_program__autoload(prog) || *link ||
		    tool_attaches(prog))
			continue;
		*link = bpf_program__attach(prog);
		if (!*link) {
			ct_warn("cannot attach %s: %s",
				bpf_program__section_name(prog),
				strerror(errno));
			return CT_EXIT_ERROR;
		}
		(*n)++;
	}
	return attach_also(*s->obj);
}

/* What ct_detach() detaches. */
static struct bpf_object_skeleton *attached;

/* Takes the skeleton's links into own_links, to be destroyed with them. */
static void take_skeleton_links(struct bpf_object_skeleton *s)
{
	int i;

	for (i = 0; s && i < s->prog_cnt; i++) {
		struct bpf_link **link = s->progs[i].link;

		if (*link)
			ct_keep_link(*link);
		*link = NULL;
	}
}

void ct_detach(void)
{
	take_skeleton_links(attached);
	ct_destroy_links(own_links, own_link_count);
	own_link_count = 0;
	free(own_links);
	own_links = NULL;
	if (attached)
		bpf_object__detach_skeleton(attached);
}

/* After every attach, so that it tells (tests too) that tracing is on. */
static void say_attached(int n)
{
	ct_verbose("attached %d program%s", n, n == 1 ? "" : "s");
}

/* The pages of [start, end) that lie wholly inside it are dropped. */
static void drop_pages(uintptr_t start, uintptr_t end, long page)
{
	start = (start + page - 1) & ~(page - 1);
	end &= ~(page - 1);
	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

/*
 * Where segment ph's mapping ends: its last page is its own unless the
 * next segment starts in it (which then maps that page).
 */
static uintptr_t segment_end(const struct dl_phdr_info *info,
			     const ElfW(Phdr) *ph, long page)
{
	uintptr_t end = ph->p_vaddr + ph->p_memsz;
	uintptr_t up = (end + page - 1) & ~(page - 1);

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *q = &info->dlpi_phdr[i];

		if (q->p_type == PT_LOAD && q->p_vaddr >= end &&
		    q->p_vaddr < up)
			return info->dlpi_addr + end;
	}
	return info->dlpi_addr + up;
}

/* Shared libraries whose code loading runs, and running little or not. */
static bool loader_library(const char *path)
{
	static const char *const names[] = {
		"libbpf.so", "libelf.so", "libelf-", "libz.so",
	};
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(base, names[i], strlen(names[i])))
			return true;
	return false;
}

/* The kernel's vDSO: its pages are the kernel's, not a file's. */
static bool vdso(const char *path)
{
	return !strncmp(path, "linux-vdso", 10) ||
	       !strncmp(path, "linux-gate", 10);
}

struct code_drop {
	long page;
	bool all;	/* every object, else the loader libraries */
};

/*
 * The read-only segments (code, constants, symbols) of every object
 * mapped: the libraries that loaded the BPF object (libelf, libz, libbpf),
 * which run little or not at all from then on, and the program, libc and
 * the dynamic loader, of which the loop runs a small part: libc's whole
 * code stayed mapped (1.2 MB of statsnoop's 2.3 MB under load). Clean
 * pages of their files, which come back from the page cache when run
 * again (on 6.18 a large folio at a time: ~0.6 MB of libc's come back).
 * Writable segments hold the data (and the relocated, then read-only,
 * RELRO part): those stay.
 */
static int drop_code_pages(struct dl_phdr_info *info, size_t size,
			   void *data)
{
	const struct code_drop *d = data;
	long page = d->page;

	(void)size;
	if (!info->dlpi_name || vdso(info->dlpi_name) ||
	    (!d->all && !loader_library(info->dlpi_name)))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W))
			drop_pages(info->dlpi_addr + ph->p_vaddr,
				   segment_end(info, ph, page), page);
	}
	return 0;
}

static void drop_code(bool all)
{
	struct code_drop d = { sysconf(_SC_PAGESIZE), all };

	if (d.page > 0)
		dl_iterate_phdr(drop_code_pages, &d);
}

void ct_drop_code_pages(void)
{
	drop_code(true);
}

/*
 * What loading needed and running does not: the pages of the object's
 * ELF image, embedded in the binary (read whole to open it: clean pages
 * of our file, which come back from it if ever read again), the code of
 * the libraries that opened and loaded it (libelf, libz and libbpf's
 * loader: ~350 kB), and the heap libbpf and the type cache freed (~12 MB
 * on a first run on a kernel). libc's code and the program's stay until
 * the first line is out (ct_drop_code_pages()): it needs some of them.
 */
static void release_load_memory(const struct bpf_object_skeleton *s)
{
	long page = sysconf(_SC_PAGESIZE);

	if (page <= 0)
		return;
	drop_pages((uintptr_t)s->data, (uintptr_t)s->data + s->data_sz, page);
	drop_code(false);
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

int ct_load_and_attach(struct bpf_object_skeleton *s)
{
	return ct_load_and_attach_own(s, NULL, NULL);
}

int ct_load_and_attach_own(struct bpf_object_skeleton *s,
			   int (*attach)(void *ctx), void *ctx)
{
	struct bpf_object *obj = *s->obj;
	int err, n = 0;

	err = set_filter(obj);
	if (!err)
		err = set_buffer_kind(obj);
	if (!err)
		err = check_tracepoints(obj);
	if (!err)
		err = check_also(obj);
	if (err)
		return err;
	err = bpf_object__load_skeleton(s);
	/* Either first: a typed walk with the cache's ids drops both. */
	if (err && (ct_path_typed_fallback() || ct_btf_cache_used()))
		err = ct_btf_cache_reload(s);
	obj = *s->obj;
	ct_btf_cache_loaded(obj, !err);
	if (err) {
		ct_warn("cannot load the BPF programs: %s%s", strerror(-err),
			ct_env.verbose ? "" : " (-v shows why)");
		return CT_EXIT_ERROR;
	}
	err = fill_cgroup(obj);
	attached = s;
	/* Before any program runs: an event sent before it would be lost. */
	if (!err)
		err = ct_open_perfbuf(obj);
	if (!err)
		err = attach_all(s, &n);
	if (!err && attach)
		err = attach(ctx);
	if (err)
		return err;
	say_attached(n + own_link_count);
	release_load_memory(s);
	ct_start_clock();
	return 0;
}
