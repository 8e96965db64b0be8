/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --prom-textfile[=DIR]: metrics for node_exporter's textfile collector.
 * Every --prom-interval the tool rewrites DIR/coretrace-TOOL[-RUN].prom
 * atomically (a dot file in DIR, then rename()), and removes it on exit:
 * node_exporter would serve a stale file forever. Counters and histogram
 * buckets are cumulative since the start (rate() needs them monotonic), so
 * user space keeps 64-bit totals of what it takes from the kernel's maps.
 *
 * Every tool writes its health (coretrace_info, and events sent, received,
 * lost or counts a full map dropped); aggregating tools add their
 * histograms (hist_map.h) or counters (struct ct_column's counter).
 * docs/FLEET.md lists the metrics.
 */
#ifndef CT_PROM_H
#define CT_PROM_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define CT_PROM_DEFAULT_DIR "/var/lib/prometheus/node-exporter"
#define CT_PROM_DEFAULT_INTERVAL 15.0

/* What the tool knows about its own health when it writes the file. */
struct ct_prom_health {
	bool events;		/* an event tool: the three below apply */
	__u64 sent;
	__u64 received;
	__u64 lost;
	bool maps;		/* an aggregating tool: map_full applies */
	__u64 map_full;
};

/*
 * Check DIR and claim the file: no other run may write it (exit 1 with a
 * message naming --prom-instance). Returns 0 or an exit code.
 */
int ct_prom_start(void);

/* The file's contents being written; NULL on failure (said once). */
FILE *ct_prom_begin(void);

/*
 * Add the health metrics, then replace the file with what was written
 * since ct_prom_begin(). Returns 0, or 1 after a message.
 */
int ct_prom_commit(const struct ct_prom_health *health);

/* Remove the file (at exit). */
void ct_prom_stop(void);

/* # HELP and # TYPE of a metric. */
void ct_prom_head(FILE *f, const char *name, const char *type,
		  const char *help);

/* A label value, quoted and escaped as the exposition format wants. */
void ct_prom_quote(FILE *f, const char *s, size_t len);

/*
 * A histogram of log2 slots in cumulative 64-bit counts (slot i: values
 * in [2^i, 2^(i+1)) units of 10^-unit_exp seconds; the last slot is "and
 * above", only in +Inf), with its labels from row (ct_fields_prom_labels)
 * and sum_ns, the sum of the values in ns.
 */
void ct_prom_hist(FILE *f, const char *name, const void *row,
		  const __u64 *slots, int nslots, int unit_exp, __u64 sum_ns);

/*
 * The same for values that are counts (a queue's length): slot i's bound
 * le is 2^(i+1) - 1, exact for whole numbers; sum as it is.
 */
void ct_prom_count_hist(FILE *f, const char *name, const void *row,
			const __u64 *slots, int nslots, __u64 sum);

/* The upper bound of log2 slot i as Prometheus prints it ("1.6e-05"). */
void ct_prom_le(char *buf, size_t size, int slot, int unit_exp);

/*
 * A tool's own count of what its full maps dropped since the start (one
 * not in ct_missed): added to coretrace_map_full_total.
 */
void ct_prom_map_full(__u64 n);

/* Remember an attach method for coretrace_info (ct_attach_method()). */
void ct_prom_attach_method(const char *what, const char *method);

#endif
