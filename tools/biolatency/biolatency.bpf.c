// SPDX-License-Identifier: GPL-2.0
/*
 * Block I/O latency: from issue to the device (or, with -Q, from insertion
 * into the I/O scheduler's queue) to completion, as log2 histograms kept
 * here in the kernel.
 *
 * Every handler exists three times and user space loads one set: tp_btf and
 * raw tracepoints get the struct request and key a request by its address;
 * plain tracepoints only see dev, sector and the rwbs string, and key it by
 * dev and sector.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "filter.bpf.h"
#include "histogram.bpf.h"
#include "biolatency.h"

const volatile bool queued = false;	/* -Q */
const volatile bool per_disk = false;	/* -D */
const volatile bool per_flags = false;	/* -F */
const volatile bool in_ms = false;	/* -m */
const volatile __u32 target_dev = 0;	/* --disk, 0 for any */
/* Argument number of the request: 1 before 5.11, which passed the queue. */
const volatile __u32 insert_rq_arg = 0;
const volatile __u32 issue_rq_arg = 0;

/*
 * tp_btf and raw tracepoints know a request by its address, which comes
 * back with the next request made in the same memory: its entry is kept
 * (START_FREE) for that one, found and written in place, instead of being
 * deleted at every completion and made again at every issue (a hash map's
 * update and delete take its bucket's lock and its free list, a lookup
 * neither). Plain tracepoints key by dev and sector, seldom the same
 * twice: their entries go at completion. Set by user space.
 */
const volatile bool reuse = false;

/* Of plain tracepoints; the others' maps keep id only. */
struct start_key {
	__u64 id;	/* the request's address, or its dev */
	__u64 sector;
};

/*
 * With -D or -F; else the map keeps the time only (user space sizes its
 * values, and its keys to the request's address where that is the key):
 * an entry of 64 bytes, one cache line, where 80 would straddle two.
 */
struct start_val {
	__u64 ts;	/* the start, or one of these: */
	__u32 dev;
	__u32 flags;
};

#define START_FREE 0		/* completed: no request here now */
#define START_INSERTED 1	/* inserted, not yet issued (without -Q) */
#define START_REJECTED (~0ULL)	/* inserted by a task the filter rejects */

/*
 * An LRU map for plain tracepoints: their requests merged away after their
 * insert never complete, and their entries age out. Kept entries of
 * request addresses make it a plain hash map (biolatency.c): a full one
 * is counted (store()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BIO_MAX_INFLIGHT);
	__uint(key_size, sizeof(struct start_key));
	__uint(value_size, sizeof(struct start_val));
} start SEC(".maps");

/* Per disk (-D) or flags (-F); one entry only without either. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BIO_MAX_KEYS);
	__type(key, struct bio_key);
	__type(value, struct bio_hist);
} hists SEC(".maps");

/* Without -D and -F: the one histogram. */
CT_HIST_SINGLE_MAP(hist, struct bio_hist);

static __always_inline bool keyed(void)
{
	return per_disk || per_flags;
}

/* val into old, the entry of key found, else into a new entry. */
static __always_inline void store(struct start_key *key,
				  struct start_val *val,
				  struct start_val *old)
{
	if (old) {
		old->ts = val->ts;
		/* Only -D and -F's values have more. */
		if (keyed()) {
			old->dev = val->dev;
			old->flags = val->flags;
		}
		return;
	}
	if (bpf_map_update_elem(&start, key, val, BPF_ANY))
		ct_count_missed();
}

/*
 * The filter (-c) judges the task that submits a request, current when the
 * request is inserted into the queue; for a request that skips the queue,
 * when it is issued. Not at the issue of an inserted request, which can run
 * in a kernel worker or another task, nor at completion, an interrupt.
 * User space loads the insert programs only for that and for -Q.
 */
static __always_inline void mark_insert(struct start_key *key,
					struct start_val *val)
{
	struct start_val *old = reuse ? bpf_map_lookup_elem(&start, key) :
					NULL;

	/* Kept, so that the issue does not judge whoever issues it. */
	if (!ct_task_wanted())
		val->ts = START_REJECTED;
	else
		val->ts = queued ? bpf_ktime_get_ns() : START_INSERTED;
	store(key, val, old);
}

/* The start without -Q; with -Q, of requests that skip the queue. */
static __always_inline void mark_issue(struct start_key *key,
				       struct start_val *val)
{
	struct start_val *old = NULL;

	if (reuse || queued || ct_filtering())
		old = bpf_map_lookup_elem(&start, key);
	if (old && old->ts != START_FREE) {
		/* The insert's verdict stands, and with -Q its time. */
		if (old->ts == START_REJECTED || queued)
			return;
		/* Inserted, or issued again (requeued): from now. */
		old->ts = bpf_ktime_get_ns();
		return;
	}
	/* Not inserted: the submitter issues it. Judged before map work. */
	if (!ct_task_wanted())
		return;
	val->ts = bpf_ktime_get_ns();
	store(key, val, old);
}

