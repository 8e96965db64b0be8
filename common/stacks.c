// SPDX-License-Identifier: GPL-2.0
/* Reading, naming and printing stored stacks. See stacks.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "escape.h"
#include "stacks.h"
#include "tool.h"

int ct_stacks_set_entries(struct bpf_object *obj, __u32 entries)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "ct_stacks");
	struct bpf_map *more =
		bpf_object__find_map_by_name(obj, "ct_stacks_more");
	int err;

	if (!map || !more)
		return -ENOENT;
	err = bpf_map__set_max_entries(map, entries);
	if (err)
		return err;
	return bpf_map__set_max_entries(more, CT_STACK_MORE_ENTRIES(entries));
}

int ct_stacks_init(struct ct_stacks *s, struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "ct_stacks");
	struct bpf_map *more =
		bpf_object__find_map_by_name(obj, "ct_stacks_more");
	struct bpf_map *stats =
		bpf_object__find_map_by_name(obj, "ct_stack_stats");
	struct bpf_map *told;

	memset(s, 0, sizeof(*s));
	s->usyms = ct_usyms_new();
	if (!map || !more || !stats || !s->usyms) {
		ct_warn("internal error: no stack map");
		return CT_EXIT_ERROR;
	}
	s->map_fd = bpf_map__fd(map);
	s->more_fd = bpf_map__fd(more);
	s->stats_fd = bpf_map__fd(stats);
	told = bpf_object__find_map_by_name(obj, "ct_told");
	s->told_fd = told ? bpf_map__fd(told) : -1;
	return 0;
}

void ct_stacks_free(struct ct_stacks *s)
{
	ct_ksyms_free(s->ksyms);
	ct_usyms_free(s->usyms);
	s->ksyms = NULL;
	s->usyms = NULL;
}

int ct_stack_read(struct ct_stacks *s, __s32 id, __u64 *ips)
{
	int fd = id & CT_STACK_MORE ? s->more_fd : s->map_fd;
	__u32 key = id & ~CT_STACK_MORE;
	int n = 0;

	if (id < 0 || bpf_map_lookup_elem(fd, &key, ips))
		return 0;
	while (n < CT_STACK_DEPTH && ips[n])
		n++;
	return n;
}

static struct ct_ksyms *kernel_symbols(struct ct_stacks *s)
{
	if (s->ksyms_tried)
		return s->ksyms;
	s->ksyms_tried = true;
	s->ksyms = ct_ksyms_load();
	if (!s->ksyms)
		ct_warn("cannot read /proc/kallsyms: %s: kernel frames "
			"unnamed", strerror(errno));
	else if (ct_ksyms_restricted(s->ksyms))
		ct_warn("/proc/kallsyms shows every address as 0 "
			"(kernel.kptr_restrict, or no CAP_SYSLOG): kernel "
			"frames unnamed");
	return s->ksyms;
}

void ct_frame_kernel(struct ct_stacks *s, __u64 addr, struct ct_frame *f)
{
	struct ct_ksyms *ks = kernel_symbols(s);
	struct ct_ksym k;

	memset(f, 0, sizeof(*f));
	f->addr = addr;
	f->kernel = true;
	if (!ks)
		return;
	if (ct_ksyms_restricted(ks)) {
		f->hidden = true;
		return;
	}
	if (ct_ksyms_find(ks, addr, &k))
		return;
	f->name = k.name;
	f->name_len = k.name_len;
	f->offset = k.offset;
	f->dso = k.module;
}

void ct_frame_user(struct ct_stacks *s, int pid, __u64 proc_id, __u64 addr,
		   struct ct_frame *f)
{
	struct ct_usym u;

	memset(f, 0, sizeof(*f));
	f->addr = addr;
	if (ct_usyms_find(s->usyms, pid, proc_id, addr, &u))
		return;
	f->name = u.name;
	f->name_len = u.name ? strlen(u.name) : 0;
	f->offset = u.offset;
	f->dso = u.dso;
	f->has_dso_offset = u.dso && !u.jit;
	f->dso_offset = u.dso_offset;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The frame's text, unescaped, into buf. */
