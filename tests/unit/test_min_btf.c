// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/min_btf.c on a small made-up kernel BTF: what the
 * object names is kept whole (through its flavour), what is embedded too,
 * what is only pointed to becomes void, the rest goes; only composites the
 * object names keep their names.
 * (tests/runtime/btf_cache.sh checks real objects against the real kernel.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>

#include "min_btf.h"

/*
 * struct task { int pid; struct task *parent; struct mm_struct *mm;
 *               struct sched inner; const int cval; };
 * struct mm_struct { int x; };	(64 bytes)
 * struct sched { int prio; union { int a; int b; }; };
 * struct ops { int (*fn)(void); };
 * typedef int unused_t;
 */
static struct btf *kernel_btf(void)
{
	struct btf *b = btf__new_empty();
	int i;

	i = btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	assert_int_equal(i, 1);
	btf__add_struct(b, "task", 32);				/* 2 */
	btf__add_field(b, "pid", 1, 0, 0);
	btf__add_field(b, "parent", 3, 64, 0);
	btf__add_field(b, "mm", 5, 128, 0);
	btf__add_field(b, "inner", 6, 192, 0);
	btf__add_field(b, "cval", 12, 224, 0);
	btf__add_ptr(b, 2);					/* 3 */
	btf__add_struct(b, "mm_struct", 64);			/* 4 */
	btf__add_field(b, "x", 1, 0, 0);
	btf__add_ptr(b, 4);					/* 5 */
	btf__add_struct(b, "sched", 8);				/* 6 */
	btf__add_field(b, "prio", 1, 0, 0);
	btf__add_field(b, NULL, 7, 32, 0);
	btf__add_union(b, NULL, 4);				/* 7 */
	btf__add_field(b, "a", 1, 0, 0);
	btf__add_field(b, "b", 1, 0, 0);
	btf__add_func_proto(b, 1);				/* 8 */
	btf__add_ptr(b, 8);					/* 9 */
	btf__add_struct(b, "ops", 8);				/* 10 */
	btf__add_field(b, "fn", 9, 0, 0);
	btf__add_typedef(b, "unused_t", 1);			/* 11 */
	i = btf__add_const(b, 1);				/* 12 */
	assert_int_equal(i, 12);
	return b;
}

/* An object's BTF naming the given composites (flavoured or not). */
static struct btf *local_btf(const char *a, const char *b)
{
	struct btf *btf = btf__new_empty();

	btf__add_struct(btf, a, 4);
	if (b)
		btf__add_struct(btf, b, 4);
	return btf;
}

static const struct btf_type *find(const struct btf *btf, const char *name,
				   int kind)
{
	int id = btf__find_by_name_kind(btf, name, kind);

	return id > 0 ? btf__type_by_id(btf, id) : NULL;
}

static const char *member_name(const struct btf *btf,
			       const struct btf_type *t, int i)
{
	return btf__name_by_offset(btf, btf_members(t)[i].name_off);
}

static void test_named_whole_pointed_shell(void **state)
{
	struct btf *kernel = kernel_btf(), *local = local_btf("task___v2", 0);
	struct btf *min = ct_min_btf(kernel, local);
	const struct btf_type *t, *mm, *cval;

	(void)state;
	assert_non_null(min);
	t = find(min, "task", BTF_KIND_STRUCT);
	assert_non_null(t);
	assert_int_equal(t->size, 32);
	assert_int_equal(btf_vlen(t), 5);
	assert_string_equal(member_name(min, t, 0), "pid");
	assert_string_equal(member_name(min, t, 4), "cval");
	assert_int_equal(btf_member_bit_offset(t, 2), 128);
	assert_int_equal(btf_member_bit_offset(t, 4), 224);
	/* Only pointed to: gone, the pointer points to void. */
	assert_null(find(min, "mm_struct", BTF_KIND_STRUCT));
	mm = btf__type_by_id(min, btf_members(t)[2].type);
	assert_true(btf_is_ptr(mm));
	assert_int_equal(mm->type, 0);
	/* A pointer to a whole one still points to it. */
	assert_ptr_equal(btf__type_by_id(min, btf__type_by_id(min,
			 btf_members(t)[1].type)->type), t);
	/* The modifier is skipped: cval's type is the int itself. */
	cval = btf__type_by_id(min, btf_members(t)[4].type);
	assert_true(btf_is_int(cval));
	/* Unreachable types go. */
	assert_null(find(min, "ops", BTF_KIND_STRUCT));
	assert_null(find(min, "unused_t", BTF_KIND_TYPEDEF));
	btf__free(min);
	btf__free(local);
	btf__free(kernel);
}

static void test_embedded_and_anonymous_whole(void **state)
{
	struct btf *kernel = kernel_btf(), *local = local_btf("task", 0);
	struct btf *min = ct_min_btf(kernel, local);
	const struct btf_type *task, *sched, *anon;

	(void)state;
	assert_non_null(min);
	/* Embedded: whole, but named by nothing the object has. */
	assert_null(find(min, "sched", BTF_KIND_STRUCT));
	task = find(min, "task", BTF_KIND_STRUCT);
	sched = btf__type_by_id(min, btf_members(task)[3].type);
	assert_true(btf_is_struct(sched));
	assert_int_equal(sched->name_off, 0);
	assert_int_equal(btf_vlen(sched), 2);
	assert_string_equal(member_name(min, sched, 0), "prio");
	anon = btf__type_by_id(min, btf_members(sched)[1].type);
	assert_true(btf_is_union(anon));
	assert_int_equal(btf_vlen(anon), 2);
	assert_string_equal(member_name(min, anon, 1), "b");
	btf__free(min);
	btf__free(local);
	btf__free(kernel);
}

static void test_function_pointer_becomes_void(void **state)
{
	struct btf *kernel = kernel_btf(), *local = local_btf("ops", "task");
	struct btf *min = ct_min_btf(kernel, local);
	const struct btf_type *ops, *fn, *task;

	(void)state;
	assert_non_null(min);
	ops = find(min, "ops", BTF_KIND_STRUCT);
	assert_non_null(ops);
	assert_int_equal(btf_vlen(ops), 1);
	fn = btf__type_by_id(min, btf_members(ops)[0].type);
	assert_true(btf_is_ptr(fn));
	assert_int_equal(fn->type, 0);
	/* Named now: whole. */
	task = find(min, "task", BTF_KIND_STRUCT);
	assert_int_equal(btf_vlen(task), 5);
	/* Pointers to void (task's mm too) are one type. */
	assert_int_equal(btf_members(task)[2].type, btf_members(ops)[0].type);
	btf__free(min);
	btf__free(local);
	btf__free(kernel);
}

static void test_nothing_named(void **state)
{
	struct btf *kernel = kernel_btf(), *local = local_btf("not_there", 0);
	struct btf *min = ct_min_btf(kernel, local);

	(void)state;
	assert_non_null(min);
	assert_int_equal(btf__type_cnt(min), 1);
	btf__free(min);
	btf__free(local);
	btf__free(kernel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_whole_pointed_shell),
		cmocka_unit_test(test_embedded_and_anonymous_whole),
		cmocka_unit_test(test_function_pointer_becomes_void),
		cmocka_unit_test(test_nothing_named),
	};

	return cmocka_run_group_tests_name("min_btf", tests, NULL, NULL);
}
