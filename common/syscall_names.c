// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall numbers to names and back, from the generated syscall_table.h
 * (and syscall_table32.h for 32-bit programs).
 */
#include <stddef.h>
#include <string.h>
#include <asm/unistd.h>

#include "syscall_names.h"

struct syscall_entry {
	long nr;
	const char *name;
};

/* syscall_table.h lists CT_SYSCALL(name) for every __NR_name there is. */
#define CT_SYSCALL(name) { __NR_##name, #name },
static const struct syscall_entry table[] = {
#include "syscall_table.h"
};
#undef CT_SYSCALL

#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

/* syscall_table32.h: CT_SYSCALL32(name, nr) of the compat ABI, if any. */
#define CT_SYSCALL32(name, nr) { nr, #name },
static const struct syscall_entry table32[] = {
#include "syscall_table32.h"
	{ -1, NULL }	/* the table may be empty: not C */
};
#undef CT_SYSCALL32

/* A few hundred entries, looked up once per printed line: no index needed. */
static const char *name_in(const struct syscall_entry *t, size_t n, long nr)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].name && t[i].nr == nr)
			return t[i].name;
	return NULL;
}

const char *ct_syscall_name(long nr)
{
	return name_in(table, TABLE_LEN, nr);
}

const char *ct_syscall32_name(long nr)
{
	return name_in(table32, sizeof(table32) / sizeof(table32[0]), nr);
}

long ct_syscall_nr(const char *name)
{
	for (size_t i = 0; i < TABLE_LEN; i++)
		if (!strcmp(table[i].name, name))
			return table[i].nr;
	return -1;
}