static void frame_text(const struct ct_frame *f, bool addresses, char *buf,
		       size_t size)
{
	int n = 0;

	if (addresses)
		n = snprintf(buf, size, "0x%llx ", (unsigned long long)f->addr);
	if (f->hidden)
		snprintf(buf + n, size - n, "[kptr_restrict]");
	else if (f->name && addresses)
		snprintf(buf + n, size - n, "%.*s+0x%lx", (int)f->name_len,
			 f->name, f->offset);
	else if (f->name)
		snprintf(buf + n, size - n, "%.*s", (int)f->name_len, f->name);
	else if (f->dso && f->has_dso_offset)
		snprintf(buf + n, size - n, "[%s+0x%lx]", base_name(f->dso),
			 f->dso_offset);
	else
		snprintf(buf + n, size - n, "[unknown]");
	n = strlen(buf);
	if (addresses && f->name && f->dso && f->has_dso_offset)
		snprintf(buf + n, size - n, " (%s+0x%lx)", f->dso,
			 f->dso_offset);
	else if (addresses && f->name && f->dso)
		snprintf(buf + n, size - n, " [%s]", f->dso);
}

void ct_frame_print(FILE *out, const struct ct_frame *f, bool addresses,
		    bool folded)
{
	char raw[1024], esc[4096];

	frame_text(f, addresses, raw, sizeof(raw));
	if (!folded) {
		ct_fput_escaped(out, raw, strlen(raw), 0);
		return;
	}
	ct_escape(esc, sizeof(esc), raw, strlen(raw), 0);
	for (const char *p = esc; *p; p++) {
		if (*p == ';')
			fputs("\\x3b", out);
		else
			fputc(*p, out);
	}
}

void ct_frame_json(struct ct_json *j, const struct ct_frame *f)
{
	ct_json_object(j, NULL);
	ct_json_uint(j, "addr", f->addr);
	if (f->name) {
		ct_json_strn(j, "sym", f->name, f->name_len);
		ct_json_uint(j, "offset", f->offset);
	} else {
		ct_json_null(j, "sym");
		ct_json_null(j, "offset");
	}
	if (f->dso)
		ct_json_str(j, "dso", f->dso);
	else
		ct_json_null(j, "dso");
	if (f->has_dso_offset)
		ct_json_uint(j, "dso_offset", f->dso_offset);
	else
		ct_json_null(j, "dso_offset");
	ct_json_close(j);
}

void ct_stacks_stats(const struct ct_stacks *s, struct ct_stack_stats *st)
{
	int ncpus = libbpf_num_possible_cpus();
	struct ct_stack_stats *v;
	__u32 zero = 0;

	memset(st, 0, sizeof(*st));
	if (ncpus <= 0)
		return;
	v = calloc(ncpus, sizeof(*v));
	if (v && !bpf_map_lookup_elem(s->stats_fd, &zero, v)) {
		for (int i = 0; i < ncpus; i++)
			st->missed += v[i].missed;
	}
	free(v);
}

/* Entries in a map, one system call each: for -v only. */
static unsigned int map_entries(int fd)
{
	unsigned int n = 0;
	__u32 key, *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &key)) {
		prev = &key;
		n++;
	}
	return n;
}

unsigned long long ct_stacks_report_missed(struct ct_stacks *s)
{
	struct ct_stack_stats st;
	unsigned int more;

	if (ct_env.verbose) {
		more = map_entries(s->more_fd);
		ct_verbose("%u stacks kept, %u of them in the second map "
			   "(their slot in the first held another stack)",
			   map_entries(s->map_fd) + more, more);
	}
	ct_stacks_stats(s, &st);
	if (st.missed > s->missed_reported)
		ct_warn("%llu stacks missed (no slot in the stack map): "
			"raise --stack-storage-size",
			st.missed - s->missed_reported);
	s->missed_reported = st.missed;
	return st.missed;
}
