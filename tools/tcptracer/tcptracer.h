/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcptracer's events are the connect tools' (common/tcp_connect.h), kind
 * C (connect established), A (accept) or X (close).
 */
#ifndef TCPTRACER_H
#define TCPTRACER_H

#include "tcp_connect.h"

#endif
