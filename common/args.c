// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "args.h"
#include "tool.h"
#include "users.h"

static long pid_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	long max = 4194304; /* PID_MAX_LIMIT on 64-bit */

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 4194304;
		fclose(f);
	}
	return max;
}

static bool parse_whole_long(const char *arg, long *out)
{
	char *end;

	if (!*arg || isspace((unsigned char)*arg))
		return false;
	errno = 0;
	*out = strtol(arg, &end, 10);
	return !errno && !*end;
}

int ct_long_value(const char *arg, long min, long max, long *out)
{
	long v;

	if (!parse_whole_long(arg, &v))
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

long ct_parse_long(const char *opt, const char *arg, long min, long max)
{
	long v;
	int err = ct_long_value(arg, min, max, &v);

	if (err == -EINVAL)
		ct_usage_error("%s: '%s' is not a number", opt, arg);
	if (err)
		ct_usage_error("%s: %s is out of range (%ld to %ld)", opt, arg,
			       min, max);
	return v;
}

pid_t ct_parse_pid(const char *opt, const char *arg)
{
	long v, max = pid_max();

	if (!parse_whole_long(arg, &v) || v < 1)
		ct_usage_error("%s: '%s' is not a process ID", opt, arg);
	if (v >= max)
		ct_usage_error("%s: %s is above this system's pid_max (%ld)",
			       opt, arg, max);
	return (pid_t)v;
}

uid_t ct_parse_user(const char *opt, const char *arg)
{
	uid_t uid;
	long v;

	if (parse_whole_long(arg, &v)) {
		if (v < 0 || v >= (long)CT_ANY_UID)
			ct_usage_error("%s: %s is not a valid uid", opt, arg);
		return (uid_t)v;
	}
	if (!*arg)
		ct_usage_error("%s: empty user name", opt);
	if (!ct_uid_of(arg, &uid))
		ct_usage_error("%s: unknown user '%s'", opt, arg);
	return uid;
}

int ct_duration_value(const char *arg, double *secs)
{
	double v, scale = 1;
	char *end;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || errno || isspace((unsigned char)*arg))
		return -EINVAL;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		scale = 60, end++;
	else if (*end == 'h')
		scale = 3600, end++;
	if (*end || !isfinite(v))
		return -EINVAL;
	v *= scale;
	if (v <= 0)
		return -EDOM;
	if (v > 365.0 * 24 * 3600)
		return -ERANGE;
	*secs = v;
	return 0;
}

double ct_parse_duration(const char *opt, const char *arg)
{
	double v;

	switch (ct_duration_value(arg, &v)) {
	case 0:
		return v;
	case -EDOM:
		ct_usage_error("%s: duration must be positive, not '%s'", opt,
			       arg);
	case -ERANGE:
		ct_usage_error("%s: duration '%s' is more than a year", opt,
			       arg);
	default:
		ct_usage_error("%s: '%s' is not a duration (e.g. 10, 1.5, 2m, "
			       "1h)", opt, arg);
	}
}

size_t ct_parse_string(const char *opt, const char *arg, char *buf,
		       size_t size)
{
	size_t len = strlen(arg);

	if (!len)
		ct_usage_error("%s: empty string", opt);
	if (len >= size)
		ct_usage_error("%s: '%s' is %zu bytes, the kernel-side buffer "
			       "holds %zu", opt, arg, len, size - 1);
	memcpy(buf, arg, len + 1);
	return len;
}

/* Where cgroup v2 is mounted, for the error message; "" if nowhere. */
static const char *cgroup2_mount(char *buf, size_t size)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;

	buf[0] = '\0';
	if (!f)
		return buf;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(buf, size, "%s", m->mnt_dir);
			break;
		}
	}
	endmntent(f);
	return buf;
}

int ct_parse_cgroup(const char *opt, const char *arg)
{
	char where[PATH_MAX];
	struct statfs st;
	int fd;

	fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		ct_usage_error("%s: cannot open '%s': %s", opt, arg,
			       strerror(errno));
	if (fstatfs(fd, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
		return fd;
	close(fd);
	if (*cgroup2_mount(where, sizeof(where)))
		ct_usage_error("%s: '%s' is not a cgroup v2 directory "
			       "(cgroup v2 is mounted at %s)", opt, arg, where);
	ct_usage_error("%s: '%s' is not a cgroup v2 directory (no cgroup v2 "
		       "is mounted: mount -t cgroup2 none DIR)", opt, arg);
}
