// SPDX-License-Identifier: GPL-2.0
/* Blocked time by stack, reported at the end. See stack_report.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "escape.h"
#include "maps.h"
#include "output.h"
#include "stack_report.h"
#include "tool.h"

/*
 * Is f a frame of the tracing itself: the tool's BPF program (unnamed,
 * or bpf_prog_*) or what calls it (bpf_trace_run4, __bpf_trace_*,
 * __traceiter_*)? Its stack starts there, above the traced code.
 */
static bool tracer_frame(const struct ct_frame *f)
{
	static const char *const prefixes[] = {
		"bpf_", "__bpf_", "__traceiter_", "perf_trace_",
	};

	if (f->hidden)
		return false;
	if (!f->name)
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (f->name_len >= strlen(prefixes[i]) &&
		    !strncmp(f->name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Drop the leading frames of the tracing, if any frame is left after. */
static void trim_tracer(struct ct_stack_frames *st)
{
	int skip = 0;

	while (skip < st->n - 1 && tracer_frame(&st->frames[skip]))
		skip++;
	if (!skip)
		return;
	memmove(st->frames, st->frames + skip,
		(st->n - skip) * sizeof(*st->frames));
	st->n -= skip;
}

void ct_stack_frames_take(struct ct_stacks *s, __s32 id, bool kernel,
			  __u32 pid, __u64 proc_id, struct ct_stack_frames *st)
{
	__u64 ips[CT_STACK_DEPTH];

	st->n = 0;
	st->missed = id < 0 && id != -EFAULT && id != CT_STACK_NOT_TAKEN;
	st->shown = id >= 0 || st->missed;
	if (id < 0)
		return;
	st->n = ct_stack_read(s, id, ips);
	st->missed = !st->n;
	for (int i = 0; i < st->n; i++) {
		if (kernel)
			ct_frame_kernel(s, ips[i], &st->frames[i]);
		else
			ct_frame_user(s, pid, proc_id, ips[i], &st->frames[i]);
	}
}

void ct_stack_frames_read(struct ct_stacks *s, __s32 id, bool kernel,
			  __u32 pid, __u64 proc_id, struct ct_stack_frames *st)
{
	ct_stack_frames_take(s, id, kernel, pid, proc_id, st);
	if (kernel)
		trim_tracer(st);
}

static const char *missed_text(bool kernel)
{
	return kernel ? "[Missed Kernel Stack]" : "[Missed User Stack]";
}

void ct_stack_frames_print(FILE *f, const struct ct_stack_frames *st,
			   bool kernel, const char *indent, bool addresses)
{
	if (st->missed)
		fprintf(f, "%s%s\n", indent, missed_text(kernel));
	for (int i = 0; i < st->n; i++) {
		fputs(indent, f);
		ct_frame_print(f, &st->frames[i], addresses, false);
		fputc('\n', f);
	}
}

void ct_stack_frames_json(struct ct_json *j, const char *key,
			  const char *missed_key,
			  const struct ct_stack_frames *st)
{
	if (!st->n) {
		ct_json_null(j, key);
	} else {
		ct_json_array(j, key);
		for (int i = 0; i < st->n; i++)
			ct_frame_json(j, &st->frames[i]);
		ct_json_close(j);
	}
	ct_json_bool(j, missed_key, st->missed);
}

int ct_stack_report_process(struct ct_stacks *s, const void *data,
			    size_t size)
{
	const struct ct_stack_proc *p = data;
	int err;

	if (size < sizeof(*p))
		return 0;
	err = ct_usyms_snapshot(s->usyms, p->pid, p->proc_id);
	/* The step that loses a short-lived process's frames, if any. */
	if (err == -ENOENT)
		ct_verbose("process %u exited before its mappings were read: "
			   "its user frames are [unknown]", p->pid);
	/*
	 * Nothing executable mapped: an exec that has not mapped the
	 * program yet (a sample there is slow emulation's common case), or
	 * an exit. Forgotten on the BPF side, it is told of again at its
	 * next event.
	 */
	if (err == -ESRCH && s->told_fd >= 0) {
		ct_verbose("process %u mapped nothing executable yet: asked "
			   "again", p->pid);
		bpf_map_delete_elem(s->told_fd, &p->pid);
	}
	return 0;
}

struct entry {
	struct ct_stack_key key;
	struct ct_stack_total total;
};

/* The kernel and the user stack of one entry, read. */
static struct ct_stack_frames kst, ust;

static void read_both(const struct ct_stack_report *r, const struct entry *e)
{
	const struct ct_stack_key *k = &e->key;

	ct_stack_frames_read(r->stacks, k->kstack, true, k->pid, k->proc_id,
			     &kst);
	ct_stack_frames_read(r->stacks, k->ustack, false, k->pid, k->proc_id,
			     &ust);
}

static size_t name_len(const char *comm)
{
	return strnlen(comm, CT_STACK_COMM_LEN);
}

/* "comm (pid)", or "comm (pid/tid)" per thread, escaped. */
static void print_task(FILE *f, const struct ct_stack_report *r,
		       const struct ct_stack_key *k)
{
	ct_fput_escaped(f, k->comm, name_len(k->comm), 0);
	if (r->per_thread)
		fprintf(f, " (%u/%u)\n", k->pid, k->tid);
	else
		fprintf(f, " (%u)\n", k->pid);
}

/* bcc's lines, all but the total: [target,] frames, then the task. */
static void print_text(FILE *f, const struct ct_stack_report *r,
		       const struct ct_stack_key *k)
{
	if (r->waker) {
		fprintf(f, "    %-16s ", "target:");
		ct_fput_escaped(f, k->target_comm, name_len(k->target_comm),
				0);
		fprintf(f, " (%u)\n", k->target_pid);
	}
	ct_stack_frames_print(f, &kst, true, "    ", r->addresses);
	if (r->delimited && kst.shown && ust.shown)
		fputs("    --\n", f);
	ct_stack_frames_print(f, &ust, false, "    ", r->addresses);
	fprintf(f, "    %-16s ", r->waker ? "waker:" : "-");
	print_task(f, r, k);
}

static void fold_name(FILE *f, const char *name)
{
	struct ct_frame comm = { .name = name, .name_len = name_len(name) };

	ct_frame_print(f, &comm, false, true);
}

void ct_stack_frames_fold(FILE *f, const struct ct_stack_frames *st,
			  bool kernel, bool addresses)
{
	if (st->missed)
		fprintf(f, ";%s", missed_text(kernel));
	for (int i = st->n - 1; i >= 0; i--) {
		fputc(';', f);
		ct_frame_print(f, &st->frames[i], addresses, true);
	}
}

/* comm;user frames;kernel frames[;target], all but the total. */
static void print_folded(FILE *f, const struct ct_stack_report *r,
			 const struct ct_stack_key *k)
{
	fold_name(f, k->comm);
	ct_stack_frames_fold(f, &ust, false, r->addresses);
	if (r->delimited && kst.shown && ust.shown)
		fputs(";-", f);
	ct_stack_frames_fold(f, &kst, true, r->addresses);
	if (r->waker) {
		fputc(';', f);
		fold_name(f, k->target_comm);
	}
}

static void print_json(FILE *f, const struct ct_stack_report *r,
		       const char *time, const struct entry *e);

/*
 * An entry as it prints, in JSON (totals aside) or else text or folded;
 * NULL if out of memory.
 */
static char *render(const struct ct_stack_report *r, const struct entry *e,
		    bool as_json)
{
	struct entry bare = { .key = e->key };
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	read_both(r, e);
	if (as_json)
		print_json(f, r, "", &bare);
	else if (r->folded)
		print_folded(f, r, &e->key);
	else
		print_text(f, r, &e->key);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(((const struct ct_stack_shown *)a)->text,
		      ((const struct ct_stack_shown *)b)->text);
}

/* Most time first; ties in a stable order. */
static int shown_by_ns(const void *a, const void *b)
{
	const struct ct_stack_shown *x = a, *y = b;

	if (x->total.ns != y->total.ns)
		return x->total.ns > y->total.ns ? -1 : 1;
	return strcmp(x->text, y->text);
}

/* Most samples first; ties in a stable order. */
static int shown_by_count(const void *a, const void *b)
{
	const struct ct_stack_shown *x = a, *y = b;

	if (x->total.count != y->total.count)
		return x->total.count > y->total.count ? -1 : 1;
	return strcmp(x->text, y->text);
}

/*
 * Events at different instructions of one function are different stacks
 * to the kernel, and the same to a reader: stacks printed alike are one.
 */
static size_t merge(struct ct_stack_shown *s, size_t n)
{
	size_t out = 0;

	qsort(s, n, sizeof(*s), by_text);
	for (size_t i = 0; i < n; i++) {
		if (out && !strcmp(s[out - 1].text, s[i].text)) {
			s[out - 1].total.ns += s[i].total.ns;
			s[out - 1].total.count += s[i].total.count;
			free(s[i].text);
			continue;
		}
		s[out++] = s[i];
	}
	return out;
}

static void shown_print(struct ct_stack_shown *s, size_t n, bool folded,
			bool counts)
{
	n = merge(s, n);
	qsort(s, n, sizeof(*s), counts ? shown_by_count : shown_by_ns);
	for (size_t i = 0; i < n; i++) {
		unsigned long long v = counts ? s[i].total.count :
					s[i].total.ns / 1000;

		if (folded)
			printf("%s %llu\n", s[i].text, v);
		else
			printf("%s        %llu\n\n", s[i].text, v);
		free(s[i].text);
	}
}

/* n entries rendered; how many were, in *m; NULL if out of memory. */
static struct ct_stack_shown *render_all(size_t n, ct_stack_render_fn render,
					 const void *ctx, size_t *m)
{
	struct ct_stack_shown *s = calloc(n ? n : 1, sizeof(*s));

	*m = 0;
	if (!s) {
		ct_warn("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		s[*m].text = render(ctx, i, &s[*m].total);
		s[*m].item = i;
		*m += s[*m].text != NULL;
	}
	return s;
}

void ct_stack_render_print(size_t n, ct_stack_render_fn render,
			   const void *ctx, bool folded, bool counts)
{
	size_t m;
	struct ct_stack_shown *s = render_all(n, render, ctx, &m);

	if (!s)
		return;
	shown_print(s, m, folded, counts);
	free(s);
}

struct report_items {
	const struct ct_stack_report *r;
	const struct entry *e;
};

static char *render_text_item(const void *ctx, size_t i,
			      struct ct_stack_total *total)
{
	const struct report_items *it = ctx;

	*total = it->e[i].total;
	return render(it->r, &it->e[i], false);
}

static char *render_json_item(const void *ctx, size_t i,
			      struct ct_stack_total *total)
{
	const struct report_items *it = ctx;

	*total = it->e[i].total;
	return render(it->r, &it->e[i], true);
}

static void print_shown(const struct ct_stack_report *r,
			const struct entry *e, size_t n)
{
	struct report_items items = { r, e };

	ct_stack_render_print(n, render_text_item, &items, r->folded, false);
}

static void print_json(FILE *f, const struct ct_stack_report *r,
		       const char *time, const struct entry *e)
{
	const struct ct_stack_key *k = &e->key;
	struct ct_json j;

	ct_json_begin(&j, f);
	ct_json_str(&j, "time", time);
	ct_json_uint(&j, "pid", k->pid);
	if (r->per_thread)
		ct_json_uint(&j, "tid", k->tid);
	else
		ct_json_null(&j, "tid");
	ct_json_strn(&j, "comm", k->comm, name_len(k->comm));
	if (r->waker) {
		ct_json_uint(&j, "target_pid", k->target_pid);
		ct_json_strn(&j, "target_comm", k->target_comm,
			     name_len(k->target_comm));
	}
	ct_json_uint(&j, "total_ns", e->total.ns);
	ct_json_uint(&j, "count", e->total.count);
	ct_stack_frames_json(&j, "kstack", "kstack_missed", &kst);
	ct_stack_frames_json(&j, "ustack", "ustack_missed", &ust);
	ct_json_end(&j);
}

static int by_ns(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->total.ns != y->total.ns)
		return x->total.ns > y->total.ns ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

/*
 * Entries that JSON shows alike are one, as in text (merge()): keys that
 * differ only where nothing is printed (a tracer frame trimmed) must not
 * make two rows of one stack. Returns how many entries are left in e.
 */
static size_t merge_json(const struct ct_stack_report *r, struct entry *e,
			 size_t n)
{
	struct report_items items = { r, e };
	struct entry *kept = NULL;
	struct ct_stack_shown *s;
	size_t m;

	s = render_all(n, render_json_item, &items, &m);
	if (!s)
		return n;
	/* All or none: an entry not rendered is printed as it is. */
	if (m == n) {
		m = merge(s, m);
		kept = calloc(m ? m : 1, sizeof(*kept));
	}
	if (kept) {
		for (size_t i = 0; i < m; i++)
			kept[i] = (struct entry){ e[s[i].item].key, s[i].total };
		memcpy(e, kept, m * sizeof(*e));
		free(kept);
		n = m;
	}
	for (size_t i = 0; i < m; i++)
		free(s[i].text);
	free(s);
	return n;
}

/* Every object has the time of the report: when tracing ended. */
static void print_all_json(const struct ct_stack_report *r, struct entry *e,
			   size_t n)
{
	char time[64];

	ct_fmt_iso8601(time, sizeof(time), ct_now_ns());
	n = merge_json(r, e, n);
	if (n > 1)	/* e is NULL for none */
		qsort(e, n, sizeof(*e), by_ns);
	for (size_t i = 0; i < n; i++) {
		read_both(r, &e[i]);
		print_json(stdout, r, time, &e[i]);
	}
}

static int take_totals(const struct ct_stack_report *r, struct entry **out)
{
	return ct_map_take_records(r->totals_fd, sizeof((*out)->key),
				   sizeof((*out)->total), r->max,
				   sizeof(**out),
				   offsetof(struct entry, total),
				   (void **)out);
}

int ct_stack_report_print(const struct ct_stack_report *r)
{
	struct entry *e;
	int n = take_totals(r, &e);

	if (n < 0) {
		ct_warn("cannot read the totals: %s", strerror(-n));
		return n;
	}
	if (ct_env.json)
		print_all_json(r, e, n);
	else
		print_shown(r, e, n);
	free(e);
	ct_flush();
	ct_stacks_report_missed(r->stacks);
	return 0;
}
