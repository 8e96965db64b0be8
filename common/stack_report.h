/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report of stack tools that sum blocked time by stack (offcputime,
 * wakeuptime; bpf/stack_total.bpf.h counts): read the totals map at the
 * end, merge stacks printed alike, print them most time first as bcc's
 * multi-line stacks, folded for flame graphs, or as JSON. Also one stack
 * read and printed alone (an event tool's stack under its line).
 */
#ifndef CT_STACK_REPORT_H
#define CT_STACK_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "json.h"
#include "stack_key.h"
#include "stacks.h"

/* A stack of one kind: its frames, named, or why there are none. */
struct ct_stack_frames {
	bool shown;		/* taken, or missed: printed either way */
	bool missed;		/* taken, but the map had no room */
	int n;
	struct ct_frame frames[CT_STACK_DEPTH];
};

/*
 * Read and name stack id (kernel, or user of process pid's life), every
 * frame: a sampled stack (perf event) holds no frames of the tracing.
 */
void ct_stack_frames_take(struct ct_stacks *s, __s32 id, bool kernel,
			  __u32 pid, __u64 proc_id, struct ct_stack_frames *st);

/*
 * As ct_stack_frames_take(), but a kernel stack starts below the tracing:
 * the BPF program and its callers are left out.
 */
void ct_stack_frames_read(struct ct_stacks *s, __s32 id, bool kernel,
			  __u32 pid, __u64 proc_id, struct ct_stack_frames *st);

/* One frame a line, innermost first, after indent; a missed one said. */
void ct_stack_frames_print(FILE *f, const struct ct_stack_frames *st,
			   bool kernel, const char *indent, bool addresses);

/* Folded: outermost frame first, each after a ';'; a missed one said. */
void ct_stack_frames_fold(FILE *f, const struct ct_stack_frames *st,
			  bool kernel, bool addresses);

/* key: array of frames, or null; missed_key: true if missed. */
void ct_stack_frames_json(struct ct_json *j, const char *key,
			  const char *missed_key,
			  const struct ct_stack_frames *st);

/* A stack as printed (without its value), and its total. */
struct ct_stack_shown {
	char *text;
	struct ct_stack_total total;
	size_t item;	/* the renderer's index of the first merged in */
};

/* Entry i of ctx as it prints, its total in *total; NULL: left out. */
typedef char *(*ct_stack_render_fn)(const void *ctx, size_t i,
				    struct ct_stack_total *total);

/*
 * Render n entries, merge those printed alike, print them most first
 * (samples if counts, else microseconds), the value after each, folded
 * or as bcc's lines.
 */
void ct_stack_render_print(size_t n, ct_stack_render_fn render,
			   const void *ctx, bool folded, bool counts);

struct ct_stack_report {
	struct ct_stacks *stacks;
	int totals_fd;		/* the "totals" map */
	__u32 max;		/* its size */
	bool folded;		/* -f */
	bool delimited;		/* -D: "--" between kernel and user */
	bool addresses;		/* -a */
	bool per_thread;	/* keys hold tids */
	bool waker;		/* wakeuptime: the stacks are the wakers' */
};

/* A process first seen (struct ct_stack_proc): read its mappings now. */
int ct_stack_report_process(struct ct_stacks *s, const void *data,
			    size_t size);

/*
 * Print every total (text, -f folded or --json), then report missed
 * stacks and counts. 0, or -errno if the map cannot be read.
 */
int ct_stack_report_print(const struct ct_stack_report *r);

#endif
