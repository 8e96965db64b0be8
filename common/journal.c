// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "columns.h"
#include "escape.h"
#include "journal.h"
#include "output.h"
#include "tool.h"

static int sock = -1;
static bool warned;

static struct sockaddr_un journal_addr = { .sun_family = AF_UNIX };

static int connect_journal(void)
{
	int size = 8 << 20;

	if (sock >= 0)
		close(sock);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -1;
	/* Room for bursts; beyond it a send waits and the ring drops. */
	setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return connect(sock, (struct sockaddr *)&journal_addr,
		       sizeof(journal_addr));
}

int ct_journal_open(void)
{
	const char *at = getenv("CT_JOURNAL_SOCKET");

	snprintf(journal_addr.sun_path, sizeof(journal_addr.sun_path), "%s",
		 at && *at ? at : CT_JOURNAL_SOCKET);
	if (connect_journal()) {
		ct_warn("--journal: cannot reach journald at %s: %s",
			journal_addr.sun_path, strerror(errno));
		return CT_EXIT_ERROR;
	}
	return 0;
}

/* An entry too large for one datagram goes in a sealed memfd. */
static int send_memfd(const char *data, size_t n)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct msghdr msg = { .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	int fd = memfd_create("coretrace-journal",
			      MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int err = -1;

	if (fd < 0)
		return -1;
	if (write(fd, data, n) != (ssize_t)n ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_WRITE | F_SEAL_SEAL))
		goto out;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	err = sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -1 : 0;
out:
	close(fd);
	return err;
}

static void send_entry(const char *data, size_t n)
{
	/* Blocks while journald is behind: the kernel ring drops, counted. */
	if (send(sock, data, n, MSG_NOSIGNAL) >= 0)
		return;
	/* journald restarted: its socket is a new one. */
	if ((errno == ECONNREFUSED || errno == ENOTCONN) &&
	    !connect_journal() && send(sock, data, n, MSG_NOSIGNAL) >= 0)
		return;
	if ((errno == EMSGSIZE || errno == ENOBUFS) && !send_memfd(data, n))
		return;
	/* A stop signal while waiting: this entry is dropped. */
	if (errno == EINTR)
		return;
	if (!warned)
		ct_warn("--journal: cannot send to journald: %s",
			strerror(errno));
	warned = true;
}

/* The longest start of s[0..n) within max bytes, whole escapes and chars. */
static size_t cut_at(const char *s, size_t n, size_t max)
{
	size_t i = 0;

	while (i < n) {
		size_t step = 1;

		if (s[i] == '\\')
			step = s[i + 1] == 'u' ? 6 : 2;
		else
			while (i + step < n &&
			       ((unsigned char)s[i + step] & 0xc0) == 0x80)
				step++;
		if (i + step > max)
			break;
		i += step;
	}
	return i;
}

/* An entry being written, and the names of the values cut. */
struct entry {
	FILE *f;
	FILE *cut;
	char *buf;
	char *cut_buf;
	size_t n;
	size_t cut_n;
	bool any_cut;
};

static bool entry_open(struct entry *e)
{
	*e = (struct entry){};
	if (sock < 0)
		return false;
	e->f = open_memstream(&e->buf, &e->n);
	e->cut = open_memstream(&e->cut_buf, &e->cut_n);
	if (e->f && e->cut)
		return true;
	if (e->f)
		fclose(e->f);
	if (e->cut)
		fclose(e->cut);
	free(e->buf);
	free(e->cut_buf);
	return false;
}

/* Send the entry, CT_CUT naming the values cut. */
static void entry_send(struct entry *e)
{
	fclose(e->cut);
	if (e->any_cut)
		fprintf(e->f, "CT_CUT=%.*s\n", (int)e->cut_n, e->cut_buf);
	fclose(e->f);
	send_entry(e->buf, e->n);
	free(e->buf);
	free(e->cut_buf);
}

static void field(struct entry *e, const char *name, const char *v,
		  size_t n)
{
	size_t keep = n;

	if (n > CT_JOURNAL_MAX_VALUE) {
		keep = cut_at(v, n, CT_JOURNAL_MAX_VALUE);
		fprintf(e->cut, "%s%s", e->any_cut ? " " : "", name);
		e->any_cut = true;
	}
	fprintf(e->f, "%s=%.*s\n", name, (int)keep, v);
}

/* CT_NAME=value, the JSON text of a string without its quotes. */
static void json_field(void *ctx, const char *name, const char *json,
		       size_t n)
{
	char key[72];
	size_t i;

	snprintf(key, sizeof(key), "CT_%s", name);
	for (i = 0; key[i]; i++)
		key[i] = isalnum((unsigned char)key[i]) ?
				 toupper((unsigned char)key[i]) : '_';
	if (n >= 2 && json[0] == '"')
		field(ctx, key, json + 1, n - 2);
	else
		field(ctx, key, json, n);
}

static void common_fields(struct entry *e, const char *msgid,
			  const char *priority, const char *type)
{
	fprintf(e->f, "MESSAGE_ID=%s\nPRIORITY=%s\nSYSLOG_IDENTIFIER=%s\n"
		"CT_SCHEMA=%s\nCT_TYPE=%s\n", msgid, priority, ct_tool_name(),
		CT_JOURNAL_SCHEMA, type);
}

void ct_journal_event(const void *row)
{
	static struct ct_buf line;
	struct entry e;

	if (!entry_open(&e))
		return;
	line.len = 0;
	ct_fields_text(&line, row);
	field(&e, "MESSAGE", line.p, line.len);
	common_fields(&e, CT_MSGID_EVENT, "6", "event");
	ct_fields_each(row, json_field, &e);
	entry_send(&e);
}

void ct_journal_lost(__u64 lost, __u64 total, bool final)
{
	struct entry e;
	char when[40];

	if (!entry_open(&e))
		return;
	if (final)
		fprintf(e.f, "MESSAGE=lost %llu events in total\n",
			(unsigned long long)total);
	else
		fprintf(e.f, "MESSAGE=lost %llu events\n",
			(unsigned long long)lost);
	common_fields(&e, CT_MSGID_LOST, "4", "lost");
	fprintf(e.f, "CT_TIME=%s\nCT_LOST=%llu\nCT_LOST_TOTAL=%llu\n"
		"CT_FINAL=%s\n", ct_fmt_iso8601(when, sizeof(when),
						ct_now_ns()),
		(unsigned long long)lost, (unsigned long long)total,
		final ? "true" : "false");
	entry_send(&e);
}
