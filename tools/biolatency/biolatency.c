// SPDX-License-Identifier: GPL-2.0
/* biolatency: block device I/O latency as histograms. */
#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "args.h"
#include "btf_attach.h"
#include "btf_cache.h"
#include "columns.h"
#include "escape.h"
#include "hist_map.h"
#include "json.h"
#include "output.h"
#include "tool.h"
#include "tp_attach.h"
#include "biolatency.h"
#include "biolatency.skel.h"

#define DISK_NAME_LEN 64
#define MINOR_BITS 20

static struct {
	bool queued;		/* -Q */
	bool per_disk;		/* -D */
	bool per_flags;		/* -F */
	__u32 dev;		/* --disk */
} opt;

static struct ct_hist_map hists;

#define N_FLAGS 5

/* One bucket for --csv. */
struct bio_row {
	struct ct_hist_row h;
	struct ct_str disk;
	struct ct_str op;
	struct ct_strs flags;
	char disk_buf[DISK_NAME_LEN];
	char op_buf[16];
	const char *flag_word[N_FLAGS];
	size_t flag_len[N_FLAGS];
};

#define COL(field) CT_AT(struct bio_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct bio_row, h.ts),
	{ "disk", "DISK", "the disk (-D)", -8, CT_COL_STR, COL(disk), NULL,
	  true, .label = "device" },
	{ "op", "OP", "the operation (-F)", -8, CT_COL_STR, COL(op), NULL,
	  true, .label = "op" },
	{ "flag_names", "FLAGS", "its flags (-F)", -16, CT_COL_STRS,
	  COL(flags), NULL, true, .label = "flags" },
	CT_HIST_COLUMNS(struct bio_row, h),
};

/* Not const: the key chooses the defaults. */
static struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.csv_only = true,
};

/* The key's CSV fields: those of -D and -F; no others. */
static void key_fields(void)
{
	static char list[80];

	if (!opt.per_disk)
		ct_fields_flag("disk", CT_COL_OFF);
	if (!opt.per_flags) {
		ct_fields_flag("op", CT_COL_OFF);
		ct_fields_flag("flag_names", CT_COL_OFF);
	}
	snprintf(list, sizeof(list), "time,%s%s" CT_HIST_FIELDS,
		 opt.per_disk ? "disk," : "",
		 opt.per_flags ? "op,flag_names," : "");
	fields.text = list;
	fields.data = list;
}

/* -d is everyone's --duration: the disk filter has only a long name. */
enum { OPT_DISK = 0x100 };

static const struct argp_option options[] = {
	{ "queued", 'Q', NULL, 0,
	  "Include the time queued in the kernel (from insertion)", 0 },
	{ "disks", 'D', NULL, 0, "One histogram per disk", 0 },
	{ "flags", 'F', NULL, 0, "One histogram per operation and flags", 0 },
	{ "milliseconds", 'm', NULL, 0, "Histograms in milliseconds", 0 },
	{ "timestamp", 'T', NULL, 0, "Print the time with each interval", 0 },
	{ "disk", OPT_DISK, "NAME", 0, "Only this disk (e.g. sda, nvme0n1)",
	  0 },
	CT_OPT_CGROUP("Only I/O submitted by tasks in this cgroup v2 "
		      "directory"),
	{},
};

/*
 * Walk /proc/partitions: the disk named name (if not NULL) or numbered dev.
 * Fills name_out (if not NULL) and returns its dev_t, or 0 when not found.
 */
static __u32 find_disk(const char *name, __u32 dev, char *name_out,
		       size_t size)
{
	FILE *f = fopen("/proc/partitions", "r");
	char line[256], part[DISK_NAME_LEN];
	unsigned int major, minor;
	__u32 found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long long blocks;
		__u32 d;

		if (sscanf(line, "%u %u %llu %63s", &major, &minor, &blocks,
			   part) != 4)
			continue;
		d = major << MINOR_BITS | minor;
		if (name ? !strcmp(name, part) : d == dev) {
			found = d;
			if (name_out)
				snprintf(name_out, size, "%s", part);
		}
	}
	fclose(f);
	return found;
}

