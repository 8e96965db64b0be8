// SPDX-License-Identifier: GPL-2.0
/*
 * bpfstats: the kernel's run-time statistics of BPF programs.
 *
 *   bpfstats hold    turn the statistics on (BPF_ENABLE_STATS), print
 *                    "READY" and keep them on until SIGINT or SIGTERM
 *   bpfstats PID     one line per BPF program process PID holds:
 *                    NAME RUN_CNT RUN_TIME_NS (the name in full, from
 *                    the program's BTF, where the kernel keeps 15 bytes)
 *
 * BPF_ENABLE_STATS counts its holders, unlike the kernel.bpf_stats_enabled
 * sysctl, which any other user of the machine could turn off under us (or
 * we under them).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#define MAX_PROGS 256

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int hold(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0) {
		fprintf(stderr, "bpfstats: BPF_ENABLE_STATS: %s\n",
			strerror(errno));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("READY\n");
	fflush(stdout);
	while (!stop)
		pause();
	close(fd);
	return 0;
}

/* The program id behind descriptor FD of PID, or 0 when it is no program. */
static unsigned int prog_id(const char *pid, const char *fd)
{
	unsigned int id = 0;
	char path[320], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_id: %u", &id) == 1)
			break;
	fclose(f);
	return id;
}

/* The program's function name from its BTF, else the kernel's short one. */
static void full_name(int fd, const struct bpf_prog_info *info, char *buf,
		      size_t size)
{
	struct bpf_func_info func = {};
	struct bpf_prog_info one = {
		.nr_func_info = 1,
		.func_info_rec_size = sizeof(func),
		.func_info = (__u64)(unsigned long)&func,
	};
	__u32 len = sizeof(one);
	const struct btf_type *t;
	struct btf *btf;

	snprintf(buf, size, "%s", info->name[0] ? info->name : "-");
	if (!info->btf_id || !info->nr_func_info ||
	    bpf_obj_get_info_by_fd(fd, &one, &len))
		return;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, func.type_id);
	if (t)
		snprintf(buf, size, "%s", btf__name_by_offset(btf, t->name_off));
	btf__free(btf);
}

static void show_prog(unsigned int id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);
	char name[128];

	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
		full_name(fd, &info, name, sizeof(name));
		printf("%s %llu %llu\n", name,
		       (unsigned long long)info.run_cnt,
		       (unsigned long long)info.run_time_ns);
	}
	close(fd);
}

static int seen(unsigned int *ids, int n, unsigned int id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int show(const char *pid)
{
	unsigned int ids[MAX_PROGS], id;
	char path[320];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "bpfstats: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((d = readdir(dir)) && n < MAX_PROGS) {
		id = d->d_name[0] != '.' ? prog_id(pid, d->d_name) : 0;
		if (id && !seen(ids, n, id)) {
			ids[n++] = id;
			show_prog(id);
		}
	}
	closedir(dir);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bpfstats hold|PID\n");
		return 2;
	}
	if (!strcmp(argv[1], "hold"))
		return hold();
	return show(argv[1]);
}
