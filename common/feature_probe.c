// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "btf_attach.h"
#include "btf_cache.h"
#include "feature_probe.h"
#include "kernel_btf.h"
#include "tool.h"

#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

static bool is_tracefs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == TRACEFS_MAGIC;
}

/*
 * Once found, kept: a tool asks for each tracepoint it checks (statsnoop
 * 14 times, two statfs() each).
 */
const char *ct_tracefs(void)
{
	static const char *found;

	if (!found && is_tracefs(TRACEFS))
		found = TRACEFS;
	if (!found && is_tracefs(DEBUGFS_TRACING))
		found = DEBUGFS_TRACING;
	return found;
}

int ct_mount_tracefs(void)
{
	/* Tried once: a failure stays one. */
	static int err = 1;

	if (ct_tracefs())
		return 0;
	if (err <= 0)
		return err;
	err = mount("tracefs", TRACEFS, "tracefs", 0, NULL) ? -errno : 0;
	if (!err)
		ct_verbose("mounted tracefs at " TRACEFS);
	return err;
}

/* A file in tracefs, mounted for the question if it is nowhere yet. */
static bool tracefs_has(const char *rel)
{
	const char *root;
	char path[PATH_MAX + 64];

	ct_mount_tracefs();
	root = ct_tracefs();
	if (!root)
		return false;
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return access(path, F_OK) == 0;
}

bool ct_has_tracepoint(const char *category, const char *event)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "events/%s/%s/id", category, event);
	return tracefs_has(rel);
}

/*
 * What a probe program finds is a fact of the running kernel, as its types
 * are: the first run on a kernel keeps each answer in its type cache
 * (btf_cache.h, as "probe_<what><target>"), later runs take it from there
 * and load no probe. -vv tells where each answer came from.
 */
static bool answer(const char *what, const char *target,
		   bool (*probe)(const void *arg), const void *arg)
{
	char fact[128];
	int value;
	bool yes, cached = false;
	int n;

	n = snprintf(fact, sizeof(fact), "probe_%s%s", what, target);
	/* A name cut short could be another probe's: not kept. */
	if (n < 0 || (size_t)n >= sizeof(fact))
		return probe(arg);
	cached = ct_btf_cache_fact(fact, &value);
	yes = cached ? value : probe(arg);
	if (!cached)
		ct_btf_cache_learn(fact, yes);
	if (ct_env.verbose > 1)
		ct_verbose("kernel feature %s%s: %s, from %s", what, target,
			   yes ? "yes" : "no",
			   cached ? "the cache" : "a probe");
	return yes;
}

static bool probe_ringbuf(const void *arg)
{
	(void)arg;
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
}

bool ct_has_ringbuf(void)
{
	return answer("ringbuf", "", probe_ringbuf, NULL);
}

static bool probe_raw_tracepoint(const void *arg)
{
	(void)arg;
	return libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT,
					  NULL) == 1;
}

bool ct_has_raw_tracepoint(void)
{
	return answer("raw_tracepoint", "", probe_raw_tracepoint, NULL);
}

struct helper {
	enum bpf_prog_type type;
	enum bpf_func_id id;
};

static bool probe_helper(const void *arg)
{
	const struct helper *h = arg;

	return libbpf_probe_bpf_helper(h->type, h->id, NULL) == 1;
}

bool ct_has_helper(enum bpf_prog_type type, enum bpf_func_id id)
{
	struct helper h = { type, id };
	char what[32];

	snprintf(what, sizeof(what), "helper_%d_%d", type, id);
	return answer(what, "", probe_helper, &h);
}

const char *ct_no_bpf_loop(const char *avoid)
{
	static char why[64];

	if (ct_avoided(avoid)) {
		snprintf(why, sizeof(why), "%s is set", avoid);
		return why;
	}
	if (!ct_has_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_loop))
		return "no bpf_loop() in this kernel (5.17+)";
	return NULL;
}

static bool has_pmu(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type",
		 name);
	return access(path, F_OK) == 0;
}

bool ct_has_kprobe(void)
{
	return has_pmu("kprobe") || tracefs_has("kprobe_events");
}

bool ct_has_kprobe_pmu(void)
{
	return has_pmu("kprobe");
}

