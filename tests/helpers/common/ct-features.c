// SPDX-License-Identifier: GPL-2.0
/*
 * ct-features: prints what common/feature_probe.c finds on this kernel, one
 * "name=yes|no" line per feature, so that the runtime tests can check the
 * probes (and the attach methods the tools choose from them) against what
 * the kernel under test is known to offer. Needs root. Built with common/,
 * hence not a generic helper.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "feature_probe.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void show(const char *name, bool present)
{
	printf("%s=%s\n", name, present ? "yes" : "no");
}

int main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "ct-features: needs root\n");
		return 1;
	}
	/* Probing fentry on a kernel without it makes libbpf complain. */
	libbpf_set_print(quiet);
	/* Tracepoints are found in tracefs, which may not be mounted yet. */
	ct_mount_tracefs();
	show("tracepoint", ct_has_tracepoint("sched", "sched_switch"));
	show("raw_tracepoint", ct_has_raw_tracepoint());
	show("tp_btf", ct_has_tp_btf("sched_switch"));
	show("ringbuf", ct_has_ringbuf());
	show("kprobe", ct_has_kprobe());
	show("fentry", ct_has_fentry());
	show("uprobe", ct_has_uprobe());
	return 0;
}
