/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this kernel can do, probed at run time: tools choose their attach
 * method from these, never from the kernel version. The answers of probe
 * programs (all but tracefs, kprobes and uprobes) are kept in the kernel
 * type cache (btf_cache.h): only a first run on a kernel loads them.
 */
#ifndef CT_FEATURE_PROBE_H
#define CT_FEATURE_PROBE_H

#include <stdbool.h>
#include <linux/bpf.h>

/* Where tracefs is mounted ("/sys/kernel/tracing"), or NULL. */
const char *ct_tracefs(void);

/*
 * Mount tracefs at /sys/kernel/tracing if it is nowhere: 0 or -errno. Only
 * what needs it asks (the tracepoint questions here, tools that attach
 * plain tracepoints), so other tools leave the system's mounts alone.
 */
int ct_mount_tracefs(void);

/*
 * Does tracepoint category:event exist (e.g. "syscalls", "sys_enter_open")?
 * Mounts tracefs to find out.
 */
bool ct_has_tracepoint(const char *category, const char *event);

/* BPF ring buffer maps (5.8+). */
bool ct_has_ringbuf(void);

/* Raw tracepoint programs (4.17+). */
bool ct_has_raw_tracepoint(void);

/* Can programs of this type call helper id (libbpf's probe)? */
bool ct_has_helper(enum bpf_prog_type type, enum bpf_func_id id);

/* BTF-typed raw tracepoints (tp_btf, 5.5+) on the given tracepoint name. */
bool ct_has_tp_btf(const char *tracepoint);
/*
 * Does the tracepoint pass argument n (from 0), as its BTF says? The
 * verifier refuses a tp_btf program reading past the last one, and a raw
 * tracepoint's arguments are the same.
 */
bool ct_tp_btf_has_arg(const char *tracepoint, int n);

/* Attaching kprobes through the perf "kprobe" PMU or tracefs. */
bool ct_has_kprobe(void);

/*
 * Kprobes through the perf PMU alone (4.17+): a probe that never mounts
 * tracefs, for a tool that has other hooks needing none.
 */
bool ct_has_kprobe_pmu(void);

/* fentry/fexit programs, tried on a real kernel function. */
bool ct_has_fentry(void);

/* bpf_get_func_ret() in fexit programs (5.17+): any arity of function. */
bool ct_has_fexit_func_ret(void);

/* Attaching uprobes. */
bool ct_has_uprobe(void);

/*
 * Is environment variable name set (not empty, not "0")? The tests set
 * CT_NO_* ones to run a fallback where the kernel has better.
 */
bool ct_avoided(const char *name);

/*
 * Why a program may not use bpf_loop() (5.17+) here: "<avoid> is set"
 * (ct_avoided()) or the kernel lacks it; NULL if it may. For -v.
 */
const char *ct_no_bpf_loop(const char *avoid);

/*
 * Should the BPF programs read the current task through
 * bpf_get_current_task_btf() (5.11+), with plain loads, rather than with
 * bpf_probe_read_kernel() (common/bpf/task.bpf.h: ct_task_btf)? Not with
 * CT_NO_TASK_BTF=1. -v says which, and why.
 */
bool ct_use_task_btf(void);

#endif
