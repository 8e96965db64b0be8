/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack tools' user side: read the stacks the BPF side stored
 * (bpf/stack.bpf.h), name their frames (kernel: ksyms.h; user: usyms.h),
 * print them as text, folded or JSON, and report the stacks the map
 * had no room for.
 */
#ifndef CT_STACKS_H
#define CT_STACKS_H

#include <stdbool.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "json.h"
#include "ksyms.h"
#include "stack_map.h"
#include "usyms.h"

struct ct_stacks {
	int map_fd;		/* ct_stacks */
	int more_fd;		/* ct_stacks_more: ids with CT_STACK_MORE */
	int stats_fd;		/* ct_stack_stats */
	int told_fd;		/* ct_told: processes told of, by pid; or -1 */
	struct ct_ksyms *ksyms;	/* read at the first kernel frame */
	bool ksyms_tried;
	struct ct_usyms *usyms;
	unsigned long long missed_reported;
};

/* A frame, named as well as can be: NULL members are unknown. */
struct ct_frame {
	__u64 addr;
	bool kernel;
	bool hidden;		/* kernel, and kallsyms hides addresses */
	const char *name;
	size_t name_len;
	unsigned long offset;
	const char *dso;	/* user: the file; kernel: the module */
	bool has_dso_offset;
	unsigned long dso_offset;
};

/* Size the stack map of obj to entries stacks (before load). 0 or -errno. */
int ct_stacks_set_entries(struct bpf_object *obj, __u32 entries);

/* After load: find the maps. 0, or prints one line and returns 1. */
int ct_stacks_init(struct ct_stacks *s, struct bpf_object *obj);
void ct_stacks_free(struct ct_stacks *s);

/* Read stack id into ips[CT_STACK_DEPTH], leaf first: the frame count. */
int ct_stack_read(struct ct_stacks *s, __s32 id, __u64 *ips);

/* Name frames. A process is snapshotted on its first frame, if not yet. */
void ct_frame_kernel(struct ct_stacks *s, __u64 addr, struct ct_frame *f);
void ct_frame_user(struct ct_stacks *s, int pid, __u64 proc_id, __u64 addr,
		   struct ct_frame *f);

/*
 * A frame as one text field, escaped: "name", "[file+0x1a0]" for a user
 * address in a file without its symbol, "[unknown]", "[kptr_restrict]";
 * with addresses, "0x<addr> name+0x<offset>" and the file or module after
 * it. folded: also ';' as "\x3b", which would split a folded line.
 */
void ct_frame_print(FILE *out, const struct ct_frame *f, bool addresses,
		    bool folded);

/* A frame as a JSON object (docs/JSON.md): addr, sym, offset, dso... */
void ct_frame_json(struct ct_json *j, const struct ct_frame *f);

/*
 * Say on stderr how many stacks the map had no slot for (full, or the
 * slot their hash picks taken by another stack) since the last
 * call ("N stacks missed: ..."). Returns the total so far.
 */
unsigned long long ct_stacks_report_missed(struct ct_stacks *s);

/* Stacks stored or missed so far, summed over CPUs. */
void ct_stacks_stats(const struct ct_stacks *s, struct ct_stack_stats *st);

#endif
