// SPDX-License-Identifier: GPL-2.0
/* bindsnoop: trace bind() on IPv4 and IPv6 sockets. */
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "escape.h"
#include "kernel_names.h"
#include "tcp_opts.h"
#include "tool.h"
#include "bindsnoop.h"
#include "bindsnoop.skel.h"

static bool failed_too;

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_OPT_PRINT_UID,
	{ "failed", 'x', NULL, 0, "Include failed binds, with their error", 0 },
	{ "errors", 'E', NULL, OPTION_ALIAS, NULL, 0 },
	CT_OPT_PID("Only binds by this process"),
	CT_OPT_UID("Only binds by this user"),
	CT_OPT_CGROUP("Only binds by tasks in this cgroup v2 directory"),
	CT_SOCK_CALL_OPTIONS("Only binds to these ports (a failed bind's: "
			     "asked for)"),
	{},
};

/* One bind as its columns see it. */
struct bind_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	int err;
	struct ct_str comm;
	struct ct_str protocol;
	unsigned int ip;
	struct ct_str laddr;
	unsigned int lport;
	unsigned int req_port;
	bool lport_null;
	bool req_null;
	unsigned int opts;
	struct ct_strs opt_names;
	int ifindex;
	struct ct_str ifname;
	__u32 netns;
	const char *names[5];
	size_t name_lens[5];
	char proto_buf[24];
	char addr_buf[CT_ADDR_STRLEN];
	char if_buf[IF_NAMESIZE];
};

/* The options as bcc shows them, a letter each: F, T, N, R, r. */
static const struct {
	unsigned int bit;
	char letter;
	const char *name;
} opt_table[] = {
	{ BIND_FREEBIND, 'F', "IP_FREEBIND" },
	{ BIND_TRANSPARENT, 'T', "IP_TRANSPARENT" },
	{ BIND_NO_PORT, 'N', "IP_BIND_ADDRESS_NO_PORT" },
	{ BIND_REUSEADDR, 'R', "SO_REUSEADDR" },
	{ BIND_REUSEPORT, 'r', "SO_REUSEPORT" },
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

static size_t text_opts(struct ct_buf *b, const void *row)
{
	const struct bind_row *r = row;

	for (size_t i = 0; i < N_OPTS; i++)
		ct_buf_putc(b, r->opts & opt_table[i].bit ?
				       opt_table[i].letter : '.');
	return N_OPTS;
}

/*
 * IF: the interface's name (escaped: root may name one with any byte but
 * '/', ':' and spaces), its index where it has none here, or "-".
 */
static size_t text_if(struct ct_buf *b, const void *row)
{
	const struct bind_row *r = row;

	if (r->ifname.s)
		return ct_buf_escaped(b, r->ifname.s, r->ifname.len, 0);
	if (r->ifindex)
		return ct_buf_printf(b, "%d", r->ifindex);
	return ct_buf_puts(b, "-");
}

static bool lport_null(const void *row)
{
	return ((const struct bind_row *)row)->lport_null;
}

static bool req_null(const void *row)
{
	return ((const struct bind_row *)row)->req_null;
}

#define COL(field) CT_AT(struct bind_row, field)

static struct ct_column columns[] = {
	CT_COLUMN_TIME(struct bind_row, ts),
	CT_COLUMN_ELAPSED(struct bind_row, ts),
	CT_COLUMN_UID(struct bind_row, uid),
	CT_COLUMN_USER(struct bind_row, uid),
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "TID", "thread ID", -7, CT_COL_UINT, COL(tid), NULL },
	{ "comm", "COMM", "the task's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	{ "err", "RET", "a failed bind's error number, else 0 (text: -N)", 4,
	  CT_COL_ERR, COL(err), NULL },
	{ "errno", "ERR", "the name of err (-x adds it to the text)", -12,
	  CT_COL_ERRNO, COL(err), NULL },
	{ "protocol", "PROT", "the socket's protocol: TCP, UDP, SCTP, "
	  "MPTCP, ICMP, ... (else its number)", -5, CT_COL_STR,
	  COL(protocol), NULL },
	{ "ip", "IP", "the socket's IP version, 4 or 6", 2, CT_COL_UINT,
	  COL(ip), NULL },
	{ "laddr", "ADDR", "the address bound (a failed bind's: asked for; "
	  "null if unreadable)", -15, CT_COL_STR, COL(laddr), NULL },
	{ "lport", "PORT", "the port bound, chosen by the kernel for port 0 "
	  "(a failed bind's: asked for; null if unreadable)", 5,
	  CT_COL_UINT, COL(lport), NULL, .null = lport_null },
	{ "req_port", "REQ", "the port asked for (0: any); null if "
	  "unreadable", 5, CT_COL_UINT, COL(req_port), NULL,
	  .null = req_null },
	{ "opt_names", "OPTS", "options set: IP_FREEBIND, IP_TRANSPARENT, "
	  "IP_BIND_ADDRESS_NO_PORT, SO_REUSEADDR, SO_REUSEPORT (text: "
	  "FTNRr, . for unset)", -5, CT_COL_STRS, COL(opt_names), text_opts },
	{ "ifindex", "IFX", "SO_BINDTODEVICE's interface index, 0 for none",
	  3, CT_COL_INT, COL(ifindex), NULL },
	{ "ifname", "IF", "its name; null for none, or not in the tool's "
	  "network namespace (text: the index then, - for none)", -6,
	  CT_COL_STR, COL(ifname), text_if },
	{ "netns", "NETNS", "the socket's network namespace (inode number)",
	  -10, CT_COL_UINT, COL(netns), NULL },
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "pid,comm,protocol,laddr,lport,opt_names,ifname",
	.data = "time,uid,user,pid,tid,comm,err,errno,protocol,ip,laddr,"
		"lport,req_port,opt_names,ifindex,ifname,netns",
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
	case 'E':
		failed_too = true;
		ct_fields_add("errno");
		break;
	default:
		return ct_sock_call_parse_opt(key, arg, columns, N_COLUMNS);
	}
	return 0;
}

