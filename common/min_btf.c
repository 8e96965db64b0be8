// SPDX-License-Identifier: GPL-2.0
/*
 * libbpf relocates an access like task->real_parent->tgid by finding kernel
 * types with the essential name (the name up to any "___" flavour) of the
 * object's own types, then walking their members by name. What it looks at
 * is kept exactly; everything else goes:
 *   - kernel structs, unions, enums and typedefs named like one of the
 *     object's types are kept whole, every one of them (several kernel
 *     types may share a name, and libbpf checks that all agree);
 *   - so are structs and unions embedded in a whole one (by value, also in
 *     arrays) and anonymous members, which libbpf walks into by name;
 *   - a struct or union only reached through a pointer goes: the pointer
 *     points to void (libbpf only checks that a pointer meets a pointer,
 *     and never walks through one in a single access), as do pointers to
 *     functions; all such pointers are one type;
 *   - structs and unions keep their names only where the object names a
 *     type alike (no other is a candidate, see write_composite());
 *   - modifiers and typedefs the object does not name are skipped, as
 *     libbpf skips them when it compares and sizes fields.
 * Member names, offsets, bitfields, integer encodings and enum values are
 * copied, so each relocation comes out as it would against the whole BTF.
 * Relocations that need a kernel type *id* (bpf_core_type_id_kernel()) or
 * compare whole layouts (bpf_core_type_matches()) are not supported: no
 * tool uses them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "min_btf.h"

struct min_btf {
	const struct btf *kernel;
	struct btf *out;
	char **names;		/* essential names the object uses, sorted */
	size_t n_names;
	int *new_id;		/* kernel id -> id in out; -1: not yet */
	bool *whole;		/* composites kept with their members */
	__u32 *order;		/* kernel ids in the order of their new ids */
	__u32 n_order;
	__u32 *todo;		/* composites made whole, members not seen */
	__u32 n_todo;
	int void_ptr;		/* the id in out of void *, 0: none yet */
};

static size_t essential_len(const char *name)
{
	const char *flavour = strstr(name, "___");

	return flavour ? (size_t)(flavour - name) : strlen(name);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool named_kind(int kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION ||
	       kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64 ||
	       kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_FWD;
}

static int collect_names(struct min_btf *m, const struct btf *local)
{
	__u32 i, n = btf__type_cnt(local);

	m->names = calloc(n, sizeof(*m->names));
	if (!m->names)
		return -ENOMEM;
	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(local, i);
		const char *name = btf__name_by_offset(local, t->name_off);

		if (!named_kind(btf_kind(t)) || !name || !name[0])
			continue;
		m->names[m->n_names] = strndup(name, essential_len(name));
		if (!m->names[m->n_names++])
			return -ENOMEM;
	}
	qsort(m->names, m->n_names, sizeof(*m->names), cmp_names);
	return 0;
}

/* Is this kernel type named like one of the object's types? */
static bool named_by_object(const struct min_btf *m, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(m->kernel, t->name_off);
	char key[256];
	size_t len;

	if (!name || !name[0] || !named_kind(btf_kind(t)))
		return false;
	len = essential_len(name);
	if (len >= sizeof(key))
		return false;
	memcpy(key, name, len);
	key[len] = '\0';
	name = key;
	return bsearch(&name, m->names, m->n_names, sizeof(*m->names),
		       cmp_names) != NULL;
}

/* Skip modifiers, typedefs and arrays: what a member holds by value. */
static __u32 held_type(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	while (id && (btf_is_mod(t) || btf_is_typedef(t) || btf_is_array(t))) {
		id = btf_is_array(t) ? btf_array(t)->type : t->type;
		t = btf__type_by_id(btf, id);
	}
	return id;
}

static void make_whole(struct min_btf *m, __u32 id)
{
	if (m->whole[id])
		return;
	m->whole[id] = true;
	m->todo[m->n_todo++] = id;
}

/* Mark the composites to keep whole: named ones, then what they embed. */
static void mark_whole(struct min_btf *m)
{
	__u32 i, n = btf__type_cnt(m->kernel);

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(m->kernel, i);
		__u32 held;

		if (!named_by_object(m, t))
			continue;
		held = held_type(m->kernel, i);
		if (held && btf_is_composite(btf__type_by_id(m->kernel, held)))
			make_whole(m, held);
	}
	while (m->n_todo) {
		const struct btf_type *t;
		const struct btf_member *member;
		__u16 j;

		t = btf__type_by_id(m->kernel, m->todo[--m->n_todo]);
		member = btf_members(t);
		for (j = 0; j < btf_vlen(t); j++, member++) {
			__u32 held = held_type(m->kernel, member->type);
			const struct btf_type *h;

			h = btf__type_by_id(m->kernel, held);
			if (held && btf_is_composite(h))
				make_whole(m, held);
		}
	}
}

static int assign(struct min_btf *m, __u32 id);

/* A new id for kernel type id, to be written in this order. */
static int take(struct min_btf *m, __u32 id)
{
	m->order[m->n_order] = id;
	m->new_id[id] = ++m->n_order;
	return m->new_id[id];
}

/*
 * What a pointer to id points to in out: functions, and structs and unions
 * kept for nothing but being pointed to, become void (libbpf only checks
 * that a pointer meets a pointer): their pointers are all one in out.
 */
