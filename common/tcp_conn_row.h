/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The columns of the connect tools (tcpconnect, tcpconnlat, tcptracer):
 * one row per struct ct_conn_event (common/tcp_connect.h).
 */
#ifndef CT_TCP_CONN_ROW_H
#define CT_TCP_CONN_ROW_H

#include "columns.h"
#include "tcp_connect.h"
#include "tcp_opts.h"

struct ct_conn_row {
	__u64 ts;
	__u64 lat_ns;
	__u32 uid;
	__u32 pid;
	int err;
	struct ct_str kind;
	struct ct_str comm;
	struct ct_tcp_addrs a;
	char kind_buf[2];
};

void ct_conn_row_fill(struct ct_conn_row *r, const struct ct_conn_event *e);

#define CT_CONN_AT(f) CT_AT(struct ct_conn_row, f)

/* time, elapsed_ns, uid. */
#define CT_CONN_COLUMNS_TIME						\
	CT_COLUMN_TIME(struct ct_conn_row, ts),				\
	CT_COLUMN_ELAPSED(struct ct_conn_row, ts),			\
	CT_COLUMN_UID(struct ct_conn_row, uid)

/* pid, comm. */
#define CT_CONN_COLUMNS_TASK						\
	{ "pid", "PID", "the process that called connect() (not "	\
	  "the task on the CPU when the handshake ended)",		\
	  -7, CT_COL_UINT, CT_CONN_AT(pid), NULL },			\
	{ "comm", "COMM", "that process's command name", -16,		\
	  CT_COL_STR, CT_CONN_AT(comm), NULL }

/* ip, laddr, lport, raddr, rport. */
#define CT_CONN_COLUMNS_ADDR CT_TCP_ADDR_COLUMNS(struct ct_conn_row, a)

/* latency_ns, described as doc (shown in ms: CT_COL_MS). */
#define CT_CONN_COLUMN_LAT(doc)						\
	{ "latency_ns", "LAT(ms)", doc, 9, CT_COL_NS,			\
	  CT_CONN_AT(lat_ns), NULL }

/* err, errno: the connect's result. */
#define CT_CONN_COLUMNS_ERR						\
	{ "err", "ERR", "the connect's result: 0 once established, "	\
	  "else its error (text: negative)", 4, CT_COL_ERR,		\
	  CT_CONN_AT(err), NULL },					\
	{ "errno", "ERRNO", "the name of err (text: - once "		\
	  "established)", -12, CT_COL_ERRNO, CT_CONN_AT(err), NULL }

#endif
