// SPDX-License-Identifier: GPL-2.0
/* oomkill: trace the OOM killer's victims. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "cgroup_path.h"
#include "columns.h"
#include "feature_probe.h"
#include "kernel_btf.h"
#include "ksyms.h"
#include "tool.h"
#include "tp_attach.h"
#include "oomkill.h"
#include "oomkill.skel.h"

static const struct argp_option options[] = {
	CT_OPT_PID("Only victims of this process ID"),
	CT_OPT_UID("Only victims of this user"),
	CT_OPT_CGROUP("Only victims in this cgroup v2 directory or below"),
	{},
};

/* One victim as its columns see it. */
struct oom_row {
	__u64 ts;
	__u32 tpid;
	struct ct_str tcomm;
	__u32 pid;
	struct ct_str comm;
	__u32 uid;
	int oom_score_adj;
	__u64 total_vm_kb;
	__u64 anon_rss_kb;
	__u64 file_rss_kb;
	__u64 shmem_rss_kb;
	__u64 totalpages;
	struct ct_str constraint;
	bool killed;
	struct ct_str memcg;
	__u8 flags;
	char memcg_buf[PATH_MAX];
};

static bool no_victim(const void *row)
{
	return !(((const struct oom_row *)row)->flags & OOM_VICTIM);
}

static bool no_mm(const void *row)
{
	return !(((const struct oom_row *)row)->flags & OOM_MM);
}

static bool no_pages(const void *row)
{
	return !(((const struct oom_row *)row)->flags & OOM_PAGES);
}

#define COL(field) CT_AT(struct oom_row, field)

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct oom_row, ts),
	CT_COLUMN_ELAPSED(struct oom_row, ts),
	{ "tpid", "TPID", "the process that ran out of memory (current)", -7,
	  CT_COL_UINT, COL(tpid), NULL },
	{ "tcomm", "TCOMM", "its command name", -16, CT_COL_STR, COL(tcomm),
	  NULL },
	{ "pid", "PID", "the victim's process ID (a thread ID where the "
	  "victim's task is unknown)", -7, CT_COL_UINT, COL(pid), NULL },
	{ "comm", "COMM", "the victim's command name", -16, CT_COL_STR,
	  COL(comm), NULL, .null = no_victim },
	{ "uid", "UID", "the victim's real user ID", -5, CT_COL_UINT,
	  COL(uid), NULL, .null = no_victim },
	{ "user", "USER", "the name of uid", -8, CT_COL_USER, COL(uid), NULL,
	  .null = no_victim },
	{ "oom_score_adj", "ADJ", "the victim's oom_score_adj", 5, CT_COL_INT,
	  COL(oom_score_adj), NULL, .null = no_victim },
	{ "total_vm_kb", "VM_KB", "the victim's virtual memory, KiB", 9,
	  CT_COL_UINT, COL(total_vm_kb), NULL, .null = no_mm },
	{ "anon_rss_kb", "ANON_KB", "its resident anonymous memory, KiB", 9,
	  CT_COL_UINT, COL(anon_rss_kb), NULL, .null = no_mm },
	{ "file_rss_kb", "FILE_KB", "its resident file pages, KiB", 9,
	  CT_COL_UINT, COL(file_rss_kb), NULL, .null = no_mm },
	{ "shmem_rss_kb", "SHMEM_KB", "its resident shared memory, KiB", 9,
	  CT_COL_UINT, COL(shmem_rss_kb), NULL, .null = no_mm },
	{ "totalpages", "PAGES", "the pages the exhausted limit allows", 9,
	  CT_COL_UINT, COL(totalpages), NULL, .null = no_pages },
	{ "constraint", "CONSTRAINT", "whose limit: memcg, global, cpuset or "
	  "mempolicy", -10, CT_COL_STR, COL(constraint), NULL },
	{ "killed", "KILLED", "SIGKILL sent (false: an exiting task was only "
	  "marked)", -6, CT_COL_BOOL, COL(killed), NULL, .null = no_victim },
	{ "memcg", "MEMCG", "the victim's memory cgroup", 0, CT_COL_STR,
	  COL(memcg), NULL },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "time,tpid,tcomm,pid,comm,uid,oom_score_adj,anon_rss_kb,"
		"file_rss_kb,shmem_rss_kb,totalpages,constraint,killed,memcg",
	.data = "time,tpid,tcomm,pid,comm,uid,user,oom_score_adj,total_vm_kb,"
		"anon_rss_kb,file_rss_kb,shmem_rss_kb,totalpages,constraint,"
		"killed,memcg",
};

static struct ct_str str_n(const char *s, size_t max)
{
	return (struct ct_str){ s, strnlen(s, max) };
}

static struct ct_str constraint_name(__u8 why)
{
	static const char *const names[] = {
		[OOM_WHY_GLOBAL] = "global",
		[OOM_WHY_CPUSET] = "cpuset",
		[OOM_WHY_MEMPOLICY] = "mempolicy",
		[OOM_WHY_MEMCG] = "memcg",
	};

