// SPDX-License-Identifier: GPL-2.0
/* tcplife: one line per TCP connection that ends, with its bytes and age. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcplife.h"
#include "tcplife.skel.h"

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_OPT_PID("Only connections this process opened"),
	CT_OPT_UID("Only connections this user's processes "
	  "opened"),
	CT_OPT_CGROUP("Only connections opened by tasks in "
	  "this cgroup v2 directory"),
	{ "bytes", 'B', NULL, 0, "Show bytes, not KB (TX, RX)", 0 },
	CT_TCP_OPTIONS,
	{},
};

/* One connection as its columns see it. */
struct life_row {
	__u64 ts;
	__u32 uid;
	__u32 pid;
	struct ct_str comm;
	struct ct_tcp_addrs a;
	__u64 tx;
	__u64 rx;
	__u64 duration_ns;
	struct ct_str owner;
	bool known;
};

static bool owner_null(const void *row)
{
	return !((const struct life_row *)row)->known;
}

static bool kb = true;

/* Text right-aligned as numbers are: the columns' width. */
#define BYTES_WIDTH 6

static size_t text_bytes(struct ct_buf *b, __u64 v)
{
	return ct_buf_printf(b, "%*llu", BYTES_WIDTH,
			     (unsigned long long)(kb ? v / 1024 : v));
}

static size_t text_tx(struct ct_buf *b, const void *row)
{
	return text_bytes(b, ((const struct life_row *)row)->tx);
}

static size_t text_rx(struct ct_buf *b, const void *row)
{
	return text_bytes(b, ((const struct life_row *)row)->rx);
}

#define COL(field) CT_AT(struct life_row, field)

static struct ct_column columns[] = {
	CT_COLUMN_TIME(struct life_row, ts),
	CT_COLUMN_ELAPSED(struct life_row, ts),
	{ "uid", "UID", "the real user ID of the process pid", -5,
	  CT_COL_UINT, COL(uid), NULL, .null = owner_null },
	{ "pid", "PID", "the process that opened the connection (connect() "
	  "or accept(); else the one that closed it); null if none was seen",
	  -7, CT_COL_UINT, COL(pid), NULL, .null = owner_null },
	{ "comm", "COMM", "that process's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	CT_TCP_ADDR_COLUMNS(struct life_row, a),
	{ "tx_bytes", "TX_KB", "bytes sent and acknowledged (text: KB, "
	  "with -B bytes, header TX_B)", BYTES_WIDTH, CT_COL_UINT, COL(tx),
	  text_tx },
	{ "rx_bytes", "RX_KB", "bytes received (text: KB, with -B bytes, "
	  "header RX_B)", BYTES_WIDTH, CT_COL_UINT, COL(rx), text_rx },
	{ "duration_ns", "MS", "from the first state change to the close "
	  "(text: ms)", 9, CT_COL_NS, COL(duration_ns), NULL },
	{ "owner", "OWNER", "how pid was found: connect, accept or close",
	  -7, CT_COL_STR, COL(owner), NULL, .null = owner_null },
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "pid,comm,laddr,lport,raddr,rport,tx_bytes,rx_bytes,"
		"duration_ns",
	.data = "time,pid,comm,ip,laddr,lport,raddr,rport,tx_bytes,rx_bytes,"
		"duration_ns,owner",
};

static void show_bytes(void)
{
	for (int i = 0; i < N_COLUMNS; i++) {
		if (!strcmp(columns[i].name, "tx_bytes"))
			columns[i].header = "TX_B";
		else if (!strcmp(columns[i].name, "rx_bytes"))
			columns[i].header = "RX_B";
	}
	kb = false;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'B':
		show_bytes();
		break;
	case ARGP_KEY_END:
		ct_fields_flag("duration_ns", CT_COL_MS);
		break;
	default:
		return ct_tcp_parse_opt(key, arg, columns, N_COLUMNS);
	}
	return 0;
}

static const char *const owners[] = {
	[LIFE_OWNER_CONNECT] = "connect",
	[LIFE_OWNER_ACCEPT] = "accept",
	[LIFE_OWNER_CLOSE] = "close",
};

static void fill_row(struct life_row *r, const struct life_event *e)
{
	r->ts = e->ts;
	r->known = e->owner > LIFE_OWNER_NONE && e->owner <= LIFE_OWNER_CLOSE;
	r->pid = e->pid;
	r->uid = e->uid;
	r->comm = (struct ct_str){ NULL, 0 };
	r->owner = (struct ct_str){ NULL, 0 };
	if (r->known) {
		r->comm.s = e->comm;
		r->comm.len = strnlen(e->comm, LIFE_COMM_LEN);
		r->owner.s = owners[e->owner];
		r->owner.len = strlen(owners[e->owner]);
	}
	ct_tcp_addrs_fill(&r->a, &e->tuple);
	r->tx = e->tx_bytes;
	r->rx = e->rx_bytes;
	r->duration_ns = e->duration_ns;
}

CT_ROW_EVENT_HANDLER(handle_event, struct life_row, struct life_event,
		     fill_row)

static int configure(void *s)
{
	struct tcplife_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	if (bpf_map__set_max_entries(skel->maps.lives, ct_tcp_socket_slots()))
		return CT_EXIT_ERROR;
	ct_select_tp(skel->obj, "state changes", "inet_sock_set_state");
	/* ct_select_tp() chose among all tracepoints: keep this one. */
	bpf_program__set_autoload(skel->progs.exit_accept, true);
	ct_attach_method("accept", "tracepoint syscalls:sys_exit_accept, "
			 "sys_exit_accept4 (who accepted a connection)");
	return ct_attach_also_syscall(skel->progs.exit_accept, "exit",
				      "accept4") ? CT_EXIT_ERROR : 0;
}

CT_SKELETON(tcplife_bpf);

static const struct ct_tool tool = {
	.name = "tcplife",
	.summary = "Trace TCP connections as they close: one line per "
		   "connection, with its process, addresses, bytes and "
		   "duration.",
	.examples =
		"  tcplife                   # every TCP connection that ends\n"
		"  tcplife -T -w             # with time, wide addresses\n"
		"  tcplife -p 1234           # opened by process 1234\n"
		"  tcplife -L 80,443         # local port 80 or 443\n"
		"  tcplife -D 5432 -4        # IPv4, remote port 5432\n"
		"  tcplife -B                # bytes rather than KB\n"
		"  tcplife --json -d 10      # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &tcplife_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
