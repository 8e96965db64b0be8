// SPDX-License-Identifier: GPL-2.0
/* Per-CPU perf events for sampling tools. See perf_sample.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "perf_sample.h"
#include "tool.h"

int ct_parse_cpu_list(const char *s, bool *cpus, int max)
{
	int n = 0;

	memset(cpus, 0, max * sizeof(*cpus));
	for (;;) {
		char *end;
		long lo, hi;

		if (!isdigit((unsigned char)*s))
			return -1;
		lo = hi = strtol(s, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -1;
			hi = strtol(end + 1, &end, 10);
		}
		if (lo > hi || hi >= max)
			return -1;
		for (long c = lo; c <= hi; c++) {
			n += !cpus[c];
			cpus[c] = true;
		}
		if (*end == '\n' && !end[1])
			end++;
		if (!*end)
			return n;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

int ct_online_cpus(bool *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	char buf[1024];
	int n = -1;

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			n = ct_parse_cpu_list(buf, cpus, max);
		fclose(f);
	}
	if (n > 0)
		return n;
	for (int c = 0; c < max; c++)
		cpus[c] = true;
	return max;
}

static int read_sysctl(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int open_event(const struct ct_perf_event *ev, int cpu)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = ev->type,
		.config = ev->config,
		.disabled = 1,
	};
	int fd;

	if (ev->freq) {
		attr.freq = 1;
		attr.sample_freq = ev->freq;
	} else {
		attr.sample_period = ev->period;
	}
	fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1,
		     PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Does this error say the kernel has no such event (no PMU for it)? */
static bool no_such_event(int err)
{
	return err == -ENOENT || err == -EOPNOTSUPP || err == -ENODEV;
}

/* The one line for a perf_event_open() error that is not per CPU. */
static int open_error(const struct ct_perf_event *ev, int err)
{
	int paranoid = read_sysctl("/proc/sys/kernel/perf_event_paranoid");
	int rate = read_sysctl("/proc/sys/kernel/perf_event_max_sample_rate");

	if (err == -EACCES || err == -EPERM)
		ct_warn("perf events are not permitted here: needs root or "
			"CAP_PERFMON (kernel.perf_event_paranoid is %d)",
			paranoid);
	else if (no_such_event(err))
		ct_warn("no %s perf event on this machine (no hardware PMU: "
			"a virtual machine without one?)", ev->name);
	else if (err == -EINVAL && ev->freq && rate > 0 &&
		 ev->freq > (__u64)rate)
		ct_warn("%llu Hz is above kernel.perf_event_max_sample_rate "
			"(%d)", (unsigned long long)ev->freq, rate);
	else
		ct_warn("cannot open the %s perf event: %s", ev->name,
			strerror(-err));
	return CT_EXIT_ERROR;
}

struct opened {
	struct bpf_link **links;
	int count;
};

static void destroy_all(struct opened *o)
{
	while (o->count > 0)
		bpf_link__destroy(o->links[--o->count]);
}

static int attach_cpu(struct bpf_program *prog, int fd, int cpu,
		      struct opened *o)
{
	struct bpf_link *link = bpf_program__attach_perf_event(prog, fd);

	if (!link) {
		int err = errno;

		close(fd);
		ct_warn("cannot attach %s to the perf event of CPU %d: %s",
			bpf_program__name(prog), cpu, strerror(err));
		return CT_EXIT_ERROR;
	}
	o->links[o->count++] = link;
	return 0;
}

/*
 * Open and attach on each online CPU. A CPU that went offline since the
 * list was read fails with ENODEV: skipped, unless it is the first, where
 * ENODEV as other "no such event" errors is returned for the fallback.
 */
static int open_all(struct bpf_program *prog, const struct ct_perf_event *ev,
		    const bool *online, int ncpus, struct opened *o)
{
	for (int cpu = 0; cpu < ncpus; cpu++) {
		int fd;

		if (!online[cpu])
			continue;
		fd = open_event(ev, cpu);
		if (fd == -ENODEV && o->count)
			continue;
		if (fd < 0) {
			destroy_all(o);
			return fd;
		}
		if (attach_cpu(prog, fd, cpu, o)) {
			destroy_all(o);
			return -EBADE;	/* said already */
		}
	}
	return o->count ? 0 : -ENODEV;
}

static int keep_all(struct opened *o)
{
	for (int i = 0; i < o->count; i++) {
		if (ct_keep_link(o->links[i])) {
			while (++i < o->count)
				bpf_link__destroy(o->links[i]);
			return CT_EXIT_ERROR;
		}
	}
	return 0;
}

static void say_method(const struct ct_perf_event *ev, bool fell_back,
		       int n)
{
	char what[128];

	if (fell_back)
		snprintf(what, sizeof(what), "software cpu-clock, no %s event "
			 "here (no hardware PMU), on %d CPUs", ev->name, n);
	else
		snprintf(what, sizeof(what), "%s, on %d CPUs", ev->name, n);
	ct_attach_method("perf_event", what);
}

/* Keep the online CPUs asked for; false if none is left. */
static bool select_cpus(bool *online, const bool *cpus, int ncpus)
{
	bool any = false;

	for (int c = 0; c < ncpus; c++) {
		online[c] = online[c] && (!cpus || cpus[c]);
		any |= online[c];
	}
	if (!any)
		ct_warn("none of the CPUs asked for is online");
	return any;
}

int ct_perf_attach(struct bpf_program *prog, const struct ct_perf_event *ev)
{
	return ct_perf_attach_cpus(prog, ev, NULL);
}

int ct_perf_attach_cpus(struct bpf_program *prog,
			const struct ct_perf_event *ev, const bool *cpus)
{
	struct ct_perf_event clock = CT_PERF_CPU_CLOCK(ev->freq);
	int ncpus = libbpf_num_possible_cpus();
	struct opened o = { 0 };
	bool *online, fell_back = false;
	int err;

	if (ncpus <= 0) {
		ct_warn("cannot count the CPUs: %s", strerror(-ncpus));
		return CT_EXIT_ERROR;
	}
	online = calloc(ncpus, sizeof(*online));
	o.links = calloc(ncpus, sizeof(*o.links));
	if (!online || !o.links) {
		free(online);
		free(o.links);
		ct_warn("out of memory");
		return CT_EXIT_ERROR;
	}
	ct_online_cpus(online, ncpus);
	if (!select_cpus(online, cpus, ncpus)) {
		free(online);
		free(o.links);
		return CT_EXIT_ERROR;
	}
	err = open_all(prog, ev, online, ncpus, &o);
	if (no_such_event(err) && ev->sw_fallback && ev->freq) {
		fell_back = true;
		err = open_all(prog, &clock, online, ncpus, &o);
	}
	if (err == -EBADE)
		err = CT_EXIT_ERROR;
	else if (err)
		err = open_error(fell_back ? &clock : ev, err);
	else
		say_method(ev, fell_back, o.count);
	if (!err)
		err = keep_all(&o);
	free(online);
	free(o.links);
	return err;
}
