// SPDX-License-Identifier: GPL-2.0
/*
 * The placeholder calls of bpf_rdonly_cast() made kfunc calls before load
 * (rdonly_cast.h). libbpf calls a section handler's prepare callback last
 * before the load, with the program's instructions relocated and its
 * subprograms (bpf_loop() callbacks) appended: the place to patch them.
 * btf_attach.c's handlers (fentry, fexit, tp_btf) call this; so does the
 * tracepoint handler here, which otherwise does what libbpf's would.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#include "btf_attach.h"
#include "rdonly_cast.h"
#include "tool.h"

static int func_id;
static bool tracepoints_ours;

void ct_rdonly_cast_use(int id)
{
	func_id = id > 0 ? id : 0;
}

static bool is_mark(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && !insn->src_reg &&
	       !insn->dst_reg && !insn->off && insn->imm == CT_RDONLY_CAST_MARK;
}

int ct_rdonly_cast_patch(struct bpf_program *prog)
{
	/*
	 * In place: the buffer libbpf hands the kernel next, its length
	 * unchanged.
	 */
	struct bpf_insn *insns = (struct bpf_insn *)bpf_program__insns(prog);
	size_t n = bpf_program__insn_cnt(prog);
	int patched = 0;

	if (!func_id)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_mark(&insns[i]))
			continue;
		insns[i].src_reg = BPF_PSEUDO_KFUNC_CALL;
		insns[i].imm = func_id;
		patched++;
	}
	if (patched)
		ct_verbose("%s: %d call%s of bpf_rdonly_cast(), kernel BTF id "
			   "%d", bpf_program__name(prog), patched,
			   patched == 1 ? "" : "s", func_id);
	return patched;
}

static int tp_prepare_load(struct bpf_program *prog,
			   struct bpf_prog_load_opts *opts, long cookie)
{
	(void)opts;
	(void)cookie;
	ct_rdonly_cast_patch(prog);
	return 0;
}

/* SEC("tracepoint/<category>/<event>"), as libbpf attaches it. */
static int tp_attach(const struct bpf_program *prog, long cookie,
		     struct bpf_link **link)
{
	const char *sec = bpf_program__section_name(prog);
	const char *cat = strchr(sec, '/'), *event;
	char name[128];

	(void)cookie;
	*link = NULL;
	event = cat ? strchr(cat + 1, '/') : NULL;
	if (!event || event - cat - 1 >= (long)sizeof(name))
		return -EINVAL;
	snprintf(name, sizeof(name), "%.*s", (int)(event - cat - 1), cat + 1);
	*link = bpf_program__attach_tracepoint(prog, name, event + 1);
	return *link ? 0 : -errno;
}

void ct_rdonly_cast_init(void)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, opts,
		    .prog_prepare_load_fn = tp_prepare_load,
		    .prog_attach_fn = tp_attach);

	tracepoints_ours = libbpf_register_prog_handler("tracepoint/",
				BPF_PROG_TYPE_TRACEPOINT, 0, &opts) >= 0;
}

bool ct_rdonly_cast_patchable(void)
{
	return tracepoints_ours && ct_btf_attach_all_ours();
}