bool ct_has_uprobe(void)
{
	return has_pmu("uprobe") || tracefs_has("uprobe_events");
}

/* r0 = 0; exit: a program that does nothing. */
static const struct bpf_insn do_nothing[] = {
	{ .code = 0xb7, .dst_reg = 0 },
	{ .code = 0x95 },
};

/* Did the probe program load? It is not kept either way. */
static bool loaded(int fd)
{
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * Load a tracing program of the given kind on a BTF-typed target (a
 * tracepoint for tp_btf, a function for fentry and fexit).
 */
static int load_btf_tracing(const char *target, enum bpf_attach_type type,
			    const struct bpf_insn *insns, size_t n)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type);
	int id = ct_btf_attach_id(target, type);

	if (id < 0)
		return id;
	opts.attach_btf_id = id;
	return bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns, n,
			     &opts);
}

static bool probe_tp_btf(const void *tracepoint)
{
	return loaded(load_btf_tracing(tracepoint, BPF_TRACE_RAW_TP,
				       do_nothing, 2));
}

bool ct_has_tp_btf(const char *tracepoint)
{
	return answer("tp_btf_", tracepoint, probe_tp_btf, tracepoint);
}

struct tp_arg {
	const char *tracepoint;
	int n;
};

static bool probe_tp_btf_arg(const void *arg)
{
	const struct tp_arg *a = arg;
	/* r1 = *(u64 *)(r1 + n * 8); r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = 0x79, .dst_reg = 1, .src_reg = 1,
		  .off = (__s16)(a->n * 8) },
		{ .code = 0xb7, .dst_reg = 0 },
		{ .code = 0x95 },
	};

	return loaded(load_btf_tracing(a->tracepoint, BPF_TRACE_RAW_TP, insns,
				       3));
}

bool ct_tp_btf_has_arg(const char *tracepoint, int n)
{
	struct tp_arg a = { tracepoint, n };
	char what[32];

	snprintf(what, sizeof(what), "tp_btf_arg%d_", n);
	return answer(what, tracepoint, probe_tp_btf_arg, &a);
}

static bool probe_fentry(const void *arg)
{
	int fd, link;

	(void)arg;
	/* Loading works on kernels that cannot attach: attach too. */
	fd = load_btf_tracing(CT_FENTRY_PROBE_FUNC, BPF_TRACE_FENTRY,
			      do_nothing, 2);
	if (fd < 0)
		return false;
	link = bpf_link_create(fd, 0, BPF_TRACE_FENTRY, NULL);
	close(fd);
	if (link < 0)
		return false;
	close(link);
	return true;
}

bool ct_has_fentry(void)
{
	return answer("fentry", "", probe_fentry, NULL);
}

static bool probe_fexit_func_ret(const void *arg)
{
	/* bpf_get_func_ret(ctx, r10 - 8); r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{ .code = 0xbf, .dst_reg = 2, .src_reg = 10 },	/* r2 = r10 */
		{ .code = 0x07, .dst_reg = 2, .imm = -8 },	/* r2 += -8 */
		{ .code = 0x85, .imm = BPF_FUNC_get_func_ret },
		{ .code = 0xb7, .dst_reg = 0 },
		{ .code = 0x95 },
	};

	(void)arg;
	return loaded(load_btf_tracing(CT_FENTRY_PROBE_FUNC, BPF_TRACE_FEXIT,
				       insns, 5));
}

bool ct_has_fexit_func_ret(void)
{
	return answer("fexit_func_ret", "", probe_fexit_func_ret, NULL);
}

bool ct_avoided(const char *name)
{
	const char *env = getenv(name);

	return env && *env && strcmp(env, "0");
}

bool ct_use_task_btf(void)
{
	const char *why = NULL;

	if (ct_avoided("CT_NO_TASK_BTF"))
		why = "CT_NO_TASK_BTF is set";
	else if (!ct_has_helper(BPF_PROG_TYPE_TRACEPOINT,
				BPF_FUNC_get_current_task_btf))
		why = "no bpf_get_current_task_btf() in this kernel (5.11+)";
	if (why) {
		ct_verbose("kernel reads: bpf_probe_read_kernel() each: %s",
			   why);
		return false;
	}
	ct_verbose("kernel reads: plain loads from the typed task");
	return true;
}