/* Count a latency of delta ns in the histogram of hkey. */
static __always_inline void count(struct bio_key *hkey, __u64 delta)
{
	struct bio_hist *h;
	__u32 slot;

	if (!keyed()) {
		h = ct_hist_single(&hist);
	} else {
		h = bpf_map_lookup_elem(&hists, hkey);
		if (!h) {
			struct bio_hist fresh = {};

			h = ct_map_insert(&hists, hkey, &fresh);
		}
	}
	if (!h)
		return;
	slot = ct_log2_slot(delta / (in_ms ? 1000000 : 1000), BIO_SLOTS) &
	       (BIO_SLOTS - 1);
	ct_hist_add(&h->slots[slot], &h->sum_ns, delta);
}

static __always_inline void mark_done(struct start_key *key)
{
	struct start_val *val = bpf_map_lookup_elem(&start, key);
	struct bio_key hkey = {};
	__u64 ts, now;

	if (!val)
		return;
	/* Read before the delete: the entry can be reused at once. */
	ts = val->ts;
	if (per_disk)
		hkey.dev = val->dev;
	if (per_flags)
		hkey.flags = val->flags;
	if (reuse)
		val->ts = START_FREE;
	else
		bpf_map_delete_elem(&start, key);
	/* Rejected, or completed without an issue. */
	if (ts == START_FREE || ts == START_INSERTED || ts == START_REJECTED)
		return;
	now = bpf_ktime_get_ns();
	count(&hkey, now > ts ? now - ts : 0);
}

/* Where the insert is not loaded, the filter always judges at issue. */
static __always_inline void mark_start(struct start_key *key,
				       struct start_val *val, bool issue)
{
	if (target_dev && val->dev != target_dev)
		return;
	if (issue)
		mark_issue(key, val);
	else
		mark_insert(key, val);
}

/* tp_btf and raw tracepoints: the struct request. */

/* Before 5.17 a request pointed to its disk itself. */
struct request___pre517 {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline __u32 rq_dev(struct request *rq)
{
	struct request___pre517 *old = (void *)rq;
	struct gendisk *disk;

