/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tools that can attach the same handlers three ways carry one program per
 * way and load only the best one this kernel has: tp_btf (5.5+, typed
 * arguments), raw tracepoints (4.17+, raw arguments), else plain tracepoints
 * (the fields tracefs shows). The kind is told by the section name:
 * "tp_btf/...", "raw_tp/..." (or "raw_tracepoint/..."), "tp/..." (or
 * "tracepoint/...").
 *
 * CT_FORCE_TP=raw_tp or CT_FORCE_TP=tracepoint in the environment caps the
 * choice, so that the tests can run the fallbacks on new kernels too.
 */
#ifndef CT_TP_ATTACH_H
#define CT_TP_ATTACH_H

#include <bpf/libbpf.h>

enum ct_tp_kind { CT_TP_BTF, CT_TP_RAW, CT_TP_PLAIN };

/* "tp_btf", "raw_tp" or "tracepoint". */
const char *ct_tp_kind_name(enum ct_tp_kind kind);

/* The best kind for tracepoint event (e.g. "sched_switch") here. */
enum ct_tp_kind ct_choose_tp(const char *event);

/* Load only obj's programs of that kind; programs of other types stay. */
void ct_autoload_tp(struct bpf_object *obj, enum ct_tp_kind kind);

/*
 * All three: choose for event, keep those programs and say so with -v
 * ("what: using tp_btf"). Returns the kind chosen.
 */
enum ct_tp_kind ct_select_tp(struct bpf_object *obj, const char *what,
			     const char *event);

/*
 * The same, the best kind here no better than first (CT_FORCE_TP, for
 * tests, names another): a tp_btf program costs its load a search of the
 * kernel's BTF by name (~1 ms on 6.18), which a rare event's typed loads
 * do not repay.
 */
enum ct_tp_kind ct_select_tp_from(struct bpf_object *obj, const char *what,
				  const char *event, enum ct_tp_kind first);

#endif
