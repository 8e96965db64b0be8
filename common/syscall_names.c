// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall numbers to names and back, from the committed tables of
 * scripts/gen-syscall-table.sh: complete up to the newest kernel tested,
 * however old the build host's <asm/unistd.h>.
 */
#include <stddef.h>
#include <string.h>

#include "syscall_names.h"

#define CT_SYSCALL(nr, name) [nr] = #name,
#if defined(__x86_64__)
static const char *const table[] = {
#include "syscall_table_x86_64.h"
};
static const char *const table32[] = {
#include "syscall_table_i386.h"
};
#else
#error "no syscall table for this arch: scripts/gen-syscall-table.sh"
#endif
#undef CT_SYSCALL

#define LEN(t) ((long)(sizeof(t) / sizeof(t[0])))

/* Numbers without a syscall are NULL in the tables. */
const char *ct_syscall_name(long nr)
{
	return nr >= 0 && nr < LEN(table) ? table[nr] : NULL;
}

const char *ct_syscall32_name(long nr)
{
	return nr >= 0 && nr < LEN(table32) ? table32[nr] : NULL;
}

long ct_syscall_nr(const char *name)
{
	for (long nr = 0; nr < LEN(table); nr++)
		if (table[nr] && !strcmp(table[nr], name))
			return nr;
	return -1;
}
