/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A table of function symbols, sorted by address, for symbolizers: built
 * from an ELF file's symbol tables or a JIT's perf map, searched for the
 * function an address lies in.
 */
#ifndef CT_SYMTAB_H
#define CT_SYMTAB_H

#include <stdio.h>
#include <stddef.h>

struct ct_symtab_ent {
	unsigned long addr;
	unsigned long size;	/* 0: up to the next symbol */
	size_t name;		/* offset in strs */
};

struct ct_symtab {
	struct ct_symtab_ent *e;
	size_t n, cap;
	char *strs;
	size_t strs_len, strs_cap;
	int sorted;
};

/*
 * Make room in array *p (*cap elements of elem bytes) for need elements,
 * doubling: for tables read from files of any length. 0 or -ENOMEM.
 */
int ct_array_grow(void **p, size_t *cap, size_t need, size_t elem);

/*
 * In an array of n elements of elem bytes sorted by the unsigned long at
 * byte off of each, the first of those at the highest address at or below
 * addr, or -1: symbol tables of different element types share the search.
 */
long ct_addr_floor(const void *base, size_t n, size_t elem, size_t off,
		   unsigned long addr);

/* Add name (len bytes) at [addr, addr + size). 0 or -ENOMEM. */
int ct_symtab_add(struct ct_symtab *t, unsigned long addr,
		  unsigned long size, const char *name, size_t len);

/* Sort, once all are added (ct_symtab_find() does it if needed). */
void ct_symtab_sort(struct ct_symtab *t);

/*
 * The symbol addr lies in, with *off its offset there; NULL if none: addr
 * is below the first, past a sized symbol's end, or at or past the next
 * symbol of an unsized one (the last unsized one ends nowhere: NULL).
 */
const char *ct_symtab_find(struct ct_symtab *t, unsigned long addr,
			   unsigned long *off);

void ct_symtab_free(struct ct_symtab *t);

/*
 * Read a perf map ("START SIZE NAME" a line, hex, as JITs write
 * /tmp/perf-PID.map) into t; malformed lines are skipped. 0 or -ENOMEM.
 */
int ct_perf_map_read(FILE *f, struct ct_symtab *t);

#endif
