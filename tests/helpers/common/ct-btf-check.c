// SPDX-License-Identifier: GPL-2.0
/*
 * ct-btf-check OBJECT.bpf.o...: proves that the types common/min_btf.c keeps
 * relocate each program of each object exactly as the kernel's whole BTF
 * does. Every program is loaded twice, alone, once against each, and the
 * instructions libbpf loaded are compared (map fds aside). Prints
 *
 *   ok OBJECT PROGRAM: N instructions, M bytes of types
 *   skip OBJECT PROGRAM: does not load on this kernel
 *   FAIL OBJECT PROGRAM: ...
 *
 * and exits 1 if anything failed. Needs root.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "min_btf.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The object with only program name to load, loaded; or NULL. */
static struct bpf_object *load_one(const char *path, const char *name,
				   const char *btf_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	struct bpf_program *prog;

	if (!obj)
		return NULL;
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog,
					  !strcmp(bpf_program__name(prog), name));
	if (bpf_object__load(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static bool is_map_ref(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD ||
		insn->src_reg == BPF_PSEUDO_MAP_VALUE);
}

/* Same instructions, but for the map fds in ld_imm64. */
static bool same_insns(const struct bpf_program *a,
		       const struct bpf_program *b, size_t *count)
{
	const struct bpf_insn *x = bpf_program__insns(a);
	const struct bpf_insn *y = bpf_program__insns(b);
	size_t i, n = bpf_program__insn_cnt(a);

	*count = n;
	if (n != bpf_program__insn_cnt(b))
		return false;
	for (i = 0; i < n; i++) {
		struct bpf_insn u = x[i], v = y[i];

		if (is_map_ref(&u)) {
			u.imm = v.imm = 0;
		}
		if (memcmp(&u, &v, sizeof(u)))
			return false;
	}
	return true;
}

static int check_program(const char *path, const char *name,
			 const char *btf_path, size_t btf_size)
{
	struct bpf_object *whole, *min;
	size_t n;
	int err = 0;

	whole = load_one(path, name, NULL);
	if (!whole) {
		printf("skip %s %s: does not load on this kernel\n", path, name);
		return 0;
	}
	min = load_one(path, name, btf_path);
	if (!min) {
		printf("FAIL %s %s: does not load with the kept types\n", path,
		       name);
		err = 1;
	} else if (!same_insns(bpf_object__find_program_by_name(whole, name),
			       bpf_object__find_program_by_name(min, name),
			       &n)) {
		printf("FAIL %s %s: relocated differently\n", path, name);
		err = 1;
	} else {
		printf("ok %s %s: %zu instructions, %zu bytes of types\n", path,
		       name, n, btf_size);
	}
	bpf_object__close(min);
	bpf_object__close(whole);
	return err;
}

/* Write the kept types for the object to a temporary file. */
static int write_min(struct bpf_object *obj, char *tmp, size_t *size)
{
	struct btf *kernel = btf__load_vmlinux_btf(), *min;
	const void *data;
	__u32 len;
	FILE *f;
	int fd;

	if (!kernel)
		return -1;
	min = ct_min_btf(kernel, bpf_object__btf(obj));
	btf__free(kernel);
	if (!min)
		return -1;
	data = btf__raw_data(min, &len);
	fd = mkstemp(tmp);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		btf__free(min);
		return -1;
	}
	*size = len;
	btf__free(min);
	return 0;
}

static int check_object(const char *path)
{
	char tmp[] = "/tmp/ct-btf-check.XXXXXX";
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	size_t size;
	int err = 0;

	if (!obj || write_min(obj, tmp, &size)) {
		printf("FAIL %s: cannot open it or build its types: %s\n",
		       path, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bpf_object__for_each_program(prog, obj)
		err |= check_program(path, bpf_program__name(prog), tmp, size);
	unlink(tmp);
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	int err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ct-btf-check OBJECT.bpf.o...\n");
		return 2;
	}
	libbpf_set_print(getenv("CT_VERBOSE") ? NULL : quiet);
	for (int i = 1; i < argc; i++)
		err |= check_object(argv[i]);
	return err;
}