static __u32 parse_disk(const char *arg)
{
	char path[PATH_MAX];
	__u32 dev;

	if (!strncmp(arg, "/dev/", 5))
		arg += 5;
	if (!*arg || strchr(arg, '/'))
		ct_usage_error("--disk: '%s' is not a disk name", arg);
	dev = find_disk(arg, 0, NULL, 0);
	if (!dev)
		ct_usage_error("--disk: no disk '%s' in /proc/partitions", arg);
	snprintf(path, sizeof(path), "/sys/class/block/%s/partition", arg);
	if (!access(path, F_OK))
		ct_usage_error("--disk: '%s' is a partition; requests are the "
			       "whole disk's, give its name", arg);
	return dev;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'Q':
		opt.queued = true;
		break;
	case 'D':
		opt.per_disk = true;
		hists.keyed = true;
		break;
	case 'F':
		opt.per_flags = true;
		hists.keyed = true;
		break;
	case 'm':
		hists.unit = "msecs";
		break;
	case 'T':
		hists.timestamp = true;
		break;
	case OPT_DISK:
		opt.dev = parse_disk(arg);
		break;
	case ARGP_KEY_END:
		key_fields();
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


/* Names of the kernel's REQ_OP_* numbers: "WriteZeroes". */
static char *op_names[BIO_OP_MASK + 1];

#define OP_PREFIX "REQ_OP_"

/* REQ_OP_WRITE_ZEROES -> WriteZeroes */
static char *op_display_name(const char *name)
{
	char *s = strdup(name + strlen(OP_PREFIX)), *out = s;
	bool word_start = true;

	if (!s)
		return NULL;
	for (const char *p = s; *p; p++) {
		if (*p == '_') {
			word_start = true;
			continue;
		}
		*out++ = word_start ? *p : tolower((unsigned char)*p);
		word_start = false;
	}
	*out = '\0';
	return s;
}

static void learn_op_name(const char *name, int op)
{
	if (op >= 0 && op < BIO_OP_OTHER && strcmp(name, "REQ_OP_LAST") &&
	    !strncmp(name, OP_PREFIX, strlen(OP_PREFIX)))
		op_names[op] = op_display_name(name);
}

static void learn_op_names(const struct btf *btf)
{
	const struct btf_type *t;
	const struct btf_enum *e;
	int id;

	/* "enum req_opf" before 5.19. */
	id = btf__find_by_name_kind(btf, "req_op", BTF_KIND_ENUM);
	if (id < 0)
		id = btf__find_by_name_kind(btf, "req_opf", BTF_KIND_ENUM);
	if (id < 0)
		return;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);

		if (!strncmp(name, OP_PREFIX, strlen(OP_PREFIX))) {
			learn_op_name(name, e->val);
			ct_btf_cache_learn(name, e->val);
		}
	}
}

/* The REQ_OP_* numbers plain tracepoints report, for kernels without BTF. */
static const char *const fallback_ops[] = {
	"Read", "Write", "Flush", "Discard", NULL, "SecureErase",
};

static const char *op_name(__u32 op, char *buf, size_t size)
{
	if (op == BIO_OP_OTHER)
		return "Other";
	if (op_names[op])
		return op_names[op];
	if (op < sizeof(fallback_ops) / sizeof(fallback_ops[0]) &&
	    fallback_ops[op])
		return fallback_ops[op];
	snprintf(buf, size, "Op%u", op);
	return buf;
}

/*
 * Which argument of tracepoint tp is the request: 5.11 dropped the queue
 * that used to come first ("btf_trace_X" is the handler's prototype).
 */
static __u32 request_arg(const struct btf *btf, const char *tp)
{
	const struct btf_type *t;
	const struct btf_param *p;
	char name[64];
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id < 0)
		return 0;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_ptr(t))
		return 0;
	t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 3)
		return 0;
	p = btf_params(t) + 1;	/* after the void * of the tracepoint */
	t = btf__type_by_id(btf, p->type);
	if (!t || !btf_is_ptr(t))
		return 0;
	t = btf__type_by_id(btf, t->type);
	return t && !strcmp(btf__name_by_offset(btf, t->name_off),
			    "request_queue");
}

