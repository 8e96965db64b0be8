// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "columns.h"
#include "prom.h"
#include "tool.h"

static char path[PATH_MAX];	/* DIR/coretrace-TOOL[-RUN].prom */
static char *buf;
static size_t len;
static FILE *out;
static int claim_fd = -1;
static char methods[256];	/* for coretrace_info */
static bool failed;		/* said once */
static __u64 own_map_full;	/* ct_prom_map_full() */

void ct_prom_map_full(__u64 n)
{
	own_map_full = n;
}

void ct_prom_attach_method(const char *what, const char *method)
{
	size_t n = strlen(methods);

	snprintf(methods + n, sizeof(methods) - n, "%s%s: %s",
		 n ? "; " : "", what, method);
}

/*
 * Two runs writing one file would replace each other's series: the first
 * binds an abstract socket named after the file, which the kernel frees
 * when it exits, however it exits.
 */
static int claim(const char *real)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned long long h = 14695981039346656037ULL;

	for (const char *p = real; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
		 "coretrace-prom-%016llx", h);
	claim_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (claim_fd < 0)
		return 0;	/* no claim possible: write anyway */
	if (!bind(claim_fd, (struct sockaddr *)&sa,
		  offsetof(struct sockaddr_un, sun_path) + 1 +
		  strlen(sa.sun_path + 1)))
		return 0;
	ct_warn("another run writes %s: give each run its own "
		"--prom-instance=NAME", real);
	return CT_EXIT_ERROR;
}

int ct_prom_start(void)
{
	const char *dir = ct_env.prom_dir;
	char real[PATH_MAX];
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode) ||
	    access(dir, W_OK | X_OK)) {
		ct_warn("--prom-textfile: cannot write into '%s': %s", dir,
			errno ? strerror(errno) : "not a directory");
		return CT_EXIT_ERROR;
	}
	if (!realpath(dir, real))
		snprintf(real, sizeof(real), "%s", dir);
	if (snprintf(path, sizeof(path), "%s/coretrace-%s%s%s.prom", real,
		     ct_tool_name(), ct_env.prom_instance ? "-" : "",
		     ct_env.prom_instance ? ct_env.prom_instance : "") >=
	    (int)sizeof(path)) {
		ct_warn("--prom-textfile: '%s' is too long", real);
		return CT_EXIT_ERROR;
	}
	return claim(path);
}

FILE *ct_prom_begin(void)
{
	if (out)
		fclose(out);
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &len);
	if (!out && !failed) {
		failed = true;
		ct_warn("--prom-textfile: out of memory");
	}
	return out;
}

void ct_prom_head(FILE *f, const char *name, const char *type,
		  const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void ct_prom_quote(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '"')
			fputc('\\', f);
		if (s[i] == '\n')
			fputs("\\n", f);
		else
			fputc(s[i], f);
	}
	fputc('"', f);
}

/*
 * Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus clients use
 * for le, for v = 2^(slot+1) / 10^unit_exp: exact in decimal, so its
 * digits are those of 2^(slot+1), and the exponent chooses the notation.
 */
void ct_prom_le(char *out_buf, size_t size, int slot, int unit_exp)
{
	char d[32], z[32] = "";
	int nd = snprintf(d, sizeof(d), "%llu", 1ULL << (slot + 1));
	int exp = nd - 1 - unit_exp;	/* of the first digit */
	int nz = exp < 0 ? -exp - 1 : exp + 1 - nd;

	if (nz > 0 && nz < (int)sizeof(z))
		memset(z, '0', nz);
	if (exp < -4 || exp >= 6)
		snprintf(out_buf, size, "%c%s%se%c%02d", d[0],
			 nd > 1 ? "." : "", d + 1, exp < 0 ? '-' : '+',
			 abs(exp));
	else if (exp < 0)
		snprintf(out_buf, size, "0.%s%s", z, d);
	else if (nd > exp + 1)
		snprintf(out_buf, size, "%.*s.%s", exp + 1, d, d + exp + 1);
	else
		snprintf(out_buf, size, "%s%s", d, z);
}

/*
 * The lines of a log2 histogram; unit_exp < 0 for counts of whole numbers:
 * slot i's bound is then 2^(i+1) - 1, and the sum is written as it is.
 */
