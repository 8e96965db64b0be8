/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbols from /proc/kallsyms, for stack tools: the function (or
 * BPF program) and module an address lies in. A symbol ends where the next
 * one starts; an address past the last one, or in data, has none.
 * Under kptr_restrict the kernel shows every address as zero: that is told
 * apart, so that no frame is given a wrong name.
 */
#ifndef CT_KSYMS_H
#define CT_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ct_ksyms;

/* A resolved address: name (name_len bytes) + offset, in module or NULL. */
struct ct_ksym {
	const char *name;
	size_t name_len;	/* without a .llvm.<hash> or .cold suffix */
	const char *module;	/* NULL for the kernel image */
	unsigned long offset;
};

/* Read /proc/kallsyms. NULL with errno set if it cannot be read. */
struct ct_ksyms *ct_ksyms_load(void);

/* Read kallsyms lines from f; lines not of that form are skipped. */
struct ct_ksyms *ct_ksyms_parse(FILE *f);

void ct_ksyms_free(struct ct_ksyms *ks);

/* Were all addresses zero (kptr_restrict, or no CAP_SYSLOG)? */
bool ct_ksyms_restricted(const struct ct_ksyms *ks);

/* How many symbols were read. */
size_t ct_ksyms_count(const struct ct_ksyms *ks);

/* Fill *sym for addr: 0, or -ENOENT (no function there), -EPERM (hidden). */
int ct_ksyms_find(const struct ct_ksyms *ks, unsigned long addr,
		  struct ct_ksym *sym);

/* Where a function's code lies: [start, end). */
struct ct_ksym_range {
	unsigned long start, end;
};

/*
 * Find function name of the kernel image (a text symbol, the first of
 * that name) in kallsyms read from f, for a tool that needs a few
 * symbols and not the table: the file is read up to the line after it,
 * and nothing is kept. 0, or -ENOENT (no such function, or no symbol of
 * the image after it), -EPERM (addresses hidden); *r is zero unless 0.
 */
int ct_ksyms_scan_name(FILE *f, const char *name, struct ct_ksym_range *r);

/* The same in /proc/kallsyms; also -errno where it cannot be opened. */
int ct_ksyms_find_name(const char *name, struct ct_ksym_range *r);

/*
 * Does kallsyms read from f show addresses? Its first function tells,
 * read in microseconds where the whole file takes tens of milliseconds.
 */
bool ct_ksyms_scan_shown(FILE *f);

/* The same for /proc/kallsyms: false where it cannot be read. */
bool ct_ksyms_shown(void);

/*
 * The length of name without the suffixes a compiler adds to a function's
 * copies or parts: ".llvm.<digits>" (ThinLTO promoted locals) and ".cold",
 * ".cold.<digits>" (GCC's split-off unlikely code): they share a frame.
 */
size_t ct_sym_base_len(const char *name, size_t len);

#endif
