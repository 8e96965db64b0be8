/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space symbols of traced processes, for stack tools. A process's
 * executable mappings are read (snapshotted) when the tool first sees it,
 * and the files behind them opened (their symbols read at the first
 * lookup), so that a process that exits before the report still resolves. Files are reached through /proc/PID/map_files
 * (deleted files, other mount namespaces), else /proc/PID/root/PATH; a
 * stripped file's functions come from its debug file, found by build ID
 * under /usr/lib/debug/.build-id or by .gnu_debuglink, in the process's
 * root, else from its MiniDebugInfo (.gnu_debugdata) with its .dynsym; the
 * vdso from the tracer's own (one kernel); JIT code from the
 * process's /tmp/perf-PID.map (PID as its namespace numbers it).
 */
#ifndef CT_USYMS_H
#define CT_USYMS_H

#include <stdbool.h>
#include <stddef.h>

struct ct_usyms;

/* A resolved user address: every member may be NULL (unknown). */
struct ct_usym {
	const char *name;	/* the function */
	unsigned long offset;	/* addr - the function's start */
	const char *dso;	/* the mapped file as the process names it */
	unsigned long dso_offset; /* addr's offset in that file */
	bool jit;		/* named by the process's perf map */
};

struct ct_usyms *ct_usyms_new(void);
void ct_usyms_free(struct ct_usyms *u);

/*
 * Read the mappings of process pid, told apart from earlier lives of that
 * pid (or the life before an exec) by id, unless known already; if known,
 * look again for its perf map, which a JIT may have written since.
 * Returns 0, or -errno (-ENOENT: the process is gone; -ESRCH: it maps
 * nothing executable, in an exec or as a zombie; then nothing is kept).
 */
int ct_usyms_snapshot(struct ct_usyms *u, int pid, unsigned long long id);

/*
 * Resolve addr in process (pid, id), snapshotting it first if it never
 * was. Returns 0 (sym filled, possibly with a NULL name) or -ENOENT when
 * the process is unknown or addr is in no mapping and no perf map entry.
 */
int ct_usyms_find(struct ct_usyms *u, int pid, unsigned long long id,
		  unsigned long addr, struct ct_usym *sym);

/* One line of /proc/PID/maps, parsed in place. */
struct ct_maps_line {
	unsigned long start, end, pgoff, inode;
	unsigned int major, minor;
	bool exec;
	const char *path;	/* "" for anonymous memory */
};

/* Parse line (its newline removed): 0, or -EINVAL if malformed. */
int ct_maps_parse_line(char *line, struct ct_maps_line *m);

/* The NSpid of pid (its pid in its own namespace), or pid if unknown. */
int ct_usyms_nspid(int pid);

#endif
