// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "tcp_conn_row.h"

void ct_conn_row_fill(struct ct_conn_row *r, const struct ct_conn_event *e)
{
	r->ts = e->ts;
	r->lat_ns = e->lat_ns;
	r->uid = e->uid;
	r->pid = e->pid;
	r->err = e->err;
	r->kind_buf[0] = e->kind;
	r->kind_buf[1] = '\0';
	r->kind = (struct ct_str){ r->kind_buf, 1 };
	r->comm = (struct ct_str){ e->comm, strnlen(e->comm,
						    CT_CONN_COMM_LEN) };
	ct_tcp_addrs_fill(&r->a, &e->tuple);
}