/* The inode number of the tool's own network namespace, 0 if unknown. */
static __u32 own_netns(void)
{
	static __u32 ino;
	struct stat st;

	if (!ino && !stat("/proc/self/ns/net", &st))
		ino = st.st_ino;
	return ino;
}

static void fill_if(struct bind_row *r, const struct bind_event *e)
{
	r->ifindex = e->ifindex;
	r->ifname = (struct ct_str){ NULL, 0 };
	if (e->ifindex > 0 && e->netns == own_netns() &&
	    if_indextoname(e->ifindex, r->if_buf))
		r->ifname = (struct ct_str){ r->if_buf, strlen(r->if_buf) };
}

static void fill_opts(struct bind_row *r, unsigned int opts)
{
	int n = 0;

	r->opts = opts;
	for (size_t i = 0; i < N_OPTS; i++) {
		if (!(opts & opt_table[i].bit))
			continue;
		r->names[n] = opt_table[i].name;
		r->name_lens[n++] = strlen(opt_table[i].name);
	}
	r->opt_names = (struct ct_strs){ r->names, r->name_lens, n };
}

static void fill_addr(struct bind_row *r, const struct bind_event *e)
{
	const struct ct_sock_tuple *t = &e->tuple;

	r->ip = t->family == AF_INET6 ? 6 : 4;
	ct_name_short(&ct_ipproto_names, t->protocol, r->proto_buf,
		      sizeof(r->proto_buf));
	r->protocol = (struct ct_str){ r->proto_buf, strlen(r->proto_buf) };
	r->laddr = (struct ct_str){ NULL, 0 };
	r->lport_null = !e->addr_family;
	r->lport = t->sport;
	r->req_null = !e->req_known;
	r->req_port = e->req_port;
	if (!e->addr_family)
		return;
	ct_fmt_addr(r->addr_buf, sizeof(r->addr_buf), e->addr_family,
		    t->saddr);
	r->laddr = (struct ct_str){ r->addr_buf, strlen(r->addr_buf) };
}

static void fill_row(struct bind_row *r, const struct bind_event *e)
{
	r->ts = e->ts;
	r->uid = e->uid;
	r->pid = e->pid;
	r->tid = e->tid;
	r->err = e->err;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm, BIND_COMM_LEN) };
	r->netns = e->netns;
	fill_addr(r, e);
	fill_opts(r, e->opts);
	fill_if(r, e);
}

CT_ROW_EVENT_HANDLER(handle_event, struct bind_row, struct bind_event,
		     fill_row)

static int configure(void *s)
{
	struct bindsnoop_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	skel->rodata->ct_netns_filter = ct_sock_call_netns;
	skel->rodata->failed_too = failed_too;
	ct_attach_method("bind", "tracepoints syscalls:sys_enter_bind, "
			 "sys_exit_bind");
	return 0;
}

CT_SKELETON(bindsnoop_bpf);

static const struct ct_tool tool = {
	.name = "bindsnoop",
	.summary = "Trace bind() on IPv4 and IPv6 sockets: one line per "
		   "bind, with the address and port bound and the socket "
		   "options set.",
	.examples =
		"  bindsnoop                 # every successful bind\n"
		"  bindsnoop -x              # failed binds too, with errors\n"
		"  bindsnoop -T -U -w        # with time, uid, wide addresses\n"
		"  bindsnoop -p 1234         # binds by process 1234\n"
		"  bindsnoop -P 80,443       # binds to port 80 or 443\n"
		"  bindsnoop -6              # IPv6 sockets only\n"
		"  bindsnoop --json -d 10    # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &bindsnoop_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
