/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcpconnlat's events are the connect tools' (common/tcp_connect.h): one
 * per connect established, lat_ns its handshake.
 */
#ifndef TCPCONNLAT_H
#define TCPCONNLAT_H

#include "tcp_connect.h"

#endif
