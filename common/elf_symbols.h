/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding functions in ELF files for uprobes, with libelf: where a symbol
 * lies in its file, and which shared library a program takes it from. The
 * dynamic loader is never run (ldd would run it on the traced binary).
 */
#ifndef CT_ELF_SYMBOLS_H
#define CT_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "symtab.h"

/*
 * Open path for reading only if it is a regular file: the paths come from
 * traced processes, and a FIFO or a device node must neither block the
 * tool nor be opened for real. Returns the fd, or -1 with errno set
 * (EINVAL: not a regular file).
 */
int ct_open_regular(const char *path);
/* The same, as a stdio stream; NULL with errno set. */
FILE *ct_fopen_regular(const char *path);

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

/*
 * For symbolizers: what an ELF file says about itself. Loadable segments
 * map file offsets (as /proc/PID/maps has them) to the addresses symbols
 * use; a stripped file names its separate debug file by build ID
 * (/usr/lib/debug/.build-id/xx/yyyy.debug) or debug link, or carries
 * MiniDebugInfo.
 */
#define CT_ELF_MAX_LOADS 16
#define CT_ELF_BUILD_ID_MAX 64

struct ct_elf_info {
	struct {
		unsigned long vaddr, offset, filesz;
	} loads[CT_ELF_MAX_LOADS];
	int n_loads;
	unsigned char build_id[CT_ELF_BUILD_ID_MAX];
	size_t build_id_len;
	char debuglink[256];	/* "" for none */
	unsigned int debuglink_crc;
	bool has_symtab;	/* a .symtab: not stripped */
	bool has_minidebug;	/* a .gnu_debugdata section */
};

/*
 * Read info from the ELF file open on fd, and, if syms is not NULL, add
 * its functions (.symtab, and .dynsym where there is no .symtab) to syms.
 * Returns 0, or -ENOEXEC if it is no ELF file (or a broken one).
 */
int ct_elf_read_fd(int fd, struct ct_elf_info *info, struct ct_symtab *syms);

/* The same for an ELF image of size bytes in memory (copied first). */
int ct_elf_read_mem(const void *image, size_t size, struct ct_elf_info *info,
		    struct ct_symtab *syms);

/*
 * MiniDebugInfo, which Fedora, RHEL and CentOS add to stripped files: a
 * .gnu_debugdata section, an xz-compressed ELF file whose .symtab has the
 * functions .dynsym lacks. Decompressed only up to this size (a
 * million functions' symbols and names take about 50 MB).
 */
#define CT_MINIDEBUG_MAX (64UL << 20)

/*
 * Add to syms the functions of the MiniDebugInfo of the ELF file open on
 * fd. Returns 0; -ENOENT if it has none; -EFBIG if it is larger than
 * CT_MINIDEBUG_MAX; -EINVAL if its xz data is broken; -ENOEXEC if either
 * is no ELF file, they differ in class or machine, or the inner one has
 * no .symtab; -ENOMEM.
 */
int ct_elf_read_minidebug_fd(int fd, struct ct_symtab *syms);

/* The same for an ELF image of size bytes in memory (copied first). */
int ct_elf_read_minidebug_mem(const void *image, size_t size,
			      struct ct_symtab *syms);

/* The address symbols use for file offset off: 0, or -ENOENT. */
int ct_elf_offset_to_vaddr(const struct ct_elf_info *info, unsigned long off,
			   unsigned long *vaddr);

#endif