static __u32 pointee(const struct min_btf *m, __u32 id)
{
	__u32 target = btf__resolve_type(m->kernel, id);
	const struct btf_type *t;

	if ((int)target <= 0)
		return id;
	t = btf__type_by_id(m->kernel, target);
	if (btf_is_func_proto(t) ||
	    (btf_is_composite(t) && !m->whole[target] &&
	     !named_by_object(m, t)))
		return 0;
	return id;
}

static int assign_members(struct min_btf *m, const struct btf_type *t)
{
	const struct btf_member *member = btf_members(t);
	int err;

	for (__u16 j = 0; j < btf_vlen(t); j++, member++) {
		err = assign(m, member->type);
		if (err < 0)
			return err;
	}
	return 0;
}

/* Give id (and what it refers to) its id in out; returns it, or -errno. */
static int assign(struct min_btf *m, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(m->kernel, id);
	int err = 0;

	if (!id)
		return 0;
	if (!t)
		return -EINVAL;
	if (m->new_id[id] >= 0)
		return m->new_id[id];
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		return take(m, id);
	case BTF_KIND_TYPEDEF:
		if (!named_by_object(m, t))
			return m->new_id[id] = assign(m, t->type);
		take(m, id);
		err = assign(m, t->type);
		break;
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return m->new_id[id] = assign(m, t->type);
	case BTF_KIND_PTR:
		if (pointee(m, t->type))
			take(m, id);
		else if (m->void_ptr)
			return m->new_id[id] = m->void_ptr;
		else
			m->void_ptr = take(m, id);
		err = assign(m, pointee(m, t->type));
		break;
	case BTF_KIND_ARRAY:
		take(m, id);
		err = assign(m, btf_array(t)->type);
		if (err >= 0)
			err = assign(m, btf_array(t)->index_type);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		take(m, id);
		if (m->whole[id])
			err = assign_members(m, t);
		break;
	default:
		/* Functions, variables and sections hold no fields. */
		return m->new_id[id] = 0;
	}
	return err < 0 ? err : m->new_id[id];
}

/*
 * A struct or union the object names no type like is never a candidate of
 * a relocation, and libbpf matches composites along an access whatever
 * their names: it goes without its name, which libbpf's search for
 * candidates, once per type of the object that each start relocates, then
 * passes over at once (~400 of opensnoop's ~470).
 */
static int write_composite(struct min_btf *m, const struct btf_type *t,
			   bool whole)
{
	const char *name = named_by_object(m, t) ?
			   btf__name_by_offset(m->kernel, t->name_off) : "";
	const struct btf_member *member = btf_members(t);
	int id, err;

	id = btf_is_struct(t) ? btf__add_struct(m->out, name, t->size) :
				btf__add_union(m->out, name, t->size);
	if (id < 0 || !whole)
		return id;
	for (__u16 j = 0; j < btf_vlen(t); j++, member++) {
		err = btf__add_field(m->out,
				     btf__name_by_offset(m->kernel,
							 member->name_off),
				     m->new_id[member->type],
				     btf_member_bit_offset(t, j),
				     btf_member_bitfield_size(t, j));
		if (err)
			return err;
	}
	return id;
}

static int write_type(struct min_btf *m, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(m->kernel, id);
	const char *name = btf__name_by_offset(m->kernel, t->name_off);

	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF:
		return btf__add_typedef(m->out, name, m->new_id[t->type]);
	case BTF_KIND_PTR:
		return btf__add_ptr(m->out,
				    m->new_id[pointee(m, t->type)]);
	case BTF_KIND_ARRAY:
		return btf__add_array(m->out,
				      m->new_id[btf_array(t)->index_type],
				      m->new_id[btf_array(t)->type],
				      btf_array(t)->nelems);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return write_composite(m, t, m->whole[id]);
	default:
		return btf__add_type(m->out, m->kernel, t);
	}
}

static int build(struct min_btf *m)
{
	__u32 i, n = btf__type_cnt(m->kernel);
	int err;

	mark_whole(m);
	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(m->kernel, i);

		if (!named_by_object(m, t) && !m->whole[i])
			continue;
		err = assign(m, i);
		if (err < 0)
			return err;
	}
	/* void keeps id 0: what was skipped to void maps there. */
	m->new_id[0] = 0;
	for (i = 0; i < m->n_order; i++) {
		err = write_type(m, m->order[i]);
		if (err < 0)
			return err;
		if ((__u32)err != i + 1)
			return -EINVAL;
	}
	return 0;
}

struct btf *ct_min_btf(const struct btf *kernel, const struct btf *local)
{
	__u32 n = btf__type_cnt(kernel);
	struct min_btf m = { .kernel = kernel };
	int err = -ENOMEM;

	m.new_id = malloc(n * sizeof(*m.new_id));
	m.whole = calloc(n, sizeof(*m.whole));
	m.order = malloc(n * sizeof(*m.order));
	m.todo = malloc(n * sizeof(*m.todo));
	m.out = btf__new_empty();
	if (!m.new_id || !m.whole || !m.order || !m.todo || !m.out)
		goto out;
	memset(m.new_id, 0xff, n * sizeof(*m.new_id));
	err = collect_names(&m, local);
	if (!err)
		err = build(&m);
out:
	for (size_t i = 0; i < m.n_names; i++)
		free(m.names[i]);
	free(m.names);
	free(m.new_id);
	free(m.whole);
	free(m.order);
	free(m.todo);
	if (err) {
		btf__free(m.out);
		errno = -err;
		return NULL;
	}
	return m.out;
}
