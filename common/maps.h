/* SPDX-License-Identifier: GPL-2.0 */
/* Reading the maps in which tools aggregate in the kernel. */
#ifndef CT_MAPS_H
#define CT_MAPS_H

#include <stddef.h>
#include <bpf/libbpf.h>

/*
 * Take every entry out of the hash map fd: copy up to max keys and values
 * into the arrays keys and values (key_size and value_size bytes each) and
 * delete them from the map, so that the next interval starts from zero.
 * Returns how many were taken, or -errno.
 */
int ct_map_take_all(int fd, size_t key_size, size_t value_size, size_t max,
		    void *keys, void *values);

/*
 * The same, into a new array *out of n records of rec_size bytes: each
 * its key at offset 0, its value at val_off (a struct of both). *out is
 * NULL unless n > 0. Returns n, or -errno.
 */
int ct_map_take_records(int fd, size_t key_size, size_t value_size,
			size_t max, size_t rec_size, size_t val_off,
			void **out);

/* The sum over all CPUs of the __u64 at key 0 of a per-CPU array. */
unsigned long long ct_map_percpu_sum(int fd);

/*
 * If obj's ct_missed counter (common/bpf/missed.bpf.h) grew since the
 * last call, say so on stderr: "N what not counted (a map was full)".
 */
void ct_report_missed(struct bpf_object *obj, const char *what);

/* The same, in other words: "N lost (a map was full)". */
void ct_report_map_full(struct bpf_object *obj, const char *lost);

/*
 * Tests fill a tool's maps with few entries: CT_MAP_ENTRIES="NAME=N,..."
 * sizes obj's maps so before load, after the tool's own sizes. 0, or
 * CT_EXIT_USAGE said on stderr.
 */
int ct_maps_sized_by_env(struct bpf_object *obj);

#endif
