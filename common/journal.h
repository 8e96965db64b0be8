/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --journal: one journal entry per event, sent to journald in its native
 * protocol (a datagram of NAME=value lines on /run/systemd/journal/socket;
 * a sealed memfd when too large for a datagram), so no libsystemd is needed
 * and static builds work. Fields: MESSAGE (the text output's line),
 * MESSAGE_ID (one per record kind), PRIORITY, SYSLOG_IDENTIFIER (the tool),
 * CT_SCHEMA, CT_TYPE, and CT_NAME for each --json member name, its value
 * as in --json (a string without its quotes, escapes kept, so always
 * printable UTF-8; longer than CT_JOURNAL_MAX_VALUE: cut, and named in
 * CT_CUT). docs/FLEET.md is the contract.
 */
#ifndef CT_JOURNAL_H
#define CT_JOURNAL_H

#include <stdbool.h>
#include <linux/types.h>

#define CT_JOURNAL_SOCKET "/run/systemd/journal/socket"
#define CT_JOURNAL_MAX_VALUE 4000
#define CT_JOURNAL_SCHEMA "1"
#define CT_MSGID_EVENT "b7ca4d659eb244a8b1c88950af317866"
#define CT_MSGID_LOST "3b28781b7f8a49aca227372a6d14cd81"

/* Connect to journald; 0, or 1 after a message. */
int ct_journal_open(void);

/* One event: a row of the tool's columns (columns.h). */
void ct_journal_event(const void *row);

/* A loss record: lost events since the last, total; final at exit. */
void ct_journal_lost(__u64 lost, __u64 total, bool final);

#endif
