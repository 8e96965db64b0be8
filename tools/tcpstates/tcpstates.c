// SPDX-License-Identifier: GPL-2.0
/* tcpstates: every TCP state change, with the time spent in the old state. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "kernel_names.h"
#include "tcp_opts.h"
#include "tool.h"
#include "tp_attach.h"
#include "tcpstates.h"
#include "tcpstates.skel.h"

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	CT_TCP_OPTIONS,
	{},
};

/* One state change as its columns see it. */
struct state_row {
	__u64 ts;
	__u64 skaddr;
	__u32 pid;
	__u32 tid;
	struct ct_str comm;
	struct ct_tcp_addrs a;
	struct ct_str oldstate;
	struct ct_str newstate;
	__u64 old_ns;
	char old_buf[24];
	char new_buf[24];
};

#define COL(field) CT_AT(struct state_row, field)

static struct ct_column columns[] = {
	CT_COLUMN_TIME(struct state_row, ts),
	CT_COLUMN_ELAPSED(struct state_row, ts),
	{ "skaddr", "SKADDR", "the socket's kernel address (struct sock)",
	  -18, CT_COL_ADDR, COL(skaddr), NULL },
	{ "pid", "C-PID", "the task on the CPU: the process in a system call "
	  "(connect, close); in a softirq (packets in) the one interrupted",
	  -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "C-TID", "that task's thread ID", -7, CT_COL_UINT, COL(tid),
	  NULL },
	{ "comm", "C-COMM", "that task's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	CT_TCP_ADDR_COLUMNS(struct state_row, a),
	{ "oldstate", "OLDSTATE", "the state left, \"SYN_SENT\"", -11,
	  CT_COL_STR, COL(oldstate), NULL },
	{ "newstate", "NEWSTATE", "the state entered", -11, CT_COL_STR,
	  COL(newstate), NULL },
	{ "old_state_ns", "MS", "time spent in oldstate (text: ms); 0 if the "
	  "tool did not see the socket enter it", 9, CT_COL_NS, COL(old_ns),
	  NULL },
};

#define N_COLUMNS ((int)(sizeof(columns) / sizeof(columns[0])))

static const struct ct_fields fields = {
	.cols = columns,
	.n = N_COLUMNS,
	.text = "skaddr,pid,comm,laddr,lport,raddr,rport,oldstate,newstate,"
		"old_state_ns",
	.data = "time,skaddr,pid,tid,comm,ip,laddr,lport,raddr,rport,"
		"oldstate,newstate,old_state_ns",
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case ARGP_KEY_END:
		ct_fields_flag("old_state_ns", CT_COL_MS);
		break;
	default:
		return ct_tcp_parse_opt(key, arg, columns, N_COLUMNS);
	}
	return 0;
}

/* "ESTABLISHED": the kernel's name without its TCP_ prefix. */
static struct ct_str state_name(int state, char *buf, size_t size)
{
	const char *name = ct_name_of(&ct_tcp_state_names, state);

	if (name)
		snprintf(buf, size, "%s", name + strlen("TCP_"));
	else
		snprintf(buf, size, "%d", state);
	return (struct ct_str){ buf, strlen(buf) };
}

static void fill_row(struct state_row *r, const struct state_event *e)
{
	r->ts = e->ts;
	r->skaddr = e->skaddr;
	r->pid = e->pid;
	r->tid = e->tid;
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm,
						    STATES_COMM_LEN) };
	ct_tcp_addrs_fill(&r->a, &e->tuple);
	r->oldstate = state_name(e->oldstate, r->old_buf, sizeof(r->old_buf));
	r->newstate = state_name(e->newstate, r->new_buf, sizeof(r->new_buf));
	r->old_ns = e->old_ns;
}

CT_ROW_EVENT_HANDLER(handle_event, struct state_row, struct state_event,
		     fill_row)

static int configure(void *s)
{
	struct tcpstates_bpf *skel = s;

	skel->rodata->ct_tcp_filter = ct_tcp_opts;
	if (bpf_map__set_max_entries(skel->maps.since, ct_tcp_socket_slots()))
		return CT_EXIT_ERROR;
	ct_select_tp(skel->obj, "state changes", "inet_sock_set_state");
	return 0;
}

CT_SKELETON(tcpstates_bpf);

static const struct ct_tool tool = {
	.name = "tcpstates",
	.summary = "Trace TCP state changes: one line per change, with the "
		   "time the socket spent in its old state.",
	.examples =
		"  tcpstates                 # every TCP state change\n"
		"  tcpstates -T -w           # with time, wide addresses\n"
		"  tcpstates -L 80,443       # local port 80 or 443\n"
		"  tcpstates -D 5432 -4      # IPv4, remote port 5432\n"
		"  tcpstates --csv           # CSV, as bcc's -s\n"
		"  tcpstates --json -d 10    # JSON lines for ten seconds\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &tcpstates_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
	.map_full = "sockets not timed (0 ms at their next change)",
};

CT_MAIN(tool);
