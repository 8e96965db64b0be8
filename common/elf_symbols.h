/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding functions in ELF files for uprobes, with libelf: where a symbol
 * lies in its file, and which shared library a program takes it from. The
 * dynamic loader is never run (ldd would run it on the traced binary).
 */
#ifndef CT_ELF_SYMBOLS_H
#define CT_ELF_SYMBOLS_H

#include <stddef.h>

/*
 * Look up the defined function sym in the ELF file path (.symtab, then
 * .dynsym) and store in *offset its offset in the file: what a uprobe
 * takes, for executables (PIE or not) and shared objects alike.
 * Returns 0; -ESRCH if path defines no such function; -ENOEXEC if path is
 * not an ELF file with program headers; or -errno from open().
 */
int ct_elf_func_offset(const char *path, const char *sym,
		       unsigned long *offset);

/*
 * Find the file of the library name (e.g. "libreadline.so.8") that the
 * program or library path needs, as the dynamic loader would: DT_RPATH or
 * DT_RUNPATH ($ORIGIN expanded), /etc/ld.so.conf and its includes, then the
 * default directories; only files of path's ELF class and machine match.
 * root ("/proc/PID/root" for a process in a container; NULL or "" for the
 * host) prefixes every directory. The traced process's LD_LIBRARY_PATH and
 * LD_PRELOAD are not known here. Returns 0 or -errno (-ENOENT: not found).
 */
int ct_elf_find_library(const char *path, const char *root, const char *name,
			char *out, size_t size);

/*
 * Which DT_NEEDED library of path defines the function sym: its file goes
 * to out (found as ct_elf_find_library() does). Returns 0, -ESRCH if none
 * of them defines it, or -errno.
 */
int ct_elf_needed_provider(const char *path, const char *root,
			   const char *sym, char *out, size_t size);

#endif
