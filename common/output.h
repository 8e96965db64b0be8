/* SPDX-License-Identifier: GPL-2.0 */
/* Formatting of times, errors and users for event output. */
#ifndef CT_OUTPUT_H
#define CT_OUTPUT_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#include "users.h"

/* Record when the tool started, and how CLOCK_MONOTONIC maps to wall time. */
void ct_time_init(void);

/* CLOCK_REALTIME read between two reads of CLOCK_MONOTONIC, in ns. */
struct ct_clock_reading {
	__u64 mono_before;
	__u64 real;
	__u64 mono_after;
};

/* The readings ct_time_init() takes. */
#define CT_CLOCK_READINGS 4

/*
 * CLOCK_REALTIME - CLOCK_MONOTONIC from the narrowest of n > 0 readings
 * (the first of equals), the wall clock taken as read at the middle of
 * its bracket.
 */
__s64 ct_realtime_offset(const struct ct_clock_reading *r, int n);

/* CLOCK_MONOTONIC now, in ns: the clock of bpf_ktime_get_ns(). */
__u64 ct_now_ns(void);

/* "HH:MM:SS" local time of a bpf_ktime_get_ns() timestamp; buf >= 9. */
char *ct_fmt_hms(char *buf, size_t size, __u64 ktime_ns);

/* ISO 8601 UTC with microseconds, "2026-11-23T10:58:07.123456Z"; buf >= 28. */
char *ct_fmt_iso8601(char *buf, size_t size, __u64 ktime_ns);

/* The room ct_put_iso8601() needs, more than it takes (even past 9999). */
#define CT_ISO8601_MAX 64

/* The same written at d (no NUL), which has CT_ISO8601_MAX bytes; the end. */
char *ct_put_iso8601(char *d, __u64 ktime_ns);

/* Seconds from the tool's start to a bpf_ktime_get_ns() timestamp. */
double ct_secs_since_start(__u64 ktime_ns);

/* The same in ns. */
__u64 ct_ns_since_start(__u64 ktime_ns);

/* "ENOENT" for 2 (positive or negative), NULL if it has no name. */
const char *ct_errno_name(int err);

/*
 * The errno number named "ENOENT" or "enoent", aliases included
 * ("EWOULDBLOCK" is EAGAIN's number); 0 if there is no such name.
 */
int ct_errno_by_name(const char *name);

#endif