	if (why >= sizeof(names) / sizeof(names[0]) || !names[why])
		return (struct ct_str){ NULL, 0 };
	return str_n(names[why], 16);
}

/* The victim's memory cgroup, where cgroup v1 or v2 keeps it. */
static void memcg_path(struct oom_row *r, const struct oom_event *e)
{
	char *buf = r->memcg_buf;
	int err;

	r->memcg = (struct ct_str){ NULL, 0 };
	if (!(e->flags & OOM_MEMCG))
		return;
	if (e->flags & OOM_MEMCG_V1)
		err = ct_cgroup1_path("memory", e->memcg_id, buf, PATH_MAX);
	else
		err = ct_cgroup_path(e->memcg_id, buf, PATH_MAX);
	if (!err)
		r->memcg = str_n(buf, PATH_MAX);
}

/*
 * A memcg OOM if the kernel stack ran through mem_cgroup_out_of_memory().
 * Where it lies is read from /proc/kallsyms at the first OOM that needs
 * it, once: not at start, where it took tens of ms.
 */
static __u8 stack_why(const struct oom_event *e)
{
	static struct ct_ksym_range text;
	static bool looked;

	if (!looked) {
		ct_ksyms_find_name("mem_cgroup_out_of_memory", &text);
		looked = true;
	}
	if (!text.start)
		return OOM_WHY_UNKNOWN;
	for (__u32 i = 0; i < e->nframes && i < OOM_STACK_FRAMES; i++)
		if (e->stack[i] >= text.start && e->stack[i] < text.end)
			return OOM_WHY_MEMCG;
	return OOM_WHY_GLOBAL;
}

static void fill_row(struct oom_row *r, const struct oom_event *e)
{
	__u64 kb = sysconf(_SC_PAGESIZE) / 1024;

	r->ts = e->ts;
	r->tpid = e->tpid;
	r->tcomm = str_n(e->tcomm, OOM_COMM_LEN);
	r->pid = e->pid;
	r->comm = str_n(e->comm, OOM_COMM_LEN);
	r->uid = e->uid;
	r->oom_score_adj = e->oom_score_adj;
	r->total_vm_kb = e->total_vm * kb;
	r->anon_rss_kb = e->anon_rss * kb;
	r->file_rss_kb = e->file_rss * kb;
	r->shmem_rss_kb = e->shmem_rss * kb;
	r->totalpages = e->totalpages;
	r->constraint = constraint_name(e->flags & OOM_STACK ?
					stack_why(e) : e->why);
	r->killed = e->flags & OOM_KILLED;
	r->flags = e->flags;
	memcg_path(r, e);
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	static struct oom_row r;

	(void)ctx;
	if (size < sizeof(struct oom_event))
		return 0;
	fill_row(&r, data);
	ct_fields_print(&r);
	return 0;
}

/*
 * Kprobes, without mounting tracefs to learn that there are none: the
 * kprobe PMU (4.17+) says it, or a tracefs mounted anyway. CT_NO_KPROBE
 * lets the tests take the kernel stack's way where kprobes work.
 */
static bool kprobes(void)
{
	if (ct_avoided("CT_NO_KPROBE"))
		return false;
	return !access("/sys/bus/event_source/devices/kprobe/type", R_OK) ||
	       (ct_tracefs() && ct_has_kprobe());
}

static int configure(void *s)
{
	struct oomkill_bpf *skel = s;
	bool btf = ct_choose_tp("mark_victim") == CT_TP_BTF;
	/* Its BTF says the function was built (not inlined): kprobe it. */
	bool kprobe = kprobes() &&
		      ct_kernel_btf_id("oom_kill_process", BTF_KIND_FUNC) > 0;

	bpf_program__set_autoload(skel->progs.btf_mark_victim, btf);
	bpf_program__set_autoload(skel->progs.raw_mark_victim, !btf);
	bpf_program__set_autoload(skel->progs.kprobe_oom_kill_process, kprobe);
	bpf_program__set_autoload(skel->progs.kretprobe_oom_kill_process,
				  kprobe);
	ct_attach_method("victim", btf ? "tp_btf oom:mark_victim" :
					 "raw_tp oom:mark_victim");
	if (kprobe)
		ct_attach_method("constraint", "kprobe oom_kill_process");
	else if (ct_ksyms_shown())
		ct_attach_method("constraint",
				 "kernel stack (mem_cgroup_out_of_memory)");
	else
		ct_attach_method("constraint", "none (no kernel addresses)");
	return 0;
}

CT_SKELETON(oomkill_bpf);

static const struct ct_tool tool = {
	.name = "oomkill",
	.summary = "Trace the OOM killer: one line per victim.",
	.examples =
		"  oomkill                   # every OOM victim\n"
		"  oomkill -u 1000           # victims of user 1000\n"
		"  oomkill -c /sys/fs/cgroup/unified/system.slice\n"
		"  oomkill --json            # JSON lines\n",
	.options = options,
	.fields = &fields,
	.skel = &oomkill_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
