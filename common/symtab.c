// SPDX-License-Identifier: GPL-2.0
/* Sorted function symbol tables. See symtab.h. */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symtab.h"

int ct_array_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

int ct_symtab_add(struct ct_symtab *t, unsigned long addr,
		  unsigned long size, const char *name, size_t len)
{
	void *e = t->e, *s = t->strs;

	if (ct_array_grow(&e, &t->cap, t->n + 1, sizeof(*t->e)))
		return -ENOMEM;
	t->e = e;
	if (ct_array_grow(&s, &t->strs_cap, t->strs_len + len + 1, 1))
		return -ENOMEM;
	t->strs = s;
	memcpy(t->strs + t->strs_len, name, len);
	t->strs[t->strs_len + len] = '\0';
	t->e[t->n++] = (struct ct_symtab_ent){ addr, size, t->strs_len };
	t->strs_len += len + 1;
	t->sorted = 0;
	return 0;
}

/* By address; at one address the sized symbol first, then the larger. */
static int by_addr(const void *a, const void *b)
{
	const struct ct_symtab_ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

void ct_symtab_sort(struct ct_symtab *t)
{
	if (t->n)
		qsort(t->e, t->n, sizeof(*t->e), by_addr);
	t->sorted = 1;
}

static unsigned long addr_at(const void *base, size_t i, size_t elem,
			     size_t off)
{
	unsigned long addr;

	memcpy(&addr, (const char *)base + i * elem + off, sizeof(addr));
	return addr;
}

long ct_addr_floor(const void *base, size_t n, size_t elem, size_t off,
		   unsigned long addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr_at(base, mid, elem, off) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	lo--;
	while (lo && addr_at(base, lo - 1, elem, off) ==
		     addr_at(base, lo, elem, off))
		lo--;
	return lo;
}

static bool covers(const struct ct_symtab *t, size_t i, unsigned long addr)
{
	const struct ct_symtab_ent *s = &t->e[i];

	if (s->size)
		return addr - s->addr < s->size;
	while (++i < t->n)
		if (t->e[i].addr != s->addr)
			return addr < t->e[i].addr;
	return false;
}

const char *ct_symtab_find(struct ct_symtab *t, unsigned long addr,
			   unsigned long *off)
{
	long i;

	if (!t->sorted)
		ct_symtab_sort(t);
	i = ct_addr_floor(t->e, t->n, sizeof(*t->e),
			  offsetof(struct ct_symtab_ent, addr), addr);
	/*
	 * A sized symbol that ends below addr may sit inside a larger one
	 * before it (a local label in a function): look back a little.
	 */
	for (int back = 0; i >= 0 && back < 4; back++, i--) {
		if (covers(t, i, addr)) {
			*off = addr - t->e[i].addr;
			return t->strs + t->e[i].name;
		}
		if (!t->e[i].size)
			break;
	}
	return NULL;
}

void ct_symtab_free(struct ct_symtab *t)
{
	free(t->e);
	free(t->strs);
	memset(t, 0, sizeof(*t));
}

/* A hex number, with or without 0x, then one blank. */
static bool parse_hex(char **p, unsigned long *v)
{
	char *s = *p, *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 16);
	if (errno || (*end != ' ' && *end != '\t'))
		return false;
	*p = end + 1;
	return true;
}

int ct_perf_map_read(FILE *f, struct ct_symtab *t)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int err = 0;

	while (!err && (len = getline(&line, &cap, f)) > 0) {
		unsigned long start, size;
		char *p = line;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!parse_hex(&p, &start) || !parse_hex(&p, &size) ||
		    !size || start + size < start || !*p)
			continue;
		err = ct_symtab_add(t, start, size, p, strlen(p));
	}
	free(line);
	return err;
}
