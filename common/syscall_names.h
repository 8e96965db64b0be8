/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System call numbers and names of the architecture the tools are built for,
 * as the raw_syscalls tracepoints report them for native (not compat) tasks.
 * The tables are committed (scripts/gen-syscall-table.sh), complete up to
 * the newest kernel tested, whatever the build host's <asm/unistd.h>.
 */
#ifndef CT_SYSCALL_NAMES_H
#define CT_SYSCALL_NAMES_H

/* "openat" for its number on this architecture, NULL if it has no name. */
const char *ct_syscall_name(long nr);

/*
 * The name of a 32-bit (compat) program's syscall number on this 64-bit
 * architecture ("open" for 5 on x86_64), NULL if it has no name or there is
 * no such ABI.
 */
const char *ct_syscall32_name(long nr);

/* The number of the syscall called name, or -1 if there is none. */
long ct_syscall_nr(const char *name);

#endif
