/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a BPF ring buffer map through a window of its data pages: every
 * page of the ring mapped counts in the resident memory of the process,
 * and libbpf's reader maps the whole ring twice (1 MiB for 512 KiB).
 */
#ifndef CT_RINGBUF_H
#define CT_RINGBUF_H

#include <stdbool.h>
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
 * Wait up to timeout_ns (negative: no limit) for the kernel's wake-up, or
 * for an error on watch_fd (if >= 0: a pipe whose reader has gone): 0, or
 * -errno if the wait fails (-EINTR on a signal). Without nap, records
 * waiting end the wait at once, as poll() would; with it, they do not: a
 * reader that naps is not woken but by the kernel's wake-up.
 */
int ct_ringbuf_wait(struct ct_ringbuf *rb, long long timeout_ns, bool nap,
		    int watch_fd);

/*
 * The bytes of records (headers included) read so far, those waiting to be
 * read, and the ring's.
 */
unsigned long long ct_ringbuf_taken(const struct ct_ringbuf *rb);
unsigned long long ct_ringbuf_waiting(const struct ct_ringbuf *rb);
size_t ct_ringbuf_size(const struct ct_ringbuf *rb);

#endif
