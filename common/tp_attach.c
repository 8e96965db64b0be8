// SPDX-License-Identifier: GPL-2.0
/* Choosing between tp_btf, raw and plain tracepoint programs at run time. */
#include <stdlib.h>
#include <string.h>

#include "feature_probe.h"
#include "tool.h"
#include "tp_attach.h"

static const char *const kind_names[] = {
	[CT_TP_BTF] = "tp_btf",
	[CT_TP_RAW] = "raw_tp",
	[CT_TP_PLAIN] = "tracepoint",
};

const char *ct_tp_kind_name(enum ct_tp_kind kind)
{
	return kind_names[kind];
}

/* The kind CT_FORCE_TP names (tests), else first. */
static enum ct_tp_kind forced_kind(enum ct_tp_kind first)
{
	const char *force = getenv("CT_FORCE_TP");

	if (!force)
		return first;
	if (!strcmp(force, kind_names[CT_TP_PLAIN]))
		return CT_TP_PLAIN;
	if (!strcmp(force, kind_names[CT_TP_RAW]))
		return CT_TP_RAW;
	return CT_TP_BTF;
}

/* The best kind for event here, no better than first. */
static enum ct_tp_kind choose_from(const char *event, enum ct_tp_kind first)
{
	enum ct_tp_kind best = forced_kind(first);

	if (best <= CT_TP_BTF && ct_has_tp_btf(event))
		return CT_TP_BTF;
	if (best <= CT_TP_RAW && ct_has_raw_tracepoint())
		return CT_TP_RAW;
	return CT_TP_PLAIN;
}

enum ct_tp_kind ct_choose_tp(const char *event)
{
	return choose_from(event, CT_TP_BTF);
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The kind of a program by its section, or -1 for other programs. */
static int prog_kind(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);

	if (starts_with(sec, "tp_btf/"))
		return CT_TP_BTF;
	if (starts_with(sec, "raw_tp/") || starts_with(sec, "raw_tracepoint/"))
		return CT_TP_RAW;
	if (starts_with(sec, "tp/") || starts_with(sec, "tracepoint/"))
		return CT_TP_PLAIN;
	return -1;
}

void ct_autoload_tp(struct bpf_object *obj, enum ct_tp_kind kind)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		int k = prog_kind(prog);

		if (k >= 0)
			bpf_program__set_autoload(prog, k == (int)kind);
	}
}

enum ct_tp_kind ct_select_tp(struct bpf_object *obj, const char *what,
			     const char *event)
{
	return ct_select_tp_from(obj, what, event, CT_TP_BTF);
}

enum ct_tp_kind ct_select_tp_from(struct bpf_object *obj, const char *what,
				  const char *event, enum ct_tp_kind first)
{
	enum ct_tp_kind kind = choose_from(event, first);

	ct_autoload_tp(obj, kind);
	ct_attach_method(what, ct_tp_kind_name(kind));
	return kind;
}
