// SPDX-License-Identifier: GPL-2.0
/*
 * ct-task: common/bpf/task.bpf.h at work, for tests/runtime/bpf_kit.sh.
 * A second thread, named "ct-task-thread", calls getsockname(), where the
 * BPF program fills a struct ct_task_info; prints it and the same from
 * /proc/self (status, task/TID/comm, ns/mnt, ns/pid, cgroup):
 *   bpf: pid=P tid=T ppid=P uid=U gid=G comm=C cgroup=ID mnt_ns=N pid_ns=N
 *   proc: (the same fields)
 *   ct-task [ID]
 * ID: once attached, take user and group ID (setresuid/setresgid). Its
 * own pid and tid are read from the /proc it has, so that it works in a
 * pid namespace of its own too (with the initial namespace's /proc).
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "cgroup_path.h"
#include "task_info.h"
#include "tool.h"
#include "helpers/ct-task.skel.h"

static struct ct_task_bpf *skel;
static pid_t thread_tid;
/* Keeps the thread alive while main reads its comm. */
static pthread_barrier_t barrier;

/*
 * The last number in the target of link, /proc/self ("PID") or
 * /proc/thread-self ("PID/task/TID"): the pid as /proc's namespace has it.
 */
static pid_t proc_self_id(const char *link)
{
	char target[64] = "";
	char *slash;

	if (readlink(link, target, sizeof(target) - 1) <= 0)
		return 0;
	slash = strrchr(target, '/');
	return atoi(slash ? slash + 1 : target);
}

static void *thread_main(void *arg)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	(void)arg;
	prctl(PR_SET_NAME, "ct-task-thread");
	thread_tid = proc_self_id("/proc/thread-self");
	getsockname(-1, (struct sockaddr *)&ss, &len);
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return NULL;
}

static void print_info(const char *who, const struct ct_task_info *t)
{
	printf("%s: pid=%u tid=%u ppid=%u uid=%u gid=%u comm=%s cgroup=%llu "
	       "mnt_ns=%u pid_ns=%u\n", who, t->pid, t->tid, t->ppid, t->uid,
	       t->gid, t->comm, (unsigned long long)t->cgroup_id, t->mnt_ns,
	       t->pid_ns);
}

/* The number in "mnt:[4026531841]", the target of /proc/self/ns/NAME. */
static __u32 ns_inum(const char *name)
{
	char path[64], target[64] = "";

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	if (readlink(path, target, sizeof(target) - 1) <= 0)
		return 0;
	return strtoul(strchr(target, '[') ? strchr(target, '[') + 1 : "0",
		       NULL, 10);
}

static __u64 own_cgroup_id(void)
{
	char line[PATH_MAX], mnt[PATH_MAX], dir[2 * PATH_MAX];
	FILE *f = fopen("/proc/self/cgroup", "r");
	__u64 id = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (!ct_cgroup2_mount(mnt, sizeof(mnt))) {
			snprintf(dir, sizeof(dir), "%s%s", mnt, line + 3);
			ct_cgroup_id(dir, &id);
		}
	}
	if (f)
		fclose(f);
	return id;
}

static void from_proc(struct ct_task_info *t)
{
	char line[256], path[64];
	FILE *f = fopen("/proc/self/status", "r");

	memset(t, 0, sizeof(*t));
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "Tgid: %u", &t->pid);
		sscanf(line, "PPid: %u", &t->ppid);
		sscanf(line, "Uid: %u", &t->uid);
		sscanf(line, "Gid: %u", &t->gid);
	}
	if (f)
		fclose(f);
	t->tid = thread_tid;
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", thread_tid);
	f = fopen(path, "r");
	if (f && fgets(t->comm, sizeof(t->comm), f))
		t->comm[strcspn(t->comm, "\n")] = '\0';
	if (f)
		fclose(f);
	t->cgroup_id = own_cgroup_id();
	t->mnt_ns = ns_inum("mnt");
	t->pid_ns = ns_inum("pid");
}

static int show(void)
{
	struct ct_task_info proc;
	pthread_t th;

	if (pthread_barrier_init(&barrier, NULL, 2) ||
	    pthread_create(&th, NULL, thread_main, NULL))
		return 1;
	pthread_barrier_wait(&barrier);
	from_proc(&proc);
	pthread_barrier_wait(&barrier);
	pthread_join(th, NULL);
	if (skel->bss->seen_calls != 1) {
		fprintf(stderr, "ct-task: getsockname() not seen\n");
		return 1;
	}
	print_info("bpf", &skel->bss->seen_task);
	print_info("proc", &proc);
	return 0;
}

int main(int argc, char **argv)
{
	int err = 1;
	unsigned int id = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;

	if (ct_setup())
		return 1;
	skel = ct_task_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->self_tgid = proc_self_id("/proc/self");
	if (!ct_load_and_attach(skel->skeleton)) {
		err = argc > 1 &&
		      (setresgid(id, id, id) || setresuid(id, id, id));
		if (!err)
			err = show();
		ct_detach();
	}
	ct_task_bpf__destroy(skel);
	return err;
}
