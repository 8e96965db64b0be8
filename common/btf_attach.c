// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf reads the whole kernel BTF before loading any tracing program that
 * does not attach to another BPF program, and then resolves the program's
 * target itself. Custom section handlers take both over: libbpf looks up
 * the handler of a section before its own, and calls its prepare callback
 * last before the load, with the attributes it is about to pass.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "btf_attach.h"
#include "kernel_btf.h"
#include "rdonly_cast.h"
#include "tool.h"

struct section {
	const char *prefix;	/* "tp_btf" for SEC("tp_btf/<target>") */
	enum bpf_attach_type type;
};

static const struct section sections[] = {
	{ "tp_btf", BPF_TRACE_RAW_TP },
	{ "fentry", BPF_TRACE_FENTRY },
	{ "fexit", BPF_TRACE_FEXIT },
};

#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

/*
 * libbpf only skips its whole-BTF parse for a program it believes attaches
 * to another program, which it tells by a nonzero attach_prog_fd. No open
 * file has this number: prepare_load() clears it before the kernel sees it,
 * and if that ever failed to happen the load would fail (EBADF), loudly.
 */
#define NO_PROG_FD INT_MAX

/* The target named after the section's '/', or NULL. */
static const char *target_of(const struct bpf_program *prog)
{
	const char *slash = strchr(bpf_program__section_name(prog), '/');

	return slash && slash[1] ? slash + 1 : NULL;
}

/* The kernel's BTF name and kind of target: 0, or -ENAMETOOLONG. */
static int btf_name(const char *target, enum bpf_attach_type type,
		    char *name, size_t size, int *kind)
{
	bool tp = type == BPF_TRACE_RAW_TP;

	*kind = tp ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC;
	if (snprintf(name, size, "%s%s", tp ? "btf_trace_" : "", target) >=
	    (int)size)
		return -ENAMETOOLONG;
	return 0;
}

int ct_btf_attach_id(const char *target, enum bpf_attach_type type)
{
	char name[160];
	int kind, id;

	if (btf_name(target, type, name, sizeof(name), &kind))
		return -ENOENT;
	id = ct_kernel_btf_id(name, kind);
	/* Not an answer (unreadable or odd BTF): ask libbpf, slower. */
	if (id < 0 && id != -ENOENT)
		id = libbpf_find_vmlinux_btf_id(target, type);
	return id > 0 ? id : -ENOENT;
}

/* Where ct_btf_attach_id() found the id of target, for -v. */
static const char *source_of(const char *target, enum bpf_attach_type type)
{
	char name[160];
	int kind;

	btf_name(target, type, name, sizeof(name), &kind);
	return ct_kernel_btf_remembered(name, kind) ? "the cache" :
	       CT_KERNEL_BTF;
}

static int setup(struct bpf_program *prog, long cookie)
{
	(void)cookie;
	return bpf_program__set_attach_target(prog, NO_PROG_FD, NULL);
}

static int prepare_load(struct bpf_program *prog,
			struct bpf_prog_load_opts *opts, long cookie)
{
	enum bpf_attach_type type = sections[cookie].type;
	const char *target = target_of(prog);
	int id = target ? ct_btf_attach_id(target, type) : -EINVAL;

	if (id < 0) {
		ct_warn("%s: no such target in the kernel's BTF",
			bpf_program__section_name(prog));
		return id;
	}
	ct_verbose("%s: kernel BTF id %d, from %s",
		   bpf_program__section_name(prog), id,
		   source_of(target, type));
	opts->attach_prog_fd = 0;
	opts->attach_btf_obj_fd = 0;	/* the kernel's own BTF */
	opts->attach_btf_id = id;
	ct_rdonly_cast_patch(prog);
	return 0;
}

static int attach(const struct bpf_program *prog, long cookie,
		  struct bpf_link **link)
{
	(void)cookie;
	*link = bpf_program__attach_trace(prog);
	return *link ? 0 : -errno;
}

/* Sections whose handler libbpf took. */
static bool ours[N_SECTIONS];

void ct_btf_attach_init(void)
{
	static bool done;
	char sec[32];

	if (done)
		return;
	done = true;
	ct_rdonly_cast_init();
	for (size_t i = 0; i < N_SECTIONS; i++) {
		LIBBPF_OPTS(libbpf_prog_handler_opts, opts,
			    .cookie = i,
			    .prog_setup_fn = setup,
			    .prog_prepare_load_fn = prepare_load,
			    .prog_attach_fn = attach);

		snprintf(sec, sizeof(sec), "%s/", sections[i].prefix);
		/* Failing that, libbpf resolves the target itself. */
		ours[i] = libbpf_register_prog_handler(sec,
				BPF_PROG_TYPE_TRACING, sections[i].type,
				&opts) >= 0;
		if (!ours[i])
			ct_verbose("%s programs: libbpf finds their targets",
				   sections[i].prefix);
	}
}

bool ct_btf_attach_ours(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);

	for (size_t i = 0; i < N_SECTIONS; i++) {
		size_t len = strlen(sections[i].prefix);

		if (!strncmp(sec, sections[i].prefix, len) && sec[len] == '/')
			return ours[i] &&
			       bpf_program__type(prog) == BPF_PROG_TYPE_TRACING;
	}
	return false;
}

bool ct_btf_attach_all_ours(void)
{
	for (size_t i = 0; i < N_SECTIONS; i++)
		if (!ours[i])
			return false;
	return true;
}
