/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpconnect's events are the connect tools' (common/tcp_connect.h): one
 * per connect whose handshake ended, with its result.
 */
#ifndef TCPCONNECT_H
#define TCPCONNECT_H

#include "tcp_connect.h"

#endif