/*
 * What the kernel's BTF tells: the request's argument in two tracepoints,
 * and the operations' names. From the kernel type cache when it has them,
 * as a first run on the kernel learned them, else from the whole BTF.
 */
static void learn_kernel(struct biolatency_bpf *skel)
{
	int insert, issue;
	struct btf *btf;

	if (ct_btf_cache_fact("insert_rq_arg", &insert) &&
	    ct_btf_cache_fact("issue_rq_arg", &issue)) {
		skel->rodata->insert_rq_arg = insert;
		skel->rodata->issue_rq_arg = issue;
		ct_btf_cache_each_fact(learn_op_name);
		return;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return;
	skel->rodata->insert_rq_arg = request_arg(btf, "block_rq_insert");
	skel->rodata->issue_rq_arg = request_arg(btf, "block_rq_issue");
	learn_op_names(btf);
	ct_btf_cache_learn("insert_rq_arg", skel->rodata->insert_rq_arg);
	ct_btf_cache_learn("issue_rq_arg", skel->rodata->issue_rq_arg);
	btf__free(btf);
}

/*
 * The start map (biolatency.bpf.c): keyed by the request's address alone,
 * its entries kept for the next request at the same address, but on plain
 * tracepoints, which key by dev and sector. Its values keep the disk and
 * flags only for -D and -F. Kept entries make it a plain hash map, not the
 * LRU map plain tracepoints need: an LRU map evicts entries long before
 * it is full (seen: 1 or 2 writes of 200 not counted, under load on
 * 6.18), and the addresses are the kernel's requests, a bounded number.
 */
static int size_start(struct biolatency_bpf *skel, enum ct_tp_kind kind)
{
	struct bpf_map *start = skel->maps.start;
	int err = 0;

	skel->rodata->reuse = kind != CT_TP_PLAIN;
	if (kind != CT_TP_PLAIN)
		err = bpf_map__set_key_size(start, sizeof(__u64)) ?:
		      bpf_map__set_type(start, BPF_MAP_TYPE_HASH);
	if (!err && !opt.per_disk && !opt.per_flags)
		err = bpf_map__set_value_size(start, sizeof(__u64));
	if (!err)
		return 0;
	ct_warn("internal error: cannot set up the start map");
	return CT_EXIT_ERROR;
}

static int configure(void *s)
{
	struct biolatency_bpf *skel = s;
	enum ct_tp_kind kind;

	skel->rodata->queued = opt.queued;
	skel->rodata->per_disk = opt.per_disk;
	skel->rodata->per_flags = opt.per_flags;
	skel->rodata->in_ms = hists.unit[0] == 'm';
	skel->rodata->target_dev = opt.dev;
	learn_kernel(skel);
	kind = ct_select_tp(skel->obj, "block", "block_rq_issue");
	/* Inserts matter with -Q, and to the filter: else not traced. */
	if (!opt.queued && !ct_filter_asked()) {
		bpf_program__set_autoload(skel->progs.btf_insert, false);
		bpf_program__set_autoload(skel->progs.raw_insert, false);
		bpf_program__set_autoload(skel->progs.tp_insert, false);
		/* Learnt all the same: the kernel type cache keeps it. */
		if (kind == CT_TP_BTF)
			ct_btf_attach_id("block_rq_insert", BPF_TRACE_RAW_TP);
	}
	return size_start(skel, kind);
}

static int by_key(const void *a, const void *b)
{
	const struct bio_key *x = a, *y = b;
	__u32 xop = x->flags & BIO_OP_MASK;
	__u32 yop = y->flags & BIO_OP_MASK;

	/* By disk, then operation, then flags. */
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (xop != yop)
		return xop < yop ? -1 : 1;
	return (x->flags > y->flags) - (x->flags < y->flags);
}

static const struct {
	__u32 bit;
	const char *name;
} flag_names[] = {
	{ BIO_SYNC, "Sync" },
	{ BIO_META, "Meta" },
	{ BIO_FUA, "FUA" },
	{ BIO_PREFLUSH, "Preflush" },
	{ BIO_RAHEAD, "ReadAhead" },
};

_Static_assert(sizeof(flag_names) / sizeof(flag_names[0]) == N_FLAGS,
	       "N_FLAGS is the number of flag names");

/* "vda", or "254:0" for a disk gone from /proc/partitions. */
static const char *disk_name(__u32 dev, char *buf, size_t size)
{
	if (!find_disk(NULL, dev, buf, size))
		snprintf(buf, size, "%u:%u", dev >> MINOR_BITS,
			 dev & ((1U << MINOR_BITS) - 1));
	return buf;
}

static void fill_row(void *row, const void *key, const void *value)
{
	struct bio_row *r = row;
	const struct bio_key *k = key;
	const char *op = op_name(k->flags & BIO_OP_MASK, r->op_buf,
				 sizeof(r->op_buf));
	int n = 0;

	(void)value;
	/* /proc/partitions is read only for -D. */
	if (opt.per_disk)
		disk_name(k->dev, r->disk_buf, sizeof(r->disk_buf));
	r->disk = (struct ct_str){ r->disk_buf, strlen(r->disk_buf) };
	r->op = (struct ct_str){ op, strlen(op) };
	for (size_t i = 0; i < N_FLAGS; i++) {
		if (!(k->flags & flag_names[i].bit))
			continue;
		r->flag_word[n] = flag_names[i].name;
		r->flag_len[n++] = strlen(flag_names[i].name);
	}
	r->flags = (struct ct_strs){ r->flag_word, r->flag_len, n };
}

static void text_key(const void *row)
{
	const struct bio_row *r = row;

	if (opt.per_disk) {
		fputs("disk = ", stdout);
		ct_fput_escaped(stdout, r->disk.s, r->disk.len, 0);
		fputs(opt.per_flags ? ", " : "\n", stdout);
	}
	if (opt.per_flags) {
		printf("flags = %s", r->op.s);
		for (int i = 0; i < r->flags.n; i++)
			printf(" %s", r->flags.s[i]);
		putchar('\n');
	}
}

static struct ct_hist_map hists = {
	.map = "hists",
	.single_map = "hist",
	.key_size = sizeof(struct bio_key),
	.value_size = sizeof(struct bio_hist),
	.max_entries = BIO_MAX_KEYS,
	.slots_off = offsetof(struct bio_hist, slots),
	.nslots = BIO_SLOTS,
	.what = "I/Os",
	.unit = "usecs",
	.compare = by_key,
	.row_size = sizeof(struct bio_row),
	.fill_row = fill_row,
	.text_key = text_key,
	.prom_help = "Block I/O latency",
	.sum_off = offsetof(struct bio_hist, sum_ns),
};

CT_SKELETON(biolatency_bpf);

static const struct ct_tool tool = {
	.name = "biolatency",
	.summary = "Summarize block device I/O latency as a histogram: from "
		   "issue to the device (or with -Q from queueing) to "
		   "completion.",
	.examples =
		"  biolatency               # one histogram at Ctrl-C\n"
		"  biolatency 1 10          # every second, ten times\n"
		"  biolatency -mT 1         # in ms, every second, with the time\n"
		"  biolatency -Q            # include the time queued\n"
		"  biolatency -D            # one histogram per disk\n"
		"  biolatency -F            # per operation and flags\n"
		"  biolatency --disk sda    # only sda (-d is --duration)\n"
		"  biolatency -c /sys/fs/cgroup/unified/system.slice\n"
		"  biolatency --json -d 10  # JSON after ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.intervals = true,
	.skel = &biolatency_bpf_ct,
	.configure = configure,
	.hists = &hists,
	.banner = "Tracing block device I/O... Hit Ctrl-C to end.",
};

CT_MAIN(tool);