	if (bpf_core_field_exists(old->rq_disk))
		disk = BPF_CORE_READ(old, rq_disk);
	else
		disk = BPF_CORE_READ(rq, q, disk);
	if (!disk)
		return 0;
	return (__u32)BPF_CORE_READ(disk, major) << 20 |
	       BPF_CORE_READ(disk, first_minor);
}

/* The bit of flag name in this kernel's cmd_flags; 0 if it has none. */
#define REQ_FLAG(name)                                                  \
	(bpf_core_enum_value_exists(enum req_flag_bits, name) ?         \
		 1U << bpf_core_enum_value(enum req_flag_bits, name) : 0)

/* typed: rq is a tp_btf argument, its cmd_flags one load. */
static __always_inline __u32 rq_flags(struct request *rq, bool typed)
{
	__u32 cmd = typed ? rq->cmd_flags : BPF_CORE_READ(rq, cmd_flags);
	__u32 flags = cmd & BIO_OP_MASK;

	if (cmd & REQ_FLAG(__REQ_SYNC))
		flags |= BIO_SYNC;
	if (cmd & REQ_FLAG(__REQ_META))
		flags |= BIO_META;
	if (cmd & REQ_FLAG(__REQ_FUA))
		flags |= BIO_FUA;
	if (cmd & REQ_FLAG(__REQ_PREFLUSH))
		flags |= BIO_PREFLUSH;
	if (cmd & REQ_FLAG(__REQ_RAHEAD))
		flags |= BIO_RAHEAD;
	return flags;
}

/* Only what -D, -F and --disk ask for: each read costs every I/O. */
static __always_inline int rq_start(struct request *rq, bool issue,
				    bool typed)
{
	struct start_key key = { .id = (__u64)rq };
	struct start_val val = {};

	if (per_disk || target_dev)
		val.dev = rq_dev(rq);
	if (per_flags)
		val.flags = rq_flags(rq, typed);
	mark_start(&key, &val, issue);
	return 0;
}

static __always_inline int rq_done(struct request *rq)
{
	struct start_key key = { .id = (__u64)rq };

	mark_done(&key);
	return 0;
}

/* The request among the arguments (a constant, so the verifier prunes). */
#define RQ_ARG(ctx, n) ((struct request *)((n) ? (ctx)[1] : (ctx)[0]))

SEC("tp_btf/block_rq_insert")
int btf_insert(__u64 *ctx)
{
	return rq_start(RQ_ARG(ctx, insert_rq_arg), false, true);
}

SEC("tp_btf/block_rq_issue")
int btf_issue(__u64 *ctx)
{
	return rq_start(RQ_ARG(ctx, issue_rq_arg), true, true);
}

SEC("tp_btf/block_rq_complete")
int btf_complete(__u64 *ctx)
{
	return rq_done((struct request *)ctx[0]);
}

SEC("raw_tp/block_rq_insert")
int raw_insert(__u64 *ctx)
{
	return rq_start(RQ_ARG(ctx, insert_rq_arg), false, false);
}

SEC("raw_tp/block_rq_issue")
int raw_issue(__u64 *ctx)
{
	return rq_start(RQ_ARG(ctx, issue_rq_arg), true, false);
}

SEC("raw_tp/block_rq_complete")
int raw_complete(__u64 *ctx)
{
	return rq_done((struct request *)ctx[0]);
}

/* Plain tracepoints: dev, sector and rwbs ("WS", "FWFS", "RA"...). */

#define RWBS_LEN 8	/* the shortest rwbs[] any kernel had */

static __always_inline __u32 op_of(char c)
{
	switch (c) {
	case 'R':
		return 0;	/* REQ_OP_READ */
	case 'W':
		return 1;	/* REQ_OP_WRITE */
	case 'F':
		return 2;	/* REQ_OP_FLUSH */
	case 'D':
		return 3;	/* REQ_OP_DISCARD */
	default:
		return BIO_OP_OTHER;
	}
}

static __always_inline bool is_op(char c)
{
	return c == 'R' || c == 'W' || c == 'F' || c == 'D' || c == 'N';
}

/* Constant indices only: the verifier refuses variable stack offsets. */
static __always_inline __u32 rwbs_flags(const char *rwbs)
{
	char s[RWBS_LEN] = {};
	bool preflush, end = false;
	__u32 flags;

	bpf_probe_read_kernel(s, sizeof(s), rwbs);
	/* A leading F is a preflush when an operation letter follows. */
	preflush = s[0] == 'F' && is_op(s[1]);
	if (preflush) {
#pragma unroll
		for (int i = 0; i < RWBS_LEN - 1; i++)
			s[i] = s[i + 1];
		s[RWBS_LEN - 1] = 0;
	}
	flags = op_of(s[0]) | (preflush ? BIO_PREFLUSH : 0);
	if (s[0] == 'D' && s[1] == 'E')
		/* REQ_OP_SECURE_ERASE */
		flags = (flags & ~BIO_OP_MASK) | 5;
#pragma unroll
	for (int i = 1; i < RWBS_LEN; i++) {
		end = end || !s[i];
		if (end)
			continue;
		if (s[i] == 'F')
			flags |= BIO_FUA;
		else if (s[i] == 'A')
			flags |= BIO_RAHEAD;
		else if (s[i] == 'S')
			flags |= BIO_SYNC;
		else if (s[i] == 'M')
			flags |= BIO_META;
	}
	return flags;
}

static __always_inline int tp_start(struct trace_event_raw_block_rq *ctx,
				    bool issue)
{
	struct start_key key = { .id = ctx->dev, .sector = ctx->sector };
	struct start_val val = { .dev = ctx->dev };

	if (per_flags)
		val.flags = rwbs_flags(ctx->rwbs);
	mark_start(&key, &val, issue);
	return 0;
}

SEC("tp/block/block_rq_insert")
int tp_insert(struct trace_event_raw_block_rq *ctx)
{
	return tp_start(ctx, false);
}

SEC("tp/block/block_rq_issue")
int tp_issue(struct trace_event_raw_block_rq *ctx)
{
	return tp_start(ctx, true);
}

/*
 * Older kernels (5.10) give block_rq_complete an event struct of its own,
 * not the block_rq_completion class it later shared with block_rq_error.
 */
struct trace_event_raw_block_rq_complete {
	dev_t dev;
	sector_t sector;
} __attribute__((preserve_access_index));

SEC("tp/block/block_rq_complete")
int tp_complete(void *ctx)
{
	struct trace_event_raw_block_rq_completion *c = ctx;
	struct trace_event_raw_block_rq_complete *old = ctx;
	struct start_key key;

	/*
	 * Read, not loaded: clang merges two loads into one at a computed
	 * ctx offset, which the verifier refuses.
	 */
	if (bpf_core_type_exists(struct trace_event_raw_block_rq_completion)) {
		key.id = BPF_CORE_READ(c, dev);
		key.sector = BPF_CORE_READ(c, sector);
	} else {
		key.id = BPF_CORE_READ(old, dev);
		key.sector = BPF_CORE_READ(old, sector);
	}
	mark_done(&key);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
