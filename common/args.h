/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for the values users pass on the command line. Each takes the
 * option's name for its message and, on bad input, prints one line naming the
 * option and the value, and exits 2.
 */
#ifndef CT_ARGS_H
#define CT_ARGS_H

#include <stddef.h>
#include <sys/types.h>

/* A process or thread ID: 1 .. pid_max. */
pid_t ct_parse_pid(const char *opt, const char *arg);

/* A user name ("root") or a numeric uid ("0"). */
uid_t ct_parse_user(const char *opt, const char *arg);

/* Seconds, > 0: "10", "0.5", "2m", "1h". */
double ct_parse_duration(const char *opt, const char *arg);

/* An integer in [min, max]. */
long ct_parse_long(const char *opt, const char *arg, long min, long max);

/*
 * The checks behind ct_parse_long() and ct_parse_duration(), without the
 * exit: 0 and the value, or -EINVAL (not a number or duration), -ERANGE (out
 * of range; for durations, more than a year) or -EDOM (duration not > 0).
 */
int ct_long_value(const char *arg, long min, long max, long *v);
int ct_duration_value(const char *arg, double *secs);

/*
 * A string to match in the kernel, into a buffer of size bytes (including
 * the NUL); empty strings and strings too long for the buffer are rejected.
 * Returns its length.
 */
size_t ct_parse_string(const char *opt, const char *arg, char *buf,
		       size_t size);

/*
 * A cgroup v2 directory; returns an O_RDONLY fd on it. A cgroup v1 path or
 * a plain directory gets an error naming where cgroup v2 is mounted, if it is.
 */
int ct_parse_cgroup(const char *opt, const char *arg);

#endif