static void hist_lines(FILE *f, const char *name, const void *row,
		       const __u64 *slots, int nslots, int unit_exp, __u64 sum)
{
	__u64 total = 0;
	char le[32];

	for (int i = 0; i < nslots; i++) {
		total += slots[i];
		if (i == nslots - 1)
			break;
		if (unit_exp < 0)
			snprintf(le, sizeof(le), "%llu",
				 (1ULL << (i + 1)) - 1);
		else
			ct_prom_le(le, sizeof(le), i, unit_exp);
		fprintf(f, "%s_bucket", name);
		ct_fields_prom_labels(f, row, le);
		fprintf(f, " %llu\n", (unsigned long long)total);
	}
	fprintf(f, "%s_bucket", name);
	ct_fields_prom_labels(f, row, "+Inf");
	fprintf(f, " %llu\n%s_sum", (unsigned long long)total, name);
	ct_fields_prom_labels(f, row, NULL);
	if (unit_exp < 0)
		fprintf(f, " %llu\n", (unsigned long long)sum);
	else
		fprintf(f, " %.9f\n", sum / 1e9);
	fprintf(f, "%s_count", name);
	ct_fields_prom_labels(f, row, NULL);
	fprintf(f, " %llu\n", (unsigned long long)total);
}

void ct_prom_hist(FILE *f, const char *name, const void *row,
		  const __u64 *slots, int nslots, int unit_exp, __u64 sum_ns)
{
	hist_lines(f, name, row, slots, nslots, unit_exp, sum_ns);
}

void ct_prom_count_hist(FILE *f, const char *name, const void *row,
			const __u64 *slots, int nslots, __u64 sum)
{
	hist_lines(f, name, row, slots, nslots, -1, sum);
}

/* The tool label, then run=NAME: health series of all tools in one name. */
static void health_labels(FILE *f, const char *extra)
{
	fprintf(f, "{tool=\"%s\"", ct_tool_name());
	if (ct_env.prom_instance) {
		fputs(",run=", f);
		ct_prom_quote(f, ct_env.prom_instance,
			      strlen(ct_env.prom_instance));
	}
	fprintf(f, "%s}", extra ? extra : "");
}

static void health_counter(FILE *f, const char *name, const char *help,
			   __u64 v)
{
	ct_prom_head(f, name, "counter", help);
	fputs(name, f);
	health_labels(f, NULL);
	fprintf(f, " %llu\n", (unsigned long long)v);
}

static void write_health(FILE *f, const struct ct_prom_health *h)
{
	char *extra = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&extra, &n);

	if (m) {
		fprintf(m, ",version=\"%s\",attach=", CT_VERSION);
		ct_prom_quote(m, methods, strlen(methods));
		fclose(m);
	}
	ct_prom_head(f, "coretrace_info", "gauge",
		     "A coretrace tool running, its version and attach methods");
	fputs("coretrace_info", f);
	health_labels(f, extra);
	fputs(" 1\n", f);
	free(extra);
	if (h->events) {
		health_counter(f, "coretrace_events_sent_total",
			       "Events the kernel side sent", h->sent);
		health_counter(f, "coretrace_events_received_total",
			       "Events the tool received", h->received);
		health_counter(f, "coretrace_events_lost_total",
			       "Events lost (buffer full)", h->lost);
	}
	if (h->maps)
		health_counter(f, "coretrace_map_full_total",
			       "Counts not kept because a map was full",
			       h->map_full + own_map_full);
}

static int replace_file(void)
{
	char tmp[PATH_MAX + 16];
	char *slash;
	int fd;

	/* A dot file in the same directory, not ending in .prom. */
	snprintf(tmp, sizeof(tmp), "%s", path);
	slash = strrchr(tmp, '/');
	snprintf(slash + 1, sizeof(tmp) - (slash + 1 - tmp), ".%s.XXXXXX",
		 strrchr(path, '/') + 1);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* node_exporter runs as its own user. */
	if (fchmod(fd, 0644) || write(fd, buf, len) != (ssize_t)len ||
	    close(fd) || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int ct_prom_commit(const struct ct_prom_health *health)
{
	if (!out)
		return CT_EXIT_ERROR;
	write_health(out, health);
	if (fflush(out) || replace_file()) {
		ct_warn("--prom-textfile: cannot write %s: %s", path,
			strerror(errno));
		return CT_EXIT_ERROR;
	}
	return 0;
}

void ct_prom_stop(void)
{
	if (!*path)
		return;
	unlink(path);
	if (out)
		fclose(out);
	out = NULL;
	free(buf);
	buf = NULL;
	if (claim_fd >= 0)
		close(claim_fd);
	claim_fd = -1;
}
