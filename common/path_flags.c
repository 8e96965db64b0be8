// SPDX-License-Identifier: GPL-2.0
/* A path as text, with the marks of how it was obtained. */
#include <errno.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/libbpf.h>

#include "escape.h"
#include "feature_probe.h"
#include "kernel_btf.h"
#include "path_flags.h"
#include "rdonly_cast.h"
#include "tool.h"

size_t ct_buf_path(struct ct_buf *b, const char *path, size_t len,
		   unsigned int flags)
{
	static const struct {
		unsigned int flag;
		const char *mark;
	} marks[] = {
		{ CT_PATH_DELETED, " (deleted)" },
		{ CT_PATH_RECONSTRUCTED, " (reconstructed)" },
		{ CT_PATH_UNRESOLVED, " (unresolved)" },
	};
	size_t n = 0;

	if (flags & CT_PATH_HEAD_MISSING)
		n += ct_buf_puts(b, "...");
	n += ct_buf_escaped(b, path, len, 0);
	if (flags & CT_PATH_TAIL_MISSING)
		n += ct_buf_puts(b, "...");
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (flags & marks[i].flag)
			n += ct_buf_puts(b, marks[i].mark);
	return n;
}

static const char *needle;

const char *ct_contains_parse(const char *arg, size_t max)
{
	if (!*arg)
		ct_usage_error("--contains: empty string");
	if (strlen(arg) > max)
		ct_usage_error("--contains: %zu bytes, longer than the longest "
			       "path shown (%zu)", strlen(arg), max);
	needle = arg;
	return arg;
}

bool ct_contains_where(const char *what, char *buf, unsigned int *len)
{
	const char *why = ct_no_bpf_loop("CT_NO_KERNEL_CONTAINS");
	size_t n = strlen(needle);

	if (why) {
		ct_verbose("--contains: %s: matching in user space, %s "
			   "crosses the buffer", why, what);
		return false;
	}
	/*
	 * The verifier walks the comparison once per byte of a needle it
	 * knows: 63 took seconds to load in an emulated guest. 16 bytes
	 * are as selective in practice.
	 */
	if (n >= CT_CONTAINS_BYTES) {
		n = CT_CONTAINS_HEAD;
		ct_verbose("--contains: matching its first %zu bytes in the "
			   "kernel, the whole in user space", n);
	} else {
		ct_verbose("--contains: matching in the kernel");
	}
	memcpy(buf, needle, n);
	*len = n;
	return true;
}

/* The kernel's names of what the typed walk casts to. */
#define RDONLY_CAST "bpf_rdonly_cast"

/* The kernel's BTF ids the typed walk needs, into ids; NULL, or why not. */
static const char *typed_ids(struct ct_path_btf_ids *ids)
{
	static const char *const structs[] = {
		"files_struct", "dentry", "mount", "task_struct",
	};
	__u32 *to[] = { &ids->files, &ids->dentry, &ids->mount, &ids->task };
	int func, id;

	if (ct_avoided("CT_NO_TYPED_WALK"))
		return "CT_NO_TYPED_WALK is set";
	if (!ct_rdonly_cast_patchable())
		return "libbpf keeps the programs' sections to itself";
	/* One pass over the kernel's BTF answers all, if the cache cannot. */
	ct_kernel_btf_ask(RDONLY_CAST, BTF_KIND_FUNC);
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++)
		ct_kernel_btf_ask(structs[i], BTF_KIND_STRUCT);
	func = ct_kernel_btf_id(RDONLY_CAST, BTF_KIND_FUNC);
	if (func <= 0)
		return "no bpf_rdonly_cast() in this kernel (6.2+)";
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
		id = ct_kernel_btf_id(structs[i], BTF_KIND_STRUCT);
		if (id <= 0)
			return "a type it casts to is not in the kernel's BTF";
		*to[i] = id;
	}
	ct_rdonly_cast_use(func);
	return NULL;
}

/*
 * Were the BPF programs given the typed walk's ids (they may fall back)?
 * Were they taken back, to be cleared in the object opened again?
 */
static bool typed_ids_set, typed_ids_dropped;

/*
 * In bpf_loop(), by typed loads where the kernel has bpf_rdonly_cast();
 * else by a helper call an object, as before 6.2.
 */
static void choose_loop_walk(volatile struct ct_path_btf_ids *ids)
{
	struct ct_path_btf_ids found = { 0 };
	const char *why = typed_ids(&found);

	if (why) {
		ct_verbose("paths: walked in bpf_loop() by helper reads: %s",
			   why);
		return;
	}
	ids->files = found.files;
	ids->dentry = found.dentry;
	ids->mount = found.mount;
	ids->task = found.task;
	typed_ids_set = true;
	ct_verbose("paths: walked in bpf_loop() by typed loads (kernel BTF "
		   "ids from %s)",
		   ct_kernel_btf_remembered(RDONLY_CAST, BTF_KIND_FUNC) ?
		   "the type cache" : CT_KERNEL_BTF);
}

bool ct_path_walk_in_loop(bool contains_in_kernel, bool full_path,
			  volatile struct ct_path_btf_ids *ids)
{
	static int loop = -1;
	const char *why;

	if (loop >= 0)
		return loop;
	loop = contains_in_kernel;
	if (!loop && full_path) {
		why = ct_no_bpf_loop("CT_NO_LOOP_WALK");
		if (why)
			ct_verbose("paths: walked unrolled: %s", why);
		loop = !why;
	}
	if (loop)
		choose_loop_walk(ids);
	return loop;
}

bool ct_path_typed_fallback(void)
{
	if (!typed_ids_set)
		return false;
	typed_ids_set = false;
	typed_ids_dropped = true;
	ct_rdonly_cast_use(0);
	ct_verbose("paths: the kernel refused the walk by typed loads: "
		   "walked in bpf_loop() by helper reads");
	return true;
}

int ct_path_typed_clear(struct bpf_object *obj)
{
	struct ct_path_btf_ids *ids;

	if (!typed_ids_dropped)
		return 0;
	ids = ct_rodata_var(obj, "ct_path_ids", sizeof(*ids));
	if (!ids) {
		ct_warn("internal error: no ct_path_ids in the BPF object");
		return -ENOENT;
	}
	memset(ids, 0, sizeof(*ids));
	return 0;
}

static void leave_out(struct bpf_program *prog, struct bpf_program *used)
{
	if (prog != used)
		bpf_program__set_autoload(prog, false);
}

struct bpf_program *ct_walk_program(bool full_path, bool in_loop,
				    struct bpf_program *none,
				    struct bpf_program *unrolled,
				    struct bpf_program *loop)
{
	struct bpf_program *used;

	used = !full_path ? none : in_loop ? loop : unrolled;
	leave_out(none, used);
	leave_out(unrolled, used);
	leave_out(loop, used);
	return used;
}

bool ct_contains_match(const char *path, size_t len)
{
	return !needle || memmem(path, len, needle, strlen(needle));
}
