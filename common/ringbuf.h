/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a BPF ring buffer map through a window of its data pages: every
 * page of the ring mapped counts in the resident memory of the process,
 * and libbpf's reader maps the whole ring twice (1 MiB for 512 KiB).
 */
#ifndef CT_RINGBUF_H
#define CT_RINGBUF_H

#include <stddef.h>

struct ct_ringbuf;

/* Called once per record; a negative return stops the read with it. */
typedef int (*ct_ringbuf_fn)(void *ctx, void *data, size_t size);

/* NULL with errno set on failure. */
struct ct_ringbuf *ct_ringbuf_new(int map_fd, ct_ringbuf_fn fn, void *ctx);
void ct_ringbuf_free(struct ct_ringbuf *rb);

/*
 * Read every record ready, as ring_buffer__consume(): the number read, or
 * the callback's negative return (the record that returned it is read).
 */
int ct_ringbuf_consume(struct ct_ringbuf *rb);

/*
 * Wait up to timeout_ms (-1: no limit) for the kernel's wake-up, or for an
 * error on watch_fd (if >= 0: a pipe whose reader has gone), then read as
 * ct_ringbuf_consume(); -errno if the wait fails (-EINTR on a signal).
 */
int ct_ringbuf_poll(struct ct_ringbuf *rb, int timeout_ms, int watch_fd);

#endif
